//! The files users bring, read into rows of text: CSV in the encodings
//! Vietnamese exports come in (UTF-8, UTF-16, Windows-1258) and XLSX/XLSB
//! spreadsheets (the first sheet). One decoder for the command line and the
//! web upload, so both accept the same files and give the same messages.
//!
//! Every file comes from outside and may be hostile: a 2 KB spreadsheet can
//! declare a used range of 17 billion cells, a zip entry can expand a
//! thousandfold. So reading is bounded by [`Limits`] on expanded bytes,
//! columns, rows and cells, checked as the file streams, before anything
//! large is allocated; a file over a limit is refused with a Vietnamese
//! message naming the limit. The old binary XLS and ODS formats, whose
//! readers build the whole grid in memory, are refused with advice to save
//! the file as XLSX or CSV.

mod sheet;
mod text;

use danvan_core::DomainError;

pub use sheet::{cell_text, read_rows};
pub use text::{text_encoding, to_utf8};

/// How much of a file may be read. The defaults are far above any real
/// export (a province's one-stop export for a year is about a million rows
/// of a few dozen columns) and far below what would exhaust the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes all the parts of a spreadsheet may expand to, in total.
    pub expanded_bytes: u64,
    /// Of that, no more than this many times the file's own size (a
    /// spreadsheet's XML compresses about 10:1; a bomb, a thousandfold).
    pub expansion_ratio: u64,
    /// Columns of a sheet (A…SR).
    pub columns: u32,
    /// Rows of a sheet: the format's own limit.
    pub rows: u32,
    /// Cells with a value.
    pub cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            expanded_bytes: 4 << 30,
            expansion_ratio: 100,
            columns: 512,
            rows: 1_048_576,
            cells: 50_000_000,
        }
    }
}

impl Limits {
    /// What the expansion of a file of `size` bytes may reach.
    fn expansion_cap(&self, size: u64) -> u64 {
        self.expanded_bytes
            .min(size.saturating_mul(self.expansion_ratio).max(64 << 20))
    }
}

/// What a file is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text: CSV (or anything not named as a spreadsheet).
    Text,
    /// Office Open XML spreadsheet (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
}

impl Format {
    /// The format of `file_name`; the old XLS and ODS are refused.
    pub fn of(file_name: &str) -> Result<Format, DomainError> {
        let ext = file_name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("xlsx" | "xlsm") => Ok(Format::Xlsx),
            Some("xlsb") => Ok(Format::Xlsb),
            Some(e @ ("xls" | "ods")) => Err(DomainError::new(
                "input.format",
                format!(
                    "tệp .{e} chưa đọc được: hãy mở {file_name} bằng Excel hoặc LibreOffice \
                     và lưu lại thành .xlsx hoặc .csv"
                ),
            )),
            _ => Ok(Format::Text),
        }
    }

    pub fn is_spreadsheet(self) -> bool {
        self != Format::Text
    }
}

/// A whole file as UTF-8 CSV: a spreadsheet's first sheet (dates as ISO
/// dates, the header in row 1, so line numbers are the sheet's row
/// numbers), or a text file re-encoded to UTF-8.
pub fn to_csv(file_name: &str, bytes: Vec<u8>, limits: &Limits) -> Result<Vec<u8>, DomainError> {
    let format = Format::of(file_name)?;
    if !format.is_spreadsheet() {
        return Ok(to_utf8(bytes));
    }
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut failed = None;
    read_rows(
        std::io::Cursor::new(bytes),
        file_name,
        format,
        limits,
        |_, cells| match w.write_record(cells) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e.to_string());
                false
            }
        },
    )?;
    let unconvertible = |e: String| {
        DomainError::new(
            "input.convert",
            format!("không chuyển được {file_name}: {e}"),
        )
    };
    if let Some(e) = failed {
        return Err(unconvertible(e));
    }
    w.into_inner().map_err(|e| unconvertible(e.to_string()))
}

#[cfg(test)]
mod tests;
