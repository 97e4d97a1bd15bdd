//! Backup and restore in danvan's own portable archive: taken on one
//! snapshot while the server keeps writing, restored all or nothing.
//!
//! The archive is UTF-8 text, one JSON value a line: a header (format,
//! schema version, engine), then for each table a line naming its columns
//! followed by one JSON array per row, and a last line with the counts and
//! the SHA-256 of every line before it. It reads the same on both engines,
//! so a SQLite backup restores into PostgreSQL and back; why danvan does
//! not use `pg_dump` is in docs/operations.md.
//!
//! A restore builds the schema the backup was taken under, loads the rows,
//! then upgrades them to this build's schema, in one transaction: into a
//! new file renamed over the target on SQLite, in the target database on
//! PostgreSQL. A failure at any point leaves the target as it was.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use danvan_core::DomainError;
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

use crate::db::{Tx, connect, on_tx};
use crate::{Store, StoreError, migrate};

mod archive;
use archive::Archive;

const FORMAT: &str = "danvan-backup";
const FORMAT_VERSION: i64 = 1;
/// Rows per insert statement on restore.
const CHUNK: usize = 500;
/// Seeded by the store itself on every open: not the user's data.
const SEEDED: &[&str] = &["deadline_rule"];

#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: i64,
    schema_version: i64,
    engine: String,
    created_at: String,
    danvan: String,
}

#[derive(Serialize, Deserialize)]
struct TableLine {
    table: String,
    columns: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct End {
    tables: u64,
    rows: u64,
    sha256: String,
}

#[derive(Serialize, Deserialize)]
struct EndLine {
    end: End,
}

/// What a backup or a restore moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The schema version the backup was taken under.
    pub schema_version: i64,
    /// The schema version of the restored database (this build's).
    pub upgraded_to: i64,
    pub tables: u64,
    pub rows: u64,
}

fn refuse(code: &'static str, message: String) -> StoreError {
    StoreError::Invalid(DomainError::new(code, message))
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    refuse(
        "backup.io",
        format!("không {what} được tệp «{}»: {e}", path.display()),
    )
}

/// A quoted identifier, the same on both engines.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A table's columns: name and declared type.
type Columns = Vec<(String, String)>;

/// The tables of the database with their columns, in name order, as the
/// database describes itself. The migration ledger is left out: the
/// archive's header carries the schema version instead.
async fn tables(tx: &mut Tx) -> Result<Vec<(String, Columns)>, StoreError> {
    let sqlite = tx.is_sqlite();
    let names: Vec<String> = on_tx!(tx, c => {
        sqlx::query_scalar(if sqlite {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> 'schema_migration' ORDER BY name"
        } else {
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
             AND c.relname <> 'schema_migration' ORDER BY c.relname::text"
        })
        .fetch_all(&mut *c)
        .await?
    });
    let mut out = Vec::with_capacity(names.len());
    for t in names {
        let cols: Columns = on_tx!(tx, c => {
            sqlx::query_as(if sqlite {
                "SELECT name, type FROM pragma_table_info($1) ORDER BY cid"
            } else {
                "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
                 WHERE a.attrelid = quote_ident($1)::regclass AND a.attnum > 0 \
                 AND NOT a.attisdropped ORDER BY a.attnum"
            })
            .bind(&t)
            .fetch_all(&mut *c)
            .await?
        });
        out.push((t, cols));
    }
    Ok(out)
}

/// Whether any table holds a row (the ledger and the rows the store seeds
/// itself do not count): such a database is only replaced on `--force`.
async fn holds_data(tx: &mut Tx) -> Result<bool, StoreError> {
    for (t, _) in tables(tx).await? {
        if SEEDED.contains(&t.as_str()) {
            continue;
        }
        let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", ident(&t));
        let any: bool = on_tx!(tx, c => {
            sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut *c).await?
        });
        if any {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The schema version a database is at.
async fn schema_version(tx: &mut Tx, url: &str) -> Result<i64, StoreError> {
    let v: Result<Option<i64>, sqlx::Error> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT MAX(version) FROM schema_migration")
            .fetch_one(&mut *c)
            .await
    });
    match v {
        Ok(Some(v)) => Ok(v),
        _ => Err(refuse(
            "backup.not_danvan",
            format!("«{url}» không phải cơ sở dữ liệu danvan (chưa có lược đồ)"),
        )),
    }
}

