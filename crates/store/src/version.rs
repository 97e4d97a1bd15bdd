//! Optimistic concurrency for corrections. Every correctable record has a
//! version that each update raises by one. A correction names the version
//! its author read; if someone else saved in between, the correction is
//! refused with [`StoreError::Stale`] instead of silently overwriting the
//! step they recorded.

use serde::{Deserialize, Serialize};

use sqlx::AssertSqlSafe;

use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

/// The version of a record as it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Version(pub i64);

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Version {
    /// A version as a form or an `If-Match` header carries it: digits,
    /// optionally quoted (`"3"`, `W/"3"`).
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let s = s.strip_prefix("W/").unwrap_or(s);
        let s = s.trim_matches('"');
        s.parse::<i64>().ok().filter(|v| *v > 0).map(Version)
    }

    /// The HTTP entity tag of this version.
    pub fn etag(self) -> String {
        format!("\"{}\"", self.0)
    }
}

/// Raise the version of row `id` from `read` to the next, inside the
/// update's transaction, or refuse: the row holds a later version, so the
/// caller's correction was made on stale data. `what` names the record
/// ("đơn số 12"). The row lock this takes also serialises two concurrent
/// corrections, so exactly one of them wins.
pub(crate) async fn claim(
    tx: &mut Tx,
    table: &str,
    id: i64,
    read: Version,
    what: impl FnOnce() -> String,
) -> Result<Version, StoreError> {
    let sql = format!("UPDATE {table} SET version = version + 1 WHERE id = $1 AND version = $2");
    let claimed = on_tx!(tx, c => {
        sqlx::query(AssertSqlSafe(sql)).bind(id).bind(read.0).execute(&mut *c).await?.rows_affected()
    });
    if claimed == 1 {
        Ok(Version(read.0 + 1))
    } else {
        Err(StoreError::Stale(what()))
    }
}

/// Raise the version of row `id` without a check: for changes that do not
/// overwrite what their author read (adding an opinion's answer, a step
/// recorded by the system), yet must make a pending correction stale.
pub(crate) async fn bump(tx: &mut Tx, table: &str, id: i64) -> Result<(), StoreError> {
    let sql = format!("UPDATE {table} SET version = version + 1 WHERE id = $1");
    on_tx!(tx, c => {
        sqlx::query(AssertSqlSafe(sql)).bind(id).execute(&mut *c).await?;
    });
    Ok(())
}

/// The current version of row `id`. Callers read it *before* the record
/// (see the kinds' `get_for_edit`): a change in between then makes the
/// correction stale, never lost. Scope is the record read's business; a
/// missing row reads as version 1 and the record read says not found.
pub(crate) async fn read(store: &Store, table: &str, id: i64) -> Result<Version, StoreError> {
    let sql = format!("SELECT version FROM {table} WHERE id = $1");
    let v: Option<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar(AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
    });
    Ok(Version(v.unwrap_or(1)))
}

#[cfg(test)]
mod tests {
    use super::Version;

    #[test]
    fn a_version_is_read_from_a_form_or_an_etag() {
        assert_eq!(Version::parse("3"), Some(Version(3)));
        assert_eq!(Version::parse("\"3\""), Some(Version(3)));
        assert_eq!(Version::parse("W/\"12\""), Some(Version(12)));
        assert_eq!(Version::parse(""), None);
        assert_eq!(Version::parse("0"), None);
        assert_eq!(Version::parse("ba"), None);
        assert_eq!(Version(7).etag(), "\"7\"");
    }
}
