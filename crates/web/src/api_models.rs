//! JSON API for "Dân vận khéo" models under `/api/models`: create one or a
//! list (each with its years), read, record a year.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::model::{Model, ModelYear};
use danvan_store::Store;
use danvan_store::models;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/models", create)
        .get("/api/models/{id}", one)
        .put("/api/models/{id}/years", set_year)
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

async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
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

async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    Ok(Json(read(&store, id).await?).into_response())
}

async fn set_year(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    Body(y): Body<ModelYear>,
) -> Result<Response, ApiError> {
    models::set_year(&store, id, &y).await?;
    Ok(Json(read(&store, id).await?).into_response())
}
