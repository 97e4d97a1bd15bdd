//! The citizens' side (cổng công dân): public pages under `/cong-dan`, no
//! login, no JavaScript needed, made for a phone first. A citizen finds the
//! unit (a commune merged since leads to the one that covers it today),
//! sends a phản ánh, kiến nghị, khiếu nại or tố cáo with up to three files,
//! follows it with a tracking code, and reads the unit's «Hỏi – đáp».
//!
//! **Nothing behind the login is reachable from here.** These handlers
//! never take a [`crate::auth::Ctx`]; the authentication middleware does
//! not even read a session for these paths. They act through the store as
//! the portal ([`danvan_store::portal::citizen`]), and read only what the
//! store's `portal` module builds for the public, without senders.

mod consult;
pub mod guard;
mod home;
mod rate;
mod send;
mod track;

use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use danvan_store::{Store, StoreError};
use minijinja::{Value, context};

use crate::routes::Routes;
use crate::state::AppState;

pub use guard::Settings;

/// Where the public pages live.
pub const PREFIX: &str = "/cong-dan";

/// Whether `path` is one of the public pages.
pub fn is_public(path: &str) -> bool {
    path == PREFIX || path.starts_with("/cong-dan/")
}

/// The public routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/cong-dan", home::home)
        .get("/cong-dan/don-vi", home::search)
        .get("/cong-dan/don-vi/{id}", send::form)
        .post(
            "/cong-dan/don-vi/{id}",
            send::submit.layer(axum::extract::DefaultBodyLimit::max(send::MAX_BODY)),
        )
        .get("/cong-dan/don-vi/{id}/hoi-dap", home::qa)
        .get("/cong-dan/don-vi/{id}/lay-y-kien", consult::list)
        .get("/cong-dan/lay-y-kien/{id}", consult::show)
        .post("/cong-dan/lay-y-kien/{id}", consult::answer)
        .get("/cong-dan/don-vi/{id}/cong-khai", home::disclosure)
        .get("/cong-dan/danh-gia", rate::form)
        .post("/cong-dan/danh-gia", rate::submit)
        .get("/cong-dan/theo-doi", track::lookup)
        .get("/cong-dan/theo-doi/{code}", track::page)
        .post(
            "/cong-dan/theo-doi/{code}",
            track::message.layer(axum::extract::DefaultBodyLimit::max(send::MAX_BODY)),
        )
}

/// The store as the portal acts through it: no account, no scope.
fn store(app: &AppState) -> Store {
    app.store.acting_as(danvan_store::portal::citizen())
}

/// Every public POST (the portal's and Open311's) first takes one from
/// its address's allowance; past it, a Vietnamese 429 page (an Open311
/// error for Open311) says how long to wait.
pub async fn limit_posts(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let open311 = crate::open311::is_open311(path);
    if req.method() != Method::POST || !(is_public(path) || open311) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    if let Err(wait) = app.portal.admit(guard::peer(&parts)) {
        if open311 {
            return crate::open311::too_many(parts.uri.path(), wait);
        }
        let mut page = render(
            &app,
            StatusCode::TOO_MANY_REQUESTS,
            "public_message.html",
            context! {
                title => "Gửi quá nhiều lần",
                message => format!(
                    "Từ địa chỉ mạng của bạn đã có quá nhiều lần gửi trong thời gian ngắn. \
                     Hãy chờ khoảng {wait} giây rồi gửi lại. Nội dung bạn vừa gửi chưa được ghi nhận."
                ),
            },
        );
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            page.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return page;
    }
    next.run(Request::from_parts(parts, body)).await
}

/// A public page: no user, no CSRF token, only what `vars` holds.
fn render(app: &AppState, status: StatusCode, name: &str, vars: Value) -> Response {
    match app.pages.get_template(name).and_then(|t| t.render(vars)) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            eprintln!("lỗi hiển thị trang {name}: {e:#}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                crate::pages::plain_error("Lỗi hiển thị trang. Hãy thử lại sau."),
            )
                .into_response()
        }
    }
}

/// A store error as a public page: what went wrong in Vietnamese, never
/// the database's own words.
fn error_page(app: &AppState, e: &StoreError) -> Response {
    let (status, title, message) = match e {
        StoreError::NotFound(_) => (
            StatusCode::NOT_FOUND,
            "Không tìm thấy",
            e.to_string().replace("không tìm thấy", "Không tìm thấy"),
        ),
        StoreError::Invalid(_) | StoreError::InvalidRows(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Chưa gửi được",
            e.to_string(),
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Lỗi máy chủ",
            crate::pages::hidden_failure(e),
        ),
    };
    render(
        app,
        status,
        "public_message.html",
        context! { title => title, message => message },
    )
}

/// `2026-12-07` → `07/12/2026`.
fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
