//! From a start date, a rule and recorded extension decisions to a due date.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::rule::{DayCounting, DeadlineRule, Procedure};
use crate::calendar::workdays::WorkCalendar;

/// A recorded decision extending the deadline (quyết định gia hạn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Extension {
    pub decided_on: NaiveDate,
    pub days: u32,
    pub decision_no: String,
}

impl Extension {
    /// Checks the length against the rule for one extension, e.g. the
    /// `DenunciationExtension` rule (at most 30 days each).
    pub fn check_length(&self, rule: &DeadlineRule) -> Result<(), DeadlineError> {
        if self.days > rule.days {
            return Err(DeadlineError::ExtensionTooLong {
                decision_no: self.decision_no.clone(),
                days: self.days,
                max: rule.days,
            });
        }
        Ok(())
    }
}

/// Why a deadline can not be computed; shown to users, hence Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DeadlineError {
    #[error(
        "Thời hạn {procedure} không được gia hạn theo {legal_basis} (quyết định số {decision_no})"
    )]
    ExtensionNotAllowed {
        procedure: Procedure,
        legal_basis: String,
        decision_no: String,
    },
    #[error(
        "Chỉ được gia hạn {procedure} tối đa {max} lần theo {legal_basis}; không thể gia hạn lần thứ {attempt} (quyết định số {decision_no})"
    )]
    TooManyExtensions {
        procedure: Procedure,
        legal_basis: String,
        max: u8,
        attempt: usize,
        decision_no: String,
    },
    #[error("Quyết định gia hạn số {decision_no} không ghi số ngày gia hạn")]
    EmptyExtension { decision_no: String },
    #[error(
        "Quyết định gia hạn số {decision_no} gia hạn {days} ngày, vượt quá {max} ngày cho phép"
    )]
    ExtensionTooLong {
        decision_no: String,
        days: u32,
        max: u32,
    },
    #[error(
        "Quyết định gia hạn số {decision_no} ngày {} không nằm trong thời hạn giải quyết (từ {} đến {})",
        .decided_on.format("%d/%m/%Y"), .start.format("%d/%m/%Y"), .deadline.format("%d/%m/%Y")
    )]
    ExtensionOutOfTime {
        decision_no: String,
        decided_on: NaiveDate,
        start: NaiveDate,
        deadline: NaiveDate,
    },
}

/// Due date of a case started on `start` (ngày thụ lý / nhận đơn).
///
/// Counting starts the day after `start` (Bộ luật Dân sự 2015, art. 147).
/// A calendar-day deadline falling on a day off moves to the next working
/// day (art. 148(5)). Each extension, taken in order of decision, runs on
/// from the deadline in force and must be decided before that deadline.
pub fn compute_deadline(
    start: NaiveDate,
    rule: &DeadlineRule,
    calendar: &WorkCalendar,
    extensions: &[Extension],
) -> Result<NaiveDate, DeadlineError> {
    let mut deadline = advance(start, rule.days, rule.counting, calendar);
    let mut ordered: Vec<&Extension> = extensions.iter().collect();
    ordered.sort_by_key(|e| e.decided_on);
    for (i, ext) in ordered.into_iter().enumerate() {
        if rule.max_extensions == 0 {
            return Err(DeadlineError::ExtensionNotAllowed {
                procedure: rule.procedure,
                legal_basis: rule.legal_basis.clone(),
                decision_no: ext.decision_no.clone(),
            });
        }
        if i >= usize::from(rule.max_extensions) {
            return Err(DeadlineError::TooManyExtensions {
                procedure: rule.procedure,
                legal_basis: rule.legal_basis.clone(),
                max: rule.max_extensions,
                attempt: i + 1,
                decision_no: ext.decision_no.clone(),
            });
        }
        if ext.days == 0 {
            return Err(DeadlineError::EmptyExtension {
                decision_no: ext.decision_no.clone(),
            });
        }
        if ext.decided_on < start || ext.decided_on > deadline {
            return Err(DeadlineError::ExtensionOutOfTime {
                decision_no: ext.decision_no.clone(),
                decided_on: ext.decided_on,
                start,
                deadline,
            });
        }
        deadline = advance(deadline, ext.days, rule.counting, calendar);
    }
    Ok(deadline)
}

