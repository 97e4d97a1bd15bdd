//! Đợt đánh giá: a unit opens a round for a year on a criteria sheet (the
//! version in force that year, or explicitly a trial on a sheet not yet in
//! force) for the units below it, fixed when the round opens.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use danvan_core::DomainError;
use danvan_core::scoring::{self, Sheet};
use serde::Serialize;
use sqlx::QueryBuilder;

use crate::audit::{self, Action, Change};
use crate::chain::requests::Target;
use crate::db::{on_pool, on_tx};
use crate::units::{self, Unit};
use crate::{Store, StoreError};

/// A round as its opener fills it in.
#[derive(Debug, Clone)]
pub struct NewRound {
    /// The unit that opens the round and reviews the assessments.
    pub unit_id: i64,
    pub year: i32,
    /// The sheet's id ("nd335").
    pub sheet: String,
    /// Score on the sheet even if it is not yet in force that year.
    pub trial: bool,
    /// Blank for "Đánh giá, phân loại công tác dân vận năm …".
    pub title: String,
    pub target: Target,
    pub chosen: Vec<i64>,
}

/// A stored round.
#[derive(Debug, Clone, Serialize)]
pub struct Round {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub sheet: String,
    pub sheet_version: i64,
    pub trial: bool,
    pub title: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    /// The units scored, in the unit tree's order.
    pub targets: Vec<i64>,
}

impl Round {
    /// The sheet the round scores on.
    pub fn sheet(&self) -> Result<&'static Sheet, StoreError> {
        scoring::by_version(&self.sheet, self.sheet_version).ok_or_else(|| {
            DomainError::new(
                "scoring.corrupt",
                format!(
                    "đợt đánh giá số {} dùng bảng tiêu chí «{}» bản {}, không còn trong chương trình",
                    self.id, self.sheet, self.sheet_version
                ),
            )
            .into()
        })
    }
}

fn invalid(code: &'static str, field: &'static str, msg: impl Into<String>) -> StoreError {
    DomainError::new(code, msg.into()).at_field(field).into()
}

/// "Đánh giá, phân loại công tác dân vận năm 2020".
pub fn default_title(year: i32) -> String {
    format!("Đánh giá, phân loại công tác dân vận năm {year}")
}

