//! A criteria sheet (bảng tiêu chí, thang điểm) read from TOML: groups of
//! items with maximum points, how each item is scored, the grades by
//! points and the conditions that cap a grade. Everything is checked when
//! the sheet loads — sums, rules, references — so a broken sheet is
//! refused with a Vietnamese message naming the item, never scored.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// One sheet, points in hundredths.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    /// Stable id rounds name ("nd335").
    pub id: String,
    /// Raised when a sheet's content changes within the same `applies_from`.
    pub version: i64,
    pub title: String,
    /// The document the sheet follows (number, date).
    pub source: String,
    /// The first year scored on this sheet.
    pub applies_from: i32,
    /// Not yet checked against its full source: no round may be opened on it.
    pub draft: bool,
    pub max: i64,
    pub groups: Vec<Group>,
    /// Best first; the last has `min` 0.
    pub grades: Vec<Grade>,
    pub caps: Vec<Cap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub code: String,
    pub title: String,
    pub source: String,
    pub max: i64,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub code: String,
    pub title: String,
    /// Article and document the item comes from.
    pub source: String,
    /// The item's points; for a deduction, the most it takes off.
    pub max: i64,
    pub kind: ItemKind,
}

/// How an item is scored.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemKind {
    /// From a catalogue indicator by a rule; the unit cannot change it.
    Auto { indicator: String, rule: Rule },
    /// Full points for "yes" backed by a document number, else none.
    YesNo,
    /// A reviewer's judgement between 0 and the maximum.
    Reviewer,
    /// Points taken off per case (a discipline case, a prolonged crowd
    /// complaint), at most `max`.
    Deduction { per_case: i64 },
}

/// A rule of an automatic item.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// A rate at or above `threshold` (hundredths of a percent) gives full
    /// points; each percentage point below takes `per_point` off, never
    /// below 0. No case at all counts as full points.
    RateStep { threshold: i64, per_point: i64 },
    /// Every case resolved (numerator equals denominator); none at all
    /// counts as resolved.
    All,
    /// At least `n` counted.
    AtLeast { n: i64 },
}

#[derive(Debug, Clone, Serialize)]
pub struct Grade {
    pub code: String,
    pub label: String,
    /// The least points for this grade.
    pub min: i64,
}

/// A condition on the grade: when the deduction `item` takes points off
/// (a disciplined leader), the grade is at best `grade`, whatever the
/// points.
#[derive(Debug, Clone, Serialize)]
pub struct Cap {
    pub item: String,
    pub grade: String,
    pub reason: String,
}

impl Item {
    pub fn is_deduction(&self) -> bool {
        matches!(self.kind, ItemKind::Deduction { .. })
    }

    pub fn is_auto(&self) -> bool {
        matches!(self.kind, ItemKind::Auto { .. })
    }

    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            ItemKind::Auto { .. } => "tự động từ số liệu",
            ItemKind::YesNo => "có/không, kèm văn bản",
            ItemKind::Reviewer => "cấp trên chấm",
            ItemKind::Deduction { .. } => "điểm trừ",
        }
    }
}

impl Sheet {
    pub fn items(&self) -> impl Iterator<Item = (&Group, &Item)> {
        self.groups
            .iter()
            .flat_map(|g| g.items.iter().map(move |i| (g, i)))
    }

    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items().map(|(_, i)| i).find(|i| i.code == code)
    }

    pub fn grade(&self, code: &str) -> Option<&Grade> {
        self.grades.iter().find(|g| g.code == code)
    }

    /// "nd335 (bản 1, áp dụng từ 2026)".
    pub fn label(&self) -> String {
        format!("{} — {}", self.title, self.source)
    }

    /// Read and check a sheet.
    pub fn parse(src: &str) -> Result<Sheet, DomainError> {
        let raw: RawSheet = toml::from_str(src)
            .map_err(|e| bad(format!("bảng tiêu chí không đọc được: {}", e.message())))?;
        raw.check()
    }
}

fn bad(msg: String) -> DomainError {
    DomainError::new("scoring.sheet_invalid", msg)
}

