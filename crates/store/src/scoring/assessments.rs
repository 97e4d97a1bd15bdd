//! Tự đánh giá và thẩm định: one unit's assessment in a round, version by
//! version. The unit fills in its manual items with evidence while the
//! automatic ones carry the figures handed in (never typed); it submits;
//! the reviewer adjusts items with a reason and approves, which freezes
//! the result. Re-scoring an approved result makes a new version, with
//! its reason; the approved one stays readable as it was.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use danvan_core::scoring::eval::{self, Answer, Figure, Scored};
use danvan_core::scoring::{ItemKind, Sheet, points};
use serde::Serialize;

use super::rounds::{self, Round};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The unit fills it in (đang tự đánh giá).
    SelfAssessing,
    /// Sent to the reviewer (đã gửi, chờ thẩm định).
    Submitted,
    /// Approved: the result is frozen (đã phê duyệt).
    Approved,
    /// Replaced by a re-score (đã chấm lại).
    Superseded,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::SelfAssessing,
        Status::Submitted,
        Status::Approved,
        Status::Superseded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::SelfAssessing => "self_assessing",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Superseded => "superseded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::SelfAssessing => "đang tự đánh giá",
            Status::Submitted => "đã gửi, chờ thẩm định",
            Status::Approved => "đã phê duyệt",
            Status::Superseded => "đã được chấm lại",
        }
    }

    fn parse(s: &str) -> Result<Status, StoreError> {
        Status::ALL
            .into_iter()
            .find(|x| x.code() == s)
            .ok_or_else(|| {
                DomainError::new(
                    "scoring.corrupt",
                    format!("trạng thái đánh giá «{s}» không có"),
                )
                .into()
            })
    }
}

/// One version of a unit's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub version: i64,
    pub status: Status,
    pub answers: BTreeMap<String, Answer>,
    /// The frozen result, once approved.
    pub result: Option<Scored>,
    pub total: Option<i64>,
    pub grade: Option<String>,
    /// Why this version was made (a re-score).
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<i64>,
    pub approved_at: Option<NaiveDateTime>,
    pub approved_by: Option<i64>,
}

/// The figures of a round's automatic items for one unit, by item code,
/// as the report crate read them.
pub type Figures = BTreeMap<String, Figure>;

type Row = (
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    NaiveDateTime,
    Option<i64>,
    (
        Option<NaiveDateTime>,
        Option<i64>,
        Option<NaiveDateTime>,
        Option<i64>,
    ),
);

const COLUMNS: &str = "id, round_id, unit_id, version, status, answers, result, total, grade, \
                       reason, created_at, created_by, submitted_at, submitted_by, approved_at, \
                       approved_by";

/// A row of [`COLUMNS`] from either engine.
macro_rules! decode {
    ($r:expr) => {{
        use sqlx::Row as _;
        let r = &$r;
        (
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            r.try_get(6)?,
            r.try_get(7)?,
            r.try_get(8)?,
            r.try_get(9)?,
            r.try_get(10)?,
            r.try_get(11)?,
            (
                r.try_get(12)?,
                r.try_get(13)?,
                r.try_get(14)?,
                r.try_get(15)?,
            ),
        )
    }};
}

fn what(id: i64) -> String {
    format!("bản đánh giá số {id}")
}

fn corrupt(id: i64, e: serde_json::Error) -> StoreError {
    DomainError::new("scoring.corrupt", format!("{} bị hỏng: {e}", what(id))).into()
}

fn from_row(r: Row) -> Result<Assessment, StoreError> {
    let (
        id,
        round_id,
        unit_id,
        version,
        status,
        answers,
        result,
        total,
        grade,
        reason,
        at,
        by,
        rest,
    ) = r;
    let (submitted_at, submitted_by, approved_at, approved_by) = rest;
    Ok(Assessment {
        id,
        round_id,
        unit_id,
        version,
        status: Status::parse(&status)?,
        answers: serde_json::from_str(&answers).map_err(|e| corrupt(id, e))?,
        result: result
            .map(|s| serde_json::from_str(&s).map_err(|e| corrupt(id, e)))
            .transpose()?,
        total,
        grade,
        reason,
        created_at: at,
        created_by: by,
        submitted_at,
        submitted_by,
        approved_at,
        approved_by,
    })
}

