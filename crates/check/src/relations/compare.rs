//! Changes against an earlier period: "giảm 146 lượt tiếp, 127 lượt người
//! (6 tháng đầu năm 2019 đã tiếp 1.012 lượt/1.091 lượt người)", "giảm 252
//! lượt so với cùng kỳ năm 2015 (289/541 lượt)", "giảm 714 lượt so với
//! cùng kỳ [20,42%]", "[giảm 160 lượt = 44,82% so với cùng kỳ]". The
//! earlier figures are read from the comparison bracket after the change
//! (matched to each change by its unit); the current figure is the total
//! the change follows. Without an earlier figure or a percentage there is
//! nothing to check, and nothing is reported.

use super::{Doc, FigId, Side, Term};
use crate::figures::FigKind;
use crate::finding::{FigureRole, RelationKind, Severity};
use crate::number::{Dec, format_scaled, rate, rate_detail};
use crate::units::agree;
use crate::vocab::Change;

/// Most words between the last change of a list and its bracket.
const MAX_BRACKET_DISTANCE: usize = 14;

pub(super) fn comparisons(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        let n = doc.figs(p).len();
        let mut i = 0;
        while i < n {
            if doc.figs(p)[i].roles.change.is_none() || doc.figs(p)[i].roles.approx {
                i += 1;
                continue;
            }
            // The changes listed together.
            let mut group = vec![i];
            let mut j = i + 1;
            while j < n
                && doc.figs(p)[j].roles.change.is_some()
                && doc.figs(p)[j].sentence == doc.figs(p)[i].sentence
            {
                group.push(j);
                j += 1;
            }
            check_group(doc, p, &group);
            i = j;
        }
    }
}

/// What the comparison bracket holds.
struct Earlier {
    /// Counts (and the halves of pairs) of the earlier period.
    counts: Vec<usize>,
    /// "(289/541 lượt)": now/before.
    fractions: Vec<usize>,
    /// "[20,42%]", "= 44,82%".
    percents: Vec<usize>,
}

fn earlier(doc: &Doc, p: usize, group: &[usize]) -> Earlier {
    let figs = doc.figs(p);
    let last = &figs[*group.last().unwrap_or(&0)];
    let text = &doc.paras[p].text;
    let mut e = Earlier {
        counts: Vec::new(),
        fractions: Vec::new(),
        percents: Vec::new(),
    };
    // The bracket the change sits in ("[giảm 160 lượt = 44,82% …]"), or
    // the first comparison bracket after it in the sentence.
    let brackets = &doc.a[p].brackets;
    let own = last.bracket.filter(|&b| brackets[b].comparison);
    let next = brackets.iter().position(|b| {
        b.comparison
            && b.open > last.f.unit_end
            && b.depth == last.depth + 1
            && doc.paras[p].sentence_of(b.open) == last.sentence
            && text[last.f.unit_end..b.open].split_whitespace().count() <= MAX_BRACKET_DISTANCE
            && !figs.iter().any(|f| {
                f.f.start > last.f.unit_end
                    && f.f.start < b.open
                    && f.depth == last.depth
                    && !f.is_percent()
            })
    });
    for b in [own, next].into_iter().flatten() {
        for (k, f) in figs.iter().enumerate() {
            if f.bracket != Some(b) || group.contains(&k) {
                continue;
            }
            match f.f.kind {
                FigKind::Percent { .. } => e.percents.push(k),
                FigKind::Fraction { .. } => e.fractions.push(k),
                FigKind::Count { .. } if !f.roles.approx => e.counts.push(k),
                _ => {}
            }
        }
    }
    e
}

fn unit_of(doc: &Doc, id: FigId) -> Option<String> {
    doc.fig(id).unit().map(str::to_string)
}

fn same_unit(doc: &Doc, a: FigId, b: FigId) -> bool {
    match (unit_of(doc, a), unit_of(doc, b)) {
        (Some(x), Some(y)) => agree(&x, &y),
        _ => false,
    }
}

