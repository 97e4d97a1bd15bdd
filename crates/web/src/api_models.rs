//! JSON API for "Dân vận khéo" models under `/api/models`: create one or a
//! list (each with its years), read, record a year.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use danvan_core::records::model::{Model, ModelYear};
use danvan_store::Store;
use danvan_store::models;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};

pub fn routes() -> Router<Store> {
    Router::new()
        .route("/api/models", post(create))
        .route("/api/models/{id}", get(one))
        .route("/api/models/{id}/years", put(set_year))
}

/// A model with its yearly entries, as posted and as read.
#[derive(Debug, Deserialize)]
struct ModelBody {
    model: Model,
    years: Vec<ModelYear>,
}

async fn read(store: &Store, id: i64) -> Result<Value, ApiError> {
    let (model, years) = models::get(store, id).await?;
    Ok(json!({ "id": id, "model": model, "years": years }))
}

async fn create(State(store): State<Store>, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<ModelBody>, bool) = one_or_many(v)?;
    let pairs: Vec<(Model, Vec<ModelYear>)> =
        items.into_iter().map(|b| (b.model, b.years)).collect();
    let ids = models::insert_many(&store, &pairs).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        read(&store, ids[0]).await?
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(Json(read(&store, id).await?).into_response())
}

async fn set_year(
    State(store): State<Store>,
    Path(id): Path<i64>,
    Body(y): Body<ModelYear>,
) -> Result<Response, ApiError> {
    models::set_year(&store, id, &y).await?;
    Ok(Json(read(&store, id).await?).into_response())
}
