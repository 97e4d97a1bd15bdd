//! Importing a data value set (from JSON or ADX) through danvan's own
//! data-set path (`datasets::enter_counted`: facts current in the same
//! transaction, audit log, scope), answered with DHIS2's import summary.
//!
//! `atomicMode=ALL` (the default): one bad value and nothing is written.
//! `atomicMode=NONE`: the good values are written, the bad ones listed.
//! `importStrategy` CREATE_AND_UPDATE (default), CREATE (existing values
//! are left alone) or UPDATE (only existing values change). Deleting
//! values and dry runs are refused: danvan keeps no deleted values.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::Where;
use danvan_core::records::dataset::DataValue;
use danvan_store::{Store, StoreError, datasets};
use serde::Deserialize;
use serde_json::{Value, json};

use super::error::{Dhis2Error, web_message};
use super::index::UnitIndex;
use super::meta::Meta;
use super::query::Query;
use super::{number, periods, uid};

/// One value as DHIS2 sends it; fields danvan keeps nothing of
/// (`comment`, `followup`, `storedBy`) are read and dropped.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InValue {
    pub data_element: Option<String>,
    pub period: Option<String>,
    pub org_unit: Option<String>,
    pub category_option_combo: Option<String>,
    pub attribute_option_combo: Option<String>,
    #[serde(default)]
    pub value: Value,
    #[serde(default)]
    pub deleted: bool,
    /// The data set of the value's ADX group (JSON gives it for the set).
    #[serde(skip)]
    pub data_set: Option<String>,
}

/// A data value set: defaults for its values, and the values.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InSet {
    pub data_set: Option<String>,
    pub period: Option<String>,
    pub org_unit: Option<String>,
    pub attribute_option_combo: Option<String>,
    #[serde(default)]
    pub data_values: Vec<InValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    CreateAndUpdate,
    Create,
    Update,
}

/// How to import, from the query string.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub strategy: Strategy,
    pub atomic: bool,
}

impl Options {
    pub fn of(q: &Query) -> Result<Options, Dhis2Error> {
        if q.flag("dryRun", false)? {
            return Err(Dhis2Error::conflict(
                "dhis2.dry_run",
                "danvan không chạy thử (dryRun=true): mỗi lần nhập đều ghi thật, tất cả hoặc không gì",
            ));
        }
        let strategy = match q
            .get("importStrategy")
            .unwrap_or("")
            .to_ascii_uppercase()
            .as_str()
        {
            "" | "CREATE_AND_UPDATE" | "NEW_AND_UPDATES" => Strategy::CreateAndUpdate,
            "CREATE" | "NEW" => Strategy::Create,
            "UPDATE" | "UPDATES" => Strategy::Update,
            "DELETE" | "DELETES" => {
                return Err(Dhis2Error::conflict(
                    "dhis2.delete",
                    "danvan không xoá số liệu qua trao đổi DHIS2 (importStrategy=DELETE); hãy nhập giá trị đúng thay thế",
                ));
            }
            other => {
                return Err(Dhis2Error::conflict(
                    "dhis2.bad_query",
                    format!(
                        "importStrategy «{other}» không hợp lệ; dùng CREATE_AND_UPDATE, CREATE hoặc UPDATE"
                    ),
                ));
            }
        };
        let atomic = match q
            .get("atomicMode")
            .unwrap_or("")
            .to_ascii_uppercase()
            .as_str()
        {
            "" | "ALL" => true,
            "NONE" => false,
            other => {
                return Err(Dhis2Error::conflict(
                    "dhis2.bad_query",
                    format!("atomicMode «{other}» không hợp lệ; dùng ALL hoặc NONE"),
                ));
            }
        };
        Ok(Options { strategy, atomic })
    }
}

/// A value that was not imported, and why.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub index: usize,
    pub object: String,
    pub property: &'static str,
    pub code: String,
    pub message: String,
    /// The status this conflict calls for: 404 for a unit the account
    /// cannot see, 403 for a write the store forbade, else 409.
    pub status: StatusCode,
}

impl Conflict {
    fn new(
        index: usize,
        object: &str,
        property: &'static str,
        code: &str,
        message: String,
    ) -> Conflict {
        Conflict {
            index,
            object: object.to_string(),
            property,
            code: code.to_string(),
            message,
            status: StatusCode::CONFLICT,
        }
    }

    fn json(&self) -> Value {
        json!({
            "object": self.object,
            "objects": { self.property: self.object },
            "value": self.message,
            "errorCode": self.code,
            "property": self.property,
            "indexes": [self.index],
        })
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub imported: usize,
    pub updated: usize,
    pub ignored: usize,
    pub conflicts: Vec<Conflict>,
}

impl Outcome {
    /// The HTTP status: 200 when every value went in, else the gravest
    /// conflict's.
    pub fn status(&self) -> StatusCode {
        let s = |c: &Conflict| c.status;
        if self.conflicts.is_empty() {
            StatusCode::OK
        } else if self.conflicts.iter().any(|c| s(c) == StatusCode::FORBIDDEN) {
            StatusCode::FORBIDDEN
        } else if self.conflicts.iter().any(|c| s(c) == StatusCode::NOT_FOUND) {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::CONFLICT
        }
    }

