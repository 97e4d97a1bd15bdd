//! JSON API for oversight and social-criticism activities under
//! `/api/oversight`: create one or a list (all or nothing), read.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use danvan_core::records::oversight::Oversight;
use danvan_store::Store;
use danvan_store::oversight;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};

pub fn routes() -> Router<Store> {
    Router::new()
        .route("/api/oversight", post(create))
        .route("/api/oversight/{id}", get(one))
}

async fn create(State(store): State<Store>, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Oversight>, bool) = one_or_many(v)?;
    let ids = oversight::insert_many(&store, &items).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "oversight": oversight::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let o = oversight::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "oversight": o })).into_response())
}
