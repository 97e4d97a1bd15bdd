//! Parts laid out as lines under their total: bullets or "Tại …:" lines
//! under a paragraph that ends with ":" or with its total; and a total
//! whose only listed part is a level, continued by the sentences or lines
//! that open with another level.

use super::breakdown::{Found, owner_of};
use super::lists::label_of;
use super::{Doc, FigId};
use crate::para::{LabelClass, is_heading, label_class};
use crate::units::agree;

/// Bullets or "Tại …:" lines under a paragraph that ends with ":" or with
/// its total: each line's first amount is a part.
pub(super) fn lines(doc: &Doc, found: &mut Vec<Found>) {
    let body: Vec<usize> = (0..doc.paras.len())
        .filter(|&i| !doc.paras[i].is_footnote())
        .collect();
    for (bi, &p) in body.iter().enumerate() {
        let para = &doc.paras[p];
        // A line among lines ("+ …", "Tại cấp tỉnh: …" before "Tại các
        // huyện: …") is no total of the lines after it, unless it ends
        // with ":".
        let first_word = |t: &str| t.split_whitespace().next().unwrap_or("").to_lowercase();
        let sibling = line_label(&para.text)
            && body.get(bi + 1).is_some_and(|&q| {
                let next = &doc.paras[q].text;
                line_label(next) && first_word(next) == first_word(&para.text)
            });
        if (para.bullet || sibling) && !para.text.trim_end().ends_with(':') {
            continue;
        }
        let Some(owner) = last_head(doc, p) else {
            continue;
        };
        let ends_colon = para.text.trim_end().ends_with(':');
        // "cắt giảm … 06 TTHC, đơn giản hóa … 03 TTHC và điều chỉnh 03 TTHC.
        // Cụ thể:": several totals side by side; the lines are no breakdown
        // of the last one.
        let o = doc.fig(owner);
        let side_by_side = doc.figs(p).iter().any(|g| {
            g.sentence == o.sentence
                && g.depth == 0
                && g.f.start < o.f.start
                && g.is_amount()
                && g.is_fraction() == o.is_fraction()
                && g.unit() == o.unit()
        });
        if side_by_side {
            continue;
        }
        let tail = tail_after(doc, owner);
        let mut heads = Vec::new();
        let mut first_word: Option<String> = None;
        for &q in &body[bi + 1..] {
            let line = &doc.paras[q];
            if is_heading(&line.text) {
                break;
            }
            let labelled = line_label(&line.text);
            // Plain lines under "…, trong đó:" run while they open alike
            // ("Đơn vị cấp tỉnh …", "Đơn vị cấp huyện …").
            let word = line
                .text
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_lowercase();
            let alike = *first_word.get_or_insert_with(|| word.clone()) == word;
            if !(line.bullet || labelled || ends_colon && alike) {
                break;
            }
            let Some(first) = first_head(doc, q) else {
                break;
            };
            let (of, fl) = (doc.fig(owner), doc.fig(first));
            let same_kind = of.is_fraction() == fl.is_fraction();
            let units_ok = match (of.unit(), fl.unit()) {
                (Some(a), Some(b)) => agree(a, b),
                _ => true,
            };
            if !same_kind || !units_ok {
                break;
            }
            heads.push(first);
        }
        if heads.len() >= 2 && (ends_colon || tail) {
            found.push(Found {
                owner,
                heads,
                scope_start: 0,
            });
        }
    }
}

/// "Tại cấp huyện: …", "Đơn vị cấp tỉnh đã …": a line opening with a label
/// and a colon within its first words.
fn line_label(text: &str) -> bool {
    text.split(':').next().is_some_and(|head| {
        head.len() < text.len()
            && head.split_whitespace().count() <= 8
            && !head.chars().any(|c| c.is_ascii_digit())
    })
}

/// Only a bracket with a rate, or nothing, follows the owner in its
/// paragraph.
fn tail_after(doc: &Doc, owner: FigId) -> bool {
    let para = &doc.paras[owner.0];
    let f = &doc.fig(owner).f;
    let rest = para.text.get(f.unit_end..).unwrap_or("");
    let mut depth = 0;
    rest.chars().all(|c| {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        depth > 0 || !c.is_alphanumeric() || c == ')' || c == ']'
    })
}

/// The last top-level amount of a paragraph (the first half of a pair).
pub(super) fn last_head(doc: &Doc, p: usize) -> Option<FigId> {
    let figs = doc.figs(p);
    let j = (0..figs.len())
        .rev()
        .find(|&j| figs[j].depth == 0 && (figs[j].is_amount() || figs[j].paired))?;
    Some(owner_of(doc, (p, j)))
}

/// The first top-level amount of a paragraph.
fn first_head(doc: &Doc, p: usize) -> Option<FigId> {
    let figs = doc.figs(p);
    let j = (0..figs.len()).find(|&j| figs[j].depth == 0 && figs[j].is_amount())?;
    Some((p, j))
}

/// A total whose only listed part is a level ("đã tiếp 70 lượt (UBND
/// huyện tiếp 32 lượt …)") continues with the next sentences or lines
/// that open with another level ("Ủy ban nhân dân các xã tiếp 38 lượt"),
/// up to the next heading.
pub(super) fn continue_levels(doc: &Doc, found: &mut [Found]) {
    for f in found.iter_mut() {
        if f.heads.len() != 1 {
            continue;
        }
        let h = f.heads[0];
        if label_class(&label_of(doc, h, f.scope_start)) != Some(LabelClass::Level) {
            continue;
        }
        let owner = doc.fig(f.owner);
        let Some(unit) = owner.unit().map(str::to_string) else {
            continue;
        };
        let p = f.owner.0;
        let s0 = owner.sentence;
        let mut more = Vec::new();
        'paras: for q in p..doc.paras.len().min(p + 8) {
            if doc.paras[q].is_footnote() || q > p && is_heading(&doc.paras[q].text) {
                break;
            }
            let sentences = doc.paras[q].sentences.len();
            for s in 0..sentences {
                if q == p && s <= s0 {
                    continue;
                }
                let figs = doc.figs(q);
                let Some(j) = (0..figs.len())
                    .find(|&j| figs[j].sentence == s && figs[j].depth == 0 && figs[j].is_amount())
                else {
                    continue;
                };
                let g = &figs[j];
                let (ss, _) = doc.paras[q].sentences[s];
                let label = doc.paras[q].text[ss..g.f.start].to_string();
                if g.unit().is_some_and(|u| agree(&unit, u))
                    && label_class(&label) == Some(LabelClass::Level)
                    && !label.contains(',')
                {
                    more.push((q, j));
                    if more.len() > 6 {
                        break 'paras;
                    }
                }
            }
        }
        f.heads.extend(more);
    }
}
