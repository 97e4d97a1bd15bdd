//! Meetings with citizens: a leader's dialogue (đối thoại) and a voter
//! contact of deputies (tiếp xúc cử tri). Each opinion raised is kept with
//! its follow-up, so "33 lượt ý kiến, trả lời tại hội nghị 20" is a read.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{FollowUp, MeetingKind};

/// An opinion raised at a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Opinion {
    pub content: String,
    pub follow_up: FollowUp,
}

/// A meeting at the unit that organised it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub unit_id: i64,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    /// The leader chairing a dialogue, e.g. "Chủ tịch UBND huyện".
    pub chair: String,
    /// Deputies present at a voter contact (đại biểu Quốc hội, HĐND).
    pub deputies: String,
    /// Citizens or voters attending.
    pub participants: i64,
    pub subject: String,
    pub opinions: Vec<Opinion>,
}

/// Indicator keys fed by meetings; all with breakdown `kind`.
pub mod keys {
    /// Meetings held (đợt, cuộc).
    pub const SESSIONS: &str = "meeting.sessions";
    /// Citizens or voters attending.
    pub const PARTICIPANTS: &str = "meeting.participants";
    /// Opinions raised; breakdown also `follow_up`.
    pub const OPINIONS: &str = "meeting.opinions";
}

impl Meeting {
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |f: &str, m: &str| {
            Err(DomainError::new("meeting.invalid", m.to_string()).at_field(f.to_string()))
        };
        crate::bounds::count(
            "meeting.invalid",
            "participants",
            "số người tham dự",
            self.participants,
            1,
        )?;
        if self.kind == MeetingKind::VoterContact && self.deputies.trim().is_empty() {
            return bad("deputies", "tiếp xúc cử tri phải ghi đại biểu dự");
        }
        if self.kind == MeetingKind::Dialogue && self.chair.trim().is_empty() {
            return bad("chair", "đối thoại phải ghi người chủ trì");
        }
        if self.opinions.iter().any(|o| o.content.trim().is_empty()) {
            return bad("opinions", "có ý kiến không ghi nội dung");
        }
        Ok(())
    }
}

impl FactSource for Meeting {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let kind = Breakdown::new().with("kind", self.kind.code()).build();
        let mut push = |key, breakdown: String, value| {
            if value != 0 {
                out.push(Contribution {
                    unit_id: self.unit_id,
                    date: self.held_on,
                    key,
                    breakdown,
                    value,
                });
            }
        };
        push(keys::SESSIONS, kind.clone(), 1);
        push(keys::PARTICIPANTS, kind, self.participants);
        for f in FollowUp::ALL {
            let n = self.opinions.iter().filter(|o| o.follow_up == *f).count() as i64;
            let b = Breakdown::new()
                .with("kind", self.kind.code())
                .with("follow_up", f.code())
                .build();
            push(keys::OPINIONS, b, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opinions_counted_by_follow_up() {
        let m = Meeting {
            unit_id: 1,
            kind: MeetingKind::VoterContact,
            held_on: NaiveDate::from_ymd_opt(2020, 4, 2).unwrap(),
            chair: String::new(),
            deputies: "Đại biểu HĐND tỉnh".into(),
            participants: 45,
            subject: String::new(),
            opinions: vec![
                Opinion {
                    content: "Đường".into(),
                    follow_up: FollowUp::AnsweredAtMeeting,
                },
                Opinion {
                    content: "Điện".into(),
                    follow_up: FollowUp::AnsweredAtMeeting,
                },
                Opinion {
                    content: "Nước".into(),
                    follow_up: FollowUp::Pending,
                },
            ],
        };
        m.validate().unwrap();
        let mut out = Vec::new();
        m.contributions(&mut out);
        let got: Vec<(&str, &str, i64)> = out
            .iter()
            .map(|c| (c.key, c.breakdown.as_str(), c.value))
            .collect();
        assert_eq!(
            got,
            vec![
                (keys::SESSIONS, "kind=voter_contact", 1),
                (keys::PARTICIPANTS, "kind=voter_contact", 45),
                (
                    keys::OPINIONS,
                    "follow_up=answered_at_meeting;kind=voter_contact",
                    2
                ),
                (keys::OPINIONS, "follow_up=pending;kind=voter_contact", 1),
            ]
        );
        let e = Meeting {
            deputies: String::new(),
            ..m
        }
        .validate()
        .unwrap_err();
        assert!(e.to_string().contains("đại biểu dự"));
    }
}
