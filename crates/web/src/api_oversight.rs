//! JSON API for oversight and social-criticism activities under
//! `/api/oversight`: create one or a list (all or nothing), read.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::oversight::Oversight;
use danvan_store::oversight;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::auth::Ctx;
use crate::openapi::{Created, OneOrMany};
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/oversight", create)
        .get("/api/oversight/{id}", one)
}

/// An oversight activity with its number.
#[derive(Serialize, ToSchema)]
pub struct OversightRead {
    pub id: i64,
    pub oversight: Oversight,
}

#[utoipa::path(post, path = "/api/oversight", tag = "oversight", operation_id = "oversight_create",
    request_body(content = OneOrMany<Oversight>, description = "Một hoạt động, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Hoạt động đã ghi; với danh sách: các số.", body = Created<OversightRead>)))]
async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Oversight>, bool) = one_or_many(v)?;
    let ids = oversight::insert_many(&store, &items).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        let id = ids[0];
        Created::One(OversightRead {
            id,
            oversight: oversight::get(&store, id).await?,
        })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/oversight/{id}", tag = "oversight", operation_id = "oversight_get",
    params(("id" = i64, Path, description = "Số hoạt động")),
    responses((status = 200, description = "Hoạt động giám sát, phản biện.", body = OversightRead)))]
async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let o = oversight::get(&store, id).await?;
    Ok(Json(OversightRead { id, oversight: o }).into_response())
}
