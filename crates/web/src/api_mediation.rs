//! JSON API for grassroots mediation cases under `/api/mediation`: create
//! one case or a list (all or nothing), read, replace, delete. Errors are
//! those of [`crate::api_petitions::ApiError`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use danvan_core::records::mediation::MediationCase;
use danvan_store::Store;
use danvan_store::mediation;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};

pub fn routes() -> Router<Store> {
    Router::new().route("/api/mediation", post(create)).route(
        "/api/mediation/{id}",
        axum::routing::get(one).put(update).delete(remove),
    )
}

async fn create(State(store): State<Store>, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (cases, list): (Vec<MediationCase>, bool) = one_or_many(v)?;
    let ids = mediation::insert_many(&store, &cases).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "case": mediation::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let case = mediation::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "case": case })).into_response())
}

async fn update(
    State(store): State<Store>,
    Path(id): Path<i64>,
    Body(c): Body<MediationCase>,
) -> Result<Response, ApiError> {
    mediation::update(&store, id, &c).await?;
    let case = mediation::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "case": case })).into_response())
}

async fn remove(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    mediation::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
