//! From a unit's answers to points, groups and a grade: pure arithmetic
//! over a [`Sheet`], with a sentence for every item saying how its points
//! came about, so a unit can see why it lost them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::points;
use super::sheet::{ItemKind, Rule, Sheet};
use crate::{DomainError, number};

/// The indicator value an automatic item was scored on, as read for the
/// unit and year (the same figures `/api/figures` gives).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    pub indicator: String,
    pub label: String,
    /// A count, or a ratio's numerator.
    pub num: i64,
    /// A ratio's denominator.
    pub den: Option<i64>,
}

impl Figure {
    /// "96,5% (193/200)" or "3".
    pub fn shown(&self) -> String {
        match self.den {
            Some(d) => match number::percent(self.num, d, 2) {
                Some(p) => format!("{p} ({}/{})", number::int(self.num), number::int(d)),
                None => "không phát sinh (0/0)".into(),
            },
            None => number::int(self.num),
        }
    }
}

/// What a unit (and its reviewer) said of one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// An automatic item's figure, filled from facts, never by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<Figure>,
    /// A yes/no item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes: Option<bool>,
    /// A reviewer item's points as self-assessed (hundredths).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
    /// A deduction's number of cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cases: Option<i64>,
    /// Evidence: what was done, in words.
    #[serde(default)]
    pub evidence: String,
    /// Evidence: the document's number and symbol ("57/KH-UBND").
    #[serde(default)]
    pub document: String,
    /// Evidence: the name of an attached file, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// The reviewer's points for the item (for a deduction, the points
    /// taken off), replacing the self-assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<i64>,
    /// Why the reviewer adjusted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One item's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    pub code: String,
    pub group: String,
    pub title: String,
    pub source: String,
    pub kind: String,
    pub max: i64,
    /// Points given; for a deduction, the points taken off.
    pub points: i64,
    pub deduction: bool,
    /// How the points came about.
    pub explanation: String,
    /// Filled from facts: the unit cannot change it.
    pub locked: bool,
    pub figure: Option<Figure>,
    pub adjusted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupScore {
    pub code: String,
    pub title: String,
    pub max: i64,
    pub points: i64,
}

/// A unit's result on a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scored {
    pub sheet: String,
    pub sheet_version: i64,
    pub items: Vec<ItemScore>,
    pub groups: Vec<GroupScore>,
    /// Points taken off by deductions.
    pub deductions: i64,
    /// Groups less deductions, never below 0.
    pub total: i64,
    pub grade: String,
    pub grade_label: String,
    /// When a condition lowered the grade the points gave: why.
    pub capped: Option<String>,
}

fn invalid(code: &str, msg: String) -> DomainError {
    DomainError::new("scoring.answer", msg).at_field(code.to_string())
}

/// Points of an automatic rule and the sentence explaining them.
pub fn auto_points(rule: &Rule, max: i64, f: &Figure) -> (i64, String) {
    let full = points(max);
    match *rule {
        Rule::RateStep {
            threshold,
            per_point,
        } => {
            let th = points(threshold);
            let head = format!(
                "{}: {}. Đạt từ {th}% trở lên được {full} điểm; mỗi 1% thấp hơn trừ {} điểm",
                f.label,
                f.shown(),
                points(per_point)
            );
            let rate = f.den.and_then(|d| number::rate_scaled(f.num, d, 2));
            match rate {
                None => (max, format!("{head}. Không phát sinh: được {full} điểm.")),
                Some(r) if r >= threshold => (max, format!("{head}: được {full} điểm.")),
                Some(r) => {
                    let gap = threshold - r;
                    // gap (hundredths of a percent) × per_point (hundredths
                    // of a point) / 100, rounded half up.
                    let off = (gap * per_point + 50) / 100;
                    let got = (max - off).max(0);
                    (
                        got,
                        format!(
                            "{head}: thấp hơn {}% nên trừ {} điểm, còn {} điểm.",
                            points(gap),
                            points(off.min(max)),
                            points(got)
                        ),
                    )
                }
            }
        }
        Rule::All => {
            let head = format!(
                "{}: {}. Giải quyết hết, đúng hạn được {full} điểm",
                f.label,
                f.shown()
            );
            match f.den {
                Some(0) | None if f.num == 0 => {
                    (max, format!("{head}. Không phát sinh: được {full} điểm."))
                }
                Some(d) if f.num >= d => (max, format!("{head}: đạt, được {full} điểm.")),
                Some(d) => (
                    0,
                    format!(
                        "{head}: còn {} trường hợp chưa đạt nên không có điểm.",
                        number::int(d - f.num)
                    ),
                ),
                None => (max, format!("{head}: đạt, được {full} điểm.")),
            }
        }
        Rule::AtLeast { n } => {
            let head = format!(
                "{}: {}. Có ít nhất {} được {full} điểm",
                f.label,
                f.shown(),
                number::int(n)
            );
            if f.num >= n {
                (max, format!("{head}: đạt, được {full} điểm."))
            } else {
                (0, format!("{head}: chưa đạt nên không có điểm."))
            }
        }
    }
}