/// Writes every byte through a SHA-256, for the archive's last line.
struct Hashing<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Hashing<W> {
    fn line(&mut self, text: &str) -> std::io::Result<()> {
        self.hash.update(text.as_bytes());
        self.hash.update(b"\n");
        self.inner.write_all(text.as_bytes())?;
        self.inner.write_all(b"\n")
    }
}

/// `path` with `suffix` added to its file name (a sibling in the same
/// directory, so a rename over `path` is atomic).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Make a rename in `path`'s directory durable.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Back the database `url` up into `file`, on one snapshot: writes that
/// commit while it runs are not in it, every write committed before it
/// began is. The server may keep running and writing. `file` appears
/// whole or not at all (written beside it, then renamed).
pub async fn backup(url: &str, file: &Path) -> Result<Summary, StoreError> {
    if !url.contains("://") && !url.starts_with("sqlite:") && !Path::new(url).exists() {
        return Err(refuse(
            "backup.no_database",
            format!("không có cơ sở dữ liệu «{url}»"),
        ));
    }
    let store = Store::from_pool(connect(url, false).await?);
    let partial = sibling(file, &format!(".{}.tmp", std::process::id()));
    let result = write_archive(&store, url, &partial).await;
    store.close().await;
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, file).map_err(|e| io_error("ghi", file, e))?;
            sync_dir(file);
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

async fn write_archive(store: &Store, url: &str, path: &Path) -> Result<Summary, StoreError> {
    let f = File::create(path).map_err(|e| io_error("tạo", path, e))?;
    let mut out = Hashing {
        inner: BufWriter::with_capacity(1 << 20, f),
        hash: Sha256::new(),
    };
    let werr = |e: std::io::Error| io_error("ghi", path, e);
    let mut tx = store.begin_snapshot().await?;
    let sqlite = tx.is_sqlite();
    let version = schema_version(&mut tx, url).await?;
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version: version,
        engine: if sqlite { "sqlite" } else { "postgres" }.into(),
        created_at: chrono::Utc::now().to_rfc3339(),
        danvan: env!("CARGO_PKG_VERSION").into(),
    };
    out.line(&serde_json::to_string(&header).expect("a header serializes"))
        .map_err(werr)?;
    let (mut n_tables, mut n_rows) = (0u64, 0u64);
    for (t, cols) in tables(&mut tx).await? {
        let line = TableLine {
            table: t.clone(),
            columns: cols.iter().map(|(c, _)| c.clone()).collect(),
        };
        out.line(&serde_json::to_string(&line).expect("a table line serializes"))
            .map_err(werr)?;
        n_tables += 1;
        let sql = select_rows(sqlite, &t, &cols);
        on_tx!(&mut tx, c => {
            let mut rows = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)).fetch(&mut *c);
            while let Some(row) = rows.try_next().await? {
                out.line(&row).map_err(werr)?;
                n_rows += 1;
            }
        });
    }
    tx.end_read().await?;
    let end = EndLine {
        end: End {
            tables: n_tables,
            rows: n_rows,
            sha256: hex::encode(out.hash.clone().finalize()),
        },
    };
    out.line(&serde_json::to_string(&end).expect("an end line serializes"))
        .map_err(werr)?;
    let f = out
        .inner
        .into_inner()
        .map_err(|e| io_error("ghi", path, e.into_error()))?;
    f.sync_all().map_err(werr)?;
    Ok(Summary {
        schema_version: version,
        upgraded_to: version,
        tables: n_tables,
        rows: n_rows,
    })
}

/// Each row of a table as one JSON array. Timestamps are written as
/// SQLite stores them (`2026-03-02 10:00:00.000000`), booleans as each
/// engine gives them (the other engine reads both).
fn select_rows(sqlite: bool, table: &str, cols: &Columns) -> String {
    let exprs: Vec<String> = cols
        .iter()
        .map(|(c, ty)| {
            if !sqlite && ty.starts_with("timestamp") {
                format!("to_char({}, 'YYYY-MM-DD HH24:MI:SS.US')", ident(c))
            } else {
                ident(c)
            }
        })
        .collect();
    if sqlite {
        format!(
            "SELECT json_array({}) FROM {}",
            exprs.join(", "),
            ident(table)
        )
    } else {
        format!(
            "SELECT json_build_array({})::text FROM {}",
            exprs.join(", "),
            ident(table)
        )
    }
}

