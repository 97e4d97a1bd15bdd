//! Imports started from the web's import page (nhập tệp), kept in the
//! database rather than in one server's memory: a job's progress and
//! outcome survive a restart and are read through any server on the same
//! database. The process running a job writes its progress with a
//! heartbeat (`beat_at`); a job still running whose heartbeat stopped was
//! cut off by its server stopping, and reads as interrupted.
//!
//! A job belongs to the user who started it: only they read it (any
//! other id reads as not there). Job rows hold no figure and no record,
//! so they are written by one statement each, outside the audit log.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use crate::db::on_pool;
use crate::{Store, StoreError};

/// How long (seconds) a running job may go without a heartbeat before it
/// reads as interrupted. Servers beat every second (see `web::import_run`).
pub const SILENCE_SECONDS: i64 = 60;

/// Where one import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    /// Finished and written.
    Done,
    /// Refused: a bad row, nothing written.
    Rejected,
    /// Its server stopped while it ran.
    Interrupted,
}

/// One import as its starter reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: i64,
    pub user_id: i64,
    /// The import name of its record kind (`receptions`, `dossiers`…).
    pub kind: String,
    pub file_name: String,
    pub rows_done: u64,
    /// Data rows in the file, for the progress.
    pub rows_total: u64,
    pub state: JobState,
    /// Not running any more, whatever the outcome.
    pub finished: bool,
    pub summary: Option<String>,
    /// Rejected rows, each with its line and reason, in Vietnamese.
    pub errors: Vec<String>,
}

/// The heartbeat's clock: the system's, even when [`Store::now`] is fixed
/// for a training period, since silence is measured in real time.
fn wall() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

fn starter(store: &Store) -> Result<i64, StoreError> {
    store.actor().user_id.ok_or_else(|| {
        StoreError::Forbidden("chỉ người dùng đã đăng nhập mới nhập tệp qua trang web".into())
    })
}

/// Record a new job of the store's user: `kind` of `file_name`, with
/// `rows_total` data rows. Returns its id.
pub async fn start(
    store: &Store,
    kind: &str,
    file_name: &str,
    rows_total: u64,
) -> Result<i64, StoreError> {
    let user = starter(store)?;
    let now = wall();
    let id: i64 = on_pool!(&store.pool, p => {
        sqlx::query_scalar(
            "INSERT INTO import_job (user_id, kind, file_name, rows_total, state, started_at, beat_at) \
             VALUES ($1, $2, $3, $4, 'running', $5, $5) RETURNING id",
        )
        .bind(user)
        .bind(kind)
        .bind(file_name)
        .bind(i64::try_from(rows_total).unwrap_or(i64::MAX))
        .bind(now)
        .fetch_one(p)
        .await?
    });
    Ok(id)
}

/// The running job's progress, and a heartbeat.
pub async fn progress(store: &Store, id: i64, rows_done: u64) -> Result<(), StoreError> {
    on_pool!(&store.pool, p => {
        sqlx::query(
            "UPDATE import_job SET rows_done = $1, beat_at = $2 WHERE id = $3 AND state = 'running'",
        )
        .bind(i64::try_from(rows_done).unwrap_or(i64::MAX))
        .bind(wall())
        .bind(id)
        .execute(p)
        .await?;
    });
    Ok(())
}

/// The job's outcome: its summary, or the reasons nothing was written.
pub async fn finish(
    store: &Store,
    id: i64,
    outcome: Result<String, Vec<String>>,
) -> Result<(), StoreError> {
    let (state, summary, errors) = match outcome {
        Ok(s) => ("done", Some(s), Vec::new()),
        Err(e) => ("rejected", None, e),
    };
    let errors = serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into());
    on_pool!(&store.pool, p => {
        sqlx::query(
            "UPDATE import_job SET state = $1, summary = $2, errors = $3, beat_at = $4 WHERE id = $5",
        )
        .bind(state)
        .bind(summary)
        .bind(errors)
        .bind(wall())
        .bind(id)
        .execute(p)
        .await?;
    });
    Ok(())
}

type Row = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    Option<String>,
    String,
    NaiveDateTime,
);

const COLUMNS: &str =
    "id, user_id, kind, file_name, rows_total, rows_done, state, summary, errors, beat_at";

fn from_row(r: Row, now: NaiveDateTime) -> Job {
    let (id, user_id, kind, file_name, total, done, state, summary, errors, beat) = r;
    let state = match state.as_str() {
        "done" => JobState::Done,
        "rejected" => JobState::Rejected,
        _ if now - beat > Duration::seconds(SILENCE_SECONDS) => JobState::Interrupted,
        _ => JobState::Running,
    };
    Job {
        id,
        user_id,
        kind,
        file_name,
        rows_done: u64::try_from(done).unwrap_or(0),
        rows_total: u64::try_from(total).unwrap_or(0),
        finished: state != JobState::Running,
        state,
        summary,
        errors: serde_json::from_str(&errors).unwrap_or_default(),
    }
}

/// One job of the store's user; another user's, or none, is `None`.
pub async fn get(store: &Store, id: i64) -> Result<Option<Job>, StoreError> {
    let Some(user) = store.actor().user_id else {
        return Ok(None);
    };
    let sql = format!("SELECT {COLUMNS} FROM import_job WHERE id = $1 AND user_id = $2");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(user).fetch_optional(p).await?
    });
    Ok(row.map(|r| from_row(r, wall())))
}

/// The store's user's latest jobs, newest first, at most `limit`.
pub async fn of_user(store: &Store, limit: i64) -> Result<Vec<Job>, StoreError> {
    let Some(user) = store.actor().user_id else {
        return Ok(Vec::new());
    };
    let sql =
        format!("SELECT {COLUMNS} FROM import_job WHERE user_id = $1 ORDER BY id DESC LIMIT $2");
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user).bind(limit).fetch_all(p).await?
    });
    let now = wall();
    Ok(rows.into_iter().map(|r| from_row(r, now)).collect())
}