    /// DHIS2's import summary inside its web message.
    pub fn response(&self, o: &Options) -> Response {
        let status = self.status();
        let written = self.imported + self.updated;
        let (state, message) = match (self.conflicts.is_empty(), written) {
            (true, _) => ("SUCCESS", "Đã nhập số liệu.".to_string()),
            (false, 0) => (
                "ERROR",
                format!(
                    "Không ghi giá trị nào: {} giá trị có lỗi (xem conflicts).",
                    self.conflicts.len()
                ),
            ),
            (false, n) => (
                "WARNING",
                format!(
                    "Đã ghi {n} giá trị; {} giá trị có lỗi không được ghi (xem conflicts).",
                    self.conflicts.len()
                ),
            ),
        };
        let mut body = web_message(status, &message);
        body["response"] = json!({
            "responseType": "ImportSummary",
            "status": state,
            "description": message,
            "importOptions": {
                "importStrategy": match o.strategy {
                    Strategy::CreateAndUpdate => "CREATE_AND_UPDATE",
                    Strategy::Create => "CREATE",
                    Strategy::Update => "UPDATE",
                },
                "atomicMode": if o.atomic { "ALL" } else { "NONE" },
            },
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": 0,
            },
            "conflicts": self.conflicts.iter().map(Conflict::json).collect::<Vec<_>>(),
            "dataSetComplete": "false",
        });
        (status, Json(body)).into_response()
    }
}

/// A value ready for the store: its set, the value, its index in the
/// payload.
type Ready = (String, DataValue, usize);

/// Read one incoming value into a danvan value, or say why not.
fn convert(
    meta: &Meta,
    ix: &UnitIndex,
    set: &InSet,
    i: usize,
    v: &InValue,
) -> Result<Ready, Conflict> {
    let need = |x: &Option<String>, property: &'static str, what: &str| {
        x.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                Conflict::new(
                    i,
                    "",
                    property,
                    "dhis2.missing",
                    format!("giá trị thứ {} thiếu {what}", i + 1),
                )
            })
    };
    let de = need(&v.data_element, "dataElement", "chỉ tiêu (dataElement)")?;
    let e = match meta.element(&de) {
        Some(e) => e,
        None => {
            let message = match meta.dx(&de) {
                Ok(_) => format!(
                    "chỉ tiêu báo cáo «{de}» chỉ đọc: được tính từ dữ kiện, không nhập được"
                ),
                Err(_) => format!("không có chỉ tiêu số liệu «{de}»"),
            };
            return Err(Conflict::new(
                i,
                &de,
                "dataElement",
                "dhis2.unknown_element",
                message,
            ));
        }
    };
    let set_key = v.data_set.as_deref().or(set.data_set.as_deref());
    let ds = match set_key.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => {
            let s = meta.set(key).ok_or_else(|| {
                Conflict::new(
                    i,
                    key,
                    "dataSet",
                    "dhis2.unknown_set",
                    format!("không có bộ chỉ tiêu «{key}»"),
                )
            })?;
            if !s.elements.contains(&e.code) {
                return Err(Conflict::new(
                    i,
                    &de,
                    "dataElement",
                    "data.not_in_set",
                    format!(
                        "chỉ tiêu «{}» không thuộc bộ chỉ tiêu «{}»",
                        e.label, s.name
                    ),
                ));
            }
            s
        }
        None => meta.sets_of(e).next().ok_or_else(|| {
            Conflict::new(
                i,
                &de,
                "dataElement",
                "data.not_in_set",
                format!(
                    "chỉ tiêu «{}» chưa thuộc bộ chỉ tiêu nào nên chưa nhập được",
                    e.label
                ),
            )
        })?,
    };
    let ou = need(
        &v.org_unit.clone().or(set.org_unit.clone()),
        "orgUnit",
        "đơn vị (orgUnit)",
    )?;
    let unit = ix.get(&ou).ok_or_else(|| Conflict {
        status: StatusCode::NOT_FOUND,
        ..Conflict::new(
            i,
            &ou,
            "orgUnit",
            "dhis2.unknown_unit",
            format!(
                "không tìm thấy đơn vị «{ou}», hoặc tài khoản không được ghi số liệu của đơn vị này"
            ),
        )
    })?;
    let pe = need(
        &v.period.clone().or(set.period.clone()),
        "period",
        "kỳ (period)",
    )?;
    let period =
        periods::parse(&pe).map_err(|d| Conflict::new(i, &pe, "period", d.code, d.message))?;
    let coc = v.category_option_combo.as_deref();
    let option = Meta::option(e, coc).map_err(|d| {
        Conflict::new(
            i,
            coc.unwrap_or(""),
            "categoryOptionCombo",
            &d.code,
            d.message,
        )
    })?;
    let aoc = v
        .attribute_option_combo
        .clone()
        .or(set.attribute_option_combo.clone());
    if let Some(a) = aoc
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && *a != uid::DEFAULT_OPTION_COMBO)
    {
        return Err(Conflict::new(
            i,
            a,
            "attributeOptionCombo",
            "dhis2.attribute_combo",
            format!(
                "danvan không dùng attributeOptionCombo; bỏ trống hoặc dùng {}",
                uid::DEFAULT_OPTION_COMBO
            ),
        ));
    }
    if v.deleted {
        return Err(Conflict::new(
            i,
            &de,
            "deleted",
            "dhis2.delete",
            "danvan không xoá giá trị qua trao đổi DHIS2; hãy gửi giá trị đúng thay thế".into(),
        ));
    }
    let value = number::parse(e, &v.value)
        .map_err(|d| Conflict::new(i, &de, "value", d.code, d.message))?;
    Ok((
        ds.code.clone(),
        DataValue {
            unit_id: unit.id,
            element: e.code.clone(),
            period: period.code(),
            option,
            value,
        },
        i,
    ))
}

