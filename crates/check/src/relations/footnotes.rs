//! Totals in the body whose parts are in a footnote: "phát hiện sai phạm
//! 7.554 triệu đồng⁽¹⁶⁾" with "⁽¹⁶⁾ thu hồi 3.565 triệu đồng, … 419 triệu
//! đồng, … 3.569 triệu đồng; xử phạt 212 triệu đồng". Numbered anchors map
//! to their footnote; in plain-text exports where numbers are lost,
//! anchors and footnotes are matched in order, allowing for anchors the
//! text no longer shows, and a footnote is linked only when exactly one
//! candidate lists parts in the total's unit.

use super::breakdown::Found;
use super::lists::{OwnerUnits, next_semicolon, parse};
use super::{Doc, FigId};
use crate::segment::ParaKind;

/// Most words between a total and its footnote anchor.
const MAX_ANCHOR_WORDS: usize = 10;

pub(super) fn footnote_breakdowns(doc: &Doc, found: &mut Vec<Found>) {
    let mut numbered: Vec<(String, usize)> = Vec::new();
    let mut unnumbered: Vec<usize> = Vec::new();
    for (i, para) in doc.paras.iter().enumerate() {
        match &para.kind {
            ParaKind::Footnote { label: Some(l) } => numbered.push((l.clone(), i)),
            ParaKind::Footnote { label: None } => unnumbered.push(i),
            ParaKind::Body => {}
        }
    }
    let mut anchors: Vec<(usize, usize, Option<String>)> = Vec::new();
    for (i, para) in doc.paras.iter().enumerate() {
        if para.is_footnote() {
            continue;
        }
        for a in &para.anchors {
            anchors.push((i, a.pos, a.label.clone()));
        }
    }
    let implicit_total = anchors.iter().filter(|a| a.2.is_none()).count();
    let mut implicit_index = 0usize;
    for (p, pos, label) in anchors {
        let candidates: Vec<usize> = match &label {
            Some(l) => numbered
                .iter()
                .filter(|(nl, _)| nl == l)
                .map(|&(_, i)| i)
                .take(1)
                .collect(),
            None => {
                let k = implicit_index;
                implicit_index += 1;
                let f = unnumbered.len();
                let a = implicit_total;
                let (lo, hi) = if f >= a {
                    (k, k + (f - a))
                } else {
                    (k.saturating_sub(a - f), k)
                };
                (lo..=hi)
                    .filter_map(|j| unnumbered.get(j).copied())
                    .collect()
            }
        };
        let Some(t) = total_before(doc, p, pos) else {
            continue;
        };
        let lists: Vec<Vec<FigId>> = candidates
            .iter()
            .map(|&fp| footnote_parts(doc, t, fp))
            .filter(|h| h.len() >= 2)
            .collect();
        if let [heads] = &lists[..] {
            found.push(Found {
                owner: t,
                heads: heads.clone(),
                scope_start: 0,
            });
        }
    }
}

/// The count just before an anchor, if only a few words separate them.
fn total_before(doc: &Doc, p: usize, pos: usize) -> Option<FigId> {
    let figs = doc.figs(p);
    let j = (0..figs.len())
        .rev()
        .find(|&j| figs[j].f.end <= pos && figs[j].is_count() && figs[j].is_amount())?;
    let f = &figs[j];
    let para = &doc.paras[p];
    if para.sentence_of(f.f.start) != para.sentence_of(pos.saturating_sub(1)) {
        return None;
    }
    let between = para.text.get(f.f.end..pos)?;
    if between.contains(';')
        || between.chars().any(|c| c.is_ascii_digit())
        || between.split_whitespace().count() > MAX_ANCHOR_WORDS
    {
        return None;
    }
    Some((p, j))
}

/// The parts a footnote lists for total `t`: the items of its first
/// clause when it lists two or more ("thu hồi 3.565 …, 419 …, xử lý khác
/// 3.569 …; xử phạt 212 …"), else the first item of each clause
/// ("kinh tế: 630 mô hình; an ninh: 172 mô hình; …").
fn footnote_parts(doc: &Doc, t: FigId, fp: usize) -> Vec<FigId> {
    let units = OwnerUnits::of(doc, t);
    let para = &doc.paras[fp];
    let start = para
        .text
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(para.text.len(), |(k, _)| k);
    let end = para.sentences.first().map_or(para.text.len(), |s| s.1);
    let semi = next_semicolon(doc, fp, start, end, 0);
    let first = parse(doc, fp, (start, semi), 0, &units).heads;
    if first.len() >= 2 {
        return first;
    }
    let mut heads = Vec::new();
    let mut from = start;
    while from < end {
        let to = next_semicolon(doc, fp, from, end, 0);
        if let Some(&h) = parse(doc, fp, (from, to), 0, &units).heads.first() {
            heads.push(h);
        }
        from = to + 1;
    }
    heads
}
