//! Mediation cases (hòa giải ở cơ sở): writes keep facts in step in one
//! transaction; a result that changes later (đang hòa giải → thành) is an
//! update that moves the case's fact.

use chrono::NaiveDate;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use sqlx::QueryBuilder;

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::listing::{self, fetch_recent};
use crate::placing::{at_position, place};
use crate::version::{self, Versioned};
use crate::{Store, StoreError, Version};

/// A stored case with its id: `id, unit_id, received_on, team, field,
/// result, summary`, in that order.
type Row = (i64, i64, NaiveDate, String, String, String, String);

/// The columns of [`Row`], with the table aliased `r`.
const COLUMNS: &str = "r.id, r.unit_id, r.received_on, r.team, r.field, r.result, r.summary";

fn from_row(r: Row) -> Result<(i64, MediationCase), StoreError> {
    Ok((
        r.0,
        MediationCase {
            unit_id: r.1,
            received_on: r.2,
            team: r.3,
            field: MediationField::parse(&r.4)?,
            result: MediationResult::parse(&r.5)?,
            summary: r.6,
        },
    ))
}

/// The record type's name in the audit log.
const ENTITY: &str = "mediation";

fn not_found(id: i64) -> String {
    format!("vụ việc hòa giải số {id}")
}

fn contributions(r: &MediationCase) -> Vec<Contribution> {
    let mut out = Vec::new();
    r.contributions(&mut out);
    out
}

async fn check(tx: &mut Tx, cache: &mut UnitCache, r: &MediationCase) -> Result<i64, StoreError> {
    r.validate()?;
    place(
        tx,
        cache,
        r.unit_id,
        r.received_on,
        "ngày tiếp nhận vụ việc",
        "received_on",
    )
    .await
}

/// Insert cases in one transaction, each logged; one bad case (reported
/// with its position) or one outside the store's subtree, and nothing is
/// written.
pub async fn insert_many(store: &Store, cases: &[MediationCase]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut provinces = Vec::with_capacity(cases.len());
    for (i, r) in cases.iter().enumerate() {
        store.check_write(r.unit_id)?;
        let p = check(&mut tx, &mut cache, r)
            .await
            .map_err(|e| at_position(e, i, cases.len()))?;
        provinces.push(p);
        delta.add(&mut tx, &mut cache, &contributions(r), 1).await?;
    }
    let mut ids = Vec::with_capacity(cases.len());
    for (chunk, provs) in cases.chunks(1000).zip(provinces.chunks(1000)) {
        let got: Vec<i64> = on_tx!(&mut tx, c => {
            let mut qb = QueryBuilder::new(
                "INSERT INTO mediation_case (province_id, unit_id, received_on, team, field, result, summary) ",
            );
            qb.push_values(chunk.iter().zip(provs), |mut b, (r, p)| {
                b.push_bind(*p)
                    .push_bind(r.unit_id)
                    .push_bind(r.received_on)
                    .push_bind(r.team.as_str())
                    .push_bind(r.field.code())
                    .push_bind(r.result.code())
                    .push_bind(r.summary.as_str());
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar().fetch_all(&mut *c).await?
        });
        ids.extend(got);
    }
    delta.apply(&mut tx).await?;
    let created = ids.iter().zip(cases).map(|(&id, r)| {
        Change::new(Action::Create, ENTITY, id)
            .unit(r.unit_id)
            .after(&WithId { id, record: r })
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// A stored case; outside the store's subtree it is not found.
async fn get_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<MediationCase, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM mediation_case r WHERE r.id = $1");
    let row: Option<Row> = on_tx!(tx, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?
    });
    let (_, case) = from_row(row.ok_or_else(|| StoreError::NotFound(not_found(id)))?)?;
    store.check_read(case.unit_id, || not_found(id))?;
    Ok(case)
}

pub async fn get(store: &Store, id: i64) -> Result<MediationCase, StoreError> {
    let mut tx = store.begin().await?;
    let r = get_tx(&mut tx, store, id).await?;
    tx.end_read().await?;
    Ok(r)
}

/// One case and its version, for a correction.
pub async fn get_for_edit(store: &Store, id: i64) -> Result<(MediationCase, Version), StoreError> {
    let v = version::read(store, Versioned::Mediation, id).await?;
    Ok((get(store, id).await?, v))
}

/// Replace a case: its old fact is taken out and the new one put in.
/// `read` is the version the correction was made on; a later one refuses it.
pub async fn update(
    store: &Store,
    id: i64,
    r: &MediationCase,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    store.check_write(r.unit_id)?;
    version::claim(&mut tx, Versioned::Mediation, id, read, || not_found(id)).await?;
    let mut cache = UnitCache::default();
    let province = check(&mut tx, &mut cache, r).await?;
    facts::replace(&mut tx, &mut cache, &contributions(&old), &contributions(r)).await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE mediation_case SET province_id = $1, unit_id = $2, received_on = $3, team = $4, \
             field = $5, result = $6, summary = $7 WHERE id = $8",
        )
        .bind(province)
        .bind(r.unit_id)
        .bind(r.received_on)
        .bind(r.team.as_str())
        .bind(r.field.code())
        .bind(r.result.code())
        .bind(r.summary.as_str())
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Update, ENTITY, id)
        .unit(r.unit_id)
        .before(&WithId { id, record: &old })
        .after(&WithId { id, record: r });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Delete a case and its fact.
pub async fn delete(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    let mut cache = UnitCache::default();
    facts::replace(&mut tx, &mut cache, &contributions(&old), &[]).await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM mediation_case WHERE id = $1").bind(id).execute(&mut *c).await?;
    });
    let change = Change::new(Action::Delete, ENTITY, id)
        .unit(old.unit_id)
        .before(&WithId { id, record: &old });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// The newest cases of a unit's subtree (of the store's whole subtree when
/// `unit` is `None`), at most `limit`.
pub async fn list(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, MediationCase)>, StoreError> {
    let q = listing::recent(store, COLUMNS, "mediation_case r", unit, limit)?;
    fetch_recent!(store, q, Row)
        .into_iter()
        .map(from_row)
        .collect()
}

/// Every case with its id, in id order (for recounts and checks of a
/// restored database), of the store's subtree when it is limited to one.
pub async fn all(store: &Store) -> Result<Vec<(i64, MediationCase)>, StoreError> {
    let root = store.read_root(None)?;
    let sql = match root {
        Some(_) => format!(
            "SELECT {COLUMNS} FROM mediation_case r JOIN unit_path up ON up.unit_id = r.unit_id \
             WHERE up.ancestor_id = $1 ORDER BY r.id"
        ),
        None => format!("SELECT {COLUMNS} FROM mediation_case r ORDER BY r.id"),
    };
    let rows: Vec<Row> = crate::db::on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if let Some(u) = root {
            q = q.bind(u);
        }
        q.fetch_all(p).await?
    });
    rows.into_iter().map(from_row).collect()
}
