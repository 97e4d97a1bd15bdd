//! JSON API for meetings (đối thoại, tiếp xúc cử tri) under
//! `/api/meetings`: create one or a list with their opinions, read, record
//! an opinion's follow-up, delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use danvan_core::DomainError;
use danvan_core::records::meeting::{FollowUp, Meeting};
use danvan_store::Store;
use danvan_store::meetings;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};

pub fn routes() -> Router<Store> {
    Router::new()
        .route("/api/meetings", post(create))
        .route("/api/meetings/{id}", get(one).delete(remove))
        .route("/api/meetings/{id}/opinions/{n}/follow-up", put(follow_up))
}

async fn create(State(store): State<Store>, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Meeting>, bool) = one_or_many(v)?;
    let ids = meetings::insert_many(&store, &items).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "meeting": meetings::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let m = meetings::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "meeting": m })).into_response())
}

/// Body of the follow-up step: `{"follow_up": "answered"}` (code or
/// Vietnamese label).
#[derive(Debug, Deserialize)]
struct FollowUpBody {
    follow_up: String,
}

/// `n` is the opinion's 1-based position, as people count them.
async fn follow_up(
    State(store): State<Store>,
    Path((id, n)): Path<(i64, usize)>,
    Body(b): Body<FollowUpBody>,
) -> Result<Response, ApiError> {
    let f = FollowUp::parse(&b.follow_up).map_err(|e| e.at_field("follow_up"))?;
    if n == 0 {
        return Err(
            DomainError::new("meeting.opinion_position", "ý kiến được đánh số từ 1").into(),
        );
    }
    meetings::set_follow_up(&store, id, n - 1, f).await?;
    let m = meetings::get(&store, id).await?;
    Ok(Json(json!({ "id": id, "meeting": m })).into_response())
}

async fn remove(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    meetings::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
