//! JSON API of the reporting chain: requests for reports, the units'
//! submissions and their review, the completeness of a request, the frozen
//! documents. The same steps as the pages under `/bao-cao/yeu-cau`.

use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_report::Catalogue;
use danvan_store::chain::completeness::{self, Completeness};
use danvan_store::chain::requests::{self, NewRequest, Target};
use danvan_store::chain::submissions::{self, Document, Submission};
use danvan_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/requests", create_request)
        .get("/api/requests/{id}", one_request)
        .get("/api/requests/{id}/completeness", completeness_of)
        .post("/api/submissions", prepare)
        .get("/api/submissions/{id}", one)
        .post("/api/submissions/{id}/submit", submit)
        .post("/api/submissions/{id}/accept", accept)
        .post("/api/submissions/{id}/return", return_it)
        .post("/api/submissions/{id}/unaccept", unaccept)
        .get("/api/submissions/{id}/docx", docx)
        .get("/api/submissions/{id}/pdf", pdf)
}

/// A request as posted.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RequestBody {
    /// Đơn vị yêu cầu (mã số).
    unit: i64,
    /// Mẫu báo cáo.
    #[schema(example = "bao-cao-6-thang")]
    template: String,
    /// Kỳ báo cáo: 2020-H1, 2020-Q3, 2020-9M, 2020, 2021..2023…
    #[schema(example = "2020-H1")]
    period: String,
    /// Kỳ chốt số liệu (từ ngày 15 tháng trước đến ngày 14).
    #[serde(default)]
    cutoff: bool,
    due_on: NaiveDate,
    /// Số, ký hiệu văn bản yêu cầu.
    #[schema(example = "1027-CV/BDVTU")]
    document: String,
    #[serde(default)]
    title: String,
    /// communes, districts hoặc chosen.
    #[schema(example = "communes")]
    target: String,
    /// Các đơn vị được chọn (với target = chosen).
    #[serde(default)]
    units: Vec<i64>,
}

/// A stored request.
#[derive(Serialize, ToSchema)]
pub struct RequestRead {
    id: i64,
    unit: i64,
    template: String,
    period: String,
    cutoff: bool,
    due_on: NaiveDate,
    document: String,
    title: String,
    target: String,
    /// Các đơn vị được yêu cầu.
    units: Vec<i64>,
}

impl From<requests::Request> for RequestRead {
    fn from(r: requests::Request) -> Self {
        RequestRead {
            id: r.id,
            unit: r.unit_id,
            template: r.template,
            period: r.period.code(),
            cutoff: r.period.cutoff,
            due_on: r.due_on,
            document: r.document,
            title: r.title,
            target: r.target.code().to_string(),
            units: r.targets,
        }
    }
}

/// The template must be one the report crate has.
pub fn check_template(name: &str) -> Result<(), DomainError> {
    if danvan_report::prose::BUILTIN
        .iter()
        .any(|(n, _, _)| *n == name.trim())
    {
        return Ok(());
    }
    let names: Vec<&str> = danvan_report::prose::BUILTIN
        .iter()
        .map(|(n, _, _)| *n)
        .collect();
    Err(DomainError::new(
        "template.unknown",
        format!(
            "không có mẫu báo cáo «{name}»; các mẫu có sẵn: {}",
            names.join(", ")
        ),
    )
    .at_field("template"))
}

/// Make a request from its parts as the API and the page receive them.
pub async fn make_request(store: &Store, b: NewRequest) -> Result<i64, StoreError> {
    check_template(&b.template)?;
    requests::create(store, &b).await
}

#[utoipa::path(post, path = "/api/requests", tag = "chain", operation_id = "requests_create",
    request_body = RequestBody,
    responses((status = 201, description = "Yêu cầu đã gửi tới các đơn vị.", body = RequestRead)))]
