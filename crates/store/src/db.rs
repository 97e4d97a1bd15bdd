//! One store, two engines. SQLite (a single file, WAL) is the default;
//! PostgreSQL is chosen by a `postgres://` URL. The same SQL text runs on
//! both: placeholders are `$1…` (SQLite accepts them too), upserts use
//! `ON CONFLICT … DO UPDATE`, dates are bound as `chrono::NaiveDate`.
//! The `on_pool!`/`on_tx!` macros expand one body once per engine, so each
//! arm is fully typed against its own driver: no `Any` driver, no strings
//! of types.

use std::collections::HashSet;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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

/// A write transaction on either engine. Every write of the store goes
/// through one and ends in [`Tx::commit`], which is where the caches of
/// [`Shared`] learn that data changed.
pub struct Tx {
    pub(crate) conn: TxConn,
    shared: Arc<Shared>,
    /// Set by the functions that write units: committing drops the
    /// cached unit tree.
    units_changed: bool,
    /// The store that began it: who acts, within which subtree, and
    /// whether as a late correction (read by the period locks).
    pub(crate) origin: Store,
    /// Accepted reports this transaction has logged a late correction
    /// against (once each).
    pub(crate) late_logged: Vec<i64>,
}

pub(crate) enum TxConn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// What every clone of one opened store shares: the counter that tells
/// cached figures data changed, and the cached unit tree.
#[derive(Default)]
pub(crate) struct Shared {
    /// Write transactions this process has committed (bumped in
    /// [`Tx::commit`], after the commit).
    generation: AtomicU64,
    /// Bumped when a committed transaction of this process wrote units.
    pub(crate) units_epoch: AtomicU64,
    /// The unit tree as last read (see [`crate::units::tree`]).
    pub(crate) units: Mutex<Option<Arc<crate::units::UnitTree>>>,
    /// Held while the unit tree is read, so a change is read once, not
    /// by every request that notices it.
    pub(crate) units_loading: tokio::sync::Mutex<()>,
    /// Passwords checked with Argon2 by this process (see
    /// [`Store::password_checks`]).
    pub(crate) password_checks: AtomicU64,
    /// A fixed clock (see [`Store::now`]); `None` reads the system's.
    clock: Mutex<Option<chrono::NaiveDateTime>>,
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
        match &mut ($tx).conn {
            $crate::db::TxConn::Sqlite(t) => {
                let $c: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::db::TxConn::Postgres(t) => {
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
        matches!(self.conn, TxConn::Sqlite(_))
    }

    /// Note that this transaction writes units.
    pub(crate) fn units_changed(&mut self) {
        self.units_changed = true;
    }

    /// End a transaction that only read (a record read with the helpers
    /// the writes use): rolled back, so caches are not told that anything
    /// changed and keep serving.
    pub(crate) async fn end_read(self) -> Result<(), StoreError> {
        match self.conn {
            TxConn::Sqlite(t) => t.rollback().await?,
            TxConn::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// Commit, then tell the caches: the data generation moves on (every
    /// cached figure is stale from now), and the unit tree is dropped if
    /// units were written. Only after a successful commit, so a reader
    /// never caches a generation whose data it could not yet see.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self.conn {
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        if self.units_changed {
            self.shared.units_epoch.fetch_add(1, Ordering::SeqCst);
            *self.shared.units.lock().unwrap_or_else(|e| e.into_inner()) = None;
        }
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

/// Where the data stood when a cached result was computed: equal versions
/// mean nothing it was computed from has changed. `local` counts this
/// process's commits; `external` is read from the database, for writes of
/// other processes on the same database (see [`Store::data_version`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataVersion {
    local: u64,
    external: Arc<str>,
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
    pub(crate) shared: Arc<Shared>,
    /// The unit tree this handle reads (see [`Store::pin_units`]).
    pub(crate) units: Option<Arc<crate::units::UnitTree>>,
    /// Other processes' writes as they stood when the handle was pinned.
    pub(crate) external: Option<Arc<str>>,
    /// Set for a late correction: the reason a change is made to a period
    /// an accepted report has locked (see [`crate::chain::locks`]).
    pub(crate) late_reason: Option<Arc<str>>,
    /// Set while a whole file of records is imported (see
    /// [`crate::record_import::file_ledger`]).
    pub(crate) import_file: Option<Arc<crate::record_import::file_ledger::ImportFile>>,
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

/// A unit and every unit below it, computed once per unit from the cached
/// unit tree (the same set as the closure table `unit_path`, which is
/// built from the same parent links).
#[derive(Debug)]
pub struct Subtree {
    pub root: i64,
    pub root_name: String,
    units: HashSet<i64>,
}

impl Subtree {
    pub(crate) fn new(root: i64, root_name: String, units: HashSet<i64>) -> Subtree {
        Subtree {
            root,
            root_name,
            units,
        }
    }

    pub fn contains(&self, unit_id: i64) -> bool {
        self.units.contains(&unit_id)
    }
}

impl Store {
    /// Open (creating if needed) the database named by `url`: a
    /// `postgres://` URL, a `sqlite:` URL, or a plain file path. Runs
    /// pending migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::from_pool(connect(url, true).await?);
        crate::migrate::run(&store).await?;
        if let Ok(v) = std::env::var("DANVAN_CLOCK") {
            let at = chrono::NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%dT%H:%M:%S").map_err(
                |_| {
                    danvan_core::DomainError::new(
                        "clock.invalid",
                        format!("DANVAN_CLOCK «{v}» không hợp lệ; dùng dạng 2020-07-03T09:00:00"),
                    )
                },
            )?;
            store.set_clock(Some(at));
        }
        Ok(store)
    }

    /// A store on an opened pool, acting as the system, migrations not run
    /// (a backup reads a database as it is; a restore builds its schema).
    pub(crate) fn from_pool(pool: Pool) -> Store {
        Store {
            pool,
            actor: Arc::new(Actor::system()),
            scope: None,
            shared: Arc::default(),
            units: None,
            external: None,
            late_reason: None,
            import_file: None,
        }
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
        let conn = match &self.pool {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin().await?),
        };
        Ok(Tx {
            conn,
            shared: self.shared.clone(),
            units_changed: false,
            origin: self.clone(),
            late_logged: Vec::new(),
        })
    }

    /// Begin a transaction for a record read that needs several statements
    /// to agree (a record and its child rows): a deferred `BEGIN` on SQLite,
    /// which takes no lock until it reads and never the write lock, so
    /// readers go on while a writer (an import) holds it (WAL); `READ
    /// ONLY` on PostgreSQL. End it with [`Tx::end_read`].
    pub(crate) async fn begin_read(&self) -> Result<Tx, StoreError> {
        let conn = match &self.pool {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin().await?),
            Pool::Postgres(p) => TxConn::Postgres(p.begin_with("BEGIN READ ONLY").await?),
        };
        Ok(Tx {
            conn,
            shared: self.shared.clone(),
            units_changed: false,
            origin: self.clone(),
            late_logged: Vec::new(),
        })
    }

    /// Begin a transaction that only reads, on one snapshot of the whole
    /// database while writers go on: a deferred `BEGIN` on SQLite (WAL
    /// readers see the database as of their first read), `REPEATABLE READ`
    /// on PostgreSQL.
    pub(crate) async fn begin_snapshot(&self) -> Result<Tx, StoreError> {
        let conn = match &self.pool {
            Pool::Sqlite(p) => TxConn::Sqlite(p.begin().await?),
            Pool::Postgres(p) => TxConn::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        };
        Ok(Tx {
            conn,
            shared: self.shared.clone(),
            units_changed: false,
            origin: self.clone(),
            late_logged: Vec::new(),
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
    /// elsewhere reads as not found, and writing one is forbidden. Pinned
    /// as [`Store::pin_units`] pins: the subtree comes from the cached unit
    /// tree, and the database is asked one small question for the request.
    pub async fn within(&self, unit_id: i64) -> Result<Store, StoreError> {
        let pinned = self.pin_units().await?;
        let tree = pinned.units.clone().expect("pinned");
        let scope = tree
            .subtree(unit_id)
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {unit_id}")))?;
        Ok(Store {
            scope: Some(scope),
            ..pinned
        })
    }

    /// The same store for one request: it reads one unit tree for its
    /// whole life, and knows where other processes' writes stood when it
    /// was made ([`Store::pinned_version`]). Both come from one small
    /// query here instead of one per read. Units written through this
    /// process are still seen at once (the tree is dropped on commit);
    /// units another process writes, by the next store pinned.
    pub async fn pin_units(&self) -> Result<Store, StoreError> {
        let (token, external) = self.probe().await?;
        let tree = crate::units::tree_checked(self, token).await?;
        Ok(Store {
            units: Some(tree),
            external: Some(Arc::from(external)),
            ..self.clone()
        })
    }

    /// Where the data stands now, for caches of computed figures: a
    /// cached value computed under an equal version is still exact.
    ///
    /// This process's writes are counted in memory (every commit bumps
    /// it). Writes of other processes on the same database (the command
    /// line importing while `serve` runs, several servers on one
    /// PostgreSQL) are seen through one small query:
    /// - SQLite: the largest `audit_log` id, which every change of a
    ///   record writes, and the largest unit and share ids (unit imports are not in
    ///   the audit log; units are only ever added). Writers are serialised
    ///   on SQLite, so ids grow in commit order.
    /// - PostgreSQL: `pg_current_snapshot()`, which changes whenever any
    ///   transaction that wrote commits, in any order — unlike a maximum
    ///   id, which a transaction holding a lower id can commit under. It
    ///   also changes for writes that touch nothing cached (other
    ///   databases of the server, logins): those only cost a rebuild.
    ///
    /// Limits: on SQLite, another process's write that neither logs a
    /// change nor adds a unit (none does today that a figure depends on)
    /// is not seen until this process writes.
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        // Read the local count first: a commit that lands between the two
        // reads is then seen by one or both, never by neither.
        let local = self.shared.generation.load(Ordering::SeqCst);
        let (_, external) = self.probe().await?;
        Ok(DataVersion {
            local,
            external: Arc::from(external),
        })
    }

    /// The data version as of this request, without asking the database:
    /// this process's commits counted now (a write made through this very
    /// request is seen), other processes' as they stood when the store was
    /// pinned. `None` for a store that was never pinned. A cache may serve
    /// what it computed under an equal version — nothing the request must
    /// see has changed since — but must label what it computes now with
    /// [`Store::data_version`].
    pub fn pinned_version(&self) -> Option<DataVersion> {
        let external = self.external.clone()?;
        Some(DataVersion {
            local: self.shared.generation.load(Ordering::SeqCst),
            external,
        })
    }

    /// The largest unit and share ids (see [`crate::units::tree`]) and other
    /// processes' writes (see [`Store::data_version`]), in one statement.
    async fn probe(&self) -> Result<(crate::units::TreeToken, String), StoreError> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => {
                let (unit, share, audit): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
                    "SELECT (SELECT MAX(id) FROM unit), (SELECT MAX(id) FROM unit_successor), \
                         (SELECT MAX(id) FROM audit_log)",
                )
                .fetch_one(p)
                .await?;
                let token = (unit.unwrap_or(0), share.unwrap_or(0));
                (
                    token,
                    format!("{}/{}/{}", audit.unwrap_or(0), token.0, token.1),
                )
            }
            Pool::Postgres(p) => {
                let (unit, share, snapshot): (Option<i64>, Option<i64>, String) = sqlx::query_as(
                    "SELECT (SELECT MAX(id) FROM unit), (SELECT MAX(id) FROM unit_successor), \
                         pg_current_snapshot()::text",
                )
                .fetch_one(p)
                .await?;
                ((unit.unwrap_or(0), share.unwrap_or(0)), snapshot)
            }
        })
    }

    /// How many passwords this store has checked with Argon2 (logins and
    /// password changes, the dummy hash of unknown names included): what
    /// the throttling promises to bound, counted where it happens.
    pub fn password_checks(&self) -> u64 {
        self.shared.password_checks.load(Ordering::SeqCst)
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The time danvan records for a change: the system's clock, unless
    /// one was fixed — by `DANVAN_CLOCK` (`2020-07-03T09:00:00`) when the
    /// store was opened, for training sessions and tests that play a
    /// reporting period through, or by [`Store::set_clock`].
    pub fn now(&self) -> chrono::NaiveDateTime {
        let fixed = *self.shared.clock.lock().unwrap_or_else(|e| e.into_inner());
        fixed.unwrap_or_else(|| chrono::Local::now().naive_local())
    }

    /// Today, by [`Store::now`].
    pub fn today(&self) -> chrono::NaiveDate {
        self.now().date()
    }

    /// Fix the clock of this store and every clone of it (`None`: the
    /// system's clock again).
    pub fn set_clock(&self, at: Option<chrono::NaiveDateTime>) {
        *self.shared.clock.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// This store making a late correction (sửa sau duyệt): a change to a
    /// period an accepted report has locked, for `reason`. Only users of
    /// the reviewing unit or above may (checked when a lock is met); each
    /// such change is logged with its reason and shown on the report.
    pub fn late_correction(&self, reason: &str) -> Result<Store, StoreError> {
        let reason = reason.trim();
        if reason.chars().count() < 5 || reason.chars().count() > 1000 {
            return Err(danvan_core::DomainError::new(
                "late_correction.reason",
                "sửa số liệu sau khi báo cáo đã được duyệt phải ghi lý do (từ 5 đến 1.000 ký tự)",
            )
            .at_field("reason")
            .into());
        }
        let mut s = self.clone();
        s.late_reason = Some(Arc::from(reason));
        Ok(s)
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

/// Connect to the database `url` names (see [`Store::open`]); a SQLite
/// file is created only when `create` is set.
pub(crate) async fn connect(url: &str, create: bool) -> Result<Pool, StoreError> {
    Ok(
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
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
            .create_if_missing(create)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: every acknowledged commit survives a power loss, not
            // only a crash of the process (NORMAL in WAL mode may lose the
            // last commits on power loss). See docs/operations.md.
            .synchronous(SqliteSynchronous::Full)
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
        },
    )
}

/// The server and database name of a `postgres://` URL: the URL of the
/// server's `postgres` maintenance database, and the name.
fn pg_server(url: &str) -> Result<(String, String), StoreError> {
    let bad = || {
        StoreError::Invalid(danvan_core::DomainError::new(
            "db.url",
            format!("URL cơ sở dữ liệu «{url}» phải có dạng postgres://người-dùng@máy:cổng/tên"),
        ))
    };
    let (base, rest) = url.rsplit_once('/').ok_or_else(bad)?;
    let (name, query) = rest.split_once('?').map_or((rest, ""), |(n, q)| (n, q));
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !valid || !base.contains("://") || base.ends_with('/') {
        return Err(bad());
    }
    let admin = if query.is_empty() {
        format!("{base}/postgres")
    } else {
        format!("{base}/postgres?{query}")
    };
    Ok((admin, name.to_string()))
}

/// Create the PostgreSQL database `url` names (its server reached through
/// the `postgres` database), so `danvan init` works on a fresh server.
/// Names are lower-case letters, digits and `_`.
pub async fn create_postgres_database(url: &str) -> Result<(), StoreError> {
    use sqlx::Connection;
    let (admin, name) = pg_server(url)?;
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .map_err(|e| StoreError::Connect(admin.clone(), e.to_string()))?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut c)
        .await?;
    if exists.is_none() {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await?;
    }
    c.close().await?;
    Ok(())
}

/// Drop the PostgreSQL database `url` names, closing its connections.
pub async fn drop_postgres_database(url: &str) -> Result<(), StoreError> {
    use sqlx::Connection;
    let (admin, name) = pg_server(url)?;
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .map_err(|e| StoreError::Connect(admin.clone(), e.to_string()))?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut c)
    .await?;
    c.close().await?;
    Ok(())
}

#[cfg(test)]
mod pg_url_tests {
    use super::pg_server;

    #[test]
    fn the_server_of_a_database_url() {
        assert_eq!(
            pg_server("postgres://postgres@127.0.0.1:5432/danvan_1").unwrap(),
            (
                "postgres://postgres@127.0.0.1:5432/postgres".to_string(),
                "danvan_1".to_string()
            )
        );
        for bad in [
            "postgres://h/x;drop",
            "postgres://h/",
            "khong-url",
            "postgres://h/Ten",
        ] {
            assert!(pg_server(bad).is_err(), "{bad}");
        }
    }
}
