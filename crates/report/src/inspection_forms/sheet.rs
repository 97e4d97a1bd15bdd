//! The forms as an XLSX workbook: one sheet per form in the state layout
//! (unit, form number, title, period, headings merged over their columns,
//! the numbered row, a row per unit, the total), the relations written as
//! formulas with their results cached, and a sheet «Kiểm tra» with every
//! relation checked on every row.

use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

use super::{CIRCULAR, Filled, Forms, Source};
use danvan_store::StoreError;

fn xerr(e: XlsxError) -> StoreError {
    StoreError::Invalid(danvan_core::DomainError::new(
        "xlsx.write",
        format!("không ghi được tệp XLSX: {e}"),
    ))
}

struct Formats {
    bold: Format,
    italic: Format,
    title: Format,
    center: Format,
    head: Format,
    label: Format,
    num: Format,
    blank: Format,
    total_label: Format,
    total: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(12);
        let cell = |f: Format| font(f).set_border(FormatBorder::Thin);
        Formats {
            bold: font(Format::new().set_bold()),
            italic: font(Format::new().set_italic().set_align(FormatAlign::Center)),
            title: font(Format::new().set_bold().set_font_size(14)).set_align(FormatAlign::Center),
            center: font(Format::new().set_align(FormatAlign::Center)),
            head: cell(Format::new().set_bold().set_text_wrap())
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            label: cell(Format::new().set_text_wrap()),
            num: cell(Format::new().set_num_format("#,##0")),
            blank: cell(Format::new()),
            total_label: cell(Format::new().set_bold()),
            total: cell(Format::new().set_bold().set_num_format("#,##0")),
            wrap: font(Format::new().set_text_wrap()),
        }
    }
}

/// Write `text` over a range of cells (one cell or merged).
fn span(
    ws: &mut Worksheet,
    (r0, c0, r1, c1): (u32, u16, u32, u16),
    text: &str,
    f: &Format,
) -> Result<(), XlsxError> {
    if r0 == r1 && c0 == c1 {
        ws.write_string_with_format(r0, c0, text, f)?;
    } else {
        ws.merge_range(r0, c0, r1, c1, text, f)?;
    }
    Ok(())
}

/// The first row of the headings.
const HEAD: u32 = 6;

fn form_sheet(
    ws: &mut Worksheet,
    forms: &Forms,
    filled: &Filled,
    fmt: &Formats,
) -> Result<(), XlsxError> {
    let form = filled.form;
    let last = form.columns.len() as u16;
    let r = forms.period.range();
    ws.set_name(&form.sheet)?;
    ws.set_landscape();
    ws.set_column_width(0, 30)?;
    for c in 1..=last {
        ws.set_column_width(c, 11)?;
    }
    let right = last.saturating_sub(4).max(1);
    ws.write_string_with_format(0, 0, format!("Đơn vị báo cáo: {}", forms.unit), &fmt.bold)?;
    span(
        ws,
        (0, right, 0, last),
        &format!("Biểu số {}", form.code),
        &fmt.bold,
    )?;
    span(
        ws,
        (1, right, 1, last),
        &format!("Ban hành kèm theo {CIRCULAR}"),
        &fmt.italic,
    )?;
    span(ws, (3, 0, 3, last), &form.title, &fmt.title)?;
    span(
        ws,
        (4, 0, 4, last),
        &format!(
            "Kỳ báo cáo: {} (số liệu tính từ ngày {} đến ngày {})",
            forms.period,
            r.start.format("%d/%m/%Y"),
            r.end.format("%d/%m/%Y")
        ),
        &fmt.center,
    )?;
    // Headings: a heading over adjacent columns sharing it is merged; a
    // heading that ends a column's path reaches down to the numbered row.
    let depth = form
        .columns
        .iter()
        .map(|c| c.heading.len())
        .max()
        .unwrap_or(1) as u32;
    span(ws, (HEAD, 0, HEAD + depth - 1, 0), "Đơn vị", &fmt.head)?;
    for level in 0..depth as usize {
        let mut i = 0;
        while i < form.columns.len() {
            let col = &form.columns[i];
            if col.heading.len() <= level {
                i += 1;
                continue;
            }
            let mut j = i;
            while j + 1 < form.columns.len()
                && form.columns[j + 1].heading.len() > level
                && form.columns[j + 1].heading[..=level] == col.heading[..=level]
            {
                j += 1;
            }
            let leaf = col.heading.len() == level + 1 && i == j;
            let r0 = HEAD + level as u32;
            let r1 = if leaf { HEAD + depth - 1 } else { r0 };
            span(
                ws,
                (r0, i as u16 + 1, r1, j as u16 + 1),
                &col.heading[level],
                &fmt.head,
            )?;
            i = j + 1;
        }
    }
    let numbers = HEAD + depth;
    ws.write_string_with_format(numbers, 0, "MS", &fmt.head)?;
    for c in &form.columns {
        ws.write_string_with_format(numbers, c.n, format!("({})", c.n), &fmt.head)?;
    }
    let first = numbers + 1;
    for (k, row) in filled.rows.iter().enumerate() {
        let at = first + k as u32;
        ws.write_string_with_format(at, 0, &row.label, &fmt.label)?;
        for c in &form.columns {
            match (&c.source, row.cells[usize::from(c.n) - 1], &c.formula) {
                (Source::Read(_), Some(v), Some(parts)) => {
                    let sum: Vec<String> = parts.iter().map(|p| row_col_to_cell(at, *p)).collect();
                    let f = Formula::new(format!("={}", sum.join("+"))).set_result(v.to_string());
                    ws.write_formula_with_format(at, c.n, f, &fmt.num)?;
                }
                (Source::Read(_), Some(v), None) => {
                    ws.write_number_with_format(at, c.n, v as f64, &fmt.num)?;
                }
                _ => {
                    ws.write_blank(at, c.n, &fmt.blank)?;
                }
            }
        }
    }
    let total = first + filled.rows.len() as u32;
    ws.write_string_with_format(total, 0, &filled.total.label, &fmt.total_label)?;
    for c in &form.columns {
        match filled.total.cells[usize::from(c.n) - 1] {
            Some(v) => {
                let f = Formula::new(format!(
                    "=SUM({}:{})",
                    row_col_to_cell(first, c.n),
                    row_col_to_cell(total - 1, c.n)
                ))
                .set_result(v.to_string());
                ws.write_formula_with_format(total, c.n, f, &fmt.total)?;
            }
            None => {
                ws.write_blank(total, c.n, &fmt.total)?;
            }
        }
    }
    // Notes: the relations, what the form's columns hold here, and the
    // columns danvan does not record.
    let mut at = total + 2;
    let mut note = |ws: &mut Worksheet, text: &str| -> Result<(), XlsxError> {
        span(ws, (at, 0, at, last), text, &fmt.wrap)?;
        ws.set_row_height(at, 32)?;
        at += 1;
        Ok(())
    };
    let relations: Vec<String> = form.relations.iter().map(|r| r.text()).collect();
    note(
        ws,
        &format!("Quan hệ giữa các cột: {}.", relations.join("; ")),
    )?;
    for n in &form.notes {
        note(ws, n)?;
    }
    let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
    for c in &form.columns {
        if let Source::Missing(why) = &c.source {
            match reasons.iter_mut().find(|(w, _)| *w == why.as_str()) {
                Some((_, cols)) => cols.push(format!("({})", c.n)),
                None => reasons.push((why, vec![format!("({})", c.n)])),
            }
        }
    }
    for (why, cols) in reasons {
        note(
            ws,
            &format!("Cột {}: danvan {why}, để trống.", cols.join(", ")),
        )?;
    }
    let sign = at + 1;
    ws.write_string_with_format(sign, 0, "NGƯỜI LẬP BIỂU", &fmt.bold)?;
    span(
        ws,
        (sign, right, sign, last),
        "THỦ TRƯỞNG ĐƠN VỊ",
        &fmt.bold,
    )?;
    ws.set_freeze_panes(first, 1)?;
    Ok(())
}

