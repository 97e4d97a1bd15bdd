//! Thông báo: what waits for the signed-in user (petitions overdue or due
//! within a few working days, opinions left unanswered), and their choice
//! of what to receive, here and in the daily e-mail digest.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use danvan_store::StoreError;
use danvan_store::notices::{self, Preferences};
use minijinja::context;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

async fn show(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    shown: Option<&Preferences>,
    message: (Option<String>, Option<&str>),
) -> Response {
    let today = ctx.store.today();
    match danvan_report::notices::read(&ctx.store, &ctx.user, today).await {
        Ok(view) => {
            let prefs = shown.unwrap_or(&view.preferences);
            let vars = context! {
                n => ser(&view),
                prefs => ser(prefs),
                error => message.0,
                notice => message.1,
            };
            super::render_as(status, app, ctx, "notices.html", vars)
        }
        Err(e) => super::error_page(app, Some(ctx), &e),
    }
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    show(&app, &ctx, StatusCode::OK, None, (None, None)).await
}

/// The choices as sent; an unticked box is absent from the form.
fn preferences_from(values: &HashMap<String, String>) -> Result<Preferences, String> {
    let get = |k: &str| values.get(k).map_or("", |v| v.trim());
    let days = |k: &str, what: &str| {
        get(k)
            .parse::<u32>()
            .map_err(|_| format!("{what} phải là một số ngày"))
    };
    Ok(Preferences {
        petitions: !get("petitions").is_empty(),
        soon_days: days("soon_days", "số ngày làm việc báo trước")?,
        opinions: !get("opinions").is_empty(),
        opinion_days: days("opinion_days", "thời hạn trả lời ý kiến")?,
        email: get("email").to_string(),
        digest: !get("digest").is_empty(),
        reports: !get("reports").is_empty(),
    })
}

pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let prefs = match preferences_from(&values) {
        Ok(p) => p,
        Err(why) => return show(&app, &ctx, refused, None, (Some(why), None)).await,
    };
    match notices::set_preferences(&ctx.store, &prefs).await {
        Ok(()) => {
            let saved = Some("Đã lưu lựa chọn thông báo.");
            show(&app, &ctx, StatusCode::OK, None, (None, saved)).await
        }
        Err(StoreError::Invalid(d)) => {
            show(&app, &ctx, refused, Some(&prefs), (Some(d.message), None)).await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