/// Replace the database `url` with the backup in `file`.
///
/// Refused, with nothing changed: a file that is not a whole danvan backup
/// (checked line by line and by its SHA-256), a backup whose schema is
/// newer than this build's, and a database that already holds data unless
/// `force` is set. A missing SQLite file or PostgreSQL database is created.
pub async fn restore(url: &str, file: &Path, force: bool) -> Result<Summary, StoreError> {
    let mut archive = Archive::open(file)?;
    let header = archive.header()?;
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        restore_postgres(url, &mut archive, &header, force).await
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        restore_sqlite(Path::new(path), &mut archive, &header, force).await
    }
}

fn not_empty(url: &str) -> StoreError {
    refuse(
        "backup.target_not_empty",
        format!(
            "cơ sở dữ liệu «{url}» đã có dữ liệu; phục hồi sẽ thay toàn bộ dữ liệu đó. \
             Hãy phục hồi vào một cơ sở dữ liệu mới, hoặc thêm --force nếu thật sự muốn thay. \
             Không ghi dữ liệu nào"
        ),
    )
}

async fn restore_postgres(
    url: &str,
    archive: &mut Archive,
    header: &Header,
    force: bool,
) -> Result<Summary, StoreError> {
    crate::create_postgres_database(url).await?;
    let store = Store::from_pool(connect(url, false).await?);
    let result = async {
        let mut tx = store.begin().await?;
        if !tables(&mut tx).await?.is_empty() {
            if !force && holds_data(&mut tx).await? {
                return Err(not_empty(url));
            }
            drop_everything(&mut tx).await?;
        }
        let summary = load(&mut tx, archive, header).await?;
        tx.commit().await?;
        Ok::<Summary, StoreError>(summary)
    }
    .await;
    store.close().await;
    result
}

/// Drop every table and function of the database's schema (danvan owns
/// its database), in the restore's transaction.
async fn drop_everything(tx: &mut Tx) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT quote_ident(c.relname::text) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
        )
        .fetch_all(&mut *c)
        .await?;
        if !tables.is_empty() {
            let sql = format!("DROP TABLE IF EXISTS {} CASCADE", tables.join(", "));
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *c).await?;
        }
        let functions: Vec<String> = sqlx::query_scalar(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
             WHERE n.nspname = current_schema()",
        )
        .fetch_all(&mut *c)
        .await?;
        for f in functions {
            let sql = format!("DROP FUNCTION IF EXISTS {f} CASCADE");
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *c).await?;
        }
    });
    Ok(())
}

/// A direct connection to a SQLite file, switched out of WAL so the file
/// stands alone. Fails while another process has the database open (a
/// running server): WAL can only be left by its only user.
async fn sqlite_alone(path: &Path) -> Result<sqlx::SqliteConnection, StoreError> {
    use sqlx::Connection;
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(2))
        .synchronous(SqliteSynchronous::Full)
        .journal_mode(SqliteJournalMode::Delete);
    let in_use = |e: String| {
        refuse(
            "backup.target_in_use",
            format!(
                "không mở riêng được cơ sở dữ liệu «{}» ({e}): đó không phải tệp SQLite, \
                 hoặc máy chủ danvan đang dùng nó — hãy dừng máy chủ trước khi phục hồi. \
                 Không ghi dữ liệu nào",
                path.display()
            ),
        )
    };
    let mut c = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| in_use(e.to_string()))?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut c)
        .await
        .map_err(|e| in_use(e.to_string()))?;
    if !mode.eq_ignore_ascii_case("delete") {
        let _ = c.close().await;
        return Err(in_use(format!("chế độ nhật ký {mode}")));
    }
    Ok(c)
}

