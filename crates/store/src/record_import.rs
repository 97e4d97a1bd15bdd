//! CSV import of petitions, receptions, mediation cases, meetings, "Dân
//! vận khéo" models, aggregate data values, oversight activities and
//! directives (`danvan import petitions|receptions|mediation|meetings|models|data|oversight|directives`).
//! The column layout is documented in docs/import.md. Every row is checked
//! first — by itself, then against the unit tree and the lifecycle rules —
//! and every bad row is reported by its line with a Vietnamese reason; one
//! bad row and nothing is written. Through a store limited to a subtree, a
//! row of a unit outside it is such a bad row.

use std::io::Read;

use chrono::{Datelike, NaiveDate};
use danvan_core::DomainError;
use danvan_core::Where;
use danvan_core::calendar::deadline::Extension;
use danvan_core::period::{Period, parse_date};
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::{
    Eligibility, Handling, IneligibleReason, Instance, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType, Sender,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_core::text::fold;

use crate::units::{self, Unit};
use crate::{
    Store, StoreError, datasets, directives, mediation, meetings, models, oversight, petitions,
    reception,
};

/// Columns of a petition file, in order.
pub const PETITION_COLUMNS: [&str; 20] = [
    "unit",
    "received_on",
    "channel",
    "senders",
    "type",
    "field",
    "sender_name",
    "sender_address",
    "sender_phone",
    "summary",
    "classified_on",
    "eligibility",
    "ineligible_reason",
    "handled_on",
    "handling",
    "complex",
    "remote",
    "resolved_on",
    "outcome",
    "case_id",
];

/// Optional columns a petition file may add after the required ones, in
/// any order: the name the code reads each by, and the header names
/// accepted for it.
pub const PETITION_OPTIONAL_COLUMNS: &[(&str, &[&str])] =
    &[("instance", &["instance", "lan_giai_quyet"])];

/// Columns of a reception file, in order.
pub const RECEPTION_COLUMNS: [&str; 12] = [
    "unit",
    "received_on",
    "official",
    "position",
    "kind",
    "content",
    "outcome",
    "turns",
    "persons",
    "delegations",
    "delegation_persons",
    "note",
];

/// One CSV data row: its line in the file and its cells by column name.
struct Cells<'a> {
    line: usize,
    /// The file's columns: the required ones, then the optional ones present.
    cols: &'a [&'static str],
    rec: &'a csv::StringRecord,
    errors: Vec<DomainError>,
    code: &'static str,
}

