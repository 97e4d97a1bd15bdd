//! The web harness: a fresh SQLite store with the fixture unit tree, the
//! router, a national administrator with an API token, and requests sent
//! with a token or with a login session (cookie and CSRF token). [`Pages`]
//! drives the same router as signed-in officials of two communes.

use axum::body::{Body, Bytes, to_bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use danvan_store::Store;
use danvan_store::accounts::{self, Role, User};
use serde_json::Value;
use tower::ServiceExt;

pub use crate::units::FIXTURE;
pub use crate::users::PASSWORD;
pub use pages::{
    Answer, BAD_DATE, Official, Pages, national_admin, official, reception_form, table, version_of,
    with,
};

mod pages;

pub struct Env {
    /// The unscoped store, acting as the system: for setting up records.
    pub store: Store,
    pub app: axum::Router,
    /// xã Đam Rông 1 (24886-2025), a commune of the current tree.
    pub commune: i64,
    /// The national administrator and their API token.
    pub admin: User,
    pub token: String,
    url: String,
}

/// A response: status, headers and body.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value the answer sets for cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.set_cookies()
            .iter()
            .find_map(|c| c.strip_prefix(&prefix))
            .and_then(|c| c.split(';').next())
            .map(str::to_string)
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }
}

/// A login session: the cookie's value and the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// The `Cookie` header a browser sends in this session.
    pub fn cookie_header(&self) -> String {
        format!("danvan_phien={}", self.cookie)
    }

    /// A form post of `fields` as they are (no CSRF token added).
    pub fn form(&self, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
        Request::post(uri)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap()
    }
}

impl Env {
    /// A store in a temporary file named after `name`, with units imported.
    pub async fn new(name: &str) -> Env {
        let url = std::env::temp_dir()
            .join(format!(
                "{}.db",
                crate::unique(&format!("danvan_web_{name}"))
            ))
            .display()
            .to_string();
        let store = Store::open(&url).await.unwrap();
        let commune = crate::units::load_and_find(&store, "24886-2025").await;
        let app = danvan_web::router(store.clone());
        let admin = crate::users::user(&store, "quantri", Role::Admin, None).await;
        let token = accounts::create_token(&store, admin.id, "kiểm thử")
            .await
            .unwrap();
        Env {
            store,
            app,
            commune,
            admin,
            token,
            url,
        }
    }

    /// [`Env::new`] with the portal's form stamps signed by `key` and no
    /// wait, so a test can post the public forms at once.
    pub async fn with_portal_key(name: &str, key: [u8; 32]) -> Env {
        let mut env = Env::new(name).await;
        env.app = danvan_web::app(danvan_web::AppState {
            portal: std::sync::Arc::new(danvan_web::public::Settings::new(
                key,
                std::time::Duration::ZERO,
            )),
            ..danvan_web::AppState::new(env.store.clone())
        });
        env
    }

    /// An account made on the server (the system store may make any).
    pub async fn user(&self, username: &str, role: Role, unit_id: Option<i64>) -> User {
        crate::users::user(&self.store, username, role, unit_id).await
    }

    pub async fn token_for(&self, u: &User) -> String {
        accounts::create_token(&self.store, u.id, "kiểm thử")
            .await
            .unwrap()
    }

