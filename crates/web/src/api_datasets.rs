//! JSON API for aggregate data sets: define elements and sets, read a set,
//! enter values (all or nothing), read one entered value.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use danvan_core::DomainError;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_store::{Store, datasets, units};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, Params, one_or_many};

pub fn routes() -> Router<Store> {
    Router::new()
        .route("/api/data-elements", post(define_element))
        .route("/api/data-sets", post(define_set))
        .route("/api/data-sets/{code}", get(one_set))
        .route("/api/data-sets/{code}/values", post(enter))
        .route("/api/data-values", get(value))
}

async fn define_element(
    State(store): State<Store>,
    Body(e): Body<DataElement>,
) -> Result<Response, ApiError> {
    let id = datasets::define_element(&store, &e).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "element": e }))).into_response())
}

async fn read_set(store: &Store, code: &str) -> Result<Value, ApiError> {
    let (set, elements) = datasets::get_set(store, code).await?;
    Ok(json!({ "set": set, "elements": elements }))
}

async fn define_set(
    State(store): State<Store>,
    Body(s): Body<DataSet>,
) -> Result<Response, ApiError> {
    datasets::define_set(&store, &s).await?;
    Ok((StatusCode::CREATED, Json(read_set(&store, &s.code).await?)).into_response())
}

async fn one_set(
    State(store): State<Store>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    Ok(Json(read_set(&store, &code).await?).into_response())
}

/// One value or a list of values of the set.
async fn enter(
    State(store): State<Store>,
    Path(code): Path<String>,
    Body(v): Body<Value>,
) -> Result<Response, ApiError> {
    let (values, _): (Vec<DataValue>, bool) = one_or_many(v)?;
    datasets::enter(&store, &code, &values).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "entered": values.len() })),
    )
        .into_response())
}

/// Query of `GET /api/data-values`.
#[derive(Debug, Deserialize)]
struct ValueQuery {
    unit: i64,
    element: String,
    period: String,
    #[serde(default)]
    option: String,
}

async fn value(
    State(store): State<Store>,
    Params(q): Params<ValueQuery>,
) -> Result<Response, ApiError> {
    if units::by_id(&store, q.unit).await?.is_none() {
        return Err(DomainError::new(
            "record.unknown_unit",
            format!("không tìm thấy đơn vị (mã số {})", q.unit),
        )
        .at_field("unit")
        .into());
    }
    let v = datasets::value(&store, q.unit, &q.element, &q.period, &q.option).await?;
    Ok(Json(json!({
        "unit": q.unit, "element": q.element, "period": q.period, "option": q.option, "value": v,
    }))
    .into_response())
}
