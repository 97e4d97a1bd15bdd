//! `danvan units import FILE.csv`: all rows are checked before anything is
//! written; every bad row is reported with its line; one bad row and nothing
//! is written.
//!
//! Columns: code, name, kind, parent_code, valid_from, valid_to,
//! successor_code. Rows may come in any order; parents may be in the file
//! or already in the database. Re-importing an identical row is a no-op.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::period::parse_date;
use danvan_core::text::fold;
use danvan_core::unit::UnitKind;

use crate::db::Tx;
use crate::units::{self, Unit};
use crate::{Store, StoreError};

pub mod merge;
pub mod national;
pub mod shares;

pub const COLUMNS: [&str; 7] = [
    "code",
    "name",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_code",
];

/// A row of the file, read and checked by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub successor: Option<String>,
}

/// What importing a file would do, decided without writing anything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The units to insert, every parent before its children.
    pub fresh: Vec<Row>,
    /// Rows identical to a unit already stored.
    pub unchanged: usize,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub inserted: usize,
    pub unchanged: usize,
}

fn err(line: usize, field: &str, msg: String) -> DomainError {
    DomainError::new("unit.import", msg)
        .at_field(field)
        .at_line(line)
}

/// The records of a CSV file whose header is exactly `columns` (names
/// folded, a BOM ignored), each with its line. Blank lines are skipped; a
/// wrong header, an unreadable record or a wrong number of cells is an
/// error by line. The unit file and the file of shares share it.
pub(crate) fn csv_records(
    input: impl Read,
    columns: &[&str],
    errors: &mut Vec<DomainError>,
) -> Vec<(usize, csv::StringRecord)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    match rdr.headers() {
        Ok(h) => {
            let got: Vec<String> = h
                .iter()
                .map(|s| fold(s.trim_start_matches('\u{feff}')))
                .collect();
            if got != columns {
                errors.push(
                    DomainError::new(
                        "unit.import.header",
                        format!(
                            "dòng tiêu đề phải là «{}», tệp có «{}»",
                            columns.join(","),
                            h.iter().collect::<Vec<_>>().join(",")
                        ),
                    )
                    .at_line(1),
                );
                return Vec::new();
            }
        }
        Err(e) => {
            errors.push(DomainError::new(
                "unit.import.read",
                format!("không đọc được tệp CSV: {e}"),
            ));
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    for got in crate::record_import::cells::rows(&mut rdr, "unit.import", columns.len()) {
        match got {
            Ok(row) => out.push(row),
            Err(e) => errors.push(e),
        }
    }
    out
}

pub(crate) fn parse_rows(input: impl Read, errors: &mut Vec<DomainError>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (line, rec) in csv_records(input, &COLUMNS, errors) {
        let opt = |i: usize| Some(rec[i].to_string()).filter(|s| !s.is_empty());
        let date = |i: usize, errors: &mut Vec<DomainError>| -> Option<NaiveDate> {
            let s = &rec[i];
            if s.is_empty() {
                return None;
            }
            let d = parse_date(s);
            if d.is_none() {
                errors.push(err(
                    line,
                    COLUMNS[i],
                    format!("ngày «{s}» không hợp lệ; dùng dạng NNNN-TT-NN, ví dụ 2025-06-30"),
                ));
            }
            d
        };
        let before = errors.len();
        let code = rec[0].to_string();
        if code.is_empty() {
            errors.push(err(line, "code", "thiếu mã đơn vị".into()));
        }
        let name = rec[1].to_string();
        if name.is_empty() {
            errors.push(err(line, "name", "thiếu tên đơn vị".into()));
        }
        let kind = UnitKind::parse(&rec[2])
            .map_err(|e| errors.push(err(line, "kind", e.message)))
            .ok();
        let from = date(4, errors);
        let to = date(5, errors);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(err(
                line,
                "valid_to",
                format!(
                    "ngày hết hiệu lực {} trước ngày có hiệu lực {}",
                    t.format("%d/%m/%Y"),
                    f.format("%d/%m/%Y")
                ),
            ));
        }
        if errors.len() == before
            && let Some(kind) = kind
        {
            rows.push(Row {
                line,
                code,
                name,
                kind,
                parent: opt(3),
                from,
                to,
                successor: opt(6),
            });
        }
    }
    rows
}

