//! Bulk import of a one-stop export, a million rows in seconds, in three
//! overlapping stages: a parser thread reads the file and checks each row
//! in memory against the unit tree and the codes already met (a
//! [`Checker`]); the importer compares with stored rows, sums the facts in
//! memory per unit, half-month and kind, and builds large multi-row
//! upserts keyed by the dossier code; the database executes them, all in
//! one transaction.
//!
//! Re-importing rows already stored changes nothing; a row whose dates
//! moved on (resolved since the last export) replaces the stored one and
//! its facts are corrected. By default one bad row and nothing is written
//! (every bad row is reported with its line); with `skip_invalid` the good
//! rows are written and the bad ones reported. A row of a unit outside the
//! store's subtree, or one that would replace such a unit's dossier, is a
//! bad row. The import is logged as one entry with its counts: a log row
//! per dossier would halve the import's speed.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::Contribution;
use danvan_core::records::dossier::{Dossier, DossierFact};
use sqlx::QueryBuilder;

pub use super::parse::parse_csv;
use super::{COLUMNS, Row, from_row};
use crate::audit::{self, Action, Change};
use crate::db::{Subtree, Tx, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::fast_hash::FxMap;
use crate::pg_copy::BinaryRows;
use crate::sqlite_bulk::Statement;
use crate::{Store, StoreError, units};

/// Rows per multi-row statement: under SQLite's 32,766 bound parameters.
const STATEMENT_ROWS: usize = 2_500;
/// Columns of one upserted row.
const UPSERT_COLUMNS: usize = 11;
/// What an upsert changes when the code is already stored.
const UPSERT_SET: &str = "ON CONFLICT (code) DO UPDATE SET province_id = excluded.province_id, \
     unit_id = excluded.unit_id, procedure_code = excluded.procedure_code, \
     channel = excluded.channel, inter_agency = excluded.inter_agency, \
     received_on = excluded.received_on, due_on = excluded.due_on, \
     resolved_on = excluded.resolved_on, returned_on = excluded.returned_on, \
     withdrawn_on = excluded.withdrawn_on";
/// Bytes of binary `COPY` data sent at a time.
const COPY_SEND_BYTES: usize = 4 << 20;
/// Rows parsed per chunk handed from the parser to the writer.
pub const CHUNK_ROWS: usize = 20_000;
/// Errors kept for the report; the rest are only counted.
const MAX_REPORTED: usize = 10_000;

/// How to treat bad rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Write the good rows and report the bad ones, instead of writing
    /// nothing when any row is bad.
    pub skip_invalid: bool,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Data rows read (header excluded).
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Further rows of an inter-agency dossier already counted at the
    /// unit that received it (the first row of its code).
    pub inter_agency_merged: usize,
    /// Bad rows, each with its line and a Vietnamese reason.
    pub rejected: Vec<DomainError>,
    /// Bad rows beyond those listed.
    pub rejected_unlisted: usize,
}

impl ImportSummary {
    pub fn rejected_count(&self) -> usize {
        self.rejected.len() + self.rejected_unlisted
    }
}

/// One parsed row: its line, its unit's code and the dossier, or the reason
/// it was refused.
pub type ParsedRow = Result<(usize, String, Dossier), DomainError>;

/// A chunk of rows after checking: the good ones with their province.
#[derive(Debug, Default)]
pub struct Checked {
    rows: usize,
    good: Vec<(i64, Dossier)>,
    /// The good rows' lines, kept only for a store limited to a subtree.
    lines: Vec<u32>,
    rejected: Vec<DomainError>,
    merged: usize,
    /// Procedures first met (or first named) in this chunk.
    procedures: Vec<(String, String)>,
}

impl Checked {
    /// In code order, so the rows go into the table's key near each other
    /// (the file interleaves its units' series of codes).
    fn sort_by_code(&mut self) {
        if self.lines.is_empty() {
            self.good.sort_unstable_by(|a, b| a.1.code.cmp(&b.1.code));
            return;
        }
        let mut both: Vec<_> = std::mem::take(&mut self.good)
            .into_iter()
            .zip(std::mem::take(&mut self.lines))
            .collect();
        both.sort_unstable_by(|a, b| a.0.1.code.cmp(&b.0.1.code));
        (self.good, self.lines) = both.into_iter().unzip();
    }