async fn create_request(
    Ctx { store, .. }: Ctx,
    Body(b): Body<RequestBody>,
) -> Result<Response, ApiError> {
    let period = Period::parse(&b.period, b.cutoff).map_err(|e| e.at_field("period"))?;
    let id = make_request(
        &store,
        NewRequest {
            unit_id: b.unit,
            template: b.template,
            period,
            due_on: b.due_on,
            document: b.document,
            title: b.title,
            target: Target::parse(&b.target)?,
            chosen: b.units,
        },
    )
    .await?;
    let r = requests::get(&store, id).await?;
    Ok((StatusCode::CREATED, Json(RequestRead::from(r))).into_response())
}

#[utoipa::path(get, path = "/api/requests/{id}", tag = "chain", operation_id = "requests_one",
    params(("id" = i64, Path, description = "Số yêu cầu")),
    responses((status = 200, description = "Yêu cầu báo cáo.", body = RequestRead)))]
async fn one_request(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(Json(RequestRead::from(requests::get(&store, id).await?)).into_response())
}

/// One unit of the completeness table.
#[derive(Serialize, ToSchema)]
pub struct CompletenessRow {
    unit: i64,
    unit_name: String,
    /// not_started, draft, submitted_on_time, submitted_late, returned, accepted.
    standing: String,
    label: String,
    version: Option<i64>,
    submission: Option<i64>,
    first_sent: Option<NaiveDateTime>,
    on_time: Option<bool>,
    reason: Option<String>,
}

/// Body of `GET /api/requests/{id}/completeness`.
#[derive(Serialize, ToSchema)]
pub struct CompletenessRead {
    request: i64,
    total: usize,
    sent: usize,
    on_time: usize,
    accepted: usize,
    returned: usize,
    /// «6/8 đơn vị đã gửi, 5 đúng hạn».
    summary: String,
    units: Vec<CompletenessRow>,
}

impl From<Completeness> for CompletenessRead {
    fn from(c: Completeness) -> Self {
        CompletenessRead {
            request: c.request.id,
            total: c.total,
            sent: c.sent,
            on_time: c.on_time,
            accepted: c.accepted,
            returned: c.returned,
            summary: c.summary(),
            units: c
                .rows
                .into_iter()
                .map(|r| CompletenessRow {
                    unit: r.unit_id,
                    unit_name: r.unit,
                    standing: serde_json::to_value(r.standing)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default(),
                    label: r.label.to_string(),
                    version: r.version,
                    submission: r.submission_id,
                    first_sent: r.first_sent,
                    on_time: r.on_time,
                    reason: r.reason,
                })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/requests/{id}/completeness", tag = "chain", operation_id = "requests_completeness",
    params(("id" = i64, Path, description = "Số yêu cầu")),
    responses((status = 200, description = "Tình hình gửi báo cáo của các đơn vị được yêu cầu.", body = CompletenessRead)))]
async fn completeness_of(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    Ok(Json(CompletenessRead::from(completeness::of(&store, id).await?)).into_response())
}

/// Body of `POST /api/submissions`.
#[derive(Deserialize, ToSchema)]
pub struct PrepareBody {
    request: i64,
    unit: i64,
}

/// A submission's state.
#[derive(Serialize, ToSchema)]
pub struct SubmissionState {
    id: i64,
    version: i64,
    /// draft, submitted, accepted, returned.
    status: String,
}

fn state(s: &Submission) -> SubmissionState {
    SubmissionState {
        id: s.id,
        version: s.version,
        status: s.status.code().to_string(),
    }
}

#[utoipa::path(post, path = "/api/submissions", tag = "chain", operation_id = "submissions_prepare",
    request_body = PrepareBody,
    responses((status = 201, description = "Bản đang soạn (lần mới sau khi bị trả lại).", body = SubmissionState)))]
async fn prepare(Ctx { store, .. }: Ctx, Body(b): Body<PrepareBody>) -> Result<Response, ApiError> {
    let s = submissions::prepare(&store, b.request, b.unit).await?;
    Ok((StatusCode::CREATED, Json(state(&s))).into_response())
}

