//! Đánh giá, phân loại công tác dân vận (yearly scoring and
//! classification): criteria sheets kept as data (`sheets/*.toml`,
//! shipped inside the binary), read and checked by [`sheet`], and the
//! pure arithmetic that turns a unit's answers into points, groups and a
//! grade ([`eval`]). Storing rounds and answers is the store's; reading
//! the figures of automatic items is the report crate's.

pub mod eval;
pub mod sheet;

pub use eval::{Answer, Figure, ItemScore, Scored};
pub use sheet::{Grade, Group, Item, ItemKind, Rule, Sheet};

use crate::DomainError;

/// The sheets shipped with danvan, as their files.
pub const SHIPPED: [(&str, &str); 2] = [
    ("nd335.toml", include_str!("../../sheets/nd335.toml")),
    (
        "ben-tre-07-2023.toml",
        include_str!("../../sheets/ben-tre-07-2023.toml"),
    ),
];

/// Every shipped sheet, parsed once. A shipped sheet that fails to load
/// is a build defect the tests catch, so this panics with its message.
pub fn shipped() -> &'static [Sheet] {
    static SHEETS: std::sync::OnceLock<Vec<Sheet>> = std::sync::OnceLock::new();
    SHEETS.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|(name, src)| {
                Sheet::parse(src).unwrap_or_else(|e| panic!("sheets/{name}: {}", e.message))
            })
            .collect()
    })
}

/// The sheet `id` in force for `year`: the version with the latest
/// `applies_from` not after the year. With `trial`, a year before every
/// version is scored on the earliest one (a trial, said so on the
/// results).
pub fn in_force(id: &str, year: i32, trial: bool) -> Result<&'static Sheet, DomainError> {
    let versions: Vec<&Sheet> = shipped().iter().filter(|s| s.id == id).collect();
    if versions.is_empty() {
        let known: Vec<&str> = shipped().iter().map(|s| s.id.as_str()).collect();
        return Err(DomainError::new(
            "scoring.sheet",
            format!("không có bảng tiêu chí «{id}»; có: {}", known.join(", ")),
        )
        .at_field("sheet"));
    }
    let found = versions
        .iter()
        .filter(|s| s.applies_from <= year)
        .max_by_key(|s| s.applies_from)
        .copied();
    match found {
        Some(s) => Ok(s),
        None if trial => Ok(versions
            .iter()
            .min_by_key(|s| s.applies_from)
            .copied()
            .expect("not empty")),
        None => Err(DomainError::new(
            "scoring.not_in_force",
            format!(
                "bảng tiêu chí «{id}» áp dụng từ năm {}; năm {year} chưa có bảng này \
                 (chỉ chấm thử được)",
                versions
                    .iter()
                    .map(|s| s.applies_from)
                    .min()
                    .unwrap_or_default()
            ),
        )
        .at_field("year")),
    }
}

/// A sheet by id and version, as a round names it.
pub fn by_version(id: &str, version: i64) -> Option<&'static Sheet> {
    shipped()
        .iter()
        .find(|s| s.id == id && s.version == version)
}

/// Points are kept in hundredths: 850 is 8,5 điểm.
pub fn points(centi: i64) -> String {
    let s = crate::number::decimal(centi, 2);
    let s = s.trim_end_matches('0');
    s.trim_end_matches(',').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_written_the_vietnamese_way() {
        assert_eq!(points(850), "8,5");
        assert_eq!(points(10000), "100");
        assert_eq!(points(1025), "10,25");
        assert_eq!(points(0), "0");
        assert_eq!(points(-150), "-1,5");
    }

    #[test]
    fn every_shipped_sheet_loads_and_sums_to_its_maximum() {
        assert_eq!(shipped().len(), SHIPPED.len());
        for s in shipped() {
            let groups: i64 = s.groups.iter().map(|g| g.max).sum();
            assert_eq!(
                groups, s.max,
                "{}: groups add up to the sheet's maximum",
                s.id
            );
            for g in &s.groups {
                let items: i64 = g
                    .items
                    .iter()
                    .filter(|i| !i.is_deduction())
                    .map(|i| i.max)
                    .sum();
                assert_eq!(
                    items, g.max,
                    "{} {}: items add up to the group",
                    s.id, g.code
                );
            }
        }
        let national = shipped().iter().find(|s| s.id == "nd335").unwrap();
        assert_eq!(national.max, 10000);
        let general = &national.groups[0];
        assert_eq!((general.max, national.groups[1].max), (3000, 7000));
        assert_eq!(national.grades.len(), 4);
    }

    #[test]
    fn the_sheet_in_force_is_chosen_by_year() {
        assert_eq!(in_force("nd335", 2026, false).unwrap().applies_from, 2026);
        let e = in_force("nd335", 2020, false).unwrap_err();
        assert_eq!(e.code, "scoring.not_in_force");
        assert!(e.message.contains("chấm thử"), "{}", e.message);
        assert_eq!(in_force("nd335", 2020, true).unwrap().id, "nd335");
        assert_eq!(
            in_force("khong-co", 2020, true).unwrap_err().code,
            "scoring.sheet"
        );
    }
}
