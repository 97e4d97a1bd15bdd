//! JSON API for petitions under `/api/petitions`: create, update, apply a
//! lifecycle step, list with filters, due lists. Errors are JSON with a
//! stable `code` and a Vietnamese `message`.
//!
//! The caller is the signed-in user or the owner of the API token; an
//! assigned handler sees a denouncer's identity, everyone else reads `***`.

use crate::api_version::{IfMatch, json_tagged, tagged};
use crate::auth::Ctx;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::error::Where;
use danvan_core::period::parse_date;
use danvan_core::records::petition::{Event, Petition, PetitionStatus, PetitionType};
use danvan_store::StoreError;
use danvan_store::petitions::{self, DueFilter, Filter};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

pub fn routes(r: Routes) -> Routes {
    r.post("/api/petitions", create)
        .get("/api/petitions", list)
        .get("/api/petitions/due", due)
        .get("/api/petitions/{id}", one)
        .put("/api/petitions/{id}", update)
        .post("/api/petitions/{id}/transition", transition)
}

/// A store error as an HTTP response with a stable code, or a response
/// decided before the store was asked (a missing precondition).
pub enum ApiError {
    Store(StoreError),
    Answer(Box<Response>),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Store(e)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Store(StoreError::Invalid(e))
    }
}

/// The body of every API error: `{code, message, at}`, `at` saying where
/// in the input the problem is (`{"kind": "nowhere"}` when nowhere).
pub fn error_body(code: &str, message: &str, at: &Where) -> Value {
    json!({ "code": code, "message": message, "at": at })
}

/// An API error response not raised by the store (authentication, CSRF,
/// an unknown path).
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(error_body(code, message, &Where::Nowhere))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = match self {
            ApiError::Store(e) => e,
            ApiError::Answer(r) => return *r,
        };
        let msg = e.to_string();
        let (status, body) = match &e {
            StoreError::Invalid(d) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                error_body(d.code, &msg, &d.at),
            ),
            StoreError::InvalidRows(rows) => {
                let mut body = error_body("invalid_rows", &msg, &Where::Nowhere);
                body["errors"] = rows
                    .iter()
                    .map(|d| error_body(d.code, &d.to_string(), &d.at))
                    .collect();
                (StatusCode::UNPROCESSABLE_ENTITY, body)
            }
            StoreError::NotFound(_) => (
                StatusCode::NOT_FOUND,
                error_body("not_found", &msg, &Where::Nowhere),
            ),
            StoreError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                error_body("forbidden", &msg, &Where::Nowhere),
            ),
            StoreError::Stale(_) => (
                StatusCode::PRECONDITION_FAILED,
                error_body("stale", &msg, &Where::Nowhere),
            ),
            StoreError::Locked(_) => (
                StatusCode::CONFLICT,
                error_body("period_locked", &msg, &Where::Nowhere),
            ),
            StoreError::Connect(..) | StoreError::Db(_) | StoreError::Sqlite(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                error_body(
                    "database",
                    &crate::pages::hidden_failure(&e),
                    &Where::Nowhere,
                ),
            ),
        };
        (status, Json(body)).into_response()
    }
}

/// A JSON body whose rejection (malformed JSON, a missing field, a value
/// outside a vocabulary) is a 422 with a stable code, like every other
/// invalid input.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Body(v)),
            Err(r) => Err(DomainError::new(
                "json.invalid",
                format!("dữ liệu JSON không hợp lệ: {}", r.body_text()),
            )
            .into()),
        }
    }
}

/// A query string whose rejection is a 422 with a stable code.
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Params(v)),
            Err(r) => Err(DomainError::new(
                "query.invalid",
                format!("tham số truy vấn không hợp lệ: {}", r.body_text()),
            )
            .into()),
        }
    }
}