pub(super) async fn fetch_tx(tx: &mut Tx, id: i64) -> Result<Assessment, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM score_assessment WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => {
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        match r { Some(r) => Some(decode!(r)), None => None }
    });
    from_row(row.ok_or_else(|| StoreError::NotFound(what(id)))?)
}

async fn fetch_many(
    store: &Store,
    sql: String,
    a: i64,
    b: Option<i64>,
) -> Result<Vec<Assessment>, StoreError> {
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(a);
        if let Some(b) = b { q = q.bind(b); }
        let rows = q.fetch_all(p).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows { out.push(decode!(r)); }
        out
    });
    rows.into_iter().map(from_row).collect()
}

/// A version, for the unit's subtree and the round's reviewers.
pub async fn get(store: &Store, id: i64) -> Result<(Round, Assessment), StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM score_assessment WHERE id = $1");
    let rows = fetch_many(store, sql, id, None).await?;
    let a = rows
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(what(id)))?;
    let round = rounds::get(store, a.round_id)
        .await
        .map_err(|_| StoreError::NotFound(what(id)))?;
    if store.permits(a.unit_id) || store.permits(round.unit_id) {
        Ok((round, a))
    } else {
        Err(StoreError::NotFound(what(id)))
    }
}

/// Every version of `unit_id`'s assessment in a round, oldest first.
pub async fn versions(
    store: &Store,
    round: &Round,
    unit_id: i64,
) -> Result<Vec<Assessment>, StoreError> {
    if !(store.permits(unit_id) || store.permits(round.unit_id)) {
        return Err(StoreError::NotFound(format!(
            "đánh giá của đơn vị mã số {unit_id}"
        )));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM score_assessment WHERE round_id = $1 AND unit_id = $2 ORDER BY version"
    );
    fetch_many(store, sql, round.id, Some(unit_id)).await
}

/// The latest version of every unit's assessment in a round that the
/// user may see, by unit.
pub async fn latest(store: &Store, round: &Round) -> Result<BTreeMap<i64, Assessment>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM score_assessment WHERE round_id = $1 ORDER BY version");
    let all = fetch_many(store, sql, round.id, None).await?;
    let reviewer = store.permits(round.unit_id);
    let mut out = BTreeMap::new();
    for a in all {
        if reviewer || store.permits(a.unit_id) {
            out.insert(a.unit_id, a);
        }
    }
    Ok(out)
}

pub(super) fn refuse(code: &'static str, msg: String) -> StoreError {
    DomainError::new(code, msg).into()
}

/// Put the handed-in figures on the automatic items; every automatic
/// item needs one, read for its own indicator.
fn with_figures(
    sheet: &Sheet,
    answers: &mut BTreeMap<String, Answer>,
    figures: &Figures,
) -> Result<(), StoreError> {
    for (_, item) in sheet.items() {
        if let ItemKind::Auto { indicator, .. } = &item.kind {
            let f = figures.get(&item.code).ok_or_else(|| {
                refuse(
                    "scoring.figure",
                    format!("thiếu số liệu cho tiêu chí tự động {}", item.code),
                )
            })?;
            if &f.indicator != indicator {
                return Err(refuse(
                    "scoring.figure",
                    format!(
                        "tiêu chí {} tính từ chỉ tiêu {indicator}, không phải {}",
                        item.code, f.indicator
                    ),
                ));
            }
            answers.entry(item.code.clone()).or_default().figure = Some(f.clone());
        }
    }
    Ok(())
}

pub(super) async fn unit_province(tx: &mut Tx, unit_id: i64) -> Result<i64, StoreError> {
    Ok(on_tx!(tx, c => {
        sqlx::query_scalar("SELECT province_id FROM unit WHERE id = $1")
            .bind(unit_id)
            .fetch_one(&mut *c)
            .await?
    }))
}

/// A version about to be written.
struct NewVersion<'a> {
    unit_id: i64,
    version: i64,
    status: Status,
    answers: &'a BTreeMap<String, Answer>,
    reason: Option<&'a str>,
}