/// Points written in the file (8, 0.5) in hundredths; more than two
/// decimals or a negative value is refused.
fn centi(v: f64, what: &str) -> Result<i64, DomainError> {
    let c = (v * 100.0).round();
    if !v.is_finite() || v < 0.0 || (v * 100.0 - c).abs() > 1e-6 || c > 1e7 {
        return Err(bad(format!(
            "{what}: «{v}» không phải số điểm hợp lệ (không âm, tối đa hai chữ số thập phân)"
        )));
    }
    Ok(c as i64)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSheet {
    id: String,
    version: i64,
    title: String,
    source: String,
    applies_from: i32,
    #[serde(default)]
    draft: bool,
    max: f64,
    #[serde(rename = "group")]
    groups: Vec<RawGroup>,
    #[serde(rename = "grade")]
    grades: Vec<RawGrade>,
    #[serde(rename = "cap", default)]
    caps: Vec<Cap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    code: String,
    title: String,
    source: String,
    max: f64,
    #[serde(rename = "item")]
    items: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: String,
    title: String,
    source: String,
    max: f64,
    kind: String,
    indicator: Option<String>,
    rule: Option<RawRule>,
    per_case: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    kind: String,
    threshold: Option<f64>,
    per_point: Option<f64>,
    n: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    code: String,
    label: String,
    min: f64,
}

impl<'de> Deserialize<'de> for Cap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Cap, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            item: String,
            grade: String,
            reason: String,
        }
        let r = Raw::deserialize(d)?;
        Ok(Cap {
            item: r.item,
            grade: r.grade,
            reason: r.reason,
        })
    }
}

impl RawItem {
    fn check(self, group: &str) -> Result<Item, DomainError> {
        let at = format!("tiêu chí {} (nhóm {group})", self.code);
        if self.code.trim().is_empty() || self.title.trim().is_empty() {
            return Err(bad(format!("nhóm {group}: một tiêu chí thiếu mã hoặc tên")));
        }
        if self.source.trim().is_empty() {
            return Err(bad(format!(
                "{at}: thiếu căn cứ (source: số văn bản, điều, khoản)"
            )));
        }
        let max = centi(self.max, &at)?;
        if max == 0 {
            return Err(bad(format!("{at}: điểm tối đa phải lớn hơn 0")));
        }
        let unused = |what: &str, present: bool| -> Result<(), DomainError> {
            if present {
                Err(bad(format!(
                    "{at}: loại «{}» không dùng «{what}»",
                    self.kind
                )))
            } else {
                Ok(())
            }
        };
        let kind = match self.kind.as_str() {
            "auto" => {
                unused("per_case", self.per_case.is_some())?;
                let indicator =
                    self.indicator
                        .filter(|s| !s.trim().is_empty())
                        .ok_or_else(|| {
                            bad(format!(
                                "{at}: tiêu chí tự động phải ghi chỉ tiêu (indicator)"
                            ))
                        })?;
                let r = self.rule.ok_or_else(|| {
                    bad(format!("{at}: tiêu chí tự động phải ghi quy tắc (rule)"))
                })?;
                let rule = match r.kind.as_str() {
                    "rate_step" => {
                        let t = r.threshold.ok_or_else(|| {
                            bad(format!("{at}: quy tắc rate_step cần ngưỡng (threshold, %)"))
                        })?;
                        let threshold = centi(t, &at)?;
                        if threshold > 10000 {
                            return Err(bad(format!("{at}: ngưỡng {t}% lớn hơn 100%")));
                        }
                        let p = r.per_point.ok_or_else(|| {
                            bad(format!(
                                "{at}: quy tắc rate_step cần số điểm trừ mỗi 1% (per_point)"
                            ))
                        })?;
                        Rule::RateStep {
                            threshold,
                            per_point: centi(p, &at)?,
                        }
                    }
                    "all" => Rule::All,
                    "at_least" => {
                        let n = r.n.filter(|n| *n > 0).ok_or_else(|| {
                            bad(format!("{at}: quy tắc at_least cần số tối thiểu n > 0"))
                        })?;
                        Rule::AtLeast { n }
                    }
                    other => {
                        return Err(bad(format!(
                            "{at}: quy tắc «{other}» không có; dùng rate_step, all hoặc at_least"
                        )));
                    }
                };
                ItemKind::Auto { indicator, rule }
            }
            "yes_no" | "reviewer" => {
                unused("indicator", self.indicator.is_some())?;
                unused("rule", self.rule.is_some())?;
                unused("per_case", self.per_case.is_some())?;
                if self.kind == "yes_no" {
                    ItemKind::YesNo
                } else {
                    ItemKind::Reviewer
                }
            }
            "deduction" => {
                unused("indicator", self.indicator.is_some())?;
                unused("rule", self.rule.is_some())?;
                let p = self.per_case.ok_or_else(|| {
                    bad(format!(
                        "{at}: điểm trừ cần số điểm mỗi trường hợp (per_case)"
                    ))
                })?;
                let per_case = centi(p, &at)?;
                if per_case == 0 || per_case > max {
                    return Err(bad(format!(
                        "{at}: điểm trừ mỗi trường hợp phải lớn hơn 0 và không quá mức trừ tối đa"
                    )));
                }
                ItemKind::Deduction { per_case }
            }
            other => {
                return Err(bad(format!(
                    "{at}: loại «{other}» không có; dùng auto, yes_no, reviewer hoặc deduction"
                )));
            }
        };
        Ok(Item {
            code: self.code,
            title: self.title,
            source: self.source,
            max,
            kind,
        })
    }
}

