//! Writing units: one, many at once, their successors and the shares of
//! divided units. Only `unit_import` calls these; each marks its
//! transaction, so the commit drops the cached tree.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::text::fold;
use danvan_core::unit::UnitKind;

use super::Unit;
use crate::StoreError;
use crate::db::{Tx, on_tx};

pub(crate) async fn insert_tx(
    tx: &mut Tx,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent: Option<&Unit>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
) -> Result<Unit, StoreError> {
    let depth = parent.map_or(0, |p| p.depth + 1);
    tx.units_changed();
    let id: i64 = on_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO unit (code, name, name_folded, kind, parent_id, province_id, depth, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(fold(name))
        .bind(kind.code())
        .bind(parent.map(|p| p.id))
        .bind(parent.map_or(0, |p| p.province_id))
        .bind(depth)
        .bind(valid_from)
        .bind(valid_to)
        .fetch_one(&mut *c)
        .await?
    });
    let province_id = parent.map_or(id, |p| p.province_id);
    on_tx!(tx, c => {
        sqlx::query("UPDATE unit SET province_id = $1 WHERE id = $2")
            .bind(province_id)
            .bind(id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO unit_path (unit_id, ancestor_id, distance)
             SELECT $1, ancestor_id, distance + 1 FROM unit_path WHERE unit_id = $2
             UNION ALL SELECT $1, $1, 0",
        )
        .bind(id)
        .bind(parent.map_or(-1, |p| p.id))
        .execute(&mut *c)
        .await?;
    });
    Ok(Unit {
        id,
        code: code.to_string(),
        name: name.to_string(),
        kind,
        parent_id: parent.map(|p| p.id),
        province_id,
        depth,
        valid_from,
        valid_to,
        successor_id: None,
    })
}

/// A unit to add with [`insert_many_tx`]; its parent is already stored.
pub(crate) struct NewUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: UnitKind,
    pub parent: Option<&'a Unit>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// Rows per statement of [`insert_many_tx`] (nine arguments each).
const INSERT_ROWS: usize = 500;

/// Add many units whose parents are stored (not among `rows`), a few
/// statements per 500 units: the whole country's 14.000 units in seconds
/// on PostgreSQL, where one statement per unit costs a round trip each.
/// Returns them in the order given.
pub(crate) async fn insert_many_tx(
    tx: &mut Tx,
    rows: &[NewUnit<'_>],
) -> Result<Vec<Unit>, StoreError> {
    tx.units_changed();
    let sqlite = tx.is_sqlite();
    let mut out = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(INSERT_ROWS) {
        let sql = format!(
            "INSERT INTO unit (code, name, name_folded, kind, parent_id, province_id, depth, valid_from, valid_to) {} RETURNING id, code",
            crate::db::values_sql(sqlite, chunk.len(), 9)
        );
        let ids: Vec<(i64, String)> = on_tx!(tx, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for r in chunk {
                q = q
                    .bind(r.code)
                    .bind(r.name)
                    .bind(fold(r.name))
                    .bind(r.kind.code())
                    .bind(r.parent.map(|p| p.id))
                    .bind(r.parent.map_or(0, |p| p.province_id))
                    .bind(r.parent.map_or(0, |p| p.depth + 1))
                    .bind(r.valid_from)
                    .bind(r.valid_to);
            }
            q.fetch_all(&mut *c).await?
        });
        let id_of: HashMap<String, i64> = ids.into_iter().map(|(i, c)| (c, i)).collect();
        let list = crate::db::values_sql(sqlite, 1, chunk.len());
        let list = list.trim_start_matches("VALUES ");
        // A root is its own province; every new unit's path is its
        // parent's, one step further, and itself.
        let sql =
            format!("UPDATE unit SET province_id = id WHERE parent_id IS NULL AND id IN {list}");
        let above = format!(
            "INSERT INTO unit_path (unit_id, ancestor_id, distance)
             SELECT u.id, p.ancestor_id, p.distance + 1 FROM unit u
             JOIN unit_path p ON p.unit_id = u.parent_id WHERE u.id IN {list}"
        );
        let itself = format!(
            "INSERT INTO unit_path (unit_id, ancestor_id, distance)
             SELECT id, id, 0 FROM unit WHERE id IN {list}"
        );
        let ids: Vec<i64> = chunk.iter().map(|r| id_of[r.code]).collect();
        for sql in [sql, above, itself] {
            on_tx!(tx, c => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for id in &ids {
                    q = q.bind(*id);
                }
                q.execute(&mut *c).await?;
            });
        }
        for (r, id) in chunk.iter().zip(ids) {
            out.push(Unit {
                id,
                code: r.code.to_string(),
                name: r.name.to_string(),
                kind: r.kind,
                parent_id: r.parent.map(|p| p.id),
                province_id: r.parent.map_or(id, |p| p.province_id),
                depth: r.parent.map_or(0, |p| p.depth + 1),
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                successor_id: None,
            });
        }
    }
    Ok(out)
}

/// Record the successors of divided units with their shares:
/// (unit, successor, share in ten-thousandths).
pub(crate) async fn insert_shares_tx(
    tx: &mut Tx,
    rows: &[(i64, i64, u32)],
) -> Result<(), StoreError> {
    tx.units_changed();
    let sqlite = tx.is_sqlite();
    for chunk in rows.chunks(INSERT_ROWS) {
        let sql = format!(
            "INSERT INTO unit_successor (unit_id, successor_id, share) {}",
            crate::db::values_sql(sqlite, chunk.len(), 3)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (unit, successor, share) in chunk {
                q = q.bind(*unit).bind(*successor).bind(*share as i32);
            }
            q.execute(&mut *c).await?;
        });
    }
    Ok(())
}

/// Forget the shares of `units`, which new ones replace in the same
/// transaction (with larger ids: a cached tree sees the change).
pub(crate) async fn delete_shares_tx(tx: &mut Tx, units: &[i64]) -> Result<(), StoreError> {
    tx.units_changed();
    for id in units {
        on_tx!(tx, c => {
            sqlx::query("DELETE FROM unit_successor WHERE unit_id = $1")
                .bind(*id)
                .execute(&mut *c)
                .await?;
        });
    }
    Ok(())
}

/// Set many units' successors: (unit, successor).
pub(crate) async fn set_successors_tx(tx: &mut Tx, rows: &[(i64, i64)]) -> Result<(), StoreError> {
    tx.units_changed();
    let sqlite = tx.is_sqlite();
    for chunk in rows.chunks(INSERT_ROWS) {
        let sql = format!(
            "UPDATE unit SET successor_id = v.column2 FROM ({}) AS v WHERE unit.id = v.column1",
            crate::db::values_sql(sqlite, chunk.len(), 2)
        );
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (unit, successor) in chunk {
                q = q.bind(*unit).bind(*successor);
            }
            q.execute(&mut *c).await?;
        });
    }
    Ok(())
}

pub(crate) async fn set_successor_tx(
    tx: &mut Tx,
    id: i64,
    successor: i64,
) -> Result<(), StoreError> {
    tx.units_changed();
    on_tx!(tx, c => {
        sqlx::query("UPDATE unit SET successor_id = $1 WHERE id = $2")
            .bind(successor)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}
