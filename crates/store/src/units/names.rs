//! How users name a unit: its code, its name with or without the kind word
//! ("huyện Đam Rông", "dam rong", "TP Quảng Ngãi"), or its name followed by
//! a unit above it ("Quảng Ngãi, tỉnh Quảng Ngãi"). A name that still
//! matches several units is never resolved by picking one: the error lists
//! the candidates (kind, parent, code) and says how to choose, because a
//! report of the wrong unit reads just as plausibly as the right one.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::text::fold;
use danvan_core::unit::UnitKind;

use super::{Unit, tree};
use crate::{Store, StoreError};

/// At most this many candidates are listed in an error.
const LISTED: usize = 20;

/// The one unit a user means by `query`; see [`find_in`].
pub async fn find(
    store: &Store,
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
) -> Result<Unit, StoreError> {
    let tree = tree(store).await?;
    find_in(tree.all(), query, during, chrono::Local::now().date_naive())
}

/// Every unit `query` may mean (see [`candidates_in`]); for pages that
/// let the user choose among them.
pub async fn candidates(
    store: &Store,
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
) -> Result<Vec<Unit>, StoreError> {
    let tree = tree(store).await?;
    Ok(candidates_in(
        tree.all(),
        query,
        during,
        chrono::Local::now().date_naive(),
    ))
}

/// The one unit `query` names. No unit: `unit.not_found`; several:
/// `unit.ambiguous`, whose message lists each candidate with its kind,
/// parent and code, and how to name one of them exactly.
pub fn find_in(
    units: &[Unit],
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> Result<Unit, StoreError> {
    let q = query.trim();
    let mut found = candidates_in(units, q, during, today);
    match found.len() {
        0 => Err(DomainError::new(
            "unit.not_found",
            format!("không tìm thấy đơn vị «{q}» (theo mã hoặc tên)"),
        )
        .into()),
        1 => Ok(found.remove(0)),
        n => Err(DomainError::new("unit.ambiguous", ambiguous_message(units, q, &found, n)).into()),
    }
}

fn ambiguous_message(units: &[Unit], q: &str, found: &[Unit], n: usize) -> String {
    let mut s = format!("tên «{q}» ứng với {n} đơn vị, chưa chọn đơn vị nào:");
    for u in found.iter().take(LISTED) {
        s.push_str("\n  - ");
        s.push_str(&describe_in(units, u));
    }
    if n > LISTED {
        s.push_str(&format!("\n  … và {} đơn vị khác", n - LISTED));
    }
    let example = found.iter().find_map(|u| {
        let parent = parent_of(units, u)?;
        Some((u, parent))
    });
    match example {
        Some((u, p)) => s.push_str(&format!(
            "\nHãy ghi mã đơn vị (ví dụ «{}») hoặc tên kèm đơn vị cấp trên (ví dụ «{}, {}»).",
            u.code,
            u.name,
            p.full_name()
        )),
        None => s.push_str(&format!("\nHãy ghi mã đơn vị (ví dụ «{}»).", found[0].code)),
    }
    s
}

fn parent_of<'a>(units: &'a [Unit], u: &Unit) -> Option<&'a Unit> {
    let p = u.parent_id?;
    units.iter().find(|x| x.id == p)
}

/// "thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522, đến 30/06/2025)":
/// a unit as a list of candidates shows it (kind, parent, code, validity).
pub fn describe_in(units: &[Unit], u: &Unit) -> String {
    let own = u.describe();
    match parent_of(units, u) {
        Some(p) => match own.split_once(" (") {
            Some((name, rest)) => format!("{name}, thuộc {} ({rest}", p.full_name()),
            None => format!("{own}, thuộc {}", p.full_name()),
        },
        None => own,
    }
}

