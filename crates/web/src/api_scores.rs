//! `GET /api/scores?unit=CODE_OR_NAME&year=2020[&sheet=nd335]`: the
//! results of the scoring rounds of a year for a unit and the units below
//! it — points, points per group, deductions and, once approved, the
//! grade. Read through the report crate; the store decides what is seen.

use axum::Json;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_store::units;
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use crate::api_petitions::{ApiError, Params};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.get("/api/scores", scores)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ScoresQuery {
    /// Đơn vị: mã hoặc tên («674», «huyện Đam Rông»); kết quả của đơn vị và các đơn vị trực thuộc.
    unit: String,
    /// Năm đánh giá.
    year: i32,
    /// Mã bảng tiêu chí (ví dụ nd335); bỏ trống là mọi bảng.
    #[serde(default)]
    sheet: Option<String>,
}

/// Body of `GET /api/scores`.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built: the report crate's values are sent
pub struct ScoresRead {
    /// Đơn vị đã tìm thấy.
    #[schema(value_type = Object)]
    pub unit: serde_json::Value,
    pub year: i32,
    /// Kết quả từng đơn vị, điểm cao trước: `total`, `groups` (điểm từng nhóm),
    /// `deductions` (điểm nhân 100: 8550 là 85,5 điểm), `grade`,
    /// `grade_label` (chỉ khi đã phê duyệt), `capped` (lý do bị giới hạn xếp loại).
    #[schema(value_type = Vec<Object>)]
    pub scores: Vec<serde_json::Value>,
}

#[utoipa::path(get, path = "/api/scores", tag = "scores", operation_id = "scores_get",
    params(ScoresQuery),
    responses((status = 200, description = "Điểm, điểm từng nhóm và xếp loại của các đơn vị trong các đợt đánh giá của năm.", body = ScoresRead)))]
async fn scores(
    Ctx { store, .. }: Ctx,
    Params(q): Params<ScoresQuery>,
) -> Result<Response, ApiError> {
    if !(2000..=2100).contains(&q.year) {
        return Err(
            DomainError::new("scoring.year", format!("năm {} không hợp lệ", q.year))
                .at_field("year")
                .into(),
        );
    }
    let end = chrono::NaiveDate::from_ymd_opt(q.year, 12, 31).expect("a checked year");
    let start = chrono::NaiveDate::from_ymd_opt(q.year, 1, 1).expect("a checked year");
    let unit = units::find(&store, &q.unit, Some((start, end))).await?;
    let list = danvan_report::scoring::scores(
        &store,
        unit.id,
        q.year,
        q.sheet.as_deref().filter(|s| !s.trim().is_empty()),
    )
    .await?;
    Ok(Json(json!({ "unit": unit, "year": q.year, "scores": list })).into_response())
}
