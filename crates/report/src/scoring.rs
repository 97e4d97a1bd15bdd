//! Đánh giá, phân loại in the report crate: the figures of a sheet's
//! automatic items for a unit and year, read as `/api/figures` reads them
//! (the catalogue over facts, never records), handed to the store's
//! assessment steps; and the ranked table of a round with last year's
//! results beside it, which the pages, the API and the files
//! ([`crate::scoring_files`]) show.

use std::collections::BTreeMap;

use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_core::scoring::{Figure, ItemKind, Scored, Sheet};
use danvan_store::scoring::assessments::{self, Assessment, Figures as ItemFigures, Status};
use danvan_store::scoring::rounds::{self, Round};
use danvan_store::units;
use danvan_store::{Store, StoreError};
use serde::Serialize;

use crate::Catalogue;
use crate::figures::{Figures, Value};

/// The figures of `sheet`'s automatic items for `unit_id`'s subtree over
/// the calendar `year`: the values `/api/figures?period=YEAR` gives.
pub async fn item_figures(
    store: &Store,
    catalogue: &Catalogue,
    sheet: &Sheet,
    unit_id: i64,
    year: i32,
) -> Result<ItemFigures, StoreError> {
    let unit = units::by_id(store, unit_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {unit_id}")))?;
    let period = Period::parse(&year.to_string(), false)?;
    let f = Figures::compute(store, catalogue, &unit, &period, false).await?;
    let mut out = BTreeMap::new();
    for (_, item) in sheet.items() {
        if let ItemKind::Auto { indicator, .. } = &item.kind {
            let ind = catalogue.indicators.get(indicator).ok_or_else(|| {
                StoreError::from(DomainError::new(
                    "scoring.indicator",
                    format!(
                        "tiêu chí {} dùng chỉ tiêu «{indicator}», không có trong danh mục",
                        item.code
                    ),
                ))
            })?;
            let (num, den) = match f.all.0.get(indicator) {
                Some(Value::Count(n)) => (*n, None),
                Some(Value::Ratio { num, den, .. }) => (*num, Some(*den)),
                None => (0, None),
            };
            out.insert(
                item.code.clone(),
                Figure {
                    indicator: indicator.clone(),
                    label: ind.label.clone(),
                    num,
                    den,
                },
            );
        }
    }
    Ok(out)
}

async fn figures_for(
    store: &Store,
    round: &Round,
    unit_id: i64,
) -> Result<ItemFigures, StoreError> {
    item_figures(
        store,
        Catalogue::shipped(),
        round.sheet()?,
        unit_id,
        round.year,
    )
    .await
}

/// Start a unit's self-assessment, its automatic items filled from facts.
pub async fn start(store: &Store, round_id: i64, unit_id: i64) -> Result<Assessment, StoreError> {
    let round = rounds::get(store, round_id).await?;
    let f = figures_for(store, &round, unit_id).await?;
    assessments::start(store, round_id, unit_id, &f).await
}

/// Save the manual answers, the figures read afresh.
pub async fn save(
    store: &Store,
    id: i64,
    given: &BTreeMap<String, danvan_core::scoring::Answer>,
) -> Result<Assessment, StoreError> {
    let (round, a) = assessments::get(store, id).await?;
    let f = figures_for(store, &round, a.unit_id).await?;
    assessments::save(store, id, given, &f).await
}

/// Submit, with the figures as they are when sent.
pub async fn submit(
    store: &Store,
    id: i64,
    given: Option<&BTreeMap<String, danvan_core::scoring::Answer>>,
) -> Result<Assessment, StoreError> {
    let (round, a) = assessments::get(store, id).await?;
    let f = figures_for(store, &round, a.unit_id).await?;
    assessments::submit(store, id, given, &f).await
}

/// Re-score an approved result on today's figures, with the reason.
pub async fn rescore(store: &Store, id: i64, reason: &str) -> Result<Assessment, StoreError> {
    let (round, a) = assessments::get(store, id).await?;
    let f = figures_for(store, &round, a.unit_id).await?;
    assessments::rescore(store, id, reason, &f).await
}

/// One unit's line of the ranked table.
#[derive(Debug, Clone, Serialize)]
pub struct RankedRow {
    /// 1, 2, … among approved results (ties share a rank); none otherwise.
    pub rank: Option<usize>,
    pub unit_id: i64,
    pub unit: String,
    pub assessment: Option<i64>,
    pub version: Option<i64>,
    pub status: String,
    pub approved: bool,
    /// Points per group, in the sheet's order (hundredths).
    pub groups: Vec<i64>,
    pub deductions: i64,
    pub total: Option<i64>,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
    pub capped: Option<String>,
    /// Last year's approved result of the same unit, if any.
    pub prev_total: Option<i64>,
    pub prev_grade_label: Option<String>,
}

/// A round's ranked table.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub round: Round,
    pub opener: String,
    pub sheet_title: String,
    pub sheet_source: String,
    /// (code, title, max) of each group.
    pub groups: Vec<(String, String, i64)>,
    pub rows: Vec<RankedRow>,
    /// Approved results per grade, best grade first: (label, count).
    pub distribution: Vec<(String, usize)>,
    pub prev_year: Option<i32>,
}

fn result(sheet: &Sheet, a: &Assessment) -> Option<Scored> {
    assessments::result_of(sheet, a).ok()
}

