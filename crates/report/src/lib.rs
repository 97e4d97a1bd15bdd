//! Reports: indicators computed from facts, validation rules, and
//! Vietnamese prose from templates, for any unit subtree and period.
//!
//! **Architecture invariant:** every figure comes from an indicator of the
//! catalogue, read from facts; templates only format and arrange them.

pub mod annex;
pub mod catalogue;
pub mod chain;
pub mod chart;
pub mod custom;
pub mod dashboard;
pub mod dashboard_cache;
pub mod docx;
pub mod expr;
pub mod figures;
pub mod inspection_forms;
pub mod issuer;
pub mod layout;
pub mod notices;
pub mod outliers;
pub mod pdf;
pub mod profile;
pub mod prose;
pub mod reorganised;
pub mod sample;
pub mod scoring;
pub mod scoring_files;
pub mod trace;
pub mod xlsx;

use std::collections::BTreeMap;

use chrono::Datelike;

use danvan_core::DomainError;
use danvan_core::number;
use danvan_core::period::{DateRange, Period, PeriodKind};
use danvan_core::records::dossier::rate::{DossierFigures, OnTimeFormula};
use danvan_core::unit::UnitKind;
use danvan_store::dossiers;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError};
use serde::Serialize;

pub use catalogue::Catalogue;
pub use figures::{Figures, Violation};

/// What to report on.
pub struct Request<'a> {
    pub unit: &'a Unit,
    pub period: Period,
    /// Template name; `None` picks one from the unit and the period.
    pub template: Option<String>,
    /// A user's own template source (copied and edited), by name.
    pub custom_template: Option<(String, String)>,
    /// Qualitative sections the user wrote (ưu điểm, hạn chế…).
    pub sections: BTreeMap<String, String>,
    /// Add the comparison with the same period of the previous year where a
    /// template offers it ("so với cùng kỳ"); Party reports always compare.
    pub compare: bool,
    /// The code of the body issuing the report (`ubnd`, `bdv`…); `None`
    /// takes the template's usual one.
    pub issuer: Option<String>,
    /// The report's number ("15" takes the body's symbol).
    pub number: String,
    /// The document the report answers, for its opening line ("Công văn số
    /// 1027-CV/BDVTU ngày 26/5/2020 của Ban Dân vận Tỉnh ủy…").
    pub cites: Option<String>,
}

impl<'a> Request<'a> {
    /// The report of a unit for a period, with the template picked for
    /// them, no written sections and no comparison.
    pub fn new(unit: &'a Unit, period: Period) -> Request<'a> {
        Request {
            unit,
            period,
            template: None,
            custom_template: None,
            sections: BTreeMap::new(),
            compare: false,
            issuer: None,
            number: String::new(),
            cites: None,
        }
    }

    /// Issued by the unit's body `code` (`None` keeps the usual one).
    pub fn issuer(mut self, code: Option<&str>) -> Request<'a> {
        self.issuer = code
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from);
        self
    }

    /// With the report's number.
    pub fn number(mut self, number: &str) -> Request<'a> {
        self.number = number.trim().to_string();
        self
    }

    /// Answering the document `cites` (blank: none).
    pub fn cites(mut self, cites: Option<&str>) -> Request<'a> {
        self.cites = cites
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|c| !c.is_empty());
        self
    }

    /// With a named template (`None` keeps the picked one).
    pub fn template(mut self, name: Option<&str>) -> Request<'a> {
        self.template = name.map(String::from);
        self
    }

    /// With the sections a user wrote.
    pub fn sections(mut self, sections: BTreeMap<String, String>) -> Request<'a> {
        self.sections = sections;
        self
    }

    /// With or without the comparison with the same period a year before.
    pub fn compare(mut self, compare: bool) -> Request<'a> {
        self.compare = compare;
        self
    }
}

/// A produced report: its text, the figures behind it, and the failed
/// validation rules.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub template: String,
    pub text: String,
    pub figures: Figures,
    /// The units directly below, as of the end of the period (annex rows).
    pub below_ids: Vec<i64>,
    #[serde(skip)]
    pub period: Option<Period>,
    /// The body the report is issued by, and its number.
    pub issuer: danvan_core::issuer::IssuingBody,
    pub number: String,
}

