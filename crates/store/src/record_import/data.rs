//! Reading an aggregate data file, and checking its values against their sets.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};

use super::cells::{collect, read_rows_aliased};
use super::columns::{DATA_COLUMNS, VI_ALIASES};
use crate::units::Unit;
use crate::{Store, StoreError, datasets};

/// A data row before its set is looked up: line, set code, value (with
/// the scaled value still to be parsed) and the value as written.
type RawValue = (usize, String, DataValue, String);

/// Parse an aggregate data file into values, each with its line and set,
/// and the value as written (checked against its set by `check_data`).
pub fn parse_data_rows(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<RawValue>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &DATA_COLUMNS,
        &[],
        VI_ALIASES,
        "data.import",
        &mut errors,
        |c| {
            progress();
            let set = c.required("set");
            let element = c.required("element");
            let period = c.required("period");
            let start = period
                .as_deref()
                .and_then(|p| Period::parse(p, false).ok())
                .map(|p| p.range().start);
            let unit_id = c.unit(all_units, start, today);
            let value = c.required("value");
            let (Some(set), Some(element), Some(period), Some(unit_id), Some(value)) =
                (set, element, period, unit_id, value)
            else {
                return;
            };
            let v = DataValue {
                unit_id,
                element: element.to_lowercase(),
                period,
                option: c.text("option").to_lowercase(),
                value: 0,
            };
            out.push((c.line, set.to_lowercase(), v, value));
        },
    );
    collect(errors, out)
}

fn set_missing(line: usize, set: &str) -> DomainError {
    DomainError::new("data.import", format!("không tìm thấy bộ chỉ tiêu «{set}»"))
        .at_field("set")
        .at_line(line)
}

/// Check raw data rows against their sets: set, element, option, period
/// and value. Returns the values with their sets.
pub(super) async fn check_data(
    store: &Store,
    rows: Vec<RawValue>,
) -> Result<Vec<(usize, String, DataValue)>, StoreError> {
    let mut sets: std::collections::HashMap<String, Option<(DataSet, Vec<DataElement>)>> =
        std::collections::HashMap::new();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (line, set, mut v, value) in rows {
        if !sets.contains_key(&set) {
            let got = match datasets::get_set(store, &set).await {
                Ok(s) => Some(s),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            sets.insert(set.clone(), got);
        }
        let Some((ds, elements)) = &sets[&set] else {
            errors.push(set_missing(line, &set));
            continue;
        };
        let Some(e) = elements.iter().find(|e| e.code == v.element) else {
            errors.push(
                DomainError::new(
                    "data.import",
                    format!(
                        "chỉ tiêu «{}» không thuộc bộ chỉ tiêu «{}»",
                        v.element, ds.name
                    ),
                )
                .at_field("element")
                .at_line(line),
            );
            continue;
        };
        let mut bad = |r: Result<(), DomainError>, field: &str| match r {
            Ok(()) => true,
            Err(err) => {
                errors.push(
                    DomainError::new(err.code, err.message)
                        .at_field(field.to_string())
                        .at_line(line),
                );
                false
            }
        };
        let ok_option = bad(e.check_option(&v.option), "option");
        let ok_period = bad(ds.period_start(&v.period).map(|_| ()), "period");
        let value = match e.parse_value(&value) {
            Ok(x) => Some(x),
            Err(err) => {
                bad(Err(err), "value");
                None
            }
        };
        if let (true, true, Some(value)) = (ok_option, ok_period, value) {
            v.value = value;
            out.push((line, set, v));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(StoreError::InvalidRows(errors))
    }
}
