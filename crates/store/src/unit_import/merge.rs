//! Merging a unit file into the units already stored (`danvan units
//! import --national`). A row that names a stored unit is that unit:
//! - by code — following the stored unit's successors to the one that
//!   existed on the row's last day, so the national list's xã An Phú
//!   (21262, until 30/06/2025) is the demo's An Phú of 2025
//!   (`21262-20250101`), not the Nghĩa An that held the code before it;
//! - else by name, kind and unit above, on the row's last day.
//!
//! A stored unit is kept as it is: its history is the more detailed one
//! (the demo's units carry their changes since 2016, the national list
//! only the tree of 30 June 2025). Only what it lacks is added — a
//! successor, the shares of a divided unit — and every difference kept is
//! reported. Everything is decided before anything is written, and a
//! second run finds every row stored and writes nothing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::text::fold;

use super::Row;
use super::shares::Divided;
use crate::units::{self, NewUnit, Share, Unit, UnitTree};
use crate::{Store, StoreError};

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MergeSummary {
    /// Units added.
    pub inserted: usize,
    /// Rows that named a unit already stored.
    pub present: usize,
    /// Stored units given the successor they lacked.
    pub linked: usize,
    /// Divided units whose shares were recorded.
    pub divided: usize,
    /// Where the file and a stored unit differ, what was kept.
    pub kept: Vec<String>,
}

/// A unit named by a file code: stored already, or added by this merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Stored(i64),
    Fresh,
}

/// What a merge will write, decided without writing anything.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Units to add, each after its parent.
    fresh: Vec<Row>,
    /// File code → the stored unit it names.
    stored: HashMap<String, i64>,
    /// (unit code, successor code): successors to set.
    links: Vec<(String, String)>,
    /// Divided units whose shares to record.
    shares: Vec<Divided>,
    /// Stored units whose shares those replace.
    replaced: Vec<i64>,
    summary: MergeSummary,
}

fn err(line: usize, field: &str, msg: String) -> DomainError {
    DomainError::new("unit.import", msg)
        .at_field(field)
        .at_line(line)
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or("…".into(), |d| d.format("%d/%m/%Y").to_string())
}

/// Rows with every parent before its children (parents outside the file
/// first of all); a duplicate code, or a parent or successor found
/// nowhere, is an error.
fn ordered(rows: Vec<Row>, tree: &UnitTree, errors: &mut Vec<DomainError>) -> Vec<Row> {
    let stored: HashSet<&str> = tree.all().iter().map(|u| u.code.as_str()).collect();
    let mut line_of: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        if let Some(first) = line_of.insert(r.code.clone(), r.line) {
            errors.push(err(
                r.line,
                "code",
                format!("mã đơn vị «{}» trùng với dòng {first}", r.code),
            ));
        }
    }
    let known = |c: &str| line_of.contains_key(c) || stored.contains(c);
    for r in &rows {
        if let Some(p) = r.parent.as_deref().filter(|p| !known(p)) {
            errors.push(err(
                r.line,
                "parent_code",
                format!(
                    "không tìm thấy đơn vị cấp trên «{p}» (không có trong tệp và cơ sở dữ liệu)"
                ),
            ));
        }
        if let Some(s) = r.successor.as_deref().filter(|s| !known(s)) {
            errors.push(err(
                r.line,
                "successor_code",
                format!("không tìm thấy đơn vị kế thừa «{s}»"),
            ));
        }
    }
    // Depth within the file; a cycle of parents stops at the row count.
    let parent: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| r.parent.as_deref().map(|p| (r.code.as_str(), p)))
        .collect();
    let depth = |code: &str| {
        let mut d = 0;
        let mut cur = code;
        while let Some(p) = parent.get(cur).filter(|p| line_of.contains_key(**p)) {
            d += 1;
            cur = p;
            if d > rows.len() {
                break;
            }
        }
        d
    };
    let mut keyed: Vec<(usize, Row)> = rows.iter().map(|r| (depth(&r.code), r.clone())).collect();
    if let Some((_, r)) = keyed.iter().find(|(d, _)| *d > rows.len()) {
        errors.push(err(
            r.line,
            "parent_code",
            format!("vòng lặp đơn vị cấp trên từ «{}»", r.code),
        ));
    }
    keyed.sort_by_key(|(d, r)| (*d, r.line));
    keyed.into_iter().map(|(_, r)| r).collect()
}

