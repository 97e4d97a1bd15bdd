//! Citizen reception (tiếp công dân): a reception session or turn at a unit.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::fact::{Breakdown, Contribution, FactSource};
use crate::{DomainError, bounds};

pub use crate::records::vocabulary::{ReceptionContent, ReceptionKind, ReceptionOutcome};

/// A reception record as entered; `id` is absent before it is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reception {
    pub unit_id: i64,
    pub received_on: NaiveDate,
    /// Receiving official (người tiếp) and position, e.g. "Chủ tịch UBND".
    pub official: String,
    pub position: String,
    pub kind: ReceptionKind,
    pub content: ReceptionContent,
    pub outcome: ReceptionOutcome,
    /// Turns (lượt) and persons (người).
    pub turns: i64,
    pub persons: i64,
    /// Crowd delegations (đoàn đông người) and the persons in them.
    pub delegations: i64,
    pub delegation_persons: i64,
    /// The petition taken in, when the outcome is "nhận đơn".
    pub petition_id: Option<i64>,
    pub note: String,
}

impl Reception {
    /// Checks what a single record can check on its own.
    pub fn validate(&self) -> Result<(), DomainError> {
        let field = |f: &str, msg: String| {
            Err(DomainError::new("reception.invalid", msg).at_field(f.to_string()))
        };
        for (f, what, value, min) in [
            ("turns", "số lượt", self.turns, 1),
            ("persons", "số người", self.persons, 1),
            ("delegations", "số đoàn", self.delegations, 0),
            (
                "delegation_persons",
                "số người trong đoàn",
                self.delegation_persons,
                0,
            ),
        ] {
            bounds::count("reception.invalid", f, what, value, min)?;
        }
        if self.persons < self.turns {
            return field(
                "persons",
                format!(
                    "số người ({}) không thể ít hơn số lượt ({})",
                    self.persons, self.turns
                ),
            );
        }
        if self.delegations < 0 || self.delegation_persons < 0 {
            return field(
                "delegations",
                "số đoàn và số người trong đoàn không được âm".into(),
            );
        }
        if self.delegations == 0 && self.delegation_persons > 0 {
            return field(
                "delegation_persons",
                "có số người trong đoàn đông người nhưng số đoàn bằng 0".into(),
            );
        }
        if self.delegation_persons > self.persons {
            return field(
                "delegation_persons",
                format!(
                    "số người trong đoàn ({}) vượt quá tổng số người được tiếp ({})",
                    self.delegation_persons, self.persons
                ),
            );
        }
        if self.petition_id.is_some() && self.outcome != ReceptionOutcome::PetitionReceived {
            return field(
                "petition_id",
                "chỉ gắn đơn khi kết quả tiếp là «nhận đơn»".into(),
            );
        }
        Ok(())
    }

    fn breakdown(&self) -> String {
        Breakdown::new()
            .with("kind", self.kind.code())
            .with("content", self.content.code())
            .with("outcome", self.outcome.code())
            .build()
    }
}

/// Indicator keys fed by receptions.
pub mod keys {
    pub const SESSIONS: &str = "reception.sessions";
    pub const TURNS: &str = "reception.turns";
    pub const PERSONS: &str = "reception.persons";
    pub const DELEGATIONS: &str = "reception.delegations";
    pub const DELEGATION_PERSONS: &str = "reception.delegation_persons";
}

impl FactSource for Reception {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = self.breakdown();
        for (key, value) in [
            (keys::SESSIONS, 1),
            (keys::TURNS, self.turns),
            (keys::PERSONS, self.persons),
            (keys::DELEGATIONS, self.delegations),
            (keys::DELEGATION_PERSONS, self.delegation_persons),
        ] {
            if value != 0 {
                out.push(Contribution {
                    unit_id: self.unit_id,
                    date: self.received_on,
                    key,
                    breakdown: b.clone(),
                    value,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Reception {
        Reception {
            unit_id: 1,
            received_on: NaiveDate::from_ymd_opt(2020, 3, 2).unwrap(),
            official: "Nguyễn Văn A".into(),
            position: "Chủ tịch UBND".into(),
            kind: ReceptionKind::Periodic,
            content: ReceptionContent::Complaint,
            outcome: ReceptionOutcome::Guided,
            turns: 2,
            persons: 3,
            delegations: 0,
            delegation_persons: 0,
            petition_id: None,
            note: String::new(),
        }
    }

    #[test]
    fn contributes_sessions_turns_and_persons() {
        let mut out = Vec::new();
        sample().contributions(&mut out);
        let got: Vec<(&str, i64)> = out.iter().map(|c| (c.key, c.value)).collect();
        assert_eq!(
            got,
            vec![(keys::SESSIONS, 1), (keys::TURNS, 2), (keys::PERSONS, 3)]
        );
        assert_eq!(
            out[0].breakdown,
            "content=complaint;kind=periodic;outcome=guided"
        );
    }

    #[test]
    fn refuses_fewer_persons_than_turns() {
        let r = Reception {
            persons: 1,
            ..sample()
        };
        let e = r.validate().unwrap_err();
        assert!(
            e.to_string()
                .contains("số người (1) không thể ít hơn số lượt (2)"),
            "{e}"
        );
    }

    #[test]
    fn parses_vietnamese_labels() {
        assert_eq!(
            ReceptionKind::parse("Định kỳ").unwrap(),
            ReceptionKind::Periodic
        );
        assert_eq!(
            ReceptionOutcome::parse("nhan don").unwrap(),
            ReceptionOutcome::PetitionReceived
        );
        assert!(
            ReceptionContent::parse("khen")
                .unwrap_err()
                .message
                .contains("nội dung tiếp")
        );
    }
}
