//! Finds the relations a report states between its figures and checks them.
//!
//! Every relation is tied to the grammar of the sentence: a rate right
//! after a fraction or a count, parts listed after "trong đó", "gồm", in
//! brackets, in bullets or in a footnote, a change "so với cùng kỳ (a/b)".
//! Parts that add up exactly to a figure just before them are recorded as a
//! consistent relation; a near miss is reported only where the text says
//! that the parts make up the total. Figures tied to nothing are left alone.

mod breakdown;
mod compare;
mod footnotes;
mod rates;

use std::collections::{HashMap, HashSet};

use crate::figures::{FigKind, Figure, scan};
use crate::finding::{Finding, RelationKind, Severity};
use crate::number::Dec;
use crate::segment::Para;

/// A figure: (paragraph index, figure index).
pub(crate) type FigId = (usize, usize);

/// Paragraphs with more figures than this are not analysed.
const MAX_FIGURES_PER_PARAGRAPH: usize = 1500;

/// Most parts looked at for one total.
const MAX_PARTS: usize = 40;

/// Longest quote, in characters.
const MAX_QUOTE: usize = 420;

/// Working state while checking one document.
pub(crate) struct Doc<'a> {
    pub paras: &'a [Para],
    pub figs: Vec<Vec<Figure>>,
    /// Part → the total it was found to make up.
    pub parent: HashMap<FigId, FigId>,
    /// Totals already checked against their parts.
    pub has_parts: HashSet<FigId>,
    /// Figures that belong to a comparison with a previous period.
    pub excluded: HashSet<FigId>,
    /// Fractions whose rate was checked.
    pub rated: HashSet<FigId>,
    pub out: Vec<Finding>,
}

/// Checks all relations of a segmented document.
pub fn check_paragraphs(paras: &[Para]) -> Vec<Finding> {
    // A paragraph with thousands of figures is no prose a report would
    // hold; skipping it keeps the work bounded on hostile input.
    let figs = paras
        .iter()
        .map(|p| {
            let f = scan(&p.text);
            if f.len() > MAX_FIGURES_PER_PARAGRAPH {
                Vec::new()
            } else {
                f
            }
        })
        .collect();
    let mut doc = Doc {
        paras,
        figs,
        parent: HashMap::new(),
        has_parts: HashSet::new(),
        excluded: HashSet::new(),
        rated: HashSet::new(),
        out: Vec::new(),
    };
    for p in 0..paras.len() {
        compare::comparisons(&mut doc, p);
    }
    for p in 0..paras.len() {
        doc.group_exact_runs(p);
    }
    for p in 0..paras.len() {
        rates::rates(&mut doc, p);
    }
    footnotes::footnote_breakdowns(&mut doc);
    breakdown::bullet_breakdowns(&mut doc);
    for p in 0..paras.len() {
        breakdown::marked_breakdowns(&mut doc, p);
    }
    for p in 0..paras.len() {
        compare::parts_of_wholes(&mut doc, p);
        compare::listed_names(&mut doc, p);
    }
    let mut seen = HashSet::new();
    let mut out: Vec<Finding> = doc
        .out
        .into_iter()
        .filter(|f| seen.insert((f.kind, f.line, f.stated.clone(), f.computed.clone())))
        .collect();
    out.sort_by_key(|f| f.line);
    out
}