/// One record or a list of records: `(records, was_a_list)`. A record that
/// does not fit names its position in the list.
pub fn one_or_many<T: DeserializeOwned>(v: Value) -> Result<(Vec<T>, bool), ApiError> {
    let bad = |e: serde_json::Error| {
        DomainError::new("json.invalid", format!("dữ liệu JSON không hợp lệ: {e}"))
    };
    match v {
        Value::Array(items) => {
            let n = items.len();
            let mut out = Vec::with_capacity(n);
            for (i, item) in items.into_iter().enumerate() {
                out.push(serde_json::from_value(item).map_err(|e| {
                    let mut d = bad(e);
                    d.message = format!("bản ghi thứ {}/{n}: {}", i + 1, d.message);
                    d
                })?);
            }
            Ok((out, true))
        }
        v => Ok((vec![serde_json::from_value(v).map_err(bad)?], false)),
    }
}

pub(crate) fn date(field: &str, s: &str) -> Result<NaiveDate, ApiError> {
    parse_date(s).ok_or_else(|| {
        DomainError::new(
            "date.invalid",
            format!("ngày «{s}» không hợp lệ; dùng dạng NNNN-TT-NN"),
        )
        .at_field(field.to_string())
        .into()
    })
}

/// A petition as the caller may see it: the store's `StoredPetition`,
/// described here for the OpenAPI document (a test keeps them alike).
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built: handlers send the store's type
pub struct PetitionRead {
    pub id: i64,
    pub status: PetitionStatus,
    /// Đúng khi danh tính người tố cáo được thay bằng `***` cho người xem này.
    pub identity_masked: bool,
    pub petition: Petition,
}

/// Body of `GET /api/petitions`.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built
pub struct PetitionList {
    pub petitions: Vec<PetitionRead>,
}

/// Body of `GET /api/petitions/due`.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built
pub struct DueList {
    pub due: Vec<DueRow>,
}

/// One pending petition and where it stands against its deadline.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built
pub struct DueRow {
    /// Số đơn, đơn vị, loại, ngày nhận, trạng thái, loại thời hạn, hạn và tình trạng hạn.
    #[schema(value_type = Object)]
    pub item: Value,
    /// Tình trạng hạn bằng tiếng Việt, ví dụ «thời hạn giải quyết: Sắp đến hạn (còn 4 ngày)».
    pub text: String,
}

#[utoipa::path(post, path = "/api/petitions", tag = "petitions", operation_id = "petitions_create",
    request_body = Petition,
    responses((status = 201, description = "Đơn đã ghi.", body = PetitionRead)))]
async fn create(ctx: Ctx, Body(p): Body<Petition>) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    let id = petitions::insert(store, &p).await?;
    let (got, version) = petitions::get_for_edit(store, id, v).await?;
    Ok(tagged(
        (StatusCode::CREATED, Json(got)).into_response(),
        version,
    ))
}

#[utoipa::path(put, path = "/api/petitions/{id}", tag = "petitions", operation_id = "petitions_update",
    params(("id" = i64, Path, description = "Số đơn"),
        ("If-Match" = String, Header, description = "ETag nhận được khi đọc đơn")),
    request_body = Petition,
    responses((status = 200, description = "Đơn sau khi sửa.", body = PetitionRead),
        (status = 412, description = "Đơn đã được người khác thay đổi sau khi đọc."),
        (status = 428, description = "Thiếu If-Match.")))]
async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    if_match: IfMatch,
    Body(p): Body<Petition>,
) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    let read = if_match.required(petitions::get(store, id, v)).await?;
    petitions::update(store, id, &p, v, read).await?;
    let (got, version) = petitions::get_for_edit(store, id, v).await?;
    Ok(json_tagged(got, version))
}

#[utoipa::path(get, path = "/api/petitions/{id}", tag = "petitions", operation_id = "petitions_get",
    params(("id" = i64, Path, description = "Số đơn")),
    responses((status = 200, description = "Đơn.", body = PetitionRead)))]
