//! Totals and their parts, as the text lays them out: "trong đó", "gồm",
//! "bao gồm" and "với" after a total; a colon or a bracket right after it;
//! a sentence opening with "Trong đó", "Cụ thể" or "Theo đó" under the
//! total of the sentence before; bullets or "Tại …:" lines under a
//! paragraph; "lũy kế" or "tổng cộng" after the parts. Parts are the
//! items of the list; their count decides nothing but which relation is
//! stated (one part: a partial list, nothing to add up).

use super::lists::{OwnerUnits, Parsed, Sub, find_words, label_of, next_semicolon, parse};
use super::{Doc, FigId, Side, Term};
use crate::finding::RelationKind;
use crate::para::{LabelClass, label_class};
use crate::units::agree;

/// Most words between a total and the bracket opening its parts.
const MAX_LEAD_WORDS: usize = 10;

/// Most words between a total and "trong đó", "gồm" (or a bracket opening
/// with them), which say plainly that parts follow.
const MAX_MARKER_WORDS: usize = 16;

/// A total and its parts, before they are checked.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub owner: FigId,
    pub heads: Vec<FigId>,
    /// Where the list started (for labels).
    pub scope_start: usize,
}

pub(super) fn breakdowns(doc: &mut Doc) {
    let mut found: Vec<Found> = Vec::new();
    for p in 0..doc.paras.len() {
        markers(doc, p, &mut found);
        brackets(doc, p, &mut found);
        colons(doc, p, &mut found);
        cumulative(doc, p, &mut found);
    }
    super::lines::lines(doc, &mut found);
    super::footnotes::footnote_breakdowns(doc, &mut found);
    super::lines::continue_levels(doc, &mut found);
    reattach(doc, &mut found);
    for f in &found {
        emit(doc, f);
    }
}

/// The total a figure stands for: the first half of its pair.
pub(super) fn owner_of(doc: &Doc, id: FigId) -> FigId {
    if doc.fig(id).paired {
        let p = id.0;
        if let Some(first) = (0..id.1).rev().find(|&j| doc.figs(p)[j].pair == Some(id.1)) {
            return (p, first);
        }
    }
    id
}

/// The nearest amount before `pos` at `depth` in the same sentence, with
/// at most `max_words` words and no other figure, ";" or sentence end
/// between (brackets of rates or words in between are skipped).
fn owner_before(doc: &Doc, p: usize, pos: usize, depth: usize, max_words: usize) -> Option<FigId> {
    let para = &doc.paras[p];
    let s = para.sentence_of(pos);
    let figs = doc.figs(p);
    let brackets = &doc.a[p].brackets;
    let j = (0..figs.len()).rev().find(|&j| {
        let f = &figs[j];
        // "176 đơn (…)/221 đơn": a fraction whose bracket sits inside it.
        let around = f.is_fraction() && f.f.num_end <= pos && pos < f.f.den_start;
        // "(8 cuộc):": a count alone in a bracket closing right before.
        let closing = f.depth == depth + 1
            && f.bracket.is_some_and(|b| {
                let close = brackets[b].close;
                close < pos && para.text[close + 1..pos].trim().is_empty()
            });
        (f.f.unit_end <= pos || around) && (f.depth == depth || closing)
    })?;
    let f = &figs[j];
    if f.sentence != s || !f.is_amount() && !f.paired {
        return None;
    }
    let between = outside_brackets(doc, p, f.f.unit_end.min(pos), pos, depth);
    // "…3.092 người; trong đó …": a ";" right before the marker is allowed.
    let between = between.trim_end().strip_suffix(';').unwrap_or(&between);
    if between.contains(';') || between.split_whitespace().count() > max_words {
        return None;
    }
    // No other amount at this depth in between.
    if figs[j + 1..]
        .iter()
        .any(|g| g.f.start < pos && g.depth == depth && g.is_amount())
    {
        return None;
    }
    Some(owner_of(doc, (p, j)))
}

/// The text of `from..to` at `depth`, deeper brackets left out.
fn outside_brackets(doc: &Doc, p: usize, from: usize, to: usize, depth: usize) -> String {
    let text = &doc.paras[p].text;
    let brackets = &doc.a[p].brackets;
    text.get(from..to)
        .unwrap_or("")
        .char_indices()
        .filter(|&(k, _)| {
            crate::para::bracket_at(brackets, from + k).map_or(0, |b| brackets[b].depth) <= depth
        })
        .map(|(_, c)| c)
        .collect()
}

/// The last amount at the top level of sentence `s` of paragraph `p`.
fn sentence_head(doc: &Doc, p: usize, s: usize) -> Option<FigId> {
    let figs = doc.figs(p);
    let j = (0..figs.len()).rev().find(|&j| {
        figs[j].sentence == s && figs[j].depth == 0 && (figs[j].is_amount() || figs[j].paired)
    })?;
    Some(owner_of(doc, (p, j)))
}