/// Checks the rows against each other and the database; returns them in an
/// order where every parent comes before its children.
fn check(
    rows: Vec<Row>,
    existing: &HashMap<String, Unit>,
    errors: &mut Vec<DomainError>,
) -> Vec<Row> {
    let by_id: HashMap<i64, &Unit> = existing.values().map(|u| (u.id, u)).collect();
    let code_of = |id: Option<i64>| id.and_then(|i| by_id.get(&i)).map(|u| u.code.clone());
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut fresh: Vec<&Row> = Vec::new();
    for r in &rows {
        if let Some(first) = seen.insert(&r.code, r.line) {
            errors.push(err(
                r.line,
                "code",
                format!("mã đơn vị «{}» trùng với dòng {first}", r.code),
            ));
            continue;
        }
        match existing.get(&r.code) {
            Some(u) => {
                let same = u.name == r.name
                    && u.kind == r.kind
                    && code_of(u.parent_id) == r.parent
                    && u.valid_from == r.from
                    && u.valid_to == r.to
                    && code_of(u.successor_id) == r.successor;
                if !same {
                    errors.push(err(
                        r.line,
                        "code",
                        format!(
                            "mã đơn vị «{}» đã có trong cơ sở dữ liệu ({}) với thông tin khác",
                            r.code,
                            u.full_name()
                        ),
                    ));
                }
            }
            None => fresh.push(r),
        }
    }
    let in_file: HashMap<&str, &Row> = rows.iter().map(|r| (r.code.as_str(), r)).collect();
    // Validity of a unit named by code, from the file or the database.
    let validity = |code: &str| -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        in_file
            .get(code)
            .map(|r| (r.from, r.to))
            .or_else(|| existing.get(code).map(|u| (u.valid_from, u.valid_to)))
    };
    for r in &fresh {
        if let Some(p) = &r.parent {
            match validity(p) {
                None => errors.push(err(
                    r.line,
                    "parent_code",
                    format!(
                        "không tìm thấy đơn vị cấp trên «{p}» (không có trong tệp và cơ sở dữ liệu)"
                    ),
                )),
                Some((pf, pt)) => {
                    let starts_before = matches!((r.from, pf), (_, None))
                        || matches!((r.from, pf), (Some(a), Some(b)) if a >= b);
                    let ends_after = matches!((r.to, pt), (_, None))
                        || matches!((r.to, pt), (Some(a), Some(b)) if a <= b);
                    if !(starts_before && ends_after) {
                        errors.push(err(
                            r.line,
                            "valid_from",
                            format!(
                                "thời gian hiệu lực của «{}» ({}) nằm ngoài thời gian hiệu lực của đơn vị cấp trên «{p}» ({})",
                                r.code,
                                span(r.from, r.to),
                                span(pf, pt)
                            ),
                        ));
                    }
                }
            }
            // A cycle: following parents inside the file comes back here.
            let mut path = vec![r.code.as_str()];
            let mut cur = Some(p.as_str());
            while let Some(c) = cur {
                if c == r.code {
                    path.push(c);
                    errors.push(err(
                        r.line,
                        "parent_code",
                        format!("vòng lặp đơn vị cấp trên: {}", path.join(" → ")),
                    ));
                    break;
                }
                if path.len() > in_file.len() + 1 {
                    break;
                }
                path.push(c);
                cur = in_file.get(c).and_then(|x| x.parent.as_deref());
            }
        }
        if let Some(s) = &r.successor {
            if s == &r.code {
                errors.push(err(
                    r.line,
                    "successor_code",
                    "đơn vị không thể kế thừa chính nó".into(),
                ));
            } else if validity(s).is_none() {
                errors.push(err(
                    r.line,
                    "successor_code",
                    format!("không tìm thấy đơn vị kế thừa «{s}»"),
                ));
            } else if successor_cycle(&r.code, &in_file, existing) {
                errors.push(err(
                    r.line,
                    "successor_code",
                    format!("vòng lặp đơn vị kế thừa bắt đầu từ «{}»", r.code),
                ));
            } else if r.to.is_none() {
                errors.push(err(
                    r.line,
                    "valid_to",
                    "có đơn vị kế thừa nhưng thiếu ngày hết hiệu lực".into(),
                ));
            }
        }
    }
    // Order: parents first (depth in the file's forest).
    let mut depth: HashMap<&str, usize> = HashMap::new();
    fn depth_of<'a>(
        code: &'a str,
        in_file: &HashMap<&'a str, &'a Row>,
        memo: &mut HashMap<&'a str, usize>,
        guard: usize,
    ) -> usize {
        if let Some(d) = memo.get(code) {
            return *d;
        }
        let d = match in_file.get(code).and_then(|r| r.parent.as_deref()) {
            Some(p) if in_file.contains_key(p) && guard > 0 => {
                1 + depth_of(p, in_file, memo, guard - 1)
            }
            _ => 0,
        };
        memo.insert(code, d);
        d
    }
    let mut ordered: Vec<Row> = fresh.into_iter().cloned().collect();
    for r in &rows {
        depth_of(&r.code, &in_file, &mut depth, rows.len());
    }
    ordered.sort_by_key(|r| (depth[r.code.as_str()], r.line));
    ordered
}

