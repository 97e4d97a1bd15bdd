//! The XLSX annex (phụ lục): one sheet per indicator group, one row per unit
//! directly below the reporting unit (and one for the unit's own level), a
//! totals row, and a chart of the group's first rate (or count) by unit.

use std::collections::BTreeMap;

use danvan_core::period::Period;
use danvan_core::records::kind::RecordKind;
use danvan_store::units::Unit;
use danvan_store::{Store, StoreError};
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::catalogue::{Catalogue, Formula, Indicator};
use crate::figures::{Value, Values, subtree_values};

/// Vietnamese names of indicator groups (the code's first word).
/// The record kind an indicator counts: the kind whose fact keys its
/// formula reads (`meeting.participants[kind=voter]` is a meeting's), by
/// the registry, so each sheet is named by its kind's title.
pub(crate) fn kind_of(i: &Indicator) -> Option<RecordKind> {
    let expr = match &i.formula {
        Formula::Value(e) => e,
        Formula::Ratio { numerator, .. } => numerator,
    };
    let (key, _) = expr.keys().next()?;
    let prefix = key.split('.').next()?;
    match prefix {
        // Aggregate data sets key their facts `data.ELEMENT`.
        "data" => Some(RecordKind::DataValue),
        p => RecordKind::from_code(p),
    }
}

fn xerr(e: XlsxError) -> StoreError {
    StoreError::Invalid(danvan_core::DomainError::new(
        "xlsx.write",
        format!("không ghi được tệp XLSX: {e}"),
    ))
}

fn cell_number(v: &Value) -> f64 {
    match v {
        Value::Count(n) => *n as f64,
        Value::Ratio { num, den, .. } if *den != 0 => *num as f64 * 100.0 / *den as f64,
        Value::Ratio { .. } => 0.0,
    }
}

