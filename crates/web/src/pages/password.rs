//! Đổi mật khẩu: a user changes their own password, giving the current
//! one. Every other session of the user ends; this one stays.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use danvan_store::accounts;
use minijinja::context;

use crate::auth::{COOKIE, Ctx, cookie};
use crate::state::AppState;

fn form(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<String>,
    notice: Option<&str>,
) -> Response {
    super::render_as(
        status,
        app,
        ctx,
        "password.html",
        context! { error => error, notice => notice },
    )
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    form(&app, &ctx, StatusCode::OK, None, None)
}

pub async fn submit(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| values.get(k).map_or("", String::as_str);
    if get("new") != get("confirm") {
        return form(
            &app,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("Mật khẩu mới nhập lại không khớp.".into()),
            None,
        );
    }
    let this = cookie(&headers, COOKIE);
    match accounts::change_password(&ctx.store, get("current"), get("new"), this.as_deref()).await {
        Ok(Ok(_)) => form(
            &app,
            &ctx,
            StatusCode::OK,
            None,
            Some("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc."),
        ),
        Ok(Err(why)) => form(
            &app,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(why.message()),
            None,
        ),
        Err(danvan_store::StoreError::Invalid(d)) => form(
            &app,
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(format!("Mật khẩu mới: {}.", d.message)),
            None,
        ),
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
