//! JSON API for grassroots mediation cases under `/api/mediation`: create
//! one case or a list (all or nothing), read, replace, delete. Errors are
//! those of [`crate::api_petitions::ApiError`].

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::mediation::MediationCase;
use danvan_store::mediation;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::api_version::{IfMatch, json_tagged};
use crate::auth::Ctx;
use crate::openapi::{Created, OneOrMany};
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/mediation", create)
        .get("/api/mediation/{id}", one)
        .put("/api/mediation/{id}", update)
        .delete("/api/mediation/{id}", remove)
}

/// A mediation case with its number.
#[derive(Serialize, ToSchema)]
pub struct MediationRead {
    pub id: i64,
    pub case: MediationCase,
}

#[utoipa::path(post, path = "/api/mediation", tag = "mediation", operation_id = "mediation_create",
    request_body(content = OneOrMany<MediationCase>, description = "Một vụ việc, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Vụ việc đã ghi; với danh sách: các số.", body = Created<MediationRead>)))]
async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (cases, list): (Vec<MediationCase>, bool) = one_or_many(v)?;
    let ids = mediation::insert_many(&store, &cases).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        let id = ids[0];
        Created::One(MediationRead {
            id,
            case: mediation::get(&store, id).await?,
        })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/mediation/{id}", tag = "mediation", operation_id = "mediation_get",
    params(("id" = i64, Path, description = "Số vụ việc")),
    responses((status = 200, description = "Vụ việc.", body = MediationRead)))]
async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (case, version) = mediation::get_for_edit(&store, id).await?;
    Ok(json_tagged(MediationRead { id, case }, version))
}

#[utoipa::path(put, path = "/api/mediation/{id}", tag = "mediation", operation_id = "mediation_update",
    params(("id" = i64, Path, description = "Số vụ việc"),
        ("If-Match" = String, Header, description = "ETag nhận được khi đọc vụ việc")),
    request_body = MediationCase,
    responses((status = 200, description = "Vụ việc sau khi sửa.", body = MediationRead),
        (status = 412, description = "Vụ việc đã được người khác thay đổi sau khi đọc."),
        (status = 428, description = "Thiếu If-Match.")))]
async fn update(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    if_match: IfMatch,
    Body(c): Body<MediationCase>,
) -> Result<Response, ApiError> {
    let read = if_match.required(mediation::get(&store, id)).await?;
    mediation::update(&store, id, &c, read).await?;
    let (case, version) = mediation::get_for_edit(&store, id).await?;
    Ok(json_tagged(MediationRead { id, case }, version))
}

#[utoipa::path(delete, path = "/api/mediation/{id}", tag = "mediation", operation_id = "mediation_delete",
    params(("id" = i64, Path, description = "Số vụ việc")),
    responses((status = 204, description = "Đã xoá.")))]
async fn remove(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    mediation::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