async fn insert_version(
    tx: &mut Tx,
    store: &Store,
    round: &Round,
    v: NewVersion<'_>,
) -> Result<i64, StoreError> {
    let NewVersion {
        unit_id,
        version,
        status,
        answers,
        reason,
    } = v;
    let province = unit_province(tx, unit_id).await?;
    let now = store.now();
    let submitted = (status == Status::Submitted).then_some(now);
    let json = serde_json::to_string(answers).expect("answers serialise");
    Ok(on_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO score_assessment (round_id, province_id, unit_id, version, status, \
             answers, reason, created_at, created_by, submitted_at, submitted_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(round.id)
        .bind(province)
        .bind(unit_id)
        .bind(version)
        .bind(status.code())
        .bind(&json)
        .bind(reason)
        .bind(now)
        .bind(store.actor().user_id)
        .bind(submitted)
        .bind(submitted.and(store.actor().user_id))
        .fetch_one(&mut *c)
        .await?
    }))
}

/// Start `unit_id`'s self-assessment in a round, its automatic items
/// filled from `figures`; the latest version if one exists.
pub async fn start(
    store: &Store,
    round_id: i64,
    unit_id: i64,
    figures: &Figures,
) -> Result<Assessment, StoreError> {
    let round = rounds::get(store, round_id).await?;
    if !round.targets.contains(&unit_id) {
        return Err(refuse(
            "scoring.not_scored",
            format!("đợt đánh giá số {round_id} không đánh giá đơn vị mã số {unit_id}"),
        ));
    }
    store.check_write(unit_id)?;
    if let Some(last) = versions(store, &round, unit_id).await?.pop() {
        return Ok(last);
    }
    let sheet = round.sheet()?;
    let mut answers = BTreeMap::new();
    with_figures(sheet, &mut answers, figures)?;
    let mut tx = store.begin().await?;
    let first = NewVersion {
        unit_id,
        version: 1,
        status: Status::SelfAssessing,
        answers: &answers,
        reason: None,
    };
    let id = insert_version(&mut tx, store, &round, first).await?;
    let change = Change::new(Action::Create, "score_assessment", id)
        .unit(unit_id)
        .after(&serde_json::json!({"id": id, "round": round.id, "version": 1, "answers": answers}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, id).await?.1)
}

/// The manual parts of `given` over `kept`: values and evidence of the
/// non-automatic items; figures and adjustments never come from a form.
fn merge_manual(
    sheet: &Sheet,
    kept: &mut BTreeMap<String, Answer>,
    given: &BTreeMap<String, Answer>,
) {
    for (_, item) in sheet.items() {
        let Some(g) = given.get(&item.code) else {
            continue;
        };
        if item.is_auto() {
            continue;
        }
        let a = kept.entry(item.code.clone()).or_default();
        a.yes = g.yes;
        a.points = g.points;
        a.cases = g.cases;
        a.evidence = g.evidence.trim().to_string();
        a.document = g.document.trim().to_string();
        if g.attachment.is_some() {
            a.attachment = g.attachment.clone();
        }
    }
}

pub(super) async fn write_answers(
    tx: &mut Tx,
    id: i64,
    answers: &BTreeMap<String, Answer>,
    status: Option<(Status, &Store)>,
) -> Result<(), StoreError> {
    let json = serde_json::to_string(answers).expect("answers serialise");
    match status {
        None => on_tx!(tx, c => {
            sqlx::query("UPDATE score_assessment SET answers = $2 WHERE id = $1")
                .bind(id).bind(&json).execute(&mut *c).await?;
        }),
        Some((s, store)) => on_tx!(tx, c => {
            sqlx::query(
                "UPDATE score_assessment SET answers = $2, status = $3, submitted_at = $4, \
                 submitted_by = $5 WHERE id = $1",
            )
            .bind(id).bind(&json).bind(s.code()).bind(store.now()).bind(store.actor().user_id)
            .execute(&mut *c).await?;
        }),
    }
    Ok(())
}

/// Save the unit's answers to its manual items (and refresh the figures
/// of the automatic ones); only while it is self-assessing.
pub async fn save(
    store: &Store,
    id: i64,
    given: &BTreeMap<String, Answer>,
    figures: &Figures,
) -> Result<Assessment, StoreError> {
    step(store, id, Some(given), figures, false).await
}

/// Send the self-assessment to the reviewer: every manual item answered.
pub async fn submit(
    store: &Store,
    id: i64,
    given: Option<&BTreeMap<String, Answer>>,
    figures: &Figures,
) -> Result<Assessment, StoreError> {
    step(store, id, given, figures, true).await
}