    /// Send a request as it is.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = to_bytes(resp.into_body(), 1 << 24).await.unwrap();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A GET in the login session `s`.
    pub async fn get_in(&self, s: &Session, uri: &str) -> Reply {
        let req = Request::get(uri)
            .header(header::COOKIE, s.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// A form post in the login session `s`, its CSRF token first.
    pub async fn post_in(&self, s: &Session, uri: &str, fields: &[(&str, &str)]) -> Reply {
        let mut all = vec![("_csrf", s.csrf.as_str())];
        all.extend_from_slice(fields);
        self.send(s.form(uri, &all)).await
    }

    /// A JSON request as the administrator.
    pub async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let token = self.token.clone();
        self.call_as(Some(&token), method, uri, body).await
    }

    /// A JSON request with `token` (none: no credentials at all). A `PUT`
    /// is sent as a careful client sends it: after reading the record, with
    /// its `ETag` as `If-Match`. Tests of the header itself use `send`.
    pub async fn call_as(
        &self,
        token: Option<&str>,
        method: &str,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = json_request(token, method, uri, body.map(|b| b.to_string()));
        if method == "PUT" {
            let read = self
                .send(json_request(token, "GET", &record_of(uri), None))
                .await;
            if let Some(tag) = read.headers.get(header::ETAG) {
                req.headers_mut().insert(header::IF_MATCH, tag.clone());
            }
        }
        let r = self.send(req).await;
        (r.status, r.json())
    }

    /// A raw JSON body as the administrator (for malformed JSON).
    pub async fn raw(&self, method: &str, uri: &str, body: Option<String>) -> (StatusCode, Value) {
        let r = self
            .send(json_request(Some(&self.token), method, uri, body))
            .await;
        (r.status, r.json())
    }

    /// The login page, with its pre-session cookie and CSRF token.
    pub async fn login_page(&self) -> Reply {
        self.send(Request::get("/dang-nhap").body(Body::empty()).unwrap())
            .await
    }

    /// Log in through the login form, as a browser does: the login page
    /// first (its pre-session cookie and CSRF token), then the form. The
    /// reply carries the cookie.
    pub async fn login_form(&self, username: &str, password: &str) -> Reply {
        self.login_from(None, username, password).await
    }

    /// [`Env::login_form`] from the client address `from` (the peer of
    /// the connection, as the server sees it).
    pub async fn login_from(
        &self,
        from: Option<std::net::SocketAddr>,
        username: &str,
        password: &str,
    ) -> Reply {
        let page = self.login_page().await;
        let pre = page.cookie("danvan_dang_nhap");
        let csrf = csrf_of(&page.text()).unwrap_or_default();
        let form = serde_urlencoded::to_string([
            ("_csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
        ])
        .unwrap();
        let mut req = Request::builder()
            .method("POST")
            .uri("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = pre {
            req = req.header(header::COOKIE, format!("danvan_dang_nhap={c}"));
        }
        let mut req = req.body(Body::from(form)).unwrap();
        if let Some(a) = from {
            req.extensions_mut().insert(axum::extract::ConnectInfo(a));
        }
        self.send(req).await
    }

    /// Log in and read the session's CSRF token from the first page.
    pub async fn login(&self, username: &str) -> Session {
        let r = self.login_form(username, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
        let cookie = r.cookie("danvan_phien").expect("session cookie");
        let page = self
            .send(
                Request::builder()
                    .uri("/don-vi")
                    .header(header::COOKIE, format!("danvan_phien={cookie}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let csrf = csrf_of(&page.text()).expect("CSRF token in the page");
        Session { cookie, csrf }
    }

    /// Stop the server and start a new one on the same database: a new
    /// store and router, nothing kept in memory (sessions, import jobs
    /// and dashboards must come from the database).
    pub async fn restart(&mut self) {
        self.store.close().await;
        self.store = Store::open(&self.url).await.unwrap();
        self.app = danvan_web::router(self.store.clone());
    }

    /// A second server on the same database, beside this one: its own
    /// store and router.
    pub async fn second_server(&self) -> axum::Router {
        danvan_web::router(Store::open(&self.url).await.unwrap())
    }

    pub async fn close(self) {
        self.store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.url));
        }
    }
}

/// `table` (the router's routes) and `other` hold the same routes; what
/// the router has and `other` lacks is named after `lacking`, the rest
/// after `extra`.
#[track_caller]
pub fn same_routes(
    table: &std::collections::BTreeSet<(String, String)>,
    other: &std::collections::BTreeSet<(String, String)>,
    lacking: &str,
    extra: &str,
) {
    let missing: Vec<_> = table.difference(other).collect();
    assert!(missing.is_empty(), "{lacking}: {missing:?}");
    let stale: Vec<_> = other.difference(table).collect();
    assert!(stale.is_empty(), "{extra}: {stale:?}");
}

/// The record a `PUT` to `uri` changes: `/api/models/7/years` changes
/// `/api/models/7`, `/api/meetings/3/opinions/2/follow-up` changes
/// `/api/meetings/3`.
pub fn record_of(uri: &str) -> String {
    if let Some(base) = uri.strip_suffix("/years") {
        return base.to_string();
    }
    match uri.find("/opinions/") {
        Some(at) => uri[..at].to_string(),
        None => uri.to_string(),
    }
}

/// A request with an optional Bearer token and JSON body.
pub fn json_request(
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: Option<String>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b)),
        None => req.body(Body::empty()),
    }
    .unwrap()
}

/// The value of the first `_csrf` hidden field of a page.
/// The figure on the dashboard's headline card `code`.
pub fn card(html: &str, code: &str) -> String {
    let at = html
        .find(&format!("data-code=\"{code}\""))
        .unwrap_or_else(|| panic!("no card {code}: {html}"));
    let rest = &html[at..];
    let v = rest.find("class=\"v\">").expect("the card's figure") + "class=\"v\">".len();
    rest[v..v + rest[v..].find('<').expect("its end")].to_string()
}

pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}
