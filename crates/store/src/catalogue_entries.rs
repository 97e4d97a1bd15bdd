//! Catalogue entries defined at run time: indicators, validation rules and
//! report sections an administrator adds beside the shipped catalogue.
//! Every save is a new version of its (kind, code), so what a report used
//! on a given day can always be read back; the newest version is in force
//! and a retired version takes the entry out. The store keeps the text and
//! who saved it; whether the text is a valid entry is the report crate's
//! business (`danvan_report::custom`), which checks it before saving.

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use serde::Serialize;

use crate::accounts::Role;
use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::{Store, StoreError};

const ENTITY: &str = "catalogue_entry";

/// What an entry defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Indicator,
    Rule,
    Section,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Indicator, EntryKind::Rule, EntryKind::Section];

    pub const fn code(self) -> &'static str {
        match self {
            EntryKind::Indicator => "indicator",
            EntryKind::Rule => "rule",
            EntryKind::Section => "section",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            EntryKind::Indicator => "chỉ số",
            EntryKind::Rule => "quy tắc kiểm tra",
            EntryKind::Section => "phần báo cáo",
        }
    }

    pub fn parse(s: &str) -> Result<EntryKind, DomainError> {
        EntryKind::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| {
                DomainError::new(
                    "catalogue_entry.kind",
                    format!("loại «{s}» không có; dùng indicator, rule hoặc section"),
                )
                .at_field("kind")
            })
    }
}

/// One saved version of an entry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub code: String,
    pub version: i64,
    /// The entry as TOML, in the shipped catalogue's format.
    pub source: String,
    pub retired: bool,
    pub saved_at: NaiveDateTime,
    pub actor: String,
}

type Row = (String, String, i64, String, i64, NaiveDateTime, String);

fn entry((kind, code, version, source, retired, saved_at, actor): Row) -> Entry {
    Entry {
        kind: EntryKind::parse(&kind).unwrap_or(EntryKind::Indicator),
        code,
        version,
        source,
        retired: retired != 0,
        saved_at,
        actor,
    }
}

const COLUMNS: &str = "kind, code, version, source, retired, saved_at, actor";

/// An entry's code: what formulas and templates name it by.
pub fn check_code(code: &str) -> Result<(), DomainError> {
    let ok = (2..=60).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(DomainError::new(
            "catalogue_entry.code",
            format!(
                "mã «{code}» không hợp lệ: dài 2–60 ký tự, chữ thường không dấu, chữ số hoặc «_», bắt đầu bằng chữ"
            ),
        )
        .at_field("code"))
    }
}

/// Entries hold for every unit: only a national administrator (or the
/// command line) changes them. Asked first, before a draft is checked, so
/// no one else learns anything from the checks.
pub fn may_define(store: &Store) -> Result<(), StoreError> {
    if store
        .actor()
        .role
        .is_some_and(|r| r != Role::Admin || store.scope().is_some())
    {
        return Err(StoreError::Forbidden(
            "chỉ quản trị viên cấp cả nước định nghĩa được chỉ số, quy tắc và phần báo cáo, vì chúng dùng cho báo cáo của mọi đơn vị".into(),
        ));
    }
    Ok(())
}

/// The entries in force: the newest version of each (kind, code), unless
/// that version retired it; by kind, then code.
pub async fn in_force(store: &Store) -> Result<Vec<Entry>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM catalogue_entry e WHERE version = \
         (SELECT MAX(version) FROM catalogue_entry n WHERE n.kind = e.kind AND n.code = e.code) \
         AND retired = 0 ORDER BY kind, code"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(entry).collect())
}

/// The entries in force, as an administrator's page lists them.
pub async fn listed(store: &Store) -> Result<Vec<Entry>, StoreError> {
    may_define(store)?;
    in_force(store).await
}

/// Every version of one entry, newest first, for an administrator.
pub async fn versions(
    store: &Store,
    kind: EntryKind,
    code: &str,
) -> Result<Vec<Entry>, StoreError> {
    may_define(store)?;
    history(store, kind, code).await
}

