//! What the chain asks of a unit's users, for their notices: reports
//! asked of the unit and not sent (with the days left, or overdue),
//! reports returned for correction, reports accepted lately, and the
//! units' reports waiting for the unit's review.

use chrono::NaiveDate;
use serde::Serialize;

use super::requests;
use super::submissions::{self, Status};
use crate::{Store, StoreError};

/// Accepted reports are mentioned for this many days.
const ACCEPTED_DAYS: i64 = 14;

/// Why a report is in the notices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Asked and not sent yet.
    Due,
    /// Asked, not sent, past the due date.
    Overdue,
    /// Returned for correction.
    Returned,
    /// Accepted by the unit that asked.
    Accepted,
    /// Sent by a unit below, waiting for this unit's review.
    ToReview,
}

/// One report to remember.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub reason: Reason,
    pub request_id: i64,
    pub submission_id: Option<i64>,
    pub title: String,
    /// The unit the report is of.
    pub unit_id: i64,
    pub due_on: NaiveDate,
    /// Days to the due date; negative when overdue.
    pub days_left: i64,
    /// Why it was returned.
    pub note: Option<String>,
}

/// The reminders of `unit` on `today`, most urgent first.
pub async fn of_unit(
    store: &Store,
    unit: i64,
    today: NaiveDate,
) -> Result<Vec<Reminder>, StoreError> {
    let mut out = Vec::new();
    for r in requests::addressed_to(store, unit).await? {
        let versions = submissions::versions(store, r.id, unit).await?;
        let last = versions.last();
        let days_left = r.days_left(today);
        let reminder = |reason, sub: Option<&submissions::Submission>| Reminder {
            reason,
            request_id: r.id,
            submission_id: sub.map(|s| s.id),
            title: r.title.clone(),
            unit_id: unit,
            due_on: r.due_on,
            days_left,
            note: sub.and_then(|s| s.reason.clone()),
        };
        match last.map(|s| s.status) {
            None | Some(Status::Draft) if versions.len() <= 1 => {
                let reason = if days_left < 0 {
                    Reason::Overdue
                } else {
                    Reason::Due
                };
                out.push(reminder(reason, last));
            }
            Some(Status::Returned) => out.push(reminder(Reason::Returned, last)),
            None | Some(Status::Draft) => {
                let returned = versions.iter().rev().find(|s| s.status == Status::Returned);
                out.push(Reminder {
                    submission_id: last.map(|s| s.id),
                    ..reminder(Reason::Returned, returned)
                });
            }
            Some(Status::Accepted) => {
                let recent = last
                    .and_then(|s| s.reviewed_at)
                    .is_some_and(|t| (today - t.date()).num_days() <= ACCEPTED_DAYS);
                if recent {
                    out.push(reminder(Reason::Accepted, last));
                }
            }
            Some(Status::Submitted) => {}
        }
    }
    for r in requests::made_by(store, unit).await? {
        for s in submissions::of_request(store, &r).await? {
            if s.status == Status::Submitted {
                out.push(Reminder {
                    reason: Reason::ToReview,
                    request_id: r.id,
                    submission_id: Some(s.id),
                    title: r.title.clone(),
                    unit_id: s.unit_id,
                    due_on: r.due_on,
                    days_left: r.days_left(today),
                    note: None,
                });
            }
        }
    }
    out.sort_by_key(|m| (m.reason != Reason::Overdue, m.days_left, m.request_id));
    Ok(out)
}
