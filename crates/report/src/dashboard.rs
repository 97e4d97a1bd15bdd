//! The leader's dashboard (bảng điều khiển): headline indicators of a
//! subtree and period beside the same period a year earlier, the petitions
//! past or near their deadline, the one-stop backlog, the on-time rate of
//! each unit directly below and the "Dân vận khéo" models by field.
//!
//! Every figure is an indicator of the catalogue, or the one-stop table
//! with the province's on-time formula, read from facts in one batched
//! read: a province dashboard is a handful of statements, whatever the
//! number of records. Only the due lists are lists of records.
//! Everything here is plain data (`Serialize`), for any page or API.

use chrono::{Datelike, Days, NaiveDate};
use danvan_core::calendar::deadline::DueStatus;
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dossier::NEARLY_DUE_DAYS;
use danvan_core::records::dossier::keys as dossier_keys;
use danvan_core::records::dossier::rate::{DossierFigures, OnTimeFormula};
use danvan_core::records::model::ModelField;
use danvan_store::facts::{self, Detail, FactTable, Read, Scope};
use danvan_store::petitions::{self, DueItem};
use danvan_store::units::{self, Unit, UnitTree};
use danvan_store::{Store, StoreError, dossiers};
use serde::Serialize;

use crate::catalogue::{Catalogue, Formula};
use crate::figures::{Needs, Value, value_of};

/// Headline indicators, in the order a page shows them. The one-stop
/// on-time rate follows the province's formula, not the catalogue's.
pub const HEADLINE: &[&str] = &[
    "reception_turns",
    "petition_new",
    "petition_resolved",
    "petition_on_time_rate",
    "dossier_received",
    "dossier_on_time",
    ONE_STOP_RATE,
    "satisfaction_rate",
    "mediation_received",
    "mediation_success_rate",
    "model_total",
    "voter_sessions",
    "dialogue_sessions",
];

/// The code of the one-stop on-time rate among the headline indicators.
pub const ONE_STOP_RATE: &str = "dossier_on_time_rate";

/// Petitions due within this many days are listed as soon due.
pub const SOON_DAYS: u32 = 5;

/// At most this many petitions per due list; the counts are complete.
pub const LIST_LIMIT: usize = 50;

/// Everything the dashboard page shows.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Dashboard {
    pub unit: UnitRef,
    /// "6 tháng đầu năm 2020".
    pub period_label: String,
    /// "6 tháng đầu năm 2019": what the previous figures cover.
    pub previous_label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub today: NaiveDate,
    pub headline: Vec<Headline>,
    pub petitions_due: DuePetitions,
    pub dossier_backlog: DossierBacklog,
    /// "(trước hạn + đúng hạn) / đã giải quyết": the province's formula.
    pub on_time_formula: String,
    /// One row per unit directly below that existed during the period.
    pub on_time_by_unit: Vec<UnitOnTime>,
    pub models_by_field: Vec<FieldCount>,
}

/// A unit as the page names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    /// "huyện Đam Rông".
    pub name: String,
}

impl UnitRef {
    fn of(u: &Unit) -> UnitRef {
        UnitRef {
            id: u.id,
            code: u.code.clone(),
            name: u.full_name(),
        }
    }
}

/// A figure with its Vietnamese text; a rate over nothing has no value.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Figure {
    Count {
        value: i64,
        /// "1.022".
        text: String,
    },
    Rate {
        /// The fraction behind the rate.
        num: i64,
        den: i64,
        /// Per cent, rounded as reports round it; `None` when there is
        /// nothing to divide by.
        percent: Option<f64>,
        /// "98,1%", or "—" without a value.
        text: String,
    },
}

impl Figure {
    pub fn text(&self) -> &str {
        match self {
            Figure::Count { text, .. } | Figure::Rate { text, .. } => text,
        }
    }

    /// The count, or the rate in per cent.
    pub fn number(&self) -> Option<f64> {
        match self {
            Figure::Count { value, .. } => Some(*value as f64),
            Figure::Rate { percent, .. } => *percent,
        }
    }
}

/// A headline indicator now and in the same period a year earlier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    /// The catalogue code.
    pub code: String,
    /// "Số lượt tiếp công dân".
    pub label: String,
    pub current: Figure,
    pub previous: Figure,
    /// "tăng 12 (+5,2%) so với cùng kỳ"; `None` when a rate has no value.
    pub change: Option<String>,
    /// How the figure is computed, where provinces differ.
    pub note: Option<String>,
}