    /// Rows checked.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The good rows: each dossier with its province.
    pub fn good(&self) -> &[(i64, Dossier)] {
        &self.good
    }

    /// The bad rows, each with its line and reason.
    pub fn rejected(&self) -> &[DomainError] {
        &self.rejected
    }

    /// Further rows of an inter-agency dossier already met.
    pub fn merged(&self) -> usize {
        self.merged
    }
}

/// Checks rows against the unit tree (loaded whole, in memory) and the
/// codes met earlier in the file. Pure and `Send`: it runs on the parser's
/// thread.
pub struct Checker {
    unit_ids: FxMap<String, i64>,
    cache: UnitCache,
    /// Codes met in this file, the line of their first row, inter-agency.
    seen: FxMap<Box<str>, (u32, bool)>,
    procedures: FxMap<String, bool>,
    /// The good rows' facts so far, summed as if all were new: summed
    /// here, on the parser's thread, and handed to the importer once.
    facts: FxMap<AggKey, i64>,
    scratch: Vec<(NaiveDate, DossierFact, i64)>,
    today: NaiveDate,
    scope: Option<Arc<Subtree>>,
}

impl Checker {
    fn new(all: &[units::Unit], scope: Option<Arc<Subtree>>) -> Checker {
        Checker {
            scope,
            ..Checker::on(all, chrono::Local::now().date_naive())
        }
    }

    /// A checker of rows read on `today` against the units `all`, for an
    /// account that may import anywhere: the import's checks, without the
    /// database.
    pub fn on(all: &[units::Unit], today: NaiveDate) -> Checker {
        Checker {
            scope: None,
            unit_ids: all.iter().map(|u| (u.code.clone(), u.id)).collect(),
            cache: UnitCache::from_units(all),
            seen: FxMap::default(),
            procedures: FxMap::default(),
            facts: FxMap::default(),
            scratch: Vec::with_capacity(16),
            today,
        }
    }

    /// Key the procedure by its code (by its name when the export has no
    /// code) and note it when new or newly named.
    fn procedure(&mut self, d: &mut Dossier, out: &mut Vec<(String, String)>) {
        if d.procedure_code.is_empty() {
            d.procedure_code.clone_from(&d.procedure_name);
        }
        let named = !d.procedure_name.is_empty();
        match self.procedures.get_mut(d.procedure_code.as_str()) {
            Some(had_name) if *had_name || !named => {}
            Some(had_name) => {
                *had_name = true;
                out.push((d.procedure_code.clone(), d.procedure_name.clone()));
            }
            None => {
                self.procedures.insert(d.procedure_code.clone(), named);
                out.push((d.procedure_code.clone(), d.procedure_name.clone()));
            }
        }
    }

    /// Place a row on the unit tree; returns its province.
    fn place(&self, line: usize, unit: &str, d: &mut Dossier) -> Result<i64, DomainError> {
        let bad = |code, msg: String, field: &str| {
            DomainError::new(code, msg).at_field(field).at_line(line)
        };
        let Some(&id) = self.unit_ids.get(unit) else {
            return Err(bad(
                "dossier.unknown_unit",
                format!("không tìm thấy đơn vị mã «{unit}»"),
                "ma_don_vi",
            ));
        };
        d.unit_id = id;
        if let Some(s) = &self.scope
            && !s.contains(id)
        {
            return Err(out_of_scope(s, unit, line));
        }
        if d.received_on > self.today {
            return Err(bad(
                "dossier.future_date",
                format!(
                    "ngày tiếp nhận {} ở tương lai",
                    d.received_on.format("%d/%m/%Y")
                ),
                "ngay_tiep_nhan",
            ));
        }
        let u = self.cache.get(id).expect("every unit is loaded");
        if let Some(f) = u.valid_from
            && d.received_on < f
        {
            return Err(bad(
                "dossier.before_unit",
                format!(
                    "{} chỉ có từ ngày {}, không thể tiếp nhận hồ sơ ngày {}",
                    u.full_name(),
                    f.format("%d/%m/%Y"),
                    d.received_on.format("%d/%m/%Y")
                ),
                "ngay_tiep_nhan",
            ));
        }
        Ok(u.province_id)
    }

