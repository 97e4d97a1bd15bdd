//! One store, two engines. SQLite (a single file, WAL) is the default;
//! PostgreSQL is chosen by a `postgres://` URL. The same SQL text runs on
//! both: placeholders are `$1…` (SQLite accepts them too), upserts use
//! `ON CONFLICT … DO UPDATE`, dates are bound as `chrono::NaiveDate`.
//! The `on_pool!`/`on_tx!` macros expand one body once per engine, so each
//! arm is fully typed against its own driver: no `Any` driver, no strings
//! of types.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::StoreError;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A write transaction on either engine.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Run `$body` with `$c` bound to the engine's pool.
macro_rules! on_pool {
    ($pool:expr, $c:ident => $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Run `$body` with `$c` bound to the transaction's connection
/// (`&mut SqliteConnection` or `&mut PgConnection`).
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

pub(crate) use {on_pool, on_tx};

/// `VALUES (…), (…)` for `rows` rows of `cols` placeholders: positional
/// `?` on SQLite (which would look `$N` up by name, quadratic in a
/// statement of thousands), `$N` on PostgreSQL. For bulk statements whose
/// text is built once and reused; everything else uses `$N` directly.
pub(crate) fn values_sql(sqlite: bool, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 6 + 8);
    s.push_str("VALUES ");
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            if sqlite {
                s.push('?');
            } else {
                s.push_str(&format!("${}", r * cols + c + 1));
            }
        }
        s.push(')');
    }
    s
}

impl Tx {
    pub(crate) fn is_sqlite(&self) -> bool {
        matches!(self, Tx::Sqlite(_))
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The handle every other crate uses. Cheap to clone.
///
/// A store also carries who is acting (for the audit log) and, for a user
/// bound to a unit, the subtree they may read and write. Every record
/// function checks that scope, so access is enforced here, below the web
/// handlers, once for the UI, the API and the command line.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    pub(crate) actor: Arc<Actor>,
    pub(crate) scope: Option<Arc<Subtree>>,
}

/// Who makes a change: a user of the web application or API, or the
/// command line. Written into every audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    /// The user's role; `None` for the server itself, which may change
    /// anything. Checked by [`crate::audit`] on every change.
    pub role: Option<crate::accounts::Role>,
}

impl Actor {
    /// The command line and the demo loader: changes made on the server.
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            name: "hệ thống (dòng lệnh)".into(),
            role: None,
        }
    }
}

/// A unit and every unit below it (from the closure table), loaded once
/// when a scoped store is made.
#[derive(Debug)]
pub struct Subtree {
    pub root: i64,
    pub root_name: String,
    units: HashSet<i64>,
}

impl Subtree {
    pub fn contains(&self, unit_id: i64) -> bool {
        self.units.contains(&unit_id)
    }
}

impl Store {
    /// Open (creating if needed) the database named by `url`: a
    /// `postgres://` URL, a `sqlite:` URL, or a plain file path. Runs
    /// pending migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(60))
                    .connect_with(opts)
                    .await
                    .map_err(|e| StoreError::Connect(url.to_string(), e.to_string()))?,
            )
        } else {
            let opts = if url.starts_with("sqlite:") {
                SqliteConnectOptions::from_str(url)?
            } else {
                SqliteConnectOptions::new().filename(url)
            }
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
            Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts)
                    .await
                    .map_err(|e| StoreError::Connect(url.to_string(), e.to_string()))?,
            )
        };
        let store = Store {
            pool,
            actor: Arc::new(Actor::system()),
            scope: None,
        };
        crate::migrate::run(&store).await?;
        Ok(store)
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Begin a write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so two writers queue instead of failing midway.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// The same store, with changes recorded as made by `actor`.
    pub fn acting_as(&self, actor: Actor) -> Store {
        Store {
            actor: Arc::new(actor),
            ..self.clone()
        }
    }

    /// The same store, limited to `unit_id` and its subtree: a record
    /// elsewhere reads as not found, and writing one is forbidden.
    pub async fn within(&self, unit_id: i64) -> Result<Store, StoreError> {
        let unit = crate::units::by_id(self, unit_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {unit_id}")))?;
        let ids: Vec<i64> = on_pool!(&self.pool, p => {
            sqlx::query_scalar("SELECT unit_id FROM unit_path WHERE ancestor_id = $1")
                .bind(unit_id)
                .fetch_all(p)
                .await?
        });
        Ok(Store {
            scope: Some(Arc::new(Subtree {
                root: unit_id,
                root_name: unit.full_name(),
                units: ids.into_iter().collect(),
            })),
            ..self.clone()
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The subtree this store is limited to; `None` means the whole country.
    pub fn scope(&self) -> Option<&Subtree> {
        self.scope.as_deref()
    }

    /// Whether a record of `unit_id` is visible through this store.
    pub fn permits(&self, unit_id: i64) -> bool {
        self.scope.as_ref().is_none_or(|s| s.contains(unit_id))
    }

    /// A read of a record of `unit_id`: outside the scope it does not
    /// exist, so ids of other units reveal nothing.
    pub(crate) fn check_read(
        &self,
        unit_id: i64,
        what: impl FnOnce() -> String,
    ) -> Result<(), StoreError> {
        if self.permits(unit_id) {
            Ok(())
        } else {
            Err(StoreError::NotFound(what()))
        }
    }

    /// A write of a record of `unit_id` (its old and its new unit, for an
    /// update): forbidden outside the scope.
    pub(crate) fn check_write(&self, unit_id: i64) -> Result<(), StoreError> {
        match &self.scope {
            Some(s) if !s.contains(unit_id) => Err(StoreError::Forbidden(format!(
                "tài khoản chỉ được ghi dữ liệu của {} và các đơn vị trực thuộc",
                s.root_name
            ))),
            _ => Ok(()),
        }
    }

    /// The subtree a list or search reads: the unit the caller named, or
    /// the scope's root when it named none (`None`: the whole country). A
    /// named unit outside the scope reads as a unit that does not exist.
    pub(crate) fn read_root(&self, unit_id: Option<i64>) -> Result<Option<i64>, StoreError> {
        match (unit_id, &self.scope) {
            (Some(u), _) => {
                self.check_read(u, || format!("đơn vị có mã số {u}"))?;
                Ok(Some(u))
            }
            (None, Some(s)) => Ok(Some(s.root)),
            (None, None) => Ok(None),
        }
    }

    /// A write of data that belongs to no unit (national definitions, the
    /// official calendar): only a store of the whole country may.
    pub(crate) fn check_national(&self, what: &str) -> Result<(), StoreError> {
        match &self.scope {
            Some(s) => Err(StoreError::Forbidden(format!(
                "{what} dùng chung cả nước; tài khoản của {} không được sửa",
                s.root_name
            ))),
            None => Ok(()),
        }
    }

    pub async fn close(&self) {
        on_pool!(&self.pool, p => p.close().await)
    }
}