/// The sheet «Kiểm tra»: every relation on every row, the figures of its
/// two sides and whether they agree, the failures first; then the parts
/// of relations that can not be checked.
fn check_sheet(ws: &mut Worksheet, forms: &Forms, fmt: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Kiểm tra")?;
    ws.set_column_width(0, 10)?;
    ws.set_column_width(1, 34)?;
    ws.set_column_width(2, 26)?;
    ws.set_column_width(3, 10)?;
    ws.set_column_width(4, 10)?;
    ws.set_column_width(5, 14)?;
    let mut checks: Vec<_> = forms.filled.iter().flat_map(Filled::checks).collect();
    checks.sort_by_key(|c| c.holds());
    let failed = checks.iter().filter(|c| !c.holds()).count();
    ws.write_string_with_format(
        0,
        0,
        format!(
            "KIỂM TRA QUAN HỆ GIỮA CÁC CỘT — {} — {}",
            forms.unit, forms.period
        ),
        &fmt.bold,
    )?;
    let summary = if failed == 0 {
        format!("Cả {} phép kiểm tra đều đúng.", checks.len())
    } else {
        format!(
            "{failed}/{} phép kiểm tra không đúng: xem các dòng «Sai» dưới đây.",
            checks.len()
        )
    };
    ws.write_string(1, 0, summary)?;
    for (c, h) in ["Biểu", "Dòng", "Quan hệ", "Vế trái", "Vế phải", "Kết quả"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(3, c as u16, *h, &fmt.head)?;
    }
    for (k, c) in checks.iter().enumerate() {
        let r = 4 + k as u32;
        ws.write_string_with_format(r, 0, &c.form, &fmt.label)?;
        ws.write_string_with_format(r, 1, &c.row, &fmt.label)?;
        ws.write_string_with_format(r, 2, &c.relation, &fmt.label)?;
        ws.write_number_with_format(r, 3, c.left as f64, &fmt.num)?;
        ws.write_number_with_format(r, 4, c.right as f64, &fmt.num)?;
        let verdict = if c.holds() { "Đúng" } else { "Sai" };
        ws.write_string_with_format(r, 5, verdict, &fmt.label)?;
    }
    let mut at = 5 + checks.len() as u32;
    for f in &forms.filled {
        for u in f.form.unchecked() {
            ws.write_string(at, 0, format!("Biểu {}: {u}.", f.form.code))?;
            at += 1;
        }
    }
    Ok(())
}

/// The workbook of `forms`: a sheet per form, then «Kiểm tra».
pub fn workbook(forms: &Forms) -> Result<Vec<u8>, StoreError> {
    let mut wb = Workbook::new();
    let fmt = Formats::new();
    for filled in &forms.filled {
        let ws = wb.add_worksheet();
        form_sheet(ws, forms, filled, &fmt).map_err(xerr)?;
    }
    check_sheet(wb.add_worksheet(), forms, &fmt).map_err(xerr)?;
    wb.save_to_buffer().map_err(xerr)
}