/// Whether `pos` opens its sentence (only marks before it).
fn opens_sentence(doc: &Doc, p: usize, pos: usize) -> bool {
    let para = &doc.paras[p];
    let (s, _) = para.sentences[para.sentence_of(pos)];
    para.text[s..pos].chars().all(|c| !c.is_alphanumeric())
}

/// Parses the list of `owner` in `scope` and collects it with its nested
/// lists.
fn collect(
    doc: &Doc,
    p: usize,
    owner: FigId,
    scope: (usize, usize),
    depth: usize,
    found: &mut Vec<Found>,
) {
    let units = OwnerUnits::of(doc, owner);
    let Parsed {
        heads,
        subs,
        seconds,
    } = parse(doc, p, scope, depth, &units);
    if !heads.is_empty() {
        found.push(Found {
            owner,
            heads,
            scope_start: scope.0,
        });
    }
    for sub in subs {
        match sub {
            Sub::Scope(h, s, d) => collect(doc, p, h, s, d, found),
            Sub::Heads(h, heads) => found.push(Found {
                owner: h,
                heads,
                scope_start: scope.0,
            }),
        }
    }
    for s in seconds {
        collect(doc, p, owner, s, depth, found);
    }
}

/// "trong đó", "gồm", "bao gồm", "với" and sentence-opening "Cụ thể",
/// "Theo đó".
fn markers(doc: &Doc, p: usize, found: &mut Vec<Found>) {
    let text = &doc.paras[p].text;
    let brackets = &doc.a[p].brackets;
    let mut all: Vec<(usize, usize, bool)> = Vec::new();
    for phrase in ["trong đó", "gồm", "bao gồm", "với"] {
        for i in find_words(text, phrase) {
            if phrase == "gồm" && text[..i].to_lowercase().ends_with("bao ") {
                continue;
            }
            if phrase == "với" && !super::lists::is_with(text, i) {
                continue;
            }
            all.push((i, phrase.len(), phrase == "với"));
        }
    }
    for phrase in ["cụ thể", "theo đó"] {
        for i in find_words(text, phrase) {
            if opens_sentence(doc, p, i) {
                all.push((i, phrase.len(), false));
            }
        }
    }
    all.sort();
    for (m, len, with) in all {
        let depth = crate::para::bracket_at(brackets, m).map_or(0, |b| brackets[b].depth);
        let para = &doc.paras[p];
        let s = para.sentence_of(m);
        let sentence_end = para.sentences[s].1;
        let bracket = crate::para::bracket_at(brackets, m);
        let opens_bracket = bracket.is_some_and(|b| {
            text[brackets[b].open + 1..m]
                .chars()
                .all(|c| !c.is_alphanumeric())
        });
        let first_sentence = s == 0 && opens_sentence(doc, p, m);
        let owner = if first_sentence {
            // "Theo đó, …" opening a paragraph: the total closes the one before.
            p.checked_sub(1)
                .filter(|&q| !doc.paras[q].is_footnote())
                .and_then(|q| super::lines::last_head(doc, q))
        } else if opens_bracket {
            // "1.149 đơn … (trong đó có 354 đơn …, 795 đơn …)".
            let b = &brackets[bracket.unwrap_or_default()];
            owner_before(doc, p, b.open, b.depth - 1, MAX_MARKER_WORDS)
        } else if opens_sentence(doc, p, m) {
            s.checked_sub(1)
                .and_then(|prev| sentence_head(doc, p, prev))
        } else {
            let words = if with {
                MAX_LEAD_WORDS
            } else {
                MAX_MARKER_WORDS
            };
            owner_before(doc, p, m, depth, words).or_else(|| {
                // "100% số đơn đã được xử lý, trong đó …": no total in the
                // sentence before the marker; the sentence before holds it.
                let none_before = !doc
                    .figs(p)
                    .iter()
                    .any(|f| f.sentence == s && f.f.start < m && !f.is_percent());
                (none_before && !with)
                    .then(|| {
                        s.checked_sub(1)
                            .and_then(|prev| sentence_head(doc, p, prev))
                    })
                    .flatten()
            })
        };
        let Some(owner) = owner else { continue };
        let close =
            crate::para::bracket_at(brackets, m).map_or(sentence_end, |b| brackets[b].close);
        let start = m + len;
        let colon_follows = text
            .get(start..)
            .unwrap_or("")
            .trim_start()
            .trim_start_matches("có")
            .trim_start()
            .starts_with(':');
        let end = if with {
            next_semicolon(doc, p, start, close, depth)
        } else if opens_sentence(doc, p, m) || colon_follows {
            close
        } else {
            list_end(doc, p, owner, start, close, depth)
        };
        if with {
            // "5.591 đơn … với 651 đơn …, 281 đơn … và 4.659 đơn …": the
            // parts follow "với" at once.
            let units = OwnerUnits::of(doc, owner);
            let items: Vec<FigId> = doc
                .figs_in(p, (start, end))
                .into_iter()
                .filter(|id| doc.fig(*id).depth == depth && units.admits(doc.fig(*id)))
                .collect();
            let at_once = items.first().is_some_and(|id| {
                text[start..doc.fig(*id).f.start].split_whitespace().count() <= 1
            });
            if items.len() < 2 || !at_once {
                continue;
            }
        }
        if let Some(owners) = super::series::series_owners(doc, p, owner, m)
            && super::series::series(doc, p, &owners, (start, close), depth, found)
        {
            continue;
        }
        collect(doc, p, owner, (start, end), depth, found);
    }
}