impl Cells<'_> {
    fn err(&mut self, col: &str, msg: String) {
        self.errors.push(
            DomainError::new(self.code, msg)
                .at_field(col.to_string())
                .at_line(self.line),
        );
    }

    /// The cell of `col`; empty when the cell is, or when `col` is an
    /// optional column the file does not have.
    fn raw(&self, col: &str) -> &str {
        self.cols
            .iter()
            .position(|c| *c == col)
            .and_then(|i| self.rec.get(i))
            .unwrap_or("")
            .trim()
    }

    fn text(&self, col: &str) -> String {
        self.raw(col).to_string()
    }

    fn required(&mut self, col: &str) -> Option<String> {
        let v = self.raw(col).to_string();
        if v.is_empty() {
            self.err(col, "không được để trống".into());
            return None;
        }
        Some(v)
    }

    fn date(&mut self, col: &str) -> Option<NaiveDate> {
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

    fn required_date(&mut self, col: &str) -> Option<NaiveDate> {
        if self.raw(col).is_empty() {
            self.err(col, "không được để trống".into());
            return None;
        }
        self.date(col)
    }

    fn int(&mut self, col: &str, default: i64) -> Option<i64> {
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

    fn flag(&mut self, col: &str) -> bool {
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

    fn vocab<T>(&mut self, col: &str, parse: fn(&str) -> Result<T, DomainError>) -> Option<T> {
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

    fn required_vocab<T>(
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

    fn unit(&mut self, units: &[Unit], on: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
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

/// Read a CSV file whose header must be `required`, optionally followed by
/// some of `optional`; calls `row` for every non-empty data row. Errors of
/// the file itself (header, encoding) are pushed to `errors`.
fn read_rows(
    input: impl Read,
    required: &'static [&'static str],
    optional: &[(&'static str, &[&str])],
    code: &'static str,
    errors: &mut Vec<DomainError>,
    row: impl FnMut(&mut Cells<'_>),
) {
    read_rows_aliased(input, required, optional, &[], code, errors, row)
}

/// [`read_rows`] where a header cell may also be one of `aliases`
/// (Vietnamese name, folded, spaces as `_` → column name).
fn read_rows_aliased(
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
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(
                    DomainError::new(code, format!("dòng CSV không đọc được: {e}")).at_line(line),
                );
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rec.len() != cols.len() {
            errors.push(
                DomainError::new(
                    code,
                    format!("dòng có {} cột, cần đúng {} cột", rec.len(), cols.len()),
                )
                .at_line(line),
            );
            continue;
        }
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

/// Exact code or label first; then what users type in spreadsheets: the
/// label without punctuation ("kiến nghị phản ánh") or a unique beginning of
/// it ("thụ lý", "chuyển", "lưu đơn").
fn loose<T: Copy>(
    s: &str,
    all: &[T],
    label: fn(T) -> &'static str,
    exact: fn(&str) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    let err = match exact(s) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let plain = |x: &str| {
        fold(x)
            .chars()
            .filter(|c| !matches!(c, ',' | '/' | ';' | '.'))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let q = plain(s);
    if q.chars().count() < 3 {
        return Err(err);
    }
    let hits: Vec<T> = all
        .iter()
        .copied()
        .filter(|v| plain(label(*v)) == q || plain(label(*v)).starts_with(&format!("{q} ")))
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        _ => Err(err),
    }
}

fn parse_handling(s: &str) -> Result<Handling, DomainError> {
    loose(s, Handling::ALL, Handling::label, Handling::parse)
}

fn parse_type(s: &str) -> Result<PetitionType, DomainError> {
    loose(
        s,
        PetitionType::ALL,
        PetitionType::label,
        PetitionType::parse,
    )
}

fn parse_eligibility(s: &str) -> Result<bool, DomainError> {
    match fold(s).as_str() {
        "du" | "du dieu kien" | "du dieu kien xu ly" | "eligible" => Ok(true),
        "khong du" | "khong du dieu kien" | "khong du dieu kien xu ly" | "ineligible" => Ok(false),
        _ => Err(DomainError::new(
            "petition.import",
            format!("phân loại «{s}» không hợp lệ; dùng «đủ» hoặc «không đủ»"),
        )),
    }
}

/// Parse a petition file into records, each with its line. `progress` is
/// called after each row (for a progress bar).
pub fn parse_petitions(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Petition)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows(
        input,
        &PETITION_COLUMNS,
        PETITION_OPTIONAL_COLUMNS,
        "petition.import",
        &mut errors,
        |c| {
            progress();
            let received_on = c.required_date("received_on");
            let unit_id = c.unit(all_units, received_on, today);
            let channel = c.required_vocab("channel", PetitionChannel::parse);
            let senders = c.int("senders", 1);
            let kind = c.required_vocab("type", parse_type);
            let instance = c
                .vocab("instance", Instance::parse)
                .or(Some(Instance::First));
            let field = c
                .vocab("field", PetitionField::parse)
                .or(Some(PetitionField::Other));
            let classified_on = c.date("classified_on");
            let eligible = c.vocab("eligibility", parse_eligibility);
            let reason = c.vocab("ineligible_reason", IneligibleReason::parse);
            let handled_on = c.date("handled_on");
            let handling = c.vocab("handling", parse_handling);
            let complex = c.flag("complex");
            let remote = c.flag("remote");
            let resolved_on = c.date("resolved_on");
            let outcome = c.vocab("outcome", Outcome::parse);
            let case_id = match c.raw("case_id") {
                "" => Some(None),
                _ => c.int("case_id", 0).map(Some),
            };
            let eligibility = match (eligible, reason) {
                (None, None) => None,
                (Some(true), None) => Some(Eligibility::Eligible),
                (Some(false), Some(r)) | (None, Some(r)) => Some(Eligibility::Ineligible(r)),
                (Some(true), Some(_)) => {
                    c.err(
                        "ineligible_reason",
                        "đơn đủ điều kiện xử lý không ghi lý do không đủ điều kiện".into(),
                    );
                    None
                }
                (Some(false), None) => {
                    c.err(
                        "ineligible_reason",
                        "đơn không đủ điều kiện xử lý phải ghi lý do".into(),
                    );
                    None
                }
            };
            if !c.errors.is_empty() {
                return;
            }
            let (
                Some(unit_id),
                Some(received_on),
                Some(channel),
                Some(senders),
                Some(kind),
                Some(instance),
                Some(field),
                Some(case_id),
            ) = (
                unit_id,
                received_on,
                channel,
                senders,
                kind,
                instance,
                field,
                case_id,
            )
            else {
                return;
            };
            let p = Petition {
                senders,
                instance,
                case_id,
                sender: Sender {
                    name: c.text("sender_name"),
                    address: c.text("sender_address"),
                    phone: c.text("sender_phone"),
                },
                summary: c.text("summary"),
                classified_on,
                eligibility,
                handled_on,
                handling,
                complex,
                remote,
                extensions: Vec::<Extension>::new(),
                resolved_on,
                outcome,
                ..Petition::received(unit_id, received_on, channel, kind, field)
            };
            match p.validate() {
                Ok(()) => out.push((c.line, p)),
                Err(e) => {
                    let e = e.at_line(c.line);
                    c.errors.push(e);
                }
            }
        },
    );
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Parse a reception file into records, each with its line.
pub fn parse_receptions(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Reception)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows(
        input,
        &RECEPTION_COLUMNS,
        &[],
        "reception.import",
        &mut errors,
        |c| {
            progress();
            let received_on = c.required_date("received_on");
            let unit_id = c.unit(all_units, received_on, today);
            let kind = c.required_vocab("kind", ReceptionKind::parse);
            let content = c.required_vocab("content", ReceptionContent::parse);
            let outcome = c.required_vocab("outcome", ReceptionOutcome::parse);
            let turns = c.int("turns", 1);
            let persons = c.int("persons", 1);
            let delegations = c.int("delegations", 0);
            let delegation_persons = c.int("delegation_persons", 0);
            let (
                Some(unit_id),
                Some(received_on),
                Some(kind),
                Some(content),
                Some(outcome),
                Some(turns),
                Some(persons),
                Some(delegations),
                Some(delegation_persons),
            ) = (
                unit_id,
                received_on,
                kind,
                content,
                outcome,
                turns,
                persons,
                delegations,
                delegation_persons,
            )
            else {
                return;
            };
            let r = Reception {
                unit_id,
                received_on,
                official: c.text("official"),
                position: c.text("position"),
                kind,
                content,
                outcome,
                turns,
                persons,
                delegations,
                delegation_persons,
                petition_id: None,
                note: c.text("note"),
            };
            match r.validate() {
                Ok(()) => out.push((c.line, r)),
                Err(e) => {
                    let e = e.at_line(c.line);
                    c.errors.push(e);
                }
            }
        },
    );
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A store error about record `i` (1-based position in a batch) re-pointed
/// at its line in the file.
fn at_file_line(e: StoreError, lines: &[usize]) -> StoreError {
    match e {
        StoreError::Invalid(mut d) => {
            let line = |i: usize| lines.get(i.wrapping_sub(1)).copied().unwrap_or(i);
            d.at = match d.at {
                Where::Line { line: i } => Where::Line { line: line(i) },
                Where::LineField { line: i, field } => Where::LineField {
                    line: line(i),
                    field,
                },
                Where::Field { field } if lines.len() == 1 => Where::LineField {
                    line: lines[0],
                    field,
                },
                Where::Nowhere if lines.len() == 1 => Where::Line { line: lines[0] },
                other => other,
            };
            StoreError::InvalidRows(vec![d])
        }
        e => e,
    }
}

/// Rows of units outside the store's subtree, each refused by its line
/// like any other bad row: all are listed and nothing is written.
fn check_scope(
    store: &Store,
    all: &[Unit],
    rows: impl IntoIterator<Item = (usize, i64)>,
) -> Result<(), StoreError> {
    let Some(s) = store.scope() else {
        return Ok(());
    };
    let errors: Vec<DomainError> = rows
        .into_iter()
        .filter(|&(_, u)| !s.contains(u))
        .map(|(line, u)| {
            let name = all
                .iter()
                .find(|x| x.id == u)
                .map_or_else(|| format!("đơn vị mã số {u}"), Unit::full_name);
            DomainError::new(
                "import.out_of_scope",
                format!(
                    "{name} không thuộc {} hay đơn vị trực thuộc: tài khoản không được nhập dữ liệu của đơn vị này",
                    s.root_name
                ),
            )
            .at_field("unit")
            .at_line(line)
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::InvalidRows(errors))
    }
}

/// Write checked rows in one batch (all or none); an error about a record
/// of the batch is re-pointed at its line in the file. Returns how many
/// rows were written.
async fn write_all<R, T>(
    rows: Vec<(usize, R)>,
    insert: impl AsyncFnOnce(&[R]) -> Result<T, StoreError>,
) -> Result<usize, StoreError> {
    let (lines, records): (Vec<usize>, Vec<R>) = rows.into_iter().unzip();
    if records.is_empty() {
        return Ok(0);
    }
    insert(&records)
        .await
        .map_err(|e| at_file_line(e, &lines))?;
    Ok(records.len())
}

/// Import a petition file: all rows or none. Returns how many were written.
pub async fn import_petitions(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_petitions(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[Petition]| {
        petitions::insert_many(store, r).await
    })
    .await
}

/// Import a reception file: all rows or none. Returns how many were written.
pub async fn import_receptions(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_receptions(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[Reception]| {
        reception::insert_many(store, r).await
    })
    .await
}

// ---------------------------------------------------------------------
// Mediation cases, meetings, "Dân vận khéo" models and aggregate data.
// ---------------------------------------------------------------------

/// Vietnamese header names accepted for the columns of the files below
/// (folded, words joined by `_`).
const VI_ALIASES: &[(&str, &str)] = &[
    ("don_vi", "unit"),
    ("ngay_tiep_nhan", "received_on"),
    ("to_hoa_giai", "team"),
    ("linh_vuc", "field"),
    ("ket_qua", "result"),
    ("noi_dung", "summary"),
    ("loai", "kind"),
    ("loai_hoi_nghi", "kind"),
    ("ngay", "held_on"),
    ("ngay_to_chuc", "held_on"),
    ("chu_tri", "chair"),
    ("dai_bieu", "deputies"),
    ("so_nguoi_du", "participants"),
    ("chu_de", "subject"),
    ("ten_mo_hinh", "name"),
    ("cap", "level"),
    ("nam", "year"),
    ("ngay_ghi_nhan", "recorded_on"),
    ("tinh_trang", "status"),
    ("cong_nhan", "recognised"),
    ("khen_thuong", "award"),
    ("bo_chi_tieu", "set"),
    ("chi_tieu", "element"),
    ("ky", "period"),
    ("phan_to", "option"),
    ("gia_tri", "value"),
    ("to_chuc", "organisation"),
    ("hinh_thuc", "kind"),
    ("doi_tuong", "targets"),
    ("so_kien_nghi", "recommendations"),
    ("so_ky_hieu", "number"),
    ("ngay_ban_hanh", "issued_on"),
    ("co_quan_ban_hanh", "issuer"),
    ("trich_yeu", "title"),
];

/// Columns of a mediation case file, in order.
pub const MEDIATION_COLUMNS: [&str; 6] =
    ["unit", "received_on", "team", "field", "result", "summary"];

/// Columns of a meeting file, in order: one row per meeting, the opinions
/// raised counted by what became of them.
pub const MEETING_COLUMNS: [&str; 11] = [
    "unit",
    "kind",
    "held_on",
    "chair",
    "deputies",
    "participants",
    "subject",
    "so_y_kien_giai_trinh",
    "so_y_kien_tra_loi_van_ban",
    "so_y_kien_chuyen",
    "so_y_kien_dang_cho",
];

/// The opinion count columns of a meeting file and the follow-up each counts.
const OPINION_COLUMNS: [(&str, FollowUp); 4] = [
    ("so_y_kien_giai_trinh", FollowUp::AnsweredAtMeeting),
    ("so_y_kien_tra_loi_van_ban", FollowUp::AnsweredInWriting),
    ("so_y_kien_chuyen", FollowUp::Transferred),
    ("so_y_kien_dang_cho", FollowUp::Pending),
];

/// Columns of a "Dân vận khéo" model file, in order: one row per model-year.
pub const MODEL_COLUMNS: [&str; 9] = [
    "unit",
    "name",
    "level",
    "field",
    "year",
    "recorded_on",
    "status",
    "recognised",
    "award",
];

/// Columns of an oversight file (giám sát, phản biện xã hội), in order.
pub const OVERSIGHT_COLUMNS: [&str; 7] = [
    "unit",
    "organisation",
    "kind",
    "held_on",
    "subject",
    "targets",
    "recommendations",
];

/// Columns of a directive file (văn bản chỉ đạo), in order.
pub const DIRECTIVE_COLUMNS: [&str; 5] = ["unit", "number", "issued_on", "issuer", "title"];

/// Columns of an aggregate data file, in order: one value per row.
pub const DATA_COLUMNS: [&str; 6] = ["set", "element", "unit", "period", "option", "value"];

fn collect<T>(errors: Vec<DomainError>, out: T) -> Result<T, Vec<DomainError>> {
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Push `r`'s validation error, if any, at the row's line.
fn checked<T>(c: &mut Cells<'_>, r: T, validate: fn(&T) -> Result<(), DomainError>) -> Option<T> {
    match validate(&r) {
        Ok(()) => Some(r),
        Err(e) => {
            c.errors.push(e.at_line(c.line));
            None
        }
    }
}

/// Parse a mediation case file into records, each with its line.
pub fn parse_mediation(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, MediationCase)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &MEDIATION_COLUMNS,
        &[],
        VI_ALIASES,
        "mediation.import",
        &mut errors,
        |c| {
            progress();
            let received_on = c.required_date("received_on");
            let unit_id = c.unit(all_units, received_on, today);
            let team = c.required("team");
            let field = c
                .vocab("field", MediationField::parse)
                .or(Some(MediationField::Other));
            let result = c.required_vocab("result", MediationResult::parse);
            let (Some(unit_id), Some(received_on), Some(team), Some(field), Some(result)) =
                (unit_id, received_on, team, field, result)
            else {
                return;
            };
            let r = MediationCase {
                unit_id,
                team,
                received_on,
                field,
                result,
                summary: c.text("summary"),
            };
            if let Some(r) = checked(c, r, MediationCase::validate) {
                out.push((c.line, r));
            }
        },
    );
    collect(errors, out)
}

/// Content given to each opinion imported as a count.
pub const COUNTED_OPINION: &str = "(ý kiến nhập theo số lượng)";

/// Parse a meeting file into records, each with its line.
pub fn parse_meetings(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Meeting)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &MEETING_COLUMNS,
        &[],
        VI_ALIASES,
        "meeting.import",
        &mut errors,
        |c| {
            progress();
            let held_on = c.required_date("held_on");
            let unit_id = c.unit(all_units, held_on, today);
            let kind = c.required_vocab("kind", MeetingKind::parse);
            let participants = c.int("participants", 1);
            let mut opinions = Some(Vec::new());
            for (col, follow_up) in OPINION_COLUMNS {
                match (c.int(col, 0), opinions.as_mut()) {
                    (Some(n), Some(ops)) => ops.extend((0..n).map(|_| Opinion {
                        content: COUNTED_OPINION.to_string(),
                        follow_up,
                    })),
                    _ => opinions = None,
                }
            }
            let (Some(unit_id), Some(held_on), Some(kind), Some(participants), Some(opinions)) =
                (unit_id, held_on, kind, participants, opinions)
            else {
                return;
            };
            let m = Meeting {
                unit_id,
                kind,
                held_on,
                chair: c.text("chair"),
                deputies: c.text("deputies"),
                participants,
                subject: c.text("subject"),
                opinions,
            };
            if let Some(m) = checked(c, m, Meeting::validate) {
                out.push((c.line, m));
            }
        },
    );
    collect(errors, out)
}

/// A model parsed from a file: its first line, the model, and its years
/// each with its line.
pub type ParsedModel = (usize, Model, Vec<(usize, ModelYear)>);

/// Parse a model file: rows naming the same unit and model name (case and
/// diacritics aside) are years of one model.
pub fn parse_models(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<ParsedModel>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out: Vec<ParsedModel> = Vec::new();
    let mut index: std::collections::HashMap<(i64, String), usize> =
        std::collections::HashMap::new();
    read_rows_aliased(
        input,
        &MODEL_COLUMNS,
        &[],
        VI_ALIASES,
        "model.import",
        &mut errors,
        |c| {
            progress();
            let recorded_on = c.required_date("recorded_on");
            let unit_id = c.unit(all_units, recorded_on, today);
            let name = c.required("name");
            let level = c.required_vocab("level", ModelLevel::parse);
            let field = c.required_vocab("field", ModelField::parse);
            let year = match c.raw("year") {
                "" => recorded_on.map(|d| d.year()),
                s => match s.parse::<i32>() {
                    Ok(y) if (1900..=9999).contains(&y) => Some(y),
                    _ => {
                        let s = s.to_string();
                        c.err("year", format!("năm «{s}» không hợp lệ"));
                        None
                    }
                },
            };
            let status = c.required_vocab("status", ModelStatus::parse);
            let recognised = c.flag("recognised");
            let (
                Some(unit_id),
                Some(recorded_on),
                Some(name),
                Some(level),
                Some(field),
                Some(year),
                Some(status),
            ) = (unit_id, recorded_on, name, level, field, year, status)
            else {
                return;
            };
            let award = c.text("award");
            let Some(y) = checked(
                c,
                ModelYear {
                    year,
                    recorded_on,
                    status,
                    recognised,
                    award,
                },
                ModelYear::validate,
            ) else {
                return;
            };
            match index.get(&(unit_id, fold(&name))) {
                Some(&i) => {
                    let (first, m, years) = &mut out[i];
                    if m.level != level || m.field != field {
                        let first = *first;
                        c.err(
                            if m.level != level { "level" } else { "field" },
                            format!(
                                "mô hình «{name}» đã ghi ở dòng {first} với cấp hoặc lĩnh vực khác"
                            ),
                        );
                    } else if let Some((l, _)) = years.iter().find(|(_, o)| o.year == year) {
                        let l = *l;
                        c.err(
                            "year",
                            format!("mô hình «{name}» đã có năm {year} ở dòng {l}"),
                        );
                    } else {
                        years.push((c.line, y));
                    }
                }
                None => {
                    let Some(m) = checked(
                        c,
                        Model {
                            unit_id,
                            name: name.clone(),
                            level,
                            field,
                        },
                        Model::validate,
                    ) else {
                        return;
                    };
                    index.insert((unit_id, fold(&name)), out.len());
                    out.push((c.line, m, vec![(c.line, y)]));
                }
            }
        },
    );
    collect(errors, out)
}

/// A data row before its set is looked up: line, set code, value (with
/// the scaled value still to be parsed) and the value as written.
type RawValue = (usize, String, DataValue, String);

fn parse_data_rows(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<RawValue>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &DATA_COLUMNS,
        &[],
        VI_ALIASES,
        "data.import",
        &mut errors,
        |c| {
            progress();
            let set = c.required("set");
            let element = c.required("element");
            let period = c.required("period");
            let start = period
                .as_deref()
                .and_then(|p| Period::parse(p, false).ok())
                .map(|p| p.range().start);
            let unit_id = c.unit(all_units, start, today);
            let value = c.required("value");
            let (Some(set), Some(element), Some(period), Some(unit_id), Some(value)) =
                (set, element, period, unit_id, value)
            else {
                return;
            };
            let v = DataValue {
                unit_id,
                element: element.to_lowercase(),
                period,
                option: c.text("option").to_lowercase(),
                value: 0,
            };
            out.push((c.line, set.to_lowercase(), v, value));
        },
    );
    collect(errors, out)
}

fn set_missing(line: usize, set: &str) -> DomainError {
    DomainError::new("data.import", format!("không tìm thấy bộ chỉ tiêu «{set}»"))
        .at_field("set")
        .at_line(line)
}

/// Check raw data rows against their sets: set, element, option, period
/// and value. Returns the values with their sets.
async fn check_data(
    store: &Store,
    rows: Vec<RawValue>,
) -> Result<Vec<(usize, String, DataValue)>, StoreError> {
    let mut sets: std::collections::HashMap<String, Option<(DataSet, Vec<DataElement>)>> =
        std::collections::HashMap::new();
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (line, set, mut v, value) in rows {
        if !sets.contains_key(&set) {
            let got = match datasets::get_set(store, &set).await {
                Ok(s) => Some(s),
                Err(StoreError::NotFound(_)) => None,
                Err(e) => return Err(e),
            };
            sets.insert(set.clone(), got);
        }
        let Some((ds, elements)) = &sets[&set] else {
            errors.push(set_missing(line, &set));
            continue;
        };
        let Some(e) = elements.iter().find(|e| e.code == v.element) else {
            errors.push(
                DomainError::new(
                    "data.import",
                    format!(
                        "chỉ tiêu «{}» không thuộc bộ chỉ tiêu «{}»",
                        v.element, ds.name
                    ),
                )
                .at_field("element")
                .at_line(line),
            );
            continue;
        };
        let mut bad = |r: Result<(), DomainError>, field: &str| match r {
            Ok(()) => true,
            Err(err) => {
                errors.push(
                    DomainError::new(err.code, err.message)
                        .at_field(field.to_string())
                        .at_line(line),
                );
                false
            }
        };
        let ok_option = bad(e.check_option(&v.option), "option");
        let ok_period = bad(ds.period_start(&v.period).map(|_| ()), "period");
        let value = match e.parse_value(&value) {
            Ok(x) => Some(x),
            Err(err) => {
                bad(Err(err), "value");
                None
            }
        };
        if let (true, true, Some(value)) = (ok_option, ok_period, value) {
            v.value = value;
            out.push((line, set, v));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(StoreError::InvalidRows(errors))
    }
}

/// Import a mediation case file: all rows or none. Returns how many were written.
pub async fn import_mediation(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_mediation(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[MediationCase]| {
        mediation::insert_many(store, r).await
    })
    .await
}

/// Import a meeting file: all rows or none. Returns how many meetings were written.
pub async fn import_meetings(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_meetings(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[Meeting]| {
        meetings::insert_many(store, r).await
    })
    .await
}

/// Import a model file: all rows or none. Returns how many model-years
/// (rows) were written.
pub async fn import_models(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let all = units::all(store).await?;
    let today = chrono::Local::now().date_naive();
    let parsed = parse_models(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, parsed.iter().map(|(l, m, _)| (*l, m.unit_id)))?;
    let lines: Vec<usize> = parsed.iter().map(|(l, _, _)| *l).collect();
    let rows: usize = parsed.iter().map(|(_, _, ys)| ys.len()).sum();
    let records: Vec<(Model, Vec<ModelYear>)> = parsed
        .into_iter()
        .map(|(_, m, ys)| (m, ys.into_iter().map(|(_, y)| y).collect()))
        .collect();
    if records.is_empty() {
        return Ok(0);
    }
    models::insert_many(store, &records)
        .await
        .map_err(|e| at_file_line(e, &lines))?;
    Ok(rows)
}

/// Import an aggregate data file: all values or none (a value entered
/// again replaces the old one). Returns how many values were written.
pub async fn import_data(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let all = units::all(store).await?;
    let today = chrono::Local::now().date_naive();
    let raw = parse_data_rows(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    let rows = check_data(store, raw).await?;
    check_scope(store, &all, rows.iter().map(|(l, _, v)| (*l, v.unit_id)))?;
    if rows.is_empty() {
        return Ok(0);
    }
    let lines: Vec<usize> = rows.iter().map(|(l, _, _)| *l).collect();
    let values: Vec<(&str, &DataValue)> = rows.iter().map(|(_, s, v)| (s.as_str(), v)).collect();
    datasets::enter_many(store, &values)
        .await
        .map_err(|e| at_file_line(e, &lines))?;
    Ok(rows.len())
}

/// Parse an oversight file into records, each with its line.
pub fn parse_oversight(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Oversight)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &OVERSIGHT_COLUMNS,
        &[],
        VI_ALIASES,
        "oversight.import",
        &mut errors,
        |c| {
            progress();
            let held_on = c.required_date("held_on");
            let unit_id = c.unit(all_units, held_on, today);
            let organisation = c.required_vocab("organisation", Organisation::parse);
            let kind = c.required_vocab("kind", OversightKind::parse);
            let recommendations = c.int("recommendations", 0);
            let (
                Some(unit_id),
                Some(held_on),
                Some(organisation),
                Some(kind),
                Some(recommendations),
            ) = (unit_id, held_on, organisation, kind, recommendations)
            else {
                return;
            };
            let r = Oversight {
                unit_id,
                organisation,
                kind,
                held_on,
                subject: c.text("subject"),
                targets: c.text("targets"),
                recommendations,
            };
            if let Some(r) = checked(c, r, Oversight::validate) {
                out.push((c.line, r));
            }
        },
    );
    collect(errors, out)
}

/// Parse a directive file into records, each with its line.
pub fn parse_directives(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Directive)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &DIRECTIVE_COLUMNS,
        &[],
        VI_ALIASES,
        "directive.import",
        &mut errors,
        |c| {
            progress();
            let issued_on = c.required_date("issued_on");
            let unit_id = c.unit(all_units, issued_on, today);
            let number = c.required_vocab("number", DocumentNumber::parse);
            let (Some(unit_id), Some(issued_on), Some(number)) = (unit_id, issued_on, number)
            else {
                return;
            };
            let r = Directive {
                unit_id,
                number,
                issued_on,
                issuer: c.text("issuer"),
                title: c.text("title"),
            };
            if let Some(r) = checked(c, r, Directive::validate) {
                out.push((c.line, r));
            }
        },
    );
    collect(errors, out)
}

/// Import an oversight file: all rows or none. Returns how many were written.
pub async fn import_oversight(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_oversight(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[Oversight]| {
        oversight::insert_many(store, r).await
    })
    .await
}

/// Import a directive file: all rows or none (a document already in the
/// register, or twice in the file, is an error). Returns how many were written.
pub async fn import_directives(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = (units::all(store).await?, chrono::Local::now().date_naive());
    let rows = parse_directives(input, &all, today, progress).map_err(StoreError::InvalidRows)?;
    check_scope(store, &all, rows.iter().map(|(l, r)| (*l, r.unit_id)))?;
    write_all(rows, async |r: &[Directive]| {
        directives::insert_many(store, r).await
    })
    .await
}
