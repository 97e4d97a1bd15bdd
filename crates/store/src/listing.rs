//! Lists of recent records for the pages that show them: newest first, of
//! a unit's subtree through the `unit_path` closure table, capped, so a
//! page never loads a whole table.

use chrono::NaiveDate;

use crate::{Store, StoreError};

/// Most rows one list returns.
pub const MAX_ROWS: i64 = 1000;

/// Rows skipped at most: a list pages back through 200.000 records, and
/// further back a period or a unit narrows it.
pub const MAX_OFFSET: i64 = 200_000;

/// The SQL of a list and what to bind: `$1` the row cap, then the
/// subtree's root when there is one, then the first and last day when
/// the list keeps to a period.
pub(crate) struct Recent {
    pub sql: String,
    pub limit: i64,
    pub root: Option<i64>,
    pub days: Option<(NaiveDate, NaiveDate)>,
}

/// A list kept to the records whose `column` (a date) falls in `from..=to`.
pub struct Within {
    pub column: &'static str,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// `SELECT {columns} FROM {from}` (the record table aliased `r`) limited to
/// the subtree of `unit`, or of the store's scope when `unit` is `None`; a
/// unit outside the scope is not found.
pub(crate) fn recent(
    store: &Store,
    columns: &str,
    from: &str,
    unit: Option<i64>,
    limit: i64,
) -> Result<Recent, StoreError> {
    recent_within(store, columns, from, unit, None, limit, 0)
}

/// [`recent`], kept to a period when `days` says so.
pub(crate) fn recent_within(
    store: &Store,
    columns: &str,
    from: &str,
    unit: Option<i64>,
    days: Option<Within>,
    limit: i64,
    offset: i64,
) -> Result<Recent, StoreError> {
    let root = store.read_root(unit)?;
    let within = if root.is_some() {
        " JOIN unit_path up ON up.unit_id = r.unit_id AND up.ancestor_id = $2"
    } else {
        ""
    };
    let next = if root.is_some() { 3 } else { 2 };
    let period = days.as_ref().map_or(String::new(), |d| {
        format!(
            " WHERE r.{0} >= ${next} AND r.{0} <= ${1}",
            d.column,
            next + 1
        )
    });
    Ok(Recent {
        // The offset is a number this function clamps, written into the
        // text: both engines take it there.
        sql: format!(
            "SELECT {columns} FROM {from}{within}{period} ORDER BY r.id DESC LIMIT $1 OFFSET {}",
            offset.clamp(0, MAX_OFFSET)
        ),
        limit: limit.clamp(1, MAX_ROWS),
        root,
        days: days.map(|d| (d.from, d.to)),
    })
}

/// Run a [`Recent`] list on the store's engine, decoding rows as `$row`.
macro_rules! fetch_recent {
    ($store:expr, $recent:expr, $row:ty) => {{
        let r = $recent;
        let rows: Vec<$row> = $crate::db::on_pool!(&$store.pool, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(r.sql)).bind(r.limit);
            if let Some(root) = r.root {
                q = q.bind(root);
            }
            if let Some((from, to)) = r.days {
                q = q.bind(from).bind(to);
            }
            q.fetch_all(p).await?
        });
        rows
    }};
}

pub(crate) use fetch_recent;
