//! Whether a case is in time, close to its deadline or overdue.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Calendar days relative to the deadline (never negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueStatus {
    /// Days past the deadline (at least 1).
    Overdue(i64),
    /// Days left, at most `soon_days` (0 = due today).
    DueSoon(i64),
    /// Days left, more than `soon_days`.
    InTime(i64),
}

/// Classifies `deadline` as seen on `today`; the deadline day itself is
/// still in time (the case may be settled until the end of that day).
pub fn due_status(deadline: NaiveDate, today: NaiveDate, soon_days: u32) -> DueStatus {
    let left = (deadline - today).num_days();
    if left < 0 {
        DueStatus::Overdue(-left)
    } else if left <= i64::from(soon_days) {
        DueStatus::DueSoon(left)
    } else {
        DueStatus::InTime(left)
    }
}

impl fmt::Display for DueStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Overdue(days) => write!(f, "Quá hạn {days} ngày"),
            Self::DueSoon(0) => f.write_str("Đến hạn hôm nay"),
            Self::DueSoon(days) => write!(f, "Sắp đến hạn (còn {days} ngày)"),
            Self::InTime(days) => write!(f, "Trong hạn (còn {days} ngày)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_around_the_deadline() {
        let deadline = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let on = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(due_status(deadline, on(3, 20), 5), DueStatus::InTime(12));
        assert_eq!(due_status(deadline, on(3, 27), 5), DueStatus::DueSoon(5));
        assert_eq!(due_status(deadline, on(4, 1), 5), DueStatus::DueSoon(0));
        assert_eq!(due_status(deadline, on(4, 4), 5), DueStatus::Overdue(3));
        assert_eq!(
            due_status(deadline, on(4, 4), 5).to_string(),
            "Quá hạn 3 ngày"
        );
        assert_eq!(
            due_status(deadline, on(4, 1), 0).to_string(),
            "Đến hạn hôm nay"
        );
    }
}
