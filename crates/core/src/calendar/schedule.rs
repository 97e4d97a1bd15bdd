//! The government's yearly official schedule (lịch nghỉ chính thức): days
//! off added or Saturdays made working days, as loaded by an administrator.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// What an official schedule makes of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayKind {
    /// A day off, even if it would otherwise be a working day.
    DayOff,
    /// A working day, even on a weekend or holiday (làm bù).
    WorkDay,
}

/// One date of an official schedule. Persisted by the store; a later
/// override of the same date replaces an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DayOverride {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// Why, in Vietnamese, e.g. the announcing document.
    pub note: String,
}

/// Example dataset: Tết Bính Ngọ 2026 for cán bộ, công chức, viên chức,
/// from Saturday 14 Feb (27 tháng Chạp) to Sunday 22 Feb 2026 (mùng 6).
pub fn official_schedule_2026() -> Vec<DayOverride> {
    let first = NaiveDate::from_ymd_opt(2026, 2, 14).expect("valid date");
    (0..9)
        .map(|i| DayOverride {
            date: first + Duration::days(i),
            kind: DayKind::DayOff,
            note: "Nghỉ Tết Nguyên đán Bính Ngọ 2026 (14/02–22/02/2026)".to_owned(),
        })
        .collect()
}