fn advance(
    from: NaiveDate,
    days: u32,
    counting: DayCounting,
    calendar: &WorkCalendar,
) -> NaiveDate {
    match counting {
        DayCounting::Working => calendar.add_working_days(from, days),
        DayCounting::Calendar => {
            calendar.next_working_day_from(from + Duration::days(i64::from(days)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::deadline::RuleTable;
    use crate::calendar::workdays::{DayKind, DayOverride, official_schedule_2026};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn rule(p: Procedure, complex: bool, remote: bool, on: NaiveDate) -> DeadlineRule {
        RuleTable::national_defaults()
            .resolve(p, complex, remote, None, on)
            .cloned()
            .expect("national rule")
    }

    fn ext(decided_on: NaiveDate, days: u32, no: &str) -> Extension {
        Extension {
            decided_on,
            days,
            decision_no: no.into(),
        }
    }

    #[test]
    fn petition_across_tet_2026_official_schedule() {
        let start = d(2026, 2, 10);
        let rule = rule(Procedure::PetitionProcessing, false, false, start);
        let cal = WorkCalendar::new(official_schedule_2026());
        // 11, 12, 13 Feb; off 14–22 Feb; 23–27 Feb; 2, 3 Mar.
        assert_eq!(compute_deadline(start, &rule, &cal, &[]), Ok(d(2026, 3, 3)));
        // An extra official day off pushes it one further.
        let mut days = official_schedule_2026();
        days.push(DayOverride {
            date: d(2026, 2, 23),
            kind: DayKind::DayOff,
            note: "Nghỉ thêm (giả định)".into(),
        });
        let cal = WorkCalendar::new(days);
        assert_eq!(compute_deadline(start, &rule, &cal, &[]), Ok(d(2026, 3, 4)));
    }

    #[test]
    fn petition_across_tet_2027_from_the_lunar_calendar() {
        let start = d(2027, 2, 2);
        let rule = rule(Procedure::PetitionProcessing, false, false, start);
        // 3, 4 Feb; off 5–9 (Tết) and 10–11 (compensatory); 12, 15–19, 22, 23.
        let cal = WorkCalendar::default();
        assert_eq!(
            compute_deadline(start, &rule, &cal, &[]),
            Ok(d(2027, 2, 23))
        );
        let cal = WorkCalendar::default().without_compensatory_days();
        assert_eq!(
            compute_deadline(start, &rule, &cal, &[]),
            Ok(d(2027, 2, 19))
        );
    }

    #[test]
    fn petition_over_a_weekend() {
        let start = d(2026, 3, 12); // Thursday
        let rule = rule(Procedure::PetitionProcessing, false, false, start);
        let cal = WorkCalendar::default();
        // 13, 16–20, 23–26 Mar.
        assert_eq!(
            compute_deadline(start, &rule, &cal, &[]),
            Ok(d(2026, 3, 26))
        );
    }

    #[test]
    fn petition_with_a_saturday_made_a_working_day() {
        let start = d(2026, 3, 12);
        let rule = rule(Procedure::PetitionProcessing, false, false, start);
        let cal = WorkCalendar::new([DayOverride {
            date: d(2026, 3, 14),
            kind: DayKind::WorkDay,
            note: "Làm bù (giả định)".into(),
        }]);
        assert_eq!(
            compute_deadline(start, &rule, &cal, &[]),
            Ok(d(2026, 3, 25))
        );
    }

    #[test]
    fn complaint_counts_calendar_days() {
        let start = d(2026, 3, 2);
        let rule = rule(Procedure::ComplaintFirstInstance, false, false, start);
        assert_eq!(rule.counting, DayCounting::Calendar);
        let cal = WorkCalendar::default();
        // 30 days, weekends included: Wednesday 1 April.
        assert_eq!(compute_deadline(start, &rule, &cal, &[]), Ok(d(2026, 4, 1)));
    }

    #[test]
    fn calendar_deadline_on_a_day_off_moves_to_next_working_day() {
        let start = d(2026, 3, 31);
        let rule = rule(Procedure::ComplaintFirstInstance, false, false, start);
        let cal = WorkCalendar::default();
        // 31 Mar + 30 = Thu 30 Apr (holiday); 1 May holiday; weekend → 4 May.
        assert_eq!(compute_deadline(start, &rule, &cal, &[]), Ok(d(2026, 5, 4)));
    }

    #[test]
    fn remote_area_complaint() {
        let start = d(2026, 3, 2);
        let cal = WorkCalendar::default();
        let remote = rule(Procedure::ComplaintFirstInstance, false, true, start);
        assert_eq!(remote.days, 45);
        // 2 Mar + 45 = Thu 16 April.
        assert_eq!(
            compute_deadline(start, &remote, &cal, &[]),
            Ok(d(2026, 4, 16))
        );
        let both = rule(Procedure::ComplaintSecondInstance, true, true, start);
        assert_eq!(both.days, 70);
        // 2 Mar + 70 = Mon 11 May.
        assert_eq!(
            compute_deadline(start, &both, &cal, &[]),
            Ok(d(2026, 5, 11))
        );
    }

    #[test]
    fn denunciation_extended_twice_then_refused() {
        let start = d(2026, 3, 2);
        let rule = rule(Procedure::Denunciation, true, false, start);
        let cal = WorkCalendar::default();
        // Base: 2 Mar + 30 = Wed 1 Apr.
        assert_eq!(compute_deadline(start, &rule, &cal, &[]), Ok(d(2026, 4, 1)));
        let first = ext(d(2026, 3, 30), 30, "15/QĐ-UBND");
        let second = ext(d(2026, 4, 28), 30, "22/QĐ-UBND");
        // 1 Apr + 30 = Fri 1 May (holiday) → Mon 4 May.
        assert_eq!(
            compute_deadline(start, &rule, &cal, std::slice::from_ref(&first)),
            Ok(d(2026, 5, 4))
        );
        // 4 May + 30 = Wed 3 June.
        let two = [second.clone(), first.clone()];
        assert_eq!(
            compute_deadline(start, &rule, &cal, &two),
            Ok(d(2026, 6, 3))
        );
        let third = ext(d(2026, 6, 1), 30, "30/QĐ-UBND");
        let err = compute_deadline(start, &rule, &cal, &[first, second, third]).unwrap_err();
        assert!(matches!(
            err,
            DeadlineError::TooManyExtensions {
                attempt: 3,
                max: 2,
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "Chỉ được gia hạn giải quyết tố cáo tối đa 2 lần theo Luật Tố cáo 2018, \
             Điều 30; không thể gia hạn lần thứ 3 (quyết định số 30/QĐ-UBND)"
        );
    }

    #[test]
    fn extension_refused_where_the_law_allows_none() {
        let start = d(2026, 3, 2);
        let cal = WorkCalendar::default();
        let extension = [ext(d(2026, 3, 20), 15, "9/QĐ-UBND")];
        let complaint = rule(Procedure::ComplaintFirstInstance, true, false, start);
        let err = compute_deadline(start, &complaint, &cal, &extension).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Thời hạn giải quyết khiếu nại lần đầu không được gia hạn theo Luật Khiếu nại \
             2011, Điều 28 (quyết định số 9/QĐ-UBND)"
        );
        let simple = rule(Procedure::Denunciation, false, false, start);
        assert!(matches!(
            compute_deadline(start, &simple, &cal, &extension),
            Err(DeadlineError::ExtensionNotAllowed { .. })
        ));
    }

    #[test]
    fn extension_after_expiry_or_too_long_is_refused() {
        let start = d(2026, 3, 2);
        let cal = WorkCalendar::default();
        let rule_ = rule(Procedure::Denunciation, true, false, start);
        let late = [ext(d(2026, 4, 2), 30, "40/QĐ-UBND")];
        let err = compute_deadline(start, &rule_, &cal, &late).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Quyết định gia hạn số 40/QĐ-UBND ngày 02/04/2026 không nằm trong thời hạn \
             giải quyết (từ 02/03/2026 đến 01/04/2026)"
        );
        let one = rule(Procedure::DenunciationExtension, true, false, start);
        assert!(ext(start, 30, "1").check_length(&one).is_ok());
        assert_eq!(
            ext(start, 31, "2")
                .check_length(&one)
                .unwrap_err()
                .to_string(),
            "Quyết định gia hạn số 2 gia hạn 31 ngày, vượt quá 30 ngày cho phép"
        );
    }
}
