//! The files and chart of a round's ranked table: the XLSX the province
//! publishes, the DOCX annex to its decision ("Kết quả đánh giá, phân
//! loại công tác dân vận năm …", A4 landscape, Times New Roman, as the
//! state format asks) and the SVG chart of how many units got each grade.

use charts_rs::{HorizontalBarChart, Series, THEME_LIGHT};
use danvan_core::number;
use danvan_core::scoring::points;
use danvan_store::StoreError;
use docx_rs::{
    AlignmentType, Docx, PageMargin, PageOrientationType, Paragraph, Run, RunFonts, Table,
    TableCell, TableRow, WidthType,
};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::chart::FONT as CHART_FONT;
use crate::docx::FONT;
use crate::scoring::Ranked;

fn xerr(e: XlsxError) -> StoreError {
    StoreError::Invalid(danvan_core::DomainError::new(
        "xlsx.write",
        format!("không ghi được tệp XLSX: {e}"),
    ))
}

/// The title of the annex and the sheet.
pub fn title(r: &Ranked) -> String {
    let trial = if r.round.trial { " (chấm thử)" } else { "" };
    format!(
        "Kết quả đánh giá, phân loại công tác dân vận năm {}{trial}",
        r.round.year
    )
}

/// The column headings: rank, unit, each group with its maximum,
/// deductions, total, grade, last year.
pub fn headings(r: &Ranked) -> Vec<String> {
    let mut h = vec!["STT".to_string(), "Đơn vị".to_string()];
    for (code, t, max) in &r.groups {
        h.push(format!("{code}. {t} (tối đa {})", points(*max)));
    }
    h.push("Điểm trừ".into());
    h.push("Tổng điểm".into());
    h.push("Xếp loại".into());
    let prev = r
        .prev_year
        .map_or("Năm trước".to_string(), |y| format!("Năm {y}"));
    h.push(format!("{prev}: tổng điểm"));
    h.push(format!("{prev}: xếp loại"));
    h
}

/// The cells of each row, as the page shows them.
pub fn cells(r: &Ranked) -> Vec<Vec<String>> {
    r.rows
        .iter()
        .map(|row| {
            let mut c = vec![
                row.rank.map_or(String::new(), |n| n.to_string()),
                row.unit.clone(),
            ];
            for g in &row.groups {
                c.push(points(*g));
            }
            c.push(points(row.deductions));
            c.push(row.total.map_or(String::new(), points));
            c.push(
                row.grade_label
                    .clone()
                    .unwrap_or_else(|| format!("({})", row.status)),
            );
            c.push(row.prev_total.map_or("—".into(), points));
            c.push(row.prev_grade_label.clone().unwrap_or_else(|| "—".into()));
            c
        })
        .collect()
}

/// The ranked table as XLSX: points as numbers (two decimals), the grade
/// and last year beside them, the sheet and its source under the title.
pub fn xlsx(r: &Ranked) -> Result<Vec<u8>, StoreError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_num_format("0.##")
        .set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name(format!("Năm {}", r.round.year)).map_err(xerr)?;
    ws.write_string_with_format(0, 0, title(r), &bold)
        .map_err(xerr)?;
    ws.write_string(1, 0, format!("{}: {}", r.opener, r.round.title))
        .map_err(xerr)?;
    ws.write_string(
        2,
        0,
        format!("Bảng tiêu chí: {} — {}", r.sheet_title, r.sheet_source),
    )
    .map_err(xerr)?;
    let h = headings(r);
    for (c, t) in h.iter().enumerate() {
        ws.write_string_with_format(4, c as u16, t, &head)
            .map_err(xerr)?;
        ws.set_column_width(c as u16, if c == 1 { 28 } else { 14 })
            .map_err(xerr)?;
    }
    let groups = r.groups.len();
    for (i, row) in r.rows.iter().enumerate() {
        let y = 5 + i as u32;
        match row.rank {
            Some(n) => ws.write_number_with_format(y, 0, n as f64, &num),
            None => ws.write_string_with_format(y, 0, "", &text),
        }
        .map_err(xerr)?;
        ws.write_string_with_format(y, 1, &row.unit, &text)
            .map_err(xerr)?;
        let mut x = 2u16;
        for g in &row.groups {
            ws.write_number_with_format(y, x, *g as f64 / 100.0, &num)
                .map_err(xerr)?;
            x += 1;
        }
        ws.write_number_with_format(y, x, row.deductions as f64 / 100.0, &num)
            .map_err(xerr)?;
        match row.total {
            Some(t) => ws.write_number_with_format(y, x + 1, t as f64 / 100.0, &num),
            None => ws.write_string_with_format(y, x + 1, "", &text),
        }
        .map_err(xerr)?;
        let grade = row
            .grade_label
            .clone()
            .unwrap_or_else(|| format!("({})", row.status));
        ws.write_string_with_format(y, x + 2, &grade, &text)
            .map_err(xerr)?;
        match row.prev_total {
            Some(t) => ws.write_number_with_format(y, x + 3, t as f64 / 100.0, &num),
            None => ws.write_string_with_format(y, x + 3, "—", &text),
        }
        .map_err(xerr)?;
        ws.write_string_with_format(
            y,
            x + 4,
            row.prev_grade_label.as_deref().unwrap_or("—"),
            &text,
        )
        .map_err(xerr)?;
        debug_assert_eq!(x as usize, 2 + groups);
    }
    let below = 6 + r.rows.len() as u32;
    for (i, (label, n)) in r.distribution.iter().enumerate() {
        ws.write_string(below + i as u32, 1, label).map_err(xerr)?;
        ws.write_number(below + i as u32, 2, *n as f64)
            .map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(
        RunFonts::new()
            .ascii(FONT)
            .hi_ansi(FONT)
            .cs(FONT)
            .east_asia(FONT),
    )
}