/// The figure a change is about: the nearest amount of its unit before it
/// (in its sentence or the one before), or the total that amount is part of.
fn current(doc: &Doc, d: FigId) -> Option<FigId> {
    let (p, i) = d;
    let s = doc.fig(d).sentence;
    let figs = doc.figs(p);
    let j = (0..i).rev().find(|&j| {
        let g = &figs[j];
        g.sentence + 1 >= s
            && (g.is_count() || g.is_fraction())
            && !g.comparison
            && !g.roles.approx
            && g.depth <= doc.fig(d).depth
            && same_unit(doc, (p, j), d)
    })?;
    // A part of a list in the change's own sentence ("loại khác 132 lượt
    // [giảm 160 lượt …]") stands for the list's total.
    let mut c = (p, j);
    while let Some(&up) = doc.parent.get(&c) {
        if !same_unit(doc, up, d) || up.0 != p || doc.fig(up).sentence != s || up == c {
            break;
        }
        c = up;
    }
    Some(c)
}

fn check_group(doc: &mut Doc, p: usize, group: &[usize]) {
    let e = earlier(doc, p, group);
    for &k in group {
        let d = (p, k);
        let dir = doc.fig(d).roles.change.unwrap_or(Change::Down);
        let is_pct = doc.fig(d).is_percent();
        let frac = e
            .fractions
            .iter()
            .copied()
            .find(|&f| is_pct || same_unit(doc, (p, f), d));
        let now = current(doc, d);
        if let Some(f) = frac {
            doc.used.insert((p, f));
            let (nt, pt) = (((p, f), Side::Num), ((p, f), Side::Den));
            difference(doc, d, dir, nt, pt);
            if let Some(c) = now
                && !is_pct
                && doc.fig(c).is_count()
            {
                same_figure(doc, c, nt);
            }
            continue;
        }
        if is_pct {
            continue;
        }
        let prev = e
            .counts
            .iter()
            .copied()
            .find(|&c| same_unit(doc, (p, c), d));
        let Some(c) = now else { continue };
        let nt = (
            c,
            if doc.fig(c).is_fraction() {
                Side::Num
            } else {
                Side::Whole
            },
        );
        if let Some(pv) = prev {
            difference(doc, d, dir, nt, ((p, pv), Side::Whole));
        }
        if let Some(&pc) = e.percents.first() {
            change_percent(
                doc,
                d,
                dir,
                nt,
                prev.map(|pv| ((p, pv), Side::Whole)),
                (p, pc),
            );
        }
    }
}

fn word(dir: Change) -> &'static str {
    match dir {
        Change::Down => "giảm",
        Change::Up => "tăng",
    }
}

/// now − before (increase) or before − now (decrease).
fn signed(dir: Change, now: Dec, before: Dec) -> Dec {
    match dir {
        Change::Down => before.minus(now),
        Change::Up => now.minus(before),
    }
}

/// A stated change (count or percentage) against now and the earlier figure.
fn difference(doc: &mut Doc, d: FigId, dir: Change, now: Term, before: Term) {
    let w = word(dir);
    let (n, b, stated) = (
        doc.value(now),
        doc.value(before),
        doc.value((d, Side::Whole)),
    );
    let diff = signed(dir, n, b);
    let (hi, lo) = match dir {
        Change::Down => (b, n),
        Change::Up => (n, b),
    };
    if doc.fig(d).is_percent() {
        let Some(r) = rate(diff, b, stated.decimals) else {
            return;
        };
        let s = stated.at_written_precision();
        let detail = rate_detail(diff, b, stated.decimals);
        let computed = format!(
            "({} − {})/{} = {detail}% → {}%",
            hi.to_vn(),
            lo.to_vn(),
            b.to_vn(),
            r.rounded_vn()
        );
        let (severity, explanation) = verdict_pct(w, stated, s, &r, n, b);
        doc.report(
            severity,
            RelationKind::Difference,
            d,
            &[
                (now, FigureRole::Current),
                (before, FigureRole::Previous),
                ((d, Side::Whole), FigureRole::Change),
            ],
            format!("{w} {}%", stated.to_vn()),
            computed,
            explanation,
        );
        return;
    }
    let computed = format!("{} − {} = {}", hi.to_vn(), lo.to_vn(), diff.to_vn());
    let (severity, explanation) = if diff.scaled == stated.scaled {
        (
            Severity::Ok,
            format!(
                "Mức {w} khớp: kỳ này {}, kỳ so sánh {}.",
                n.to_vn(),
                b.to_vn()
            ),
        )
    } else {
        (
            Severity::Error,
            format!(
                "Báo cáo ghi {w} {} nhưng kỳ này {} so với kỳ trước {} thì chênh lệch là {computed}.",
                stated.to_vn(),
                n.to_vn(),
                b.to_vn()
            ),
        )
    };
    doc.report(
        severity,
        RelationKind::Difference,
        d,
        &[
            (now, FigureRole::Current),
            (before, FigureRole::Previous),
            ((d, Side::Whole), FigureRole::Change),
        ],
        format!("{w} {}", stated.to_vn()),
        computed,
        explanation,
    );
}