/// The ranked table of a round: approved results by points, then the
/// units still assessing or waiting for review.
pub async fn ranked(store: &Store, round_id: i64) -> Result<Ranked, StoreError> {
    let round = rounds::get(store, round_id).await?;
    let sheet = round.sheet()?;
    let tree = units::tree(store).await?;
    let name = |id: i64| tree.get(id).map(|u| u.full_name()).unwrap_or_default();
    let latest = assessments::latest(store, &round).await?;
    let prev = rounds::previous(store, &round).await?;
    let mut prev_results: BTreeMap<i64, Scored> = BTreeMap::new();
    if let Some(p) = &prev {
        let psheet = p.sheet()?;
        for (u, a) in assessments::latest(store, p).await? {
            if a.status == Status::Approved
                && let Some(r) = result(psheet, &a)
            {
                prev_results.insert(u, r);
            }
        }
    }
    let reviewer = store.permits(round.unit_id);
    let mut rows = Vec::new();
    for &u in &round.targets {
        if !(reviewer || store.permits(u)) {
            continue;
        }
        let a = latest.get(&u);
        let scored = a.and_then(|a| result(sheet, a));
        let approved = a.is_some_and(|a| a.status == Status::Approved);
        let p = prev_results.get(&u);
        rows.push(RankedRow {
            rank: None,
            unit_id: u,
            unit: name(u),
            assessment: a.map(|a| a.id),
            version: a.map(|a| a.version),
            status: a
                .map_or("chưa tự đánh giá", |a| a.status.label())
                .to_string(),
            approved,
            groups: scored.as_ref().map_or_else(
                || vec![0; sheet.groups.len()],
                |s| s.groups.iter().map(|g| g.points).collect(),
            ),
            deductions: scored.as_ref().map_or(0, |s| s.deductions),
            total: scored.as_ref().map(|s| s.total),
            grade: scored
                .as_ref()
                .filter(|_| approved)
                .map(|s| s.grade.clone()),
            grade_label: scored
                .as_ref()
                .filter(|_| approved)
                .map(|s| s.grade_label.clone()),
            capped: scored
                .as_ref()
                .filter(|_| approved)
                .and_then(|s| s.capped.clone()),
            prev_total: p.map(|r| r.total),
            prev_grade_label: p.map(|r| r.grade_label.clone()),
        });
    }
    rows.sort_by(|a, b| {
        b.approved
            .cmp(&a.approved)
            .then(b.total.cmp(&a.total))
            .then(a.unit.cmp(&b.unit))
    });
    let mut last: Option<(i64, usize)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if !r.approved {
            continue;
        }
        let t = r.total.unwrap_or(0);
        let rank = match last {
            Some((lt, lr)) if lt == t => lr,
            _ => i + 1,
        };
        last = Some((t, rank));
        r.rank = Some(rank);
    }
    let distribution = sheet
        .grades
        .iter()
        .map(|g| {
            (
                g.label.clone(),
                rows.iter()
                    .filter(|r| r.grade.as_deref() == Some(&g.code))
                    .count(),
            )
        })
        .collect();
    Ok(Ranked {
        opener: name(round.unit_id),
        sheet_title: sheet.title.clone(),
        sheet_source: sheet.source.clone(),
        groups: sheet
            .groups
            .iter()
            .map(|g| (g.code.clone(), g.title.clone(), g.max))
            .collect(),
        rows,
        distribution,
        prev_year: prev.map(|p| p.year),
        round,
    })
}

/// A unit's results in the rounds of `year` (on `sheet`, if named) for
/// `unit_id` and the units below it: what `GET /api/scores` answers.
#[derive(Debug, Clone, Serialize)]
pub struct UnitScore {
    pub round: i64,
    pub year: i32,
    pub sheet: String,
    pub sheet_version: i64,
    pub trial: bool,
    pub unit_id: i64,
    pub unit: String,
    pub version: i64,
    pub status: Status,
    pub approved: bool,
    pub total: i64,
    pub groups: Vec<danvan_core::scoring::eval::GroupScore>,
    pub deductions: i64,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
    pub capped: Option<String>,
}

pub async fn scores(
    store: &Store,
    unit_id: i64,
    year: i32,
    sheet: Option<&str>,
) -> Result<Vec<UnitScore>, StoreError> {
    if !store.permits(unit_id) {
        return Err(StoreError::NotFound(format!("đơn vị mã số {unit_id}")));
    }
    let tree = units::tree(store).await?;
    let subtree = tree
        .subtree(unit_id)
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {unit_id}")))?;
    let mut out = Vec::new();
    for round in rounds::of_year(store, year).await? {
        if sheet.is_some_and(|s| s != round.sheet) {
            continue;
        }
        let sh = round.sheet()?;
        for (u, a) in assessments::latest(store, &round).await? {
            if !subtree.contains(u) {
                continue;
            }
            let Some(s) = result(sh, &a) else { continue };
            let approved = a.status == Status::Approved;
            out.push(UnitScore {
                round: round.id,
                year: round.year,
                sheet: round.sheet.clone(),
                sheet_version: round.sheet_version,
                trial: round.trial,
                unit_id: u,
                unit: tree.get(u).map(|x| x.full_name()).unwrap_or_default(),
                version: a.version,
                status: a.status,
                approved,
                total: s.total,
                groups: s.groups,
                deductions: s.deductions,
                grade: approved.then_some(s.grade),
                grade_label: approved.then_some(s.grade_label),
                capped: if approved { s.capped } else { None },
            });
        }
    }
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.unit.cmp(&b.unit)));
    Ok(out)
}