/// Petitions past or near their deadline in the subtree, most urgent first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuePetitions {
    pub soon_days: u32,
    pub overdue_count: usize,
    pub soon_count: usize,
    /// The first [`LIST_LIMIT`] of each list.
    pub overdue: Vec<DuePetition>,
    pub soon: Vec<DuePetition>,
}

/// One petition of a due list.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuePetition {
    pub id: i64,
    pub unit_id: i64,
    /// "xã Đạ Tông".
    pub unit_name: String,
    /// "complaint".
    pub kind: String,
    /// "khiếu nại".
    pub kind_label: String,
    pub received_on: NaiveDate,
    /// "thời hạn xử lý đơn" or "thời hạn giải quyết".
    pub deadline_label: String,
    pub deadline: NaiveDate,
    /// Days left; negative when overdue.
    pub days_left: i64,
    /// "quá hạn 3 ngày", "đến hạn hôm nay", "còn 2 ngày".
    pub status_text: String,
}

/// Pending one-stop dossiers of the subtree by where they stand against
/// their due date. Counts from facts: the dossier table has no index by
/// unit and due date, so listing dossiers would scan them all.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DossierBacklog {
    /// Facts are kept by half-month: the last half-month end on or before
    /// today, within the period.
    pub as_of: NaiveDate,
    pub overdue: i64,
    pub nearly_due: i64,
    pub in_time: i64,
    /// "12 hồ sơ quá hạn, 3 hồ sơ sắp đến hạn, 40 hồ sơ trong hạn (đến hết ngày 30/06/2020)".
    pub text: String,
    pub note: String,
}

/// One unit's one-stop dossiers in the period.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitOnTime {
    pub unit: UnitRef,
    pub received: i64,
    pub resolved: i64,
    /// Resolved before or on the due date.
    pub on_time: i64,
    pub late: i64,
    /// By the province's formula; `None` when it has nothing to divide by.
    pub rate: Option<f64>,
    /// "98,1%" or "—".
    pub rate_text: String,
}

/// Models of one field (lĩnh vực).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FieldCount {
    /// "economy".
    pub field: String,
    /// "kinh tế".
    pub label: String,
    pub count: i64,
    pub text: String,
}

/// The dashboard of `unit`'s subtree for `period`, as seen on `today`
/// (due lists, backlog), with the shipped catalogue.
pub async fn build(
    store: &Store,
    unit: &Unit,
    period: &Period,
    today: NaiveDate,
) -> Result<Dashboard, StoreError> {
    build_with(store, Catalogue::shipped(), unit, period, today).await
}

/// The facts of one period: flows over it and stocks the day before.
#[derive(Default)]
struct Side {
    period: FactTable,
    opening: FactTable,
}

fn merged(mut a: FactTable, b: FactTable) -> FactTable {
    a.values.extend(b.values);
    a
}

