//! JSON API for aggregate data sets: define elements and sets, read a set,
//! enter values (all or nothing), read one entered value.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_store::{Store, datasets, units};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::api_petitions::{ApiError, Body, Params, one_or_many};
use crate::auth::Ctx;
use crate::openapi::OneOrMany;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/data-elements", define_element)
        .post("/api/data-sets", define_set)
        .get("/api/data-sets/{code}", one_set)
        .post("/api/data-sets/{code}/values", enter)
        .get("/api/data-values", value)
}

/// An element as defined, with its number.
#[derive(Serialize, ToSchema)]
pub struct ElementRead {
    pub id: i64,
    pub element: DataElement,
}

/// A set with its elements, in the set's order.
#[derive(Serialize, ToSchema)]
pub struct SetRead {
    pub set: DataSet,
    pub elements: Vec<DataElement>,
}

/// How many values were entered.
#[derive(Serialize, ToSchema)]
pub struct Entered {
    pub entered: usize,
}

#[utoipa::path(post, path = "/api/data-elements", tag = "datasets", operation_id = "data_elements_define",
    request_body = DataElement,
    responses((status = 201, description = "Chỉ tiêu đã định nghĩa (hoặc đổi tên).", body = ElementRead)))]
async fn define_element(
    Ctx { store, .. }: Ctx,
    Body(e): Body<DataElement>,
) -> Result<Response, ApiError> {
    let id = datasets::define_element(&store, &e).await?;
    Ok((StatusCode::CREATED, Json(ElementRead { id, element: e })).into_response())
}

async fn read_set(store: &Store, code: &str) -> Result<SetRead, ApiError> {
    let (set, elements) = datasets::get_set(store, code).await?;
    Ok(SetRead { set, elements })
}

#[utoipa::path(post, path = "/api/data-sets", tag = "datasets", operation_id = "data_sets_define",
    request_body = DataSet,
    responses((status = 201, description = "Bộ chỉ tiêu đã định nghĩa.", body = SetRead)))]
async fn define_set(Ctx { store, .. }: Ctx, Body(s): Body<DataSet>) -> Result<Response, ApiError> {
    datasets::define_set(&store, &s).await?;
    Ok((StatusCode::CREATED, Json(read_set(&store, &s.code).await?)).into_response())
}

#[utoipa::path(get, path = "/api/data-sets/{code}", tag = "datasets", operation_id = "data_sets_get",
    params(("code" = String, Path, description = "Mã bộ chỉ tiêu")),
    responses((status = 200, description = "Bộ chỉ tiêu và các chỉ tiêu.", body = SetRead)))]
async fn one_set(Ctx { store, .. }: Ctx, Path(code): Path<String>) -> Result<Response, ApiError> {
    Ok(Json(read_set(&store, &code).await?).into_response())
}

/// One value or a list of values of the set.
#[utoipa::path(post, path = "/api/data-sets/{code}/values", tag = "datasets", operation_id = "data_sets_enter",
    params(("code" = String, Path, description = "Mã bộ chỉ tiêu")),
    request_body(content = OneOrMany<DataValue>, description = "Một giá trị, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Số giá trị đã ghi.", body = Entered)))]
async fn enter(
    Ctx { store, .. }: Ctx,
    Path(code): Path<String>,
    Body(v): Body<Value>,
) -> Result<Response, ApiError> {
    let (values, _): (Vec<DataValue>, bool) = one_or_many(v)?;
    datasets::enter(&store, &code, &values).await?;
    Ok((
        StatusCode::CREATED,
        Json(Entered {
            entered: values.len(),
        }),
    )
        .into_response())
}

/// Query of `GET /api/data-values`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ValueQuery {
    /// Đơn vị (mã số).
    unit: i64,
    /// Mã chỉ tiêu.
    element: String,
    /// Kỳ, ví dụ 2026-H1.
    period: String,
    /// Mã lựa chọn của chỉ tiêu có lựa chọn.
    #[serde(default)]
    option: String,
}

/// One entered value; `value` is null when nothing was entered.
#[derive(Serialize, ToSchema)]
pub struct ValueRead {
    pub unit: i64,
    pub element: String,
    pub period: String,
    pub option: String,
    pub value: Option<i64>,
}

#[utoipa::path(get, path = "/api/data-values", tag = "datasets", operation_id = "data_values_get",
    params(ValueQuery),
    responses((status = 200, description = "Giá trị đã nhập (số nguyên đã nhân theo số chữ số thập phân).", body = ValueRead)))]
async fn value(
    Ctx { store, .. }: Ctx,
    Params(q): Params<ValueQuery>,
) -> Result<Response, ApiError> {
    if units::by_id(&store, q.unit).await?.is_none() {
        return Err(DomainError::new(
            "record.unknown_unit",
            format!("không tìm thấy đơn vị (mã số {})", q.unit),
        )
        .at_field("unit")
        .into());
    }
    let value = datasets::value(&store, q.unit, &q.element, &q.period, &q.option).await?;
    Ok(Json(ValueRead {
        unit: q.unit,
        element: q.element,
        period: q.period,
        option: q.option,
        value,
    })
    .into_response())
}