/// The template a report uses by default: a multi-year review for ranges of
/// years, the Party committee's report for a province, otherwise the
/// six-month report of seed 000.
pub fn default_template(unit: &Unit, period: &Period) -> &'static str {
    match period.kind {
        PeriodKind::Years { from, to } if to > from => "so-ket-nhieu-nam",
        _ if unit.is_country() => "bao-cao-6-thang",
        _ if unit.depth == 0 => "bao-cao-tinh-uy",
        _ => "bao-cao-6-thang",
    }
}

/// "UBND huyện" — the People's Committee of the unit; the Government for
/// the whole country.
fn body(kind: UnitKind) -> String {
    match kind {
        UnitKind::Country => "Chính phủ".to_string(),
        _ => format!("UBND {}", kind.label()),
    }
}

/// Counts of units by kind, most frequent kind first: "09 huyện, 01 thành phố".
fn breakdown(units: &[&Unit]) -> (String, String) {
    let mut counts: Vec<(UnitKind, usize)> = Vec::new();
    for u in units {
        match counts.iter_mut().find(|(k, _)| *k == u.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((u.kind, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let label = format!(
        "các {}",
        counts
            .iter()
            .map(|(k, _)| k.label())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let list = counts
        .iter()
        .map(|(k, n)| format!("{} {}", number::padded(*n as i64), k.label()))
        .collect::<Vec<_>>()
        .join(", ");
    (label, list)
}

/// The one-stop on-time rate ("98,1%") of the subtree, of the unit's own
/// desk and of the units below together, by the formula the province set
/// (the dashboard uses the same), so a report and the dashboard agree. The
/// country has no single province: the default formula.
/// Also the rate of each level's own desks (`levels`, nearest first).
async fn on_time(
    store: &Store,
    unit: &Unit,
    levels: &[Vec<&Unit>],
    range: DateRange,
) -> Result<serde_json::Value, StoreError> {
    let formula = if unit.is_country() {
        OnTimeFormula::default()
    } else {
        dossiers::formula(store, unit.province_id).await?
    };
    let all = dossiers::figures(store, Scope::of(unit), range).await?;
    // The subtrees of each level together; a level's own desks are its
    // subtrees minus the next level's.
    let mut subtrees = Vec::with_capacity(levels.len() + 1);
    for level in levels {
        subtrees.push(level_dossiers(store, level, range).await?);
    }
    subtrees.push(DossierFigures::default());
    let below = subtrees[0];
    let own = all - below;
    let rate = |f: &DossierFigures| {
        f.on_time_rate(formula, ON_TIME_DECIMALS)
            .map(|v| format!("{}%", number::decimal(v, ON_TIME_DECIMALS)))
    };
    let per_level: Vec<Option<String>> =
        subtrees.windows(2).map(|w| rate(&(w[0] - w[1]))).collect();
    Ok(serde_json::json!({
        "all": rate(&all),
        "own": rate(&own),
        "below": rate(&below),
        "levels": per_level,
        "formula": formula.label(),
    }))
}

/// The one-stop table of the subtrees of `units` together, in one batch
/// of fact reads (a country's level of communes is thousands of units).
async fn level_dossiers(
    store: &Store,
    units: &[&Unit],
    range: DateRange,
) -> Result<DossierFigures, StoreError> {
    let pending = [danvan_core::records::dossier::keys::PENDING];
    let up_to_end = DateRange::up_to(range.end);
    let up_to_eve = DateRange::up_to(range.start - chrono::Days::new(1));
    let mut reads = Vec::with_capacity(units.len() * 3);
    for u in units {
        let scope = Scope::of(u);
        reads.push(facts::Read {
            scope,
            keys: &dossiers::FLOW_KEYS,
            range,
            detail: Detail::Breakdowns,
        });
        reads.push(facts::Read {
            scope,
            keys: &pending,
            range: up_to_end,
            detail: Detail::Breakdowns,
        });
        reads.push(facts::Read {
            scope,
            keys: &pending,
            range: up_to_eve,
            detail: Detail::Totals,
        });
    }
    let sums = facts::read_summed(store, &reads, 3).await?;
    let table = |i: usize| sums.get(i).cloned().unwrap_or_default();
    Ok(dossiers::figures_from(&table(0), &table(1), &table(2)))
}

/// One level below the report's unit as templates see it: "các huyện,
/// thành phố" named by the kinds it holds, how many, whether it is the
/// grassroots (xã, phường, thị trấn: meetings there are "điểm", above
/// them "đợt"), and its own figures.
fn level_context(
    level: &figures::Level,
    units: &[&Unit],
    on_time: &serde_json::Value,
) -> serde_json::Value {
    let (kinds_label, list) = breakdown(units);
    // One unit is named: "xã Đạ Tông", not "các xã".
    let label = match units {
        [one] => one.full_name(),
        _ => kinds_label.clone(),
    };
    let grassroots = !units.is_empty() && units.iter().all(|u| u.kind.is_commune_level());
    let administrative = units.iter().all(|u| {
        u.kind.is_commune_level()
            || u.kind.is_district_like()
            || matches!(u.kind, UnitKind::Province | UnitKind::City)
    });
    let body = if administrative {
        format!("Ủy ban nhân dân {label}")
    } else {
        prose::hoa(label.clone())
    };
    serde_json::json!({
        "depth": level.depth,
        "count": units.len(),
        "label": label,
        "kinds": kinds_label.trim_start_matches("các ").to_string(),
        "breakdown": list,
        "body": body,
        "grassroots": grassroots,
        "meeting_unit": if grassroots { "điểm" } else { "đợt" },
        "values": level.values,
        "on_time": on_time["levels"][level.depth - 1],
    })
}

/// Reports write the on-time rate with one decimal (seed 000: 98,1%).
const ON_TIME_DECIMALS: u32 = 1;

/// The vocabularies templates list breakdowns by, as (code, label) pairs
/// from core: a template names no label of its own.
fn vocab_context() -> serde_json::Value {
    use danvan_core::records::meeting::FollowUp;
    use danvan_core::records::oversight::Organisation;
    use danvan_core::records::petition::IneligibleReason;
    use danvan_core::records::rating::{RatedService, Satisfaction};
    fn pairs<T: Copy>(
        all: &[T],
        code: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
    ) -> serde_json::Value {
        all.iter()
            .map(|&v| serde_json::json!([code(v), label(v)]))
            .collect()
    }
    serde_json::json!({
        "organisation": pairs(Organisation::ALL, Organisation::code, Organisation::label),
        "ineligible_reason": pairs(IneligibleReason::ALL, IneligibleReason::code, IneligibleReason::label),
        "follow_up": pairs(FollowUp::ALL, FollowUp::code, FollowUp::label),
        "rated_service": pairs(RatedService::ALL, RatedService::code, RatedService::label),
        "satisfaction": pairs(Satisfaction::ALL, Satisfaction::code, Satisfaction::label),
    })
}

/// Most directives a report's annex lists.
const ANNEX_DIRECTIVES: i64 = 500;

pub async fn build(
    store: &Store,
    catalogue: &Catalogue,
    req: Request<'_>,
) -> Result<Report, StoreError> {
    Ok(build_with(store, catalogue, req, false).await?.0)
}

/// The report, and what its traced render saw: which indicator each
/// printed figure comes from (see [`trace`]). The text is the same.
pub async fn build_traced(
    store: &Store,
    catalogue: &Catalogue,
    req: Request<'_>,
) -> Result<(Report, trace::Trace), StoreError> {
    let (report, trace) = build_with(store, catalogue, req, true).await?;
    Ok((report, trace.unwrap_or_default()))
}

async fn build_with(
    store: &Store,
    catalogue: &Catalogue,
    req: Request<'_>,
    traced: bool,
) -> Result<(Report, Option<trace::Trace>), StoreError> {
    // The indicators and sections an administrator defined are in force
    // for every report, from the moment they are saved.
    let custom = custom::load_onto(store, catalogue).await?;
    let catalogue = &custom.catalogue;
    let mut templates = prose::builtin_templates();
    if let Some(custom) = &req.custom_template {
        templates.push(custom.clone());
    }
    let env = prose::environment(catalogue, &templates)?;
    let name = req
        .template
        .clone()
        .or_else(|| req.custom_template.as_ref().map(|(n, _)| n.clone()))
        .unwrap_or_else(|| default_template(req.unit, &req.period).to_string());
    let template = env.get_template(&name).map_err(|_| {
        let names: Vec<&str> = prose::BUILTIN.iter().map(|(n, _, _)| *n).collect();
        DomainError::new(
            "template.unknown",
            format!(
                "không có mẫu báo cáo «{name}»; các mẫu có sẵn: {}",
                names.join(", ")
            ),
        )
    })?;
    let issuer = issuer::resolve(
        store,
        req.unit,
        req.issuer.as_deref(),
        name == "bao-cao-tinh-uy",
    )
    .await?;
    let figures = Figures::compute(store, catalogue, req.unit, &req.period, true).await?;
    let r = req.period.range();
    let opening = danvan_store::profile::of(store, req.unit, r.end.year())
        .await?
        .map(|p| profile::opening(req.unit, &p, figures.all.count("petition_new")));
    let all = units::all(store).await?;
    // The tree as it stood at the end of the period (or when the unit ended).
    let as_of = req.unit.valid_to.map_or(r.end, |t| t.min(r.end));
    let children: Vec<&Unit> = all
        .iter()
        .filter(|u| req.unit.is_parent_of(u) && u.valid_on(as_of))
        .collect();
    let grandchildren: Vec<&Unit> = all
        .iter()
        .filter(|g| {
            g.valid_on(as_of)
                && g.parent_id
                    .is_some_and(|p| children.iter().any(|c| c.id == p))
        })
        .collect();
    // The levels below during the period, as `Figures` splits them.
    let unit_levels = figures::levels_below(&all, req.unit, r.start, r.end);
    let on_time = on_time(store, req.unit, &unit_levels, r).await?;
    let levels: Vec<serde_json::Value> = figures
        .levels
        .iter()
        .zip(&unit_levels)
        .map(|(l, units)| level_context(l, units, &on_time))
        .collect();
    let (below_label, below_breakdown) = breakdown(&children);
    let (_, below_breakdown_2) = breakdown(&grandchildren);
    let year = match req.period.kind {
        PeriodKind::Years { to, .. } => to,
        _ => r.end.year(),
    };
    // The directives issued in the subtree: listed in the report's annex.
    let within = (req.unit.id != units::COUNTRY_ID).then_some(req.unit.id);
    let directives: Vec<serde_json::Value> =
        danvan_store::directives::issued(store, within, (r.start, r.end), ANNEX_DIRECTIVES)
            .await?
            .into_iter()
            .map(|(_, d)| {
                // One line each: a line break typed into a title must not
                // start a line of its own (a heading, to the layout).
                let line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
                serde_json::json!({
                    "number": line(&d.number.text),
                    "date": d.issued_on.format("%d/%m/%Y").to_string(),
                    "issuer": line(&d.issuer),
                    "title": line(&d.title),
                })
            })
            .collect();
    let ctx = serde_json::json!({
        "unit": {
            "code": req.unit.code,
            "name": req.unit.name,
            "full_name": req.unit.full_name(),
            "kind_label": req.unit.kind.label(),
            "body": body(req.unit.kind),
            "meeting_unit": if req.unit.kind.is_commune_level() { "điểm" } else { "đợt" },
        },
        "period": {
            "label": req.period.to_string(),
            "start": r.start.to_string(),
            "end": r.end.to_string(),
            "year": year,
            "prev_year": req.period.previous_year().range().end.year(),
            "cutoff": req.period.cutoff,
        },
        "all": figures.all,
        "own": figures.own,
        "below": figures.below,
        "prev": figures.prev,
        "profile": opening,
        "reorganised": figures.reorganised,
        "prev_reorganised": figures.prev_reorganised,
        "below_count": children.len(),
        "levels": levels,
        "below_label": below_label,
        "below_breakdown": below_breakdown,
        "below_count_2": grandchildren.len(),
        "below_breakdown_2": below_breakdown_2,
        "sections": req.sections,
        "compare": req.compare,
        "on_time": on_time,
        "directives": directives,
        "annex": annex::sections(catalogue),
        "vocab": vocab_context(),
        "issuer": { "name": issuer.name, "kind": issuer.kind.code() },
        "cites": req.cites,
    });
    let mut ctx = ctx;
    ctx["custom_sections"] =
        serde_json::Value::Array(custom::render(catalogue, &custom.sections, &ctx)?);
    let (text, trace) = trace::render(&template, ctx, &figures, traced).map_err(|e| {
        DomainError::new(
            "template.render",
            format!("không dựng được báo cáo từ mẫu «{name}»: {e}"),
        )
    })?;
    let report = Report {
        template: name,
        text,
        figures,
        below_ids: children.iter().map(|c| c.id).collect(),
        period: Some(req.period),
        issuer,
        number: req.number.clone(),
    };
    Ok((report, trace))
}

impl Report {
    /// The report as plain text, with the validation results after it.
    pub fn to_txt(&self) -> String {
        let mut s = self.text.trim_end().to_string();
        s.push_str("\n\n---\nKiểm tra số liệu: ");
        if self.figures.violations.is_empty() {
            s.push_str("mọi quy tắc kiểm tra đều đạt.\n");
        } else {
            s.push_str(&format!(
                "{} quy tắc không đạt:\n",
                self.figures.violations.len()
            ));
            for v in &self.figures.violations {
                let sev = match v.severity {
                    catalogue::Severity::Error => "lỗi",
                    catalogue::Severity::Warning => "cảnh báo",
                };
                s.push_str(&format!(
                    "- [{sev}] {} ({} {} {}).\n",
                    v.message,
                    number::int(v.left),
                    v.op,
                    number::int(v.right)
                ));
            }
        }
        s
    }
}

impl Report {
    /// The letterhead of the body the report is issued by, with its number.
    pub async fn letterhead(
        &self,
        _store: &Store,
        unit: &Unit,
        date: chrono::NaiveDate,
    ) -> Result<docx::Letterhead, StoreError> {
        Ok(issuer::letterhead(&self.issuer, unit, date, &self.number))
    }

    /// The report as DOCX under the default letterhead of its unit.
    pub async fn to_docx(
        &self,
        store: &Store,
        unit: &Unit,
        date: chrono::NaiveDate,
    ) -> Result<Vec<u8>, StoreError> {
        let l = self.letterhead(store, unit, date).await?;
        Ok(docx::render(&self.to_txt(), &l))
    }

    /// The report as PDF, in the DOCX's layout and under the same
    /// letterhead. Typesetting takes tens of milliseconds of CPU, so it runs
    /// on the blocking pool rather than on the async workers.
    pub async fn to_pdf(
        &self,
        store: &Store,
        unit: &Unit,
        date: chrono::NaiveDate,
    ) -> Result<Vec<u8>, StoreError> {
        let l = self.letterhead(store, unit, date).await?;
        let doc = layout::parse(&self.to_txt());
        let bytes = tokio::task::spawn_blocking(move || pdf::render(&doc, &l))
            .await
            .map_err(|e| {
                DomainError::new("report.pdf", format!("không dựng được tệp PDF: {e}"))
            })??;
        Ok(bytes)
    }
}

impl Report {
    /// The XLSX annex of the report's subtree.
    pub async fn to_xlsx(
        &self,
        store: &Store,
        catalogue: &Catalogue,
        unit: &Unit,
    ) -> Result<Vec<u8>, StoreError> {
        let all = units::all(store).await?;
        let rows: Vec<&Unit> = self
            .below_ids
            .iter()
            .filter_map(|id| all.iter().find(|u| u.id == *id))
            .collect();
        let period = self.period.expect("built by build()");
        xlsx::annex(
            store,
            catalogue,
            unit,
            &rows,
            &period,
            &self.figures.all,
            &self.figures.own,
        )
        .await
    }
}
