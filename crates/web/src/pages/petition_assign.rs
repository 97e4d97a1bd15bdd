//! Phân công giải quyết đơn: the petition page's panel of assigned
//! officials, and its two forms. The store decides who may assign whom;
//! this page only offers the officials the store names as candidates.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::accounts::User;
use danvan_store::petitions;
use serde::{Deserialize, Serialize};

use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Serialize)]
pub struct Person {
    id: i64,
    name: String,
}

/// What the petition page shows of its handlers.
#[derive(Serialize, Default)]
pub struct Panel {
    assigned: Vec<Person>,
    /// Officials who could be assigned.
    candidates: Vec<Person>,
    /// Whether the reader may assign and withdraw (the store says).
    may_assign: bool,
}

fn people(users: Vec<User>) -> Vec<Person> {
    users
        .into_iter()
        .map(|u| Person {
            id: u.id,
            name: format!("{} ({})", u.full_name, u.username),
        })
        .collect()
}

pub async fn panel(ctx: &Ctx, id: i64) -> Panel {
    let assigned = petitions::assignees(&ctx.store, id)
        .await
        .unwrap_or_default();
    let candidates = petitions::candidates(&ctx.store, id).await;
    let may_assign = candidates.is_ok();
    let candidates = candidates
        .unwrap_or_default()
        .into_iter()
        .filter(|u| !assigned.iter().any(|a| a.id == u.id))
        .collect();
    Panel {
        assigned: people(assigned),
        candidates: people(candidates),
        may_assign,
    }
}

#[derive(Deserialize)]
pub struct Choice {
    official_id: String,
}

async fn done(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    r: Result<(), danvan_store::StoreError>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/don-thu/{id}")).into_response(),
        Err(e) => super::error_page(app, Some(ctx), &e),
    }
}

fn official(c: &Choice) -> Result<i64, danvan_store::StoreError> {
    c.official_id.trim().parse().map_err(|_| {
        danvan_core::DomainError::new("petition.assignee", "chưa chọn người được phân công")
            .at_field("official_id")
            .into()
    })
}

pub async fn assign(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(c): Form<Choice>,
) -> Response {
    change(&app, &ctx, id, &c, true).await
}

pub async fn unassign(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(c): Form<Choice>,
) -> Response {
    change(&app, &ctx, id, &c, false).await
}

/// Give (`add`) or withdraw the petition to the chosen official.
async fn change(app: &AppState, ctx: &Ctx, id: i64, c: &Choice, add: bool) -> Response {
    let r = async {
        let o = official(c)?;
        if add {
            petitions::assign(&ctx.store, id, o).await
        } else {
            petitions::unassign(&ctx.store, id, o).await
        }
    }
    .await;
    done(app, ctx, id, r).await
}