/// Where a "trong đó" list without a colon ends: at the next ";" when its
/// first segment lists two or more items ("75 đơn, trong đó mới 54 đơn,
/// kỳ trước 21 đơn; qua phân loại…"), else at `close` (items one per
/// segment: "…; trong đó, thường xuyên 1.147 lượt; định kỳ 500 lượt;").
fn list_end(doc: &Doc, p: usize, owner: FigId, start: usize, close: usize, depth: usize) -> usize {
    let semi = next_semicolon(doc, p, start, close, depth);
    // "trong đó có 2.478 đơn KN, TC, đã chuyển … 1.467 đơn": an item opening
    // with "đã" is the next clause of the sentence, not a part.
    let text = &doc.paras[p].text;
    if let Some(k) = text[start..semi].find(", đã ") {
        return start + k;
    }
    let units = OwnerUnits::of(doc, owner);
    let first = parse(doc, p, (start, semi), depth, &units);
    if first.heads.len() >= 2 { semi } else { close }
}

/// A bracket right after a total holds its parts.
fn brackets(doc: &Doc, p: usize, found: &mut Vec<Found>) {
    let text = &doc.paras[p].text;
    for b in &doc.a[p].brackets {
        if b.comparison {
            continue;
        }
        let inner = text
            .get(b.open + 1..b.close)
            .unwrap_or("")
            .trim_start()
            .to_lowercase();
        if inner.starts_with("trong đó") || inner.starts_with("gồm") || inner.starts_with("bao gồm")
        {
            continue; // read by `markers`
        }
        let Some(owner) = owner_before(doc, p, b.open, b.depth - 1, MAX_LEAD_WORDS) else {
            continue;
        };
        collect(doc, p, owner, (b.open + 1, b.close), b.depth, found);
    }
}

/// "Về giám sát (8 cuộc): Mặt trận (3 cuộc): …; Hội LHPN (01 cuộc): …".
fn colons(doc: &Doc, p: usize, found: &mut Vec<Found>) {
    let text = &doc.paras[p].text;
    let brackets = &doc.a[p].brackets;
    for (c, ch) in text.char_indices() {
        if ch != ':' {
            continue;
        }
        let depth = crate::para::bracket_at(brackets, c).map_or(0, |b| brackets[b].depth);
        let Some(owner) = owner_before(doc, p, c, depth, 3) else {
            continue;
        };
        let para = &doc.paras[p];
        let s = para.sentence_of(c);
        let close =
            crate::para::bracket_at(brackets, c).map_or(para.sentences[s].1, |b| brackets[b].close);
        // The first colon of a sentence opens its list; a later one labels
        // an item of it ("Mặt trận (3 cuộc): …;") and reaches the next ";".
        let (from, _) = para.sentences[s];
        let earlier = text[from..c].char_indices().any(|(k, ch)| {
            ch == ':'
                && crate::para::bracket_at(brackets, from + k).map_or(0, |b| brackets[b].depth)
                    == depth
        });
        let end = if earlier {
            next_semicolon(doc, p, c + 1, close, depth)
        } else {
            close
        };
        collect(doc, p, owner, (c + 1, end), depth, found);
    }
}

/// "tiếp nhận mới 4.131 hồ sơ, tồn … 2.171, lũy kế … 6.302 hồ sơ": the
/// cumulative figure is the sum of the counts before it in its sentence.
fn cumulative(doc: &Doc, p: usize, found: &mut Vec<Found>) {
    let figs = doc.figs(p);
    for (i, f) in figs.iter().enumerate() {
        if !f.roles.cumulative || !f.is_count() || f.depth != 0 || !f.is_amount() {
            continue;
        }
        let units = OwnerUnits::of(doc, (p, i));
        let heads: Vec<FigId> = (0..i)
            .filter(|&j| {
                let g = &figs[j];
                g.sentence == f.sentence && g.depth == 0 && g.is_count() && units.admits(g)
            })
            .map(|j| (p, j))
            .collect();
        if heads.len() >= 2 {
            found.push(Found {
                owner: (p, i),
                heads,
                scope_start: doc.sentence_range(p, f.sentence).0,
            });
        }
    }
}

