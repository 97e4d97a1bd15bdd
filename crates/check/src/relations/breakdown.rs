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
use crate::para::{LabelClass, is_heading, label_class};
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
    lines(doc, &mut found);
    super::footnotes::footnote_breakdowns(doc, &mut found);
    continue_levels(doc, &mut found);
    reattach(doc, &mut found);
    for f in &found {
        emit(doc, f);
    }
}

/// The total a figure stands for: the first half of its pair.
fn owner_of(doc: &Doc, id: FigId) -> FigId {
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
                .and_then(|q| last_head(doc, q))
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
        if let Some(owners) = series_owners(doc, p, owner, m)
            && series(doc, p, &owners, (start, close), depth, found)
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

/// Bullets or "Tại …:" lines under a paragraph that ends with ":" or with
/// its total: each line's first amount is a part.
fn lines(doc: &Doc, found: &mut Vec<Found>) {
    let body: Vec<usize> = (0..doc.paras.len())
        .filter(|&i| !doc.paras[i].is_footnote())
        .collect();
    for (bi, &p) in body.iter().enumerate() {
        let para = &doc.paras[p];
        if para.bullet && !para.text.trim_end().ends_with(':') {
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
fn last_head(doc: &Doc, p: usize) -> Option<FigId> {
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
fn continue_levels(doc: &Doc, found: &mut [Found]) {
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

/// "đã giải quyết 274 đơn khiếu nại và 105 đơn tố cáo; trong đó …": the
/// totals listed right before the marker.
fn series_owners(doc: &Doc, p: usize, owner: FigId, m: usize) -> Option<Vec<FigId>> {
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
fn series(
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
