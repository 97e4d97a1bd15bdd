//! The web application. For now a Vietnamese start page over the unit tree
//! and the live facts; the full UI lands with the web issue.
//!
//! **Architecture invariant:** handlers never compute a figure from
//! records; they ask the store for facts.

pub mod api_datasets;
pub mod api_directives;
pub mod api_figures;
pub mod api_mediation;
pub mod api_meetings;
pub mod api_models;
pub mod api_oversight;
pub mod api_petitions;

use std::net::SocketAddr;

use axum::extract::State;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use danvan_core::number;
use danvan_core::period::Period;
use danvan_core::records::reception::keys;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::{Store, units};

/// The router, for `serve` and for tests.
pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/units", get(api_units))
        .merge(api_petitions::routes())
        .merge(api_mediation::routes())
        .merge(api_meetings::routes())
        .merge(api_models::routes())
        .merge(api_datasets::routes())
        .merge(api_oversight::routes())
        .merge(api_directives::routes())
        .merge(api_figures::routes())
        .with_state(store)
}

/// Serve until Ctrl-C.
pub async fn serve(store: Store, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(store))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn home(State(store): State<Store>) -> impl IntoResponse {
    let mut body = String::from(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>danvan</title>\
         <style>body{font-family:'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem}\
         table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem}td.n{text-align:right}</style>\
         </head><body><h1>danvan — công tác dân vận chính quyền</h1>",
    );
    match units::all(&store).await {
        Err(e) => body.push_str(&format!("<p>Lỗi: {}</p>", escape(&e.to_string()))),
        Ok(all) => {
            body.push_str(&format!(
                "<p>Cơ sở dữ liệu có {} đơn vị.</p><table><tr><th>Đơn vị cấp tỉnh</th><th>Hiệu lực</th>\
                 <th>Tiếp công dân năm 2016</th><th>6 tháng đầu năm 2020</th><th>2021 - 2023</th></tr>",
                number::int(all.len() as i64)
            ));
            for u in all.iter().filter(|u| u.parent_id.is_none()) {
                let mut cells = String::new();
                for p in ["2016", "2020-H1", "2021..2023"] {
                    let period = Period::parse(p, false).expect("fixed period");
                    let t = facts::read(
                        &store,
                        Scope::of(u),
                        &[keys::TURNS, keys::PERSONS],
                        period.range(),
                        Detail::Totals,
                    )
                    .await;
                    cells.push_str(&match t {
                        Ok(t) => format!(
                            "<td class=n>{} lượt/{} người</td>",
                            number::int(t.total(keys::TURNS)),
                            number::int(t.total(keys::PERSONS))
                        ),
                        Err(e) => format!("<td>{}</td>", escape(&e.to_string())),
                    });
                }
                let valid = match (u.valid_from, u.valid_to) {
                    (None, None) => String::new(),
                    (f, t) => format!(
                        "{} – {}",
                        f.map_or("…".into(), |d| d.format("%d/%m/%Y").to_string()),
                        t.map_or("…".into(), |d| d.format("%d/%m/%Y").to_string())
                    ),
                };
                body.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td>{cells}</tr>",
                    escape(&u.full_name()),
                    valid
                ));
            }
            body.push_str("</table>");
        }
    }
    body.push_str("</body></html>");
    Html(body)
}

async fn api_units(State(store): State<Store>) -> impl IntoResponse {
    match units::all(&store).await {
        Ok(u) => Json(serde_json::json!({ "units": u })).into_response(),
        Err(e) => (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            Json(serde_json::json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}
