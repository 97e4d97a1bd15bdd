//! Báo cáo gửi lên: one unit's answer to a request, version by version.
//! A draft is prepared; submitting freezes it — the figures, the text,
//! the letterhead, the DOCX and PDF as bytes with their SHA-256, the
//! report's number and date — and a frozen version never changes again
//! except by its review: accepted, or returned with a reason and answered
//! by a new version. Every version stays readable.

use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::DomainError;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::requests::{self, Request};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being prepared by the unit (đang soạn).
    Draft,
    /// Sent up, waiting for review (đã gửi).
    Submitted,
    /// Accepted by the requesting unit (đã duyệt): its period is locked.
    Accepted,
    /// Returned for correction (bị trả lại), with a reason.
    Returned,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "đang soạn",
            Status::Submitted => "đã gửi, chờ duyệt",
            Status::Accepted => "đã duyệt",
            Status::Returned => "bị trả lại",
        }
    }

    fn parse(s: &str) -> Result<Status, StoreError> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Accepted,
            Status::Returned,
        ]
        .into_iter()
        .find(|x| x.code() == s)
        .ok_or_else(|| {
            DomainError::new(
                "submission.corrupt",
                format!("trạng thái báo cáo «{s}» không có"),
            )
            .into()
        })
    }
}

/// One version of a unit's report, without its document bytes.
#[derive(Debug, Clone, Serialize)]
pub struct Submission {
    pub id: i64,
    pub request_id: i64,
    pub unit_id: i64,
    /// 1 for the first answer, 2 after one return…
    pub version: i64,
    pub status: Status,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The written sections, frozen at submission.
    pub sections: BTreeMap<String, String>,
    pub number: Option<String>,
    pub dated_on: Option<NaiveDate>,
    /// The report's text as sent.
    pub body: Option<String>,
    /// Every figure as sent (the report crate's `Figures`).
    pub figures: Option<Value>,
    /// The letterhead the documents were set under.
    pub letterhead: Option<Value>,
    pub docx_sha256: Option<String>,
    pub pdf_sha256: Option<String>,
    /// Figures that stood out when it was submitted (flagged, never blocked).
    pub outliers: Option<Value>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<i64>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub reviewed_by: Option<i64>,
    /// Why it was returned, why an acceptance was withdrawn, or the
    /// reviewer's comment on accepting it.
    pub reason: Option<String>,
}

/// What submitting freezes, rendered by the report crate.
#[derive(Debug, Clone)]
pub struct Frozen {
    pub sections: BTreeMap<String, String>,
    pub number: String,
    pub dated_on: NaiveDate,
    pub body: String,
    pub figures: Value,
    pub letterhead: Value,
    pub docx: Vec<u8>,
    pub pdf: Vec<u8>,
    pub outliers: Value,
}

/// The documents a submission keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Docx,
    Pdf,
}

/// SHA-256 of `bytes` in lower-case hex, as stored and shown.
pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A row as read (more columns than sqlx decodes as a tuple).
struct Row {
    id: i64,
    request_id: i64,
    unit_id: i64,
    version: i64,
    status: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    sections: String,
    number: Option<String>,
    dated_on: Option<NaiveDate>,
    body: Option<String>,
    figures: Option<String>,
    letterhead: Option<String>,
    docx_sha256: Option<String>,
    pdf_sha256: Option<String>,
    outliers: Option<String>,
    created_at: NaiveDateTime,
    created_by: Option<i64>,
    submitted_at: Option<NaiveDateTime>,
    submitted_by: Option<i64>,
    reviewed_at: Option<NaiveDateTime>,
    reviewed_by: Option<i64>,
    reason: Option<String>,
}

