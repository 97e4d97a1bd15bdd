//! The lifecycle state machine: the steps ([`Event`]) and how they apply.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Eligibility, Handling, Outcome, Petition, PetitionStatus, PetitionType, dmy};
use crate::DomainError;
use crate::calendar::deadline::Extension;

/// One step of a petition's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Event {
    /// Phân loại: eligible or not, with the reason.
    Classify {
        on: NaiveDate,
        eligibility: Eligibility,
    },
    /// Xử lý: for `Accepted`, the acceptance date (ngày thụ lý) and the flags
    /// that choose the statutory deadline.
    Handle {
        on: NaiveDate,
        handling: Handling,
        #[serde(default)]
        complex: bool,
        #[serde(default)]
        remote: bool,
    },
    /// A recorded extension decision (quyết định gia hạn).
    Extend(Extension),
    /// Giải quyết xong.
    Resolve { on: NaiveDate, outcome: Outcome },
}

impl Event {
    fn action(&self) -> &'static str {
        match self {
            Event::Classify { .. } => "phân loại",
            Event::Handle { .. } => "xử lý",
            Event::Extend(_) => "gia hạn giải quyết",
            Event::Resolve { .. } => "ghi nhận giải quyết xong",
        }
    }

    /// The petition field the step's date is stored in, for messages.
    fn date_field(&self) -> &'static str {
        match self {
            Event::Classify { .. } => "classified_on",
            Event::Handle { .. } => "handled_on",
            Event::Extend(_) => "extensions",
            Event::Resolve { .. } => "resolved_on",
        }
    }
}

impl Petition {
    /// The date of the last recorded step; a new one can not be earlier.
    fn last_date(&self) -> (NaiveDate, &'static str) {
        if let Some(d) = self.resolved_on {
            return (d, "ngày giải quyết");
        }
        if let Some(e) = self.extensions.iter().map(|e| e.decided_on).max() {
            return (e, "ngày gia hạn");
        }
        if let Some(d) = self.handled_on {
            return (d, "ngày xử lý");
        }
        if let Some(d) = self.classified_on {
            return (d, "ngày phân loại");
        }
        (self.received_on, "ngày nhận đơn")
    }

    fn illegal(&self, event: &Event, why: &str) -> DomainError {
        DomainError::new(
            "petition.illegal_transition",
            format!(
                "không thể {} đơn đang ở trạng thái «{}»: {why}",
                event.action(),
                self.status().label()
            ),
        )
    }

    /// Apply one step. Returns the petition after it, or why it is refused
    /// (the original is untouched either way).
    pub fn apply(&self, event: &Event) -> Result<Petition, DomainError> {
        use PetitionStatus as S;
        let on = match event {
            Event::Classify { on, .. } | Event::Handle { on, .. } | Event::Resolve { on, .. } => {
                *on
            }
            Event::Extend(e) => e.decided_on,
        };
        let (last, last_name) = self.last_date();
        if on < last {
            return Err(DomainError::new(
                "petition.date_order",
                format!(
                    "ngày {} ({}) trước {} {} của đơn",
                    event.action(),
                    dmy(on),
                    last_name,
                    dmy(last)
                ),
            )
            .at_field(event.date_field()));
        }
        let mut next = self.clone();
        match (self.status(), event) {
            (S::Received, Event::Classify { on, eligibility }) => {
                next.classified_on = Some(*on);
                next.eligibility = Some(*eligibility);
            }
            (S::Received, _) => {
                return Err(self.illegal(event, "đơn phải được phân loại trước"));
            }
            (
                S::Eligible | S::Ineligible,
                Event::Handle {
                    on,
                    handling,
                    complex,
                    remote,
                },
            ) => {
                if self.status() == S::Ineligible && *handling != Handling::Archived {
                    return Err(self.illegal(
                        event,
                        &format!(
                            "đơn không đủ điều kiện xử lý chỉ được lưu đơn, không thể «{}»",
                            handling.label()
                        ),
                    ));
                }
                if (*complex || *remote) && *handling != Handling::Accepted {
                    return Err(DomainError::new(
                        "petition.flags",
                        "chỉ đơn được thụ lý mới ghi nhận vụ việc phức tạp hoặc vùng sâu, vùng xa",
                    )
                    .at_field("complex"));
                }
                next.handled_on = Some(*on);
                next.handling = Some(*handling);
                next.complex = *complex;
                next.remote = *remote;
            }
            (S::Eligible | S::Ineligible, _) => {
                return Err(self.illegal(
                    event,
                    "đơn phải được xử lý (chuyển, trả lại, thụ lý…) trước",
                ));
            }
            (S::InResolution, Event::Extend(ext)) => {
                if self.kind != PetitionType::Denunciation {
                    return Err(self.illegal(
                        event,
                        &format!(
                            "chỉ đơn tố cáo được gia hạn, đây là đơn {}",
                            self.kind.label()
                        ),
                    ));
                }
                next.extensions.push(ext.clone());
            }
            (S::InResolution, Event::Resolve { on, outcome }) => {
                if *outcome != Outcome::Settled && self.kind == PetitionType::Recommendation {
                    return Err(DomainError::new(
                        "petition.outcome",
                        format!(
                            "đơn kiến nghị, phản ánh không kết luận «{}»; dùng «{}»",
                            outcome.label(),
                            Outcome::Settled.label()
                        ),
                    )
                    .at_field("outcome"));
                }
                next.resolved_on = Some(*on);
                next.outcome = Some(*outcome);
            }
            (S::InResolution, _) => {
                return Err(self.illegal(event, "đơn đã được thụ lý và đang giải quyết"));
            }
            (S::Resolved, _) => return Err(self.illegal(event, "đơn đã giải quyết xong")),
            (_, _) => {
                return Err(self.illegal(
                    event,
                    "đơn đã xử lý xong, không thuộc thẩm quyền giải quyết của đơn vị",
                ));
            }
        }
        Ok(next)
    }

    /// The events that lead from reception to this petition's state, in
    /// order; refuses half-recorded steps (a handling without its date…).
    pub fn events(&self) -> Result<Vec<Event>, DomainError> {
        let half = |field: &str, what: &str| {
            Err(DomainError::new(
                "petition.incomplete",
                format!("ghi nhận {what} phải có cả ngày và nội dung"),
            )
            .at_field(field.to_string()))
        };
        let mut out = Vec::new();
        match (self.classified_on, self.eligibility) {
            (Some(on), Some(eligibility)) => out.push(Event::Classify { on, eligibility }),
            (None, None) => {}
            _ => return half("classified_on", "phân loại đơn"),
        }
        match (self.handled_on, self.handling) {
            (Some(on), Some(handling)) => out.push(Event::Handle {
                on,
                handling,
                complex: self.complex,
                remote: self.remote,
            }),
            (None, None) => {
                if self.complex || self.remote {
                    return Err(DomainError::new(
                        "petition.flags",
                        "chỉ đơn được thụ lý mới ghi nhận vụ việc phức tạp hoặc vùng sâu, vùng xa",
                    )
                    .at_field("complex"));
                }
            }
            _ => return half("handled_on", "xử lý đơn"),
        }
        let mut exts = self.extensions.clone();
        exts.sort_by_key(|e| e.decided_on);
        out.extend(exts.into_iter().map(Event::Extend));
        match (self.resolved_on, self.outcome) {
            (Some(on), Some(outcome)) => out.push(Event::Resolve { on, outcome }),
            (None, None) => {}
            _ => return half("resolved_on", "kết quả giải quyết"),
        }
        Ok(out)
    }
}
