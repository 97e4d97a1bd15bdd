//! "Dân vận khéo" models and their yearly entries. A model-year feeds the
//! facts on its recorded date; changing a year's status moves its facts.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::model::{
    Model, ModelEntry, ModelField, ModelLevel, ModelStatus, ModelYear,
};

use serde::Serialize;

use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::listing::{self, IdCursor, fetch_recent};
use crate::placing::{at_position, place};
use crate::version;
use crate::{Store, StoreError, Version};

fn contributions(m: &Model, y: &ModelYear) -> Vec<Contribution> {
    let mut out = Vec::new();
    ModelEntry { model: m, year: y }.contributions(&mut out);
    out
}

/// The record type's name in the audit log.
const ENTITY: &str = "model";

fn not_found(id: i64) -> String {
    format!("mô hình số {id}")
}

/// A model as logged: its id, fields and years.
#[derive(Serialize)]
struct Logged<'a> {
    id: i64,
    #[serde(flatten)]
    model: &'a Model,
    years: &'a [ModelYear],
}

/// A stored model; outside the store's subtree it is not found.
async fn model_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<(i64, Model), StoreError> {
    let row: Option<(i64, i64, String, String, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT province_id, unit_id, name, level, field FROM model WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    let r = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
    store.check_read(r.1, || not_found(id))?;
    Ok((
        r.0,
        Model {
            unit_id: r.1,
            name: r.2,
            level: ModelLevel::parse(&r.3)?,
            field: ModelField::parse(&r.4)?,
        },
    ))
}

async fn year_tx(tx: &mut Tx, id: i64, year: i32) -> Result<Option<ModelYear>, StoreError> {
    let row: Option<(NaiveDate, String, bool, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT recorded_on, status, recognised, award FROM model_year WHERE model_id = $1 AND year = $2")
            .bind(id)
            .bind(year)
            .fetch_optional(&mut *c)
            .await?
    });
    row.map(|r| {
        Ok(ModelYear {
            year,
            recorded_on: r.0,
            status: ModelStatus::parse(&r.1)?,
            recognised: r.2,
            award: r.3,
        })
    })
    .transpose()
}

/// Insert models, each with its yearly entries, each logged; one bad model
/// or entry (reported with the model's position), or a model outside the
/// store's subtree, and nothing is written.
pub async fn insert_many(
    store: &Store,
    models: &[(Model, Vec<ModelYear>)],
) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut ids = Vec::with_capacity(models.len());
    let mut created = Vec::with_capacity(models.len());
    for (i, (m, years)) in models.iter().enumerate() {
        store.check_write(m.unit_id)?;
        let mut province = 0;
        let checked: Result<(), StoreError> = async {
            m.validate()?;
            for y in years {
                y.validate()?;
                province = place_year(&mut tx, &mut cache, m, y).await?;
            }
            if years.is_empty() {
                return Err(DomainError::new(
                    "model.no_year",
                    "mô hình phải có ít nhất một năm đăng ký",
                )
                .into());
            }
            let mut ys: Vec<i32> = years.iter().map(|y| y.year).collect();
            ys.sort_unstable();
            if ys.windows(2).any(|w| w[0] == w[1]) {
                return Err(DomainError::new(
                    "model.duplicate_year",
                    "một năm chỉ ghi một tình trạng",
                )
                .into());
            }
            Ok(())
        }
        .await;
        checked.map_err(|e| at_position(e, i, models.len()))?;
        let id: i64 = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO model (province_id, unit_id, name, level, field) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(province)
            .bind(m.unit_id)
            .bind(m.name.as_str())
            .bind(m.level.code())
            .bind(m.field.code())
            .fetch_one(&mut *c)
            .await?
        });
        for y in years {
            write_year(&mut tx, province, id, y).await?;
            delta
                .add(&mut tx, &mut cache, &contributions(m, y), 1)
                .await?;
        }
        ids.push(id);
        created.push(
            Change::new(Action::Create, ENTITY, id)
                .unit(m.unit_id)
                .after(&Logged {
                    id,
                    model: m,
                    years,
                }),
        );
    }
    delta.apply(&mut tx).await?;
    audit::log_many(&mut tx, store, created).await?;
    tx.commit().await?;
    Ok(ids)
}

