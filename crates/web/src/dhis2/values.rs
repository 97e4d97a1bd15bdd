//! `dataValueSets` (GET and POST, JSON or ADX) and `dataValues` (one
//! value): danvan's entered values in DHIS2's shapes. Reads go through
//! the store's scope (a unit outside the reader's subtree is not found);
//! writes go through danvan's own data-set path (see [`super::import`]).

use std::collections::BTreeSet;

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dataset::DataValue;
use danvan_store::datasets::{self, ValueFilter};
use serde_json::{Value, json};

use super::adx;
use super::auth::Caller;
use super::error::{Dhis2Error, web_message};
use super::import::{self, InSet, InValue, Options};
use super::index::UnitIndex;
use super::meta::Meta;
use super::query::Query;
use super::{number, periods, uid};

/// Which days a read covers: DHIS2 periods, or a range of days.
enum Days {
    Periods(Vec<Period>),
    Range(DateRange),
}

impl Days {
    fn of(q: &Query) -> Result<Days, Dhis2Error> {
        let listed: Vec<String> = q
            .all("period")
            .iter()
            .flat_map(|p| p.split([',', ';']).map(str::to_string).collect::<Vec<_>>())
            .filter(|p| !p.trim().is_empty())
            .collect();
        if !listed.is_empty() {
            return Ok(Days::Periods(
                listed
                    .iter()
                    .map(|p| periods::parse(p))
                    .collect::<Result<_, _>>()?,
            ));
        }
        let date = |key: &str| -> Result<Option<NaiveDate>, Dhis2Error> {
            q.get(key)
                .filter(|d| !d.trim().is_empty())
                .map(|d| {
                    danvan_core::period::parse_date(d).ok_or_else(|| {
                        Dhis2Error::conflict(
                            "dhis2.bad_date",
                            format!("{key} «{d}» không phải ngày dạng YYYY-MM-DD"),
                        )
                    })
                })
                .transpose()
        };
        match (date("startDate")?, date("endDate")?) {
            (Some(s), Some(e)) if s <= e => Ok(Days::Range(DateRange::new(s, e))),
            (Some(_), Some(_)) => Err(Dhis2Error::conflict(
                "dhis2.bad_date",
                "endDate phải không sớm hơn startDate",
            )),
            _ => Err(Dhis2Error::conflict(
                "dhis2.no_period",
                "cần kỳ (period) hoặc cả startDate và endDate",
            )),
        }
    }

    /// The days within which the wanted periods start.
    fn starts(&self) -> DateRange {
        match self {
            Days::Range(r) => *r,
            Days::Periods(ps) => {
                let start = ps.iter().map(|p| p.range().start).min();
                let end = ps.iter().map(|p| p.range().start).max();
                DateRange::new(
                    start.unwrap_or(NaiveDate::MIN),
                    end.unwrap_or(NaiveDate::MAX),
                )
            }
        }
    }

    /// Whether a value entered for `code` (`2016-H1`) is wanted.
    fn holds(&self, code: &str) -> bool {
        let Ok(p) = Period::parse(code, false) else {
            return false;
        };
        let r = p.range();
        match self {
            Days::Range(w) => w.start <= r.start && r.end <= w.end,
            Days::Periods(ps) => ps.iter().any(|x| x.range() == r),
        }
    }
}

/// The values a `GET /api/dataValueSets` asks for, each with its set.
pub struct Read {
    pub values: Vec<DataValue>,
    pub set: Option<String>,
}

async fn read(c: &Caller, meta: &Meta, ix: &UnitIndex, q: &Query) -> Result<Read, Dhis2Error> {
    let mut elements: Vec<String> = Vec::new();
    let sets = q.all("dataSet");
    for s in &sets {
        elements.extend(meta.find_set(s)?.elements.iter().cloned());
    }
    for e in q.all("dataElement") {
        elements.push(meta.find_element(&e)?.code.clone());
    }
    if elements.is_empty() {
        return Err(Dhis2Error::conflict(
            "dhis2.no_data_set",
            "cần ít nhất một bộ chỉ tiêu (dataSet) hoặc chỉ tiêu (dataElement)",
        ));
    }
    let days = Days::of(q)?;
    let units = q.all("orgUnit");
    if units.is_empty() {
        return Err(Dhis2Error::conflict(
            "dhis2.no_org_unit",
            "cần ít nhất một đơn vị (orgUnit)",
        ));
    }
    let subtree = q.flag("children", false)? || q.flag("includeDescendants", false)?;
    let starts = days.starts();
    let mut seen = BTreeSet::new();
    let mut values = Vec::new();
    for key in &units {
        let unit = ix.find(key)?;
        let filter = ValueFilter {
            elements: elements.clone(),
            unit: unit.id,
            subtree,
            from: Some(starts.start),
            to: Some(starts.end),
        };
        for v in datasets::values_where(&c.store, &filter).await? {
            let k = (
                v.unit_id,
                v.element.clone(),
                v.period.clone(),
                v.option.clone(),
            );
            if days.holds(&v.period) && seen.insert(k) {
                values.push(v);
            }
        }
    }
    Ok(Read {
        values,
        set: (sets.len() == 1).then(|| sets[0].clone()),
    })
}

