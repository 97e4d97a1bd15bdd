//! Đăng nhập / đăng xuất: a session cookie (HttpOnly, SameSite=Lax,
//! Secure) whose token is kept only as a hash.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::accounts;
use minijinja::context;
use serde::Deserialize;

use crate::auth::{COOKIE, cookie};
use crate::state::AppState;

/// Hours a session lasts: one working day and a little more.
const SESSION_HOURS: i64 = 12;

#[derive(Deserialize, Default)]
pub struct Next {
    tiep: Option<String>,
}

/// Only a local path may follow a login, never another site.
/// Where to go after signing in: a path of this site, or the dashboard.
/// Only visible ASCII is allowed: browsers drop tabs and line breaks from a
/// `Location`, so "/\t/evil.example" would become "//evil.example", another
/// site; and neither "//" nor a backslash may start it.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p[1..].starts_with(['/', '\\'])
                && p.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            p.to_string()
        }
        _ => "/".to_string(),
    }
}

pub async fn page(State(app): State<AppState>, Query(q): Query<Next>) -> Response {
    super::render(
        &app,
        None,
        "login.html",
        context! { next => safe_next(q.tiep.as_deref()), username => "", error => None::<String> },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    tiep: Option<String>,
}

pub async fn submit(State(app): State<AppState>, Form(f): Form<LoginForm>) -> Response {
    let next = safe_next(f.tiep.as_deref());
    match accounts::login(&app.store, &f.username, &f.password, SESSION_HOURS).await {
        Ok(Ok(s)) => {
            let secure = if app.secure_cookies { "; Secure" } else { "" };
            let c = format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                s.token,
                SESSION_HOURS * 3600
            );
            let mut r = Redirect::to(&next).into_response();
            if let Ok(v) = HeaderValue::from_str(&c) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(Err(why)) => (
            axum::http::StatusCode::UNAUTHORIZED,
            super::render(
                &app,
                None,
                "login.html",
                context! { next => next, username => f.username, error => why.message() },
            ),
        )
            .into_response(),
        Err(e) => super::error_page(&app, None, &e),
    }
}

pub async fn logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, COOKIE) {
        let _ = accounts::logout(&app.store, &token).await;
    }
    let mut r = Redirect::to("/dang-nhap").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("danvan_phien=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    r
}
