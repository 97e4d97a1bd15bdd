//! Oversight (giám sát) and social criticism (phản biện xã hội) by the
//! Fatherland Front and its member organisations, counted by organisation:
//! "Về giám sát (8 cuộc): MTTQ 3, Hội LHPN 1, …".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{Organisation, OversightKind};

/// One oversight or social-criticism activity at the organising unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Oversight {
    pub unit_id: i64,
    pub organisation: Organisation,
    pub kind: OversightKind,
    pub held_on: NaiveDate,
    /// Nội dung, e.g. "việc tu dưỡng, rèn luyện đạo đức của người đứng đầu".
    pub subject: String,
    /// Đối tượng giám sát (bodies or persons overseen).
    pub targets: String,
    /// Kiến nghị made after the activity.
    pub recommendations: i64,
}

/// Indicator keys fed by oversight; breakdown `organisation` and `kind`.
pub mod keys {
    /// Activities (cuộc giám sát, phản biện).
    pub const ACTIVITIES: &str = "oversight.activities";
    /// Recommendations made.
    pub const RECOMMENDATIONS: &str = "oversight.recommendations";
}

impl Oversight {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.subject.trim().is_empty() {
            return Err(DomainError::new(
                "oversight.invalid",
                "thiếu nội dung giám sát, phản biện",
            )
            .at_field("subject"));
        }
        crate::bounds::count(
            "oversight.invalid",
            "recommendations",
            "số kiến nghị",
            self.recommendations,
            0,
        )?;
        Ok(())
    }
}

impl FactSource for Oversight {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = Breakdown::new()
            .with("organisation", self.organisation.code())
            .with("kind", self.kind.code())
            .build();
        for (key, value) in [
            (keys::ACTIVITIES, 1),
            (keys::RECOMMENDATIONS, self.recommendations),
        ] {
            if value != 0 {
                out.push(Contribution {
                    unit_id: self.unit_id,
                    date: self.held_on,
                    key,
                    breakdown: b.clone(),
                    value,
                });
            }
        }
    }
}
