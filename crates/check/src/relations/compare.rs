//! Changes against a previous period ("giảm 252 lượt so với cùng kỳ năm 2015
//! (289/541 lượt)"), parts written over their whole ("88/102 xã") and counts
//! followed by the names they count ("04 xã Đạ Tông, Đạ Long, …").

use super::{Doc, FigId};
use crate::figures::FigKind;
use crate::finding::{RelationKind, Severity};
use crate::number::{Dec, format_scaled, rate, rate_detail};
use crate::vocab::{Change, change_word, first_words, has_phrase, last_words};

/// Most words between the change and its "(a/b)" pair.
const MAX_PAIR_DISTANCE: usize = 20;

/// Finds stated changes and checks them; their figures are then kept out
/// of the sums.
pub(super) fn comparisons(doc: &mut Doc, p: usize) {
    let n = doc.figs[p].len();
    for di in 0..n {
        let d: FigId = (p, di);
        let fig = doc.fig(d).clone();
        let text = &doc.paras[p].text;
        let Some(dir) = change_word(&last_words(&text[..fig.start], 2)) else {
            continue;
        };
        let amount = match fig.kind {
            FigKind::Count { value, .. } => (value, false),
            FigKind::Percent { value } => (value, true),
            FigKind::Fraction { .. } => continue,
        };
        let Some(fi) =
            (di + 1..n).find(|&j| matches!(doc.figs[p][j].kind, FigKind::Fraction { .. }))
        else {
            continue;
        };
        let frac = doc.figs[p][fi].clone();
        if doc.sentence_of((p, fi)) != doc.sentence_of(d) {
            continue;
        }
        let between = text.get(fig.end..frac.start).unwrap_or("");
        let words = first_words(between, MAX_PAIR_DISTANCE + 1);
        if words.split(' ').count() > MAX_PAIR_DISTANCE || !has_phrase(&words, "so voi") {
            continue;
        }
        // Only figures in between that are years or words, no other count.
        if (di + 1..fi).any(|j| !matches!(doc.figs[p][j].kind, FigKind::Percent { .. }) && j != fi)
        {
            continue;
        }
        let FigKind::Fraction {
            num: now,
            den: before,
            ..
        } = frac.kind
        else {
            continue;
        };
        doc.excluded.insert(d);
        doc.excluded.insert((p, fi));
        let word = if dir == Change::Down {
            "giảm"
        } else {
            "tăng"
        };
        let (stated, is_pct) = amount;
        if is_pct {
            let diff = if dir == Change::Down {
                before.minus(now)
            } else {
                now.minus(before)
            };
            let Some(r) = rate(diff, before, stated.decimals) else {
                continue;
            };
            let s = stated.at_written_precision();
            let detail = rate_detail(diff, before, stated.decimals);
            let computed = format!(
                "({} − {})/{} = {detail}% → {}%",
                if dir == Change::Down {
                    before.to_vn()
                } else {
                    now.to_vn()
                },
                if dir == Change::Down {
                    now.to_vn()
                } else {
                    before.to_vn()
                },
                before.to_vn(),
                r.rounded_vn()
            );
            let (severity, explanation) = if s == r.rounded {
                (
                    Severity::Ok,
                    format!(
                        "Mức {word} khớp với cặp số {}/{}.",
                        now.to_vn(),
                        before.to_vn()
                    ),
                )
            } else if s == r.truncated {
                (
                    Severity::Warning,
                    format!(
                        "Mức {word} ghi {}%, làm tròn đúng là {}%; con số ghi là kết quả cắt bớt chữ số.",
                        stated.to_vn(),
                        r.rounded_vn()
                    ),
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "Báo cáo ghi {word} {}% nhưng từ cặp số {}/{} tính được {}% (cắt bớt: {}%).",
                        stated.to_vn(),
                        now.to_vn(),
                        before.to_vn(),
                        r.rounded_vn(),
                        format_scaled(r.truncated, stated.decimals)
                    ),
                )
            };
            doc.report(
                severity,
                RelationKind::Difference,
                p,
                fig.start,
                format!("{word} {}%", stated.to_vn()),
                computed,
                explanation,
            );
        } else {
            let diff = if dir == Change::Down {
                before.minus(now)
            } else {
                now.minus(before)
            };
            let computed = if dir == Change::Down {
                format!("{} − {} = {}", before.to_vn(), now.to_vn(), diff.to_vn())
            } else {
                format!("{} − {} = {}", now.to_vn(), before.to_vn(), diff.to_vn())
            };
            let (severity, explanation) = if diff.scaled == stated.scaled {
                (
                    Severity::Ok,
                    format!(
                        "Mức {word} khớp: kỳ này {}, kỳ so sánh {}.",
                        now.to_vn(),
                        before.to_vn()
                    ),
                )
            } else {
                (
                    Severity::Error,
                    format!(
                        "Báo cáo ghi {word} {} nhưng kỳ này {} so với kỳ trước {} thì chênh lệch là {}.",
                        stated.to_vn(),
                        now.to_vn(),
                        before.to_vn(),
                        computed
                    ),
                )
            };
            doc.report(
                severity,
                RelationKind::Difference,
                p,
                fig.start,
                format!("{word} {}", stated.to_vn()),
                computed,
                explanation,
            );
        }
        // The current figure is usually stated earlier in the sentence.
        let unit = frac.unit().map(str::to_string);
        let current = (0..di).rev().map(|j| (p, j)).find(|&id| {
            matches!(doc.fig(id).kind, FigKind::Count { .. })
                && doc.fig(id).unit().map(str::to_string) == unit
        });
        if let Some(c) = current
            && doc.sentence_of(c) == doc.sentence_of(d)
            && doc.value(c) == now
        {
            let pos = doc.fig(c).start;
            doc.report(
                Severity::Ok,
                RelationKind::SameFigure,
                p,
                pos,
                now.to_vn(),
                format!("{}/{}: kỳ này {}", now.to_vn(), before.to_vn(), now.to_vn()),
                "Số kỳ này trong cặp so sánh trùng với số đã nêu trước đó.".to_string(),
            );
        }
    }
}