fn verdict_pct(
    w: &str,
    stated: Dec,
    s: i128,
    r: &crate::number::Rate,
    n: Dec,
    b: Dec,
) -> (Severity, String) {
    if s == r.rounded {
        (
            Severity::Ok,
            format!(
                "Mức {w} khớp với số kỳ này {} và kỳ so sánh {}.",
                n.to_vn(),
                b.to_vn()
            ),
        )
    } else if s == r.truncated {
        (
            Severity::Warning,
            format!(
                "Mức {w} ghi {}%, làm tròn đúng là {}%; con số ghi là kết quả cắt bớt chữ số.",
                stated.to_vn(),
                r.rounded_vn()
            ),
        )
    } else {
        (
            Severity::Error,
            format!(
                "Báo cáo ghi {w} {}% nhưng từ kỳ này {} và kỳ so sánh {} tính được {}% (cắt bớt: {}%).",
                stated.to_vn(),
                n.to_vn(),
                b.to_vn(),
                r.rounded_vn(),
                format_scaled(r.truncated, stated.decimals)
            ),
        )
    }
}

/// "giảm 120 lượt so cùng kỳ [15,19%]": the percentage of the earlier
/// figure (stated, or now ± the change).
fn change_percent(
    doc: &mut Doc,
    d: FigId,
    dir: Change,
    now: Term,
    before: Option<Term>,
    pct: FigId,
) {
    let w = word(dir);
    let (n, amount, stated) = (
        doc.value(now),
        doc.value((d, Side::Whole)),
        doc.value((pct, Side::Whole)),
    );
    let b = match before {
        Some(t) => doc.value(t),
        None => match dir {
            Change::Down => Dec::sum(&[n, amount]),
            Change::Up => n.minus(amount),
        },
    };
    let Some(r) = rate(amount, b, stated.decimals) else {
        return;
    };
    doc.rated.insert(pct);
    let s = stated.at_written_precision();
    let detail = rate_detail(amount, b, stated.decimals);
    let how = if before.is_some() {
        String::new()
    } else {
        let op = if dir == Change::Down { "+" } else { "−" };
        format!(
            " (kỳ trước {} {op} {} = {})",
            n.to_vn(),
            amount.to_vn(),
            b.to_vn()
        )
    };
    let computed = format!(
        "{}/{} = {detail}% → {}%{how}",
        amount.to_vn(),
        b.to_vn(),
        r.rounded_vn()
    );
    let (severity, explanation) = verdict_pct(w, stated, s, &r, n, b);
    let mut terms = vec![
        (now, FigureRole::Current),
        ((d, Side::Whole), FigureRole::Change),
        ((pct, Side::Whole), FigureRole::Rate),
    ];
    terms.extend(before.map(|b| (b, FigureRole::Previous)));
    doc.report(
        severity,
        RelationKind::ChangePercent,
        pct,
        &terms,
        format!("{w} {} ({}%)", amount.to_vn(), stated.to_vn()),
        computed,
        explanation,
    );
}

/// The current figure written again in the comparison "(289/541 lượt)".
fn same_figure(doc: &mut Doc, c: FigId, again: Term) {
    let (a, b) = (doc.value((c, Side::Whole)), doc.value(again));
    let (severity, explanation) = if a.scaled == b.scaled {
        (
            Severity::Ok,
            "Số kỳ này trong cặp so sánh trùng với số đã nêu trước đó.".to_string(),
        )
    } else {
        (
            Severity::Error,
            format!(
                "Số kỳ này ghi {} nhưng trong cặp so sánh lại ghi {}.",
                a.to_vn(),
                b.to_vn()
            ),
        )
    };
    doc.report(
        severity,
        RelationKind::SameFigure,
        c,
        &[
            ((c, Side::Whole), FigureRole::Current),
            (again, FigureRole::Previous),
        ],
        a.to_vn(),
        format!("{} / {}", a.to_vn(), b.to_vn()),
        explanation,
    );
}
