//! JSON API for petitions under `/api/petitions`: create, update, apply a
//! lifecycle step, list with filters, due lists. Errors are JSON with a
//! stable `code` and a Vietnamese `message`.
//!
//! The caller is the signed-in user or the owner of the API token; an
//! assigned handler sees a denouncer's identity, everyone else reads `***`.

use crate::auth::Ctx;
use crate::routes::Routes;
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::period::parse_date;
use danvan_core::records::petition::{Event, Petition, PetitionStatus, PetitionType};
use danvan_store::StoreError;
use danvan_store::petitions::{self, DueFilter, Filter};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub fn routes(r: Routes) -> Routes {
    r.post("/api/petitions", create)
        .get("/api/petitions", list)
        .get("/api/petitions/due", due)
        .get("/api/petitions/{id}", one)
        .put("/api/petitions/{id}", update)
        .post("/api/petitions/{id}/transition", transition)
}

/// A store error as an HTTP response with a stable code.
pub struct ApiError(StoreError);

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError(e)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError(StoreError::Invalid(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self.0 {
            StoreError::Invalid(d) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({ "code": d.code, "message": d.to_string(), "at": d.at }),
            ),
            StoreError::InvalidRows(rows) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "code": "invalid_rows",
                    "message": self.0.to_string(),
                    "errors": rows.iter().map(|d| json!({ "code": d.code, "message": d.to_string(), "at": d.at })).collect::<Vec<_>>(),
                }),
            ),
            StoreError::NotFound(_) => (
                StatusCode::NOT_FOUND,
                json!({ "code": "not_found", "message": self.0.to_string() }),
            ),
            StoreError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                json!({ "code": "forbidden", "message": self.0.to_string() }),
            ),
            StoreError::Connect(..) | StoreError::Db(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "code": "database", "message": self.0.to_string() }),
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

async fn create(ctx: Ctx, Body(p): Body<Petition>) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    let id = petitions::insert(&store, &p).await?;
    let got = petitions::get(&store, id, v).await?;
    Ok((StatusCode::CREATED, Json(got)).into_response())
}

async fn update(
    ctx: Ctx,
    Path(id): Path<i64>,
    Body(p): Body<Petition>,
) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    petitions::update(&store, id, &p).await?;
    Ok(Json(petitions::get(&store, id, v).await?).into_response())
}

async fn one(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    Ok(Json(petitions::get(&store, id, v).await?).into_response())
}

async fn transition(
    ctx: Ctx,
    Path(id): Path<i64>,
    Body(e): Body<Event>,
) -> Result<Response, ApiError> {
    let (store, v) = (&ctx.store, ctx.viewer());
    Ok(Json(petitions::transition(&store, id, &e, v).await?).into_response())
}

/// Query of `GET /api/petitions`.
#[derive(Debug, Deserialize)]
struct ListQuery {
    unit: Option<i64>,
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    case_id: Option<i64>,
}

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
    let got = petitions::list(&store, &filter, v).await?;
    Ok(Json(json!({ "petitions": got })).into_response())
}

/// Query of `GET /api/petitions/due`: `overdue=true`, or `within=N` days.
#[derive(Debug, Deserialize)]
struct DueQuery {
    unit: i64,
    today: Option<String>,
    within: Option<u32>,
    #[serde(default)]
    overdue: bool,
}

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