    /// Check a chunk of parsed rows.
    pub fn check(&mut self, rows: Vec<ParsedRow>) -> Checked {
        let mut out = Checked {
            rows: rows.len(),
            good: Vec::with_capacity(rows.len()),
            ..Checked::default()
        };
        for r in rows {
            let (line, unit, mut d) = match r {
                Ok(x) => x,
                Err(e) => {
                    out.rejected.push(e);
                    continue;
                }
            };
            let province = match self.place(line, &unit, &mut d) {
                Ok(p) => p,
                Err(e) => {
                    out.rejected.push(e);
                    continue;
                }
            };
            if let Some(&(first, inter)) = self.seen.get(d.code.as_str()) {
                if inter && d.inter_agency {
                    out.merged += 1;
                } else {
                    out.rejected.push(
                        DomainError::new(
                            "dossier.duplicate",
                            format!("mã hồ sơ «{}» trùng với dòng {first}", d.code),
                        )
                        .at_field("ma_ho_so")
                        .at_line(line),
                    );
                }
                continue;
            }
            self.seen
                .insert(d.code.as_str().into(), (line as u32, d.inter_agency));
            self.procedure(&mut d, &mut out.procedures);
            // Named once in the procedure list; the row needs only its code.
            d.procedure_name = String::new();
            add_facts(&self.cache, &mut self.scratch, &mut self.facts, &d, 1);
            if self.scope.is_some() {
                out.lines.push(line as u32);
            }
            out.good.push((province, d));
        }
        out.sort_by_code();
        out
    }
}

/// A row of a unit outside the store's subtree.
fn out_of_scope(s: &Subtree, unit: &str, line: usize) -> DomainError {
    DomainError::new(
        "dossier.out_of_scope",
        format!(
            "đơn vị mã «{unit}» không thuộc {} hay đơn vị trực thuộc: tài khoản không được nhập hồ sơ của đơn vị này",
            s.root_name
        ),
    )
    .at_field("ma_don_vi")
    .at_line(line)
}

/// Facts are summed per unit, half-month and kind: half-months are the
/// finest grain the fact store keeps, so nothing is lost.
type AggKey = (i64, NaiveDate, DossierFact);

fn half_month_start(d: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    d.with_day(if d.day() < 15 { 1 } else { 15 })
        .expect("valid day")
}

/// Add `sign ×` a dossier's facts to `facts`, at the unit answering on
/// each fact's date.
fn add_facts(
    cache: &UnitCache,
    scratch: &mut Vec<(NaiveDate, DossierFact, i64)>,
    facts: &mut FxMap<AggKey, i64>,
    d: &Dossier,
    sign: i64,
) {
    scratch.clear();
    d.facts(scratch);
    // Only a unit that ended (merged) may answer through another.
    let ended = cache.get(d.unit_id).is_some_and(|u| u.valid_to.is_some());
    for &(date, f, v) in scratch.iter() {
        let at = if ended {
            cache.resolved_in_memory(d.unit_id, date)
        } else {
            d.unit_id
        };
        *facts.entry((at, half_month_start(date), f)).or_insert(0) += sign * v;
    }
}

/// An import in progress, holding its write transaction.
pub struct Importer {
    tx: Tx,
    store: Store,
    opts: ImportOptions,
    checker: Option<Checker>,
    cache: UnitCache,
    /// The table was empty when the import began: no stored row to compare.
    fresh: bool,
    /// PostgreSQL's staging table for `COPY` exists in this transaction.
    staging: bool,
    /// PostgreSQL's key of the empty dossier table was dropped for the
    /// load, to be built again, once, before the commit.
    key_dropped: bool,
    procedures: FxMap<String, String>,
    facts: FxMap<AggKey, i64>,
    scratch: Vec<(NaiveDate, DossierFact, i64)>,
    summary: ImportSummary,
}

