//! Spreadsheets, streamed cell by cell: nothing proportional to a sheet's
//! declared size is allocated, only the row being read.

use std::io::{Read, Seek, SeekFrom};

use calamine::{Cell, DataRef, Reader, Xlsb, Xlsx};
use danvan_core::DomainError;
use danvan_core::number;

use crate::{Format, Limits};

/// A cell as the importers parse it: dates as ISO dates, whole numbers
/// without a decimal part (unit codes are often typed as numbers), yes/no
/// as "có"/"không".
pub fn cell_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "có" } else { "không" }.to_string(),
        DataRef::DateTime(d) => d
            .as_datetime()
            .map_or_else(|| d.to_string(), |t| t.date().to_string()),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e}"),
    }
}

/// A cell's name as the spreadsheet shows it: (0, 0) is A1.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

fn too_large(file_name: &str, what: String) -> DomainError {
    DomainError::new(
        "input.too_large",
        format!("bảng tính {file_name} vượt giới hạn đọc: {what}"),
    )
}

/// The first sheet's rows, in order, each with its 1-based line (the
/// sheet's row number). A blank row between rows with values is given as
/// no cells, so line numbers stay the sheet's. `on_row` returns `false` to
/// stop early. The header must be in row 1.
pub fn read_rows<R: Read + Seek>(
    mut reader: R,
    file_name: &str,
    format: Format,
    limits: &Limits,
    on_row: impl FnMut(usize, &[String]) -> bool,
) -> Result<(), DomainError> {
    let unreadable = |e: String| unreadable(file_name, &e);
    let size = reader
        .seek(SeekFrom::End(0))
        .map_err(|e| unreadable(e.to_string()))?;
    reader.rewind().map_err(|e| unreadable(e.to_string()))?;
    check_expansion(&mut reader, file_name, limits.expansion_cap(size))?;
    reader.rewind().map_err(|e| unreadable(e.to_string()))?;
    let mut rows = Rows::new(file_name, limits, on_row);
    let no_sheet = || {
        DomainError::new(
            "input.no_sheet",
            format!("bảng tính {file_name} không có trang nào"),
        )
    };
    // The two workbook readers share no trait for streaming cells.
    macro_rules! stream_first_sheet {
        ($book:ty) => {{
            let mut wb: $book = <$book>::new(reader).map_err(|e| unreadable(e.to_string()))?;
            let name = wb.sheet_names().first().cloned().ok_or_else(no_sheet)?;
            let mut cells = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| unreadable(e.to_string()))?;
            while let Some(cell) = cells.next_cell().map_err(|e| unreadable(e.to_string()))? {
                if !rows.push(cell)? {
                    return Ok(());
                }
            }
        }};
    }
    match format {
        Format::Xlsx => stream_first_sheet!(Xlsx<_>),
        Format::Xlsb => stream_first_sheet!(Xlsb<_>),
        Format::Text => return Err(unreadable("không phải bảng tính".into())),
    }
    rows.finish();
    Ok(())
}

/// Decompress every part of the archive into nothing, counting: a part that
/// claims a small size but expands without end is caught here, before the
/// spreadsheet reader holds any of it in memory.
fn check_expansion<R: Read + Seek>(
    reader: &mut R,
    file_name: &str,
    cap: u64,
) -> Result<(), DomainError> {
    let unreadable = |e: String| unreadable(file_name, &e);
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| unreadable(e.to_string()))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| unreadable(e.to_string()))?;
        let left = cap.saturating_sub(total);
        let n = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| unreadable(e.to_string()))?;
        total += n;
        if total > cap {
            return Err(too_large(
                file_name,
                format!(
                    "giải nén ra hơn {} byte, quá nhiều so với cỡ tệp",
                    number::int(cap as i64)
                ),
            ));
        }
    }
    Ok(())
}

/// Cells gathered into rows, with the limits checked per cell.
struct Rows<'a, F> {
    file_name: &'a str,
    limits: &'a Limits,
    on_row: F,
    /// The row being gathered and its cells.
    row: u32,
    cells: Vec<String>,
    /// Rows handed out so far (the next line is `emitted + 1`).
    emitted: u32,
    values: u64,
}

impl<'a, F: FnMut(usize, &[String]) -> bool> Rows<'a, F> {
    fn new(file_name: &'a str, limits: &'a Limits, on_row: F) -> Self {
        Rows {
            file_name,
            limits,
            on_row,
            row: 0,
            cells: Vec::new(),
            emitted: 0,
            values: 0,
        }
    }

    /// Take one cell; `false` when the reader asked to stop.
    fn push(&mut self, cell: Cell<DataRef<'_>>) -> Result<bool, DomainError> {
        let (r, c) = cell.get_position();
        let value = cell.get_value();
        if *value == DataRef::Empty {
            return Ok(true);
        }
        let name = || cell_name(r, c);
        if c >= self.limits.columns {
            return Err(too_large(
                self.file_name,
                format!(
                    "ô {} nằm ngoài {} cột đầu tiên",
                    name(),
                    number::int(self.limits.columns as i64)
                ),
            ));
        }
        if r >= self.limits.rows {
            return Err(too_large(
                self.file_name,
                format!(
                    "ô {} nằm ngoài {} dòng đầu tiên",
                    name(),
                    number::int(self.limits.rows as i64)
                ),
            ));
        }
        self.values += 1;
        if self.values > self.limits.cells {
            return Err(too_large(
                self.file_name,
                format!("hơn {} ô có dữ liệu", number::int(self.limits.cells as i64)),
            ));
        }
        if self.emitted == 0 && self.cells.is_empty() && r > 0 {
            return Err(DomainError::new(
                "input.header",
                format!(
                    "trang đầu của {} phải bắt đầu bằng dòng tiêu đề ở dòng 1 (đang ở dòng {})",
                    self.file_name,
                    number::int(r as i64 + 1)
                ),
            ));
        }
        if r < self.row || (r == self.row && self.emitted > r) {
            return Err(DomainError::new(
                "input.order",
                format!(
                    "bảng tính {} ghi ô {} sau các dòng bên dưới nó; hãy mở và lưu lại tệp",
                    self.file_name,
                    name()
                ),
            ));
        }
        if r != self.row {
            if !self.flush() {
                return Ok(false);
            }
            // Blank rows between keep their line numbers.
            while self.emitted < r {
                if !(self.on_row)(self.emitted as usize + 1, &[]) {
                    return Ok(false);
                }
                self.emitted += 1;
            }
            self.row = r;
        }
        let c = c as usize;
        if self.cells.len() <= c {
            self.cells.resize(c + 1, String::new());
        }
        self.cells[c] = cell_text(value);
        Ok(true)
    }

    /// Hand out the gathered row, if any.
    fn flush(&mut self) -> bool {
        if self.cells.is_empty() {
            return true;
        }
        let go_on = (self.on_row)(self.row as usize + 1, &self.cells);
        self.cells.clear();
        self.emitted = self.row + 1;
        go_on
    }

    fn finish(mut self) {
        self.flush();
    }
}

/// The workbook could not be read, and why.
fn unreadable(file_name: &str, why: &str) -> DomainError {
    DomainError::new(
        "input.unreadable",
        format!("không mở được bảng tính {file_name}: {why}"),
    )
}
