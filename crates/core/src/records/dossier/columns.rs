//! The column layout of a dossier export: which header names mean which
//! field (one-stop systems name them differently), and turning one row of
//! text cells into a [`Dossier`]. Pure, so CSV and XLSX share it.

use chrono::NaiveDate;

use super::{Channel, Dossier};
use crate::DomainError;
use crate::text::fold;

/// A field of the dossier layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Code,
    ProcedureCode,
    ProcedureName,
    Unit,
    Channel,
    InterAgency,
    Received,
    Due,
    Resolved,
    Returned,
    Withdrawn,
}

/// Each column: the canonical header, whether it is required, and the
/// accepted header names, folded (no diacritics, lower case).
const COLUMNS: &[(Column, &str, bool, &[&str])] = &[
    (
        Column::Code,
        "ma_ho_so",
        true,
        &["ma ho so", "so ho so", "ma hs", "so hs", "ma_ho_so", "code"],
    ),
    (
        Column::ProcedureCode,
        "ma_thu_tuc",
        false,
        &[
            "ma thu tuc",
            "ma tthc",
            "ma thu tuc hanh chinh",
            "ma_thu_tuc",
            "procedure_code",
        ],
    ),
    (
        Column::ProcedureName,
        "ten_thu_tuc",
        false,
        &[
            "ten thu tuc",
            "thu tuc",
            "ten tthc",
            "ten thu tuc hanh chinh",
            "thu tuc hanh chinh",
            "ten_thu_tuc",
            "procedure_name",
        ],
    ),
    (
        Column::Unit,
        "ma_don_vi",
        true,
        &[
            "ma don vi",
            "don vi",
            "don vi tiep nhan",
            "ma don vi tiep nhan",
            "co quan tiep nhan",
            "ma co quan",
            "ma_don_vi",
            "unit_code",
            "unit",
        ],
    ),
    (
        Column::Channel,
        "kenh",
        true,
        &[
            "kenh",
            "kenh tiep nhan",
            "kenh nop",
            "hinh thuc tiep nhan",
            "hinh thuc nop",
            "channel",
        ],
    ),
    (
        Column::InterAgency,
        "lien_thong",
        false,
        &[
            "lien thong",
            "ho so lien thong",
            "lien_thong",
            "inter_agency",
        ],
    ),
    (
        Column::Received,
        "ngay_tiep_nhan",
        true,
        &[
            "ngay tiep nhan",
            "ngay nhan",
            "ngay nop",
            "thoi gian tiep nhan",
            "ngay_tiep_nhan",
            "received",
            "received_on",
        ],
    ),
    (
        Column::Due,
        "han_giai_quyet",
        true,
        &[
            "han giai quyet",
            "ngay hen tra",
            "ngay hen tra ket qua",
            "han xu ly",
            "ngay hen",
            "han_giai_quyet",
            "due",
            "due_on",
        ],
    ),
    (
        Column::Resolved,
        "ngay_giai_quyet",
        false,
        &[
            "ngay giai quyet",
            "ngay co ket qua",
            "ngay hoan thanh",
            "ngay tra ket qua",
            "ngay xu ly xong",
            "ngay_giai_quyet",
            "resolved",
            "resolved_on",
        ],
    ),
    (
        Column::Returned,
        "ngay_tra_lai",
        false,
        &[
            "ngay tra lai",
            "ngay yeu cau bo sung",
            "ngay tra lai/bo sung",
            "ngay tra lai, bo sung",
            "ngay_tra_lai",
            "returned",
            "returned_on",
        ],
    ),
    (
        Column::Withdrawn,
        "ngay_rut",
        false,
        &[
            "ngay rut",
            "ngay rut ho so",
            "ngay cong dan rut",
            "ngay_rut",
            "withdrawn",
            "withdrawn_on",
        ],
    ),
];

/// The canonical header line of the documented layout.
pub fn canonical_header() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.1).collect()
}

/// Where each field sits in a file's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    idx: [Option<usize>; 11],
}

fn column_of(header: &str) -> Option<Column> {
    let f = fold(header.trim_start_matches('\u{feff}'));
    let f = f.trim_matches(|c: char| c == '*' || c == ':' || c.is_whitespace());
    COLUMNS.iter().find(|c| c.3.contains(&f)).map(|c| c.0)
}

