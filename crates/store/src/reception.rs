//! Reception records (tiếp công dân): writes keep facts in step, in one
//! transaction; a bad record writes nothing.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use sqlx::QueryBuilder;

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::listing::{self, fetch_recent};
use crate::version::{self, Versioned};
use crate::{Store, StoreError, Version, units};

type Row = (
    i64,
    i64,
    NaiveDate,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    String,
);

const COLUMNS: &str = "id, unit_id, received_on, official, position, kind, content, outcome, \
                       turns, persons, delegations, delegation_persons, petition_id, note";

fn from_row(r: Row) -> Result<(i64, Reception), StoreError> {
    Ok((
        r.0,
        Reception {
            unit_id: r.1,
            received_on: r.2,
            official: r.3,
            position: r.4,
            kind: ReceptionKind::parse(&r.5)?,
            content: ReceptionContent::parse(&r.6)?,
            outcome: ReceptionOutcome::parse(&r.7)?,
            turns: r.8,
            persons: r.9,
            delegations: r.10,
            delegation_persons: r.11,
            petition_id: r.12,
            note: r.13,
        },
    ))
}

/// Checks a record against the unit tree: the unit exists and existed on
/// the date, and the petition it names, if any, exists, is visible through
/// `store` and was received in the unit's subtree. Returns the unit's
/// province (the record's distribution key).
async fn check(
    tx: &mut Tx,
    store: &Store,
    cache: &mut UnitCache,
    r: &Reception,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    r.validate()?;
    cache
        .resolve(tx, r.unit_id, r.received_on)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::Invalid(
                DomainError::new(
                    "reception.unknown_unit",
                    format!("không tìm thấy đơn vị (mã số {})", r.unit_id),
                )
                .at_field("unit_id"),
            ),
            e => e,
        })?;
    let u = cache.get(r.unit_id).expect("resolved above");
    if r.received_on > today {
        return Err(DomainError::new(
            "reception.future_date",
            format!("ngày tiếp {} ở tương lai", r.received_on.format("%d/%m/%Y")),
        )
        .at_field("received_on")
        .into());
    }
    if let Some(f) = u.valid_from
        && r.received_on < f
    {
        return Err(DomainError::new(
            "reception.before_unit",
            format!(
                "{} chỉ có từ ngày {}, không thể ghi nhận việc tiếp ngày {}",
                u.full_name(),
                f.format("%d/%m/%Y"),
                r.received_on.format("%d/%m/%Y")
            ),
        )
        .at_field("received_on")
        .into());
    }
    let (province_id, name) = (u.province_id, u.full_name());
    if let Some(id) = r.petition_id {
        check_petition(tx, store, r.unit_id, &name, id).await?;
    }
    Ok(province_id)
}

/// The petition taken in at a reception must exist and belong to the
/// reception's unit or a unit below it. A petition outside the store's
/// subtree is refused in the words of one that does not exist: the
/// refusal must tell neither that it exists nor which unit received it.
async fn check_petition(
    tx: &mut Tx,
    store: &Store,
    unit_id: i64,
    unit_name: &str,
    petition_id: i64,
) -> Result<(), StoreError> {
    let petition_unit: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(petition_unit) = petition_unit.filter(|&u| store.permits(u)) else {
        return Err(DomainError::new(
            "reception.unknown_petition",
            format!("không tìm thấy đơn số {petition_id}"),
        )
        .at_field("petition_id")
        .into());
    };
    let within: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT unit_id FROM unit_path WHERE unit_id = $1 AND ancestor_id = $2")
            .bind(petition_unit)
            .bind(unit_id)
            .fetch_optional(&mut *c)
            .await?
    });
    if within.is_none() {
        let other = units::by_id_tx(tx, petition_unit).await?.map_or_else(
            || format!("đơn vị mã số {petition_unit}"),
            |u| u.full_name(),
        );
        return Err(DomainError::new(
            "reception.petition_unit",
            format!(
                "đơn số {petition_id} do {other} nhận, không thuộc {unit_name} hay đơn vị trực thuộc"
            ),
        )
        .at_field("petition_id")
        .into());
    }
    Ok(())
}

