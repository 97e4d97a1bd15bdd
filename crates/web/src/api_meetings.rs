//! JSON API for meetings (đối thoại, tiếp xúc cử tri) under
//! `/api/meetings`: create one or a list with their opinions, read, record
//! an opinion's follow-up, delete.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_core::records::meeting::{FollowUp, Meeting};
use danvan_store::meetings;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/meetings", create)
        .get("/api/meetings/{id}", one)
        .delete("/api/meetings/{id}", remove)
        .put("/api/meetings/{id}/opinions/{n}/follow-up", follow_up)
}

async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Meeting>, bool) = one_or_many(v)?;
    let ids = meetings::insert_many(&store, &items).await?;
    let body = if list {
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "meeting": meetings::get(&store, ids[0]).await? })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
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
    Ctx { store, .. }: Ctx,
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

async fn remove(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    meetings::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