/// Body of `POST /api/submissions/{id}/submit`.
#[derive(Deserialize, ToSchema)]
pub struct SubmitBody {
    /// Số, ký hiệu của báo cáo.
    #[schema(example = "45/BC-UBND")]
    number: String,
    /// Ngày của báo cáo; mặc định hôm nay.
    #[serde(default)]
    dated_on: Option<NaiveDate>,
    /// Mã cơ quan ban hành (ubnd, cap_uy, bdv, mttq hoặc cơ quan đơn vị đã
    /// thêm); mặc định theo mẫu báo cáo.
    #[serde(default)]
    #[schema(example = "bdv")]
    issuer: Option<String>,
}

#[utoipa::path(post, path = "/api/submissions/{id}/submit", tag = "chain", operation_id = "submissions_submit",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    request_body = SubmitBody,
    responses((status = 200, description = "Đã gửi: số liệu, DOCX và PDF được đóng băng.", body = SubmissionState)))]
async fn submit(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    Body(b): Body<SubmitBody>,
) -> Result<Response, ApiError> {
    let s = danvan_report::chain::submit(
        &store,
        Catalogue::shipped(),
        id,
        &b.number,
        b.dated_on,
        b.issuer.as_deref(),
    )
    .await?;
    Ok(Json(state(&s)).into_response())
}

/// Body of `POST /api/submissions/{id}/accept`; it may be left out.
#[derive(Deserialize, ToSchema, Default)]
pub struct AcceptBody {
    /// Ý kiến của người duyệt (không bắt buộc).
    #[serde(default)]
    comment: Option<String>,
}

#[utoipa::path(post, path = "/api/submissions/{id}/accept", tag = "chain", operation_id = "submissions_accept",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    request_body(content = AcceptBody, description = "Không bắt buộc: ý kiến của người duyệt."),
    responses((status = 200, description = "Đã duyệt; kỳ báo cáo của đơn vị bị khóa.", body = SubmissionState)))]
async fn accept(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let b: AcceptBody = if body.iter().all(u8::is_ascii_whitespace) {
        AcceptBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            DomainError::new("json.invalid", format!("dữ liệu JSON không hợp lệ: {e}"))
        })?
    };
    let comment = b
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    Ok(Json(state(&submissions::accept(&store, id, comment).await?)).into_response())
}

/// A reason, for returning a report or withdrawing an acceptance.
#[derive(Deserialize, ToSchema)]
pub struct ReasonBody {
    reason: String,
}

#[utoipa::path(post, path = "/api/submissions/{id}/return", tag = "chain", operation_id = "submissions_return",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    request_body = ReasonBody,
    responses((status = 200, description = "Đã trả lại để sửa.", body = SubmissionState)))]
async fn return_it(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    Body(b): Body<ReasonBody>,
) -> Result<Response, ApiError> {
    Ok(Json(state(
        &submissions::return_for_correction(&store, id, &b.reason).await?,
    ))
    .into_response())
}

#[utoipa::path(post, path = "/api/submissions/{id}/unaccept", tag = "chain", operation_id = "submissions_unaccept",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    request_body = ReasonBody,
    responses((status = 200, description = "Đã huỷ duyệt (cấp trên của đơn vị đã duyệt).", body = SubmissionState)))]
async fn unaccept(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    Body(b): Body<ReasonBody>,
) -> Result<Response, ApiError> {
    Ok(Json(state(&submissions::unaccept(&store, id, &b.reason).await?)).into_response())
}