/// Build the annex for `unit`'s subtree: `rows` are the units below it.
pub async fn annex(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    rows: &[&Unit],
    period: &Period,
    all: &Values,
    own: &Values,
) -> Result<Vec<u8>, StoreError> {
    let mut groups: BTreeMap<Option<RecordKind>, Vec<&Indicator>> = BTreeMap::new();
    for i in catalogue.indicators.values() {
        groups.entry(kind_of(i)).or_default().push(i);
    }
    let mut per_unit: Vec<(String, Values)> =
        vec![(format!("{} (cấp mình)", unit.full_name()), own.clone())];
    for u in rows {
        per_unit.push((
            u.full_name(),
            subtree_values(store, catalogue, u, period).await?,
        ));
    }
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_num_format("#,##0")
        .set_border(FormatBorder::Thin);
    let pct = Format::new()
        .set_num_format("0.0")
        .set_border(FormatBorder::Thin);
    let total = Format::new().set_bold().set_border(FormatBorder::Thin);
    for (kind, indicators) in &groups {
        let ws = wb.add_worksheet();
        let title = kind.map_or("Chỉ tiêu khác", |k| k.def().short);
        ws.set_name(title.chars().take(31).collect::<String>())
            .map_err(xerr)?;
        ws.write_string(
            0,
            0,
            format!("Phụ lục: {title} — {} — {}", unit.full_name(), period),
        )
        .map_err(xerr)?;
        ws.write_string_with_format(2, 0, "Đơn vị", &head)
            .map_err(xerr)?;
        ws.set_column_width(0, 36).map_err(xerr)?;
        for (c, i) in indicators.iter().enumerate() {
            let label = match i.formula {
                Formula::Ratio { .. } => format!("{} (%)", i.label),
                Formula::Value(_) => i.label.clone(),
            };
            ws.write_string_with_format(2, c as u16 + 1, label, &head)
                .map_err(xerr)?;
            ws.set_column_width(c as u16 + 1, 16).map_err(xerr)?;
        }
        let first = 3u32;
        for (r, (name, values)) in per_unit.iter().enumerate() {
            let row = first + r as u32;
            ws.write_string_with_format(row, 0, name, &text)
                .map_err(xerr)?;
            for (c, i) in indicators.iter().enumerate() {
                let v = values.0.get(&i.code).cloned().unwrap_or(Value::Count(0));
                let f = if matches!(v, Value::Ratio { .. }) {
                    &pct
                } else {
                    &num
                };
                ws.write_number_with_format(row, c as u16 + 1, cell_number(&v), f)
                    .map_err(xerr)?;
            }
        }
        let total_row = first + per_unit.len() as u32;
        ws.write_string_with_format(total_row, 0, "Tổng cộng", &total)
            .map_err(xerr)?;
        for (c, i) in indicators.iter().enumerate() {
            let v = all.0.get(&i.code).cloned().unwrap_or(Value::Count(0));
            ws.write_number_with_format(total_row, c as u16 + 1, cell_number(&v), &total)
                .map_err(xerr)?;
        }
        // The chart: the group's first rate, else its first count, by unit.
        let col = indicators
            .iter()
            .position(|i| matches!(i.formula, Formula::Ratio { .. }))
            .unwrap_or(0) as u16
            + 1;
        let mut chart = Chart::new(ChartType::Bar);
        let name = ws.name();
        chart
            .add_series()
            .set_categories((name.as_str(), first, 0, total_row - 1, 0))
            .set_values((name.as_str(), first, col, total_row - 1, col))
            .set_name((name.as_str(), 2, col));
        chart.title().set_name(&format!(
            "{} theo đơn vị",
            indicators[(col - 1) as usize].label
        ));
        chart.legend().set_hidden();
        ws.insert_chart(total_row + 2, 1, &chart).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// A list as a page shows it, as a one-sheet workbook: its title, then
/// its headings and rows. Cells that read as whole numbers (1.022) are
/// written as numbers, so sums work in the spreadsheet.
pub fn list(title: &str, headings: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, StoreError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_num_format("#,##0")
        .set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    let name: String = title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(name).map_err(xerr)?;
    ws.write_string(0, 0, title).map_err(xerr)?;
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)
            .map_err(xerr)?;
        ws.set_column_width(c as u16, 18).map_err(xerr)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        for (c, cell) in cells.iter().enumerate() {
            match vietnamese_integer(cell) {
                Some(n) => ws.write_number_with_format(row, c as u16, n as f64, &num),
                None => ws.write_string_with_format(row, c as u16, cell, &text),
            }
            .map_err(xerr)?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

/// A whole number as pages write it ("7", "1.022", "10.000.000"), or
/// `None`: a code such as "0987…" or "12.2020" stays text.
fn vietnamese_integer(cell: &str) -> Option<i64> {
    let groups: Vec<&str> = cell.split('.').collect();
    let (head, rest) = groups.split_first()?;
    let head_ok = (1..=3).contains(&head.len())
        && head.bytes().all(|b| b.is_ascii_digit())
        && (!head.starts_with('0') || cell == "0");
    let rest_ok = rest
        .iter()
        .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    let plain = rest.is_empty() && cell.len() > 3 && !cell.starts_with('0');
    if !(head_ok && rest_ok || plain && cell.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    cell.replace('.', "").parse().ok()
}

#[cfg(test)]
mod list_tests {
    use super::vietnamese_integer;

    #[test]
    fn only_numbers_written_the_vietnamese_way_become_numbers() {
        assert_eq!(vietnamese_integer("1.022"), Some(1022));
        assert_eq!(vietnamese_integer("7"), Some(7));
        assert_eq!(vietnamese_integer("0"), Some(0));
        assert_eq!(vietnamese_integer("10.000.000"), Some(10_000_000));
        assert_eq!(vietnamese_integer("2024"), Some(2024));
        for text in [
            "12.2020",
            "0987654321",
            "1.5",
            "",
            "1.02",
            "04/08/2025",
            "17 lượt",
            "99999999999999999999",
        ] {
            assert_eq!(vietnamese_integer(text), None, "{text}");
        }
    }
}
