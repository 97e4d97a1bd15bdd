//! The figures of a report: every indicator of the catalogue for a unit's
//! subtree and period, read from facts in a handful of queries, split into
//! the unit itself and the units directly below it (seed 000 writes "the
//! district received 32 turns, the communes 38, in all 70").

use std::collections::BTreeMap;

use chrono::Duration;
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_store::facts::{self, Detail, FactTable, Scope};
use danvan_store::units::{self, Unit, UnitTree};
use danvan_store::{Store, StoreError};
use serde::Serialize;

use crate::catalogue::{Catalogue, Formula, Indicator, Severity};
use crate::expr::{Expr, Term};
use crate::reorganised::{self, Note, Source};

/// Indicator values of one scope: counts as integers, ratios as their
/// numerator, denominator and rate.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Values(pub BTreeMap<String, Value>);

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Value {
    Count(i64),
    Ratio {
        num: i64,
        den: i64,
        /// "98,1%", absent when the denominator is zero.
        rate: Option<String>,
    },
}

impl Values {
    pub fn count(&self, code: &str) -> i64 {
        match self.0.get(code) {
            Some(Value::Count(v)) => *v,
            Some(Value::Ratio { num, .. }) => *num,
            None => 0,
        }
    }
}

/// A failed validation rule, shown with the report.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Violation {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub left: i64,
    pub op: &'static str,
    pub right: i64,
}

/// Everything a report template can use.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// The whole subtree.
    pub all: Values,
    /// The unit itself (the subtree minus the units below).
    pub own: Values,
    /// The units directly below, together.
    pub below: Values,
    /// Number of units directly below that existed during the period.
    pub below_count: usize,
    /// Each level below the unit, nearest first: the units of that level
    /// that existed during the period and the figures of their own bodies
    /// (a district's UBND, not its communes). `own` and the levels add up
    /// to `all`; `below` is every level together.
    pub levels: Vec<Level>,
    /// The same period one year earlier, for the subtree (when asked).
    pub prev: Option<Values>,
    pub violations: Vec<Violation>,
    /// When the period starts before the unit existed: its figures are read
    /// as reorganised, and what the footnote says of them.
    pub reorganised: Option<Note>,
    /// The same for the period a year earlier ("cùng kỳ").
    pub prev_reorganised: Option<Note>,
}

/// One level of the tree below a report's unit.
#[derive(Debug, Clone, Serialize)]
pub struct Level {
    /// 1 for the units directly below, 2 for the units below those…
    pub depth: usize,
    /// The units of this level that existed during the period.
    pub unit_ids: Vec<i64>,
    /// Their own figures: their subtrees minus the next level's.
    pub values: Values,
}

#[derive(Clone, Default)]
struct Tables {
    period: FactTable,
    opening: FactTable,
}

async fn tables(
    store: &Store,
    c: &Catalogue,
    scope: Scope,
    r: DateRange,
) -> Result<Tables, StoreError> {
    let (period_keys, opening_keys) = c.keys();
    let pk: Vec<&str> = period_keys.iter().map(String::as_str).collect();
    let ok: Vec<&str> = opening_keys.iter().map(String::as_str).collect();
    let period = facts::read(store, scope, &pk, r, Detail::Breakdowns).await?;
    let opening = if ok.is_empty() {
        FactTable::default()
    } else {
        facts::read(
            store,
            scope,
            &ok,
            DateRange::up_to(r.start - Duration::days(1)),
            Detail::Breakdowns,
        )
        .await?
    };
    Ok(Tables { period, opening })
}

/// The summed tables of the subtrees of `units`, in one batch of reads.
async fn tables_of(
    store: &Store,
    c: &Catalogue,
    units: &[&Unit],
    r: DateRange,
) -> Result<Tables, StoreError> {
    let (period_keys, opening_keys) = c.keys();
    let pk: Vec<&str> = period_keys.iter().map(String::as_str).collect();
    let ok: Vec<&str> = opening_keys.iter().map(String::as_str).collect();
    let before = DateRange::up_to(r.start - Duration::days(1));
    let mut reads = Vec::with_capacity(units.len() * 2);
    for u in units {
        reads.push(facts::Read {
            scope: Scope::of(u),
            keys: &pk,
            range: r,
            detail: Detail::Breakdowns,
        });
        if !ok.is_empty() {
            reads.push(facts::Read {
                scope: Scope::of(u),
                keys: &ok,
                range: before,
                detail: Detail::Breakdowns,
            });
        }
    }
    let per_unit = if ok.is_empty() { 1 } else { 2 };
    let mut sums = facts::read_summed(store, &reads, per_unit)
        .await?
        .into_iter();
    Ok(Tables {
        period: sums.next().unwrap_or_default(),
        opening: sums.next().unwrap_or_default(),
    })
}