/// One value in DHIS2's JSON shape.
fn value_json(meta: &Meta, ix: &UnitIndex, v: &DataValue) -> Value {
    let text = meta
        .element(&v.element)
        .map_or_else(|| v.value.to_string(), |e| number::format(e, v.value));
    json!({
        "dataElement": uid::element(&v.element),
        "period": periods::name_of_code(&v.period),
        "orgUnit": ix.by_id(v.unit_id).map(|u| ix.id(u)).unwrap_or_default(),
        "categoryOptionCombo": uid::option_combo(&v.element, &v.option),
        "attributeOptionCombo": uid::DEFAULT_OPTION_COMBO,
        "value": text,
        "followup": false,
    })
}

fn wants_adx(headers: &HeaderMap) -> bool {
    [header::ACCEPT, header::CONTENT_TYPE].iter().any(|h| {
        headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("adx"))
    })
}

/// `GET /api/dataValueSets`: JSON, or ADX when asked with
/// `Accept: application/adx+xml`.
pub async fn get_set(c: Caller, headers: HeaderMap, q: Query) -> Result<Response, Dhis2Error> {
    let meta = Meta::load(&c.store).await?;
    let ix = UnitIndex::load(&c.store).await?;
    let r = read(&c, &meta, &ix, &q).await?;
    if wants_adx(&headers) {
        let set = r.set.as_deref().and_then(|s| meta.set(s));
        return Ok((
            [(header::CONTENT_TYPE, "application/adx+xml; charset=utf-8")],
            adx::write(&meta, &ix, set, &r.values),
        )
            .into_response());
    }
    let mut body = json!({
        "dataValues": r.values.iter().map(|v| value_json(&meta, &ix, v)).collect::<Vec<_>>(),
    });
    if let Some(s) = r.set.as_deref().and_then(|s| meta.set(s)) {
        body["dataSet"] = json!(uid::data_set(&s.code));
    }
    Ok(Json(body).into_response())
}

/// `POST /api/dataValueSets`: a JSON data value set, or ADX with
/// `Content-Type: application/adx+xml`.
pub async fn post_set(
    c: Caller,
    headers: HeaderMap,
    q: Query,
    body: Bytes,
) -> Result<Response, Dhis2Error> {
    let options = Options::of(&q)?;
    let set: InSet = if wants_adx(&headers) {
        adx::read(&body)?
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            Dhis2Error::new(
                StatusCode::BAD_REQUEST,
                "dhis2.bad_json",
                format!(
                    "nội dung gửi lên không phải bộ giá trị JSON hợp lệ (dòng {}, cột {}): cần {{\"dataValues\": [{{\"dataElement\", \"period\", \"orgUnit\", \"value\"}}]}}",
                    e.line(),
                    e.column()
                ),
            )
        })?
    };
    let meta = Meta::load(&c.store).await?;
    let ix = UnitIndex::load(&c.store).await?;
    let out = import::run(&c.store, &meta, &ix, &set, &options).await?;
    Ok(out.response(&options))
}

/// `GET /api/dataValues?de=&pe=&ou=[&co=]`: one entered value.
pub async fn get_value(c: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let need = |k: &str| {
        q.get(k)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| Dhis2Error::conflict("dhis2.missing", format!("thiếu tham số {k}")))
    };
    let (de, pe, ou) = (need("de")?, need("pe")?, need("ou")?);
    let meta = Meta::load(&c.store).await?;
    let ix = UnitIndex::load(&c.store).await?;
    let e = meta.find_element(de)?;
    let unit = ix.find(ou)?;
    let option = Meta::option(e, q.get("co"))?;
    let period = periods::parse(pe)?.code();
    let v = datasets::value(&c.store, unit.id, &e.code, &period, &option)
        .await?
        .ok_or_else(|| {
            Dhis2Error::not_found(format!("chưa có giá trị của «{}» kỳ {pe}", e.label))
        })?;
    Ok(Json(value_json(
        &meta,
        &ix,
        &DataValue {
            unit_id: unit.id,
            element: e.code.clone(),
            period,
            option,
            value: v,
        },
    ))
    .into_response())
}

/// `POST /api/dataValues`: one value, in a JSON body or as query
/// parameters (`de`, `pe`, `ou`, `co`, `value`), as DHIS2 accepts both.
pub async fn post_value(c: Caller, q: Query, body: Bytes) -> Result<Response, Dhis2Error> {
    let v: InValue = if body.iter().any(|b| !b.is_ascii_whitespace()) {
        serde_json::from_slice(&body).map_err(|_| {
            Dhis2Error::new(
                StatusCode::BAD_REQUEST,
                "dhis2.bad_json",
                "nội dung gửi lên phải là JSON {\"dataElement\", \"period\", \"orgUnit\", \"value\"}",
            )
        })?
    } else {
        InValue {
            data_element: q.get("de").map(str::to_string),
            period: q.get("pe").map(str::to_string),
            org_unit: q.get("ou").map(str::to_string),
            category_option_combo: q.get("co").map(str::to_string),
            attribute_option_combo: q.get("ao").map(str::to_string),
            value: q
                .get("value")
                .map_or(Value::Null, |v| Value::String(v.to_string())),
            deleted: false,
            data_set: None,
        }
    };
    let options = Options::of(&q)?;
    let meta = Meta::load(&c.store).await?;
    let ix = UnitIndex::load(&c.store).await?;
    let set = InSet {
        data_values: vec![v],
        ..InSet::default()
    };
    let out = import::run(&c.store, &meta, &ix, &set, &options).await?;
    if let Some(first) = out.conflicts.first() {
        return Err(Dhis2Error::new(
            out.status(),
            &first.code,
            first.message.clone(),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(web_message(StatusCode::CREATED, "Đã ghi giá trị.")),
    )
        .into_response())
}
