//! JSON API for oversight and social-criticism activities under
//! `/api/oversight`: create one or a list (all or nothing), read.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::oversight::Oversight;
use danvan_store::oversight;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/oversight", create)
        .get("/api/oversight/{id}", one)
}

async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Oversight>, bool) = one_or_many(v)?;
    let ids = oversight::insert_many(&store, &items).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "oversight": oversight::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let o = oversight::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "oversight": o })).into_response())
}
