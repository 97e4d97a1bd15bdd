//! A unit's profile, dated: what a report's "Đặc điểm tình hình" opens
//! with — villages and residential groups, population and its
//! ethnic-minority part, poor households, agencies and public service
//! units. Kept as a yearly data set (`dac_diem`) of "sum" elements, so a
//! value entered at each commune is a fact `data.<element>` that rolls up
//! to every unit above, and a subtree's profile is one fact read.

use std::io::Read;

use danvan_core::DomainError;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, PeriodType, ValueType,
};
use serde::Serialize;

use crate::facts::{self, Detail, Scope};
use crate::units::{self, Unit};
use crate::{Store, StoreError, datasets};

/// The profile's data set.
pub const SET: &str = "dac_diem";

/// Its elements: code, label, measure.
pub const ELEMENTS: [(&str, &str, &str); 7] = [
    ("thon", "Số thôn, làng, ấp, bản", "thôn"),
    ("to_dan_pho", "Số tổ dân phố", "tổ"),
    ("dan_so", "Dân số", "người"),
    (
        "dan_so_dtts",
        "Dân số là đồng bào dân tộc thiểu số",
        "người",
    ),
    ("ho_ngheo", "Số hộ nghèo", "hộ"),
    ("co_quan", "Số cơ quan, đơn vị trực thuộc", "cơ quan"),
    ("don_vi_su_nghiep", "Số đơn vị sự nghiệp công lập", "đơn vị"),
];

/// The columns of a profile file: the unit's code, the year, one per element.
pub const COLUMNS: [&str; 9] = [
    "code",
    "year",
    "thon",
    "to_dan_pho",
    "dan_so",
    "dan_so_dtts",
    "ho_ngheo",
    "co_quan",
    "don_vi_su_nghiep",
];

/// A subtree's profile for a year: each element's sum, by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub year: i32,
    pub values: std::collections::BTreeMap<String, i64>,
}

impl Profile {
    pub fn get(&self, code: &str) -> i64 {
        self.values.get(code).copied().unwrap_or(0)
    }
}

/// Define the profile's elements and data set, unless defined already
/// (an administrator may have relabelled them).
pub async fn define(store: &Store) -> Result<(), StoreError> {
    if datasets::get_set(store, SET).await.is_ok() {
        return Ok(());
    }
    for (code, label, measure) in ELEMENTS {
        datasets::define_element(
            store,
            &DataElement {
                code: code.into(),
                label: label.into(),
                measure: measure.into(),
                value_type: ValueType::Integer,
                scale: 0,
                aggregation: Aggregation::Sum,
                options: Vec::new(),
            },
        )
        .await?;
    }
    datasets::define_set(
        store,
        &DataSet {
            code: SET.into(),
            name: "Đặc điểm tình hình của đơn vị".into(),
            period_type: PeriodType::Year,
            elements: ELEMENTS.iter().map(|(c, _, _)| c.to_string()).collect(),
        },
    )
    .await?;
    Ok(())
}

/// Import a profile file (one row per unit and year, one column per
/// element, empty for unknown), all rows or none; a value given again
/// replaces the old one. The number of values written.
pub async fn import_csv(store: &Store, input: impl Read) -> Result<usize, StoreError> {
    let mut errors = Vec::new();
    let records = crate::unit_import::csv_records(input, &COLUMNS, &mut errors);
    let tree = units::tree(store).await?;
    let mut values: Vec<DataValue> = Vec::new();
    for (line, rec) in records {
        let bad = |field: &str, msg: String| {
            DomainError::new("unit.profile", msg)
                .at_field(field)
                .at_line(line)
        };
        let Some(unit) = tree.all().iter().find(|u| u.code == rec[0]) else {
            errors.push(bad(
                "code",
                format!("không tìm thấy đơn vị mã «{}»", &rec[0]),
            ));
            continue;
        };
        let Some(year) = rec[1]
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
        else {
            errors.push(bad("year", format!("năm «{}» không hợp lệ", &rec[1])));
            continue;
        };
        for (i, (code, _, _)) in ELEMENTS.iter().enumerate() {
            let cell = rec[i + 2].replace('.', "");
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<i64>() {
                Ok(v) if v >= 0 => values.push(DataValue {
                    unit_id: unit.id,
                    element: code.to_string(),
                    period: year.to_string(),
                    option: String::new(),
                    value: v,
                }),
                _ => errors.push(bad(
                    code,
                    format!("«{}» không phải là một số nguyên không âm", &rec[i + 2]),
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(StoreError::InvalidRows(errors));
    }
    define(store).await?;
    datasets::enter(store, SET, &values).await?;
    Ok(values.len())
}

/// `unit`'s profile for the latest year up to `year` that has one (two
/// years back at most): the sums over its subtree, one fact read a year.
pub async fn of(store: &Store, unit: &Unit, year: i32) -> Result<Option<Profile>, StoreError> {
    let keys: Vec<String> = ELEMENTS
        .iter()
        .map(|(c, _, _)| format!("data.{c}"))
        .collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    for y in (year - 2..=year).rev() {
        let range: DateRange = Period::parse(&y.to_string(), false)?.range();
        let t = facts::read(store, Scope::of(unit), &keys, range, Detail::Totals).await?;
        if keys.iter().any(|k| t.total(k) != 0) {
            let values = ELEMENTS
                .iter()
                .zip(&keys)
                .map(|((c, _, _), k)| (c.to_string(), t.total(k)))
                .collect();
            return Ok(Some(Profile { year: y, values }));
        }
    }
    Ok(None)
}