/// The manual items still unanswered, by code: a self-assessment is sent
/// only when none is left.
pub fn missing(sheet: &Sheet, answers: &BTreeMap<String, Answer>) -> Vec<String> {
    sheet
        .items()
        .filter(|(_, i)| {
            let a = answers.get(&i.code);
            match i.kind {
                ItemKind::Auto { .. } => a.and_then(|a| a.figure.as_ref()).is_none(),
                ItemKind::YesNo => a.and_then(|a| a.yes).is_none(),
                ItemKind::Reviewer => a.and_then(|a| a.points).is_none(),
                ItemKind::Deduction { .. } => a.and_then(|a| a.cases).is_none(),
            }
        })
        .map(|(_, i)| i.code.clone())
        .collect()
}

/// Check answers against the sheet: every value within its item's range,
/// evidence where the sheet needs it. The first problem, named by item.
pub fn check(sheet: &Sheet, answers: &BTreeMap<String, Answer>) -> Result<(), DomainError> {
    for code in answers.keys() {
        if sheet.item(code).is_none() {
            return Err(invalid(
                code,
                format!("tiêu chí «{code}» không có trong bảng {}", sheet.id),
            ));
        }
    }
    for (_, item) in sheet.items() {
        let Some(a) = answers.get(&item.code) else {
            continue;
        };
        let at = format!("tiêu chí {} ({})", item.code, item.title);
        let max = points(item.max);
        if let Some(p) = a.points {
            if !matches!(item.kind, ItemKind::Reviewer) {
                return Err(invalid(
                    &item.code,
                    format!("{at}: không tự chấm điểm tiêu chí này"),
                ));
            }
            if !(0..=item.max).contains(&p) {
                return Err(invalid(
                    &item.code,
                    format!("{at}: điểm {} ngoài khoảng 0 đến {max}", points(p)),
                ));
            }
        }
        if let Some(p) = a.adjusted
            && !(0..=item.max).contains(&p)
        {
            return Err(invalid(
                &item.code,
                format!(
                    "{at}: điểm điều chỉnh {} ngoài khoảng 0 đến {max}",
                    points(p)
                ),
            ));
        }
        if a.yes.is_some() && !matches!(item.kind, ItemKind::YesNo) {
            return Err(invalid(
                &item.code,
                format!("{at}: không phải tiêu chí có/không"),
            ));
        }
        if a.yes == Some(true) && a.document.trim().is_empty() {
            return Err(invalid(
                &item.code,
                format!("{at}: ghi số, ký hiệu văn bản làm căn cứ cho câu trả lời «có»"),
            ));
        }
        if let Some(c) = a.cases {
            let ItemKind::Deduction { .. } = item.kind else {
                return Err(invalid(
                    &item.code,
                    format!("{at}: không phải tiêu chí điểm trừ"),
                ));
            };
            if !(0..=1000).contains(&c) {
                return Err(invalid(
                    &item.code,
                    format!("{at}: số trường hợp {c} phải từ 0 đến 1.000"),
                ));
            }
            if c > 0 && a.document.trim().is_empty() && a.evidence.trim().is_empty() {
                return Err(invalid(
                    &item.code,
                    format!("{at}: ghi văn bản hoặc nội dung của trường hợp bị trừ điểm"),
                ));
            }
        }
        for (what, text, limit) in [
            ("nội dung minh chứng", &a.evidence, 4000),
            ("số văn bản", &a.document, 100),
        ] {
            if text.chars().count() > limit {
                return Err(invalid(
                    &item.code,
                    format!("{at}: {what} dài quá {} ký tự", number::int(limit as i64)),
                ));
            }
        }
    }
    Ok(())
}