/// Read a [`Row`] from a database row of either engine, by the order of
/// [`COLUMNS`].
macro_rules! decode {
    ($r:expr) => {{
        use sqlx::Row as _;
        let r = &$r;
        Row {
            id: r.try_get(0)?,
            request_id: r.try_get(1)?,
            unit_id: r.try_get(2)?,
            version: r.try_get(3)?,
            status: r.try_get(4)?,
            period_start: r.try_get(5)?,
            period_end: r.try_get(6)?,
            sections: r.try_get(7)?,
            number: r.try_get(8)?,
            dated_on: r.try_get(9)?,
            body: r.try_get(10)?,
            figures: r.try_get(11)?,
            letterhead: r.try_get(12)?,
            docx_sha256: r.try_get(13)?,
            pdf_sha256: r.try_get(14)?,
            outliers: r.try_get(15)?,
            created_at: r.try_get(16)?,
            created_by: r.try_get(17)?,
            submitted_at: r.try_get(18)?,
            submitted_by: r.try_get(19)?,
            reviewed_at: r.try_get(20)?,
            reviewed_by: r.try_get(21)?,
            reason: r.try_get(22)?,
        }
    }};
}

const COLUMNS: &str = "id, request_id, unit_id, version, status, period_start, period_end, \
     sections, number, dated_on, body, figures, letterhead, docx_sha256, pdf_sha256, outliers, \
     created_at, created_by, submitted_at, submitted_by, reviewed_at, reviewed_by, reason";

fn corrupt(id: i64, e: serde_json::Error) -> StoreError {
    DomainError::new(
        "submission.corrupt",
        format!("báo cáo gửi lên số {id} bị hỏng: {e}"),
    )
    .into()
}

fn from_row(r: Row) -> Result<Submission, StoreError> {
    let id = r.id;
    let json = |s: Option<String>| -> Result<Option<Value>, StoreError> {
        s.map(|s| serde_json::from_str(&s).map_err(|e| corrupt(id, e)))
            .transpose()
    };
    Ok(Submission {
        id,
        request_id: r.request_id,
        unit_id: r.unit_id,
        version: r.version,
        status: Status::parse(&r.status)?,
        period_start: r.period_start,
        period_end: r.period_end,
        sections: serde_json::from_str(&r.sections).map_err(|e| corrupt(id, e))?,
        number: r.number,
        dated_on: r.dated_on,
        body: r.body,
        figures: json(r.figures)?,
        letterhead: json(r.letterhead)?,
        docx_sha256: r.docx_sha256,
        pdf_sha256: r.pdf_sha256,
        outliers: json(r.outliers)?,
        created_at: r.created_at,
        created_by: r.created_by,
        submitted_at: r.submitted_at,
        submitted_by: r.submitted_by,
        reviewed_at: r.reviewed_at,
        reviewed_by: r.reviewed_by,
        reason: r.reason,
    })
}

fn what(id: i64) -> String {
    format!("báo cáo gửi lên số {id}")
}

async fn get_tx(tx: &mut Tx, id: i64) -> Result<Submission, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM report_submission WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, c => {
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        match r { Some(r) => Some(decode!(r)), None => None }
    });
    from_row(row.ok_or_else(|| StoreError::NotFound(what(id)))?)
}

/// A version, for the submitting unit's subtree and the requesting one's.
pub async fn get(store: &Store, id: i64) -> Result<Submission, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM report_submission WHERE id = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?;
        match r { Some(r) => Some(decode!(r)), None => None }
    });
    let s = from_row(row.ok_or_else(|| StoreError::NotFound(what(id)))?)?;
    visible(store, &s).await?;
    Ok(s)
}

/// Seen by the unit that sent it (and above it) and by the unit that asked.
async fn visible(store: &Store, s: &Submission) -> Result<(), StoreError> {
    if store.permits(s.unit_id) {
        return Ok(());
    }
    let req = requests::get(store, s.request_id).await;
    match req {
        Ok(r) if store.permits(r.unit_id) => Ok(()),
        _ => Err(StoreError::NotFound(what(s.id))),
    }
}