/// A bracket after the last item of a list whose items are of one class
/// (kinds: "kinh tế: 630 mô hình; …: 214 mô hình") and whose own items are
/// of the other (levels: "cấp tỉnh 32 mô hình, cấp huyện 110 mô hình…")
/// breaks down the list's total, not its last item.
fn reattach(doc: &Doc, found: &mut [Found]) {
    let classes = |f: &Found| -> Option<LabelClass> {
        let c: Vec<Option<LabelClass>> = f
            .heads
            .iter()
            .map(|&h| label_class(&label_of(doc, h, f.scope_start)))
            .collect();
        let first = (*c.first()?)?;
        c.iter().all(|x| *x == Some(first)).then_some(first)
    };
    for i in 0..found.len() {
        let Some(sub_class) = classes(&found[i]) else {
            continue;
        };
        let owner = found[i].owner;
        let list = found
            .iter()
            .position(|l| l.heads.len() >= 2 && l.heads.last() == Some(&owner) && l.owner != owner);
        let Some(l) = list else { continue };
        if classes(&found[l]).is_some_and(|c| c != sub_class) {
            found[i].owner = found[l].owner;
        }
    }
}

/// Checks one total against its parts, for each of its units: turns and
/// persons of "147 lượt/167 người" are two sums.
pub(crate) fn emit(doc: &mut Doc, f: &Found) {
    let owner = doc.fig(f.owner).clone();
    // A list mixing fractions and counts under a count ("291 vụ việc.
    // Trong đó, … 238/316 vụ việc, còn lại 35 vụ việc") breaks nothing down.
    let mixed = !owner.is_fraction()
        && owner.pair.is_none()
        && f.heads.iter().any(|&h| doc.fig(h).is_fraction());
    if mixed {
        return;
    }
    for &h in &f.heads {
        doc.parent.entry(h).or_insert(f.owner);
    }
    if owner.is_fraction() {
        let all_fractions = f.heads.iter().all(|&h| doc.fig(h).is_fraction());
        let no_fraction = f.heads.iter().all(|&h| !doc.fig(h).is_fraction());
        if no_fraction && f.heads.len() >= 2 {
            // "176 đơn (160 khiếu nại, 16 tố cáo)/221 đơn".
            let parts: Vec<Term> = f.heads.iter().map(|&h| (h, Side::Whole)).collect();
            doc.record_sum(RelationKind::Sum, (f.owner, Side::Num), &parts);
        }
        if all_fractions && f.heads.len() >= 2 {
            let num: Vec<Term> = f.heads.iter().map(|&h| (h, Side::Num)).collect();
            let den: Vec<Term> = f.heads.iter().map(|&h| (h, Side::Den)).collect();
            doc.record_sum(RelationKind::Sum, (f.owner, Side::Num), &num);
            doc.record_sum(RelationKind::Sum, (f.owner, Side::Den), &den);
        }
        return;
    }
    let units = OwnerUnits::of(doc, f.owner);
    let mut first: Vec<Term> = Vec::new();
    let mut second: Vec<Term> = Vec::new();
    for &h in &f.heads {
        let g = doc.fig(h).clone();
        let gu = g.unit().map(str::to_string);
        let in_main = match (&units.main, &gu) {
            (Some(m), Some(u)) => agree(m, u) || g.both && m == "luot",
            _ => true,
        };
        let in_pair = units
            .pair
            .as_ref()
            .zip(gu.as_ref())
            .is_some_and(|(q, u)| agree(q, u));
        if g.is_fraction() {
            if units.pair.is_some() && in_pair {
                // "161/201 người" among "98 lượt/115 người": a pair.
                doc.used.insert(h);
                first.push((h, Side::Num));
                second.push((h, Side::Den));
            }
            continue;
        }
        if in_main {
            first.push((h, Side::Whole));
        }
        if units.pair.is_some() {
            if let Some(q) = g.pair {
                second.push(((h.0, q), Side::Whole));
            } else if g.both || in_pair && !in_main {
                second.push((h, Side::Whole));
            }
        }
    }
    if first.len() >= 2 {
        doc.record_sum(RelationKind::Sum, (f.owner, Side::Whole), &first);
    }
    if let Some(q) = owner.pair
        && second.len() >= 2
    {
        doc.record_sum(RelationKind::Sum, ((f.owner.0, q), Side::Whole), &second);
    }
}