fn contributions(r: &Reception) -> Vec<Contribution> {
    let mut out = Vec::new();
    r.contributions(&mut out);
    out
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Insert many receptions in one transaction; their facts are summed in
/// memory and written once, and each is logged. Any bad record (reported
/// with its position, 1-based) or one outside the store's subtree, and
/// nothing is written.
pub async fn insert_many(store: &Store, records: &[Reception]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut provinces = Vec::with_capacity(records.len());
    let today = today();
    for (i, r) in records.iter().enumerate() {
        store.check_write(r.unit_id)?;
        let p = check(&mut tx, store, &mut cache, r, today)
            .await
            .map_err(|e| match e {
                StoreError::Invalid(d) if records.len() > 1 => {
                    StoreError::Invalid(d.at_line(i + 1))
                }
                e => e,
            })?;
        provinces.push(p);
        delta.add(&mut tx, &mut cache, &contributions(r), 1).await?;
    }
    let mut ids = Vec::with_capacity(records.len());
    for (chunk, provs) in records.chunks(1000).zip(provinces.chunks(1000)) {
        let got: Vec<i64> = on_tx!(&mut tx, c => {
            let mut qb = QueryBuilder::new(
                "INSERT INTO reception (province_id, unit_id, received_on, official, position, kind, content, \
                 outcome, turns, persons, delegations, delegation_persons, petition_id, note) ",
            );
            qb.push_values(chunk.iter().zip(provs), |mut b, (r, p)| {
                b.push_bind(*p)
                    .push_bind(r.unit_id)
                    .push_bind(r.received_on)
                    .push_bind(r.official.as_str())
                    .push_bind(r.position.as_str())
                    .push_bind(r.kind.code())
                    .push_bind(r.content.code())
                    .push_bind(r.outcome.code())
                    .push_bind(r.turns)
                    .push_bind(r.persons)
                    .push_bind(r.delegations)
                    .push_bind(r.delegation_persons)
                    .push_bind(r.petition_id)
                    .push_bind(r.note.as_str());
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar().fetch_all(&mut *c).await?
        });
        ids.extend(got);
    }
    delta.apply(&mut tx).await?;
    audit::log_many(&mut tx, store, created(&ids, records)).await?;
    tx.commit().await?;
    Ok(ids)
}

/// One `create` entry per inserted record.
fn created(ids: &[i64], records: &[Reception]) -> Vec<Change> {
    ids.iter()
        .zip(records)
        .map(|(&id, r)| {
            Change::new(Action::Create, ENTITY, id)
                .unit(r.unit_id)
                .after(&WithId { id, record: r })
        })
        .collect()
}

/// The record type's name in the audit log.
const ENTITY: &str = "reception";

fn not_found(id: i64) -> String {
    format!("lượt tiếp công dân số {id}")
}

/// Insert one reception.
pub async fn insert(store: &Store, r: &Reception) -> Result<i64, StoreError> {
    Ok(insert_many(store, std::slice::from_ref(r)).await?[0])
}

/// A stored reception, for a change: outside the store's subtree it is
/// not found, as for a read.
async fn get_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<Reception, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM reception WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?
    });
    let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
    let r = from_row(row)?.1;
    store.check_read(r.unit_id, || not_found(id))?;
    Ok(r)
}

/// One reception; outside the store's subtree, not found.
pub async fn get(store: &Store, id: i64) -> Result<Reception, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM reception WHERE id = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
    });
    let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
    let r = from_row(row)?.1;
    store.check_read(r.unit_id, || not_found(id))?;
    Ok(r)
}

/// One reception and its version, for a correction.
pub async fn get_for_edit(store: &Store, id: i64) -> Result<(Reception, Version), StoreError> {
    let v = version::read(store, Versioned::Reception, id).await?;
    Ok((get(store, id).await?, v))
}