impl Importer {
    pub async fn begin(store: &Store, opts: ImportOptions) -> Result<Importer, StoreError> {
        let all = units::all(store).await?;
        let mut tx = store.begin().await?;
        if let crate::db::TxConn::Postgres(c) = &mut tx.conn {
            // One import of dossiers at a time, so that an empty table
            // stays empty until this one writes; readers are not held up.
            sqlx::query("LOCK TABLE dossier IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut **c)
                .await?;
        }
        let any: Option<String> = on_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT code FROM dossier LIMIT 1").fetch_optional(&mut *c).await?
        });
        Ok(Importer {
            tx,
            store: store.clone(),
            opts,
            checker: Some(Checker::new(&all, store.scope.clone())),
            cache: UnitCache::from_units(&all),
            fresh: any.is_none(),
            staging: false,
            key_dropped: false,
            procedures: FxMap::default(),
            facts: FxMap::default(),
            scratch: Vec::with_capacity(16),
            summary: ImportSummary::default(),
        })
    }

    /// The row checker, to run on another thread; [`Importer::push`] may
    /// not be used afterwards, only [`Importer::write`], and the checker
    /// comes back with [`Importer::give_back`] before [`Importer::finish`].
    pub fn take_checker(&mut self) -> Option<Checker> {
        self.checker.take()
    }

    /// The checker, done with its rows: their summed facts are the
    /// import's.
    pub fn give_back(&mut self, checker: Checker) {
        self.checker = Some(checker);
    }

    fn reject(&mut self, e: DomainError) {
        if self.summary.rejected.len() < MAX_REPORTED {
            self.summary.rejected.push(e);
        } else {
            self.summary.rejected_unlisted += 1;
        }
    }

    /// Whether anything may still be written.
    fn writing(&self) -> bool {
        self.opts.skip_invalid || self.summary.rejected_count() == 0
    }

    /// Check and write a chunk of parsed rows.
    pub async fn push(&mut self, rows: Vec<ParsedRow>) -> Result<(), StoreError> {
        let checker = self.checker.as_mut().expect("checker not taken");
        let checked = checker.check(rows);
        self.write(checked).await
    }

    /// Write a checked chunk: compare with stored rows, sum facts, upsert.
    pub async fn write(&mut self, c: Checked) -> Result<(), StoreError> {
        self.summary.rows += c.rows;
        self.summary.inter_agency_merged += c.merged;
        for e in c.rejected {
            self.reject(e);
        }
        if !self.writing() || c.good.is_empty() {
            return Ok(());
        }
        for (code, name) in c.procedures {
            let slot = self.procedures.entry(code).or_default();
            if slot.is_empty() {
                *slot = name;
            }
        }
        if self.fresh {
            self.summary.inserted += c.good.len();
            return self.upsert(&c.good).await;
        }
        // The chunk's facts counted every row as new: take back those of
        // unchanged rows, and the old facts of changed ones.
        let stored = self.stored(&c.good).await?;
        let mut write: Vec<(i64, Dossier)> = Vec::with_capacity(c.good.len());
        for (i, (p, d)) in c.good.into_iter().enumerate() {
            match stored.get(&d.code) {
                Some(old) if !self.store.permits(old.unit_id) => {
                    // Another subtree's dossier: the row may not replace it.
                    // A code is the key of the whole country's table, so
                    // the clash itself can not be hidden; its words name
                    // no unit and do not say that the other is out of reach.
                    add_facts(&self.cache, &mut self.scratch, &mut self.facts, &d, -1);
                    let line = c.lines.get(i).map_or(0, |&l| l as usize);
                    self.reject(
                        DomainError::new(
                            "dossier.code_taken",
                            format!(
                                "mã hồ sơ «{}» đã được dùng cho một hồ sơ khác; mỗi mã hồ sơ \
                                 chỉ dùng cho một hồ sơ trên cả nước, kiểm tra lại mã trong tệp",
                                d.code
                            ),
                        )
                        .at_field("ma_ho_so")
                        .at_line(line),
                    );
                }
                Some(old) if same(old, &d) => {
                    add_facts(&self.cache, &mut self.scratch, &mut self.facts, &d, -1);
                    self.summary.unchanged += 1;
                }
                Some(old) => {
                    add_facts(&self.cache, &mut self.scratch, &mut self.facts, old, -1);
                    self.summary.updated += 1;
                    write.push((p, d));
                }
                None => {
                    self.summary.inserted += 1;
                    write.push((p, d));
                }
            }
        }
        self.upsert(&write).await
    }

    /// The stored versions of the chunk's dossiers, by code.
    async fn stored(
        &mut self,
        rows: &[(i64, Dossier)],
    ) -> Result<HashMap<String, Dossier>, StoreError> {
        let mut out = HashMap::new();
        for chunk in rows.chunks(STATEMENT_ROWS * 4) {
            let got: Vec<Row> = on_tx!(&mut self.tx, c => {
                let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS} FROM dossier WHERE code IN ("));
                let mut sep = qb.separated(", ");
                for (_, d) in chunk {
                    sep.push_bind(d.code.as_str());
                }
                qb.push(")");
                qb.build_query_as().fetch_all(&mut *c).await?
            });
            for r in got {
                let d = from_row(r)?;
                out.insert(d.code.clone(), d);
            }
        }
        Ok(out)
    }

    /// Upsert rows: on PostgreSQL by binary `COPY` (straight into the
    /// table when it was empty, otherwise through a staging table that one
    /// `INSERT … ON CONFLICT` then merges); on SQLite by one prepared
    /// statement stepped per row on the connection's own handle.
    async fn upsert(&mut self, rows: &[(i64, Dossier)]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        match &mut self.tx.conn {
            crate::db::TxConn::Postgres(c) => {
                if self.fresh {
                    // Building the key once from all rows is several times
                    // faster than growing it row by row. The table is
                    // empty, and locked until the commit.
                    if !self.key_dropped {
                        sqlx::query("ALTER TABLE dossier DROP CONSTRAINT dossier_pkey")
                            .execute(&mut **c)
                            .await?;
                        self.key_dropped = true;
                    }
                    return copy_rows(c, "dossier", rows).await;
                }
                if !self.staging {
                    sqlx::query(
                        "CREATE TEMPORARY TABLE dossier_load \
                         (LIKE dossier INCLUDING DEFAULTS) ON COMMIT DROP",
                    )
                    .execute(&mut **c)
                    .await?;
                    self.staging = true;
                }
                copy_rows(c, "dossier_load", rows).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO dossier (province_id, {COLUMNS}) \
                     SELECT province_id, {COLUMNS} FROM dossier_load {UPSERT_SET}"
                )))
                .execute(&mut **c)
                .await?;
                sqlx::query("TRUNCATE dossier_load")
                    .execute(&mut **c)
                    .await?;
                Ok(())
            }
            crate::db::TxConn::Sqlite(c) => {
                // A table empty at the start holds only this file's rows,
                // whose codes the checker made unique: a plain insert,
                // without the upsert's second look-up.
                let sql = format!(
                    "INSERT INTO dossier (province_id, {COLUMNS}) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) {}",
                    if self.fresh { "" } else { UPSERT_SET }
                );
                let mut handle = c.lock_handle().await?;
                let mut st = Statement::prepare(&mut handle, &sql)?;
                for (p, d) in rows {
                    st.int(1, *p)?;
                    st.text(2, &d.code)?;
                    st.int(3, d.unit_id)?;
                    st.text(4, &d.procedure_code)?;
                    st.text(5, d.channel.code())?;
                    st.int(6, i64::from(d.inter_agency))?;
                    st.date(7, Some(d.received_on))?;
                    st.date(8, Some(d.due_on))?;
                    st.date(9, d.resolved_on)?;
                    st.date(10, d.returned_on)?;
                    st.date(11, d.withdrawn_on)?;
                    st.step()?;
                }
                Ok(())
            }
        }
    }

    /// Write the procedures and facts and commit; or, when a row was bad
    /// and bad rows are not skipped, write nothing and list them.
    pub async fn finish(mut self) -> Result<ImportSummary, StoreError> {
        if !self.writing() {
            self.summary.rejected.sort_by_key(line_of);
            return Err(StoreError::InvalidRows(self.summary.rejected));
        }
        if self.key_dropped {
            on_tx!(&mut self.tx, c => {
                sqlx::query("ALTER TABLE dossier ADD CONSTRAINT dossier_pkey PRIMARY KEY (code)")
                    .execute(&mut *c)
                    .await?;
            });
        }
        let mut procs: Vec<(String, String)> = self.procedures.drain().collect();
        procs.sort();
        for chunk in procs.chunks(STATEMENT_ROWS) {
            on_tx!(&mut self.tx, c => {
                let mut qb = QueryBuilder::new("INSERT INTO onestop_procedure (code, name) ");
                qb.push_values(chunk, |mut b, (code, name)| {
                    b.push_bind(code.as_str()).push_bind(name.as_str());
                });
                qb.push(" ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE excluded.name <> ''");
                qb.build().execute(&mut *c).await?;
            });
        }
        // The checker summed every good row as new; `self.facts` holds the
        // corrections for rows already stored.
        if let Some(checker) = self.checker.take() {
            for (k, v) in checker.facts {
                *self.facts.entry(k).or_insert(0) += v;
            }
        }
        let contributions: Vec<Contribution> = self
            .facts
            .drain()
            .filter(|(_, v)| *v != 0)
            .map(|((unit_id, date, f), value)| Contribution {
                unit_id,
                date,
                key: f.key(),
                breakdown: f.breakdown().to_string(),
                value,
            })
            .collect();
        let mut delta = FactDelta::new();
        delta
            .add(&mut self.tx, &mut self.cache, &contributions, 1)
            .await?;
        delta.apply(&mut self.tx).await?;
        let s = &self.summary;
        let mut change =
            Change::new(Action::Import, "dossier", "import").after(&serde_json::json!({
                "rows": s.rows,
                "inserted": s.inserted,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "inter_agency_merged": s.inter_agency_merged,
                "rejected": s.rejected_count(),
            }));
        if let Some(sc) = self.store.scope() {
            change = change.unit(sc.root);
        }
        audit::log(&mut self.tx, &self.store, change).await?;
        self.tx.commit().await?;
        self.summary.rejected.sort_by_key(line_of);
        Ok(self.summary)
    }
}

