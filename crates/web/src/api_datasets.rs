//! JSON API for aggregate data sets: define elements and sets, read a set,
//! enter values (all or nothing), read one entered value.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_store::{Store, datasets, units};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, Params, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/data-elements", define_element)
        .post("/api/data-sets", define_set)
        .get("/api/data-sets/{code}", one_set)
        .post("/api/data-sets/{code}/values", enter)
        .get("/api/data-values", value)
}

async fn define_element(
    Ctx { store, .. }: Ctx,
    Body(e): Body<DataElement>,
) -> Result<Response, ApiError> {
    let id = datasets::define_element(&store, &e).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "element": e }))).into_response())
}

async fn read_set(store: &Store, code: &str) -> Result<Value, ApiError> {
    let (set, elements) = datasets::get_set(store, code).await?;
    Ok(json!({ "set": set, "elements": elements }))
}

async fn define_set(Ctx { store, .. }: Ctx, Body(s): Body<DataSet>) -> Result<Response, ApiError> {
    datasets::define_set(&store, &s).await?;
    Ok((StatusCode::CREATED, Json(read_set(&store, &s.code).await?)).into_response())
}

async fn one_set(Ctx { store, .. }: Ctx, Path(code): Path<String>) -> Result<Response, ApiError> {
    Ok(Json(read_set(&store, &code).await?).into_response())
}

/// One value or a list of values of the set.
async fn enter(
    Ctx { store, .. }: Ctx,
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
    Ctx { store, .. }: Ctx,
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
