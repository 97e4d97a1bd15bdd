//! Who handles a petition, under `/api/petitions/{id}/assignments`: an
//! assigned official is the only reader who sees a denouncer's identity, so
//! assigning is a change of its own, checked and logged by the store (the
//! head or officer of the unit assigns; nobody assigns themselves).

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use danvan_store::accounts::User;
use danvan_store::petitions;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_petitions::{ApiError, Body};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/petitions/{id}/assignments", list)
        .post("/api/petitions/{id}/assignments", assign)
        .delete("/api/petitions/{id}/assignments/{official}", unassign)
}

/// An official assigned to a petition.
#[derive(Serialize, ToSchema)]
pub struct Assignee {
    /// Số tài khoản.
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

/// `POST` body: the account to assign.
#[derive(Deserialize, ToSchema)]
pub struct NewAssignment {
    /// Số tài khoản của người được phân công.
    pub official_id: i64,
}

fn assignees(users: Vec<User>) -> Vec<Assignee> {
    users
        .into_iter()
        .map(|u| Assignee {
            id: u.id,
            username: u.username,
            full_name: u.full_name,
        })
        .collect()
}

#[utoipa::path(get, path = "/api/petitions/{id}/assignments", tag = "petitions", operation_id = "petitions_assignments",
    params(("id" = i64, Path, description = "Số đơn")),
    responses((status = 200, description = "Người được phân công giải quyết đơn.", body = Vec<Assignee>)))]
pub(crate) async fn list(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let got = petitions::assignees(&ctx.store, id).await?;
    Ok(Json(assignees(got)).into_response())
}

#[utoipa::path(post, path = "/api/petitions/{id}/assignments", tag = "petitions", operation_id = "petitions_assign",
    params(("id" = i64, Path, description = "Số đơn")),
    request_body = NewAssignment,
    responses((status = 200, description = "Người được phân công sau khi thêm.", body = Vec<Assignee>)))]
pub(crate) async fn assign(
    ctx: Ctx,
    Path(id): Path<i64>,
    Body(a): Body<NewAssignment>,
) -> Result<Response, ApiError> {
    petitions::assign(&ctx.store, id, a.official_id).await?;
    list(ctx, Path(id)).await
}

#[utoipa::path(delete, path = "/api/petitions/{id}/assignments/{official}", tag = "petitions", operation_id = "petitions_unassign",
    params(("id" = i64, Path, description = "Số đơn"), ("official" = i64, Path, description = "Số tài khoản")),
    responses((status = 200, description = "Người được phân công sau khi thôi.", body = Vec<Assignee>)))]
pub(crate) async fn unassign(
    ctx: Ctx,
    Path((id, official)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    petitions::unassign(&ctx.store, id, official).await?;
    list(ctx, Path(id)).await
}
