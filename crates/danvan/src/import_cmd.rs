//! `danvan import petitions|receptions|mediation|meetings|models|data|oversight|directives FILE`, where
//! FILE is CSV or a spreadsheet (XLSX, XLS, ODS: its first sheet, same
//! columns): all rows or none (column layout in docs/import.md). A progress
//! bar counts the rows checked; every bad row is reported by line (the
//! spreadsheet's row number), in Vietnamese.

use std::io::{BufRead, BufReader, Cursor, Read};
use std::path::Path;

use anyhow::Context;
use calamine::{Data, Reader, open_workbook_auto};
use danvan_store::{Store, record_import};
use indicatif::{ProgressBar, ProgressStyle};

/// What kind of records a file holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Petitions,
    Receptions,
    Mediation,
    Meetings,
    Models,
    Data,
    Oversight,
    Directives,
}

fn count_rows(file: &Path) -> anyhow::Result<u64> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let lines = BufReader::new(f).lines().count() as u64;
    Ok(lines.saturating_sub(1))
}

fn is_spreadsheet(file: &Path) -> bool {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// A spreadsheet cell as the CSV parser expects it: dates as ISO dates,
/// whole numbers without a decimal part.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "có" } else { "" }.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| d.to_string(), |t| t.date().to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e}"),
    }
}

/// The first sheet of a spreadsheet as CSV bytes and its number of data
/// rows. Rows above the used range are kept empty so line numbers in
/// messages are the spreadsheet's row numbers.
fn spreadsheet_to_csv(file: &Path) -> anyhow::Result<(Vec<u8>, u64)> {
    let mut wb = open_workbook_auto(file)
        .with_context(|| format!("không mở được bảng tính {}", file.display()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| anyhow::anyhow!("bảng tính {} không có trang nào", file.display()))?
        .with_context(|| format!("không đọc được trang đầu của {}", file.display()))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    if first_row > 0 {
        anyhow::bail!(
            "trang đầu của {} phải bắt đầu bằng dòng tiêu đề ở dòng 1 (đang ở dòng {})",
            file.display(),
            first_row + 1
        );
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut rows = 0u64;
    for row in range.rows() {
        w.write_record(row.iter().map(cell_text))?;
        rows += 1;
    }
    Ok((w.into_inner()?, rows.saturating_sub(1)))
}

pub async fn import(store: &Store, kind: Kind, file: &Path) -> anyhow::Result<()> {
    let (input, total): (Box<dyn Read>, u64) = if is_spreadsheet(file) {
        let (bytes, rows) = spreadsheet_to_csv(file)?;
        (Box::new(Cursor::new(bytes)), rows)
    } else {
        let f = std::fs::File::open(file)
            .with_context(|| format!("không mở được tệp {}", file.display()))?;
        (Box::new(BufReader::new(f)), count_rows(file)?)
    };
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} dòng ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Kiểm tra");
    let tick = || bar.inc(1);
    let result = match kind {
        Kind::Petitions => record_import::import_petitions(store, input, tick).await,
        Kind::Receptions => record_import::import_receptions(store, input, tick).await,
        Kind::Mediation => record_import::import_mediation(store, input, tick).await,
        Kind::Meetings => record_import::import_meetings(store, input, tick).await,
        Kind::Models => record_import::import_models(store, input, tick).await,
        Kind::Data => record_import::import_data(store, input, tick).await,
        Kind::Oversight => record_import::import_oversight(store, input, tick).await,
        Kind::Directives => record_import::import_directives(store, input, tick).await,
    };
    bar.finish_and_clear();
    let n = result?;
    let what = match kind {
        Kind::Petitions => "đơn thư",
        Kind::Receptions => "lượt tiếp công dân",
        Kind::Mediation => "vụ việc hòa giải",
        Kind::Meetings => "hội nghị",
        Kind::Models => "mô hình theo năm",
        Kind::Data => "giá trị số liệu",
        Kind::Oversight => "hoạt động giám sát, phản biện",
        Kind::Directives => "văn bản chỉ đạo",
    };
    println!(
        "Đã nhập {} {what} từ {}.",
        danvan_core::number::int(n as i64),
        file.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal XLSX: inline strings, a number, and a date cell (serial
    /// 46083 = 2026-03-02 with the built-in date format 14).
    fn write_xlsx(path: &Path) {
        let sheet = r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="B1" t="inlineStr"><is><t>received_on</t></is></c><c r="C1" t="inlineStr"><is><t>senders</t></is></c><c r="D1" t="inlineStr"><is><t>note</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>Đam Rông 1</t></is></c><c r="B2" s="1"><v>46083</v></c><c r="C2"><v>2</v></c></row>
</sheetData></worksheet>"#;
        let files = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Đơn" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#,
            ),
            (
                "xl/styles.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        for (name, body) in files {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }

    #[test]
    fn spreadsheet_rows_become_csv_with_iso_dates() {
        let path = std::env::temp_dir().join(format!("danvan_import_{}.xlsx", std::process::id()));
        write_xlsx(&path);
        assert!(is_spreadsheet(&path));
        let (csv, rows) = spreadsheet_to_csv(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(rows, 1);
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "unit,received_on,senders,note\nĐam Rông 1,2026-03-02,2,\n"
        );
    }
}
