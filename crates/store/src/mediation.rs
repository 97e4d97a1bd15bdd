//! Mediation cases (hòa giải ở cơ sở): writes keep facts in step in one
//! transaction; a result that changes later (đang hòa giải → thành) is an
//! update that moves the case's fact.

use chrono::NaiveDate;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use sqlx::QueryBuilder;

use crate::db::{Tx, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::placing::{at_position, place};
use crate::{Store, StoreError};

type Row = (i64, NaiveDate, String, String, String, String);

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
    )
    .await
}

/// Insert cases in one transaction; one bad case (reported with its
/// position) and nothing is written.
pub async fn insert_many(store: &Store, cases: &[MediationCase]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut provinces = Vec::with_capacity(cases.len());
    for (i, r) in cases.iter().enumerate() {
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
    tx.commit().await?;
    Ok(ids)
}

async fn get_tx(tx: &mut Tx, id: i64) -> Result<MediationCase, StoreError> {
    let row: Option<Row> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT unit_id, received_on, team, field, result, summary FROM mediation_case WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let r = row.ok_or_else(|| StoreError::NotFound(format!("vụ việc hòa giải số {id}")))?;
    Ok(MediationCase {
        unit_id: r.0,
        received_on: r.1,
        team: r.2,
        field: MediationField::parse(&r.3)?,
        result: MediationResult::parse(&r.4)?,
        summary: r.5,
    })
}

pub async fn get(store: &Store, id: i64) -> Result<MediationCase, StoreError> {
    let mut tx = store.begin().await?;
    let r = get_tx(&mut tx, id).await?;
    tx.commit().await?;
    Ok(r)
}

/// Replace a case: its old fact is taken out and the new one put in.
pub async fn update(store: &Store, id: i64, r: &MediationCase) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, id).await?;
    let mut cache = UnitCache::default();
    let province = check(&mut tx, &mut cache, r).await?;
    let mut delta = FactDelta::new();
    delta
        .add(&mut tx, &mut cache, &contributions(&old), -1)
        .await?;
    delta.add(&mut tx, &mut cache, &contributions(r), 1).await?;
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
    delta.apply(&mut tx).await?;
    tx.commit().await
}

/// Delete a case and its fact.
pub async fn delete(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, id).await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    delta
        .add(&mut tx, &mut cache, &contributions(&old), -1)
        .await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM mediation_case WHERE id = $1").bind(id).execute(&mut *c).await?;
    });
    delta.apply(&mut tx).await?;
    tx.commit().await
}
