//! The web application: Vietnamese pages rendered on the server, and the
//! JSON API under `/api`, both behind the same accounts and access rules.
//!
//! **Architecture invariants:** handlers never compute a figure from
//! records; they ask the store for facts. Handlers never decide who may see
//! what: they use the store of [`auth::Ctx`], which acts as the signed-in
//! user and is limited to the user's unit subtree.

pub mod api_assignments;
pub mod api_chain;
pub mod api_datasets;
pub mod api_directives;
pub mod api_figures;
pub mod api_meetings;
pub mod api_models;
pub mod api_petitions;
pub mod api_scores;
pub mod api_version;
pub mod auth;
pub mod check_results;
pub mod dhis2;
pub mod drafts;
pub mod forms;
mod headers;
pub mod import_run;
pub mod kinds;
pub mod open311;
pub mod openapi;
pub mod pages;
pub mod public;
pub mod routes;
pub mod state;

use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::{Router, middleware};
use danvan_store::Store;

pub use routes::{Route, Routes};
pub use state::AppState;

/// Every route of the application, in one table.
pub fn routes() -> Routes {
    let r = Routes::default()
        .get("/healthz", || async { "ok" })
        .get("/static/app.css", css)
        .get("/static/app.js", js)
        .get("/dang-nhap", pages::login::page)
        .post("/dang-nhap", pages::login::submit)
        .post("/dang-xuat", pages::login::logout)
        .get("/", pages::dashboard::root)
        .get("/don-vi", pages::units::page)
        .get("/api/openapi.json", openapi::openapi_json)
        .get("/api/units/search", pages::units::api_search)
        .get("/don-thu", pages::petitions::list)
        .post("/don-thu", pages::petitions::create)
        .get("/don-thu/moi", pages::petitions::new_form)
        .get("/don-thu/{id}", pages::petitions::page)
        .post("/don-thu/{id}/buoc", pages::petitions::step)
        .post("/don-thu/{id}/phan-cong", pages::petition_assign::assign)
        .post(
            "/don-thu/{id}/thoi-phan-cong",
            pages::petition_assign::unassign,
        )
        .post("/don-thu/{id}/tra-loi", pages::petition_answer::answer)
        .get("/don-thu/{id}/tep/{name}", pages::petition_answer::file)
        .get("/don-thu/{id}/du-lieu-ca-nhan", pages::personal_data::page)
        .get(
            "/don-thu/{id}/du-lieu-ca-nhan/tai-ve",
            pages::personal_data::download,
        )
        .post(
            "/don-thu/{id}/du-lieu-ca-nhan/xoa",
            pages::personal_data::erase,
        )
        .get("/don-thu/{id}/sua", pages::petition_edit::edit_form)
        .post("/don-thu/{id}/sua", pages::petition_edit::update)
        .post("/don-thu/{id}/xoa", pages::petition_edit::delete)
        .get("/bao-cao", pages::reports::page)
        .post("/bao-cao", pages::reports::save)
        .get("/bao-cao/tai", pages::reports::download)
        .get("/bao-cao/chi-so", pages::catalogue_entries::page)
        .post("/bao-cao/chi-so", pages::catalogue_entries::save)
        .get(
            "/bao-cao/chi-so/{kind}/{code}",
            pages::catalogue_entries::entry,
        )
        .post(
            "/bao-cao/chi-so/{kind}/{code}",
            pages::catalogue_entries::edit,
        )
        .post(
            "/bao-cao/chi-so/{kind}/{code}/bo",
            pages::catalogue_entries::retire,
        )
        .get("/bao-cao/yeu-cau", pages::chain::list)
        .post("/bao-cao/yeu-cau", pages::chain::create)
        .get("/bao-cao/yeu-cau/{id}", pages::chain::request_page)
        .post("/bao-cao/yeu-cau/{id}/soan", pages::chain::prepare)
        .get("/bao-cao/gui/{id}", pages::chain::submission)
        .post("/bao-cao/gui/{id}/gui", pages::chain::submit)
        .post("/bao-cao/gui/{id}/duyet", pages::chain::accept)
        .post("/bao-cao/gui/{id}/tra-lai", pages::chain::return_it)
        .post("/bao-cao/gui/{id}/huy-duyet", pages::chain::unaccept)
        .get("/bao-cao/gui/{id}/docx", pages::chain::docx)
        .get("/bao-cao/gui/{id}/pdf", pages::chain::pdf)
        .get("/danh-gia", pages::scoring::list)
        .post("/danh-gia", pages::scoring::create)
        .get("/danh-gia/{id}", pages::scoring::round)
        .get("/danh-gia/{id}/xlsx", pages::scoring::xlsx)
        .get("/danh-gia/{id}/docx", pages::scoring::docx)
        .post("/danh-gia/{id}/tu-danh-gia", pages::scoring_unit::start)
        .get("/danh-gia/bai/{id}", pages::scoring_unit::show)
        .post("/danh-gia/bai/{id}/luu", pages::scoring_unit::save)
        .post("/danh-gia/bai/{id}/dieu-chinh", pages::scoring_unit::adjust)
        .post("/danh-gia/bai/{id}/duyet", pages::scoring_unit::approve)
        .post("/danh-gia/bai/{id}/cham-lai", pages::scoring_unit::rescore)
        .get("/ghi-nhan", pages::record_index::page)
        .get("/ghi-nhan/hoi-nghi", pages::meetings::list)
        .post("/ghi-nhan/hoi-nghi", pages::meetings::create)
        .get("/ghi-nhan/hoi-nghi/moi", pages::meetings::new_form)
        .get("/ghi-nhan/hoi-nghi/{id}", pages::meetings::page)
        .post("/ghi-nhan/hoi-nghi/{id}/y-kien", pages::meetings::follow_up)
        .post("/ghi-nhan/hoi-nghi/{id}/xoa", pages::meetings::delete)
        .get("/ghi-nhan/mo-hinh", pages::models::list)
        .post("/ghi-nhan/mo-hinh", pages::models::create)
        .get("/ghi-nhan/mo-hinh/moi", pages::models::new_form)
        .get("/ghi-nhan/mo-hinh/{id}", pages::models::page)
        .post("/ghi-nhan/mo-hinh/{id}/nam", pages::models::set_year)
        .get("/ghi-nhan/so-lieu", pages::data_values::list)
        .post("/ghi-nhan/so-lieu", pages::data_values::create)
        .get("/ghi-nhan/so-lieu/moi", pages::data_values::new_form)
        .get(
            "/ghi-nhan/so-lieu/{set}/{unit}/{period}",
            pages::data_values::page,
        )
        .get("/ghi-nhan/cong-khai", pages::disclosure::page)
        .post("/ghi-nhan/cong-khai", pages::disclosure::create)
        .post("/ghi-nhan/cong-khai/{id}/go", pages::disclosure::take_down)
        .post("/ghi-nhan/cong-khai/lich", pages::disclosure::add_slot)
        .post(
            "/ghi-nhan/cong-khai/lich/{id}/xoa",
            pages::disclosure::delete_slot,
        )
        .get("/ghi-nhan/chi-tieu", pages::definitions::elements)
        .post("/ghi-nhan/chi-tieu", pages::definitions::create_element)
        .get("/ghi-nhan/chi-tieu/moi", pages::definitions::element_form)
        .get("/ghi-nhan/bo-chi-tieu", pages::definitions::sets)
        .post("/ghi-nhan/bo-chi-tieu", pages::definitions::create_set)
        .get("/ghi-nhan/bo-chi-tieu/moi", pages::definitions::set_form)
        .get("/nhap-tep", pages::imports::page)
        .post(
            "/nhap-tep",
            pages::imports::start.layer(DefaultBodyLimit::max(pages::imports::MAX_UPLOAD)),
        )
        .get("/nhap-tep/{job}", pages::imports::job)
        .get("/kiem-tra", pages::check::page)
        .post(
            "/kiem-tra",
            pages::check::submit.layer(DefaultBodyLimit::max(pages::check::MAX_BODY)),
        )
        .get("/kiem-tra/{id}", pages::check::result)
        .get("/kiem-tra/{id}/json", pages::check::json)
        .get("/nhat-ky", pages::audit::page)
        .get("/nguoi-dung", pages::users::page)
        .post("/nguoi-dung", pages::users::create)
        .post("/nguoi-dung/khoa-api", pages::users::create_token)
        .get("/nguoi-dung/open311", pages::open311_keys::page)
        .post("/nguoi-dung/open311", pages::open311_keys::create)
        .post(
            "/nguoi-dung/open311/{id}/thu-hoi",
            pages::open311_keys::revoke,
        )
        .post(
            "/nguoi-dung/khoa-api/{id}/thu-hoi",
            pages::users::revoke_token,
        )
        .post("/nguoi-dung/{id}/khoa", pages::users::deactivate)
        .post("/nguoi-dung/{id}/mo-khoa", pages::users::reactivate)
        .post("/nguoi-dung/{id}/mat-khau", pages::users::reset_password)
        .get("/huong-dan", pages::guide)
        .get("/co-quan-ban-hanh", pages::issuers::page)
        .post("/co-quan-ban-hanh", pages::issuers::save)
        .post("/co-quan-ban-hanh/xoa", pages::issuers::delete)
        .get("/thong-bao", pages::notices::page)
        .post("/thong-bao", pages::notices::save)
        .get("/mat-khau", pages::password::page)
        .post("/mat-khau", pages::password::submit);
    let r = public::routes(r);
    let r = open311::routes(r);
    let r = kinds::routes(r);
    let r = api_petitions::routes(r);
    let r = api_assignments::routes(r);
    let r = api_meetings::routes(r);
    let r = api_models::routes(r);
    let r = api_datasets::routes(r);
    let r = api_directives::routes(r);
    let r = api_figures::routes(r);
    let r = api_chain::routes(r);
    let r = api_scores::routes(r);
    dhis2::routes(r)
}

