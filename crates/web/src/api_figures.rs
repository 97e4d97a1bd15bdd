//! `GET /api/figures?unit=CODE_OR_NAME&period=2020-H1[&cutoff=true]`: the
//! report catalogue's indicator values for a unit's subtree and a period,
//! read from facts by the report crate; nothing is computed here.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use danvan_core::period::Period;
use danvan_report::{Catalogue, Figures};
use danvan_store::{Store, units};
use serde::Deserialize;
use serde_json::json;

use crate::api_petitions::{ApiError, Params};

pub fn routes() -> Router<Store> {
    Router::new().route("/api/figures", get(figures))
}

#[derive(Debug, Deserialize)]
struct FiguresQuery {
    unit: String,
    period: String,
    #[serde(default)]
    cutoff: bool,
}

async fn figures(
    State(store): State<Store>,
    Params(q): Params<FiguresQuery>,
) -> Result<Response, ApiError> {
    let period = Period::parse(&q.period, q.cutoff).map_err(|e| e.at_field("period"))?;
    let r = period.range();
    let unit = units::find(&store, &q.unit, Some((r.start, r.end))).await?;
    let f = Figures::compute(&store, &Catalogue::builtin(), &unit, &period, false).await?;
    Ok(Json(json!({ "unit": unit, "period": r, "figures": f })).into_response())
}
