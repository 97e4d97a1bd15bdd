//! Cases (vụ việc): the record, its validation and the facts it contributes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{dmy, keys, yes};
use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

/// A case (vụ việc): several petitions about one matter, with the flags
/// reports single out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub unit_id: i64,
    pub opened_on: NaiveDate,
    pub title: String,
    /// Phức tạp.
    #[serde(default)]
    pub complex: bool,
    /// Đông người.
    #[serde(default)]
    pub crowd: bool,
    /// Kéo dài.
    #[serde(default)]
    pub prolonged: bool,
    pub resolved_on: Option<NaiveDate>,
}

impl Case {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(
                DomainError::new("case.invalid", "vụ việc phải có tên (nội dung tóm tắt)")
                    .at_field("title"),
            );
        }
        if let Some(r) = self.resolved_on
            && r < self.opened_on
        {
            return Err(DomainError::new(
                "case.date_order",
                format!(
                    "ngày giải quyết vụ việc ({}) trước ngày phát sinh ({})",
                    dmy(r),
                    dmy(self.opened_on)
                ),
            )
            .at_field("resolved_on"));
        }
        Ok(())
    }

    pub fn flagged(&self) -> bool {
        self.complex || self.crowd || self.prolonged
    }

    fn breakdown(&self) -> String {
        Breakdown::new()
            .with("complex", yes(self.complex))
            .with("crowd", yes(self.crowd))
            .with("prolonged", yes(self.prolonged))
            .with("flagged", yes(self.flagged()))
            .build()
    }
}

impl FactSource for Case {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = self.breakdown();
        let mut push = |date, key, value| {
            out.push(Contribution {
                unit_id: self.unit_id,
                date,
                key,
                breakdown: b.clone(),
                value,
            })
        };
        push(self.opened_on, keys::CASE_OPENED, 1);
        push(self.opened_on, keys::CASE_OPEN, 1);
        if let Some(r) = self.resolved_on {
            push(r, keys::CASE_OPEN, -1);
            push(r, keys::CASE_RESOLVED, 1);
        }
    }
}