/// Every unit `query` may mean: the unit of that code; else the units of
/// that name (and kind, when the kind word is given) that lie below the
/// units named after each comma, in order ("Tân Phú, Đam Rông, Lâm
/// Đồng"). With `during`, those that existed then, if any did. Units
/// valid `today` come first, then higher before lower, then by code.
pub fn candidates_in(
    units: &[Unit],
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> Vec<Unit> {
    let q = query.trim();
    let by_code: Vec<Unit> = units.iter().filter(|u| u.code == q).cloned().collect();
    if !by_code.is_empty() {
        return by_code;
    }
    if is_country_name(q) {
        return vec![Unit::country()];
    }
    let mut parts = q.split(',').map(str::trim);
    let head = parts.next().unwrap_or_default();
    let above: Vec<NamePart> = parts.map(NamePart::new).collect();
    let head = NamePart::new(head);
    let mut cands: Vec<&Unit> = units.iter().filter(|u| head.names(u)).collect();
    if !above.is_empty() && !cands.is_empty() {
        let index: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        cands.retain(|u| lies_below(u, &above, &index));
    }
    if let Some((from, to)) = during
        && cands.iter().any(|u| u.overlaps(from, to))
    {
        cands.retain(|u| u.overlaps(from, to));
    }
    cands.sort_by_key(|u| (!u.valid_on(today), u.depth, u.code.clone()));
    cands.into_iter().cloned().collect()
}

/// Whether the units above `u`, nearest first, include units named by
/// `above` in that order.
fn lies_below(u: &Unit, above: &[NamePart], index: &HashMap<i64, &Unit>) -> bool {
    let mut want = above.iter().peekable();
    let mut at = u.parent_id;
    // A tree is never deeper than a few levels; the bound guards a cycle.
    for _ in 0..64 {
        let (Some(part), Some(a)) = (want.peek(), at.and_then(|id| index.get(&id))) else {
            break;
        };
        if part.names(a) {
            want.next();
        }
        at = a.parent_id;
    }
    want.peek().is_none()
}

/// One comma-separated part of a name: a code, or a name with an optional
/// kind word.
struct NamePart {
    raw: String,
    kind: Option<UnitKind>,
    bare: String,
}

impl NamePart {
    fn new(raw: &str) -> NamePart {
        let (kind, bare) = split_kind(&fold(raw));
        NamePart {
            raw: raw.to_string(),
            kind,
            bare,
        }
    }

    fn names(&self, u: &Unit) -> bool {
        u.code == self.raw || (fold(&u.name) == self.bare && self.kind.is_none_or(|k| k == u.kind))
    }
}

/// "cả nước", "toàn quốc", "Việt Nam" or the code "ca-nuoc": the whole
/// country, diacritics optional.
pub fn is_country_name(q: &str) -> bool {
    let f = fold(q.trim()).replace('-', " ");
    matches!(f.as_str(), "ca nuoc" | "toan quoc" | "viet nam" | "vn")
}

/// Split a folded name into an optional leading kind word and the bare name.
fn split_kind(folded: &str) -> (Option<UnitKind>, String) {
    const ABBREVIATIONS: [(&str, &str); 4] = [
        ("tp. ", "thanh pho "),
        ("tp ", "thanh pho "),
        ("tx ", "thi xa "),
        ("tt ", "thi tran "),
    ];
    let mut s = folded.to_string();
    for (abbr, full) in ABBREVIATIONS {
        if let Some(rest) = s.strip_prefix(abbr) {
            s = format!("{full}{rest}");
            break;
        }
    }
    // Longest kind word first, so "thi tran" wins over a shorter prefix.
    let mut kinds: Vec<UnitKind> = UnitKind::ALL.to_vec();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.label().len()));
    for k in kinds {
        let word = fold(k.label());
        if let Some(rest) = s.strip_prefix(&word)
            && let Some(rest) = rest.strip_prefix(' ')
            && !rest.is_empty()
        {
            return (Some(k), rest.to_string());
        }
    }
    (None, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: i64, code: &str, name: &str, kind: UnitKind, parent: Option<i64>) -> Unit {
        Unit {
            id,
            code: code.into(),
            name: name.into(),
            kind,
            parent_id: parent,
            province_id: id,
            depth: 0,
            valid_from: None,
            valid_to: None,
            successor_id: None,
        }
    }

    fn today() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The fixture's shape: the old province and city of one name, the
    /// new province of 2025 and a ward of another name's city.
    fn quang_ngai() -> Vec<Unit> {
        let old = |mut x: Unit, depth| {
            x.valid_to = Some(d("2025-06-30"));
            x.depth = depth;
            x
        };
        vec![
            old(u(1, "51", "Quảng Ngãi", UnitKind::Province, None), 0),
            old(u(2, "522", "Quảng Ngãi", UnitKind::City, Some(1)), 1),
            Unit {
                valid_from: Some(d("2025-07-01")),
                ..u(3, "51-2025", "Quảng Ngãi", UnitKind::Province, None)
            },
            old(u(4, "62", "Kon Tum", UnitKind::Province, None), 0),
            old(u(5, "608", "Kon Tum", UnitKind::City, Some(4)), 1),
            Unit {
                valid_from: Some(d("2025-07-01")),
                depth: 1,
                ..u(6, "23293-2025", "Kon Tum", UnitKind::Ward, Some(3))
            },
        ]
    }

    fn id(units: &[Unit], q: &str, during: Option<(&str, &str)>) -> Result<i64, String> {
        find_in(units, q, during.map(|(a, b)| (d(a), d(b))), today())
            .map(|u| u.id)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_name_of_several_units_is_never_resolved_by_picking() {
        let units = quang_ngai();
        let e = id(&units, "Quảng Ngãi", Some(("2021-01-01", "2023-12-31"))).unwrap_err();
        assert!(e.contains("ứng với 2 đơn vị"), "{e}");
        assert!(e.contains("tỉnh Quảng Ngãi (mã 51, đến 30/06/2025)"), "{e}");
        assert!(
            e.contains("thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522, đến 30/06/2025)"),
            "{e}"
        );
        assert!(e.contains("«Quảng Ngãi, tỉnh Quảng Ngãi»"), "{e}");
        // Without a period, every unit of the name is a candidate.
        let e = id(&units, "kon tum", None).unwrap_err();
        assert!(e.contains("ứng với 3 đơn vị"), "{e}");
        assert!(
            e.contains("phường Kon Tum, thuộc tỉnh Quảng Ngãi (mã 23293-2025"),
            "{e}"
        );
    }

    #[test]
    fn a_code_a_kind_word_or_a_parent_chooses_exactly() {
        let units = quang_ngai();
        let y = Some(("2021-01-01", "2023-12-31"));
        assert_eq!(id(&units, "522", y), Ok(2));
        assert_eq!(id(&units, "thành phố Quảng Ngãi", y), Ok(2));
        assert_eq!(id(&units, "TP Quảng Ngãi", y), Ok(2));
        assert_eq!(id(&units, "tỉnh Quảng Ngãi", y), Ok(1));
        assert_eq!(id(&units, "Quảng Ngãi, tỉnh Quảng Ngãi", y), Ok(2));
        assert_eq!(id(&units, "quang ngai , 51", y), Ok(2));
        assert_eq!(id(&units, "Kon Tum, Kon Tum", None), Ok(5));
        assert_eq!(id(&units, "Kon Tum, Quảng Ngãi", None), Ok(6));
        // The period narrows to the units that existed then.
        assert_eq!(
            id(
                &units,
                "tỉnh Quảng Ngãi",
                Some(("2026-01-01", "2026-06-30"))
            ),
            Ok(3)
        );
        assert_eq!(
            id(&units, "Quảng Ngãi", Some(("2026-01-01", "2026-06-30"))),
            Ok(3)
        );
        let e = id(&units, "Quảng Ngãi, Kon Tum", None).unwrap_err();
        assert!(
            e.contains("không tìm thấy đơn vị «Quảng Ngãi, Kon Tum»"),
            "{e}"
        );
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let units = vec![
            u(1, "A", "Tân Phú", UnitKind::Commune, None),
            u(2, "B", "Tân Phú", UnitKind::Commune, None),
        ];
        let e = id(&units, "tan phu", None).unwrap_err();
        assert!(
            e.contains("xã Tân Phú (mã A)") && e.contains("xã Tân Phú (mã B)"),
            "{e}"
        );
        assert!(e.contains("Hãy ghi mã đơn vị (ví dụ «A»)"), "{e}");
        let e = id(&units, "không có", None).unwrap_err();
        assert!(e.contains("không tìm thấy đơn vị «không có»"), "{e}");
    }
}