/// Every version of `unit_id`'s answer to `request_id`, oldest first.
pub async fn versions(
    store: &Store,
    request_id: i64,
    unit_id: i64,
) -> Result<Vec<Submission>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM report_submission WHERE request_id = $1 AND unit_id = $2 \
         ORDER BY version"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(request_id).bind(unit_id).fetch_all(p).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows { out.push(decode!(r)); }
        out
    });
    let out: Vec<Submission> = rows.into_iter().map(from_row).collect::<Result<_, _>>()?;
    if let Some(s) = out.first() {
        visible(store, s).await?;
    }
    Ok(out)
}

/// Every version of every answer to `request_id`, by unit then version.
pub async fn of_request(store: &Store, req: &Request) -> Result<Vec<Submission>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM report_submission WHERE request_id = $1 ORDER BY unit_id, version"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(req.id).fetch_all(p).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows { out.push(decode!(r)); }
        out
    });
    let all: Vec<Submission> = rows.into_iter().map(from_row).collect::<Result<_, _>>()?;
    let reviewer = store.permits(req.unit_id);
    Ok(all
        .into_iter()
        .filter(|s| reviewer || store.permits(s.unit_id))
        .collect())
}

/// The accepted version of `unit_id`'s report for exactly these dates, the
/// latest accepted if several requests asked: what a superior re-adds.
pub async fn accepted_for(
    store: &Store,
    unit_id: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Option<Submission>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM report_submission WHERE unit_id = $1 AND status = 'accepted' \
         AND period_start = $2 AND period_end = $3 ORDER BY reviewed_at DESC, id DESC LIMIT 1"
    );
    let row: Option<Row> = on_pool!(&store.pool, p => {
        let r = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(unit_id).bind(start).bind(end)
            .fetch_optional(p).await?;
        match r { Some(r) => Some(decode!(r)), None => None }
    });
    row.map(from_row).transpose()
}

/// A document a version keeps, exactly as frozen, with its SHA-256.
pub async fn document(
    store: &Store,
    id: i64,
    doc: Document,
) -> Result<(Vec<u8>, String), StoreError> {
    let s = get(store, id).await?;
    let col = match doc {
        Document::Docx => "docx",
        Document::Pdf => "pdf",
    };
    let sql = format!("SELECT {col} FROM report_submission WHERE id = $1");
    let text: Option<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(p).await?
    });
    let sha = match doc {
        Document::Docx => s.docx_sha256,
        Document::Pdf => s.pdf_sha256,
    };
    match (text, sha) {
        (Some(t), Some(sha)) => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(t)
                .map_err(|e| {
                    StoreError::from(DomainError::new(
                        "submission.corrupt",
                        format!("tệp của {} bị hỏng: {e}", what(id)),
                    ))
                })?;
            Ok((bytes, sha))
        }
        _ => Err(StoreError::NotFound(format!(
            "tệp của {} (báo cáo chưa gửi)",
            what(id)
        ))),
    }
}

fn refuse(code: &'static str, msg: String) -> StoreError {
    DomainError::new(code, msg).into()
}

