//! `dataElements` and `dataSets`: danvan's aggregate data elements and
//! sets, and the catalogue's indicators as read-only data elements (no
//! data set holds them; values are read through analytics, never
//! written).

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use danvan_core::records::dataset::{Aggregation, DataElement, DataSet, ValueType};
use danvan_report::Catalogue;
use danvan_report::catalogue::{Formula, Indicator};
use serde_json::{Value, json};

use super::auth::Caller;
use super::error::Dhis2Error;
use super::fields::Fields;
use super::index::UnitIndex;
use super::meta::Meta;
use super::periods;
use super::query::{Filters, Query, page};
use super::uid;

fn combo(e: &DataElement) -> Value {
    if e.options.is_empty() {
        return json!({
            "id": uid::DEFAULT_COMBO, "name": "default",
            "categoryOptionCombos": [{ "id": uid::DEFAULT_OPTION_COMBO, "name": "default", "code": "default" }],
        });
    }
    let combos: Vec<Value> = e
        .options
        .iter()
        .map(|o| json!({ "id": uid::option_combo(&e.code, &o.code), "name": o.label, "code": o.code }))
        .collect();
    json!({ "id": uid::combo(&e.code), "name": format!("Phân tổ: {}", e.label), "categoryOptionCombos": combos })
}

fn set_ref(s: &DataSet) -> Value {
    json!({ "id": uid::data_set(&s.code), "code": s.code, "name": s.name, "periodType": periods::type_name(s.period_type) })
}

fn element(meta: &Meta, e: &DataElement) -> Value {
    let id = uid::element(&e.code);
    let sets: Vec<Value> = meta
        .sets_of(e)
        .map(|s| json!({ "dataSet": set_ref(s), "dataElement": { "id": id } }))
        .collect();
    json!({
        "id": id,
        "code": e.code,
        "name": e.label,
        "displayName": e.label,
        "shortName": e.label,
        "formName": e.label,
        "description": format!("Đơn vị tính: {}", e.measure),
        "valueType": match e.value_type { ValueType::Integer => "INTEGER", ValueType::Decimal => "NUMBER" },
        "aggregationType": match e.aggregation {
            Aggregation::Sum => "SUM",
            Aggregation::Last => "LAST",
            Aggregation::None => "NONE",
        },
        "domainType": "AGGREGATE",
        "zeroIsSignificant": false,
        "categoryCombo": combo(e),
        "dataSetElements": sets,
    })
}

fn indicator(i: &Indicator) -> Value {
    let (value_type, aggregation, description) = match &i.formula {
        Formula::Value(_) => (
            "INTEGER",
            "SUM",
            "Chỉ tiêu báo cáo, tính từ dữ kiện; chỉ đọc qua analytics.",
        ),
        Formula::Ratio { .. } => (
            "PERCENTAGE",
            "CUSTOM",
            "Tỷ lệ (%) của danh mục chỉ tiêu báo cáo, tính từ dữ kiện; chỉ đọc qua analytics.",
        ),
    };
    json!({
        "id": uid::indicator(&i.code),
        "code": i.code,
        "name": i.label,
        "displayName": i.label,
        "shortName": i.label,
        "description": description,
        "valueType": value_type,
        "aggregationType": aggregation,
        "domainType": "AGGREGATE",
        "zeroIsSignificant": true,
        "categoryCombo": { "id": uid::DEFAULT_COMBO, "name": "default" },
        "dataSetElements": [],
    })
}

/// Every data element: entered elements first, then the indicators.
fn elements(meta: &Meta) -> Vec<Value> {
    meta.elements
        .iter()
        .map(|e| element(meta, e))
        .chain(Catalogue::shipped().indicators.values().map(indicator))
        .collect()
}

fn set(meta: &Meta, s: &DataSet, units: Option<&UnitIndex>) -> Value {
    let id = uid::data_set(&s.code);
    let members: Vec<Value> = s
        .elements
        .iter()
        .filter_map(|c| meta.element(c))
        .map(|e| {
            json!({
                "dataElement": { "id": uid::element(&e.code), "code": e.code, "name": e.label },
                "dataSet": { "id": id },
            })
        })
        .collect();
    let mut v = json!({
        "id": id,
        "code": s.code,
        "name": s.name,
        "displayName": s.name,
        "shortName": s.name,
        "periodType": periods::type_name(s.period_type),
        "categoryCombo": { "id": uid::DEFAULT_COMBO, "name": "default" },
        "dataSetElements": members,
    });
    if let Some(ix) = units {
        // danvan's sets are national: every unit the reader sees enters them.
        v["organisationUnits"] = ix
            .visible
            .iter()
            .map(|u| json!({ "id": ix.id(u), "code": u.code, "name": u.full_name() }))
            .collect();
    }
    v
}

fn listed(q: &Query, key: &str, all: Vec<Value>) -> Result<Response, Dhis2Error> {
    let fields = Fields::parse(q.get("fields"), "id,displayName")?;
    let filters = Filters::of(q)?;
    let items = all
        .iter()
        .filter(|v| filters.holds(v))
        .map(|v| fields.apply(v))
        .collect();
    Ok(Json(page(q, key, items)?).into_response())
}

/// `GET /api/dataElements`.
pub async fn list_elements(Caller { store, .. }: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let meta = Meta::load(&store).await?;
    listed(&q, "dataElements", elements(&meta))
}

/// `GET /api/dataElements/{id}` (also `{id}.json`).
pub async fn one_element(
    Caller { store, .. }: Caller,
    Path(id): Path<String>,
    q: Query,
) -> Result<Response, Dhis2Error> {
    let meta = Meta::load(&store).await?;
    let id = id.trim_end_matches(".json");
    let found = elements(&meta)
        .into_iter()
        .find(|v| v["id"] == id || v["code"] == id)
        .ok_or_else(|| Dhis2Error::not_found(format!("không có chỉ tiêu «{id}»")))?;
    let fields = Fields::parse(q.get("fields"), "*")?;
    Ok(Json(fields.apply(&found)).into_response())
}

/// `GET /api/dataSets`.
pub async fn list_sets(Caller { store, .. }: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let meta = Meta::load(&store).await?;
    let fields = Fields::parse(q.get("fields"), "id,displayName")?;
    let units = if fields.wants("organisationUnits") {
        Some(UnitIndex::load(&store).await?)
    } else {
        None
    };
    let all = meta
        .sets
        .iter()
        .map(|s| set(&meta, s, units.as_ref()))
        .collect();
    listed(&q, "dataSets", all)
}

/// `GET /api/dataSets/{id}` (also `{id}.json`).
pub async fn one_set(
    Caller { store, .. }: Caller,
    Path(id): Path<String>,
    q: Query,
) -> Result<Response, Dhis2Error> {
    let meta = Meta::load(&store).await?;
    let s = meta.find_set(id.trim_end_matches(".json"))?;
    let fields = Fields::parse(q.get("fields"), "*")?;
    let units = if fields.wants("organisationUnits") {
        Some(UnitIndex::load(&store).await?)
    } else {
        None
    };
    Ok(Json(fields.apply(&set(&meta, s, units.as_ref()))).into_response())
}
