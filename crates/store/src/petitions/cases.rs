//! Cases (vụ việc): open, correct and read them, with their facts.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::petition::Case;

use super::{CASE, case_not_found, dmy, today};
use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::placing::place;
use crate::version::{self, Versioned};
use crate::{Store, StoreError, Version};

type CaseRow = (
    i64,
    i64,
    NaiveDate,
    String,
    bool,
    bool,
    bool,
    Option<NaiveDate>,
);

fn case_from_row(r: CaseRow) -> (i64, Case) {
    (
        r.0,
        Case {
            unit_id: r.1,
            opened_on: r.2,
            title: r.3,
            complex: r.4,
            crowd: r.5,
            prolonged: r.6,
            resolved_on: r.7,
        },
    )
}

/// Placed like every record (the unit exists, existed on the day the case
/// opened, and that day is not in the future); resolved not in the future.
async fn check_case(tx: &mut Tx, cache: &mut UnitCache, c: &Case) -> Result<i64, StoreError> {
    c.validate()?;
    let province = place(
        tx,
        cache,
        c.unit_id,
        c.opened_on,
        "ngày phát sinh vụ việc",
        "opened_on",
    )
    .await?;
    if let Some(r) = c.resolved_on
        && r > today()
    {
        return Err(DomainError::new(
            "case.future_date",
            format!("ngày giải quyết vụ việc {} ở tương lai", dmy(r)),
        )
        .at_field("resolved_on")
        .into());
    }
    Ok(province)
}

fn case_contributions(c: &Case) -> Vec<Contribution> {
    let mut out = Vec::new();
    c.contributions(&mut out);
    out
}

/// Open a case (logged); a unit outside the store's subtree is forbidden.
pub async fn insert_case(store: &Store, c: &Case) -> Result<i64, StoreError> {
    store.check_write(c.unit_id)?;
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let province = check_case(&mut tx, &mut cache, c).await?;
    let mut delta = FactDelta::new();
    delta
        .add(&mut tx, &mut cache, &case_contributions(c), 1)
        .await?;
    let id: i64 = on_tx!(&mut tx, cx => {
        sqlx::query_scalar(
            "INSERT INTO petition_case (province_id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(province)
        .bind(c.unit_id)
        .bind(c.opened_on)
        .bind(c.title.as_str())
        .bind(c.complex)
        .bind(c.crowd)
        .bind(c.prolonged)
        .bind(c.resolved_on)
        .fetch_one(&mut *cx)
        .await?
    });
    delta.apply(&mut tx).await?;
    let change = Change::new(Action::Create, CASE, id)
        .unit(c.unit_id)
        .after(&WithId { id, record: c });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored case; outside the store's subtree it is not found.
async fn case_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<Case, StoreError> {
    let row: Option<CaseRow> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let case = case_from_row(row.ok_or_else(|| StoreError::NotFound(case_not_found(id)))?).1;
    store.check_read(case.unit_id, || case_not_found(id))?;
    Ok(case)
}

/// One case and its version, for a correction.
pub async fn get_case_for_edit(store: &Store, id: i64) -> Result<(Case, Version), StoreError> {
    let v = version::read(store, Versioned::Case, id).await?;
    Ok((get_case(store, id).await?, v))
}

/// Replace a case (e.g. to record its resolution or a new flag); logged.
/// `read` is the version the correction was made on; a later one refuses it.
pub async fn update_case(
    store: &Store,
    id: i64,
    c: &Case,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = case_tx(&mut tx, store, id).await?;
    store.check_write(c.unit_id)?;
    version::claim(&mut tx, Versioned::Case, id, read, || case_not_found(id)).await?;
    let mut cache = UnitCache::default();
    let province = check_case(&mut tx, &mut cache, c).await?;
    facts::replace(
        &mut tx,
        &mut cache,
        &case_contributions(&old),
        &case_contributions(c),
    )
    .await?;
    on_tx!(&mut tx, cx => {
        sqlx::query(
            "UPDATE petition_case SET province_id = $1, unit_id = $2, opened_on = $3, title = $4, complex = $5, \
             crowd = $6, prolonged = $7, resolved_on = $8 WHERE id = $9",
        )
        .bind(province)
        .bind(c.unit_id)
        .bind(c.opened_on)
        .bind(c.title.as_str())
        .bind(c.complex)
        .bind(c.crowd)
        .bind(c.prolonged)
        .bind(c.resolved_on)
        .bind(id)
        .execute(&mut *cx)
        .await?;
    });
    let change = Change::new(Action::Update, CASE, id)
        .unit(c.unit_id)
        .before(&WithId { id, record: &old })
        .after(&WithId { id, record: c });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// One case; outside the store's subtree, not found.
pub async fn get_case(store: &Store, id: i64) -> Result<Case, StoreError> {
    let row: Option<CaseRow> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await?
    });
    let case = case_from_row(row.ok_or_else(|| StoreError::NotFound(case_not_found(id)))?).1;
    store.check_read(case.unit_id, || case_not_found(id))?;
    Ok(case)
}

/// Every case with its id (for recounts and lists), of the store's
/// subtree when it is limited to one. Cases are few: filtered in memory.
pub async fn all_cases(store: &Store) -> Result<Vec<(i64, Case)>, StoreError> {
    let rows: Vec<CaseRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case ORDER BY id",
        )
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(case_from_row)
        .filter(|(_, c)| store.permits(c.unit_id))
        .collect())
}