impl RawSheet {
    fn check(self) -> Result<Sheet, DomainError> {
        let id = self.id.trim().to_string();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(bad(format!(
                "mã bảng tiêu chí «{}» chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
                self.id
            )));
        }
        if self.version < 1 {
            return Err(bad(format!("bảng {id}: số bản (version) phải từ 1")));
        }
        if !(2000..=2100).contains(&self.applies_from) {
            return Err(bad(format!(
                "bảng {id}: năm áp dụng {} không hợp lệ",
                self.applies_from
            )));
        }
        if self.source.trim().is_empty() {
            return Err(bad(format!("bảng {id}: thiếu văn bản căn cứ (source)")));
        }
        let max = centi(self.max, &format!("bảng {id}"))?;
        let mut groups = Vec::new();
        let mut codes = std::collections::BTreeSet::new();
        for g in self.groups {
            let gmax = centi(g.max, &format!("nhóm {}", g.code))?;
            if g.source.trim().is_empty() {
                return Err(bad(format!("nhóm {}: thiếu căn cứ (source)", g.code)));
            }
            let mut items = Vec::new();
            for i in g.items {
                let item = i.check(&g.code)?;
                if !codes.insert(item.code.clone()) {
                    return Err(bad(format!("tiêu chí {} ghi hai lần", item.code)));
                }
                items.push(item);
            }
            let sum: i64 = items
                .iter()
                .filter(|i| !i.is_deduction())
                .map(|i| i.max)
                .sum();
            if sum != gmax {
                return Err(bad(format!(
                    "nhóm {} ghi tối đa {} điểm nhưng các tiêu chí cộng lại {} điểm",
                    g.code,
                    super::points(gmax),
                    super::points(sum)
                )));
            }
            groups.push(Group {
                code: g.code,
                title: g.title,
                source: g.source,
                max: gmax,
                items,
            });
        }
        let sum: i64 = groups.iter().map(|g| g.max).sum();
        if sum != max {
            return Err(bad(format!(
                "bảng {id} ghi tối đa {} điểm nhưng các nhóm cộng lại {} điểm",
                super::points(max),
                super::points(sum)
            )));
        }
        let mut grades = Vec::new();
        for g in self.grades {
            let min = centi(g.min, &format!("mức {}", g.label))?;
            if let Some(prev) = grades.last().map(|p: &Grade| p.min)
                && min >= prev
            {
                return Err(bad(format!(
                    "mức xếp loại «{}» phải có ngưỡng thấp hơn mức trước",
                    g.label
                )));
            }
            if min > max {
                return Err(bad(format!(
                    "mức xếp loại «{}» cần {} điểm, hơn tối đa của bảng",
                    g.label,
                    super::points(min)
                )));
            }
            grades.push(Grade {
                code: g.code,
                label: g.label,
                min,
            });
        }
        if grades.last().is_none_or(|g| g.min != 0) {
            return Err(bad(format!(
                "bảng {id}: mức xếp loại cuối cùng phải bắt đầu từ 0 điểm"
            )));
        }
        let sheet = Sheet {
            id,
            version: self.version,
            title: self.title,
            source: self.source,
            applies_from: self.applies_from,
            draft: self.draft,
            max,
            groups,
            grades,
            caps: self.caps,
        };
        for c in &sheet.caps {
            match sheet.item(&c.item) {
                Some(i) if i.is_deduction() => {}
                Some(_) => {
                    return Err(bad(format!(
                        "điều kiện xếp loại dựa vào tiêu chí {}, phải là một điểm trừ",
                        c.item
                    )));
                }
                None => {
                    return Err(bad(format!(
                        "điều kiện xếp loại dựa vào tiêu chí «{}» không có trong bảng",
                        c.item
                    )));
                }
            }
            if sheet.grade(&c.grade).is_none() {
                return Err(bad(format!(
                    "điều kiện xếp loại giới hạn ở mức «{}» không có trong bảng",
                    c.grade
                )));
            }
        }
        Ok(sheet)
    }
}

