//! Reading a list of parts: the items of a scope (the words after "trong
//! đó", inside a bracket, after a colon), and the lists nested in it — a
//! colon, "trong đó", "gồm" or "với" after an item opens the item's own
//! parts; "; trong đó" opens another breakdown of the same total; kinds
//! listed after a level ("UBND huyện tiếp 32 lượt/48 người; tiếp công dân
//! định kỳ 13 lượt…, tiếp dân thường xuyên 19 lượt…") break that level
//! down.

use super::{Doc, FigId};
use crate::para::{Fig, LabelClass, label_class};
use crate::units::agree;

/// The units a total's parts may have.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnerUnits {
    /// The total's unit (`None`: any unit the parts agree on).
    pub main: Option<String>,
    /// The unit of the second half of a pair total ("người").
    pub pair: Option<String>,
    /// A fraction without a unit ("1.456/1.625, trong đó … 1.447 hồ sơ")
    /// takes the unit of its parts.
    pub any: bool,
}

impl OwnerUnits {
    pub fn of(doc: &Doc, owner: FigId) -> OwnerUnits {
        let f = doc.fig(owner);
        OwnerUnits {
            main: f.unit().map(str::to_string),
            pair: f
                .pair
                .and_then(|q| doc.fig((owner.0, q)).unit().map(str::to_string)),
            any: f.unit().is_none() && f.is_fraction(),
        }
    }

    /// Whether a figure may be an item of this total's list.
    pub fn admits(&self, f: &Fig) -> bool {
        if !f.is_amount() || f.paired {
            return false;
        }
        let Some(u) = f.unit() else {
            return true;
        };
        let Some(main) = &self.main else {
            // "4 kiến nghị (Hội Cựu chiến binh 1 cuộc; …)": a total without a
            // unit of count has no parts with one.
            return self.any;
        };
        agree(main, u)
            || self.pair.as_deref().is_some_and(|q| agree(q, u))
            || (f.both && main == "luot")
    }
}

/// A list nested in another.
pub(crate) enum Sub {
    /// The parts of `.0` are the list in this byte range at this depth.
    Scope(FigId, (usize, usize), usize),
    /// The parts of `.0` are these items.
    Heads(FigId, Vec<FigId>),
}

/// What a scope holds.
#[derive(Default)]
pub(crate) struct Parsed {
    /// The items, in order.
    pub heads: Vec<FigId>,
    pub subs: Vec<Sub>,
    /// Other breakdowns of the same total ("…; trong đó cấp tỉnh …").
    pub seconds: Vec<(usize, usize)>,
}

/// Case-insensitive positions of a word or phrase (on word boundaries).
pub(crate) fn find_words(text: &str, phrase: &str) -> Vec<usize> {
    let lower: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| (i, c.to_lowercase().next().unwrap_or(c)))
        .collect();
    let needle: Vec<char> = phrase.chars().collect();
    let mut out = Vec::new();
    if needle.is_empty() || lower.len() < needle.len() {
        return out;
    }
    for k in 0..=lower.len() - needle.len() {
        if lower[k..k + needle.len()]
            .iter()
            .zip(&needle)
            .all(|((_, a), b)| a == b)
        {
            let before_ok = k == 0 || !lower[k - 1].1.is_alphanumeric();
            let after_ok = lower
                .get(k + needle.len())
                .is_none_or(|(_, c)| !c.is_alphanumeric());
            if before_ok && after_ok {
                out.push(lower[k].0);
            }
        }
    }
    out
}

/// Whether "với" at `i` may open parts ("5.591 đơn … với 651 đơn …"), not
/// "đối với", "so với", "cùng với".
pub(crate) fn is_with(text: &str, i: usize) -> bool {
    let before = text[..i].trim_end().to_lowercase();
    let last = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    !matches!(last, "đối" | "so" | "cùng" | "tương" | "kèm" | "gắn")
}

/// Openers of nested lists at `depth` inside `scope`: (position, byte
/// length of the opener, what it is).
fn openers(
    doc: &Doc,
    p: usize,
    scope: (usize, usize),
    depth: usize,
) -> Vec<(usize, usize, Opener)> {
    let text = &doc.paras[p].text;
    let brackets = &doc.a[p].brackets;
    let at_depth = |pos: usize| {
        crate::para::bracket_at(brackets, pos).map_or(0, |b| brackets[b].depth) == depth
    };
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if i > scope.0 && i < scope.1 && c == ':' && at_depth(i) {
            out.push((i, 1, Opener::Colon));
        }
    }
    for (phrase, what) in [
        ("trong đó", Opener::Of),
        ("bao gồm", Opener::Of),
        ("gồm", Opener::Of),
        ("với", Opener::With),
    ] {
        for i in find_words(text, phrase) {
            if i > scope.0 && i < scope.1 && at_depth(i) {
                if phrase == "gồm" && text[..i].ends_with("bao ") {
                    continue;
                }
                if phrase == "với" && !is_with(text, i) {
                    continue;
                }
                out.push((i, phrase.len(), what));
            }
        }
    }
    out.sort_by_key(|o| o.0);
    out
}

/// "đã được:": a colon right after the verb of the item's handling.
fn after_verb(text: &str, colon: usize) -> bool {
    let before = text[..colon].trim_end().to_lowercase();
    let last = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    last == "được"
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Colon,
    Of,
    With,
}

