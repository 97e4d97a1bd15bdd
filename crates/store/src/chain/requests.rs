//! Yêu cầu báo cáo: a unit asks units below it for a report of a template
//! and period by a due date, citing its document ("Công văn số
//! 1027-CV/BDVTU"). The units asked are fixed when the request is made.

use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::DomainError;
use danvan_core::period::Period;
use serde::Serialize;
use sqlx::QueryBuilder;

use super::{dmy, period_from, period_parts};
use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::units::{self, Unit};
use crate::{Store, StoreError};

/// Which units a request asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Every commune, ward and township below the unit (cấp xã).
    Communes,
    /// Every district-level unit below it (cấp huyện).
    Districts,
    /// The units chosen one by one.
    Chosen,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Communes, Target::Districts, Target::Chosen];

    pub fn code(self) -> &'static str {
        match self {
            Target::Communes => "communes",
            Target::Districts => "districts",
            Target::Chosen => "chosen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Target::Communes => "tất cả đơn vị cấp xã",
            Target::Districts => "tất cả đơn vị cấp huyện",
            Target::Chosen => "các đơn vị được chọn",
        }
    }

    pub fn parse(s: &str) -> Result<Target, DomainError> {
        Target::ALL
            .into_iter()
            .find(|t| t.code() == s.trim())
            .ok_or_else(|| {
                DomainError::new(
                    "request.target",
                    format!("đối tượng «{s}» không có; dùng communes, districts hoặc chosen"),
                )
                .at_field("target")
            })
    }
}

/// A request as its author fills it in.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// The unit that asks.
    pub unit_id: i64,
    pub template: String,
    pub period: Period,
    pub due_on: NaiveDate,
    /// Số, ký hiệu of the document it cites.
    pub document: String,
    /// "Báo cáo kết quả công tác dân vận 6 tháng đầu năm 2020"; blank for
    /// one made from the period.
    pub title: String,
    pub target: Target,
    /// The units asked, for [`Target::Chosen`].
    pub chosen: Vec<i64>,
}

/// A stored request.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: i64,
    pub unit_id: i64,
    pub template: String,
    pub period: Period,
    pub due_on: NaiveDate,
    pub document: String,
    pub title: String,
    pub target: Target,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    /// The units asked, in the unit tree's order.
    pub targets: Vec<i64>,
}

impl Request {
    /// Whole days from `today` to the due date; negative once overdue.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.due_on - today).num_days()
    }

    /// "Hạn 05/07/2020".
    pub fn due_label(&self) -> String {
        dmy(self.due_on)
    }
}

fn invalid(code: &'static str, field: &'static str, msg: impl Into<String>) -> StoreError {
    DomainError::new(code, msg.into()).at_field(field).into()
}

fn validate(r: &NewRequest) -> Result<(), StoreError> {
    if r.template.trim().is_empty() || r.template.chars().count() > 100 {
        return Err(invalid(
            "request.template",
            "template",
            "chọn mẫu báo cáo (tên từ 1 đến 100 ký tự)",
        ));
    }
    let doc = r.document.trim().chars().count();
    if !(1..=100).contains(&doc) {
        return Err(invalid(
            "request.document",
            "document",
            "ghi số, ký hiệu văn bản yêu cầu (ví dụ 1027-CV/BDVTU), tối đa 100 ký tự",
        ));
    }
    if r.title.chars().count() > 300 {
        return Err(invalid(
            "request.title",
            "title",
            "tiêu đề yêu cầu dài quá 300 ký tự",
        ));
    }
    let range = r.period.range();
    if r.due_on < range.start {
        return Err(invalid(
            "request.due",
            "due_on",
            format!(
                "hạn gửi {} trước ngày đầu kỳ báo cáo {}",
                dmy(r.due_on),
                dmy(range.start)
            ),
        ));
    }
    Ok(())
}

