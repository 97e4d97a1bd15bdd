//! Rates: "45/53 vụ việc (đạt tỷ lệ 84,9%)", "giải quyết đúng hạn 787 hồ
//! sơ (đạt tỷ lệ 98,1%)", "hòa giải thành công 630 vụ, đạt 83,5%",
//! "2.932 đơn đủ điều kiện (chiếm 76,2% tổng đơn)". The base of a rate is
//! read from the words: the fraction it follows; the total its count is
//! listed under; for on-time and late counts the due count ("đến hạn"),
//! else the resolved one, else the on-time and late counts together (as
//! the one-stop statistics count them); else the total stated before it.

use super::{Doc, FigId, Side, Term};
use crate::figures::FigKind;
use crate::finding::FigureRole;
use crate::number::Dec;
use crate::units::agree;
use crate::vocab::{first_words, is_rate_intro, last_words};

use super::report::RateCheck;

/// Most words between a figure and the rate that follows it.
const MAX_GAP_WORDS: usize = 12;

/// A rate and the figure it is about.
#[derive(Clone, Copy)]
struct Attached {
    percent: usize,
    figure: usize,
}

fn attachments(doc: &Doc, p: usize) -> Vec<Attached> {
    let para = &doc.paras[p];
    let figs = doc.figs(p);
    let mut out = Vec::new();
    for (pi, f) in figs.iter().enumerate() {
        if !f.is_percent() || f.comparison || f.roles.approx {
            continue;
        }
        let intro = is_rate_intro(&last_words(&para.text[..f.f.start], 3)).is_some();
        // "(98,6%)": a bare rate alone in the bracket right after a figure.
        let bare = f.bracket.is_some_and(|b| {
            let br = &doc.a[p].brackets[b];
            let inner = para.text.get(br.open + 1..br.close).unwrap_or("");
            first_words(inner, 3).split_whitespace().count() <= 2
                && figs.iter().filter(|g| g.bracket == Some(b)).count() == 1
        });
        if !intro && !bare {
            continue;
        }
        // The figure written last before the rate ("176 đơn (160 …, 16 …)/221
        // đơn, đạt …": the fraction, not the 16 inside it).
        let Some(fi) = (0..pi)
            .filter(|&j| !figs[j].is_percent() && figs[j].f.end <= f.f.start)
            .max_by_key(|&j| figs[j].f.end)
        else {
            continue;
        };
        let fig = &figs[fi];
        if fig.sentence != f.sentence || fig.comparison || fig.roles.approx {
            continue;
        }
        let gap = para
            .text
            .get(fig.f.unit_end.max(fig.f.end)..f.f.start)
            .unwrap_or("");
        if gap.split_whitespace().count() > MAX_GAP_WORDS {
            continue;
        }
        out.push(Attached {
            percent: pi,
            figure: fi,
        });
    }
    out
}

pub(super) fn rates(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        let att = attachments(doc, p);
        let bearing: Vec<usize> = att.iter().map(|a| a.figure).collect();
        for a in &att {
            if doc.rated.contains(&(p, a.percent)) {
                continue;
            }
            let FigKind::Percent { value: stated } = doc.figs(p)[a.percent].f.kind else {
                continue;
            };
            let x: FigId = (p, a.figure);
            let Some((num, den)) = base(doc, x, &att, &bearing) else {
                continue;
            };
            let n = sum(doc, &num);
            let d = sum(doc, &den);
            let label = format!("{}/{}", n.to_vn(), label_of(doc, &den));
            let mut terms: Vec<(Term, FigureRole)> =
                num.iter().map(|&t| (t, FigureRole::Numerator)).collect();
            terms.extend(den.iter().map(|&t| (t, FigureRole::Denominator)));
            if doc.fig(x).is_fraction() {
                doc.used.insert(x);
            }
            doc.record_rate(
                (p, a.percent),
                &terms,
                RateCheck {
                    num: n,
                    den: d,
                    label: &label,
                    stated,
                },
            );
        }
    }
}