fn para(text: &str, size: usize, bold: bool, align: AlignmentType) -> Paragraph {
    let mut r = run(text, size);
    if bold {
        r = r.bold();
    }
    Paragraph::new().add_run(r).align(align)
}

/// The annex to the decision: its title, the round and sheet, the ranked
/// table, and how many units got each grade.
pub fn docx(r: &Ranked) -> Vec<u8> {
    // A4 landscape in twips; margins 20 mm top and bottom, 30 mm left,
    // 15 mm right.
    let (w, h) = (16838u32, 11906u32);
    let usable = (w - 1701 - 850) as usize;
    let mut doc = Docx::new()
        .page_size(w, h)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1701)
                .right(850),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(26)
        .add_paragraph(para("PHỤ LỤC", 28, true, AlignmentType::Center))
        .add_paragraph(para(
            &title(r).to_uppercase(),
            28,
            true,
            AlignmentType::Center,
        ))
        .add_paragraph(para(
            &format!(
                "(Kèm theo Quyết định số      /QĐ-… ngày …/…/{} của {})",
                r.round.year + 1,
                r.opener
            ),
            26,
            false,
            AlignmentType::Center,
        ))
        .add_paragraph(para(
            &format!("Bảng tiêu chí: {} — {}", r.sheet_title, r.sheet_source),
            24,
            false,
            AlignmentType::Center,
        ))
        .add_paragraph(Paragraph::new());
    let h = headings(r);
    let n = h.len();
    let unit_w = usable * 3 / 10;
    let rest = (usable - unit_w) / (n - 1);
    let widths: Vec<usize> = (0..n).map(|i| if i == 1 { unit_w } else { rest }).collect();
    let cell = |t: &str, w: usize, bold: bool| {
        TableCell::new()
            .width(w, WidthType::Dxa)
            .add_paragraph(para(t, 22, bold, AlignmentType::Center))
    };
    let mut rows = vec![TableRow::new(
        h.iter()
            .zip(&widths)
            .map(|(t, w)| cell(t, *w, true))
            .collect(),
    )];
    for c in cells(r) {
        rows.push(TableRow::new(
            c.iter()
                .zip(&widths)
                .map(|(t, w)| cell(t, *w, false))
                .collect(),
        ));
    }
    doc = doc.add_table(
        Table::new(rows)
            .set_grid(widths.clone())
            .width(usable, WidthType::Dxa),
    );
    doc = doc.add_paragraph(Paragraph::new());
    let counts: Vec<String> = r
        .distribution
        .iter()
        .map(|(l, c)| format!("{l}: {} đơn vị", number::padded(*c as i64)))
        .collect();
    doc = doc.add_paragraph(para(
        &format!("Tổng hợp xếp loại: {}.", counts.join("; ")),
        26,
        false,
        AlignmentType::Left,
    ));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .expect("writing to memory cannot fail");
    out.into_inner()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How many approved units got each grade: one bar per grade, the count
/// written after its name (the value axis is hidden).
pub fn distribution_svg(r: &Ranked) -> String {
    let title = format!("Phân bố xếp loại năm {}", r.round.year);
    let total: usize = r.distribution.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"80\" viewBox=\"0 0 720 80\">\
             <text x=\"360\" y=\"24\" text-anchor=\"middle\" font-size=\"18\" font-family=\"{CHART_FONT}\">{}</text>\
             <text x=\"360\" y=\"60\" text-anchor=\"middle\" font-size=\"14\" font-family=\"{CHART_FONT}\">Chưa có kết quả được phê duyệt</text></svg>",
            escape(&title)
        );
    }
    let mut names: Vec<String> = r
        .distribution
        .iter()
        .map(|(l, n)| format!("{l} ({})", number::int(*n as i64)))
        .collect();
    let mut data: Vec<f32> = r.distribution.iter().map(|(_, n)| *n as f32).collect();
    names.reverse();
    data.reverse();
    let rows = names.len();
    let mut c = HorizontalBarChart::new_with_theme(
        vec![Series::new("Số đơn vị".to_string(), data)],
        names,
        THEME_LIGHT,
    );
    c.width = 720.0;
    c.height = (90.0 + 34.0 * rows as f32).max(180.0);
    c.font_family = CHART_FONT.to_string();
    c.title.text = title.clone();
    c.legend.show = Some(false);
    c.x_axis.hidden = true;
    if let Some(axis) = c.y_axis_configs.first_mut() {
        axis.min = Some(0.0);
    }
    c.svg().unwrap_or_else(|_| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"720\" height=\"40\"><text x=\"10\" y=\"24\">{}</text></svg>",
            escape(&title)
        )
    })
}