async fn write_year(tx: &mut Tx, province: i64, id: i64, y: &ModelYear) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO model_year (province_id, model_id, year, recorded_on, status, recognised, award) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (model_id, year) DO UPDATE SET \
             recorded_on = excluded.recorded_on, status = excluded.status, \
             recognised = excluded.recognised, award = excluded.award",
        )
        .bind(province)
        .bind(id)
        .bind(y.year)
        .bind(y.recorded_on)
        .bind(y.status.code())
        .bind(y.recognised)
        .bind(y.award.as_str())
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// A model, its years and its version, for recording a year.
pub async fn get_for_edit(
    store: &Store,
    id: i64,
) -> Result<((Model, Vec<ModelYear>), Version), StoreError> {
    let v = version::read(store, "model", id).await?;
    Ok((get(store, id).await?, v))
}

/// The province of the model's unit on the day a year's entry was
/// recorded, which must fall where the unit existed.
async fn place_year(
    tx: &mut Tx,
    cache: &mut UnitCache,
    m: &Model,
    y: &ModelYear,
) -> Result<i64, StoreError> {
    let what = "ngày ghi nhận mô hình";
    place(tx, cache, m.unit_id, y.recorded_on, what, "recorded_on").await
}

/// Record (or replace) a model's entry for a year; logged as an update of
/// the model, the year's old entry before and its new one after. `read` is
/// the version the entry was made on; a later one refuses it.
pub async fn set_year(
    store: &Store,
    id: i64,
    y: &ModelYear,
    read: Version,
) -> Result<(), StoreError> {
    y.validate()?;
    let mut tx = store.begin().await?;
    let (_, m) = model_tx(&mut tx, store, id).await?;
    store.check_write(m.unit_id)?;
    version::claim(&mut tx, "model", id, read, || not_found(id)).await?;
    let mut cache = UnitCache::default();
    let province = place_year(&mut tx, &mut cache, &m, y).await?;
    let old = year_tx(&mut tx, id, y.year).await?;
    let old_facts = old
        .as_ref()
        .map(|o| contributions(&m, o))
        .unwrap_or_default();
    facts::replace(&mut tx, &mut cache, &old_facts, &contributions(&m, y)).await?;
    write_year(&mut tx, province, id, y).await?;
    let mut change = Change::new(Action::Update, ENTITY, id)
        .unit(m.unit_id)
        .after(y);
    if let Some(o) = &old {
        change = change.before(o);
    }
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// A model and its years, oldest first.
pub async fn get(store: &Store, id: i64) -> Result<(Model, Vec<ModelYear>), StoreError> {
    let mut tx = store.begin_read().await?;
    let (_, m) = model_tx(&mut tx, store, id).await?;
    let years: Vec<i32> = on_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT year FROM model_year WHERE model_id = $1 ORDER BY year")
            .bind(id)
            .fetch_all(&mut *c)
            .await?
    });
    let mut out = Vec::new();
    for y in years {
        out.extend(year_tx(&mut tx, id, y).await?);
    }
    tx.end_read().await?;
    Ok((m, out))
}

/// A model listed, with its latest year.
pub type Listed = (i64, Model, Option<ModelYear>);

/// The newest models of a unit's subtree (of the store's whole subtree
/// when `unit` is `None`), at most `limit`, each with its latest year.
pub async fn list(store: &Store, unit: Option<i64>, limit: i64) -> Result<Vec<Listed>, StoreError> {
    list_page(store, unit, limit, IdCursor::First).await
}

/// [`list`] on the page `cursor` names (newest first, by number).
pub async fn list_page(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
    cursor: IdCursor,
) -> Result<Vec<Listed>, StoreError> {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        Option<i32>,
        Option<NaiveDate>,
        Option<String>,
        Option<bool>,
        Option<String>,
    );
    let q = listing::recent_within(
        store,
        "r.id, r.unit_id, r.name, r.level, r.field, y.year, y.recorded_on, y.status, y.recognised, y.award",
        "model r LEFT JOIN model_year y ON y.model_id = r.id \
         AND y.year = (SELECT MAX(l.year) FROM model_year l WHERE l.model_id = r.id)",
        unit,
        None,
        limit,
        cursor,
    )?;
    fetch_recent!(store, q, Row)
        .into_iter()
        .map(|r| {
            let year = match (r.5, r.6, r.7) {
                (Some(year), Some(recorded_on), Some(status)) => Some(ModelYear {
                    year,
                    recorded_on,
                    status: ModelStatus::parse(&status)?,
                    recognised: r.8.unwrap_or(false),
                    award: r.9.unwrap_or_default(),
                }),
                _ => None,
            };
            let model = Model {
                unit_id: r.1,
                name: r.2,
                level: ModelLevel::parse(&r.3)?,
                field: ModelField::parse(&r.4)?,
            };
            Ok((r.0, model, year))
        })
        .collect()
}
