//! What is left: "đã giải quyết được 19/33 vụ việc, 14 vụ còn lại đang
//! giải quyết" (33 = 19 + 14), "tiếp nhận 63 đơn thư, đã giải quyết dứt
//! điểm 52 đơn, còn 11 đơn" (63 = 52 + 11). The remainder is read from
//! "còn", "còn lại"; what was resolved from the fraction before it or the
//! count of "giải quyết" before it; the total from the fraction, or the
//! count before the resolved one.

use super::{Doc, FigId, Side, Term};
use crate::finding::RelationKind;
use crate::para::is_heading;
use crate::units::agree;

/// How many paragraphs back a fraction may be ("Hiện còn 7 vụ việc"
/// under "đã giải quyết 85/92 vụ việc" of the paragraph before).
const LOOKBACK_PARAS: usize = 2;

pub(super) fn remaining(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        for i in 0..doc.figs(p).len() {
            let z = (p, i);
            let f = doc.fig(z);
            if !f.roles.remaining || !f.is_count() || !f.is_amount() || doc.parent.contains_key(&z)
            {
                continue;
            }
            let Some((x, y)) = fraction_before(doc, z)
                .or_else(|| resolved_before(doc, z))
                .or_else(|| rest_of_split(doc, z))
            else {
                continue;
            };
            doc.remainder.insert(z, (x, y));
            doc.record_sum(RelationKind::Remaining, y, &[x, (z, Side::Whole)]);
        }
    }
}

fn units_agree(doc: &Doc, a: FigId, b: FigId) -> bool {
    match (doc.fig(a).unit(), doc.fig(b).unit()) {
        (Some(x), Some(y)) => agree(x, y),
        _ => true,
    }
}

/// The nearest fraction before `z` in its paragraph or the ones just
/// before it.
fn fraction_before(doc: &mut Doc, z: FigId) -> Option<(Term, Term)> {
    let (p, i) = z;
    for q in (p.saturating_sub(LOOKBACK_PARAS)..=p).rev() {
        if q < p && (doc.paras[q].is_footnote() || is_heading(&doc.paras[q].text)) {
            break;
        }
        let upto = if q == p { i } else { doc.figs(q).len() };
        let found = (0..upto).rev().find(|&j| {
            let g = doc.fig((q, j));
            g.is_fraction() && g.is_amount() && units_agree(doc, (q, j), z)
        });
        if let Some(j) = found {
            doc.used.insert((q, j));
            return Some((((q, j), Side::Num), ((q, j), Side::Den)));
        }
        if q < p && is_heading(&doc.paras[q].text) {
            break;
        }
    }
    None
}

/// "đã giải quyết X …, còn Z": X the count of "giải quyết" before Z in its
/// sentence; the total the count before X, in the sentence or the one
/// before.
fn resolved_before(doc: &Doc, z: FigId) -> Option<(Term, Term)> {
    let (p, i) = z;
    let s = doc.fig(z).sentence;
    let figs = doc.figs(p);
    let xi = (0..i).rev().find(|&j| {
        let g = &figs[j];
        g.sentence == s
            && g.is_count()
            && g.is_amount()
            && g.roles.resolved
            && !g.roles.on_time
            && !g.roles.late
            && units_agree(doc, (p, j), z)
            && !doc.parent.contains_key(&(p, j))
    })?;
    let base = |j: usize| {
        let g = &figs[j];
        g.is_count()
            && g.is_amount()
            && g.depth == 0
            && units_agree(doc, (p, j), z)
            && !doc.parent.contains_key(&(p, j))
    };
    let yi = (0..xi)
        .rev()
        .find(|&j| base(j) && figs[j].sentence + 1 >= s)?;
    Some((((p, xi), Side::Whole), ((p, yi), Side::Whole)))
}

/// "Sau phân loại, 221 đơn thuộc thẩm quyền …. Còn lại 1.315 đơn là …": a
/// sentence opening with "Còn lại" counts the rest of the total split in
/// the sentence before: the total is the count before that sentence's.
fn rest_of_split(doc: &Doc, z: FigId) -> Option<(Term, Term)> {
    let (p, i) = z;
    let s = doc.fig(z).sentence;
    let (from, _) = doc.sentence_range(p, s);
    let opening = doc.paras[p].text[from..doc.fig(z).f.start]
        .trim()
        .to_lowercase();
    if !(opening == "còn lại" || opening == "số còn lại") || s == 0 {
        return None;
    }
    let figs = doc.figs(p);
    let head = |j: usize| {
        let g = &figs[j];
        g.is_count()
            && g.is_amount()
            && g.depth == 0
            && units_agree(doc, (p, j), z)
            && !doc.parent.contains_key(&(p, j))
    };
    let xi = (0..i)
        .rev()
        .find(|&j| head(j) && figs[j].sentence + 1 == s)?;
    let yi = (0..xi)
        .rev()
        .find(|&j| head(j) && figs[j].sentence + 1 < s && figs[j].sentence + 3 >= s)?;
    Some((((p, xi), Side::Whole), ((p, yi), Side::Whole)))
}