/// A submission as read: what it froze, its review, and what changed
/// after it was accepted.
#[derive(Serialize, ToSchema)]
pub struct SubmissionRead {
    id: i64,
    request: i64,
    unit: i64,
    version: i64,
    status: String,
    number: Option<String>,
    dated_on: Option<NaiveDate>,
    submitted_at: Option<NaiveDateTime>,
    reviewed_at: Option<NaiveDateTime>,
    reason: Option<String>,
    /// Số liệu đã đóng băng khi gửi.
    #[schema(value_type = Object)]
    figures: Option<Value>,
    /// Số liệu bất thường so với cùng kỳ và đơn vị cùng cấp.
    #[schema(value_type = Object)]
    outliers: Option<Value>,
    docx_sha256: Option<String>,
    pdf_sha256: Option<String>,
    /// Sửa sau duyệt: lý do, người sửa.
    #[schema(value_type = Object)]
    late_corrections: Value,
    /// Số liệu đã thay đổi sau khi duyệt: từng chỉ tiêu, đã gửi và hiện nay.
    #[schema(value_type = Object)]
    changed_after_acceptance: Value,
}

/// Read a submission with what changed since it was accepted.
pub async fn read(store: &Store, id: i64) -> Result<SubmissionRead, StoreError> {
    let mut s = submissions::get(store, id).await?;
    let req = requests::get(store, s.request_id).await?;
    // The reviewer sees the figures against the unit's peers too, which
    // the unit itself could not read when it sent them.
    if s.figures.is_some() && requests::may_review(store, &req) {
        let flags =
            danvan_report::chain::outliers_for(store, Catalogue::shipped(), &req, &s).await?;
        s.outliers = Some(serde_json::to_value(flags).expect("flags serialise"));
    }
    let (late, drift) = if s.status == submissions::Status::Accepted {
        (
            submissions::late_corrections(store, id).await?,
            danvan_report::chain::drift(store, Catalogue::shipped(), &req, &s).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(SubmissionRead {
        id: s.id,
        request: s.request_id,
        unit: s.unit_id,
        version: s.version,
        status: s.status.code().to_string(),
        number: s.number,
        dated_on: s.dated_on,
        submitted_at: s.submitted_at,
        reviewed_at: s.reviewed_at,
        reason: s.reason,
        figures: s.figures,
        outliers: s.outliers,
        docx_sha256: s.docx_sha256,
        pdf_sha256: s.pdf_sha256,
        late_corrections: serde_json::to_value(late).expect("serialises"),
        changed_after_acceptance: serde_json::to_value(drift).expect("serialises"),
    })
}

#[utoipa::path(get, path = "/api/submissions/{id}", tag = "chain", operation_id = "submissions_one",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    responses((status = 200, description = "Số liệu đã đóng băng và mã SHA-256 của các tệp.", body = SubmissionRead)))]
async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(Json(read(&store, id).await?).into_response())
}

/// A stored document as a download, its SHA-256 in a header.
pub async fn download(store: &Store, id: i64, doc: Document) -> Result<Response, StoreError> {
    let (bytes, sha) = submissions::document(store, id, doc).await?;
    let (mime, ext) = match doc {
        Document::Docx => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Document::Pdf => ("application/pdf", "pdf"),
    };
    let disposition = format!("attachment; filename=\"bao-cao-{id}.{ext}\"");
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&sha) {
        h.insert("x-content-sha256", v);
    }
    Ok(r)
}

#[utoipa::path(get, path = "/api/submissions/{id}/docx", tag = "chain", operation_id = "submissions_docx",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    responses((status = 200, description = "Tệp DOCX đã gửi, đúng từng byte (SHA-256 ở tiêu đề X-Content-SHA256).", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")))]
async fn docx(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(download(&store, id, Document::Docx).await?)
}

#[utoipa::path(get, path = "/api/submissions/{id}/pdf", tag = "chain", operation_id = "submissions_pdf",
    params(("id" = i64, Path, description = "Số báo cáo gửi lên")),
    responses((status = 200, description = "Tệp PDF đã gửi, đúng từng byte.", content_type = "application/pdf")))]
async fn pdf(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(download(&store, id, Document::Pdf).await?)
}
