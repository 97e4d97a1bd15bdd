//! Khoá Open311: a national administrator gives each civic application
//! that sends citizens' requests through Open311 GeoReport v2 its key
//! (shown once), lists them and revokes one. The store decides who may;
//! `danvan open311 …` does the same on the command line.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::StoreError;
use danvan_store::portal::open311;
use minijinja::context;

use super::{error_page, render_as};
use crate::auth::Ctx;
use crate::state::AppState;

const PAGE: &str = "/nguoi-dung/open311";

async fn show(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    new_key: Option<(i64, String, String)>,
    error: Option<String>,
) -> Response {
    let keys = match open311::keys(&ctx.store).await {
        Ok(k) => k,
        Err(e) => return error_page(app, Some(ctx), &e),
    };
    let t = |t: chrono::NaiveDateTime| t.format("%d/%m/%Y %H:%M").to_string();
    let rows: Vec<_> = keys
        .iter()
        .map(|k| {
            context! {
                id => k.id,
                name => k.name.clone(),
                created => t(k.created_at),
                revoked => k.revoked_at.map(t),
            }
        })
        .collect();
    render_as(
        status,
        app,
        ctx,
        "open311_keys.html",
        context! {
            keys => rows,
            new_key => new_key.map(|(id, name, key)| context! { id => id, name => name, key => key }),
            error => error,
        },
    )
}

/// `GET /nguoi-dung/open311`.
pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    show(&app, &ctx, StatusCode::OK, None, None).await
}

/// `POST /nguoi-dung/open311`: a key for a new application, shown once.
pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(v): Form<HashMap<String, String>>,
) -> Response {
    let name = v.get("ten").map_or("", String::as_str);
    match open311::key_new(&ctx.store, name).await {
        Ok((k, key)) => show(&app, &ctx, StatusCode::OK, Some((k.id, k.name, key)), None).await,
        Err(StoreError::Invalid(d)) => {
            show(
                &app,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(d.message),
            )
            .await
        }
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}

/// `POST /nguoi-dung/open311/{id}/thu-hoi`: the application is refused
/// from now on.
pub async fn revoke(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match open311::key_revoke(&ctx.store, id).await {
        Ok(_) => Redirect::to(PAGE).into_response(),
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}
