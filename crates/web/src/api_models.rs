//! JSON API for "Dân vận khéo" models under `/api/models`: create one or a
//! list (each with its years), read, record a year.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::model::{Model, ModelYear};
use danvan_store::Store;
use danvan_store::Version;
use danvan_store::models;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::api_version::{IfMatch, json_tagged};
use crate::auth::Ctx;
use crate::openapi::{Created, OneOrMany};
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/models", create)
        .get("/api/models/{id}", one)
        .put("/api/models/{id}/years", set_year)
}

/// A model with its yearly entries, as posted.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ModelBody {
    model: Model,
    years: Vec<ModelYear>,
}

/// A model with its number and yearly entries, as read.
#[derive(Serialize, ToSchema)]
pub struct ModelRead {
    pub id: i64,
    pub model: Model,
    pub years: Vec<ModelYear>,
}

/// One record as the API answers it, and its version.
async fn load(store: &Store, id: i64) -> Result<(ModelRead, Version), ApiError> {
    let ((model, years), version) = models::get_for_edit(store, id).await?;
    Ok((ModelRead { id, model, years }, version))
}

/// One record with its version as the `ETag`.
async fn read(store: &Store, id: i64) -> Result<Response, ApiError> {
    let (body, version) = load(store, id).await?;
    Ok(json_tagged(body, version))
}

#[utoipa::path(post, path = "/api/models", tag = "models", operation_id = "models_create",
    request_body(content = OneOrMany<ModelBody>, description = "Một mô hình với các năm, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Mô hình đã ghi; với danh sách: các số.", body = Created<ModelRead>)))]
async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<ModelBody>, bool) = one_or_many(v)?;
    let pairs: Vec<(Model, Vec<ModelYear>)> =
        items.into_iter().map(|b| (b.model, b.years)).collect();
    let ids = models::insert_many(&store, &pairs).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        Created::One(load(&store, ids[0]).await?.0)
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/models/{id}", tag = "models", operation_id = "models_get",
    params(("id" = i64, Path, description = "Số mô hình")),
    responses((status = 200, description = "Mô hình và các năm.", body = ModelRead)))]
async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    read(&store, id).await
}

#[utoipa::path(put, path = "/api/models/{id}/years", tag = "models", operation_id = "models_set_year",
    params(("id" = i64, Path, description = "Số mô hình"),
        ("If-Match" = String, Header, description = "ETag nhận được khi đọc mô hình")),
    request_body = ModelYear,
    responses((status = 200, description = "Mô hình sau khi ghi năm.", body = ModelRead),
        (status = 412, description = "Mô hình đã được người khác thay đổi sau khi đọc."),
        (status = 428, description = "Thiếu If-Match.")))]
async fn set_year(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    if_match: IfMatch,
    Body(y): Body<ModelYear>,
) -> Result<Response, ApiError> {
    let read_at = if_match.required(models::get(&store, id)).await?;
    models::set_year(&store, id, &y, read_at).await?;
    read(&store, id).await
}