impl ItemKind {
    /// The rule of an automatic item.
    pub fn rule(self) -> Option<Rule> {
        match self {
            ItemKind::Auto { rule, .. } => Some(rule),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
id = "thu"
version = 1
title = "Bảng thử"
source = "Văn bản thử"
applies_from = 2020
max = 10

[[group]]
code = "A"
title = "Nhóm A"
source = "Điều 1"
max = 10

[[group.item]]
code = "A1"
title = "Tỷ lệ hồ sơ đúng hạn"
source = "Điều 1, khoản 1"
max = 6
kind = "auto"
indicator = "dossier_on_time_rate"
rule = { kind = "rate_step", threshold = 98, per_point = 0.5 }

[[group.item]]
code = "A2"
title = "Đánh giá của cấp trên"
source = "Điều 1, khoản 2"
max = 4
kind = "reviewer"

[[group.item]]
code = "A3"
title = "Kỷ luật"
source = "Điều 1, khoản 3"
max = 5
kind = "deduction"
per_case = 5

[[grade]]
code = "tot"
label = "Tốt"
min = 8

[[grade]]
code = "dat"
label = "Đạt"
min = 0

[[cap]]
item = "A3"
grade = "dat"
reason = "Bị kỷ luật"
"#;

    #[test]
    fn a_small_sheet_loads() {
        let s = Sheet::parse(SMALL).unwrap();
        assert_eq!(s.max, 1000);
        assert_eq!(s.groups[0].items.len(), 3);
        assert_eq!(
            s.item("A1").unwrap().kind.clone().rule(),
            Some(Rule::RateStep {
                threshold: 9800,
                per_point: 50
            })
        );
    }

    fn refused(src: &str) -> String {
        let e = Sheet::parse(src).unwrap_err();
        assert_eq!(e.code, "scoring.sheet_invalid");
        e.message
    }

    #[test]
    fn a_broken_sheet_is_refused_in_vietnamese() {
        let m = refused(&SMALL.replace("max = 4\n", "max = 3\n"));
        assert!(
            m.contains("nhóm A ghi tối đa 10 điểm nhưng các tiêu chí cộng lại 9 điểm"),
            "{m}"
        );
        let m = refused(&SMALL.replace("max = 10\n\n[[group]]", "max = 12\n\n[[group]]"));
        assert!(m.contains("bảng thu ghi tối đa 12 điểm"), "{m}");
        let m = refused(&SMALL.replace("kind = \"reviewer\"", "kind = \"doan\""));
        assert!(
            m.contains("tiêu chí A2 (nhóm A): loại «doan» không có"),
            "{m}"
        );
        let m = refused(&SMALL.replace("source = \"Điều 1, khoản 2\"", "source = \"\""));
        assert!(m.contains("tiêu chí A2 (nhóm A): thiếu căn cứ"), "{m}");
        let m = refused(&SMALL.replace("item = \"A3\"", "item = \"A9\""));
        assert!(m.contains("«A9» không có"), "{m}");
        let m = refused(&SMALL.replace("min = 8", "min = 0"));
        assert!(m.contains("ngưỡng thấp hơn"), "{m}");
        let m = refused(&SMALL.replace("per_point = 0.5", "per_point = 0.125"));
        assert!(m.contains("hai chữ số thập phân"), "{m}");
        let m = refused("id = ");
        assert!(m.starts_with("bảng tiêu chí không đọc được"), "{m}");
    }
}