async fn one(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    let (got, version) = petitions::get_for_edit(store, id, v).await?;
    Ok(json_tagged(got, version))
}

#[utoipa::path(post, path = "/api/petitions/{id}/transition", tag = "petitions", operation_id = "petitions_transition",
    params(("id" = i64, Path, description = "Số đơn")),
    request_body(content = Event, description = "Bước xử lý: phân loại, xử lý, gia hạn hoặc giải quyết xong."),
    responses((status = 200, description = "Đơn sau bước xử lý.", body = PetitionRead)))]
async fn transition(
    ctx: Ctx,
    Path(id): Path<i64>,
    Body(e): Body<Event>,
) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    petitions::transition(store, id, &e, v).await?;
    let (got, version) = petitions::get_for_edit(store, id, v).await?;
    Ok(json_tagged(got, version))
}

/// Query of `GET /api/petitions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// Đơn vị (mã số): đơn của đơn vị này và các đơn vị trực thuộc.
    unit: Option<i64>,
    /// Nhận từ ngày (NNNN-TT-NN).
    from: Option<String>,
    /// Nhận đến ngày (NNNN-TT-NN).
    to: Option<String>,
    /// Loại đơn: mã hoặc tên tiếng Việt («to cao»).
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Trạng thái: mã hoặc tên tiếng Việt.
    status: Option<String>,
    /// Vụ việc.
    case_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/petitions", tag = "petitions", operation_id = "petitions_list",
    params(ListQuery),
    responses((status = 200, description = "Đơn khớp bộ lọc, theo số đơn.", body = PetitionList)))]
async fn list(ctx: Ctx, Params(q): Params<ListQuery>) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    let received = match (q.from.as_deref(), q.to.as_deref()) {
        (None, None) => None,
        (from, to) => Some((
            from.map_or(Ok(NaiveDate::MIN), |s| date("from", s))?,
            to.map_or(Ok(NaiveDate::MAX), |s| date("to", s))?,
        )),
    };
    let filter = Filter {
        unit: q.unit,
        received,
        kind: q.kind.as_deref().map(PetitionType::parse).transpose()?,
        status: q.status.as_deref().map(PetitionStatus::parse).transpose()?,
        case_id: q.case_id,
    };
    let got = petitions::list(store, &filter, v).await?;
    Ok(Json(json!({ "petitions": got })).into_response())
}

/// Query of `GET /api/petitions/due`: `overdue=true`, or `within=N` days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DueQuery {
    /// Đơn vị (mã số) và các đơn vị trực thuộc.
    unit: i64,
    /// Ngày tính hạn (NNNN-TT-NN); mặc định hôm nay.
    today: Option<String>,
    /// Sắp đến hạn trong số ngày này (mặc định 5).
    within: Option<u32>,
    /// Chỉ đơn đã quá hạn.
    #[serde(default)]
    overdue: bool,
}

#[utoipa::path(get, path = "/api/petitions/due", tag = "petitions", operation_id = "petitions_due",
    params(DueQuery),
    responses((status = 200, description = "Đơn đang chờ, quá hạn hoặc sắp đến hạn.", body = DueList)))]
async fn due(Ctx { store, .. }: Ctx, Params(q): Params<DueQuery>) -> Result<Response, ApiError> {
    let today = match q.today.as_deref() {
        Some(s) => date("today", s)?,
        None => chrono::Local::now().date_naive(),
    };
    let which = match (q.overdue, q.within) {
        (true, _) => DueFilter::Overdue,
        (false, Some(n)) => DueFilter::DueWithin(n),
        (false, None) => DueFilter::DueWithin(5),
    };
    let items = petitions::due_list(&store, q.unit, today, which).await?;
    let rows: Vec<_> = items
        .iter()
        .map(|i| json!({ "item": i, "text": format!("{}: {}", i.deadline_kind.label(), i.due) }))
        .collect();
    Ok(Json(json!({ "due": rows })).into_response())
}
