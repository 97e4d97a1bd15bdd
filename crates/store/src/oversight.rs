//! Oversight and social-criticism activities: written with their facts in
//! one transaction; a bad activity and nothing is written.

use chrono::NaiveDate;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};

use crate::audit::{self, Action, Change, WithId};
use crate::db::{on_pool, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::listing::{self, fetch_recent};
use crate::placing::{at_position, place};
use crate::{Store, StoreError};

/// The record type's name in the audit log.
const ENTITY: &str = "oversight";

/// Insert activities, each logged; returns their ids. One outside the
/// store's subtree and nothing is written.
pub async fn insert_many(store: &Store, items: &[Oversight]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut ids = Vec::with_capacity(items.len());
    for (i, o) in items.iter().enumerate() {
        store.check_write(o.unit_id)?;
        let province = async {
            o.validate()?;
            place(
                &mut tx,
                &mut cache,
                o.unit_id,
                o.held_on,
                "ngày giám sát, phản biện",
                "held_on",
            )
            .await
        }
        .await
        .map_err(|e| at_position(e, i, items.len()))?;
        let mut c: Vec<Contribution> = Vec::new();
        o.contributions(&mut c);
        delta.add(&mut tx, &mut cache, &c, 1).await?;
        let id: i64 = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO oversight (province_id, unit_id, organisation, kind, held_on, subject, targets, \
                 recommendations) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(province)
            .bind(o.unit_id)
            .bind(o.organisation.code())
            .bind(o.kind.code())
            .bind(o.held_on)
            .bind(o.subject.as_str())
            .bind(o.targets.as_str())
            .bind(o.recommendations)
            .fetch_one(&mut *c)
            .await?
        });
        ids.push(id);
    }
    delta.apply(&mut tx).await?;
    let created = ids.iter().zip(items).map(|(&id, o)| {
        Change::new(Action::Create, ENTITY, id)
            .unit(o.unit_id)
            .after(&WithId { id, record: o })
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// One activity; outside the store's subtree, not found.
pub async fn get(store: &Store, id: i64) -> Result<Oversight, StoreError> {
    type Row = (i64, String, String, NaiveDate, String, String, i64);
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT unit_id, organisation, kind, held_on, subject, targets, recommendations \
             FROM oversight WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    let not_found = || format!("cuộc giám sát, phản biện số {id}");
    let r = row.ok_or_else(|| StoreError::NotFound(not_found()))?;
    store.check_read(r.0, not_found)?;
    Ok(Oversight {
        unit_id: r.0,
        organisation: Organisation::parse(&r.1)?,
        kind: OversightKind::parse(&r.2)?,
        held_on: r.3,
        subject: r.4,
        targets: r.5,
        recommendations: r.6,
    })
}

/// The newest activities of a unit's subtree (of the store's whole subtree
/// when `unit` is `None`), at most `limit`.
pub async fn list(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, Oversight)>, StoreError> {
    type Row = (i64, i64, String, String, NaiveDate, String, String, i64);
    let q = listing::recent(
        store,
        "r.id, r.unit_id, r.organisation, r.kind, r.held_on, r.subject, r.targets, r.recommendations",
        "oversight r",
        unit,
        limit,
    )?;
    fetch_recent!(store, q, Row)
        .into_iter()
        .map(|r| {
            Ok((
                r.0,
                Oversight {
                    unit_id: r.1,
                    organisation: Organisation::parse(&r.2)?,
                    kind: OversightKind::parse(&r.3)?,
                    held_on: r.4,
                    subject: r.5,
                    targets: r.6,
                    recommendations: r.7,
                },
            ))
        })
        .collect()
}