fn sum(doc: &Doc, terms: &[Term]) -> Dec {
    let v: Vec<Dec> = terms.iter().map(|&t| doc.value(t)).collect();
    Dec::sum(&v)
}

/// "63" or "(4.667 + 64)".
fn label_of(doc: &Doc, den: &[Term]) -> String {
    if let [one] = den {
        return doc.value(*one).to_vn();
    }
    let parts: Vec<String> = den.iter().map(|&t| doc.value(t).to_vn()).collect();
    format!("({})", parts.join(" + "))
}

fn agrees(doc: &Doc, a: FigId, b: FigId) -> bool {
    match (doc.fig(a).unit(), doc.fig(b).unit()) {
        (Some(x), Some(y)) => agree(x, y),
        _ => true,
    }
}

/// Numerator and denominator of the rate stated after figure `x`.
fn base(
    doc: &Doc,
    x: FigId,
    att: &[Attached],
    bearing: &[usize],
) -> Option<(Vec<Term>, Vec<Term>)> {
    let fx = doc.fig(x);
    let whole = (x, Side::Whole);
    if fx.is_fraction() {
        return Some((vec![(x, Side::Num)], vec![(x, Side::Den)]));
    }
    if let Some(&(resolved, total)) = doc.remainder.get(&x) {
        return Some((vec![resolved], vec![total]));
    }
    if let Some(&t) = doc.parent.get(&x) {
        let side = if doc.fig(t).is_fraction() {
            Side::Num
        } else {
            Side::Whole
        };
        return Some((vec![whole], vec![(t, side)]));
    }
    let (p, i) = x;
    let figs = doc.figs(p);
    let s = fx.sentence;
    let candidate = |j: usize| {
        let g = &figs[j];
        j != i && g.is_count() && g.is_amount() && agrees(doc, (p, j), x)
    };
    // The due count: in the sentence, else before it in the paragraph.
    let due = (0..figs.len())
        .filter(|&j| candidate(j) && figs[j].roles.due)
        .filter(|&j| figs[j].sentence == s || j < i)
        .min_by_key(|&j| (figs[j].sentence != s, i.abs_diff(j)));
    if fx.roles.on_time || fx.roles.late {
        if let Some(d) = due {
            return Some((vec![whole], vec![((p, d), Side::Whole)]));
        }
        let resolved = (0..i).rev().find(|&j| {
            candidate(j)
                && figs[j].sentence == s
                && figs[j].roles.resolved
                && !figs[j].roles.on_time
                && !figs[j].roles.late
        });
        if let Some(r) = resolved {
            return Some((vec![whole], vec![((p, r), Side::Whole)]));
        }
        let siblings: Vec<Term> = att
            .iter()
            .map(|a| a.figure)
            .filter(|&j| {
                let g = &figs[j];
                g.sentence == s
                    && g.is_count()
                    && (g.roles.on_time || g.roles.late)
                    && agrees(doc, (p, j), x)
            })
            .map(|j| ((p, j), Side::Whole))
            .collect();
        if siblings.len() >= 2 {
            return Some((vec![whole], siblings));
        }
        return None;
    }
    if let Some(d) = due {
        return Some((vec![whole], vec![((p, d), Side::Whole)]));
    }
    // The total stated before it: in its sentence, else the sentences
    // before in the paragraph; never a part, a change or another rate's
    // figure.
    let before = (0..i).rev().find(|&j| {
        candidate(j)
            && figs[j].depth <= fx.depth
            && !bearing.contains(&j)
            && !doc.parent.contains_key(&(p, j))
            && (figs[j].sentence == s || figs[j].depth == 0)
    })?;
    if doc.value(((p, before), Side::Whole)).scaled < doc.value(whole).scaled
        && figs[before].sentence != s
    {
        // A smaller count in an earlier sentence is no total of this one.
        return None;
    }
    Some((vec![whole], vec![((p, before), Side::Whole)]))
}
