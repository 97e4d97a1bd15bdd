//! Reading petitions back, one or a filtered list, masked for the viewer.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::calendar::deadline::Extension;
use danvan_core::records::petition::{Petition, PetitionStatus, PetitionType};
use sqlx::QueryBuilder;

use super::access::{assigned_of, masked};
use super::row::{COLUMNS, ExtRow, ext_from_row, row_to_petition};
use super::{StoredPetition, Viewer, not_found};
use crate::db::on_pool;
use crate::version;
use crate::{Store, StoreError, Version};

/// One petition as `viewer` may see it; outside the store's subtree, not
/// found. Reads on the pool: no write lock.
pub async fn get(store: &Store, id: i64, viewer: Viewer) -> Result<StoredPetition, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM petition WHERE id = $1");
    let mut p = on_pool!(&store.pool, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?;
        let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
        row_to_petition(&row)?.2
    });
    store.check_read(p.unit_id, || not_found(id))?;
    p.extensions = extensions_of(store, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let assigned = assigned_of(store, &[id], viewer).await?.contains(&id);
    Ok(masked(id, p, assigned))
}

/// One petition as `viewer` may see it, and its version, for a correction.
pub async fn get_for_edit(
    store: &Store,
    id: i64,
    viewer: Viewer,
) -> Result<(StoredPetition, Version), StoreError> {
    let v = version::read(store, "petition", id).await?;
    Ok((get(store, id, viewer).await?, v))
}

/// Which petitions to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A unit and its subtree; none is the store's whole subtree. A unit
    /// outside the store's subtree is not found.
    pub unit: Option<i64>,
    /// Received within `from..=to`.
    pub received: Option<(NaiveDate, NaiveDate)>,
    pub kind: Option<PetitionType>,
    pub status: Option<PetitionStatus>,
    pub case_id: Option<i64>,
}

/// Every petition matching `filter`, in id order, as `viewer` may see
/// them: for the API and exports; pages read [`super::page`].
pub async fn list(
    store: &Store,
    filter: &Filter,
    viewer: Viewer,
) -> Result<Vec<StoredPetition>, StoreError> {
    let cols: String = COLUMNS
        .split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The SQL text is built once with numbered placeholders and its values
    // collected, then bound on whichever engine the store runs.
    let mut sql = format!("SELECT {cols} FROM petition p");
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(u) = store.read_root(filter.unit)? {
        binds.push(Bind::I(u));
        sql.push_str(&format!(
            " JOIN unit_path up ON up.unit_id = p.unit_id AND up.ancestor_id = ${}",
            binds.len()
        ));
    }
    sql.push_str(" WHERE 1 = 1");
    if let Some((a, b)) = filter.received {
        binds.push(Bind::D(a));
        binds.push(Bind::D(b));
        sql.push_str(&format!(
            " AND p.received_on BETWEEN ${} AND ${}",
            binds.len() - 1,
            binds.len()
        ));
    }
    if let Some(k) = filter.kind {
        binds.push(Bind::S(k.code()));
        sql.push_str(&format!(" AND p.kind = ${}", binds.len()));
    }
    if let Some(c) = filter.case_id {
        binds.push(Bind::I(c));
        sql.push_str(&format!(" AND p.case_id = ${}", binds.len()));
    }
    if let Some(s) = filter.status {
        sql.push_str(&format!(" AND {}", super::page::status_sql(s)));
    }
    sql.push_str(" ORDER BY p.id");
    let rows: Vec<(i64, Petition)> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            q = match b {
                Bind::I(v) => q.bind(*v),
                Bind::D(v) => q.bind(*v),
                Bind::S(v) => q.bind(*v),
                Bind::T(v) => q.bind(v.as_str()),
            };
        }
        let rows = q.fetch_all(p).await?;
        rows.iter()
            .map(|r| row_to_petition(r).map(|(id, _, p)| (id, p)))
            .collect::<Result<Vec<_>, StoreError>>()?
    });
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let mut exts = extensions_of(store, &ids).await?;
    let assigned = assigned_of(store, &ids, viewer).await?;
    Ok(rows
        .into_iter()
        .map(|(id, mut p)| {
            p.extensions = exts.remove(&id).unwrap_or_default();
            masked(id, p, assigned.contains(&id))
        })
        .collect())
}

/// A value bound to a placeholder of a list's query.
pub(super) enum Bind {
    I(i64),
    D(NaiveDate),
    S(&'static str),
    T(String),
}

pub(super) async fn extensions_of(
    store: &Store,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Extension>>, StoreError> {
    let mut out: HashMap<i64, Vec<Extension>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<ExtRow> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(
                "SELECT petition_id, decided_on, CAST(days AS BIGINT), decision_no FROM petition_extension \
                 WHERE petition_id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY petition_id, seq");
            qb.build_query_as().fetch_all(p).await?
        });
        for r in rows {
            out.entry(r.0).or_default().push(ext_from_row(r));
        }
    }
    Ok(out)
}
