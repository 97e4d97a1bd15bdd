//! Who is asking: a login session (cookie) or an API token (Bearer), and
//! the CSRF check for changes made through a session.
//!
//! Every handler that touches data takes a [`Ctx`], whose store acts as the
//! user and is limited to the user's unit subtree. Access is enforced by
//! that store, not by the handlers.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::Store;
use danvan_store::accounts::{self, User};
use danvan_store::petitions::Viewer;

use crate::api_petitions::json_error;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "danvan_phien";

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    /// The session's CSRF token; empty for an API token, which needs none.
    pub csrf: String,
    pub via_token: bool,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_string())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn unauthorized(path: &str, why: &str) -> Response {
    if is_api(path) {
        json_error(StatusCode::UNAUTHORIZED, "unauthorized", why)
    } else {
        Redirect::to(&format!("/dang-nhap?tiep={}", urlencode(path))).into_response()
    }
}

pub fn urlencode(s: &str) -> String {
    url_escape(s)
}

fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Resolve the session or token of every request, and refuse a change
/// made through a session cookie without the session's CSRF token (in the
/// `X-CSRF-Token` header, the `_csrf` query parameter or the `_csrf` field
/// of a URL-encoded form).
pub async fn authenticate(State(app): State<AppState>, req: Request, next: Next) -> Response {
    // The DHIS2 API authenticates each request itself (Basic, ApiToken or
    // Bearer) and reads no session cookie, so it needs no CSRF token.
    if req.uri().path().starts_with("/dhis2/") {
        return next.run(req).await;
    }
    // The public portal reads no session: nothing behind the login can
    // reach its pages, and its forms need no session's CSRF token.
    // So does Open311: an application proves itself with its api_key.
    if crate::public::is_public(req.uri().path()) || crate::open311::is_open311(req.uri().path()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let session = if let Some(token) = bearer(&parts.headers) {
        match accounts::token_user(&app.store, &token).await {
            Ok(Some(user)) => Some(Session {
                user,
                csrf: String::new(),
                via_token: true,
            }),
            Ok(None) => {
                return unauthorized(
                    parts.uri.path(),
                    "khoá API không hợp lệ, đã hết hạn hoặc đã bị thu hồi",
                );
            }
            Err(e) => return server_error(&e.to_string()),
        }
    } else if let Some(token) = cookie(&parts.headers, COOKIE) {
        match accounts::session(&app.store, &token).await {
            Ok(Some((user, csrf))) => Some(Session {
                user,
                csrf,
                via_token: false,
            }),
            Ok(None) => None,
            Err(e) => return server_error(&e.to_string()),
        }
    } else {
        None
    };
    let mut body = Body::new(body);
    // The login form checks its own token (a pre-session double submit,
    // see `pages::login`): whoever signs in anew need not hold the old
    // session's.
    if let Some(s) = &session
        && !s.via_token
        && !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        && parts.uri.path() != "/dang-nhap"
    {
        let (ok, rebuilt) = csrf_ok(&parts, body, &s.csrf).await;
        body = rebuilt;
        if !ok {
            return if is_api(parts.uri.path()) {
                json_error(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang",
                )
            } else {
                (
                    StatusCode::FORBIDDEN,
                    crate::pages::plain_error("Phiên làm việc không hợp lệ (mã chống giả mạo sai). Hãy tải lại trang rồi làm lại."),
                )
                    .into_response()
            };
        }
    }
    if let Some(s) = session {
        parts.extensions.insert(Arc::new(s));
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Compare in constant time, so the token cannot be guessed byte by byte.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn csrf_ok(parts: &Parts, body: Body, expected: &str) -> (bool, Body) {
    if let Some(h) = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return (same(h, expected), body);
    }
    if let Some(q) = parts.uri.query()
        && let Some(v) = form_value(q.as_bytes(), "_csrf")
    {
        return (same(&v, expected), body);
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return (false, body);
    }
    match axum::body::to_bytes(body, 4 << 20).await {
        Ok(bytes) => {
            let ok = form_value(&bytes, "_csrf").is_some_and(|v| same(&v, expected));
            (ok, Body::from(bytes))
        }
        Err(_) => (false, Body::empty()),
    }
}

fn form_value(bytes: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

/// The header of a late correction's reason (sửa sau duyệt).
pub const LATE_HEADER: &str = "x-late-correction";

/// The reason a `X-Late-Correction` header gives: percent-encoded UTF-8.
fn late_reason(raw: &[u8]) -> Result<String, danvan_store::StoreError> {
    let bad = || {
        danvan_store::StoreError::from(danvan_core::DomainError::new(
            "late_correction.header",
            "tiêu đề X-Late-Correction phải là lý do viết bằng UTF-8, mã hoá phần trăm",
        ))
    };
    let text = std::str::from_utf8(raw).map_err(|_| bad())?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&format!("r={}", text.replace('&', "%26")))
            .map_err(|_| bad())?;
    pairs.into_iter().next().map(|(_, v)| v).ok_or_else(bad)
}

fn server_error(msg: &str) -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("Lỗi máy chủ: {msg}"),
    )
        .into_response()
}

/// A signed-in request: the user, and a store acting as the user and
/// limited to the user's subtree.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub user: User,
    pub csrf: String,
}

impl Ctx {
    /// The petition viewer: an assigned handler sees a denouncer's identity.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            official_id: self.user.id,
        }
    }

    /// Whether to offer the accounts and the audit log pages: a hint for
    /// menus only, the store refuses everyone else.
    pub fn may_manage_accounts(&self) -> bool {
        self.user.role.may(danvan_core::access::Entity::Setting(
            danvan_core::access::Setting::User,
        ))
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Ctx, Response> {
        let Some(s) = parts.extensions.get::<Arc<Session>>().cloned() else {
            let path = parts
                .uri
                .path_and_query()
                .map_or(parts.uri.path(), |p| p.as_str())
                .to_string();
            return Err(unauthorized(&path, "cần đăng nhập hoặc khoá API"));
        };
        // Either way the request's store reads one unit tree, checked
        // against the database once here.
        let store = app.store.acting_as(s.user.actor());
        let store = match s.user.unit_id {
            None => store.pin_units().await,
            Some(u) => store.within(u).await,
        }
        .map_err(|e| server_error(&e.to_string()))?;
        // A late correction through the API: the reason, percent-encoded
        // UTF-8, in `X-Late-Correction`.
        let store = match parts.headers.get(LATE_HEADER) {
            None => store,
            Some(v) => late_reason(v.as_bytes())
                .and_then(|r| store.late_correction(&r))
                .map_err(|e| crate::api_petitions::ApiError::from(e).into_response())?,
        };
        Ok(Ctx {
            store,
            user: s.user.clone(),
            csrf: s.csrf.clone(),
        })
    }
}