/// Score `answers` on `sheet`. Unanswered manual items count 0 (a
/// deduction with no case takes nothing off).
pub fn evaluate(sheet: &Sheet, answers: &BTreeMap<String, Answer>) -> Result<Scored, DomainError> {
    check(sheet, answers)?;
    let empty = Answer::default();
    let mut items = Vec::new();
    let mut groups = Vec::new();
    let mut deductions = 0;
    let mut capped_items = Vec::new();
    for g in &sheet.groups {
        let mut sum = 0;
        for item in &g.items {
            let a = answers.get(&item.code).unwrap_or(&empty);
            let (own, mut explanation) = match &item.kind {
                ItemKind::Auto { rule, .. } => match &a.figure {
                    Some(f) => auto_points(rule, item.max, f),
                    None => (0, "Chưa có số liệu.".into()),
                },
                ItemKind::YesNo => match a.yes {
                    Some(true) => (
                        item.max,
                        format!(
                            "Có (văn bản {}): được {} điểm.",
                            a.document.trim(),
                            points(item.max)
                        ),
                    ),
                    Some(false) => (0, "Không: không có điểm.".into()),
                    None => (0, "Chưa trả lời.".into()),
                },
                ItemKind::Reviewer => match a.points {
                    Some(p) => (p, format!("Tự chấm {} điểm.", points(p))),
                    None => (0, "Chưa chấm.".into()),
                },
                ItemKind::Deduction { per_case } => {
                    let c = a.cases.unwrap_or(0);
                    let off = (c * per_case).min(item.max);
                    (
                        off,
                        if c == 0 {
                            "Không có trường hợp nào: không trừ điểm.".into()
                        } else {
                            format!(
                                "{} trường hợp, mỗi trường hợp trừ {} điểm (tối đa {}): trừ {} điểm.",
                                number::int(c),
                                points(*per_case),
                                points(item.max),
                                points(off)
                            )
                        },
                    )
                }
            };
            let got = match a.adjusted {
                Some(p) if !item.is_auto() => {
                    explanation.push_str(&format!(
                        " Cấp trên điều chỉnh thành {} điểm: {}",
                        points(p),
                        a.reason.as_deref().unwrap_or("")
                    ));
                    p
                }
                _ => own,
            };
            if item.is_deduction() {
                deductions += got;
                if got > 0 {
                    capped_items.push(item.code.clone());
                }
            } else {
                sum += got;
            }
            items.push(ItemScore {
                code: item.code.clone(),
                group: g.code.clone(),
                title: item.title.clone(),
                source: item.source.clone(),
                kind: item.kind_label().into(),
                max: item.max,
                points: got,
                deduction: item.is_deduction(),
                explanation,
                locked: item.is_auto(),
                figure: a.figure.clone(),
                adjusted: a.adjusted.is_some() && !item.is_auto(),
            });
        }
        groups.push(super::eval::GroupScore {
            code: g.code.clone(),
            title: g.title.clone(),
            max: g.max,
            points: sum,
        });
    }
    let total = (groups.iter().map(|g| g.points).sum::<i64>() - deductions).max(0);
    let by_points = sheet
        .grades
        .iter()
        .position(|g| total >= g.min)
        .unwrap_or(sheet.grades.len() - 1);
    let mut at = by_points;
    let mut capped = None;
    for c in &sheet.caps {
        if !capped_items.contains(&c.item) {
            continue;
        }
        let cap = sheet
            .grades
            .iter()
            .position(|g| g.code == c.grade)
            .expect("checked when the sheet loads");
        if cap > at {
            at = cap;
            capped = Some(format!(
                "{} (tiêu chí {}): xếp loại không cao hơn «{}», dù đạt {} điểm.",
                c.reason,
                c.item,
                sheet.grades[cap].label,
                points(total)
            ));
        }
    }
    Ok(Scored {
        sheet: sheet.id.clone(),
        sheet_version: sheet.version,
        items,
        groups,
        deductions,
        total,
        grade: sheet.grades[at].code.clone(),
        grade_label: sheet.grades[at].label.clone(),
        capped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(num: i64, den: Option<i64>) -> Figure {
        Figure {
            indicator: "x".into(),
            label: "Tỷ lệ".into(),
            num,
            den,
        }
    }

    #[test]
    fn each_point_below_the_threshold_takes_its_share() {
        let r = Rule::RateStep {
            threshold: 9800,
            per_point: 50,
        };
        assert_eq!(auto_points(&r, 500, &fig(99, Some(100))).0, 500);
        // 96%: 2 points below, 1 point off.
        let (p, why) = auto_points(&r, 500, &fig(96, Some(100)));
        assert_eq!(p, 400, "{why}");
        assert!(
            why.contains("thấp hơn 2% nên trừ 1 điểm, còn 4 điểm"),
            "{why}"
        );
        // Far below: never under 0.
        assert_eq!(auto_points(&r, 500, &fig(1, Some(100))).0, 0);
        // Nothing to count: full points.
        assert_eq!(auto_points(&r, 500, &fig(0, Some(0))).0, 500);
    }

    #[test]
    fn all_and_at_least() {
        assert_eq!(auto_points(&Rule::All, 300, &fig(5, Some(5))).0, 300);
        assert_eq!(auto_points(&Rule::All, 300, &fig(4, Some(5))).0, 0);
        assert_eq!(auto_points(&Rule::All, 300, &fig(0, Some(0))).0, 300);
        assert_eq!(
            auto_points(&Rule::AtLeast { n: 1 }, 300, &fig(0, None)).0,
            0
        );
        assert_eq!(
            auto_points(&Rule::AtLeast { n: 1 }, 300, &fig(2, None)).0,
            300
        );
    }

    fn full(sheet: &Sheet) -> BTreeMap<String, Answer> {
        sheet
            .items()
            .map(|(_, i)| {
                let a = match &i.kind {
                    ItemKind::Auto { .. } => Answer {
                        figure: Some(fig(1, Some(1))),
                        ..Default::default()
                    },
                    ItemKind::YesNo => Answer {
                        yes: Some(true),
                        document: "1/KH-UBND".into(),
                        ..Default::default()
                    },
                    ItemKind::Reviewer => Answer {
                        points: Some(i.max),
                        ..Default::default()
                    },
                    ItemKind::Deduction { .. } => Answer {
                        cases: Some(0),
                        ..Default::default()
                    },
                };
                (i.code.clone(), a)
            })
            .collect()
    }

    #[test]
    fn a_disciplined_leader_caps_the_grade_whatever_the_points() {
        let sheet = super::super::shipped()
            .iter()
            .find(|s| s.id == "nd335")
            .unwrap();
        let mut answers = full(sheet);
        let s = evaluate(sheet, &answers).unwrap();
        assert_eq!((s.total, s.grade.as_str()), (10000, "xuat_sac"));
        assert!(missing(sheet, &answers).is_empty());
        let cap = &sheet.caps[0];
        let a = answers.get_mut(&cap.item).unwrap();
        a.cases = Some(1);
        a.document = "12/QĐ-KL".into();
        let s = evaluate(sheet, &answers).unwrap();
        assert!(s.total >= 9000, "still high: {}", s.total);
        assert_ne!(s.grade, "xuat_sac");
        assert_eq!(s.grade, cap.grade);
        assert!(
            s.capped.as_deref().unwrap().contains("dù đạt"),
            "{:?}",
            s.capped
        );
    }

    #[test]
    fn answers_out_of_range_are_refused_by_item() {
        let sheet = super::super::shipped()
            .iter()
            .find(|s| s.id == "nd335")
            .unwrap();
        let reviewer = sheet
            .items()
            .find(|(_, i)| matches!(i.kind, ItemKind::Reviewer))
            .unwrap()
            .1;
        let mut answers = full(sheet);
        answers.get_mut(&reviewer.code).unwrap().points = Some(reviewer.max + 1);
        let e = evaluate(sheet, &answers).unwrap_err();
        assert!(e.message.contains("ngoài khoảng 0 đến"), "{}", e.message);
        assert!(e.message.contains(&reviewer.code), "{}", e.message);
        let yes_no = sheet
            .items()
            .find(|(_, i)| matches!(i.kind, ItemKind::YesNo))
            .unwrap()
            .1;
        let mut answers = full(sheet);
        answers.get_mut(&yes_no.code).unwrap().document.clear();
        let e = evaluate(sheet, &answers).unwrap_err();
        assert!(
            e.message.contains("ghi số, ký hiệu văn bản"),
            "{}",
            e.message
        );
    }
}
