//! What the tests of every crate share, held once: a fresh store on each
//! engine (here), the unit fixture (`units`), accounts (`users`), seed
//! records (`seed`), with the `report` feature what documents are set
//! from (`report`) and with the `web` feature the web harness (`web`). SQLite: a fresh file. PostgreSQL: a fresh database on
//! 127.0.0.1:5432 (user postgres, trust auth), dropped afterwards. Without a
//! server the PostgreSQL half is skipped with a message, unless
//! `DANVAN_REQUIRE_PG=1`, where it fails. A dev-dependency only.

pub mod audit;
pub mod correct;
#[cfg(feature = "report")]
pub mod report;
pub mod seed;
pub mod units;
pub mod users;
#[cfg(feature = "web")]
pub mod web;

use std::sync::atomic::{AtomicU32, Ordering};

use danvan_store::{Store, StoreError, create_postgres_database, drop_postgres_database};

/// The PostgreSQL server the tests use.
pub const PG_SERVER: &str = "postgres://postgres@127.0.0.1:5432";

static N: AtomicU32 = AtomicU32::new(0);

/// A name no other test of any process uses.
pub fn unique(prefix: &str) -> String {
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
            drop_postgres_database(&self.url)
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
    let name = unique("danvan_test");
    let url = format!("{PG_SERVER}/{name}");
    match create_postgres_database(&url).await {
        Ok(()) => {}
        Err(e @ StoreError::Connect(..)) => {
            assert!(
                !required,
                "DANVAN_REQUIRE_PG=1 but PostgreSQL is unreachable: {e}"
            );
            eprintln!("BỎ QUA kiểm thử PostgreSQL: {e}");
            return None;
        }
        Err(e) => panic!("create database: {e}"),
    }
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

/// `r` must be refused with exactly `message`.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>, message: &str) {
    assert_eq!(r.expect_err(message).to_string(), message);
}

/// `r` must be refused with a message that says `part`; the error.
#[track_caller]
pub fn refused_saying<T: std::fmt::Debug>(r: Result<T, StoreError>, part: &str) -> StoreError {
    let e = r.expect_err(part);
    assert!(e.to_string().contains(part), "{e}");
    e
}

/// Run `f` on a fresh SQLite store and the runtime it was opened on.
pub fn on_sqlite(f: impl FnOnce(&tokio::runtime::Runtime, Store)) {
    let rt = runtime();
    let db = rt.block_on(sqlite());
    f(&rt, db.store.clone());
    rt.block_on(db.finish());
}

/// [`on_sqlite`] on PostgreSQL; nothing when it is unavailable (see
/// [`postgres`]).
pub fn on_postgres(f: impl FnOnce(&tokio::runtime::Runtime, Store)) {
    let rt = runtime();
    let Some(db) = rt.block_on(postgres()) else {
        return;
    };
    f(&rt, db.store.clone());
    rt.block_on(db.finish());
}

/// Run an async test body on a fresh runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    runtime().block_on(f)
}