/// Send rows to `table` (the dossier table or its staging twin) by binary
/// `COPY`, in pieces of a few megabytes.
async fn copy_rows(
    c: &mut sqlx::PgConnection,
    table: &str,
    rows: &[(i64, Dossier)],
) -> Result<(), StoreError> {
    let mut copy = c
        .copy_in_raw(&format!(
            "COPY {table} (province_id, {COLUMNS}) FROM STDIN (FORMAT binary)"
        ))
        .await?;
    let mut out = BinaryRows::new();
    for (p, d) in rows {
        out.row(UPSERT_COLUMNS as i16);
        out.int8(*p);
        out.text(&d.code)?;
        out.int8(d.unit_id);
        out.text(&d.procedure_code)?;
        out.text(d.channel.code())?;
        out.bool(d.inter_agency);
        out.date(d.received_on);
        out.date(d.due_on);
        out.opt_date(d.resolved_on);
        out.opt_date(d.returned_on);
        out.opt_date(d.withdrawn_on);
        if out.len() >= COPY_SEND_BYTES {
            copy.send(out.take()).await?;
        }
    }
    copy.send(out.finish()).await?;
    copy.finish().await?;
    Ok(())
}

fn line_of(e: &DomainError) -> usize {
    match e.at {
        danvan_core::Where::Line { line } | danvan_core::Where::LineField { line, .. } => line,
        _ => 0,
    }
}

