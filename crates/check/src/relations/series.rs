//! Several totals listed together and their parts: "đã giải quyết 274 đơn
//! khiếu nại và 105 đơn tố cáo; trong đó có 11 …, 10 … và 179 …; có 9 …, 15
//! … và 70 …" (by ";" groups, in order), "32/52 vụ việc KN, 63/78 vụ việc
//! TC. Trong đó, có 7 vụ KN, 12 vụ TC đúng; …" (by the label after each).

use super::breakdown::Found;
use super::lists::{OwnerUnits, next_semicolon, parse};
use super::{Doc, FigId};

/// "đã giải quyết 274 đơn khiếu nại và 105 đơn tố cáo; trong đó …": the
/// totals listed right before the marker.
pub(super) fn series_owners(doc: &Doc, p: usize, owner: FigId, m: usize) -> Option<Vec<FigId>> {
    if owner.0 != p {
        return None;
    }
    let text = &doc.paras[p].text;
    let figs = doc.figs(p);
    let o = doc.fig(owner);
    let clause_from = text[..o.f.start]
        .rfind([';', ':', '.'])
        .map_or(0, |k| k + 1);
    let owners: Vec<FigId> = (0..=owner.1)
        .filter(|&j| {
            let f = &figs[j];
            f.f.start >= clause_from
                && f.depth == o.depth
                && f.is_amount()
                && f.unit() == o.unit()
                && f.is_fraction() == o.is_fraction()
        })
        .map(|j| (p, j))
        .collect();
    let _ = m;
    (owners.len() >= 2).then_some(owners)
}

/// Groups the parts of several totals: by ";" groups in the same order,
/// or by the label written after each ("7 vụ KN, 12 vụ TC đúng; …").
pub(super) fn series(
    doc: &Doc,
    p: usize,
    owners: &[FigId],
    scope: (usize, usize),
    depth: usize,
    found: &mut Vec<Found>,
) -> bool {
    let units = OwnerUnits::of(doc, owners[0]);
    let all = parse(doc, p, scope, depth, &units).heads;
    if all.is_empty() {
        return false;
    }
    // By label.
    let labels: Vec<Option<String>> = owners.iter().map(|&o| trailing_label(doc, o)).collect();
    if labels.iter().all(Option::is_some) {
        let mut groups: Vec<Vec<FigId>> = vec![Vec::new(); owners.len()];
        let ok = all.iter().all(|&h| {
            let l = trailing_label(doc, h);
            match labels.iter().position(|x| *x == l) {
                Some(k) => {
                    groups[k].push(h);
                    true
                }
                None => false,
            }
        });
        let distinct = labels
            .iter()
            .collect::<std::collections::HashSet<_>>()
            .len()
            == labels.len();
        if ok && distinct {
            for (o, g) in owners.iter().zip(groups) {
                found.push(Found {
                    owner: *o,
                    heads: g,
                    scope_start: scope.0,
                });
            }
            return true;
        }
    }
    // By ";" groups.
    let mut bounds = Vec::new();
    let mut from = scope.0;
    while from < scope.1 {
        let semi = next_semicolon(doc, p, from, scope.1, depth);
        bounds.push((from, semi));
        from = semi + 1;
    }
    if bounds.len() != owners.len() {
        return false;
    }
    for (o, b) in owners.iter().zip(bounds) {
        let heads: Vec<FigId> = all
            .iter()
            .copied()
            .filter(|h| {
                let s = doc.fig(*h).f.start;
                s >= b.0 && s < b.1
            })
            .collect();
        found.push(Found {
            owner: *o,
            heads,
            scope_start: b.0,
        });
    }
    true
}

/// The word written right after a figure's unit, when it is in capitals
/// ("32/52 vụ việc KN" → "KN").
fn trailing_label(doc: &Doc, id: FigId) -> Option<String> {
    let f = &doc.fig(id).f;
    let rest = doc.paras[id.0].text.get(f.unit_end..)?;
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    (word.len() >= 2 && word.chars().all(|c| c.is_uppercase())).then_some(word)
}
