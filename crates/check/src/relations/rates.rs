//! Rates: "45/53 vụ việc (đạt tỷ lệ 84,9%)", "đúng hạn 787 hồ sơ (đạt tỷ lệ
//! 98,1%)", "tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%",
//! "2.932 đơn đủ điều kiện (chiếm 76,2% tổng đơn)".

use super::{Doc, FigId};
use crate::figures::FigKind;
use crate::finding::{RelationKind, Severity};
use crate::number::{Dec, format_scaled, rate, rate_detail};
use crate::vocab::{
    RateWord, first_words, is_rate_intro, is_remaining, is_total_intro, last_words,
};

/// Most words between a figure and the rate that follows it.
const MAX_GAP_WORDS: usize = 12;

/// A rate and the figure it is about.
struct Attached {
    percent: usize,
    figure: usize,
    word: RateWord,
}

fn attachments(doc: &Doc, p: usize) -> Vec<Attached> {
    let para = &doc.paras[p];
    let figs = &doc.figs[p];
    let mut out = Vec::new();
    for (pi, f) in figs.iter().enumerate() {
        if !matches!(f.kind, FigKind::Percent { .. }) {
            continue;
        }
        let Some(word) = is_rate_intro(&last_words(&para.text[..f.start], 3)) else {
            continue;
        };
        let Some(fi) = (0..pi)
            .rev()
            .find(|&j| !matches!(figs[j].kind, FigKind::Percent { .. }))
        else {
            continue;
        };
        let fig = &figs[fi];
        if para.sentence_of(fig.start) != para.sentence_of(f.start) {
            continue;
        }
        let gap = para
            .text
            .get(fig.unit_end.max(fig.end)..f.start)
            .unwrap_or("");
        if gap.split_whitespace().count() > MAX_GAP_WORDS {
            continue;
        }
        if doc.excluded.contains(&(p, fi)) {
            continue;
        }
        out.push(Attached {
            percent: pi,
            figure: fi,
            word,
        });
    }
    out
}

/// Checks every rate of paragraph `p` whose base can be found.
pub(super) fn rates(doc: &mut Doc, p: usize) {
    let att = attachments(doc, p);
    for a in &att {
        let FigKind::Percent { value: stated } = doc.figs[p][a.percent].kind else {
            continue;
        };
        let x: FigId = (p, a.figure);
        match doc.fig(x).kind.clone() {
            FigKind::Fraction { num, den, .. } => {
                doc.rated.insert(x);
                let label = format!("{}/{}", num.to_vn(), den.to_vn());
                check_rate(doc, p, a.percent, num, den, &label, stated, true);
            }
            FigKind::Count { value, .. } => {
                if let Some((num, den, label, certain)) = base_of(doc, p, a, &att, value) {
                    check_rate(doc, p, a.percent, num, den, &label, stated, certain);
                }
            }
            FigKind::Percent { .. } => {}
        }
    }
}

