//! Đăng nhập / đăng xuất: a session cookie (HttpOnly, SameSite=Lax,
//! Secure) whose token is kept only as a hash.
//!
//! The login form has no session yet, so its CSRF token is a double
//! submit: the page sets a random pre-session cookie and puts the same
//! value in the form; a POST whose field does not match its cookie is
//! refused (a page of another site can neither read nor set the cookie, so
//! it cannot sign a visitor into an account of its choosing).
//!
//! Throttling counts the peer address of the connection. No proxy is
//! trusted: `X-Forwarded-For` is ignored, since any client can write it.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use danvan_store::accounts;
use minijinja::context;
use serde::Deserialize;

use crate::auth::{COOKIE, cookie, same};
use crate::state::AppState;

/// The login form's pre-session cookie (its CSRF token).
pub const LOGIN_COOKIE: &str = "danvan_dang_nhap";

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

/// The pre-session token of this browser, or a new one.
fn login_token(headers: &HeaderMap) -> String {
    cookie(headers, LOGIN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(accounts::new_secret)
}

/// The login page with `token` in its form and cookie.
fn form_page(
    app: &AppState,
    status: StatusCode,
    token: &str,
    next: &str,
    username: &str,
    error: Option<String>,
) -> Response {
    let mut r = (
        status,
        super::render(
            app,
            None,
            "login.html",
            context! { next => next, username => username, error => error, login_csrf => token },
        ),
    )
        .into_response();
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    let c = format!(
        "{LOGIN_COOKIE}={token}; Path=/dang-nhap; HttpOnly; SameSite=Strict; Max-Age=7200{secure}"
    );
    if let Ok(v) = HeaderValue::from_str(&c) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

pub async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Response {
    let next = safe_next(q.tiep.as_deref());
    form_page(
        &app,
        StatusCode::OK,
        &login_token(&headers),
        &next,
        "",
        None,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    tiep: Option<String>,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

/// The peer's address, as the server saw the connection ("?" when the
/// application runs without one, as in tests that do not give one).
fn peer(info: Option<Extension<ConnectInfo<SocketAddr>>>) -> String {
    info.map_or_else(
        || "?".into(),
        |Extension(ConnectInfo(a))| a.ip().to_string(),
    )
}

pub async fn submit(
    State(app): State<AppState>,
    headers: HeaderMap,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.tiep.as_deref());
    let token = login_token(&headers);
    let sent = cookie(&headers, LOGIN_COOKIE);
    if !sent.is_some_and(|c| !f.csrf.is_empty() && same(&c, &f.csrf)) {
        return form_page(
            &app,
            StatusCode::FORBIDDEN,
            &token,
            &next,
            &f.username,
            Some("Trang đăng nhập đã cũ hoặc không hợp lệ (mã chống giả mạo sai); hãy đăng nhập lại.".into()),
        );
    }
    let address = peer(info);
    match accounts::login(
        &app.store,
        &f.username,
        &f.password,
        &address,
        SESSION_HOURS,
    )
    .await
    {
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
        Ok(Err(why)) => form_page(
            &app,
            StatusCode::UNAUTHORIZED,
            &token,
            &next,
            &f.username,
            Some(why.message()),
        ),
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
