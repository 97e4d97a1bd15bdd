//! Importing a file: parse every row, refuse rows outside the store's
//! subtree, then write all rows in one batch or none.

use std::io::Read;

use chrono::NaiveDate;

use danvan_core::records::dataset::DataValue;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::meeting::Meeting;
use danvan_core::records::model::{Model, ModelYear};
use danvan_core::records::petition::Petition;
use danvan_core::{DomainError, Where};

use super::cells::{Cells, Layout, records_of};
use super::columns::VI_ALIASES;
use super::data::{check_data, parse_data_rows};
use super::{parse_meetings, parse_models, parse_petitions};
use crate::table::{self, Table};
use crate::units::{self, Unit};
use crate::{Store, StoreError, datasets, meetings, models, petitions};

/// A store error about record `i` (1-based position in a batch) re-pointed
/// at its line in the file.
fn at_file_line(e: StoreError, lines: &[usize]) -> StoreError {
    match e {
        // About the whole file, not a line of it.
        StoreError::Invalid(d) if d.code == super::file_ledger::ALREADY_IMPORTED => {
            StoreError::Invalid(d)
        }
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

/// Every unit, to find a row's unit by name or code, and today, to refuse
/// a date in the future.
async fn units_today(store: &Store) -> Result<(Vec<Unit>, NaiveDate), StoreError> {
    Ok((units::all(store).await?, chrono::Local::now().date_naive()))
}

/// Write parsed rows in one batch (all or none) once every row is in the
/// store's subtree; an error about a record of the batch is re-pointed at
/// its line in the file. Returns how many records were written.
async fn write_all<R, T>(
    store: &Store,
    all: &[Unit],
    parsed: Result<Vec<(usize, R)>, Vec<DomainError>>,
    unit_of: impl Fn(&R) -> i64,
    insert: impl AsyncFnOnce(&[R]) -> Result<T, StoreError>,
) -> Result<usize, StoreError> {
    let rows = parsed.map_err(StoreError::InvalidRows)?;
    check_scope(store, all, rows.iter().map(|(l, r)| (*l, unit_of(r))))?;
    let (lines, records): (Vec<usize>, Vec<R>) = rows.into_iter().unzip();
    if records.is_empty() {
        return Ok(0);
    }
    insert(&records)
        .await
        .map_err(|e| at_file_line(e, &lines))?;
    Ok(records.len())
}

/// Import a file of records of `kind` (a kind of the registry with a
/// row-by-row import): all rows or none. Returns how many were written.
/// The one dispatch the command line and the web's import page share.
pub async fn import_kind(
    store: &Store,
    kind: RecordKind,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    // The same file twice is refused, not written twice.
    let (marked, input) = super::file_ledger::marked(store, kind.code(), input);
    let store = &marked;
    match kind {
        RecordKind::Petition => import_petitions(store, input, progress).await,
        RecordKind::Meeting => import_meetings(store, input, progress).await,
        RecordKind::Model => import_models(store, input, progress).await,
        RecordKind::DataValue => import_data(store, input, progress).await,
        // The table kinds (`crate::kinds`); dossiers stream through
        // `dossiers::import`.
        kind => match crate::kinds::import(store, kind, input, progress).await {
            Some(done) => done,
            None => Err(DomainError::new(
                "import.kind",
                format!("«{}» không nhập theo từng dòng được", kind.title()),
            )
            .into()),
        },
    }
}

/// Import a petition file: all rows or none. Returns how many were written.
pub async fn import_petitions(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = units_today(store).await?;
    let parsed = parse_petitions(input, &all, today, progress);
    let insert = async |r: &[Petition]| petitions::insert_many(store, r).await;
    write_all(store, &all, parsed, |r| r.unit_id, insert).await
}

/// A kind whose records come from a file row by row and are written as
/// a [`Table`]: it says only its columns and how one row reads; the file
/// is read, each record validated and every bad row collected once, by
/// [`Import::parse`].
pub trait Import: Table {
    /// Its file's columns, in order (docs/import.md).
    const CSV_COLUMNS: &'static [&'static str];
    /// Vietnamese header names of its own (folded), besides the common ones.
    const ALIASES: &'static [(&'static str, &'static str)] = &[];
    /// The code of its file errors: "mediation.import".
    const ERRORS: &'static str;

    /// One row's record, or `None` with the bad cells noted on `c`.
    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self>;

    /// The records of a file, each with its line, or every bad row.
    fn parse(
        input: impl Read,
        all_units: &[Unit],
        today: NaiveDate,
        progress: impl FnMut(),
    ) -> Result<Vec<(usize, Self)>, Vec<DomainError>> {
        let aliases: Vec<(&str, &str)> = Self::ALIASES.iter().chain(VI_ALIASES).copied().collect();
        let layout = Layout {
            columns: Self::CSV_COLUMNS,
            optional: &[],
            aliases: &aliases,
            code: Self::ERRORS,
        };
        records_of(input, &layout, Self::VALIDATE, progress, |c| {
            Self::row(c, all_units, today)
        })
    }
}

/// Import a file of kind `T`: all rows or none. Returns how many were
/// written.
pub async fn import_rows<T: Import>(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = units_today(store).await?;
    let parsed = T::parse(input, &all, today, progress);
    let insert = async |r: &[T]| table::insert_many(store, r).await;
    write_all(store, &all, parsed, T::unit_id, insert).await
}

/// Import a meeting file: all rows or none. Returns how many meetings were written.
pub async fn import_meetings(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = units_today(store).await?;
    let parsed = parse_meetings(input, &all, today, progress);
    let insert = async |r: &[Meeting]| meetings::insert_many(store, r).await;
    write_all(store, &all, parsed, |r| r.unit_id, insert).await
}

/// Import a model file: all rows or none. Returns how many model-years
/// (rows) were written.
pub async fn import_models(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = units_today(store).await?;
    let parsed = parse_models(input, &all, today, progress).map(|rows| {
        let records = rows.into_iter().map(|(l, m, ys)| {
            let years: Vec<ModelYear> = ys.into_iter().map(|(_, y)| y).collect();
            (l, (m, years))
        });
        records.collect::<Vec<_>>()
    });
    let years = parsed
        .as_ref()
        .map_or(0, |r| r.iter().map(|(_, (_, ys))| ys.len()).sum());
    let insert = async |r: &[(Model, Vec<ModelYear>)]| models::insert_many(store, r).await;
    write_all(store, &all, parsed, |(m, _)| m.unit_id, insert).await?;
    Ok(years)
}

/// Import an aggregate data file: all values or none (a value entered
/// again replaces the old one). Returns how many values were written.
pub async fn import_data(
    store: &Store,
    input: impl Read,
    progress: impl FnMut(),
) -> Result<usize, StoreError> {
    let (all, today) = units_today(store).await?;
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