/// Whether following successors from `code` comes back to it.
fn successor_cycle(
    code: &str,
    in_file: &HashMap<&str, &Row>,
    existing: &HashMap<String, Unit>,
) -> bool {
    let by_id: HashMap<i64, &str> = existing.values().map(|u| (u.id, u.code.as_str())).collect();
    let next = |c: &str| -> Option<String> {
        match in_file.get(c) {
            Some(r) => r.successor.clone(),
            None => existing
                .get(c)
                .and_then(|u| u.successor_id)
                .and_then(|id| by_id.get(&id).map(|s| s.to_string())),
        }
    };
    let mut cur = next(code);
    for _ in 0..=in_file.len() + existing.len() {
        match cur {
            Some(c) if c == code => return true,
            Some(c) => cur = next(&c),
            None => return false,
        }
    }
    false
}

fn span(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let f = from.map_or("…".to_string(), |d| d.format("%d/%m/%Y").to_string());
    let t = to.map_or("…".to_string(), |d| d.format("%d/%m/%Y").to_string());
    format!("{f} – {t}")
}

/// Read and check a unit file against itself and the units already
/// stored (`existing`): the plan of what to write, or every bad row, by
/// line. Pure: the import runs it before opening a transaction.
pub fn plan(input: impl Read, existing: &[Unit]) -> Result<Plan, Vec<DomainError>> {
    let mut errors = Vec::new();
    let rows = parse_rows(input, &mut errors);
    let existing: HashMap<String, Unit> = existing
        .iter()
        .map(|u| (u.code.clone(), u.clone()))
        .collect();
    let total = rows.len();
    let fresh = check(rows, &existing, &mut errors);
    if !errors.is_empty() {
        errors.sort_by_key(|e| match e.at {
            danvan_core::Where::Line { line } | danvan_core::Where::LineField { line, .. } => line,
            _ => 0,
        });
        return Err(errors);
    }
    let unchanged = total - fresh.len();
    Ok(Plan { fresh, unchanged })
}

/// One import at a time (SQLite's writers already queue), so unit and
/// share ids grow in commit order and the largest ids tell the other
/// processes' cached trees that units were added (`units::tree`). Reads
/// and references to units go on.
pub(crate) async fn lock_units(tx: &mut Tx) -> Result<(), StoreError> {
    if !tx.is_sqlite() {
        crate::db::on_tx!(tx, c => {
            sqlx::query("LOCK TABLE unit, unit_successor IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *c)
                .await?;
        });
    }
    Ok(())
}

/// Import units from CSV. Nothing is written unless every row is good.
pub async fn import_csv(store: &Store, input: impl Read) -> Result<ImportSummary, StoreError> {
    let existing = units::all(store).await?;
    let Plan {
        fresh: ordered,
        unchanged,
    } = plan(input, &existing).map_err(StoreError::InvalidRows)?;
    let mut tx = store.begin().await?;
    lock_units(&mut tx).await?;
    let mut by_code: HashMap<String, Unit> =
        existing.into_iter().map(|u| (u.code.clone(), u)).collect();
    let mut inserted: HashSet<String> = HashSet::new();
    for r in &ordered {
        let parent = r.parent.as_ref().map(|p| by_code[p].clone());
        let u = units::insert_tx(
            &mut tx,
            &r.code,
            &r.name,
            r.kind,
            parent.as_ref(),
            r.from,
            r.to,
        )
        .await?;
        inserted.insert(u.code.clone());
        by_code.insert(u.code.clone(), u);
    }
    for r in &ordered {
        if let Some(s) = &r.successor {
            units::set_successor_tx(&mut tx, by_code[&r.code].id, by_code[s].id).await?;
        }
    }
    tx.commit().await?;
    Ok(ImportSummary {
        inserted: inserted.len(),
        unchanged,
    })
}
