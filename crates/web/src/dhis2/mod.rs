//! A DHIS2-compatible subset of the Web API under `/dhis2`, so that tools
//! written for DHIS2 (given `base_url = http://host/dhis2`) read and send
//! danvan's units, data sets, values and indicators. See `docs/dhis2.md`.
//!
//! Everything goes through the same store as the rest of the application:
//! the caller's account decides the unit subtree (the store enforces it),
//! values are written through danvan's own data-set path, and analytics
//! are read from facts.

mod adx;
mod analytics;
mod auth;
mod error;
mod fields;
mod import;
mod index;
mod meta;
mod metadata;
mod number;
mod org_units;
mod periods;
mod query;
mod uid;
mod values;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

pub use error::Dhis2Error;

use crate::routes::Routes;

/// The DHIS2 version whose Web API this subset follows.
pub const DHIS2_VERSION: &str = "2.40.0";

pub fn routes(r: Routes) -> Routes {
    r.get("/dhis2/api/system/info", system_info)
        .get("/dhis2/api/me", me)
        .get("/dhis2/api/organisationUnits", org_units::list)
        .get("/dhis2/api/organisationUnits/{id}", org_units::one)
        .get("/dhis2/api/organisationUnitLevels", org_units::levels)
        .get("/dhis2/api/dataElements", metadata::list_elements)
        .get("/dhis2/api/dataElements/{id}", metadata::one_element)
        .get("/dhis2/api/dataSets", metadata::list_sets)
        .get("/dhis2/api/dataSets/{id}", metadata::one_set)
        .get("/dhis2/api/dataValueSets", values::get_set)
        .post("/dhis2/api/dataValueSets", values::post_set)
        .get("/dhis2/api/dataValues", values::get_value)
        .post("/dhis2/api/dataValues", values::post_value)
        .get("/dhis2/api/analytics", analytics::analytics)
}

/// `GET /api/system/info`: what a client checks first (version, calendar,
/// date format). Asks for a signed-in caller, as DHIS2 does.
async fn system_info(c: auth::Caller) -> Response {
    Json(json!({
        "version": DHIS2_VERSION,
        "revision": env!("CARGO_PKG_VERSION"),
        "calendar": "iso8601",
        "dateFormat": "yyyy-mm-dd",
        "serverTimeZoneId": "Asia/Ho_Chi_Minh",
        "systemName": "danvan",
        "systemId": uid::unit("danvan-system"),
        "contextPath": "/dhis2",
        "serverDate": chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        "databaseInfo": { "name": match c.store.engine() {
            danvan_store::Engine::Sqlite => "SQLite",
            danvan_store::Engine::Postgres => "PostgreSQL",
        } },
    }))
    .into_response()
}

/// `GET /api/me`: the caller, with the unit its data is limited to.
async fn me(c: auth::Caller) -> Result<Response, Dhis2Error> {
    let ix = index::UnitIndex::load(&c.store).await?;
    let units: Vec<_> = match c.user.unit_id.and_then(|u| ix.by_id(u)) {
        Some(u) => vec![json!({ "id": ix.id(u), "code": u.code, "name": u.full_name() })],
        None => ix
            .visible
            .iter()
            .filter(|u| u.parent_id.is_none())
            .map(|u| json!({ "id": ix.id(u), "code": u.code, "name": u.full_name() }))
            .collect(),
    };
    Ok(Json(json!({
        "id": uid::unit(&format!("user/{}", c.user.id)),
        "username": c.user.username,
        "name": c.user.full_name,
        "displayName": c.user.full_name,
        "organisationUnits": units,
        "dataViewOrganisationUnits": units,
    }))
    .into_response())
}

/// The answer to a `/dhis2` path that does not exist, in DHIS2's shape.
pub fn not_found(path: &str) -> Response {
    Dhis2Error::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("danvan chưa có đường dẫn DHIS2 {path}"),
    )
    .into_response()
}