/// Equal as stored (the procedure name lives in its own table).
fn same(a: &Dossier, b: &Dossier) -> bool {
    a.unit_id == b.unit_id
        && a.procedure_code == b.procedure_code
        && a.channel == b.channel
        && a.inter_agency == b.inter_agency
        && a.received_on == b.received_on
        && a.due_on == b.due_on
        && a.resolved_on == b.resolved_on
        && a.returned_on == b.returned_on
        && a.withdrawn_on == b.withdrawn_on
}

/// Import a UTF-8 CSV export: parsed and checked on its own thread while
/// the previous chunk is written. `progress` is told the rows done so far.
pub async fn import_csv(
    store: &Store,
    input: impl Read + Send + 'static,
    opts: ImportOptions,
    mut progress: impl FnMut(usize),
) -> Result<ImportSummary, StoreError> {
    let mut imp = Importer::begin(store, opts).await?;
    let mut checker = imp.take_checker().expect("fresh importer");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Checked>(2);
    let parser = std::thread::spawn(move || {
        parse_csv(input, |c| tx.blocking_send(checker.check(c)).is_ok()).map(|()| checker)
    });
    let mut done = 0;
    while let Some(chunk) = rx.recv().await {
        done += chunk.rows;
        imp.write(chunk).await?;
        progress(done);
    }
    let checker = parser
        .join()
        .map_err(|_| DomainError::new("dossier.parser", "bộ đọc tệp dừng bất thường"))??;
    imp.give_back(checker);
    imp.finish().await
}