/// Finds numerator and denominator for a rate stated after a count.
fn base_of(
    doc: &Doc,
    p: usize,
    a: &Attached,
    att: &[Attached],
    value: Dec,
) -> Option<(Dec, Dec, String, bool)> {
    let x = (p, a.figure);
    let text = &doc.paras[p].text;
    let before_x = last_words(&text[..doc.fig(x).start], 2);
    let sentence = doc.sentence_of(x);
    let unit = doc.fig(x).unit().map(str::to_string);
    // 1. The count is a part of a total found just before it.
    if let Some(&g) = doc.parent.get(&x)
        && g.0 == p
        && doc.sentence_of(g) == sentence
    {
        let total = doc.value(g);
        let num = if a.word == RateWord::Achieved && is_remaining(&before_x) {
            total.minus(value)
        } else {
            value
        };
        let label = format!("{}/{}", num.to_vn(), total.to_vn());
        return Some((num, total, label, true));
    }
    // 2. Complementary rates over the same unit ("đúng hạn … 98,6%; quá hạn
    //    … 1,4%"): the base is the sum of their counts.
    let siblings: Vec<&Attached> = att
        .iter()
        .filter(|o| {
            let id = (p, o.figure);
            matches!(doc.fig(id).kind, FigKind::Count { .. })
                && doc.fig(id).unit().map(str::to_string) == unit
                && doc.sentence_of(id) == sentence
        })
        .collect();
    if siblings.len() >= 2 {
        let pct: i128 = siblings
            .iter()
            .map(|o| match doc.figs[p][o.percent].kind {
                FigKind::Percent { value } => value.scaled,
                _ => 0,
            })
            .sum();
        if (pct - 100 * 10_000).abs() <= 5_000 {
            let parts: Vec<Dec> = siblings.iter().map(|o| doc.value((p, o.figure))).collect();
            let den = Dec::sum(&parts);
            let terms = parts
                .iter()
                .map(|d| d.to_vn())
                .collect::<Vec<_>>()
                .join(" + ");
            let label = format!("{}/({terms})", value.to_vn());
            return Some((value, den, label, true));
        }
    }
    // 3. A received or total amount stated before it in the sentence.
    let after_pct = first_words(&text[doc.figs[p][a.percent].end..], 2);
    let t = (0..x.1)
        .rev()
        .map(|j| (p, j))
        .take_while(|&id| doc.sentence_of(id) == sentence)
        .find(|&id| {
            matches!(doc.fig(id).kind, FigKind::Count { .. })
                && !doc.excluded.contains(&id)
                && doc.fig(id).unit().map(str::to_string) == unit
        })?;
    if doc.sentence_of(t) != sentence || doc.value(t).scaled < value.scaled {
        return None;
    }
    let before_t = last_words(&text[..doc.fig(t).start], 3);
    let names_total = a.word == RateWord::Share && after_pct.starts_with("tong");
    if !is_total_intro(&before_t) && !names_total {
        return None;
    }
    let den = doc.value(t);
    let label = format!("{}/{}", value.to_vn(), den.to_vn());
    Some((value, den, label, false))
}

/// Compares a stated rate with num/den. `certain` is false when the base
/// was inferred from context: then a rate far from num/den is taken to be
/// about another base and left alone.
#[allow(clippy::too_many_arguments)]
fn check_rate(
    doc: &mut Doc,
    p: usize,
    percent: usize,
    num: Dec,
    den: Dec,
    label: &str,
    stated: Dec,
    certain: bool,
) {
    let d = stated.decimals;
    let Some(r) = rate(num, den, d) else {
        return;
    };
    let s = stated.at_written_precision();
    let detail = rate_detail(num, den, d);
    let rounded = r.rounded_vn();
    let stated_vn = format!("{}%", stated.to_vn());
    let computed = format!("{label} = {detail}% → {rounded}%");
    let places = if d == 0 {
        "số nguyên".to_string()
    } else {
        format!("{d} chữ số thập phân")
    };
    let severity;
    let explanation;
    if s == r.rounded {
        severity = Severity::Ok;
        explanation =
            format!("Tỷ lệ khớp: {label} = {detail}%, làm tròn đến {places} là {rounded}%.");
    } else if s == r.truncated {
        severity = Severity::Warning;
        explanation = format!(
            "Báo cáo ghi {stated_vn}, nhưng {label} = {detail}%; làm tròn (từ 5 trở lên làm tròn lên) đến {places} phải là {rounded}%. Con số {stated_vn} là kết quả cắt bớt chữ số chứ không phải làm tròn, chỉ lệch ở chữ số cuối."
        );
    } else {
        if !certain {
            let Some(fine) = rate(num, den, 4) else {
                return;
            };
            if (fine.rounded - stated.scaled).abs() > 10_000 {
                return;
            }
        }
        severity = Severity::Error;
        explanation = format!(
            "Báo cáo ghi {stated_vn}, nhưng {label} = {detail}%; làm tròn đến {places} phải là {rounded}% (cắt bớt cũng chỉ được {}%).",
            format_scaled(r.truncated, d)
        );
    }
    let pos = doc.figs[p][percent].start;
    doc.report(
        severity,
        RelationKind::Rate,
        p,
        pos,
        stated_vn,
        computed,
        explanation,
    );
}
