//! Reading a CSV file row by row, and the cells of a row as typed values
//! with a Vietnamese reason for each bad one.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::period::parse_date;
use danvan_core::text::fold;

use crate::StoreError;
use crate::units::{self, Unit};

/// One CSV data row: its line in the file and its cells by column name.
pub struct Cells<'a> {
    pub(crate) line: usize,
    /// The file's columns: the required ones, then the optional ones present.
    cols: &'a [&'static str],
    rec: &'a csv::StringRecord,
    pub(crate) errors: Vec<DomainError>,
    code: &'static str,
}

impl Cells<'_> {
    pub(crate) fn err(&mut self, col: &str, msg: String) {
        self.errors.push(
            DomainError::new(self.code, msg)
                .at_field(col.to_string())
                .at_line(self.line),
        );
    }

    /// The cell of `col`; empty when the cell is, or when `col` is an
    /// optional column the file does not have.
    pub(crate) fn raw(&self, col: &str) -> &str {
        self.cols
            .iter()
            .position(|c| *c == col)
            .and_then(|i| self.rec.get(i))
            .unwrap_or("")
            .trim()
    }

    pub(crate) fn text(&self, col: &str) -> String {
        self.raw(col).to_string()
    }

    pub(crate) fn required(&mut self, col: &str) -> Option<String> {
        let v = self.raw(col).to_string();
        if v.is_empty() {
            self.err(col, "không được để trống".into());
            return None;
        }
        Some(v)
    }

    pub(crate) fn date(&mut self, col: &str) -> Option<NaiveDate> {
        let s = self.raw(col).to_string();
        if s.is_empty() {
            return None;
        }
        let d = parse_date(&s).or_else(|| NaiveDate::parse_from_str(&s, "%d/%m/%Y").ok());
        if d.is_none() {
            self.err(
                col,
                format!("ngày «{s}» không hợp lệ; dùng dạng NNNN-TT-NN hoặc NN/TT/NNNN"),
            );
        }
        d
    }

    pub(crate) fn required_date(&mut self, col: &str) -> Option<NaiveDate> {
        if self.raw(col).is_empty() {
            self.err(col, "không được để trống".into());
            return None;
        }
        self.date(col)
    }

    pub(crate) fn int(&mut self, col: &str, default: i64) -> Option<i64> {
        let s = self.raw(col).to_string();
        if s.is_empty() {
            return Some(default);
        }
        match s.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => {
                self.err(col, format!("«{s}» không phải số nguyên không âm"));
                None
            }
        }
    }

    pub(crate) fn flag(&mut self, col: &str) -> bool {
        let f = fold(self.raw(col));
        match f.as_str() {
            "" | "0" | "khong" | "no" | "false" => false,
            "1" | "x" | "co" | "yes" | "true" => true,
            _ => {
                let s = self.text(col);
                self.err(col, format!("«{s}» không hợp lệ; dùng «có» hoặc để trống"));
                false
            }
        }
    }

    pub(crate) fn vocab<T>(
        &mut self,
        col: &str,
        parse: fn(&str) -> Result<T, DomainError>,
    ) -> Option<T> {
        let s = self.raw(col).to_string();
        if s.is_empty() {
            return None;
        }
        match parse(&s) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(col, e.message);
                None
            }
        }
    }

    pub(crate) fn required_vocab<T>(
        &mut self,
        col: &str,
        parse: fn(&str) -> Result<T, DomainError>,
    ) -> Option<T> {
        if self.raw(col).is_empty() {
            self.err(col, "không được để trống".into());
            return None;
        }
        self.vocab(col, parse)
    }

    pub(crate) fn unit(
        &mut self,
        units: &[Unit],
        on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<i64> {
        let q = self.required("unit")?;
        match units::find_in(units, &q, on.map(|d| (d, d)), today) {
            Ok(u) => Some(u.id),
            Err(StoreError::Invalid(e)) => {
                self.err("unit", e.message);
                None
            }
            Err(e) => {
                self.err("unit", e.to_string());
                None
            }
        }
    }
}