/// Same level: both at the top or both below, and both commune-level or
/// neither.
fn same_level(u: &Unit, r: &Row) -> bool {
    u.parent_id.is_none() == r.parent.is_none()
        && u.kind.is_commune_level() == r.kind.is_commune_level()
}

/// Decide the merge of `rows` and `divided` into `tree`, or every reason
/// it cannot be done. `set`: the shares are an administrator's, and
/// replace those stored; a unit they cannot apply to is an error, not a
/// difference kept.
pub(crate) fn plan(
    rows: Vec<Row>,
    divided: Vec<Divided>,
    tree: &UnitTree,
    set: bool,
) -> Result<Plan, Vec<DomainError>> {
    let mut errors = Vec::new();
    let rows = ordered(rows, tree, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let by_code: HashMap<&str, &Unit> = tree.all().iter().map(|u| (u.code.as_str(), u)).collect();
    let in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let mut children: HashMap<Option<i64>, Vec<&Unit>> = HashMap::new();
    for u in tree.all() {
        children.entry(u.parent_id).or_default().push(u);
    }
    let mut p = Plan::default();
    let mut claimed: HashMap<i64, usize> = HashMap::new();
    let mut fresh: HashSet<String> = HashSet::new();
    for r in &rows {
        // The stored unit above, `None` when it is added by this merge.
        let parent: Option<Option<i64>> = match &r.parent {
            None => Some(None),
            Some(c) => match p.stored.get(c) {
                Some(&id) => Some(Some(id)),
                None if !in_file.contains(c.as_str()) => {
                    by_code.get(c.as_str()).map(|u| Some(u.id))
                }
                None => None,
            },
        };
        let last_day = r.to.or(r.from);
        let by_code_hit: Option<&Unit> = by_code.get(r.code.as_str()).map(|&u| match last_day {
            Some(d) if !u.valid_on(d) => tree
                .get(tree.effective(u.id, d))
                .filter(|v| v.valid_on(d))
                .unwrap_or(u),
            _ => u,
        });
        let hit = match by_code_hit {
            Some(u) => {
                if !same_level(u, r) || parent != Some(u.parent_id) {
                    let above = |id: Option<i64>| {
                        id.and_then(|i| tree.get(i))
                            .map_or("không có".to_string(), |u| u.describe())
                    };
                    errors.push(err(
                        r.line,
                        "code",
                        format!(
                            "mã đơn vị «{}» đã dùng cho {} (cấp trên: {}), khác với dòng này ({} {}, cấp trên «{}»)",
                            r.code,
                            u.describe(),
                            above(u.parent_id),
                            r.kind.label(),
                            r.name,
                            r.parent.as_deref().unwrap_or("không có")
                        ),
                    ));
                    continue;
                }
                Some(u)
            }
            None => parent.and_then(|pid| {
                let name = fold(&r.name);
                let mut same = children.get(&pid).into_iter().flatten().filter(|u| {
                    u.kind == r.kind
                        && fold(&u.name) == name
                        && last_day.is_none_or(|d| u.valid_on(d))
                        && !in_file.contains(u.code.as_str())
                });
                match (same.next(), same.next()) {
                    (Some(u), None) => Some(&**u),
                    _ => None,
                }
            }),
        };
        match hit {
            Some(u) => {
                if let Some(first) = claimed.insert(u.id, r.line) {
                    errors.push(err(
                        r.line,
                        "code",
                        format!("dòng này và dòng {first} cùng chỉ {}", u.describe()),
                    ));
                }
                if u.valid_to != r.to {
                    p.summary.kept.push(format!(
                        "{}: giữ ngày hết hiệu lực đã có {} (tệp: {})",
                        u.describe(),
                        day(u.valid_to),
                        day(r.to)
                    ));
                }
                p.stored.insert(r.code.clone(), u.id);
                p.summary.present += 1;
            }
            None => {
                fresh.insert(r.code.clone());
                p.fresh.push(r.clone());
            }
        }
    }
    let target = |c: &str, p: &Plan| -> Target {
        match p.stored.get(c) {
            Some(&id) => Target::Stored(id),
            None if fresh.contains(c) => Target::Fresh,
            None => Target::Stored(by_code[c].id),
        }
    };
    for r in &rows {
        let Some(s) = &r.successor else { continue };
        let Some(&id) = p.stored.get(&r.code) else {
            p.links.push((r.code.clone(), s.clone()));
            continue;
        };
        let u = tree.get(id).expect("a stored unit");
        match (u.successor_id, target(s, &p)) {
            (Some(cur), Target::Stored(want)) if cur == want => {}
            (None, _) if u.valid_to.is_some() => {
                p.links.push((r.code.clone(), s.clone()));
                p.summary.linked += 1;
            }
            (cur, _) => p.summary.kept.push(format!(
                "{}: giữ đơn vị kế thừa đã có ({}), tệp ghi «{s}»",
                u.describe(),
                cur.and_then(|c| tree.get(c))
                    .map_or("không có".to_string(), |c| c.describe())
            )),
        }
    }
    let successor_of: HashMap<&str, &str> = rows
        .iter()
        .filter_map(|r| r.successor.as_deref().map(|s| (r.code.as_str(), s)))
        .collect();
    for d in divided {
        let known = |c: &str| in_file.contains(c) || by_code.contains_key(c);
        if let Some(c) = std::iter::once(d.code.as_str())
            .chain(d.successors.iter().map(|(s, _)| s.as_str()))
            .find(|c| !known(c))
        {
            errors.push(err(d.line, "code", format!("không tìm thấy đơn vị «{c}»")));
            continue;
        }
        // The successor that answers for the unit must be one of those
        // sharing it.
        let default = match target(&d.code, &p) {
            Target::Fresh => successor_of.get(d.code.as_str()).map(|s| target(s, &p)),
            Target::Stored(id) => {
                let linked = p
                    .links
                    .iter()
                    .find(|(c, _)| *c == d.code)
                    .map(|(_, s)| target(s, &p));
                linked.or(tree
                    .get(id)
                    .and_then(|u| u.successor_id)
                    .map(Target::Stored))
            }
        };
        let listed: Vec<Target> = d.successors.iter().map(|(s, _)| target(s, &p)).collect();
        if let Target::Stored(id) = target(&d.code, &p) {
            let u = tree.get(id).expect("a stored unit");
            let have = tree.successors(id);
            if have.iter().any(Share::is_part) {
                let same = have.len() == listed.len()
                    && have.iter().zip(&d.successors).all(|(h, (s, share))| {
                        target(s, &p) == Target::Stored(h.unit_id) && h.share == *share
                    });
                if same {
                    continue;
                }
                if !set {
                    p.summary
                        .kept
                        .push(format!("{}: giữ tỷ lệ chia đã có", u.describe()));
                    continue;
                }
                p.replaced.push(id);
            }
            if !default.is_some_and(|t| t == Target::Fresh || listed.contains(&t)) {
                let msg = format!(
                    "{}: đơn vị kế thừa đã có ({}) không nằm trong các đơn vị nhận phần",
                    u.describe(),
                    u.successor_id
                        .and_then(|s| tree.get(s))
                        .map_or("không có".to_string(), |s| s.describe())
                );
                if set {
                    errors.push(err(d.line, "successor_code", msg));
                } else {
                    p.summary.kept.push(format!("{msg}; không ghi tỷ lệ chia"));
                }
                continue;
            }
        } else if default.is_none() {
            errors.push(err(
                d.line,
                "code",
                format!("«{}» có tỷ lệ chia nhưng không có đơn vị kế thừa", d.code),
            ));
            continue;
        }
        p.summary.divided += 1;
        p.shares.push(d);
    }
    if errors.is_empty() {
        Ok(p)
    } else {
        errors.sort_by_key(|e| match e.at {
            danvan_core::Where::Line { line } | danvan_core::Where::LineField { line, .. } => line,
            _ => 0,
        });
        Err(errors)
    }
}

/// Merge a unit file (the columns of [`super::COLUMNS`]) and a file of
/// shares (those of [`super::shares::COLUMNS`]) into the stored units,
/// all or nothing: every bad row of either is reported, by line.
pub async fn merge_csv(
    store: &Store,
    units: impl std::io::Read,
    shares: impl std::io::Read,
) -> Result<MergeSummary, StoreError> {
    let mut errors: Vec<DomainError> = Vec::new();
    let rows = super::parse_rows(units, &mut errors);
    let divided = super::shares::parse(shares).unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    if !errors.is_empty() {
        return Err(StoreError::InvalidRows(errors));
    }
    merge(store, rows, divided, false).await
}

/// Set the shares of divided units as an administrator gives them (a file
/// of [`super::shares::COLUMNS`]): they replace the shares stored; every
/// unit must be stored, and the successor that answers for it one of
/// those sharing it.
pub async fn set_shares(
    store: &Store,
    shares: impl std::io::Read,
) -> Result<MergeSummary, StoreError> {
    let divided = super::shares::parse(shares).map_err(StoreError::InvalidRows)?;
    merge(store, Vec::new(), divided, true).await
}

/// Merge rows and shares into the stored units, all or nothing.
async fn merge(
    store: &Store,
    rows: Vec<Row>,
    divided: Vec<Divided>,
    set: bool,
) -> Result<MergeSummary, StoreError> {
    let tree = units::tree(store).await?;
    let plan = plan(rows, divided, &tree, set).map_err(StoreError::InvalidRows)?;
    let mut tx = store.begin().await?;
    super::lock_units(&mut tx).await?;
    // Units added, by file code.
    let mut unit: HashMap<String, Unit> = HashMap::new();
    let by_code: HashMap<&str, &Unit> = tree.all().iter().map(|u| (u.code.as_str(), u)).collect();
    let lookup = |code: &str, unit: &HashMap<String, Unit>| -> Unit {
        unit.get(code)
            .cloned()
            .or_else(|| plan.stored.get(code).and_then(|&id| tree.get(id).cloned()))
            .or_else(|| by_code.get(code).map(|u| (*u).clone()))
            .expect("the plan names only units stored or added")
    };
    // Level by level, so that every parent is stored before its children.
    let fresh: HashSet<&str> = plan.fresh.iter().map(|r| r.code.as_str()).collect();
    let mut rest: Vec<&Row> = plan.fresh.iter().collect();
    while !rest.is_empty() {
        let (ready, later): (Vec<&Row>, Vec<&Row>) = rest.into_iter().partition(|r| {
            r.parent
                .as_deref()
                .is_none_or(|p| !fresh.contains(p) || unit.contains_key(p))
        });
        let parents: Vec<Option<Unit>> = ready
            .iter()
            .map(|r| r.parent.as_deref().map(|p| lookup(p, &unit)))
            .collect();
        let new: Vec<NewUnit> = ready
            .iter()
            .zip(&parents)
            .map(|(r, parent)| NewUnit {
                code: &r.code,
                name: &r.name,
                kind: r.kind,
                parent: parent.as_ref(),
                valid_from: r.from,
                valid_to: r.to,
            })
            .collect();
        for u in units::insert_many_tx(&mut tx, &new).await? {
            unit.insert(u.code.clone(), u);
        }
        rest = later;
    }
    let links: Vec<(i64, i64)> = plan
        .links
        .iter()
        .map(|(c, s)| (lookup(c, &unit).id, lookup(s, &unit).id))
        .collect();
    units::set_successors_tx(&mut tx, &links).await?;
    let mut shares: Vec<(i64, i64, u32)> = Vec::new();
    for d in &plan.shares {
        let id = lookup(&d.code, &unit).id;
        for (s, share) in &d.successors {
            shares.push((id, lookup(s, &unit).id, *share));
        }
    }
    units::delete_shares_tx(&mut tx, &plan.replaced).await?;
    units::insert_shares_tx(&mut tx, &shares).await?;
    tx.commit().await?;
    Ok(MergeSummary {
        inserted: plan.fresh.len(),
        ..plan.summary
    })
}
