//! JSON API for grassroots mediation cases under `/api/mediation`: create
//! one case or a list (all or nothing), read, replace, delete. Errors are
//! those of [`crate::api_petitions::ApiError`].

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::mediation::MediationCase;
use danvan_store::mediation;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/mediation", create)
        .get("/api/mediation/{id}", one)
        .put("/api/mediation/{id}", update)
        .delete("/api/mediation/{id}", remove)
}

async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (cases, list): (Vec<MediationCase>, bool) = one_or_many(v)?;
    let ids = mediation::insert_many(&store, &cases).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "case": mediation::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let case = mediation::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "case": case })).into_response())
}

async fn update(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    Body(c): Body<MediationCase>,
) -> Result<Response, ApiError> {
    mediation::update(&store, id, &c).await?;
    let case = mediation::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "case": case })).into_response())
}

async fn remove(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    mediation::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