/// The columns a header names: `required` in order, then each of
/// `optional` at most once, in any order, by any of its header names.
/// `None` when the header is anything else.
fn header_columns(
    got: &[String],
    required: &[&'static str],
    optional: &[(&'static str, &[&str])],
) -> Option<Vec<&'static str>> {
    if got.len() < required.len() || got[..required.len()] != *required {
        return None;
    }
    let mut cols = required.to_vec();
    for h in &got[required.len()..] {
        let (name, _) = optional
            .iter()
            .find(|(_, names)| names.contains(&h.as_str()))?;
        if cols.contains(name) {
            return None;
        }
        cols.push(name);
    }
    Some(cols)
}

/// Read a file row by row: the header must name `required` in order (and
/// may add `optional` at the end); a header cell may also be one of `aliases`
/// (Vietnamese name, folded, spaces as `_` → column name).
pub(crate) fn read_rows_aliased(
    input: impl Read,
    required: &'static [&'static str],
    optional: &[(&'static str, &[&str])],
    aliases: &[(&str, &'static str)],
    code: &'static str,
    errors: &mut Vec<DomainError>,
    mut row: impl FnMut(&mut Cells<'_>),
) {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let cols = match rdr.headers() {
        Ok(h) => {
            let got: Vec<String> = h
                .iter()
                .map(|s| {
                    let f = fold(s.trim_start_matches('\u{feff}'));
                    let key = f.split_whitespace().collect::<Vec<_>>().join("_");
                    aliases
                        .iter()
                        .find(|(a, _)| *a == key)
                        .map_or(f, |(_, c)| (*c).to_string())
                })
                .collect();
            match header_columns(&got, required, optional) {
                Some(cols) => cols,
                None => {
                    let extra = if optional.is_empty() {
                        String::new()
                    } else {
                        let names: Vec<String> = optional
                            .iter()
                            .map(|(_, names)| {
                                names
                                    .iter()
                                    .map(|n| format!("«{n}»"))
                                    .collect::<Vec<_>>()
                                    .join(" hoặc ")
                            })
                            .collect();
                        format!(" (có thể thêm ở cuối cột {})", names.join(", "))
                    };
                    errors.push(
                        DomainError::new(
                            code,
                            format!(
                                "dòng tiêu đề phải là «{}»{extra}, tệp có «{}»",
                                required.join(","),
                                h.iter().collect::<Vec<_>>().join(",")
                            ),
                        )
                        .at_line(1),
                    );
                    return;
                }
            }
        }
        Err(e) => {
            errors.push(DomainError::new(
                code,
                format!("không đọc được tệp CSV: {e}"),
            ));
            return;
        }
    };
    for got in rows(&mut rdr, code, cols.len()) {
        let (line, rec) = match got {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut cells = Cells {
            line,
            cols: &cols,
            rec: &rec,
            errors: Vec::new(),
            code,
        };
        row(&mut cells);
        errors.append(&mut cells.errors);
    }
}

/// The data rows of a CSV file with their line numbers, blank rows
/// skipped; a row that cannot be read or has not `width` cells is an error
/// at its line (with `code`), and reading goes on.
pub(crate) fn rows<'r, R: Read>(
    rdr: &'r mut csv::Reader<R>,
    code: &'static str,
    width: usize,
) -> impl Iterator<Item = Result<(usize, csv::StringRecord), DomainError>> + 'r {
    rdr.records().filter_map(move |rec| {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let why = format!("dòng CSV không đọc được: {e}");
                return Some(Err(DomainError::new(code, why).at_line(line)));
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|f| f.trim().is_empty()) {
            return None;
        }
        if rec.len() != width {
            let why = format!("dòng có {} cột, cần đúng {width} cột", rec.len());
            return Some(Err(DomainError::new(code, why).at_line(line)));
        }
        Some(Ok((line, rec)))
    })
}

pub(crate) fn collect<T>(errors: Vec<DomainError>, out: T) -> Result<T, Vec<DomainError>> {
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Push `r`'s validation error, if any, at the row's line.
pub(crate) fn checked<T>(
    c: &mut Cells<'_>,
    r: T,
    validate: fn(&T) -> Result<(), DomainError>,
) -> Option<T> {
    match validate(&r) {
        Ok(()) => Some(r),
        Err(e) => {
            c.errors.push(e.at_line(c.line));
            None
        }
    }
}

/// How a kind's file is laid out: its columns in order, the optional ones
/// at the end (with the names they may go by), the Vietnamese header names
/// it accepts, and the code of its errors.
pub(crate) struct Layout<'a> {
    pub columns: &'static [&'static str],
    pub optional: &'a [(&'static str, &'a [&'a str])],
    pub aliases: &'a [(&'a str, &'static str)],
    pub code: &'static str,
}

/// The records of a file, each with its line, or every bad row: `row`
/// reads one row's cells into a record (`None` when a cell is bad, its
/// error noted on the cells), then the record's own `validate` runs.
/// `progress` is called after each row.
pub(crate) fn records_of<T>(
    input: impl Read,
    layout: &Layout<'_>,
    validate: fn(&T) -> Result<(), DomainError>,
    mut progress: impl FnMut(),
    mut row: impl FnMut(&mut Cells<'_>) -> Option<T>,
) -> Result<Vec<(usize, T)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        layout.columns,
        layout.optional,
        layout.aliases,
        layout.code,
        &mut errors,
        |c| {
            progress();
            if let Some(r) = row(c).and_then(|r| checked(c, r, validate)) {
                out.push((c.line, r));
            }
        },
    );
    collect(errors, out)
}