async fn step(
    store: &Store,
    id: i64,
    given: Option<&BTreeMap<String, Answer>>,
    figures: &Figures,
    send: bool,
) -> Result<Assessment, StoreError> {
    let (round, _) = get(store, id).await?;
    let sheet = round.sheet()?;
    let mut tx = store.begin().await?;
    let a = fetch_tx(&mut tx, id).await?;
    store.check_write(a.unit_id)?;
    if a.status != Status::SelfAssessing {
        return Err(refuse(
            "scoring.state",
            format!(
                "bản đánh giá lần {} {}; chỉ sửa hay gửi được khi đang tự đánh giá",
                a.version,
                a.status.label()
            ),
        ));
    }
    let mut answers = a.answers.clone();
    if let Some(g) = given {
        for code in g.keys() {
            if sheet.item(code).is_none() {
                return Err(DomainError::new(
                    "scoring.answer",
                    format!("tiêu chí «{code}» không có trong bảng {}", sheet.id),
                )
                .at_field(code.clone())
                .into());
            }
        }
        merge_manual(sheet, &mut answers, g);
    }
    with_figures(sheet, &mut answers, figures)?;
    eval::check(sheet, &answers)?;
    if send {
        let missing = eval::missing(sheet, &answers);
        if !missing.is_empty() {
            return Err(refuse(
                "scoring.incomplete",
                format!("còn tiêu chí chưa tự đánh giá: {}", missing.join(", ")),
            ));
        }
    }
    let status = send.then_some((Status::Submitted, store));
    write_answers(&mut tx, id, &answers, status).await?;
    let change = Change::new(
        if send { Action::Submit } else { Action::Update },
        "score_assessment",
        id,
    )
    .unit(a.unit_id)
    .before(&serde_json::json!({"answers": a.answers}))
    .after(&serde_json::json!({"answers": answers, "status": if send { "submitted" } else { "self_assessing" }}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, id).await?.1)
}

/// The reviewer's check: a user of the opening unit or above, never one of
/// the units scored.
fn reviewer_check(store: &Store, round: &Round) -> Result<(), StoreError> {
    if rounds::may_review(store, round) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(
            "chỉ đơn vị đã mở đợt đánh giá (hoặc cấp trên) được thẩm định, điều chỉnh và phê duyệt"
                .into(),
        ))
    }
}

fn check_reason(reason: &str) -> Result<&str, StoreError> {
    let r = reason.trim();
    if !(5..=2000).contains(&r.chars().count()) {
        return Err(
            DomainError::new("scoring.reason", "ghi lý do (từ 5 đến 2.000 ký tự)")
                .at_field("reason")
                .into(),
        );
    }
    Ok(r)
}

/// Adjust one manual item of a submitted assessment, with the reason.
pub async fn adjust(
    store: &Store,
    id: i64,
    item: &str,
    centi: i64,
    reason: &str,
) -> Result<Assessment, StoreError> {
    let reason = check_reason(reason)?;
    let (round, _) = get(store, id).await?;
    reviewer_check(store, &round)?;
    let sheet = round.sheet()?;
    let it = sheet.item(item).ok_or_else(|| {
        StoreError::from(
            DomainError::new(
                "scoring.answer",
                format!("tiêu chí «{item}» không có trong bảng {}", sheet.id),
            )
            .at_field("item"),
        )
    })?;
    if it.is_auto() {
        return Err(DomainError::new(
            "scoring.locked",
            format!(
                "tiêu chí {} tính tự động từ số liệu, không điều chỉnh bằng tay; \
                 sửa số liệu gốc rồi chấm lại",
                it.code
            ),
        )
        .at_field("item")
        .into());
    }
    if !(0..=it.max).contains(&centi) {
        return Err(DomainError::new(
            "scoring.answer",
            format!(
                "tiêu chí {}: điểm điều chỉnh {} ngoài khoảng 0 đến {}",
                it.code,
                points(centi),
                points(it.max)
            ),
        )
        .at_field("points")
        .into());
    }
    let mut tx = store.begin().await?;
    let a = fetch_tx(&mut tx, id).await?;
    if a.status != Status::Submitted {
        return Err(refuse(
            "scoring.state",
            format!(
                "bản đánh giá lần {} {}; chỉ điều chỉnh được bản đã gửi, chưa duyệt",
                a.version,
                a.status.label()
            ),
        ));
    }
    let mut answers = a.answers.clone();
    let before = answers.get(item).cloned();
    let entry = answers.entry(item.to_string()).or_default();
    entry.adjusted = Some(centi);
    entry.reason = Some(reason.to_string());
    write_answers(&mut tx, id, &answers, None).await?;
    let change = Change::new(Action::Update, "score_assessment", id)
        .unit(a.unit_id)
        .before(&serde_json::json!({"item": item, "answer": before}))
        .after(&serde_json::json!({"item": item, "adjusted": centi, "reason": reason}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, id).await?.1)
}

