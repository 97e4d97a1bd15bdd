//! The annex of figures at the end of a report's text (phụ lục số liệu):
//! every indicator of the catalogue, grouped by the record kind it counts,
//! for the template to list those with a value. A short report states its
//! main figures in its body; the annex gives every figure of the catalogue
//! a place in the document that is signed and sent up, not only in the
//! XLSX workbook beside it.

use danvan_core::records::kind::RecordKind;

use crate::catalogue::{Catalogue, Formula, Indicator};
use crate::expr::Term;
use crate::xlsx::kind_of;

/// Where `code` stands in the shipped catalogue's file: its sections go
/// from reception to inspections, as the reports do. Indicators of another
/// catalogue keep the order of their codes.
fn position(code: &str) -> usize {
    static ORDER: std::sync::OnceLock<std::collections::HashMap<&'static str, usize>> =
        std::sync::OnceLock::new();
    let order = ORDER.get_or_init(|| {
        crate::catalogue::BUILTIN
            .lines()
            .filter_map(|l| l.trim().strip_prefix("code = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect()
    });
    order.get(code).copied().unwrap_or(usize::MAX)
}

/// Counted in "đợt" above the grassroots and in "điểm" at it (voter
/// contacts, as templates write them): never summed across levels.
fn counted_by_level(i: &Indicator) -> bool {
    let Formula::Value(e) = &i.formula else {
        return false;
    };
    !e.terms.is_empty()
        && e.terms.iter().all(|(_, t)| {
            matches!(t, Term::Key { key, filters, .. }
                if key == "meeting.sessions"
                    && filters.iter().any(|(k, v)| k == "kind" && v == "voter_contact"))
        })
}

/// The sections of the annex, in the registry's order of kinds: each with
/// its title and its indicators (code, label, the decimals of a rate,
/// whether it is given level by level only).
pub fn sections(catalogue: &Catalogue) -> serde_json::Value {
    let mut groups: Vec<(Option<RecordKind>, Vec<&Indicator>)> = Vec::new();
    for i in catalogue.indicators.values() {
        let k = kind_of(i);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, v)) => v.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    let rank = |k: &Option<RecordKind>| {
        k.and_then(|k| RecordKind::ALL.iter().position(|x| *x == k))
            .unwrap_or(usize::MAX)
    };
    groups.sort_by_key(|(k, v)| (v.iter().map(|i| position(&i.code)).min(), rank(k)));
    groups
        .into_iter()
        .map(|(k, mut v)| {
            v.sort_by_key(|i| (position(&i.code), i.code.clone()));
            let rows: Vec<serde_json::Value> = v
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "code": i.code,
                        "label": i.label,
                        "decimals": match i.formula {
                            Formula::Ratio { decimals, .. } => Some(decimals),
                            Formula::Value(_) => None,
                        },
                        "by_level": counted_by_level(i),
                    })
                })
                .collect();
            serde_json::json!({
                "title": k.map_or("Chỉ tiêu khác", |k| k.def().title),
                "rows": rows,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_is_in_one_section_in_the_catalogue_order() {
        let c = Catalogue::builtin();
        let s = sections(&c);
        let codes: Vec<&str> = s
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["rows"].as_array().unwrap())
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes.len(), c.indicators.len());
        assert_eq!(s[0]["title"], "Tiếp công dân");
        assert_eq!(codes[0], "reception_sessions");
        let voters: Vec<&serde_json::Value> = s
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["rows"].as_array().unwrap())
            .filter(|r| r["by_level"] == true)
            .collect();
        assert_eq!(voters.len(), 1);
        assert_eq!(voters[0]["code"], "voter_sessions");
    }
}