/// The application over `state`.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes().into_parts();
    router
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            public::limit_posts,
        ))
        .layer(middleware::from_fn(headers::secure))
        .with_state(state)
}

/// The router over `store`, with default settings: for `serve` and tests.
pub fn router(store: Store) -> Router {
    app(AppState::new(store))
}

async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    let path = uri.path();
    if path.starts_with("/dhis2/") {
        dhis2::not_found(path)
    } else if open311::is_open311(path) {
        open311::not_found(path)
    } else if path.starts_with("/api/") {
        api_petitions::json_error(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            &format!("không có đường dẫn {path}"),
        )
    } else {
        (
            axum::http::StatusCode::NOT_FOUND,
            pages::plain_error("Không tìm thấy trang này."),
        )
            .into_response()
    }
}

async fn js() -> axum::response::Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../static/app.js"),
    )
        .into_response()
}

async fn css() -> axum::response::Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        include_str!("../static/app.css"),
    )
        .into_response()
}

/// Serve until Ctrl-C or SIGTERM (systemd, Docker, `kill`): requests in
/// flight finish, no new one starts, then the call returns.
/// Each connection carries its peer address, which login throttling counts.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let housekeeping = tokio::spawn(purge_every_hour(state.store.clone()));
    let served = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    housekeeping.abort();
    served
}

/// Expired sessions and spent throttle rows are removed every hour while
/// the server runs (and on demand with `danvan user purge`).
async fn purge_every_hour(store: Store) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(e) = danvan_store::accounts::purge(&store).await {
            eprintln!("Không dọn được phiên hết hạn: {e}");
        }
    }
}

/// Resolves at the first Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