fn targets(tree: &units::UnitTree, unit: &Unit, r: &NewRound) -> Result<Vec<i64>, StoreError> {
    let end = NaiveDate::from_ymd_opt(r.year, 12, 31).expect("a checked year");
    let subtree = tree.subtree(unit.id);
    let below = |u: &Unit| -> bool {
        u.id != unit.id && (unit.is_country() || subtree.as_ref().is_some_and(|s| s.contains(u.id)))
    };
    let ids: Vec<i64> = match r.target {
        Target::Communes | Target::Districts => tree
            .all()
            .iter()
            .filter(|u| u.valid_on(end) && below(u))
            .filter(|u| match r.target {
                Target::Communes => u.kind.is_commune_level(),
                _ => u.kind.is_district_like(),
            })
            .map(|u| u.id)
            .collect(),
        Target::Chosen => {
            let mut ids = Vec::new();
            for id in &r.chosen {
                let u = tree.get(*id).ok_or_else(|| {
                    invalid(
                        "scoring.unit",
                        "chosen",
                        format!("không có đơn vị mã số {id}"),
                    )
                })?;
                if !below(u) {
                    return Err(invalid(
                        "scoring.unit",
                        "chosen",
                        format!(
                            "{} không trực thuộc {}; chỉ đánh giá được các đơn vị cấp dưới",
                            u.full_name(),
                            unit.full_name()
                        ),
                    ));
                }
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
            ids
        }
    };
    if ids.is_empty() {
        return Err(invalid(
            "scoring.no_target",
            "target",
            format!(
                "{} không có đơn vị nào thuộc «{}» trong năm {}",
                unit.full_name(),
                r.target.label(),
                r.year
            ),
        ));
    }
    Ok(ids)
}

/// Open a round; logged. Only a user of the opening unit (or above) may.
pub async fn open(store: &Store, r: &NewRound) -> Result<i64, StoreError> {
    let this_year = store.today().year();
    if !(2000..=this_year).contains(&r.year) {
        return Err(invalid(
            "scoring.year",
            "year",
            format!("năm đánh giá {} phải từ 2000 đến {this_year}", r.year),
        ));
    }
    let sheet = scoring::in_force(r.sheet.trim(), r.year, r.trial)?;
    if sheet.draft {
        return Err(invalid(
            "scoring.draft",
            "sheet",
            format!(
                "bảng tiêu chí «{}» còn là bản nháp, chưa đối chiếu đủ với văn bản gốc; \
                 chưa mở được đợt đánh giá theo bảng này",
                sheet.id
            ),
        ));
    }
    let trial = r.year < sheet.applies_from;
    if r.title.chars().count() > 300 {
        return Err(invalid(
            "scoring.title",
            "title",
            "tên đợt đánh giá dài quá 300 ký tự",
        ));
    }
    store.check_write(r.unit_id)?;
    let tree = units::tree(store).await?;
    let unit = tree
        .get(r.unit_id)
        .cloned()
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {}", r.unit_id)))?;
    let ids = targets(&tree, &unit, r)?;
    let title = if r.title.trim().is_empty() {
        default_title(r.year)
    } else {
        r.title.trim().to_string()
    };
    let now = store.now();
    let mut tx = store.begin().await?;
    let same: Option<i64> = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "SELECT id FROM score_round WHERE unit_id = $1 AND year = $2 AND sheet = $3",
        )
        .bind(unit.id)
        .bind(r.year)
        .bind(&sheet.id)
        .fetch_optional(&mut *c)
        .await?
    });
    if let Some(other) = same {
        return Err(invalid(
            "scoring.duplicate",
            "year",
            format!(
                "{} đã mở đợt đánh giá năm {} theo bảng «{}» (đợt số {other})",
                unit.full_name(),
                r.year,
                sheet.id
            ),
        ));
    }
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO score_round (province_id, unit_id, year, sheet, sheet_version, trial, \
             title, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(r.year)
        .bind(&sheet.id)
        .bind(sheet.version)
        .bind(trial)
        .bind(&title)
        .bind(now)
        .bind(store.actor().user_id)
        .fetch_one(&mut *c)
        .await?
    });
    on_tx!(&mut tx, c => {
        let mut qb = QueryBuilder::new(
            "INSERT INTO score_round_target (round_id, province_id, unit_id) ",
        );
        qb.push_values(&ids, |mut b, u| {
            let province = tree.get(*u).map_or(unit.province_id, |x| x.province_id);
            b.push_bind(id).push_bind(province).push_bind(*u);
        });
        qb.build().execute(&mut *c).await?;
    });
    let change = Change::new(Action::Create, "score_round", id)
        .unit(unit.id)
        .after(&serde_json::json!({
            "id": id, "year": r.year, "sheet": sheet.id, "sheet_version": sheet.version,
            "trial": trial, "title": title, "units": ids.len(),
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

type Row = (
    i64,
    i64,
    i32,
    String,
    i64,
    bool,
    String,
    NaiveDateTime,
    Option<i64>,
);

const COLUMNS: &str = "r.id, r.unit_id, r.year, r.sheet, r.sheet_version, r.trial, r.title, r.created_at, r.created_by";

async fn targets_of(store: &Store, id: i64) -> Result<Vec<i64>, StoreError> {
    let ids: Vec<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT unit_id FROM score_round_target WHERE round_id = $1")
            .bind(id)
            .fetch_all(p)
            .await?
    });
    let tree = units::tree(store).await?;
    Ok(tree
        .in_tree_order(None)
        .into_iter()
        .map(|(_, u)| u.id)
        .filter(|u| ids.contains(u))
        .collect())
}

async fn from_row(store: &Store, r: Row) -> Result<Round, StoreError> {
    let (id, unit_id, year, sheet, sheet_version, trial, title, created_at, created_by) = r;
    Ok(Round {
        id,
        unit_id,
        year,
        sheet,
        sheet_version,
        trial,
        title,
        created_at,
        created_by,
        targets: targets_of(store, id).await?,
    })
}

fn visible(store: &Store, r: &Round) -> bool {
    store.permits(r.unit_id) || r.targets.iter().any(|u| store.permits(*u))
}

/// A round, for the opening unit's subtree and the units scored.
pub async fn get(store: &Store, id: i64) -> Result<Round, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM score_round r WHERE r.id = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
    });
    let what = || format!("đợt đánh giá số {id}");
    let round = from_row(store, row.ok_or_else(|| StoreError::NotFound(what()))?).await?;
    if visible(store, &round) {
        Ok(round)
    } else {
        Err(StoreError::NotFound(what()))
    }
}

/// The rounds the user may see, newest year first.
pub async fn list(store: &Store) -> Result<Vec<Round>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM score_round r ORDER BY r.year DESC, r.id DESC LIMIT 500");
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    let mut out = Vec::new();
    for row in rows {
        let r = from_row(store, row).await?;
        if visible(store, &r) {
            out.push(r);
        }
    }
    Ok(out)
}

/// The rounds of `year` the user may see.
pub async fn of_year(store: &Store, year: i32) -> Result<Vec<Round>, StoreError> {
    Ok(list(store)
        .await?
        .into_iter()
        .filter(|r| r.year == year)
        .collect())
}

/// The round the same unit opened a year earlier (any sheet), for the
/// comparison with last year.
pub async fn previous(store: &Store, r: &Round) -> Result<Option<Round>, StoreError> {
    let id: Option<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar(
            "SELECT id FROM score_round WHERE unit_id = $1 AND year = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(r.unit_id)
        .bind(r.year - 1)
        .fetch_optional(p)
        .await?
    });
    match id {
        Some(id) => get(store, id).await.map(Some).or_else(|e| match e {
            StoreError::NotFound(_) => Ok(None),
            e => Err(e),
        }),
        None => Ok(None),
    }
}

/// Whether the store's user reviews the round: the opening unit is in
/// their subtree and they are not one of the units scored.
pub fn may_review(store: &Store, r: &Round) -> bool {
    store.permits(r.unit_id) && !store.scope().is_some_and(|s| r.targets.contains(&s.root))
}
