//! An uploaded file as the importers read it: UTF-8 CSV. A spreadsheet
//! (XLSX, XLS, XLSB, ODS) gives its first sheet, dates as ISO dates and
//! row numbers kept; a CSV saved by Excel in UTF-16 or Windows-1258 (as
//! Vietnamese exports often are) is re-encoded.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};

/// Whether the file name says spreadsheet.
pub fn is_spreadsheet(file_name: &str) -> bool {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// The upload as UTF-8 CSV, or why it cannot be read (in Vietnamese).
pub fn to_csv(file_name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if is_spreadsheet(file_name) {
        spreadsheet_to_csv(file_name, bytes)
    } else {
        Ok(text_to_utf8(bytes))
    }
}

/// UTF-8 stays as it is (a BOM included: the importers accept it);
/// UTF-16 (by its BOM) and anything not UTF-8 (Windows-1258) are decoded.
fn text_to_utf8(bytes: Vec<u8>) -> Vec<u8> {
    let encoding = match encoding_rs::Encoding::for_bom(&bytes) {
        Some((enc, _)) if enc == encoding_rs::UTF_8 => return bytes,
        Some((enc, _)) => enc,
        None if std::str::from_utf8(&bytes).is_ok() => return bytes,
        None => encoding_rs::WINDOWS_1258,
    };
    let (text, _, _) = encoding.decode(&bytes);
    text.into_owned().into_bytes()
}

/// A cell as the CSV parsers expect it: dates as ISO dates, whole numbers
/// without a decimal part (unit codes are often typed as numbers).
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

/// The first sheet as CSV; it must start with the header in row 1, so the
/// line numbers of messages are the spreadsheet's row numbers.
fn spreadsheet_to_csv(file_name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("không mở được bảng tính {file_name}: {e}"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| format!("bảng tính {file_name} không có trang nào"))?
        .map_err(|e| format!("không đọc được trang đầu của {file_name}: {e}"))?;
    let first_row = range.start().map_or(0, |(r, _)| r);
    if first_row > 0 {
        return Err(format!(
            "trang đầu của {file_name} phải bắt đầu bằng dòng tiêu đề ở dòng 1 (đang ở dòng {})",
            first_row + 1
        ));
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in range.rows() {
        w.write_record(row.iter().map(cell_text))
            .map_err(|e| format!("không chuyển được bảng tính {file_name}: {e}"))?;
    }
    w.into_inner()
        .map_err(|e| format!("không chuyển được bảng tính {file_name}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_encodings_become_utf8() {
        assert_eq!(
            text_to_utf8("Mã,x\n".as_bytes().to_vec()),
            "Mã,x\n".as_bytes()
        );
        // "Câu" in Windows-1258.
        assert_eq!(text_to_utf8(b"C\xE2u,x\n".to_vec()), "Câu,x\n".as_bytes());
        assert_eq!(text_to_utf8(b"\xFF\xFEM\0\xE3\0".to_vec()), "Mã".as_bytes());
        assert!(is_spreadsheet("so lieu.XLSX"));
        assert!(!is_spreadsheet("don.csv"));
    }

    #[test]
    fn a_broken_spreadsheet_is_named() {
        let e = to_csv("x.xlsx", b"not a workbook".to_vec()).unwrap_err();
        assert!(e.contains("không mở được bảng tính x.xlsx"), "{e}");
    }
}