/// The units a request asks, as of the end of its period.
fn targets(tree: &units::UnitTree, unit: &Unit, r: &NewRequest) -> Result<Vec<i64>, StoreError> {
    let all = tree.all();
    let end = r.period.range().end;
    let subtree = tree.subtree(unit.id);
    let below = |u: &Unit| -> bool {
        u.id != unit.id && (unit.is_country() || subtree.as_ref().is_some_and(|s| s.contains(u.id)))
    };
    let ids: Vec<i64> = match r.target {
        Target::Communes | Target::Districts => all
            .iter()
            .filter(|u| u.valid_on(end) && below(u))
            .filter(|u| match r.target {
                Target::Communes => u.kind.is_commune_level(),
                _ => u.kind.is_district_like(),
            })
            .map(|u| u.id)
            .collect(),
        Target::Chosen => {
            let mut ids = Vec::with_capacity(r.chosen.len());
            for id in &r.chosen {
                let u = all.iter().find(|u| u.id == *id).ok_or_else(|| {
                    invalid(
                        "request.unit",
                        "chosen",
                        format!("không có đơn vị mã số {id}"),
                    )
                })?;
                if !below(u) {
                    return Err(invalid(
                        "request.unit",
                        "chosen",
                        format!(
                            "{} không trực thuộc {}; chỉ yêu cầu được các đơn vị cấp dưới",
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
            "request.no_target",
            "target",
            format!(
                "{} không có đơn vị nào thuộc «{}» trong kỳ này",
                unit.full_name(),
                r.target.label()
            ),
        ));
    }
    Ok(ids)
}

/// The title made from the period when none is written.
pub fn default_title(period: &Period) -> String {
    format!("Báo cáo kết quả công tác dân vận {}", period)
}

/// Make a request; logged. Only a user of the asking unit (or above) may.
pub async fn create(store: &Store, r: &NewRequest) -> Result<i64, StoreError> {
    validate(r)?;
    store.check_write(r.unit_id)?;
    let tree = units::tree(store).await?;
    let unit = tree
        .get(r.unit_id)
        .cloned()
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {}", r.unit_id)))?;
    let ids = targets(&tree, &unit, r)?;
    let (code, cutoff) = period_parts(&r.period);
    let range = r.period.range();
    let title = if r.title.trim().is_empty() {
        default_title(&r.period)
    } else {
        r.title.trim().to_string()
    };
    let now = store.now();
    let mut tx = store.begin().await?;
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO report_request (province_id, unit_id, template, period, cutoff, \
             period_start, period_end, due_on, document, title, target, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(r.template.trim())
        .bind(&code)
        .bind(cutoff)
        .bind(range.start)
        .bind(range.end)
        .bind(r.due_on)
        .bind(r.document.trim())
        .bind(&title)
        .bind(r.target.code())
        .bind(now)
        .bind(store.actor().user_id)
        .fetch_one(&mut *c)
        .await?
    });
    for chunk in ids.chunks(1000) {
        on_tx!(&mut tx, c => {
            let mut qb = QueryBuilder::new(
                "INSERT INTO report_request_target (request_id, province_id, unit_id) ",
            );
            qb.push_values(chunk, |mut b, u| {
                let province = tree.get(*u).map_or(unit.province_id, |x| x.province_id);
                b.push_bind(id).push_bind(province).push_bind(*u);
            });
            qb.build().execute(&mut *c).await?;
        });
    }
    let change = Change::new(Action::Create, "report_request", id)
        .unit(unit.id)
        .after(&serde_json::json!({
            "id": id, "template": r.template.trim(), "period": code, "cutoff": cutoff,
            "due_on": r.due_on, "document": r.document.trim(), "title": title,
            "target": r.target.code(), "units": ids.len(),
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

type Row = (
    i64,
    i64,
    String,
    String,
    bool,
    NaiveDate,
    String,
    String,
    String,
    NaiveDateTime,
    Option<i64>,
);

const COLUMNS: &str = "r.id, r.unit_id, r.template, r.period, r.cutoff, r.due_on, r.document, \
                       r.title, r.target, r.created_at, r.created_by";

fn from_row(row: Row, targets: Vec<i64>) -> Result<Request, StoreError> {
    let (id, unit_id, template, period, cutoff, due_on, document, title, target, at, by) = row;
    Ok(Request {
        id,
        unit_id,
        template,
        period: period_from(&period, cutoff)?,
        due_on,
        document,
        title,
        target: Target::parse(&target)?,
        created_at: at,
        created_by: by,
        targets,
    })
}

async fn targets_of(store: &Store, id: i64) -> Result<Vec<i64>, StoreError> {
    let ids: Vec<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT unit_id FROM report_request_target WHERE request_id = $1")
            .bind(id)
            .fetch_all(p)
            .await?
    });
    let tree = units::tree(store).await?;
    let order: Vec<i64> = tree
        .in_tree_order(None)
        .into_iter()
        .map(|(_, u)| u.id)
        .filter(|u| ids.contains(u))
        .collect();
    Ok(order)
}

/// A request, seen by the asking unit's subtree and by the units asked.
pub async fn get(store: &Store, id: i64) -> Result<Request, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM report_request r WHERE r.id = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
    });
    let what = || format!("yêu cầu báo cáo số {id}");
    let row = row.ok_or_else(|| StoreError::NotFound(what()))?;
    let req = from_row(row, targets_of(store, id).await?)?;
    if store.permits(req.unit_id) || req.targets.iter().any(|u| store.permits(*u)) {
        Ok(req)
    } else {
        Err(StoreError::NotFound(what()))
    }
}

/// The requests made by `unit_id`, newest first.
pub async fn made_by(store: &Store, unit_id: i64) -> Result<Vec<Request>, StoreError> {
    store.check_read(unit_id, || format!("đơn vị mã số {unit_id}"))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM report_request r WHERE r.unit_id = $1 ORDER BY r.id DESC LIMIT 200"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit_id).fetch_all(p).await?
    });
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.0;
        out.push(from_row(row, targets_of(store, id).await?)?);
    }
    Ok(out)
}

/// The requests that ask `unit_id` for a report, newest due first.
pub async fn addressed_to(store: &Store, unit_id: i64) -> Result<Vec<Request>, StoreError> {
    store.check_read(unit_id, || format!("đơn vị mã số {unit_id}"))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM report_request r \
         JOIN report_request_target t ON t.request_id = r.id \
         WHERE t.unit_id = $1 ORDER BY r.due_on DESC, r.id DESC LIMIT 200"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(unit_id).fetch_all(p).await?
    });
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id = row.0;
        out.push(from_row(row, targets_of(store, id).await?)?);
    }
    Ok(out)
}

/// Whether the store's user may review the answers to `req`: the asking
/// unit is in their subtree (a commune's officer never is).
pub fn may_review(store: &Store, req: &Request) -> bool {
    store.permits(req.unit_id)
}

/// Read the asking unit of a request inside a transaction (for the
/// review steps, which check it where they write).
pub(crate) async fn unit_of_tx(tx: &mut crate::db::Tx, id: i64) -> Result<i64, StoreError> {
    let u: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT unit_id FROM report_request WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    u.ok_or_else(|| StoreError::NotFound(format!("yêu cầu báo cáo số {id}")))
}