/// Every version of one entry, newest first.
pub async fn history(store: &Store, kind: EntryKind, code: &str) -> Result<Vec<Entry>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM catalogue_entry WHERE kind = $1 AND code = $2 ORDER BY version DESC"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kind.code()).bind(code).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(entry).collect())
}

/// What a save asks for.
#[derive(Debug, Clone)]
pub struct Save<'a> {
    pub kind: EntryKind,
    pub code: &'a str,
    pub source: &'a str,
    pub retired: bool,
    /// The version the editor read (`Some(0)`: a new entry). A later one
    /// in the database makes the save stale. `None` saves over whatever
    /// is there (a file loaded from the command line).
    pub read: Option<i64>,
}

/// Save a new version of each entry in one transaction, each logged in
/// it. Returns their versions. The caller has checked the sources.
pub async fn save_many(store: &Store, saves: &[Save<'_>]) -> Result<Vec<i64>, StoreError> {
    may_define(store)?;
    let mut tx = store.begin().await?;
    let mut versions = Vec::with_capacity(saves.len());
    let mut changes = Vec::with_capacity(saves.len());
    for s in saves {
        let (version, change) = save_one(&mut tx, store, s).await?;
        versions.push(version);
        changes.push(change);
    }
    audit::log_many(&mut tx, store, changes).await?;
    tx.commit().await?;
    Ok(versions)
}

async fn save_one(
    tx: &mut crate::db::Tx,
    store: &Store,
    s: &Save<'_>,
) -> Result<(i64, Change), StoreError> {
    check_code(s.code)?;
    let newest: Option<(i64, String, i64)> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT version, source, retired FROM catalogue_entry WHERE kind = $1 AND code = $2 \
             ORDER BY version DESC LIMIT 1",
        )
        .bind(s.kind.code())
        .bind(s.code)
        .fetch_optional(&mut *c)
        .await?
    });
    let current = newest.as_ref().map_or(0, |(v, _, _)| *v);
    if s.read == Some(0) && current > 0 {
        return Err(DomainError::new(
            "catalogue_entry.exists",
            format!(
                "đã có {} mã «{}»; muốn sửa, hãy mở nó trong danh sách rồi lưu phiên bản mới",
                s.kind.label(),
                s.code
            ),
        )
        .at_field("code")
        .into());
    }
    if let Some(read) = s.read
        && read != current
    {
        return Err(StoreError::Stale(format!(
            "{} «{}»",
            s.kind.label(),
            s.code
        )));
    }
    if newest.is_none() && s.retired {
        return Err(StoreError::NotFound(format!(
            "{} «{}»",
            s.kind.label(),
            s.code
        )));
    }
    let version = current + 1;
    let actor = store.actor();
    // The unique (kind, code, version) refuses the second of two saves that
    // read the same version at once.
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO catalogue_entry (kind, code, version, source, retired, saved_at, user_id, actor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(s.kind.code())
        .bind(s.code)
        .bind(version)
        .bind(s.source)
        .bind(i64::from(s.retired))
        .bind(store.now())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .execute(&mut *c)
        .await
        .map_err(|e| stale_on_conflict(e, s))?;
    });
    let side = |source: &str, retired: bool| serde_json::json!({ "kind": s.kind.code(), "code": s.code, "source": source, "retired": retired });
    let action = match (&newest, s.retired) {
        (None, _) => Action::Create,
        (Some(_), true) => Action::Delete,
        (Some(_), false) => Action::Update,
    };
    let mut change = Change::new(action, ENTITY, format!("{}:{}", s.kind.code(), s.code))
        .after(&side(s.source, s.retired));
    if let Some((_, before, retired)) = &newest {
        change = change.before(&side(before, *retired != 0));
    }
    Ok((version, change))
}

/// Two saves of one version at once: the loser is told, in words.
fn stale_on_conflict(e: sqlx::Error, s: &Save<'_>) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::Stale(format!("{} «{}»", s.kind.label(), s.code))
        }
        _ => StoreError::Db(e),
    }
}