/// The next ";" at `depth` after `from`, or `to`.
pub(crate) fn next_semicolon(doc: &Doc, p: usize, from: usize, to: usize, depth: usize) -> usize {
    let text = &doc.paras[p].text;
    let brackets = &doc.a[p].brackets;
    text.get(from..to)
        .unwrap_or("")
        .char_indices()
        .map(|(k, c)| (from + k, c))
        .find(|&(i, c)| {
            c == ';'
                && crate::para::bracket_at(brackets, i).map_or(0, |b| brackets[b].depth) == depth
        })
        .map_or(to, |(i, _)| i)
}

/// The words from the previous separator to figure `id` (its label).
pub(crate) fn label_of(doc: &Doc, id: FigId, scope_start: usize) -> String {
    let text = &doc.paras[id.0].text;
    let start = doc.fig(id).f.start;
    let head = text.get(scope_start..start).unwrap_or("");
    let cut = head.rfind([',', ';', ':', '(', '[']);
    let from = cut.map_or(scope_start, |k| scope_start + k + 1);
    let label = text.get(from..start).unwrap_or("");
    // "kinh tế: 630 mô hình": the label stands before the colon.
    if label.trim().is_empty()
        && let Some(k) = cut
        && head[k..].starts_with(':')
    {
        let before = &head[..k];
        let from = before.rfind([',', ';', '(', '[']).map_or(0, |j| j + 1);
        return before[from..].to_string();
    }
    label.to_string()
}

/// Reads the list in `scope` at bracket depth `depth` for a total of
/// `units`.
pub(crate) fn parse(
    doc: &Doc,
    p: usize,
    scope: (usize, usize),
    depth: usize,
    units: &OwnerUnits,
) -> Parsed {
    let figs = doc.figs(p);
    let mut cands: Vec<FigId> = (0..figs.len())
        .filter(|&i| {
            let f = &figs[i];
            f.f.start >= scope.0 && f.f.start < scope.1 && f.depth == depth && units.admits(f)
        })
        .map(|i| (p, i))
        .collect();
    let text = &doc.paras[p].text;
    let mut out = Parsed::default();
    let mut taken: Vec<(usize, usize)> = Vec::new();
    for (o, len, what) in openers(doc, p, scope, depth) {
        if taken.iter().any(|&(a, b)| o >= a && o < b) {
            continue;
        }
        let Some(&h) = cands.iter().rev().find(|id| doc.fig(**id).f.start < o) else {
            continue;
        };
        let end = next_semicolon(doc, p, o, scope.1, depth);
        let inner: Vec<FigId> = cands
            .iter()
            .copied()
            .filter(|id| {
                let s = doc.fig(*id).f.start;
                s > o && s < end
            })
            .collect();
        let after_semicolon = text[..o].trim_end().ends_with(';');
        match what {
            Opener::Of if after_semicolon => {
                out.seconds.push((o + len, scope.1));
                cands.retain(|id| doc.fig(*id).f.start < o);
                taken.push((o, scope.1));
            }
            Opener::Of if !inner.is_empty() => {
                out.subs.push(Sub::Scope(h, (o + len, end), depth));
                cands.retain(|id| !inner.contains(id));
                taken.push((o, end));
            }
            // "2.932 đơn …, đã được: chuyển … 1.270 đơn, …": after a verb a
            // colon opens the item's parts, one or more; else two or more
            // (one figure after a colon is a labelled item: "VH-XH: 11 mô hình").
            Opener::Colon | Opener::With
                if inner.len() >= 2
                    || what == Opener::Colon && after_verb(text, o) && !inner.is_empty() =>
            {
                out.subs.push(Sub::Scope(h, (o + len, end), depth));
                cands.retain(|id| !inner.contains(id));
                taken.push((o, end));
            }
            _ => {}
        }
    }
    // Kinds listed after a level break that level down.
    let classes: Vec<Option<LabelClass>> = cands
        .iter()
        .map(|&id| label_class(&label_of(doc, id, scope.0)))
        .collect();
    let levels_first = classes.first() == Some(&Some(LabelClass::Level));
    if levels_first && classes.contains(&Some(LabelClass::Kind)) {
        let mut heads = Vec::new();
        let mut current: Option<(FigId, Vec<FigId>)> = None;
        for (&id, class) in cands.iter().zip(&classes) {
            if *class == Some(LabelClass::Kind)
                && let Some((_, kinds)) = current.as_mut()
            {
                kinds.push(id);
                continue;
            }
            if let Some((l, kinds)) = current.take()
                && !kinds.is_empty()
            {
                out.subs.push(Sub::Heads(l, kinds));
            }
            heads.push(id);
            current = Some((id, Vec::new()));
        }
        if let Some((l, kinds)) = current
            && !kinds.is_empty()
        {
            out.subs.push(Sub::Heads(l, kinds));
        }
        out.heads = heads;
    } else {
        out.heads = cands;
    }
    if out.heads.is_empty() {
        out.heads = bracketed_heads(doc, p, scope, depth, units);
    }
    out
}

/// "Mặt trận (3 cuộc): …; Hội LHPN (01 cuộc): …": items whose count sits
/// alone in a bracket after their label.
fn bracketed_heads(
    doc: &Doc,
    p: usize,
    scope: (usize, usize),
    depth: usize,
    units: &OwnerUnits,
) -> Vec<FigId> {
    let figs = doc.figs(p);
    let brackets = &doc.a[p].brackets;
    (0..figs.len())
        .filter(|&i| {
            let f = &figs[i];
            let Some(b) = f.bracket else { return false };
            let alone = figs
                .iter()
                .filter(|g| g.bracket == Some(b) && !g.is_percent())
                .count()
                == 1;
            f.f.start >= scope.0
                && f.f.start < scope.1
                && f.depth == depth + 1
                && alone
                && units.admits(f)
                && !brackets[b].comparison
        })
        .map(|i| (p, i))
        .collect()
}
