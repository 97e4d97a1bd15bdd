//! Test databases on both engines: held once, in `danvan-testkit`.
#![allow(unused_imports)]

pub use danvan_testkit::*;

/// Whether the database refuses `sql`, run on a connection of its own,
/// outside the store (what someone with the database's password could do).
#[allow(dead_code)]
pub async fn raw_refused(db: &TestDb, sql: &str) -> bool {
    use sqlx::Connection;
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    let refused = if db.url.starts_with("postgres://") {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let r = sqlx::raw_sql(sql).execute(&mut c).await;
        c.close().await.unwrap();
        r.is_err()
    } else {
        let url = format!("sqlite:{}", db.url);
        let mut c = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let r = sqlx::raw_sql(sql).execute(&mut c).await;
        c.close().await.unwrap();
        r.is_err()
    };
    refused
}