/// The conflict of a store refusal, and whether it names one value (its
/// position in `batch`) rather than the whole import.
fn refusal(e: StoreError, batch: &[Ready]) -> (Conflict, Option<usize>) {
    let at = |line: usize| line.checked_sub(1).filter(|p| *p < batch.len());
    match e {
        StoreError::Invalid(d) => {
            let pos = match d.at {
                Where::Line { line } | Where::LineField { line, .. } => at(line),
                _ if batch.len() == 1 => Some(0),
                _ => None,
            };
            let (index, object) = pos.map_or((0, String::new()), |p| {
                (batch[p].2, batch[p].1.element.clone())
            });
            let property = match &d.at {
                Where::Field { field } | Where::LineField { field, .. } if field == "period" => {
                    "period"
                }
                Where::Field { field } | Where::LineField { field, .. } if field == "option" => {
                    "categoryOptionCombo"
                }
                Where::Field { field } | Where::LineField { field, .. } if field == "unit_id" => {
                    "orgUnit"
                }
                _ => "value",
            };
            (
                Conflict::new(index, &object, property, d.code, d.message),
                pos,
            )
        }
        other => {
            let e = Dhis2Error::from(other);
            let c = Conflict {
                status: e.status,
                ..Conflict::new(
                    batch.first().map_or(0, |b| b.2),
                    "",
                    "orgUnit",
                    &e.code,
                    e.message,
                )
            };
            (c, None)
        }
    }
}

/// Import `set` as the store's user.
pub async fn run(
    store: &Store,
    meta: &Meta,
    ix: &UnitIndex,
    set: &InSet,
    o: &Options,
) -> Result<Outcome, Dhis2Error> {
    let mut out = Outcome::default();
    if set.data_values.is_empty() {
        return Err(Dhis2Error::conflict(
            "dhis2.empty",
            "bộ giá trị không có giá trị nào (dataValues trống)",
        ));
    }
    let mut ready: Vec<Ready> = Vec::new();
    for (i, v) in set.data_values.iter().enumerate() {
        match convert(meta, ix, set, i, v) {
            Ok(r) => ready.push(r),
            Err(c) => out.conflicts.push(c),
        }
    }
    if o.strategy != Strategy::CreateAndUpdate {
        let mut kept = Vec::with_capacity(ready.len());
        for r in ready {
            let v = &r.1;
            let exists = datasets::value(store, v.unit_id, &v.element, &v.period, &v.option)
                .await?
                .is_some();
            if exists == (o.strategy == Strategy::Update) {
                kept.push(r);
            } else {
                out.ignored += 1;
            }
        }
        ready = kept;
    }
    if o.atomic && !out.conflicts.is_empty() {
        out.ignored = set.data_values.len();
        return Ok(out);
    }
    loop {
        if ready.is_empty() {
            break;
        }
        let batch: Vec<(&str, &DataValue)> =
            ready.iter().map(|(s, v, _)| (s.as_str(), v)).collect();
        let result = datasets::enter_counted(store, &batch).await;
        match result {
            Ok(n) => {
                out.imported += n.created;
                out.updated += n.updated;
                break;
            }
            Err(e) => {
                let (c, pos) = refusal(e, &ready);
                out.conflicts.push(c);
                match pos {
                    Some(p) if !o.atomic => {
                        ready.remove(p);
                    }
                    _ => {
                        out.ignored = set.data_values.len();
                        return Ok(out);
                    }
                }
            }
        }
    }
    out.ignored += out.conflicts.len();
    Ok(out)
}
