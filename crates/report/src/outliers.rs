//! Số liệu bất thường (outliers): when a report is sent up, each of its
//! counts is compared with the same unit's same period of earlier years
//! (the same season: 6 tháng đầu năm with 6 tháng đầu năm) and with the
//! units of the same level under the same parent. Robust statistics, so
//! one odd unit does not hide itself by moving the yardstick: the median
//! and the median absolute deviation (MAD), with the modified z-score of
//! Iglewicz and Hoaglin, 0,6745·(x − median)/MAD, beyond 3,5.
//!
//! A flag also needs a difference that matters to a reader: at least 10
//! and at least half the median, so small counts (2 against a median of 0)
//! and ordinary variation stay silent. Flags are for the reviewer; they
//! never block a report.

use danvan_core::number;
use danvan_core::period::Period;
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError};
use serde::Serialize;

use crate::Catalogue;
use crate::figures::{Figures, Value, Values};

/// Earlier years of the same season compared with.
const YEARS_BACK: i32 = 4;
/// Peers read at most (a commune of a large province has a hundred).
const MAX_PEERS: usize = 200;
/// A comparison needs at least this many values.
const MIN_GROUP: usize = 3;
const Z_LIMIT: f64 = 3.5;
const MIN_DIFFERENCE: i64 = 10;

/// What a figure is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The same unit, the same period of earlier years.
    History,
    /// The units of the same level under the same parent.
    Peers,
}

/// One figure that stands out.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outlier {
    pub code: String,
    pub label: String,
    pub value: i64,
    pub basis: Basis,
    pub median: f64,
    pub mad: f64,
    /// How many values the median is of.
    pub n: usize,
    /// The comparison in Vietnamese, for the reviewer.
    pub message: String,
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Whether `x` stands out of `group`: (median, MAD) when it does.
pub fn stands_out(x: i64, group: &[i64]) -> Option<(f64, f64)> {
    if group.len() < MIN_GROUP {
        return None;
    }
    let mut g: Vec<f64> = group.iter().map(|&v| v as f64).collect();
    let med = median(&mut g);
    let mut dev: Vec<f64> = g.iter().map(|v| (v - med).abs()).collect();
    let mad = median(&mut dev);
    let diff = (x as f64 - med).abs();
    if diff < MIN_DIFFERENCE as f64 || diff < med / 2.0 {
        return None;
    }
    let far = mad == 0.0 || 0.6745 * diff / mad > Z_LIMIT;
    far.then_some((med, mad))
}

fn count(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Count(n)) => Some(*n),
        _ => None,
    }
}

fn any_data(v: &Values) -> bool {
    v.0.values().any(|x| count(Some(x)).unwrap_or(0) != 0)
}

fn message(label: &str, x: i64, basis: Basis, med: f64, n: usize, unit: &Unit) -> String {
    let against = match basis {
        Basis::History => format!("cùng kỳ {n} năm trước của {}", unit.full_name()),
        Basis::Peers => format!("{n} đơn vị cùng cấp"),
    };
    let med_s = number::decimal((med * 10.0).round() as i64, 1);
    let ratio = if med > 0.0 {
        format!(
            ", gấp {} lần",
            number::decimal((x as f64 / med * 10.0).round() as i64, 1)
        )
    } else {
        String::new()
    };
    format!(
        "{label}: {} so với trung vị {med_s} của {against}{ratio}",
        number::int(x)
    )
}

/// The counts of `values` (the whole-subtree figures of a report of `unit`
/// for `period`) that stand out against the unit's history and against
/// the peers `store` may read: a commune's own user compares with its own
/// past only, its reviewer one level up with the other communes too.
pub async fn check(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    period: &Period,
    values: &Values,
) -> Result<Vec<Outlier>, StoreError> {
    let mut history = Vec::new();
    let mut p = *period;
    for _ in 0..YEARS_BACK {
        p = p.previous_year();
        let f = Figures::compute(store, catalogue, unit, &p, false).await?;
        if any_data(&f.all) {
            history.push(f.all);
        }
    }
    let r = period.range();
    let tree = units::tree(store).await?;
    let peers: Vec<Unit> = tree
        .all()
        .iter()
        .filter(|u| {
            u.id != unit.id
                && store.permits(u.id)
                && u.parent_id == unit.parent_id
                && u.kind.is_commune_level() == unit.kind.is_commune_level()
                && u.overlaps(r.start, r.end)
        })
        .take(MAX_PEERS)
        .cloned()
        .collect();
    let mut peer_values = Vec::with_capacity(peers.len());
    for u in &peers {
        let f = Figures::compute(store, catalogue, u, period, false).await?;
        if any_data(&f.all) {
            peer_values.push(f.all);
        }
    }
    let mut out = Vec::new();
    for ind in catalogue.indicators.values() {
        let Some(x) = count(values.0.get(&ind.code)) else {
            continue;
        };
        for (basis, group) in [(Basis::History, &history), (Basis::Peers, &peer_values)] {
            let g: Vec<i64> = group
                .iter()
                .map(|v| count(v.0.get(&ind.code)).unwrap_or(0))
                .collect();
            if let Some((med, mad)) = stands_out(x, &g) {
                out.push(Outlier {
                    code: ind.code.clone(),
                    label: ind.label.clone(),
                    value: x,
                    basis,
                    median: med,
                    mad,
                    n: g.len(),
                    message: message(&ind.label, x, basis, med, g.len(), unit),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_times_the_usual_stands_out() {
        let peers = [636, 610, 702, 655, 590, 640, 671];
        assert!(stands_out(6360, &peers).is_some());
        assert!(stands_out(636, &peers).is_none());
        // Ordinary variation: a quarter above the median.
        assert!(stands_out(800, &peers).is_none());
    }

    #[test]
    fn small_counts_and_thin_groups_stay_silent() {
        assert!(stands_out(2, &[0, 0, 0, 0]).is_none());
        assert!(stands_out(9, &[0, 0, 0, 0]).is_none());
        assert!(stands_out(12, &[0, 0, 0, 0]).is_some());
        assert!(
            stands_out(6000, &[600, 610]).is_none(),
            "two values are no yardstick"
        );
    }

    #[test]
    fn one_outlier_among_peers_does_not_move_the_median() {
        // The mean and standard deviation would let 5.000 hide 4.000.
        let peers = [100, 105, 98, 102, 5000, 101];
        assert!(stands_out(4000, &peers).is_some());
    }
}