/// Replace a reception (any field, including its unit or date): the old
/// contributions are taken out of the facts and the new ones put in.
/// `read` is the version the correction was made on; a later one refuses it.
pub async fn update(
    store: &Store,
    id: i64,
    r: &Reception,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    store.check_write(r.unit_id)?;
    version::claim(&mut tx, Versioned::Reception, id, read, || not_found(id)).await?;
    let mut cache = UnitCache::default();
    let province = check(&mut tx, store, &mut cache, r, today()).await?;
    facts::replace(&mut tx, &mut cache, &contributions(&old), &contributions(r)).await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE reception SET province_id = $1, unit_id = $2, received_on = $3, official = $4, position = $5, \
             kind = $6, content = $7, outcome = $8, turns = $9, persons = $10, delegations = $11, \
             delegation_persons = $12, petition_id = $13, note = $14 WHERE id = $15",
        )
        .bind(province)
        .bind(r.unit_id)
        .bind(r.received_on)
        .bind(r.official.as_str())
        .bind(r.position.as_str())
        .bind(r.kind.code())
        .bind(r.content.code())
        .bind(r.outcome.code())
        .bind(r.turns)
        .bind(r.persons)
        .bind(r.delegations)
        .bind(r.delegation_persons)
        .bind(r.petition_id)
        .bind(r.note.as_str())
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

/// Delete a reception and take its contributions out of the facts.
pub async fn delete(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    let mut cache = UnitCache::default();
    facts::replace(&mut tx, &mut cache, &contributions(&old), &[]).await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM reception WHERE id = $1").bind(id).execute(&mut *c).await?;
    });
    let change = Change::new(Action::Delete, ENTITY, id)
        .unit(old.unit_id)
        .before(&WithId { id, record: &old });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Every reception with its id (for recounts and exports), of the
/// store's subtree when it is limited to one.
pub async fn all(store: &Store) -> Result<Vec<(i64, Reception)>, StoreError> {
    let cols: Vec<String> = COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect();
    let cols = cols.join(", ");
    let root = store.read_root(None)?;
    let sql = match root {
        Some(_) => format!(
            "SELECT {cols} FROM reception r JOIN unit_path up ON up.unit_id = r.unit_id \
             WHERE up.ancestor_id = $1 ORDER BY r.id"
        ),
        None => format!("SELECT {cols} FROM reception r ORDER BY r.id"),
    };
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if let Some(u) = root {
            q = q.bind(u);
        }
        q.fetch_all(p).await?
    });
    rows.into_iter().map(from_row).collect()
}

/// The newest receptions of a unit's subtree (of the store's whole subtree
/// when `unit` is `None`), at most `limit`.
pub async fn list(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, Reception)>, StoreError> {
    let cols: Vec<String> = COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect();
    let q = listing::recent(store, &cols.join(", "), "reception r", unit, limit)?;
    fetch_recent!(store, q, Row)
        .into_iter()
        .map(from_row)
        .collect()
}

/// Sum of turns over a subtree and range computed by scanning raw records:
/// the slow reference the benchmark compares the fact read with.
pub async fn scan_turns(
    store: &Store,
    ancestor: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, StoreError> {
    let ancestor = store.read_root(ancestor)?;
    on_pool!(&store.pool, p => {
        let v: Option<i64> = match ancestor {
            Some(a) => sqlx::query_scalar(
                "SELECT CAST(SUM(r.turns) AS BIGINT) FROM reception r JOIN unit_path up ON up.unit_id = r.unit_id \
                 WHERE up.ancestor_id = $1 AND r.received_on BETWEEN $2 AND $3",
            )
            .bind(a)
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?,
            None => sqlx::query_scalar(
                "SELECT CAST(SUM(turns) AS BIGINT) FROM reception WHERE received_on BETWEEN $1 AND $2",
            )
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?,
        };
        Ok(v.unwrap_or(0))
    })
}