fn read<'a>(scope: Scope, keys: &'a [&'a str], range: DateRange, detail: Detail) -> Read<'a> {
    Read {
        scope,
        keys,
        range,
        detail,
    }
}

fn eve(r: DateRange) -> DateRange {
    DateRange::up_to(r.start - Days::new(1))
}

/// The last end of a half-month (the 14th or a month's last day) on or
/// before `d`: the latest day a stock can be read from facts.
fn half_month_end(d: NaiveDate) -> NaiveDate {
    let next = d + Days::new(1);
    if d.day() == 14 || next.day() == 1 {
        d
    } else if d.day() > 14 {
        d.with_day(14).expect("the 14th exists")
    } else {
        d.with_day(1).expect("the 1st exists") - Days::new(1)
    }
}

/// [`build`] with another catalogue.
pub async fn build_with(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    period: &Period,
    today: NaiveDate,
) -> Result<Dashboard, StoreError> {
    let r = period.range();
    let prev_period = period.previous_year();
    let p = prev_period.range();
    let tree = units::tree(store).await?;
    let mut children: Vec<&Unit> = tree
        .all()
        .iter()
        .filter(|u| unit.is_parent_of(u) && u.overlaps(r.start, r.end))
        .collect();
    children.sort_by(|a, b| a.code.cmp(&b.code));

    let mut needs = Needs::default();
    for code in HEADLINE.iter().copied().filter(|c| *c != ONE_STOP_RATE) {
        if let Some(i) = catalogue.indicators.get(code) {
            needs.add(i);
        }
    }
    for f in ModelField::ALL {
        if let Some(i) = catalogue.indicators.get(&field_code(*f)) {
            needs.add(i);
        }
    }
    for k in dossiers::FLOW_KEYS {
        needs.add_key(k, false, true);
    }
    needs.add_key(dossier_keys::PENDING, true, false);
    let keys = [
        needs.keys(false, Detail::Totals),
        needs.keys(false, Detail::Breakdowns),
        needs.keys(true, Detail::Totals),
        needs.keys(true, Detail::Breakdowns),
    ];
    let pending = [dossier_keys::PENDING];
    let as_of = half_month_end(today).min(r.end);
    let scope = Scope::of(unit);
    let mut reads = Vec::with_capacity(9 + 2 * children.len());
    for range in [r, p] {
        reads.push(read(scope, &keys[0], range, Detail::Totals));
        reads.push(read(scope, &keys[1], range, Detail::Breakdowns));
        reads.push(read(scope, &keys[2], eve(range), Detail::Totals));
        reads.push(read(scope, &keys[3], eve(range), Detail::Breakdowns));
    }
    let backlog_range = DateRange::up_to(as_of);
    reads.push(read(scope, &pending, backlog_range, Detail::Breakdowns));
    for ch in &children {
        let scope = Scope::of(ch);
        reads.push(read(scope, &dossiers::FLOW_KEYS, r, Detail::Breakdowns));
        reads.push(read(scope, &pending, eve(r), Detail::Totals));
    }
    let (tables, due, formula) = tokio::try_join!(
        facts::read_batch(store, &reads),
        petitions::due_summary(store, unit.id, today, SOON_DAYS, LIST_LIMIT),
        dossiers::formula(store, unit.province_id),
    )?;
    let mut tables = tables.into_iter();
    let mut side = || {
        let mut next = || tables.next().unwrap_or_default();
        let (pt, pb, ot, ob) = (next(), next(), next(), next());
        Side {
            period: merged(pt, pb),
            opening: merged(ot, ob),
        }
    };
    let (cur, prev) = (side(), side());
    let backlog = tables.next().unwrap_or_default();
    let decimals = rate_decimals(catalogue);
    let on_time_by_unit = children
        .iter()
        .map(|ch| {
            let flows = tables.next().unwrap_or_default();
            let before = tables.next().unwrap_or_default();
            let f = dossiers::figures_from(&flows, &FactTable::default(), &before);
            unit_row(ch, &f, formula, decimals)
        })
        .collect();

    Ok(Dashboard {
        unit: UnitRef::of(unit),
        period_label: period.to_string(),
        previous_label: prev_period.to_string(),
        start: r.start,
        end: r.end,
        today,
        headline: headline(catalogue, &cur, &prev, formula),
        petitions_due: DuePetitions {
            soon_days: SOON_DAYS,
            overdue_count: due.overdue_count,
            soon_count: due.soon_count,
            overdue: due_rows(&due.overdue, &tree),
            soon: due_rows(&due.soon, &tree),
        },
        dossier_backlog: dossier_backlog(&backlog, as_of),
        on_time_formula: formula.label().to_string(),
        on_time_by_unit,
        models_by_field: models_by_field(catalogue, &cur),
    })
}

fn field_code(f: ModelField) -> String {
    format!("model_{}", f.code())
}

/// Decimals of the one-stop rate: the catalogue's, else one.
fn rate_decimals(c: &Catalogue) -> u32 {
    match c.indicators.get(ONE_STOP_RATE).map(|i| &i.formula) {
        Some(Formula::Ratio { decimals, .. }) => *decimals,
        _ => 1,
    }
}

/// A value before it is written: a count, or a rate with its scaled value
/// (per cent × 10^decimals) as its formula rounds it.
#[derive(Debug, Clone, Copy)]
enum Measure {
    Count(i64),
    Rate {
        num: i64,
        den: i64,
        scaled: Option<i64>,
        decimals: u32,
    },
}

impl Measure {
    fn of(v: &Value, decimals: u32) -> Measure {
        match v {
            Value::Count(n) => Measure::Count(*n),
            Value::Ratio { num, den, .. } => Measure::Rate {
                num: *num,
                den: *den,
                scaled: number::rate_scaled(*num, *den, decimals),
                decimals,
            },
        }
    }

    fn figure(self) -> Figure {
        match self {
            Measure::Count(value) => Figure::Count {
                value,
                text: number::int(value),
            },
            Measure::Rate {
                num,
                den,
                scaled,
                decimals,
            } => Figure::Rate {
                num,
                den,
                percent: scaled.map(|s| s as f64 / 10f64.powi(decimals as i32)),
                text: rate_text(scaled, decimals),
            },
        }
    }
}

/// "98,1%", or "—" for a rate over nothing.
fn rate_text(scaled: Option<i64>, decimals: u32) -> String {
    scaled.map_or_else(
        || "—".to_string(),
        |s| format!("{}%", number::decimal(s, decimals)),
    )
}

/// "tăng 12 (+5,2%) so với cùng kỳ", "giảm 1,5 điểm phần trăm so với cùng kỳ".
fn change(cur: Measure, prev: Measure) -> Option<String> {
    let (diff, unit, rel) = match (cur, prev) {
        (Measure::Count(c), Measure::Count(p)) => {
            let d = c - p;
            let rel = (p > 0)
                .then(|| number::rate_scaled(d.abs(), p, 1))
                .flatten()
                .map(|s| {
                    let sign = if d < 0 { "-" } else { "+" };
                    format!(" ({sign}{}%)", number::decimal(s, 1))
                });
            (number::int(d.abs()), "", rel.unwrap_or_default())
        }
        (
            Measure::Rate {
                scaled: Some(c),
                decimals,
                ..
            },
            Measure::Rate {
                scaled: Some(p), ..
            },
        ) => {
            if c == p {
                return Some("bằng cùng kỳ".to_string());
            }
            let d = (c - p).abs();
            (
                number::decimal(d, decimals),
                " điểm phần trăm",
                String::new(),
            )
        }
        _ => return None,
    };
    let direction = match cur_minus_prev(cur, prev) {
        0 => return Some("bằng cùng kỳ".to_string()),
        d if d > 0 => "tăng",
        _ => "giảm",
    };
    Some(format!("{direction} {diff}{unit}{rel} so với cùng kỳ"))
}

fn cur_minus_prev(cur: Measure, prev: Measure) -> i64 {
    match (cur, prev) {
        (Measure::Count(c), Measure::Count(p)) => c - p,
        (Measure::Rate { scaled: c, .. }, Measure::Rate { scaled: p, .. }) => {
            c.unwrap_or(0) - p.unwrap_or(0)
        }
        _ => 0,
    }
}

/// The fraction behind the on-time rate under each formula.
fn on_time_fraction(f: &DossierFigures, formula: OnTimeFormula) -> (i64, i64) {
    match formula {
        OnTimeFormula::EarlyOrOnTimeOverResolved => (f.resolved_in_time(), f.resolved()),
        OnTimeFormula::HundredMinusLateOverAll => (f.total() - f.resolved_late, f.total()),
        OnTimeFormula::OnTimeOverFallenDue => (f.fell_due_in_time, f.fell_due),
    }
}

fn on_time_measure(f: &DossierFigures, formula: OnTimeFormula, decimals: u32) -> Measure {
    let (num, den) = on_time_fraction(f, formula);
    Measure::Rate {
        num,
        den,
        scaled: f.on_time_rate(formula, decimals),
        decimals,
    }
}

fn headline(c: &Catalogue, cur: &Side, prev: &Side, formula: OnTimeFormula) -> Vec<Headline> {
    let decimals = rate_decimals(c);
    let one_stop = |s: &Side| {
        let f = dossiers::figures_from(&s.period, &FactTable::default(), &s.opening);
        on_time_measure(&f, formula, decimals)
    };
    HEADLINE
        .iter()
        .filter_map(|&code| {
            let (label, now, before, note) = if code == ONE_STOP_RATE {
                let label = c
                    .indicators
                    .get(code)
                    .map_or("Tỷ lệ hồ sơ giải quyết đúng hạn", |i| {
                        i.label.as_str()
                    });
                let note = format!("Công thức: {}", formula.label());
                (label, one_stop(cur), one_stop(prev), Some(note))
            } else {
                let i = c.indicators.get(code)?;
                let d = match i.formula {
                    Formula::Ratio { decimals, .. } => decimals,
                    Formula::Value(_) => 0,
                };
                let m = |s: &Side| Measure::of(&value_of(i, &s.period, &s.opening), d);
                (i.label.as_str(), m(cur), m(prev), None)
            };
            Some(Headline {
                code: code.to_string(),
                label: label.to_string(),
                current: now.figure(),
                previous: before.figure(),
                change: change(now, before),
                note,
            })
        })
        .collect()
}

fn unit_row(u: &Unit, f: &DossierFigures, formula: OnTimeFormula, decimals: u32) -> UnitOnTime {
    let scaled = f.on_time_rate(formula, decimals);
    UnitOnTime {
        unit: UnitRef::of(u),
        received: f.received(),
        resolved: f.resolved(),
        on_time: f.resolved_in_time(),
        late: f.resolved_late,
        rate: scaled.map(|s| s as f64 / 10f64.powi(decimals as i32)),
        rate_text: rate_text(scaled, decimals),
    }
}

fn models_by_field(c: &Catalogue, s: &Side) -> Vec<FieldCount> {
    ModelField::ALL
        .iter()
        .filter_map(|&f| {
            let i = c.indicators.get(&field_code(f))?;
            let count = match value_of(i, &s.period, &s.opening) {
                Value::Count(n) => n,
                Value::Ratio { num, .. } => num,
            };
            Some(FieldCount {
                field: f.code().to_string(),
                label: f.label().to_string(),
                count,
                text: number::int(count),
            })
        })
        .collect()
}

/// The first `LIST_LIMIT` of a due list, named and worded.
fn due_rows(items: &[DueItem], units: &UnitTree) -> Vec<DuePetition> {
    due_petitions(&items[..items.len().min(LIST_LIMIT)], units)
}

/// A due list with unit names and its standing in words.
pub(crate) fn due_petitions(items: &[DueItem], units: &UnitTree) -> Vec<DuePetition> {
    items
        .iter()
        .map(|i| {
            let (days_left, status_text) = match i.due {
                DueStatus::Overdue(n) => (-n, format!("quá hạn {} ngày", number::int(n))),
                DueStatus::DueSoon(0) | DueStatus::InTime(0) => (0, "đến hạn hôm nay".to_string()),
                DueStatus::DueSoon(n) | DueStatus::InTime(n) => {
                    (n, format!("còn {} ngày", number::int(n)))
                }
            };
            DuePetition {
                id: i.id,
                unit_id: i.unit_id,
                unit_name: units
                    .get(i.unit_id)
                    .map_or_else(String::new, |u| u.full_name()),
                kind: i.kind.code().to_string(),
                kind_label: i.kind.label().to_string(),
                received_on: i.received_on,
                deadline_label: i.deadline_kind.label().to_string(),
                deadline: i.deadline,
                days_left,
                status_text,
            }
        })
        .collect()
}

fn dossier_backlog(t: &FactTable, as_of: NaiveDate) -> DossierBacklog {
    let count = |s: &str| t.total_where(dossier_keys::PENDING, &[("status", s)]);
    let (overdue, nearly_due, in_time) = (count("overdue"), count("nearly_due"), count("in_time"));
    DossierBacklog {
        as_of,
        overdue,
        nearly_due,
        in_time,
        text: format!(
            "{} hồ sơ quá hạn, {} hồ sơ sắp đến hạn, {} hồ sơ trong hạn (đến hết ngày {})",
            number::int(overdue),
            number::int(nearly_due),
            number::int(in_time),
            as_of.format("%d/%m/%Y")
        ),
        note: format!(
            "Số hồ sơ đang giải quyết lấy từ số liệu tổng hợp, chốt theo nửa tháng; \
             «sắp đến hạn» là còn không quá {NEARLY_DUE_DAYS} ngày đến hạn trả kết quả."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn stocks_are_read_at_the_last_half_month_end() {
        assert_eq!(half_month_end(d(2026, 3, 10)), d(2026, 2, 28));
        assert_eq!(half_month_end(d(2026, 3, 14)), d(2026, 3, 14));
        assert_eq!(half_month_end(d(2026, 3, 15)), d(2026, 3, 14));
        assert_eq!(half_month_end(d(2026, 3, 31)), d(2026, 3, 31));
        assert_eq!(half_month_end(d(2024, 3, 1)), d(2024, 2, 29));
    }

    #[test]
    fn changes_read_the_vietnamese_way() {
        let c = |n| Measure::Count(n);
        assert_eq!(
            change(c(1022), c(1000)).unwrap(),
            "tăng 22 (+2,2%) so với cùng kỳ"
        );
        assert_eq!(change(c(3), c(0)).unwrap(), "tăng 3 so với cùng kỳ");
        assert_eq!(change(c(7), c(7)).unwrap(), "bằng cùng kỳ");
        assert_eq!(
            change(c(1000), c(2000)).unwrap(),
            "giảm 1.000 (-50,0%) so với cùng kỳ"
        );
        let r = |s| Measure::Rate {
            num: 0,
            den: 0,
            scaled: s,
            decimals: 1,
        };
        assert_eq!(
            change(r(Some(981)), r(Some(995))).unwrap(),
            "giảm 1,4 điểm phần trăm so với cùng kỳ"
        );
        assert_eq!(change(r(None), r(Some(995))), None);
        assert_eq!(r(None).figure().text(), "—");
        assert_eq!(r(Some(981)).figure().number(), Some(98.1));
    }
}
