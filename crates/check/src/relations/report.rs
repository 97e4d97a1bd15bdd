//! Writing a checked relation down: its sentence, the numbers it reads,
//! what the report states, what they give, and why, in Vietnamese.

use super::{Doc, FigId, Side, Term};
use crate::finding::{FigureRef, FigureRole, Finding, RelationKind, Severity, Span};
use crate::number::{Dec, format_scaled, rate, rate_detail};

/// Longest quote, in characters.
const MAX_QUOTE: usize = 420;

/// Where byte range `s..e` of a paragraph ends in the source (its lines
/// may have been joined).
fn source_end(para: &crate::segment::Para, s: usize, e: usize) -> usize {
    match para.text.get(s..e).and_then(|t| t.char_indices().last()) {
        Some((k, c)) => para.source_at(s + k) + c.len_utf8(),
        None => para.source_at(s),
    }
}

/// A rate checked against its fraction.
pub(crate) struct RateCheck<'s> {
    pub num: Dec,
    pub den: Dec,
    /// How the fraction is written in the explanation ("52/63").
    pub label: &'s str,
    pub stated: Dec,
}

impl Doc<'_> {
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

    /// The span of the number a term reads, in the checked text.
    pub fn term_span(&self, t: Term) -> Span {
        let fig = &self.fig(t.0).f;
        let spans = fig.spans();
        let (s, e) = match t.1 {
            Side::Den => spans.get(1).copied().unwrap_or(spans[0]),
            _ => spans[0],
        };
        let para = &self.paras[t.0.0];
        Span {
            start: para.source_at(s),
            end: source_end(para, s, e),
        }
    }

    /// Records a finding at figure `at`, reading `terms`.
    #[allow(clippy::too_many_arguments)]
    pub fn report(
        &mut self,
        severity: Severity,
        kind: RelationKind,
        at: FigId,
        terms: &[(Term, FigureRole)],
        stated: String,
        computed: String,
        explanation: String,
    ) {
        let p = at.0;
        let pos = self.fig(at).f.start;
        let para = &self.paras[p];
        let (s, e) = para
            .sentences
            .get(para.sentence_of(pos))
            .copied()
            .unwrap_or((0, para.text.len()));
        let mut figures: Vec<FigureRef> = Vec::new();
        for &(t, role) in terms {
            let r = FigureRef {
                span: self.term_span(t),
                role,
            };
            if !figures.contains(&r) {
                figures.push(r);
            }
        }
        let finding = Finding {
            severity,
            kind,
            line: para.line_at(pos),
            quote: self.quote(p, pos),
            stated,
            computed,
            explanation,
            sentence: Span {
                start: para.source_at(s),
                end: source_end(para, s, e),
            },
            figures,
        };
        self.out.push(finding);
    }

    /// The unit words as written after a figure ("hồ sơ", "triệu đồng").
    pub fn unit_text(&self, id: FigId) -> String {
        let f = &self.fig(id).f;
        let text = &self.paras[id.0].text;
        let words = text.get(f.end..f.unit_end).unwrap_or("").trim();
        let n = if f.unit().is_some() {
            words.split_whitespace().count().min(2)
        } else {
            0
        };
        words
            .split_whitespace()
            .take(n)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Checks `total` = sum of `parts` and records it.
    pub fn record_sum(&mut self, kind: RelationKind, total: Term, parts: &[Term]) {
        if !self.summed.insert((kind, total, parts.to_vec())) {
            return;
        }
        let values: Vec<Dec> = parts.iter().map(|&t| self.value(t)).collect();
        let sum = Dec::sum(&values);
        let stated = self.value(total);
        let terms = values
            .iter()
            .map(|v| v.to_vn())
            .collect::<Vec<_>>()
            .join(" + ");
        let computed = format!("{terms} = {}", sum.to_vn());
        let holds = sum.scaled == stated.scaled;
        let what = match kind {
            RelationKind::Remaining => "số đã giải quyết và số còn lại",
            _ => "các thành phần",
        };
        let explanation = if holds {
            format!(
                "Các số {terms} cộng lại bằng {}, khớp với tổng báo cáo ghi.",
                sum.to_vn()
            )
        } else {
            let gap = if stated.scaled > sum.scaled {
                stated.minus(sum)
            } else {
                sum.minus(stated)
            };
            format!(
                "Báo cáo ghi tổng {} nhưng {what} {terms} cộng lại được {}, lệch {}.",
                stated.to_vn(),
                sum.to_vn(),
                gap.to_vn()
            )
        };
        let severity = if holds { Severity::Ok } else { Severity::Error };
        let mut all = vec![(total, FigureRole::Total)];
        all.extend(parts.iter().map(|&t| (t, FigureRole::Part)));
        let unit = self.unit_text(total.0);
        let stated_text = format!("{} {unit}", stated.to_vn()).trim().to_string();
        self.report(
            severity,
            kind,
            total.0,
            &all,
            stated_text,
            computed,
            explanation,
        );
    }

    /// Compares a stated rate with `num/den` and records it at `pct`.
    pub fn record_rate(&mut self, pct: FigId, terms: &[(Term, FigureRole)], c: RateCheck) {
        let d = c.stated.decimals;
        self.rated.insert(pct);
        let mut all = terms.to_vec();
        all.push(((pct, Side::Whole), FigureRole::Rate));
        let Some(r) = rate(c.num, c.den, d) else {
            // "đã giải quyết 0/0 vụ việc (đạt tỷ lệ 100%)": no rate of nothing.
            let stated_vn = format!("{}%", c.stated.to_vn());
            self.report(
                Severity::Error,
                RelationKind::Rate,
                pct,
                &all,
                stated_vn.clone(),
                format!("{}: mẫu số bằng 0", c.label),
                format!(
                    "Báo cáo ghi tỷ lệ {stated_vn} trên {}, nhưng mẫu số bằng 0 nên không có tỷ lệ nào.",
                    c.label
                ),
            );
            return;
        };
        let s = c.stated.at_written_precision();
        let detail = rate_detail(c.num, c.den, d);
        let rounded = r.rounded_vn();
        let stated_vn = format!("{}%", c.stated.to_vn());
        let label = c.label;
        let computed = format!("{label} = {detail}% → {rounded}%");
        let places = if d == 0 {
            "số nguyên".to_string()
        } else {
            format!("{d} chữ số thập phân")
        };
        let (severity, explanation) = if s == r.rounded {
            (
                Severity::Ok,
                format!("Tỷ lệ khớp: {label} = {detail}%, làm tròn đến {places} là {rounded}%."),
            )
        } else if s == r.truncated {
            (
                Severity::Warning,
                format!(
                    "Báo cáo ghi {stated_vn}, nhưng {label} = {detail}%; làm tròn (từ 5 trở lên làm tròn lên) đến {places} phải là {rounded}%. Con số {stated_vn} là kết quả cắt bớt chữ số chứ không phải làm tròn, chỉ lệch ở chữ số cuối."
                ),
            )
        } else {
            (
                Severity::Error,
                format!(
                    "Báo cáo ghi {stated_vn}, nhưng {label} = {detail}%; làm tròn đến {places} phải là {rounded}% (cắt bớt cũng chỉ được {}%).",
                    format_scaled(r.truncated, d)
                ),
            )
        };
        self.report(
            severity,
            crate::finding::RelationKind::Rate,
            pct,
            &all,
            stated_vn,
            computed,
            explanation,
        );
    }
}
