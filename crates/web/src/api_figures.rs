//! `GET /api/figures?unit=CODE_OR_NAME&period=2020-H1[&cutoff=true]`: the
//! report catalogue's indicator values for a unit's subtree and a period,
//! read from facts by the report crate; nothing is computed here.

use axum::Json;
use axum::response::{IntoResponse, Response};
use danvan_core::period::Period;
use danvan_report::{Catalogue, Figures};
use danvan_store::units;
use serde::Deserialize;
use serde_json::json;

use crate::api_petitions::{ApiError, Params};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/figures", figures)
}

#[derive(Debug, Deserialize)]
struct FiguresQuery {
    unit: String,
    period: String,
    #[serde(default)]
    cutoff: bool,
}

async fn figures(
    Ctx { store, .. }: Ctx,
    Params(q): Params<FiguresQuery>,
) -> Result<Response, ApiError> {
    let period = Period::parse(&q.period, q.cutoff).map_err(|e| e.at_field("period"))?;
    let r = period.range();
    let unit = units::find(&store, &q.unit, Some((r.start, r.end))).await?;
    let f = Figures::compute(&store, &Catalogue::builtin(), &unit, &period, false).await?;
    Ok(Json(json!({ "unit": unit, "period": r, "figures": f })).into_response())
}