/// The summed tables of `sources`, each by its weight (see
/// [`reorganised::read_sources`]).
async fn tables_weighted(
    store: &Store,
    c: &Catalogue,
    sources: &[Source],
    r: DateRange,
) -> Result<Tables, StoreError> {
    let (period_keys, opening_keys) = c.keys();
    let pk: Vec<&str> = period_keys.iter().map(String::as_str).collect();
    let ok: Vec<&str> = opening_keys.iter().map(String::as_str).collect();
    let period = reorganised::read_sources(store, sources, &pk, r, Detail::Breakdowns).await?;
    let opening = if ok.is_empty() {
        FactTable::default()
    } else {
        let before = DateRange::up_to(r.start - Duration::days(1));
        reorganised::read_sources(store, sources, &ok, before, Detail::Breakdowns).await?
    };
    Ok(Tables { period, opening })
}

/// The tables of the subtrees of `units` over `r`, as recorded, or as
/// reorganised for the units that did not exist yet when `r` starts.
async fn tables_as_reorganised(
    store: &Store,
    c: &Catalogue,
    tree: &UnitTree,
    units: &[&Unit],
    r: DateRange,
) -> Result<Tables, StoreError> {
    if !units
        .iter()
        .any(|u| reorganised::involved(tree, u, r.start))
    {
        return tables_of(store, c, units, r).await;
    }
    let mut sources: Vec<Source> = Vec::new();
    for u in units {
        for s in reorganised::sources(tree, u, r.start) {
            match sources.iter_mut().find(|x| x.unit.id == s.unit.id) {
                Some(x) => x.weight += s.weight,
                None => sources.push(s),
            }
        }
    }
    tables_weighted(store, c, &sources, r).await
}

/// The levels of the tree below `unit` during `from..=to`: its children,
/// their children…, each level the units whose parent is in the one
/// above. The whole country's first level is the provinces.
pub fn levels_below<'a>(
    all: &'a [Unit],
    unit: &Unit,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Vec<Vec<&'a Unit>> {
    let mut levels: Vec<Vec<&Unit>> = Vec::new();
    let mut level: Vec<&Unit> = all
        .iter()
        .filter(|u| unit.is_parent_of(u) && u.overlaps(from, to))
        .collect();
    // A tree is a few levels deep; the bound guards against a cycle.
    while !level.is_empty() && levels.len() < 16 {
        let ids: std::collections::HashSet<i64> = level.iter().map(|u| u.id).collect();
        let next: Vec<&Unit> = all
            .iter()
            .filter(|u| u.parent_id.is_some_and(|p| ids.contains(&p)) && u.overlaps(from, to))
            .collect();
        levels.push(level);
        level = next;
    }
    levels
}

fn values(c: &Catalogue, t: &Tables) -> Values {
    let out = c
        .indicators
        .iter()
        .map(|(code, i)| (code.clone(), value_of(i, &t.period, &t.opening)))
        .collect();
    Values(out)
}

/// One indicator over the facts of a period and of its opening stock.
pub fn value_of(i: &Indicator, period: &FactTable, opening: &FactTable) -> Value {
    match &i.formula {
        Formula::Value(e) => Value::Count(e.eval(period, opening)),
        Formula::Ratio {
            numerator,
            denominator,
            decimals,
        } => {
            let (num, den) = (
                numerator.eval(period, opening),
                denominator.eval(period, opening),
            );
            Value::Ratio {
                num,
                den,
                rate: number::percent(num, den, *decimals),
            }
        }
    }
}

/// The fact keys a few indicators read, each marked with whether some
/// formula filters on its breakdowns: the others are read as totals, one
/// exact index seek each, which keeps a dashboard's reads small.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    period: BTreeMap<String, bool>,
    opening: BTreeMap<String, bool>,
}

impl Needs {
    pub fn add(&mut self, i: &Indicator) {
        match &i.formula {
            Formula::Value(e) => self.add_expr(e),
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => {
                self.add_expr(numerator);
                self.add_expr(denominator);
            }
        }
    }

    pub fn add_expr(&mut self, e: &Expr) {
        for t in &e.terms {
            if let (
                _,
                Term::Key {
                    key,
                    filters,
                    opening,
                },
            ) = t
            {
                self.add_key(key, *opening, !filters.is_empty());
            }
        }
    }

    /// Need `key` over the period (or as the opening stock), with its
    /// breakdowns or only its total.
    pub fn add_key(&mut self, key: &str, opening: bool, breakdowns: bool) {
        let m = if opening {
            &mut self.opening
        } else {
            &mut self.period
        };
        *m.entry(key.to_string()).or_insert(false) |= breakdowns;
    }

    /// The keys to read with `detail`, over the period or as the opening.
    pub fn keys(&self, opening: bool, detail: Detail) -> Vec<&str> {
        let m = if opening { &self.opening } else { &self.period };
        m.iter()
            .filter(|(_, b)| **b == (detail == Detail::Breakdowns))
            .map(|(k, _)| k.as_str())
            .collect()
    }
}

fn difference(c: &Catalogue, all: &Tables, below: &Tables) -> Values {
    let mut period = all.period.clone();
    let mut opening = all.opening.clone();
    for (k, v) in &below.period.values {
        *period.values.entry(k.clone()).or_insert(0) -= v;
    }
    for (k, v) in &below.opening.values {
        *opening.values.entry(k.clone()).or_insert(0) -= v;
    }
    values(c, &Tables { period, opening })
}

