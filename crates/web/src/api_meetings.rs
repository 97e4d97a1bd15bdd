//! JSON API for meetings (đối thoại, tiếp xúc cử tri) under
//! `/api/meetings`: create one or a list with their opinions, read, record
//! an opinion's follow-up, delete.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_core::records::meeting::{FollowUp, Meeting};
use danvan_store::{Store, Version, meetings};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::api_version::{IfMatch, json_tagged};
use crate::auth::Ctx;
use crate::openapi::{Created, OneOrMany};
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/meetings", create)
        .get("/api/meetings/{id}", one)
        .delete("/api/meetings/{id}", remove)
        .put("/api/meetings/{id}/opinions/{n}/follow-up", follow_up)
}

/// A meeting with its number.
#[derive(Serialize, ToSchema)]
pub struct MeetingRead {
    pub id: i64,
    pub meeting: Meeting,
}

/// One record as the API answers it, and its version.
async fn load(store: &Store, id: i64) -> Result<(MeetingRead, Version), ApiError> {
    let (meeting, version) = meetings::get_for_edit(store, id).await?;
    Ok((MeetingRead { id, meeting }, version))
}

/// One record with its version as the `ETag`.
async fn read(store: &Store, id: i64) -> Result<Response, ApiError> {
    let (body, version) = load(store, id).await?;
    Ok(json_tagged(body, version))
}

#[utoipa::path(post, path = "/api/meetings", tag = "meetings", operation_id = "meetings_create",
    request_body(content = OneOrMany<Meeting>, description = "Một hội nghị với các ý kiến, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Hội nghị đã ghi; với danh sách: các số.", body = Created<MeetingRead>)))]
async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<Meeting>, bool) = one_or_many(v)?;
    let ids = meetings::insert_many(&store, &items).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        Created::One(load(&store, ids[0]).await?.0)
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings", operation_id = "meetings_get",
    params(("id" = i64, Path, description = "Số hội nghị")),
    responses((status = 200, description = "Hội nghị và các ý kiến.", body = MeetingRead)))]
async fn one(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    read(&store, id).await
}

/// Body of the follow-up step: `{"follow_up": "answered"}` (code or
/// Vietnamese label).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FollowUpBody {
    /// Hướng xử lý ý kiến: mã hoặc tên tiếng Việt.
    #[schema(example = "answered")]
    follow_up: String,
}

/// `n` is the opinion's 1-based position, as people count them.
#[utoipa::path(put, path = "/api/meetings/{id}/opinions/{n}/follow-up", tag = "meetings", operation_id = "meetings_follow_up",
    params(("id" = i64, Path, description = "Số hội nghị"), ("n" = usize, Path, description = "Thứ tự ý kiến, đếm từ 1"),
        ("If-Match" = String, Header, description = "ETag nhận được khi đọc hội nghị")),
    request_body = FollowUpBody,
    responses((status = 200, description = "Hội nghị sau khi ghi hướng xử lý.", body = MeetingRead),
        (status = 412, description = "Hội nghị đã được người khác thay đổi sau khi đọc."),
        (status = 428, description = "Thiếu If-Match.")))]
async fn follow_up(
    Ctx { store, .. }: Ctx,
    Path((id, n)): Path<(i64, usize)>,
    if_match: IfMatch,
    Body(b): Body<FollowUpBody>,
) -> Result<Response, ApiError> {
    let read_at = if_match.required(meetings::get(&store, id)).await?;
    let f = FollowUp::parse(&b.follow_up).map_err(|e| e.at_field("follow_up"))?;
    if n == 0 {
        return Err(
            DomainError::new("meeting.opinion_position", "ý kiến được đánh số từ 1").into(),
        );
    }
    meetings::set_follow_up(&store, id, n - 1, f, read_at).await?;
    read(&store, id).await
}

#[utoipa::path(delete, path = "/api/meetings/{id}", tag = "meetings", operation_id = "meetings_delete",
    params(("id" = i64, Path, description = "Số hội nghị")),
    responses((status = 204, description = "Đã xoá.")))]
async fn remove(Ctx { store, .. }: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    meetings::delete(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