/// Approve a submitted assessment: the result is computed once and frozen
/// with the figures it used.
pub async fn approve(store: &Store, id: i64) -> Result<Assessment, StoreError> {
    let (round, _) = get(store, id).await?;
    reviewer_check(store, &round)?;
    let sheet = round.sheet()?;
    let mut tx = store.begin().await?;
    let a = fetch_tx(&mut tx, id).await?;
    if a.status != Status::Submitted {
        return Err(refuse(
            "scoring.state",
            format!(
                "bản đánh giá lần {} {}; chỉ phê duyệt được bản đã gửi",
                a.version,
                a.status.label()
            ),
        ));
    }
    let result = eval::evaluate(sheet, &a.answers)?;
    let json = serde_json::to_string(&result).expect("a result serialises");
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE score_assessment SET status = 'approved', result = $2, total = $3, grade = $4, \
             approved_at = $5, approved_by = $6 WHERE id = $1",
        )
        .bind(id)
        .bind(&json)
        .bind(result.total)
        .bind(&result.grade)
        .bind(store.now())
        .bind(store.actor().user_id)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Accept, "score_assessment", id)
        .unit(a.unit_id)
        .before(&serde_json::json!({"status": "submitted"}))
        .after(&serde_json::json!({"status": "approved", "total": result.total, "grade": result.grade}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, id).await?.1)
}

/// Re-score an approved assessment: a new version, submitted for review
/// with the same manual answers and the figures as they are now, and the
/// reason; the approved version is kept, marked as replaced.
pub async fn rescore(
    store: &Store,
    id: i64,
    reason: &str,
    figures: &Figures,
) -> Result<Assessment, StoreError> {
    let reason = check_reason(reason)?;
    let (round, _) = get(store, id).await?;
    reviewer_check(store, &round)?;
    let sheet = round.sheet()?;
    let mut tx = store.begin().await?;
    let a = fetch_tx(&mut tx, id).await?;
    if a.status != Status::Approved {
        return Err(refuse(
            "scoring.state",
            format!(
                "bản đánh giá lần {} {}; chỉ chấm lại được bản đã phê duyệt",
                a.version,
                a.status.label()
            ),
        ));
    }
    let mut answers: BTreeMap<String, Answer> = a
        .answers
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Answer {
                    figure: None,
                    ..v.clone()
                },
            )
        })
        .collect();
    with_figures(sheet, &mut answers, figures)?;
    on_tx!(&mut tx, c => {
        sqlx::query("UPDATE score_assessment SET status = 'superseded' WHERE id = $1")
            .bind(id).execute(&mut *c).await?;
    });
    let next = NewVersion {
        unit_id: a.unit_id,
        version: a.version + 1,
        status: Status::Submitted,
        answers: &answers,
        reason: Some(reason),
    };
    let new = insert_version(&mut tx, store, &round, next).await?;
    let change = Change::new(Action::Create, "score_assessment", new)
        .unit(a.unit_id)
        .before(&serde_json::json!({"id": id, "version": a.version, "total": a.total, "grade": a.grade}))
        .after(&serde_json::json!({"id": new, "version": a.version + 1, "reason": reason}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, new).await?.1)
}

/// The result of a version: the frozen one once approved, else computed
/// from its answers as they stand (a preview, never stored).
pub fn result_of(sheet: &Sheet, a: &Assessment) -> Result<Scored, StoreError> {
    match &a.result {
        Some(r) => Ok(r.clone()),
        None => Ok(eval::evaluate(sheet, &a.answers)?),
    }
}