/// "88/102 xã": a part can not exceed its whole.
pub(super) fn parts_of_wholes(doc: &mut Doc, p: usize) {
    for fi in 0..doc.figs[p].len() {
        let id = (p, fi);
        if doc.excluded.contains(&id) || doc.rated.contains(&id) {
            continue;
        }
        let FigKind::Fraction { num, den, .. } = doc.fig(id).kind else {
            continue;
        };
        let pos = doc.fig(id).start;
        let stated = format!("{}/{}", num.to_vn(), den.to_vn());
        if num.scaled <= den.scaled {
            doc.report(
                Severity::Ok,
                RelationKind::PartOfWhole,
                p,
                pos,
                stated,
                format!("{} ≤ {}", num.to_vn(), den.to_vn()),
                "Phần không vượt quá tổng.".to_string(),
            );
        } else {
            doc.report(
                Severity::Error,
                RelationKind::PartOfWhole,
                p,
                pos,
                stated,
                format!("{} > {}", num.to_vn(), den.to_vn()),
                format!(
                    "Số phần ({}) lớn hơn số tổng ({}): phần không thể vượt quá tổng.",
                    num.to_vn(),
                    den.to_vn()
                ),
            );
        }
    }
}

/// Splits a list of names: "A, B, C và D".
fn list_items(list: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    for chunk in list.split([',', '，']) {
        for item in chunk.split(" và ") {
            let item = item.trim().trim_end_matches(['.', ';']).trim();
            if item.is_empty() {
                return None;
            }
            let first = item.chars().next()?;
            if !first.is_uppercase() || item.split_whitespace().count() > 4 {
                return None;
            }
            items.push(item.to_string());
        }
    }
    (items.len() >= 2).then_some(items)
}

/// "04 xã Đạ Tông, Đạ Long, Đạ M'Rông, Rô Men": the count of names listed.
pub(super) fn listed_names(doc: &mut Doc, p: usize) {
    for ci in doc.counts(p) {
        let id = (p, ci);
        let value = doc.value(id);
        if value.decimals != 0 || value.scaled < 2 * 10_000 || value.scaled > 50 * 10_000 {
            continue;
        }
        let text = &doc.paras[p].text;
        let fig = doc.fig(id);
        let rest = text.get(fig.unit_end..).unwrap_or("");
        let rest = skip_lowercase_words(rest, 5);
        let mut s = rest.trim_start();
        let mut explicit = false;
        if let Some(t) = s.strip_prefix(',') {
            s = t.trim_start();
        }
        for marker in ["bao gồm", "gồm", "Gồm"] {
            if let Some(t) = s.strip_prefix(marker) {
                s = t.trim_start();
                explicit = true;
                break;
            }
        }
        if let Some(t) = s.strip_prefix(':') {
            s = t.trim_start();
            explicit = true;
        }
        let end = s.find(['.', ';', '(', ')', '\n']).unwrap_or(s.len());
        let list = &s[..end];
        if list.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let Some(items) = list_items(list) else {
            continue;
        };
        let n = items.len() as i128;
        let pos = fig.start;
        let stated = format!("{} {}", value.to_vn(), doc.unit_text(id));
        let computed = format!("{} tên: {}", n, items.join(", "));
        if n * 10_000 == value.scaled {
            doc.report(
                Severity::Ok,
                RelationKind::ListCount,
                p,
                pos,
                stated,
                computed,
                "Số lượng ghi khớp với số tên được liệt kê.".to_string(),
            );
        } else if explicit {
            doc.report(
                Severity::Error,
                RelationKind::ListCount,
                p,
                pos,
                stated,
                computed,
                format!(
                    "Báo cáo ghi {} nhưng liệt kê {} tên.",
                    Dec::int(value.scaled / 10_000).to_vn(),
                    n
                ),
            );
        }
    }
}

/// Skips up to `max` lower-case words (and the spaces between them).
fn skip_lowercase_words(s: &str, max: usize) -> &str {
    let mut rest = s;
    for _ in 0..max {
        let t = rest.trim_start();
        let Some(c) = t.chars().next() else {
            return t;
        };
        if !c.is_lowercase() {
            return rest;
        }
        let end = t
            .char_indices()
            .find(|(_, ch)| !ch.is_alphabetic())
            .map_or(t.len(), |(k, _)| k);
        if end == 0 {
            return rest;
        }
        rest = &t[end..];
    }
    rest
}