async fn restore_sqlite(
    target: &Path,
    archive: &mut Archive,
    header: &Header,
    force: bool,
) -> Result<Summary, StoreError> {
    use sqlx::Connection;
    let exists = target.exists();
    if exists {
        let c = sqlite_alone(target).await?;
        let _ = c.close().await;
        if !force {
            let store = Store::from_pool(connect(&target.display().to_string(), false).await?);
            let data = async {
                let mut tx = store.begin_snapshot().await?;
                let data = holds_data(&mut tx).await;
                tx.end_read().await?;
                data
            }
            .await;
            store.close().await;
            if data? {
                return Err(not_empty(&target.display().to_string()));
            }
        }
    }
    let temp = sibling(target, &format!(".phuc-hoi-{}", std::process::id()));
    let remove_temp = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sibling(&temp, suffix));
        }
    };
    remove_temp();
    let built = async {
        let store = Store::from_pool(connect(&temp.display().to_string(), true).await?);
        let result = async {
            let mut tx = store.begin().await?;
            on_tx!(&mut tx, c => {
                sqlx::query("PRAGMA defer_foreign_keys = ON").execute(&mut *c).await?;
            });
            let summary = load(&mut tx, archive, header).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(summary)
        }
        .await;
        store.close().await;
        let summary = result?;
        sqlite_alone(&temp).await?.close().await?;
        // The target again, right before it is replaced: no server may
        // have opened it meanwhile, and its WAL is folded in and gone.
        if exists {
            sqlite_alone(target).await?.close().await?;
        }
        std::fs::rename(&temp, target).map_err(|e| io_error("ghi", target, e))?;
        sync_dir(target);
        Ok::<Summary, StoreError>(summary)
    }
    .await;
    if built.is_err() {
        remove_temp();
    }
    built
}

/// Load an archive into an empty database in the caller's transaction:
/// the backup's schema, its rows, then this build's migrations.
async fn load(tx: &mut Tx, archive: &mut Archive, header: &Header) -> Result<Summary, StoreError> {
    migrate::apply_range(tx, 0, header.schema_version).await?;
    let target = tables(tx).await?;
    // Rows a migration seeds are replaced by the backup's own.
    for (t, _) in &target {
        let sql = format!("DELETE FROM {}", ident(t));
        on_tx!(tx, c => { sqlx::query(AssertSqlSafe(sql)).execute(&mut *c).await?; });
    }
    let sqlite = tx.is_sqlite();
    // PostgreSQL checks foreign keys row by row: they are dropped while
    // rows load and added back after, which checks every row once.
    let foreign_keys = if sqlite {
        Vec::new()
    } else {
        take_foreign_keys(tx).await?
    };
    let (n_tables, n_rows) = archive.load_rows(tx, &target).await?;
    if !sqlite {
        for (table, name, def) in foreign_keys {
            let sql = format!("ALTER TABLE {table} ADD CONSTRAINT {} {def}", ident(&name));
            let done: Result<_, sqlx::Error> = on_tx!(tx, c => {
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *c).await.map(|_| ())
            });
            done.map_err(|e| {
                archive.corrupt(format!(
                    "các dòng của bảng {table} tham chiếu dòng không có ({e})"
                ))
            })?;
        }
        reset_identities(tx).await?;
    }
    migrate::apply_range(tx, header.schema_version, migrate::latest()).await?;
    Ok(Summary {
        schema_version: header.schema_version,
        upgraded_to: migrate::latest().max(header.schema_version),
        tables: n_tables,
        rows: n_rows,
    })
}

/// Every foreign key of the schema (table, name, definition), dropped.
async fn take_foreign_keys(tx: &mut Tx) -> Result<Vec<(String, String, String)>, StoreError> {
    let keys: Vec<(String, String, String)> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid) \
             FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1, 2",
        )
        .fetch_all(&mut *c)
        .await?
    });
    for (table, name, _) in &keys {
        let sql = format!("ALTER TABLE {table} DROP CONSTRAINT {}", ident(name));
        on_tx!(tx, c => { sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *c).await?; });
    }
    Ok(keys)
}

/// Move every identity sequence past the largest id restored, so the next
/// record gets a new number.
async fn reset_identities(tx: &mut Tx) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        let cols: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.relname::text, a.attname::text FROM pg_attribute a \
             JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND a.attidentity <> '' AND NOT a.attisdropped",
        )
        .fetch_all(&mut *c)
        .await?;
        for (t, col) in cols {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                ident(&col),
                ident(&t)
            );
            sqlx::query(AssertSqlSafe(sql)).bind(ident(&t)).bind(&col).execute(&mut *c).await?;
        }
    });
    Ok(())
}
