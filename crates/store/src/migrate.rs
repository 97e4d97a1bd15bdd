//! Schema migrations, kept per engine with the same meaning (as Vaultwarden
//! does): `migrations/sqlite/NNNN_name.sql` and
//! `migrations/postgres/NNNN_name.sql`. Each runs once, in a transaction,
//! and is recorded in `schema_migration`.

use crate::db::{Pool, on_pool};
use crate::{Store, StoreError};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($v:literal, $name:literal) => {
        Migration {
            version: $v,
            name: $name,
            sqlite: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/migrations/sqlite/",
                $name,
                ".sql"
            )),
            postgres: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/src/migrations/postgres/",
                $name,
                ".sql"
            )),
        }
    };
}

/// Every migration, in order: listed by `build.rs` from the files.
const MIGRATIONS: &[Migration] = include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migration (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL
)";

pub(crate) async fn run(store: &Store) -> Result<(), StoreError> {
    // What is applied is read on the pool first: opening an up-to-date
    // database (every open but the first of a build) takes no write lock.
    let applied: Vec<i64> = on_pool!(&store.pool, p => {
        let read = "SELECT version FROM schema_migration";
        match sqlx::query_scalar(read).fetch_all(p).await {
            Ok(v) => v,
            // A new database: no ledger yet.
            Err(_) => {
                sqlx::query(CREATE_LEDGER).execute(p).await?;
                sqlx::query_scalar(read).fetch_all(p).await?
            }
        }
    });
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        // Checked again under the write lock: another process may have
        // applied it meanwhile.
        let mut tx = store.begin().await?;
        let done: Option<i64> = crate::db::on_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT version FROM schema_migration WHERE version = $1")
                .bind(m.version)
                .fetch_optional(&mut *c)
                .await?
        });
        if done.is_some() {
            continue;
        }
        let sql = match store.pool {
            Pool::Sqlite(_) => m.sqlite,
            Pool::Postgres(_) => m.postgres,
        };
        apply(&mut tx, m, sql).await?;
        tx.commit().await?;
    }
    // National deadline rules are data; seeding them on every open keeps a
    // database current when the built-in defaults gain a rule.
    crate::deadlines::seed_national(store).await
}

/// Run one migration's `sql` and record it in the ledger.
async fn apply(tx: &mut crate::db::Tx, m: &Migration, sql: &'static str) -> Result<(), StoreError> {
    crate::db::on_tx!(tx, c => {
        sqlx::raw_sql(sql).execute(&mut *c).await?;
    });
    // Columns a migration adds that only the store can fill (folded
    // text), filled in the migration's own transaction.
    if m.version == 18 {
        crate::petitions::backfill::search_columns(tx).await?;
    }
    crate::db::on_tx!(tx, c => {
        sqlx::query("INSERT INTO schema_migration (version, name) VALUES ($1, $2)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// The schema version this build writes: its newest migration.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Apply, in the caller's transaction, every migration with
/// `after < version <= upto` (the ledger created first): a restore builds
/// the schema its backup was taken under, loads the rows, then upgrades
/// them to this build's schema, all in one transaction.
pub(crate) async fn apply_range(
    tx: &mut crate::db::Tx,
    after: i64,
    upto: i64,
) -> Result<(), StoreError> {
    let sqlite = tx.is_sqlite();
    crate::db::on_tx!(tx, c => {
        sqlx::query(CREATE_LEDGER).execute(&mut *c).await?;
    });
    for m in MIGRATIONS
        .iter()
        .filter(|m| m.version > after && m.version <= upto)
    {
        apply(tx, m, if sqlite { m.sqlite } else { m.postgres }).await?;
    }
    Ok(())
}
