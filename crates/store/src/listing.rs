//! Lists of recent records for the pages that show them: newest first, of
//! a unit's subtree through the `unit_path` closure table, capped, so a
//! page never loads a whole table.

use crate::{Store, StoreError};

/// Most rows one list returns.
pub const MAX_ROWS: i64 = 1000;

/// The SQL of a list and what to bind: `$1` the row cap, `$2` the
/// subtree's root when there is one.
pub(crate) struct Recent {
    pub sql: String,
    pub limit: i64,
    pub root: Option<i64>,
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
    let root = store.read_root(unit)?;
    let within = if root.is_some() {
        " JOIN unit_path up ON up.unit_id = r.unit_id AND up.ancestor_id = $2"
    } else {
        ""
    };
    Ok(Recent {
        sql: format!("SELECT {columns} FROM {from}{within} ORDER BY r.id DESC LIMIT $1"),
        limit: limit.clamp(1, MAX_ROWS),
        root,
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
            q.fetch_all(p).await?
        });
        rows
    }};
}

pub(crate) use fetch_recent;