impl Doc<'_> {
    pub fn fig(&self, id: FigId) -> &Figure {
        &self.figs[id.0][id.1]
    }

    pub fn sentence_of(&self, id: FigId) -> usize {
        self.paras[id.0].sentence_of(self.fig(id).start)
    }

    /// Counts with a unit that are not part of a comparison.
    pub fn counts(&self, p: usize) -> Vec<usize> {
        self.figs[p]
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                matches!(f.kind, FigKind::Count { .. })
                    && f.unit().is_some()
                    && !self.excluded.contains(&(p, *i))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub fn value(&self, id: FigId) -> Dec {
        self.fig(id).count().unwrap_or(Dec::int(0))
    }

    /// The sentence around byte `pos` of paragraph `p`, shortened if long.
    pub fn quote(&self, p: usize, pos: usize) -> String {
        let para = &self.paras[p];
        let (s, e) = para
            .sentences
            .get(para.sentence_of(pos))
            .copied()
            .unwrap_or((0, para.text.len()));
        let sentence = para.text.get(s..e).unwrap_or("").trim();
        let chars: Vec<char> = sentence.chars().collect();
        if chars.len() <= MAX_QUOTE {
            return sentence.to_string();
        }
        let rel = para.text.get(s..pos).map_or(0, |t| t.chars().count());
        let from = rel.saturating_sub(MAX_QUOTE / 2);
        let to = (from + MAX_QUOTE).min(chars.len());
        let from = to.saturating_sub(MAX_QUOTE);
        let mut q = String::new();
        if from > 0 {
            q.push('…');
        }
        q.extend(&chars[from..to]);
        if to < chars.len() {
            q.push('…');
        }
        q
    }

    #[allow(clippy::too_many_arguments)]
    pub fn report(
        &mut self,
        severity: Severity,
        kind: RelationKind,
        p: usize,
        pos: usize,
        stated: String,
        computed: String,
        explanation: String,
    ) {
        let finding = Finding {
            severity,
            kind,
            line: self.paras[p].line_at(pos),
            quote: self.quote(p, pos),
            stated,
            computed,
            explanation,
        };
        self.out.push(finding);
    }

    /// Parts that add up exactly to the figure just before them:
    /// "75 đơn, trong đó mới 54 đơn, kỳ trước 21 đơn". Runs right to left so
    /// inner breakdowns are folded first ("3.848 = 2.932 + 916" where
    /// "2.932 = 1.270 + 66 + 179 + 1.417"). When the folded parts miss but
    /// the flat list adds up ("8 cuộc: 3 cuộc, 01, 01, 01, 01, 01"), the
    /// inner group was a coincidence and is dissolved.
    fn group_exact_runs(&mut self, p: usize) {
        let counts = self.counts(p);
        let mut groups: Vec<(FigId, Vec<FigId>)> = Vec::new();
        let mut parent: HashMap<FigId, FigId> = HashMap::new();
        for (ci, &ti) in counts.iter().enumerate().rev() {
            let t = (p, ti);
            let total = self.value(t).scaled;
            if total <= 0 || self.has_parts.contains(&t) {
                continue;
            }
            let unit = self.fig(t).unit().map(str::to_string);
            let following: Vec<FigId> = counts[ci + 1..]
                .iter()
                .map(|&j| (p, j))
                .filter(|id| self.fig(*id).unit() == unit.as_deref())
                .filter(|id| !self.parent.contains_key(id))
                .take(MAX_PARTS)
                .collect();
            let Some(&first) = following.first() else {
                continue;
            };
            if self.sentence_of(first) != self.sentence_of(t) {
                continue;
            }
            let folded: Vec<FigId> = following
                .iter()
                .copied()
                .filter(|id| !parent.contains_key(id))
                .collect();
            let run = self
                .exact_run(&folded, total)
                .or_else(|| self.exact_run(&following, total))
                .or_else(|| self.first_and_remaining(&folded, t));
            let Some(parts) = run else {
                continue;
            };
            // Dissolve inner groups whose members are now direct parts.
            groups.retain(|(g, members)| {
                let broken = parts.contains(g) && members.iter().any(|m| parts.contains(m));
                if broken {
                    for m in members {
                        parent.remove(m);
                    }
                }
                !broken
            });
            for &part in &parts {
                parent.insert(part, t);
            }
            groups.push((t, parts));
        }
        groups.reverse();
        for (t, parts) in groups {
            self.record_sum(t, &parts, Severity::Ok);
        }
    }

    /// "nhận 3.848 đơn, trong đó 2.932 đơn đủ điều kiện (…details…); còn
    /// 916 đơn không đủ": the first part and the remaining one.
    fn first_and_remaining(&self, nodes: &[FigId], t: FigId) -> Option<Vec<FigId>> {
        let first = *nodes.first()?;
        let sentence = self.sentence_of(t);
        let text = &self.paras[t.0].text;
        let rest = nodes[1..].iter().copied().find(|&id| {
            self.sentence_of(id) == sentence
                && crate::vocab::is_remaining(&crate::vocab::last_words(
                    &text[..self.fig(id).start],
                    2,
                ))
        })?;
        (self.value(first).scaled + self.value(rest).scaled == self.value(t).scaled)
            .then(|| vec![first, rest])
    }

    /// The shortest prefix (at least two) of `nodes` adding up to `total`.
    fn exact_run(&self, nodes: &[FigId], total: i128) -> Option<Vec<FigId>> {
        let mut sum = 0i128;
        for (k, &n) in nodes.iter().enumerate() {
            sum += self.value(n).scaled;
            if sum == total && k >= 1 {
                return Some(nodes[..=k].to_vec());
            }
            if sum > total {
                return None;
            }
        }
        None
    }

    /// Records a sum relation and marks its parts.
    pub fn record_sum(&mut self, t: FigId, parts: &[FigId], severity: Severity) {
        for &part in parts {
            self.parent.insert(part, t);
        }
        self.has_parts.insert(t);
        let values: Vec<Dec> = parts.iter().map(|&id| self.value(id)).collect();
        let sum = Dec::sum(&values);
        let total = self.value(t);
        let terms = values
            .iter()
            .map(|v| v.to_vn())
            .collect::<Vec<_>>()
            .join(" + ");
        let computed = format!("{terms} = {}", sum.to_vn());
        let explanation = if severity == Severity::Ok {
            format!(
                "Các thành phần {terms} cộng lại bằng {}, khớp với tổng báo cáo ghi.",
                sum.to_vn()
            )
        } else {
            let diff = total.minus(sum);
            let gap = if diff.scaled < 0 {
                sum.minus(total)
            } else {
                diff
            };
            format!(
                "Báo cáo ghi tổng {} nhưng các thành phần {terms} cộng lại được {}, lệch {}.",
                total.to_vn(),
                sum.to_vn(),
                gap.to_vn()
            )
        };
        let fig = self.fig(t);
        let pos = fig.start;
        let stated = format!("{} {}", total.to_vn(), self.unit_text(t));
        self.report(
            severity,
            RelationKind::Sum,
            t.0,
            pos,
            stated.trim().to_string(),
            computed,
            explanation,
        );
    }

    /// The unit words as written after a figure ("hồ sơ", "triệu đồng").
    pub fn unit_text(&self, id: FigId) -> String {
        let f = self.fig(id);
        let n = f.unit().map_or(0, |u| u.split(' ').count());
        self.paras[id.0]
            .text
            .get(f.end..f.unit_end)
            .unwrap_or("")
            .split_whitespace()
            .take(n)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Checks parts the text says make up a total. Exact → đúng; off by at
    /// most `tolerance_pct` percent of the total → lỗi; further off → the
    /// parts are taken as a partial list and nothing is reported.
    pub fn check_breakdown(&mut self, t: FigId, parts: &[FigId], tolerance_pct: i128) {
        if parts.len() < 2 || self.has_parts.contains(&t) {
            return;
        }
        if parts.iter().any(|id| self.parent.contains_key(id)) {
            return;
        }
        let total = self.value(t).scaled;
        let sum: i128 = parts.iter().map(|&id| self.value(id).scaled).sum();
        if sum == total {
            self.record_sum(t, parts, Severity::Ok);
        } else if (sum - total).abs() * 100 <= tolerance_pct * total.abs() {
            self.record_sum(t, parts, Severity::Error);
        }
    }
}
