//! Test databases on both engines, as in the store's tests. SQLite: a
//! fresh file. PostgreSQL: a fresh database on 127.0.0.1:5432 (user
//! postgres, trust auth), dropped afterwards. Without a server the
//! PostgreSQL half is skipped with a message, unless DANVAN_REQUIRE_PG=1,
//! where it fails.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use danvan_store::Store;
use sqlx::Connection;

pub const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static N: AtomicU32 = AtomicU32::new(0);

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    )
}

/// A test database; dropped (PostgreSQL) or deleted (SQLite) on `finish`.
pub struct TestDb {
    pub store: Store,
    pub name: String,
    pub url: String,
    pg: bool,
}

impl TestDb {
    pub async fn finish(self) {
        self.store.close().await;
        if self.pg {
            let mut c = sqlx::PgConnection::connect(PG_ADMIN)
                .await
                .expect("admin connection");
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .expect("drop database");
        } else {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.url));
            }
        }
    }
}

pub async fn sqlite() -> TestDb {
    let name = unique("danvan_test");
    let url = std::env::temp_dir()
        .join(format!("{name}.db"))
        .display()
        .to_string();
    let store = Store::open(&url).await.expect("open sqlite");
    TestDb {
        store,
        name,
        url,
        pg: false,
    }
}

/// `None` when no PostgreSQL server answers and it is not required.
pub async fn postgres() -> Option<TestDb> {
    let required = std::env::var("DANVAN_REQUIRE_PG").is_ok_and(|v| v == "1");
    let mut admin = match sqlx::PgConnection::connect(PG_ADMIN).await {
        Ok(c) => c,
        Err(e) => {
            assert!(
                !required,
                "DANVAN_REQUIRE_PG=1 but PostgreSQL is unreachable: {e}"
            );
            eprintln!("BỎ QUA kiểm thử PostgreSQL: không kết nối được {PG_ADMIN}: {e}");
            return None;
        }
    };
    let name = unique("danvan_test");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let store = Store::open(&url).await.expect("open postgres");
    Some(TestDb {
        store,
        name,
        url,
        pg: true,
    })
}

/// Both engines (PostgreSQL only when available).
pub async fn both() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

/// A runtime for a test. A store must be used on the runtime it was opened
/// on: PostgreSQL connections belong to the runtime that made them.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Run an async test body on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    runtime().block_on(f)
}
