//! The set of deadline rules in force, and how one is chosen for a case.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rule::{DayCounting, DeadlineRule, Procedure};

/// All known rules, national and provincial, current and historical.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTable {
    rules: Vec<DeadlineRule>,
}

impl RuleTable {
    pub fn new(rules: Vec<DeadlineRule>) -> Self {
        Self { rules }
    }

    pub fn rules(&self) -> &[DeadlineRule] {
        &self.rules
    }

    pub fn push(&mut self, rule: DeadlineRule) {
        self.rules.push(rule);
    }

    /// The rule for a case: a provincial rule valid on `on` wins over the
    /// national one; among several valid ones, the most recent `valid_from`.
    pub fn resolve(
        &self,
        procedure: Procedure,
        complex: bool,
        remote: bool,
        province: Option<&str>,
        on: NaiveDate,
    ) -> Option<&DeadlineRule> {
        let latest = |wanted: Option<&str>| {
            self.rules
                .iter()
                .filter(|r| {
                    r.procedure == procedure
                        && r.complex == complex
                        && r.remote_area == remote
                        && r.province.as_deref() == wanted
                        && r.is_valid_on(on)
                })
                .max_by_key(|r| r.valid_from)
        };
        province
            .and_then(|p| latest(Some(p)))
            .or_else(|| latest(None))
    }

    /// National rules: Luật Khiếu nại 2011 (art. 28, 37), Luật Tố cáo 2018
    /// (art. 30) and Thông tư 05/2021/TT-TTCP on handling petitions.
    pub fn national_defaults() -> Self {
        let complaints_from = date(2012, 7, 1);
        let denunciations_from = date(2019, 1, 1);
        let petitions_from = date(2021, 11, 15);
        let mut rules = Vec::new();
        for (complex, remote, first, second) in [
            (false, false, 30, 45),
            (true, false, 45, 60),
            (false, true, 45, 60),
            (true, true, 60, 70),
        ] {
            let flags = flags(complex, remote);
            rules.push(national(
                format!("kn1{flags}"),
                Procedure::ComplaintFirstInstance,
                first,
                (complex, remote),
                complaints_from,
                "Luật Khiếu nại 2011, Điều 28",
            ));
            rules.push(national(
                format!("kn2{flags}"),
                Procedure::ComplaintSecondInstance,
                second,
                (complex, remote),
                complaints_from,
                "Luật Khiếu nại 2011, Điều 37",
            ));
            // Only complex denunciations may be extended: once (phức tạp)
            // or twice (đặc biệt phức tạp), each by at most 30 days. The
            // extension decision says which; we allow the maximum.
            let mut denunciation = national(
                format!("tc{flags}"),
                Procedure::Denunciation,
                30,
                (complex, remote),
                denunciations_from,
                "Luật Tố cáo 2018, Điều 30",
            );
            denunciation.max_extensions = if complex { 2 } else { 0 };
            rules.push(denunciation);
            if complex {
                rules.push(national(
                    format!("tc-gh{flags}"),
                    Procedure::DenunciationExtension,
                    30,
                    (complex, remote),
                    denunciations_from,
                    "Luật Tố cáo 2018, Điều 30",
                ));
            }
            let mut petition = national(
                format!("xld{flags}"),
                Procedure::PetitionProcessing,
                10,
                (complex, remote),
                petitions_from,
                "Thông tư 05/2021/TT-TTCP",
            );
            petition.counting = DayCounting::Working;
            rules.push(petition);
        }
        Self { rules }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn flags(complex: bool, remote: bool) -> String {
    let mut s = String::new();
    if complex {
        s.push_str("-phuc-tap");
    }
    if remote {
        s.push_str("-vung-sau");
    }
    s
}

fn national(
    id: String,
    procedure: Procedure,
    days: u32,
    (complex, remote_area): (bool, bool),
    valid_from: NaiveDate,
    legal_basis: &str,
) -> DeadlineRule {
    DeadlineRule {
        id: format!("qg-{id}"),
        procedure,
        days,
        counting: DayCounting::Calendar,
        complex,
        remote_area,
        province: None,
        valid_from,
        valid_to: None,
        legal_basis: legal_basis.to_owned(),
        max_extensions: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(table: &RuleTable, p: Procedure, complex: bool, remote: bool) -> Option<u32> {
        table
            .resolve(p, complex, remote, None, date(2026, 1, 5))
            .map(|r| r.days)
    }

    #[test]
    fn national_complaint_deadlines() {
        use Procedure::*;
        let t = RuleTable::national_defaults();
        assert_eq!(days(&t, ComplaintFirstInstance, false, false), Some(30));
        assert_eq!(days(&t, ComplaintFirstInstance, true, false), Some(45));
        assert_eq!(days(&t, ComplaintFirstInstance, false, true), Some(45));
        assert_eq!(days(&t, ComplaintFirstInstance, true, true), Some(60));
        assert_eq!(days(&t, ComplaintSecondInstance, false, false), Some(45));
        assert_eq!(days(&t, ComplaintSecondInstance, true, false), Some(60));
        assert_eq!(days(&t, ComplaintSecondInstance, false, true), Some(60));
        assert_eq!(days(&t, ComplaintSecondInstance, true, true), Some(70));
        assert_eq!(days(&t, Denunciation, false, false), Some(30));
        assert_eq!(days(&t, DenunciationExtension, true, false), Some(30));
        assert_eq!(days(&t, DenunciationExtension, false, false), None);
        assert_eq!(days(&t, PetitionProcessing, false, false), Some(10));
    }

    #[test]
    fn ids_are_unique() {
        let t = RuleTable::national_defaults();
        let mut ids: Vec<_> = t.rules().iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }

    #[test]
    fn no_rule_before_the_law() {
        let t = RuleTable::national_defaults();
        let on = date(2018, 12, 31);
        assert!(
            t.resolve(Procedure::Denunciation, false, false, None, on)
                .is_none()
        );
    }

    #[test]
    fn province_rule_overrides_from_its_date() {
        let mut t = RuleTable::national_defaults();
        t.push(DeadlineRule {
            id: "01-xld".into(),
            procedure: Procedure::PetitionProcessing,
            days: 7,
            counting: DayCounting::Working,
            complex: false,
            remote_area: false,
            province: Some("01".into()),
            valid_from: date(2025, 7, 1),
            valid_to: Some(date(2026, 12, 31)),
            legal_basis: "Quyết định của UBND tỉnh (ví dụ)".into(),
            max_extensions: 0,
        });
        let resolve = |province, on| {
            t.resolve(Procedure::PetitionProcessing, false, false, province, on)
                .map(|r| r.days)
        };
        assert_eq!(resolve(Some("01"), date(2025, 6, 30)), Some(10));
        assert_eq!(resolve(Some("01"), date(2025, 7, 1)), Some(7));
        assert_eq!(resolve(Some("01"), date(2026, 12, 31)), Some(7));
        assert_eq!(resolve(Some("01"), date(2027, 1, 1)), Some(10));
        assert_eq!(resolve(Some("79"), date(2025, 7, 1)), Some(10));
        assert_eq!(resolve(None, date(2025, 7, 1)), Some(10));
        // Other flags still use the national rule.
        let complex = t.resolve(
            Procedure::PetitionProcessing,
            true,
            false,
            Some("01"),
            date(2025, 7, 1),
        );
        assert_eq!(complex.map(|r| r.days), Some(10));
    }
}