impl Layout {
    /// Map a header line; unknown headers are ignored (exports carry many
    /// columns we do not need), a field named twice or missing is refused.
    pub fn from_headers<S: AsRef<str>>(headers: &[S]) -> Result<Layout, DomainError> {
        let mut idx = [None; 11];
        for (i, h) in headers.iter().enumerate() {
            let Some(c) = column_of(h.as_ref()) else {
                continue;
            };
            let slot = &mut idx[c as usize];
            if let Some(prev) = *slot {
                return Err(DomainError::new(
                    "dossier.duplicate_column",
                    format!(
                        "cột «{}» (cột {}) và cột «{}» (cột {}) cùng là {}",
                        AsRef::<str>::as_ref(&headers[prev]),
                        prev + 1,
                        h.as_ref(),
                        i + 1,
                        COLUMNS[c as usize].1
                    ),
                )
                .at_line(1));
            }
            *slot = Some(i);
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .filter(|c| c.2 && idx[c.0 as usize].is_none())
            .map(|c| c.1)
            .collect();
        if !missing.is_empty() {
            return Err(DomainError::new(
                "dossier.missing_column",
                format!(
                    "thiếu cột {} (xem docs/import-dossiers.md về tên cột được chấp nhận)",
                    missing.join(", ")
                ),
            )
            .at_line(1));
        }
        if idx[Column::ProcedureCode as usize].is_none()
            && idx[Column::ProcedureName as usize].is_none()
        {
            return Err(DomainError::new(
                "dossier.missing_column",
                "thiếu cột ma_thu_tuc hoặc ten_thu_tuc".to_string(),
            )
            .at_line(1));
        }
        Ok(Layout { idx })
    }

    fn cell<'a, S: AsRef<str>>(&self, row: &'a [S], c: Column) -> &'a str {
        self.idx[c as usize]
            .and_then(|i| row.get(i))
            .map_or("", |s| s.as_ref().trim())
    }

    /// One row of cells as a dossier and the code of its unit. The
    /// dossier's `unit_id` is 0 until the store resolves the code.
    /// `line` is the 1-based line of the row in the file.
    pub fn parse_row<S: AsRef<str>>(
        &self,
        row: &[S],
        line: usize,
    ) -> Result<(String, Dossier), DomainError> {
        let at = |e: DomainError| e.at_line(line);
        if row.iter().all(|c| c.as_ref().trim().is_empty()) {
            return Err(at(DomainError::new("dossier.empty_row", "dòng trống")));
        }
        let date = |c: Column, required: bool| -> Result<Option<NaiveDate>, DomainError> {
            let s = self.cell(row, c);
            if s.is_empty() {
                return if required {
                    Err(at(DomainError::new("dossier.missing", "thiếu ngày")
                        .at_field(COLUMNS[c as usize].1)))
                } else {
                    Ok(None)
                };
            }
            parse_date(s).map(Some).ok_or_else(|| {
                at(DomainError::new(
                    "dossier.bad_date",
                    format!("ngày «{s}» không hợp lệ; dùng dạng 31/12/2020 hoặc 2020-12-31"),
                )
                .at_field(COLUMNS[c as usize].1))
            })
        };
        let unit = self.cell(row, Column::Unit);
        if unit.is_empty() {
            return Err(at(
                DomainError::new("dossier.missing", "thiếu mã đơn vị").at_field("ma_don_vi")
            ));
        }
        let channel =
            parse_channel(self.cell(row, Column::Channel)).map_err(|e| at(e.at_field("kenh")))?;
        let inter_agency = parse_flag(self.cell(row, Column::InterAgency))
            .map_err(|e| at(e.at_field("lien_thong")))?;
        let d = Dossier {
            code: self.cell(row, Column::Code).to_string(),
            procedure_code: self.cell(row, Column::ProcedureCode).to_string(),
            procedure_name: self.cell(row, Column::ProcedureName).to_string(),
            unit_id: 0,
            channel,
            inter_agency,
            received_on: date(Column::Received, true)?.expect("required"),
            due_on: date(Column::Due, true)?.expect("required"),
            resolved_on: date(Column::Resolved, false)?,
            returned_on: date(Column::Returned, false)?,
            withdrawn_on: date(Column::Withdrawn, false)?,
        };
        d.validate().map_err(at)?;
        Ok((unit.to_string(), d))
    }
}

/// The channel, fast for the usual spellings, folded for the rest.
pub fn parse_channel(s: &str) -> Result<Channel, DomainError> {
    match s {
        "direct" | "trực tiếp" | "Trực tiếp" => return Ok(Channel::Direct),
        "online" | "trực tuyến" | "Trực tuyến" => return Ok(Channel::Online),
        "post" | "bưu chính" | "Bưu chính" => return Ok(Channel::Post),
        _ => {}
    }
    let f = fold(s);
    if f.contains("truc tuyen") || f.contains("dich vu cong") || f == "dvc" {
        Ok(Channel::Online)
    } else if f.contains("buu chinh") || f.contains("buu dien") {
        Ok(Channel::Post)
    } else if f.contains("truc tiep") || f.contains("tai quay") || f.contains("mot cua") {
        Ok(Channel::Direct)
    } else {
        Channel::parse(s)
    }
}

/// A yes/no cell: empty is no.
pub fn parse_flag(s: &str) -> Result<bool, DomainError> {
    if s.is_empty() {
        return Ok(false);
    }
    match fold(s).as_str() {
        "" | "0" | "khong" | "k" | "false" | "no" | "n" => Ok(false),
        "1" | "co" | "x" | "true" | "yes" | "y" | "lien thong" => Ok(true),
        _ => Err(DomainError::new(
            "dossier.bad_flag",
            format!("giá trị «{s}» không hợp lệ; dùng «có» hoặc «không»"),
        )),
    }
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2020-12-31`, `31/12/2020`, `1/2/2020`, `31-12-2020`, optionally with a
/// time after a space or a `T` (ignored: deadlines are kept by day), or a
/// spreadsheet date serial such as `43892` (days since 30/12/1899; a
/// spreadsheet cell typed as a date but not formatted as one).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
        let serial: u64 = s.parse().ok()?;
        return NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(serial));
    }
    let day = s.split([' ', 'T']).next()?;
    let mut parts = day.split(['/', '-', '.']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (y, m, d) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else {
        (num(c)?, num(b)?, num(a)?)
    };
    if !(1900..=9999).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}
