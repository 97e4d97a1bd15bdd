//! Grassroots mediation cases (hòa giải ở cơ sở): a case received by a
//! mediation team (tổ hòa giải) and how it ended. Reports say "tiếp nhận
//! 755 vụ, hòa giải thành công 630 vụ", so every figure is counted on the
//! date the case was received, split by its result.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{MediationField, MediationResult};

/// A mediation case at the unit of its team (usually a commune).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MediationCase {
    pub unit_id: i64,
    /// Tổ hòa giải, e.g. "Tổ hòa giải thôn 2".
    pub team: String,
    pub received_on: NaiveDate,
    pub field: MediationField,
    pub result: MediationResult,
    pub summary: String,
}

/// Indicator keys fed by mediation cases.
pub mod keys {
    /// Cases received, on the received date; breakdown `field` and
    /// `result` (success, failure, in_progress, withdrawn). The success
    /// rate is `result=success` over the total.
    pub const CASES: &str = "mediation.cases";
}

impl MediationCase {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.team.trim().is_empty() {
            return Err(
                DomainError::new("mediation.invalid", "thiếu tên tổ hòa giải").at_field("team"),
            );
        }
        Ok(())
    }
}

impl FactSource for MediationCase {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        out.push(Contribution {
            unit_id: self.unit_id,
            date: self.received_on,
            key: keys::CASES,
            breakdown: Breakdown::new()
                .with("field", self.field.code())
                .with("result", self.result.code())
                .build(),
            value: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_case_one_fact_by_field_and_result() {
        let c = MediationCase {
            unit_id: 3,
            team: "Tổ hòa giải thôn 1".into(),
            received_on: NaiveDate::from_ymd_opt(2020, 2, 3).unwrap(),
            field: MediationField::parse("dat dai").unwrap(),
            result: MediationResult::parse("Không thành").unwrap(),
            summary: String::new(),
        };
        let mut out = Vec::new();
        c.contributions(&mut out);
        assert_eq!(out[0].breakdown, "field=land;result=failure");
        let e = MediationCase {
            team: " ".into(),
            ..c
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.to_string(), "Trường «team»: thiếu tên tổ hòa giải");
    }
}
