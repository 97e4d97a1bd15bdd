//! Totals in the body whose parts are in a footnote: "phát hiện sai phạm
//! 7.554 triệu đồng⁽¹⁶⁾" with "⁽¹⁶⁾ thu hồi 3.565 triệu đồng, … 419 triệu
//! đồng, … 3.569 triệu đồng". Numbered anchors map to their footnote; in
//! plain-text exports where numbers are lost, anchors and footnotes are
//! matched in order, allowing for anchors the text no longer shows.

use super::breakdown::exact_prefix;
use super::{Doc, FigId};
use crate::segment::ParaKind;
use crate::vocab::{breakdown_marker, first_words};

/// Parts in a footnote may miss the total by this much (percent) and still
/// be reported; further off, they are taken to be about something else.
const FOOTNOTE_TOLERANCE_PCT: i128 = 2;

/// Most words between a total and its footnote anchor.
const MAX_ANCHOR_WORDS: usize = 10;

pub(super) fn footnote_breakdowns(doc: &mut Doc) {
    let mut numbered: Vec<(String, usize)> = Vec::new();
    let mut unnumbered: Vec<usize> = Vec::new();
    for (i, para) in doc.paras.iter().enumerate() {
        match &para.kind {
            ParaKind::Footnote { label: Some(l) } => numbered.push((l.clone(), i)),
            ParaKind::Footnote { label: None } => unnumbered.push(i),
            ParaKind::Body => {}
        }
    }
    // Anchors in body order.
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
        let qualifying: Vec<usize> = candidates
            .into_iter()
            .filter(|&fp| qualifies(doc, t, fp))
            .collect();
        if let [fp] = qualifying[..] {
            link(doc, t, fp);
        }
    }
}

/// The count just before an anchor, if only a few words separate them.
fn total_before(doc: &Doc, p: usize, pos: usize) -> Option<FigId> {
    let ti = doc
        .counts(p)
        .into_iter()
        .rev()
        .find(|&j| doc.figs[p][j].end <= pos)?;
    let t = (p, ti);
    let fig = doc.fig(t);
    let para = &doc.paras[p];
    if para.sentence_of(fig.start) != para.sentence_of(pos.saturating_sub(1)) {
        return None;
    }
    let between = para.text.get(fig.end..pos)?;
    if between.contains(';')
        || between.chars().any(|c| c.is_ascii_digit())
        || between.split_whitespace().count() > MAX_ANCHOR_WORDS
    {
        return None;
    }
    if doc.has_parts.contains(&t) {
        return None;
    }
    Some(t)
}

fn same_unit_counts(doc: &Doc, t: FigId, fp: usize) -> Vec<FigId> {
    let unit = doc.fig(t).unit().map(str::to_string);
    doc.counts(fp)
        .into_iter()
        .map(|j| (fp, j))
        .filter(|id| {
            doc.fig(*id).unit().map(str::to_string) == unit && !doc.parent.contains_key(id)
        })
        .collect()
}

fn opens_with_breakdown(doc: &Doc, fp: usize) -> bool {
    let text = &doc.paras[fp].text;
    let start = text
        .char_indices()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(text.len(), |(k, _)| k);
    breakdown_marker(&first_words(&text[start..], 3))
}

fn qualifies(doc: &Doc, t: FigId, fp: usize) -> bool {
    same_unit_counts(doc, t, fp).len() >= 2
        || (opens_with_breakdown(doc, fp) && doc.counts(fp).len() >= 2)
}

fn link(doc: &mut Doc, t: FigId, fp: usize) {
    let nodes = same_unit_counts(doc, t, fp);
    let total = doc.value(t).scaled;
    // One or more full partitions of the total, one after the other.
    let mut start = 0;
    let mut found = false;
    while start < nodes.len() {
        let mut sum = 0;
        let mut end = None;
        for (k, &n) in nodes.iter().enumerate().skip(start) {
            sum += doc.value(n).scaled;
            if sum == total && k > start {
                end = Some(k);
                break;
            }
            if sum > total {
                break;
            }
        }
        let Some(k) = end else { break };
        let parts = nodes[start..=k].to_vec();
        doc.has_parts.remove(&t);
        doc.record_sum(t, &parts, crate::finding::Severity::Ok);
        found = true;
        start = k + 1;
    }
    if found {
        return;
    }
    // The first clause of the footnote, meant as the breakdown.
    let para = &doc.paras[fp];
    let clause_end = para.text.find(';').unwrap_or(para.text.len());
    let first_sentence_end = para.sentences.first().map_or(para.text.len(), |s| s.1);
    let end = clause_end.min(first_sentence_end);
    let clause: Vec<FigId> = nodes
        .iter()
        .copied()
        .filter(|&id| doc.fig(id).start < end)
        .collect();
    if clause.len() >= 2 {
        doc.check_breakdown(t, &clause, FOOTNOTE_TOLERANCE_PCT);
        return;
    }
    if opens_with_breakdown(doc, fp) {
        let all: Vec<FigId> = doc
            .counts(fp)
            .into_iter()
            .map(|j| (fp, j))
            .filter(|id| doc.fig(*id).start < first_sentence_end)
            .collect();
        exact_prefix(doc, t, &all);
    }
}