/// Start (or reopen) `unit_id`'s answer to a request: the current draft,
/// or a new version after a return. Refused once a version waits for
/// review or is accepted.
pub async fn prepare(
    store: &Store,
    request_id: i64,
    unit_id: i64,
) -> Result<Submission, StoreError> {
    let req = requests::get(store, request_id).await?;
    if !req.targets.contains(&unit_id) {
        return Err(refuse(
            "submission.not_asked",
            format!("yêu cầu báo cáo số {request_id} không gửi tới đơn vị mã số {unit_id}",),
        ));
    }
    store.check_write(unit_id)?;
    let now = store.now();
    let mut tx = store.begin().await?;
    let last: Option<(i64, i64, String)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT id, version, status FROM report_submission \
             WHERE request_id = $1 AND unit_id = $2 ORDER BY version DESC LIMIT 1",
        )
        .bind(request_id)
        .bind(unit_id)
        .fetch_optional(&mut *c)
        .await?
    });
    let version = match &last {
        None => 1,
        Some((id, _, s)) if s == "draft" => {
            let id = *id;
            tx.end_read().await?;
            return get(store, id).await;
        }
        Some((_, v, s)) if s == "returned" => v + 1,
        Some((_, v, s)) => {
            return Err(refuse(
                "submission.sent",
                format!(
                    "báo cáo lần {v} đã gửi ({}); chỉ soạn lại được khi bị trả lại",
                    Status::parse(s)?.label()
                ),
            ));
        }
    };
    let province: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT province_id FROM unit WHERE id = $1")
            .bind(unit_id)
            .fetch_one(&mut *c)
            .await?
    });
    let range = req.period.range();
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO report_submission (request_id, province_id, unit_id, version, status, \
             period_start, period_end, sections, created_at, created_by) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, '{}', $7, $8) RETURNING id",
        )
        .bind(request_id)
        .bind(province)
        .bind(unit_id)
        .bind(version)
        .bind(range.start)
        .bind(range.end)
        .bind(now)
        .bind(store.actor().user_id)
        .fetch_one(&mut *c)
        .await?
    });
    let change = Change::new(Action::Create, "report_submission", id)
        .unit(unit_id)
        .after(&serde_json::json!({"id": id, "request": request_id, "version": version}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    get(store, id).await
}

/// Submit a draft, frozen as `frozen`: from now on it never changes.
pub async fn submit(store: &Store, id: i64, frozen: &Frozen) -> Result<Submission, StoreError> {
    let number = frozen.number.trim();
    if !(1..=60).contains(&number.chars().count()) {
        return Err(DomainError::new(
            "submission.number",
            "ghi số, ký hiệu của báo cáo (ví dụ 45/BC-UBND), tối đa 60 ký tự",
        )
        .at_field("number")
        .into());
    }
    let now = store.now();
    let mut tx = store.begin().await?;
    let s = get_tx(&mut tx, id).await?;
    store.check_write(s.unit_id)?;
    if s.status != Status::Draft {
        return Err(refuse(
            "submission.state",
            format!(
                "báo cáo lần {} {}; chỉ gửi được bản đang soạn",
                s.version,
                s.status.label()
            ),
        ));
    }
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let (docx_sha, pdf_sha) = (sha256(&frozen.docx), sha256(&frozen.pdf));
    let json = |v: &Value| v.to_string();
    let sections = serde_json::to_string(&frozen.sections).expect("strings serialise");
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE report_submission SET status = 'submitted', sections = $2, number = $3, \
             dated_on = $4, body = $5, figures = $6, letterhead = $7, docx = $8, docx_sha256 = $9, \
             pdf = $10, pdf_sha256 = $11, outliers = $12, submitted_at = $13, submitted_by = $14 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(&sections)
        .bind(number)
        .bind(frozen.dated_on)
        .bind(&frozen.body)
        .bind(json(&frozen.figures))
        .bind(json(&frozen.letterhead))
        .bind(b64(&frozen.docx))
        .bind(&docx_sha)
        .bind(b64(&frozen.pdf))
        .bind(&pdf_sha)
        .bind(json(&frozen.outliers))
        .bind(now)
        .bind(store.actor().user_id)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Submit, "report_submission", id)
        .unit(s.unit_id)
        .after(&serde_json::json!({
            "id": id, "version": s.version, "number": number, "dated_on": frozen.dated_on,
            "docx_sha256": docx_sha, "pdf_sha256": pdf_sha,
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    get(store, id).await
}

/// Who reviews: a user of the requesting unit or above. A unit never
/// reviews its own report, nor a sibling's.
async fn reviewer_check(tx: &mut Tx, store: &Store, s: &Submission) -> Result<i64, StoreError> {
    let asking = requests::unit_of_tx(tx, s.request_id).await?;
    if !store.permits(asking) || store.scope().is_some_and(|sc| sc.root == s.unit_id) {
        return Err(StoreError::Forbidden(
            "chỉ đơn vị đã yêu cầu báo cáo (hoặc cấp trên) được duyệt hay trả lại báo cáo".into(),
        ));
    }
    Ok(asking)
}

async fn review(
    store: &Store,
    id: i64,
    from: Status,
    to: Status,
    action: Action,
    reason: Option<&str>,
) -> Result<Submission, StoreError> {
    let reason = reason.map(str::trim);
    if let Some(r) = reason
        && !(5..=2000).contains(&r.chars().count())
    {
        return Err(
            DomainError::new("submission.reason", "ghi lý do (từ 5 đến 2.000 ký tự)")
                .at_field("reason")
                .into(),
        );
    }
    let now = store.now();
    let mut tx = store.begin().await?;
    let s = get_tx(&mut tx, id).await?;
    if !store.permits(s.unit_id) {
        let asking = requests::unit_of_tx(&mut tx, s.request_id).await?;
        if !store.permits(asking) {
            return Err(StoreError::NotFound(what(id)));
        }
    }
    let asking = reviewer_check(&mut tx, store, &s).await?;
    if action == Action::Unaccept {
        // Withdrawing an acceptance is for the reviewer's superiors.
        if store.scope().is_some_and(|sc| sc.root == asking) {
            return Err(StoreError::Forbidden(
                "chỉ cấp trên của đơn vị đã duyệt được huỷ duyệt báo cáo".into(),
            ));
        }
    }
    if s.status != from {
        return Err(refuse(
            "submission.state",
            format!(
                "báo cáo lần {} {}; không thể {}",
                s.version,
                s.status.label(),
                Action::label(action.code())
            ),
        ));
    }
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE report_submission SET status = $2, reviewed_at = $3, reviewed_by = $4, \
             reason = $5 WHERE id = $1",
        )
        .bind(id)
        .bind(to.code())
        .bind(now)
        .bind(store.actor().user_id)
        .bind(reason)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(action, "report_submission", id)
        .unit(s.unit_id)
        .before(&serde_json::json!({"status": from.code()}))
        .after(&serde_json::json!({"status": to.code(), "reason": reason}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    get(store, id).await
}

/// Accept a submitted report, with the reviewer's comment if any: its
/// period locks at its unit and below.
pub async fn accept(
    store: &Store,
    id: i64,
    comment: Option<&str>,
) -> Result<Submission, StoreError> {
    review(
        store,
        id,
        Status::Submitted,
        Status::Accepted,
        Action::Accept,
        comment,
    )
    .await
}

/// Return a submitted report for correction, with the reason.
pub async fn return_for_correction(
    store: &Store,
    id: i64,
    reason: &str,
) -> Result<Submission, StoreError> {
    review(
        store,
        id,
        Status::Submitted,
        Status::Returned,
        Action::Return,
        Some(reason),
    )
    .await
}

/// Withdraw an acceptance (the reviewer's superiors only), with the
/// reason: the report waits for review again and its period unlocks.
pub async fn unaccept(store: &Store, id: i64, reason: &str) -> Result<Submission, StoreError> {
    review(
        store,
        id,
        Status::Accepted,
        Status::Submitted,
        Action::Unaccept,
        Some(reason),
    )
    .await
}

/// A change made to a locked period, as logged.
#[derive(Debug, Clone, Serialize)]
pub struct LateCorrection {
    pub at: NaiveDateTime,
    pub actor: String,
    pub reason: String,
}

/// The late corrections made to the period of an accepted version.
pub async fn late_corrections(store: &Store, id: i64) -> Result<Vec<LateCorrection>, StoreError> {
    get(store, id).await?;
    let rows: Vec<(NaiveDateTime, String, String)> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT at, actor, reason FROM late_correction WHERE submission_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(at, actor, reason)| LateCorrection { at, actor, reason })
        .collect())
}
