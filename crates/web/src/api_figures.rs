//! `GET /api/figures?unit=CODE_OR_NAME&period=2020-H1[&cutoff=true]`: the
//! report catalogue's indicator values for a unit's subtree and a period,
//! read from facts by the report crate; nothing is computed here. A body
//! is kept until the data changes (the dashboards' cache, never stale):
//! a province's whole catalogue with every level below costs tens of
//! milliseconds, and programs poll the same figures.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use danvan_core::period::Period;
use danvan_report::Figures;
use danvan_store::units;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::api_petitions::{ApiError, Params};
use crate::auth::Ctx;
use crate::routes::Routes;
use crate::state::AppState;

/// Bodies kept, by unit, period and the reader's scope.
pub type Cache = danvan_report::dashboard_cache::DashboardCache<Arc<serde_json::Value>>;
/// How many bodies are kept (least recently used dropped beyond).
pub const CACHED: usize = 256;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/figures", figures)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FiguresQuery {
    /// Đơn vị: mã hoặc tên («24886-2025», «xã Đam Rông 1»).
    unit: String,
    /// Kỳ báo cáo, ví dụ 2026, 2026-H1, 2026-Q2, 2026-03.
    period: String,
    /// Kỳ tính theo ngày chốt số liệu.
    #[serde(default)]
    cutoff: bool,
}

/// Body of `GET /api/figures`.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built: the report crate's values are sent
pub struct FiguresRead {
    /// Đơn vị đã tìm thấy.
    #[schema(value_type = Object)]
    pub unit: serde_json::Value,
    /// Ngày đầu và ngày cuối của kỳ.
    #[schema(value_type = Object)]
    pub period: serde_json::Value,
    /// Giá trị các chỉ tiêu của danh mục báo cáo, theo mã chỉ tiêu.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
}

#[utoipa::path(get, path = "/api/figures", tag = "figures", operation_id = "figures_get",
    params(FiguresQuery),
    responses((status = 200, description = "Số liệu của đơn vị và các đơn vị trực thuộc trong kỳ, đọc từ dữ kiện đã tổng hợp.", body = FiguresRead)))]
async fn figures(
    State(state): State<AppState>,
    Ctx { store, .. }: Ctx,
    Params(q): Params<FiguresQuery>,
) -> Result<Response, ApiError> {
    let period = Period::parse(&q.period, q.cutoff).map_err(|e| e.at_field("period"))?;
    let r = period.range();
    let unit = units::find(&store, &q.unit, Some((r.start, r.end))).await?;
    let today = chrono::Local::now().date_naive();
    let body = state
        .figures
        .get_or_build(&store, &unit, &period, today, || async {
            // The catalogue in force: the shipped one and what an
            // administrator added (data too: a new entry moves the version).
            let custom = danvan_report::custom::load(&store).await?;
            let f = Figures::compute(&store, &custom.catalogue, &unit, &period, false).await?;
            Ok(Arc::new(json!({ "unit": unit, "period": r, "figures": f })))
        })
        .await?;
    Ok(Json(&*body).into_response())
}