impl Figures {
    pub async fn compute(
        store: &Store,
        catalogue: &Catalogue,
        unit: &Unit,
        period: &Period,
        compare: bool,
    ) -> Result<Figures, StoreError> {
        let r = period.range();
        let tree = units::tree(store).await?;
        let (all, reorganised) = Self::subtree(store, catalogue, &tree, unit, r).await?;
        let unit_levels = levels_below(tree.all(), unit, r.start, r.end);
        // The subtrees of each level together, then one level's own
        // figures as its subtrees minus the next level's; read as
        // reorganised when the subtree is, so the levels still add up.
        let mut subtrees = Vec::with_capacity(unit_levels.len() + 1);
        for level in &unit_levels {
            subtrees.push(if reorganised.is_some() {
                tables_as_reorganised(store, catalogue, &tree, level, r).await?
            } else {
                tables_of(store, catalogue, level, r).await?
            });
        }
        subtrees.push(Tables::default());
        let levels = unit_levels
            .iter()
            .enumerate()
            .map(|(i, level)| Level {
                depth: i + 1,
                unit_ids: level.iter().map(|u| u.id).collect(),
                values: difference(catalogue, &subtrees[i], &subtrees[i + 1]),
            })
            .collect();
        let below = subtrees.into_iter().next().unwrap_or_default();
        let (prev, prev_reorganised) = if compare {
            let p = period.previous_year().range();
            let (t, note) = Self::subtree(store, catalogue, &tree, unit, p).await?;
            (Some(values(catalogue, &t)), note)
        } else {
            (None, None)
        };
        let violations = catalogue
            .rules
            .iter()
            .filter_map(|rule| {
                let l = rule.left.eval(&all.period, &all.opening);
                let rv = rule.right.eval(&all.period, &all.opening);
                (!rule.op.holds(l, rv)).then(|| Violation {
                    code: rule.code.clone(),
                    severity: rule.severity,
                    message: rule.message.clone(),
                    left: l,
                    op: rule.op.symbol(),
                    right: rv,
                })
            })
            .collect();
        Ok(Figures {
            own: difference(catalogue, &all, &below),
            below: values(catalogue, &below),
            all: values(catalogue, &all),
            below_count: unit_levels.first().map_or(0, Vec::len),
            levels,
            prev,
            violations,
            reorganised,
            prev_reorganised,
        })
    }

    /// The tables of `unit`'s subtree over `r`: as recorded, or as
    /// reorganised with its footnote when `r` starts before the unit
    /// existed.
    async fn subtree(
        store: &Store,
        catalogue: &Catalogue,
        tree: &UnitTree,
        unit: &Unit,
        r: DateRange,
    ) -> Result<(Tables, Option<Note>), StoreError> {
        if unit.is_country() || !reorganised::involved(tree, unit, r.start) {
            return Ok((tables(store, catalogue, Scope::of(unit), r).await?, None));
        }
        let sources = reorganised::sources(tree, unit, r.start);
        let t = tables_weighted(store, catalogue, &sources, r).await?;
        Ok((t, Some(reorganised::note(unit, &sources))))
    }
}

/// The rows of a table of the units directly below `unit`: the values of
/// `unit`'s subtree, of its own body (the subtree minus the units below),
/// and of each unit directly below that existed during the period, read
/// as the report reads them (as reorganised when the period starts before
/// `unit` existed), so the rows add up to the subtree.
pub async fn by_unit_below(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    period: &Period,
) -> Result<(Values, Values, Vec<(Unit, Values)>), StoreError> {
    let r = period.range();
    let tree = units::tree(store).await?;
    let (all, reorganised) = Figures::subtree(store, catalogue, &tree, unit, r).await?;
    let children = levels_below(tree.all(), unit, r.start, r.end)
        .into_iter()
        .next()
        .unwrap_or_default();
    let mut below = Tables::default();
    let mut rows = Vec::with_capacity(children.len());
    for u in children {
        let t = if reorganised.is_some() {
            tables_as_reorganised(store, catalogue, &tree, &[u], r).await?
        } else {
            tables_of(store, catalogue, &[u], r).await?
        };
        for (k, v) in &t.period.values {
            *below.period.values.entry(k.clone()).or_insert(0) += v;
        }
        for (k, v) in &t.opening.values {
            *below.opening.values.entry(k.clone()).or_insert(0) += v;
        }
        rows.push((u.clone(), values(catalogue, &t)));
    }
    let own = difference(catalogue, &all, &below);
    Ok((values(catalogue, &all), own, rows))
}

/// The indicator values of one subtree for a period (for annex tables).
pub async fn subtree_values(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    period: &Period,
) -> Result<Values, StoreError> {
    let t = tables(store, catalogue, Scope::of(unit), period.range()).await?;
    Ok(values(catalogue, &t))
}
