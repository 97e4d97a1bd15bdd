//! Parts written over their whole ("88/102 xã": the part can not exceed
//! the whole), counts followed by the names they count ("04 xã Đạ Tông,
//! Đạ Long, Đạ M'Rông, Rô Men"), and counts written without the dots that
//! group thousands ("1377 đơn").

use super::{Doc, FigId, Side};
use crate::figures::FigKind;
use crate::finding::{FigureRole, RelationKind, Severity};
use crate::number::Dec;

/// "88/102 xã": a part can not exceed its whole.
pub(super) fn parts_of_wholes(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        for fi in 0..doc.figs(p).len() {
            let id = (p, fi);
            let f = doc.fig(id);
            if f.comparison || doc.used.contains(&id) {
                continue;
            }
            let FigKind::Fraction { num, den, .. } = f.f.kind else {
                continue;
            };
            let stated = format!("{}/{}", num.to_vn(), den.to_vn());
            let terms = [
                ((id, Side::Num), FigureRole::Numerator),
                ((id, Side::Den), FigureRole::Denominator),
            ];
            if num.scaled <= den.scaled {
                doc.report(
                    Severity::Ok,
                    RelationKind::PartOfWhole,
                    id,
                    &terms,
                    stated,
                    format!("{} ≤ {}", num.to_vn(), den.to_vn()),
                    "Phần không vượt quá tổng.".to_string(),
                );
            } else {
                doc.report(
                    Severity::Error,
                    RelationKind::PartOfWhole,
                    id,
                    &terms,
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

/// "04 xã Đạ Tông, Đạ Long, Đạ M'Rông, Rô Men": the count of names listed.
pub(super) fn listed_names(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        for ci in 0..doc.figs(p).len() {
            let id: FigId = (p, ci);
            let f = doc.fig(id);
            if !f.is_count() || !f.is_amount() || f.unit().is_none() {
                continue;
            }
            let value = f.value();
            if value.decimals != 0 || value.scaled < 2 * 10_000 || value.scaled > 50 * 10_000 {
                continue;
            }
            let text = &doc.paras[p].text;
            let rest = text.get(f.f.unit_end..).unwrap_or("");
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
            let stated = format!("{} {}", value.to_vn(), doc.unit_text(id));
            let computed = format!("{} tên: {}", n, items.join(", "));
            let terms = [((id, Side::Whole), FigureRole::Total)];
            if n * 10_000 == value.scaled {
                doc.report(
                    Severity::Ok,
                    RelationKind::ListCount,
                    id,
                    &terms,
                    stated,
                    computed,
                    "Số lượng ghi khớp với số tên được liệt kê.".to_string(),
                );
            } else if explicit {
                doc.report(
                    Severity::Error,
                    RelationKind::ListCount,
                    id,
                    &terms,
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
}

/// "1377 đơn": written without the dot between thousands, a figure is
/// easy to misread; a cảnh báo, whatever the relations say.
pub(super) fn number_format(doc: &mut Doc) {
    for p in 0..doc.paras.len() {
        for fi in 0..doc.figs(p).len() {
            let id: FigId = (p, fi);
            let f = doc.fig(id);
            if !f.f.undotted {
                continue;
            }
            let written = doc.paras[p].text[f.f.start..f.f.end].to_string();
            let dotted = match f.f.kind {
                FigKind::Count { value, .. } => value.to_vn(),
                FigKind::Fraction { num, den, .. } => format!("{}/{}", num.to_vn(), den.to_vn()),
                FigKind::Percent { .. } => continue,
            };
            let terms: Vec<_> = if f.is_fraction() {
                vec![
                    ((id, Side::Num), FigureRole::Numerator),
                    ((id, Side::Den), FigureRole::Denominator),
                ]
            } else {
                vec![((id, Side::Whole), FigureRole::Total)]
            };
            doc.report(
                Severity::Warning,
                RelationKind::NumberFormat,
                id,
                &terms,
                written.clone(),
                dotted.clone(),
                format!(
                    "Số {written} viết thiếu dấu chấm phân cách hàng nghìn; viết đúng là {dotted}."
                ),
            );
        }
    }
}
