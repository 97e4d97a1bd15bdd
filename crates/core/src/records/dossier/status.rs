//! Derived status of a dossier: pure functions of its dates and the day
//! asked about, the same rules the fact contributions follow.

use chrono::NaiveDate;
use serde::Serialize;

use super::Dossier;
use crate::calendar::deadline::{DueStatus, due_status};

pub use crate::records::vocabulary::{PendingStatus, Timeliness};

/// Days before the due date from which a pending dossier is "nearly due"
/// (sắp đến hạn); the due date itself is the last nearly-due day.
pub const NEARLY_DUE_DAYS: u64 = 2;

/// A dossier's state on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DossierStatus {
    /// Not received yet on that day.
    NotReceived,
    Resolved(Timeliness),
    Pending(PendingStatus),
    Returned,
    Withdrawn,
}

/// Early, on time or late, by calendar date.
pub fn timeliness(due: NaiveDate, resolved: NaiveDate) -> Timeliness {
    match resolved.cmp(&due) {
        std::cmp::Ordering::Less => Timeliness::Early,
        std::cmp::Ordering::Equal => Timeliness::OnTime,
        std::cmp::Ordering::Greater => Timeliness::Late,
    }
}

/// Where a dossier still open on `on` stands against `due`.
pub fn pending_status(due: NaiveDate, on: NaiveDate) -> PendingStatus {
    match due_status(due, on, NEARLY_DUE_DAYS as u32) {
        DueStatus::Overdue(_) => PendingStatus::Overdue,
        DueStatus::DueSoon(_) => PendingStatus::NearlyDue,
        DueStatus::InTime(_) => PendingStatus::InTime,
    }
}

/// The dossier's state at the end of day `on`.
pub fn status_on(d: &Dossier, on: NaiveDate) -> DossierStatus {
    if on < d.received_on {
        return DossierStatus::NotReceived;
    }
    match (d.resolved_on, d.returned_on, d.withdrawn_on) {
        (Some(r), _, _) if r <= on => DossierStatus::Resolved(timeliness(d.due_on, r)),
        (_, Some(r), _) if r <= on => DossierStatus::Returned,
        (_, _, Some(w)) if w <= on => DossierStatus::Withdrawn,
        _ => DossierStatus::Pending(pending_status(d.due_on, on)),
    }
}

/// Whether the dossier is carried over into a period starting on `start`:
/// received before it and still pending the day before.
pub fn carried_over(d: &Dossier, start: NaiveDate) -> bool {
    start
        .pred_opt()
        .is_some_and(|eve| matches!(status_on(d, eve), DossierStatus::Pending(_)))
}
