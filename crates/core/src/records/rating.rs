//! Satisfaction ratings (đánh giá mức độ hài lòng): a citizen rates a
//! service received at a unit — a one-stop dossier by its code, a petition
//! sent online by its tracking code, or a reception on a paper form the
//! unit enters. A rating names no one: the comment is kept, its author is
//! not. Reports give the satisfied share ("tỷ lệ hài lòng 95,2%").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{RatedService, Satisfaction};

/// The longest comment kept, in characters.
pub const COMMENT_MAX: usize = 2_000;

/// The longest reference kept (a dossier code, a form number), in characters.
pub const SUBJECT_MAX: usize = 100;

/// One citizen's rating of one service, at the unit that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    pub unit_id: i64,
    pub service: RatedService,
    pub level: Satisfaction,
    pub rated_on: NaiveDate,
    /// What was rated: the dossier code or the petition number; a paper
    /// form's number, or empty. A service with a reference is rated once.
    pub subject: String,
    /// Ý kiến khác: the citizen's words, without their name.
    pub comment: String,
}

/// Indicator keys fed by ratings; breakdown `service`, `level` and
/// `satisfied` (`yes` for rất hài lòng and hài lòng).
pub mod keys {
    /// Ratings given (lượt đánh giá).
    pub const RATINGS: &str = "rating.ratings";
}

impl Rating {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.subject.chars().count() > SUBJECT_MAX {
            return Err(DomainError::new(
                "rating.invalid",
                format!("mã hồ sơ, số phiếu dài quá {SUBJECT_MAX} ký tự"),
            )
            .at_field("subject"));
        }
        if self.comment.chars().count() > COMMENT_MAX {
            return Err(DomainError::new(
                "rating.invalid",
                format!("ý kiến dài quá {COMMENT_MAX} ký tự"),
            )
            .at_field("comment"));
        }
        if self.service != RatedService::Reception && self.subject.trim().is_empty() {
            return Err(DomainError::new(
                "rating.invalid",
                format!(
                    "thiếu mã của {} được đánh giá",
                    match self.service {
                        RatedService::Dossier => "hồ sơ",
                        _ => "ý kiến",
                    }
                ),
            )
            .at_field("subject"));
        }
        Ok(())
    }

    /// Rất hài lòng or hài lòng: what the satisfied share counts.
    pub fn satisfied(&self) -> bool {
        self.level != Satisfaction::NotSatisfied
    }
}

impl FactSource for Rating {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let breakdown = Breakdown::new()
            .with("level", self.level.code())
            .with("satisfied", if self.satisfied() { "yes" } else { "no" })
            .with("service", self.service.code())
            .build();
        out.push(Contribution {
            unit_id: self.unit_id,
            date: self.rated_on,
            key: keys::RATINGS,
            breakdown,
            value: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Where;
    use crate::fact::dimension;

    fn field(e: DomainError) -> String {
        match e.at {
            Where::Field { field } => field,
            other => panic!("{other:?}"),
        }
    }

    fn rating(level: Satisfaction) -> Rating {
        Rating {
            unit_id: 7,
            service: RatedService::Dossier,
            level,
            rated_on: NaiveDate::from_ymd_opt(2025, 9, 3).unwrap(),
            subject: "H37.25-250903-0001".into(),
            comment: String::new(),
        }
    }

    #[test]
    fn a_rating_counts_once_and_says_whether_it_was_satisfied() {
        for (level, satisfied) in [
            (Satisfaction::VerySatisfied, "yes"),
            (Satisfaction::Satisfied, "yes"),
            (Satisfaction::NotSatisfied, "no"),
        ] {
            let mut out = Vec::new();
            rating(level).contributions(&mut out);
            assert_eq!(out.len(), 1);
            assert_eq!(out[0].value, 1);
            assert_eq!(dimension(&out[0].breakdown, "satisfied"), Some(satisfied));
        }
    }

    #[test]
    fn a_dossier_rating_needs_its_code_and_a_paper_form_does_not() {
        let mut r = rating(Satisfaction::Satisfied);
        r.subject = " ".into();
        assert_eq!(field(r.validate().unwrap_err()), "subject");
        r.service = RatedService::Reception;
        assert!(r.validate().is_ok());
        r.comment = "x".repeat(COMMENT_MAX + 1);
        assert_eq!(field(r.validate().unwrap_err()), "comment");
    }
}
