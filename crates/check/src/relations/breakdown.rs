//! Parts the text says make up a total: after "trong đó" / "gồm", in
//! brackets right after the total, or in bullets under a paragraph that
//! ends with the total ("… là: 47 mô hình." then "+ …: 18 mô hình").

use super::{Doc, FigId};
use crate::figures::FigKind;
use crate::finding::Severity;
use crate::vocab::{breakdown_marker, first_words};

/// How far (in percent of the total) parts may miss an explicit total and
/// still be taken as meant to make it up.
pub(super) const EXPLICIT_TOLERANCE_PCT: i128 = 20;

/// Most words between a total and the bracket or marker opening its parts.
const MAX_LEAD_WORDS: usize = 8;

/// Breakdowns in brackets and after "trong đó" / "gồm".
pub(super) fn marked_breakdowns(doc: &mut Doc, p: usize) {
    let counts = doc.counts(p);
    for &ti in &counts {
        let t = (p, ti);
        if doc.has_parts.contains(&t) {
            continue;
        }
        let Some((scope, hetero)) = scope_after(doc, t) else {
            continue;
        };
        let unit = doc.fig(t).unit().map(str::to_string);
        let in_scope: Vec<FigId> = counts
            .iter()
            .map(|&j| (p, j))
            .skip_while(|&id| doc.fig(id).start < scope.0)
            .take_while(|&id| doc.fig(id).start < scope.1)
            .filter(|id| !doc.parent.contains_key(id))
            .collect();
        let same: Vec<FigId> = in_scope
            .iter()
            .copied()
            .filter(|&id| doc.fig(id).unit().map(str::to_string) == unit)
            .collect();
        if same.len() >= 2 {
            doc.check_breakdown(t, &same, EXPLICIT_TOLERANCE_PCT);
        } else if hetero && in_scope.len() >= 2 {
            exact_prefix(doc, t, &in_scope);
        }
    }
}

/// Records `t` = first k figures of `parts` when they add up exactly.
pub(super) fn exact_prefix(doc: &mut Doc, t: FigId, parts: &[FigId]) -> bool {
    let total = doc.value(t).scaled;
    let mut sum = 0;
    for (k, &id) in parts.iter().enumerate() {
        sum += doc.value(id).scaled;
        if sum == total && k >= 1 {
            doc.record_sum(t, &parts[..=k], Severity::Ok);
            return true;
        }
        if sum > total {
            break;
        }
    }
    false
}

/// The byte range holding the parts of total `t`, and whether parts of
/// other units may count ("gồm 09 phường và 14 xã").
fn scope_after(doc: &Doc, t: FigId) -> Option<((usize, usize), bool)> {
    let para = &doc.paras[t.0];
    let text = &para.text;
    let fig = doc.fig(t);
    let rest = text.get(fig.unit_end..)?;
    // Walk over a few words (no digits) until "(" or a marker.
    let mut words = 0;
    let mut prev_space = true;
    let mut skip_to = 0;
    for (k, c) in rest.char_indices() {
        let abs = fig.unit_end + k;
        if k < skip_to {
            continue;
        }
        if c == '(' {
            let inner = first_words(&text[abs + 1..], 2);
            let close = matching_paren(text, abs).unwrap_or(text.len());
            let counts_inside = doc.figs[t.0]
                .iter()
                .any(|f| f.start > abs && f.start < close && f.count().is_some());
            if counts_inside {
                return Some(((abs + 1, close), breakdown_marker(&inner)));
            }
            // "(chiếm 76,2% tổng đơn)": not the parts, look further.
            skip_to = close + 1 - fig.unit_end;
            continue;
        }
        if c == ':' {
            return Some(((abs + 1, marker_scope_end(doc, t, abs)), false));
        }
        if c.is_ascii_digit() || c == ';' || c == ')' {
            return None;
        }
        if c.is_alphabetic() && prev_space {
            let ahead = first_words(&text[abs..], 3);
            if breakdown_marker(&ahead) {
                let hetero = !ahead.starts_with("trong do");
                return Some(((abs, marker_scope_end(doc, t, abs)), hetero));
            }
            words += 1;
            if words > MAX_LEAD_WORDS {
                return None;
            }
        }
        if matches!(c, '.' | '!' | '?') && para.sentence_of(abs) != para.sentence_of(fig.start) {
            return None;
        }
        prev_space = !c.is_alphanumeric();
    }
    None
}

/// A marker's parts run to the end of its clause (";"), or to the end of
/// the sentence when the marker ends with ":".
fn marker_scope_end(doc: &Doc, t: FigId, from: usize) -> usize {
    let para = &doc.paras[t.0];
    let text = &para.text;
    let sentence_end = para
        .sentences
        .get(para.sentence_of(from))
        .map_or(text.len(), |s| s.1);
    let head: String = text[from..sentence_end].chars().take(20).collect();
    if head.contains(':') {
        return sentence_end;
    }
    text[from..sentence_end]
        .find(';')
        .map_or(sentence_end, |k| from + k)
}

fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, c) in text.get(open..)?.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + k);
                }
            }
            _ => {}
        }
    }
    None
}

/// "… là : 47 mô hình." followed by bullets "+ … 18 mô hình", "+ … 13 mô
/// hình", "+ … 16 mô hình".
pub(super) fn bullet_breakdowns(doc: &mut Doc) {
    let body: Vec<usize> = (0..doc.paras.len())
        .filter(|&i| !doc.paras[i].is_footnote())
        .collect();
    for (bi, &p) in body.iter().enumerate() {
        if doc.paras[p].bullet {
            continue;
        }
        let Some(&ti) = doc.counts(p).last() else {
            continue;
        };
        let t = (p, ti);
        let fig = doc.fig(t);
        let tail = doc.paras[p].text.get(fig.unit_end..).unwrap_or("");
        if tail.chars().any(|c| c.is_alphanumeric()) {
            continue;
        }
        let unit = fig.unit().map(str::to_string);
        let mut parts = Vec::new();
        for &q in &body[bi + 1..] {
            if !doc.paras[q].bullet {
                break;
            }
            let first = doc.figs[q]
                .iter()
                .position(|f| !matches!(f.kind, FigKind::Percent { .. }));
            let Some(fi) = first else { break };
            let id = (q, fi);
            if !matches!(doc.fig(id).kind, FigKind::Count { .. })
                || doc.fig(id).unit().map(str::to_string) != unit
                || doc.excluded.contains(&id)
            {
                break;
            }
            parts.push(id);
        }
        if parts.len() >= 2 {
            doc.check_breakdown(t, &parts, EXPLICIT_TOLERANCE_PCT);
        }
    }
}
