//! Lists of records for the pages that show them: newest first (highest
//! number first), of a unit's subtree through the `unit_path` closure
//! table, a page at a time. Pages are walked by key, never by offset: a
//! page link carries the number of the record it continues from, so a
//! deep page costs what the first costs and a record written meanwhile
//! neither repeats nor hides a row.

use chrono::NaiveDate;

use crate::{Store, StoreError};

/// Most rows one list returns.
pub const MAX_ROWS: i64 = 1000;

/// Which page of a list, by record number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdCursor {
    /// The newest records.
    #[default]
    First,
    /// The records numbered below this one (the next, older page).
    Below(i64),
    /// The records numbered above this one (the previous, newer page).
    Above(i64),
}

/// The SQL of a list and what to bind: `$1` the row cap, then the
/// subtree's root when there is one, then the first and last day when
/// the list keeps to a period, then the cursor's key.
pub(crate) struct Recent {
    pub sql: String,
    pub limit: i64,
    pub root: Option<i64>,
    pub days: Option<(NaiveDate, NaiveDate)>,
    pub key: Option<i64>,
    /// Rows come oldest first (a page above a key) and are turned around.
    pub reversed: bool,
}

/// A list kept to the records whose `column` (a date) falls in `from..=to`.
pub struct Within {
    pub column: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// `SELECT {columns} FROM {from}` (the record table aliased `r`) limited to
/// the subtree of `unit`, or of the store's scope when `unit` is `None` (a
/// unit outside the scope is not found), kept to a period when `days`
/// says so, on the page `cursor` names.
pub(crate) fn recent_within(
    store: &Store,
    columns: &str,
    from: &str,
    unit: Option<i64>,
    days: Option<Within>,
    limit: i64,
    cursor: IdCursor,
) -> Result<Recent, StoreError> {
    let root = store.read_root(unit)?;
    let within = if root.is_some() {
        " JOIN unit_path up ON up.unit_id = r.unit_id AND up.ancestor_id = $2"
    } else {
        ""
    };
    let mut next = if root.is_some() { 3 } else { 2 };
    let mut conds: Vec<String> = Vec::new();
    if let Some(d) = &days {
        conds.push(format!(
            "r.{0} >= ${next} AND r.{0} <= ${1}",
            d.column,
            next + 1
        ));
        next += 2;
    }
    let (key, order) = match cursor {
        IdCursor::First => (None, "DESC"),
        IdCursor::Below(k) => {
            conds.push(format!("r.id < ${next}"));
            (Some(k), "DESC")
        }
        IdCursor::Above(k) => {
            conds.push(format!("r.id > ${next}"));
            (Some(k), "ASC")
        }
    };
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    Ok(Recent {
        sql: format!("SELECT {columns} FROM {from}{within}{filter} ORDER BY r.id {order} LIMIT $1"),
        limit: limit.clamp(1, MAX_ROWS),
        root,
        days: days.map(|d| (d.from, d.to)),
        key,
        reversed: matches!(cursor, IdCursor::Above(_)),
    })
}

/// Run a [`Recent`] list on the store's engine, decoding rows as `$row`,
/// newest first.
macro_rules! fetch_recent {
    ($store:expr, $recent:expr, $row:ty) => {{
        let r = $recent;
        let reversed = r.reversed;
        let mut rows: Vec<$row> = $crate::db::on_pool!(&$store.pool, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(r.sql)).bind(r.limit);
            if let Some(root) = r.root {
                q = q.bind(root);
            }
            if let Some((from, to)) = r.days {
                q = q.bind(from).bind(to);
            }
            if let Some(k) = r.key {
                q = q.bind(k);
            }
            q.fetch_all(p).await?
        });
        if reversed {
            rows.reverse();
        }
        rows
    }};
}

pub(crate) use fetch_recent;
