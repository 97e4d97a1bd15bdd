//! Figures "as reorganised": for a unit and a period that starts before
//! the unit existed, the facts of the units it took over are added to its
//! own — a whole predecessor fully, a divided one by its share (an
//! estimate). Events stay where they were recorded (ARCHITECTURE.md,
//! "Units and their history"); this only chooses which units to read, so a
//! reading costs a few fact reads per predecessor and no scan of records.
//! When no reorganisation is involved the reading is the one as recorded.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use danvan_core::number;
use danvan_core::period::DateRange;
use danvan_store::facts::{self, Detail, FactTable, Read, Scope};
use danvan_store::units::{self, Unit, UnitTree, WHOLE};
use danvan_store::{Store, StoreError};
use serde::Serialize;

/// The weight of a unit read whole. Shares are in ten-thousandths, so a
/// chain of three reorganisations still multiplies out exactly.
pub const ONE: u128 = 1_000_000_000_000;

/// Steps back through reorganisations at most (2019, 2025…).
const DEPTH: usize = 3;

/// A unit whose facts a reading adds up, with its weight ([`ONE`]: whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub unit: Unit,
    pub weight: u128,
}

/// What a report says of a reading as reorganised (its footnote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The day the unit started: "01/07/2025".
    pub since: String,
    /// The units taken over whole: "xã Tịnh Kỳ".
    pub whole: Vec<String>,
    /// The units taken over in part, with the share counted: "phường
    /// Cống Vị (50,76%)"; the figures that include them are estimates.
    pub estimated: Vec<String>,
}

/// Whether reading `unit` over a range that starts on `start` crosses a
/// reorganisation: the unit did not exist yet and has predecessors.
pub fn involved(tree: &UnitTree, unit: &Unit, start: NaiveDate) -> bool {
    unit.valid_from.is_some_and(|f| start < f) && !tree.predecessors(unit.id).is_empty()
}

/// The units to read for `unit` over a range that starts on `start`: the
/// unit itself, whole, and when the range starts before it existed its
/// predecessors by their shares — theirs too when the range starts before
/// they existed. A unit reached twice is read once, with the sum.
pub fn sources(tree: &UnitTree, unit: &Unit, start: NaiveDate) -> Vec<Source> {
    let mut out = vec![Source {
        unit: unit.clone(),
        weight: ONE,
    }];
    add(tree, unit, start, ONE, 0, &mut out);
    out
}

fn add(
    tree: &UnitTree,
    unit: &Unit,
    start: NaiveDate,
    weight: u128,
    depth: usize,
    out: &mut Vec<Source>,
) {
    if depth >= DEPTH || unit.valid_from.is_none_or(|f| start >= f) {
        return;
    }
    for p in tree.predecessors(unit.id) {
        let Some(pu) = tree.get(p.unit_id) else {
            continue;
        };
        let w = weight * u128::from(p.share) / u128::from(WHOLE);
        match out.iter_mut().find(|s| s.unit.id == pu.id) {
            Some(s) => s.weight += w,
            None => out.push(Source {
                unit: pu.clone(),
                weight: w,
            }),
        }
        add(tree, pu, start, w, depth + 1, out);
    }
}

/// The footnote of a reading of `unit` from `sources` (the unit itself
/// left out).
pub fn note(unit: &Unit, sources: &[Source]) -> Note {
    let mut whole = Vec::new();
    let mut estimated = Vec::new();
    for s in sources.iter().filter(|s| s.unit.id != unit.id) {
        if s.weight >= ONE {
            whole.push(s.unit.full_name());
        } else {
            let share = number::percent(s.weight as i64, ONE as i64, 2).unwrap_or_default();
            estimated.push(format!("{} ({share})", s.unit.full_name()));
        }
    }
    Note {
        since: unit
            .valid_from
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        whole,
        estimated,
    }
}

/// `keys` of the subtrees of `sources` over `range`, each by its
/// weight: the whole ones summed by the database in one statement, the
/// parts read in one batch and scaled.
pub async fn read_sources(
    store: &Store,
    sources: &[Source],
    keys: &[&str],
    range: DateRange,
    detail: Detail,
) -> Result<FactTable, StoreError> {
    let read = |s: &Source| Read {
        scope: Scope::of(&s.unit),
        keys,
        range,
        detail,
    };
    let whole: Vec<Read> = sources
        .iter()
        .filter(|s| s.weight == ONE)
        .map(read)
        .collect();
    let parts: Vec<&Source> = sources.iter().filter(|s| s.weight != ONE).collect();
    let mut tables: Vec<(FactTable, u128)> = Vec::with_capacity(parts.len() + 1);
    if !whole.is_empty() {
        let mut t = facts::read_summed(store, &whole, 1).await?;
        tables.push((t.pop().unwrap_or_default(), ONE));
    }
    if !parts.is_empty() {
        let reads: Vec<Read> = parts.iter().map(|s| read(s)).collect();
        let t = facts::read_batch(store, &reads).await?;
        tables.extend(t.into_iter().zip(parts.iter().map(|s| s.weight)));
    }
    Ok(combine(&tables))
}

/// `keys` of `unit`'s subtree over `range`: as reorganised, with its
/// footnote, when the range starts before the unit existed; else as
/// recorded.
pub async fn read(
    store: &Store,
    unit: &Unit,
    keys: &[&str],
    range: DateRange,
    detail: Detail,
) -> Result<(FactTable, Option<Note>), StoreError> {
    let tree = units::tree(store).await?;
    if unit.is_country() || !involved(&tree, unit, range.start) {
        return Ok((
            facts::read(store, Scope::of(unit), keys, range, detail).await?,
            None,
        ));
    }
    let sources = sources(&tree, unit, range.start);
    let t = read_sources(store, &sources, keys, range, detail).await?;
    Ok((t, Some(note(unit, &sources))))
}

/// Tables added with their weights, each sum rounded once, half away
/// from zero.
pub fn combine(tables: &[(FactTable, u128)]) -> FactTable {
    let mut sums: BTreeMap<(String, String), i128> = BTreeMap::new();
    for (t, w) in tables {
        for (k, v) in &t.values {
            *sums.entry(k.clone()).or_insert(0) += i128::from(*v) * *w as i128;
        }
    }
    FactTable {
        values: sums.into_iter().map(|(k, v)| (k, round(v))).collect(),
    }
}

/// `v / ONE`, rounded half away from zero.
fn round(v: i128) -> i64 {
    let one = ONE as i128;
    let q = (v.abs() + one / 2) / one;
    (if v < 0 { -q } else { q }) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(v: i64) -> FactTable {
        FactTable {
            values: [(("k".to_string(), String::new()), v)].into(),
        }
    }

    #[test]
    fn parts_are_added_then_rounded_half_away_from_zero() {
        let total = |parts: &[(i64, u128)]| {
            let t: Vec<(FactTable, u128)> = parts.iter().map(|&(v, w)| (table(v), w)).collect();
            combine(&t).total("k")
        };
        assert_eq!(total(&[(100, ONE)]), 100);
        assert_eq!(total(&[(3, ONE / 2)]), 2);
        assert_eq!(total(&[(-3, ONE / 2)]), -2);
        assert_eq!(total(&[(1000, 5_076 * 100_000_000)]), 508);
        // Two halves of 1 make 1, not 2 rounded halves.
        assert_eq!(total(&[(1, ONE / 2), (1, ONE / 2)]), 1);
        assert_eq!(total(&[(7, ONE), (1, ONE / 4)]), 7);
    }
}
