//! Working days of state bodies: Monday–Friday, minus statutory holidays and
//! their compensatory days, adjusted by the official yearly schedule.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

use super::holidays::{HolidayRules, statutory_holidays_with};
pub use super::schedule::{DayKind, DayOverride, official_schedule_2026};

/// A calendar of working days. Precedence: an override for the date, then
/// holidays and compensatory days, then the Saturday/Sunday weekend.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    rules: HolidayRules,
    compensate: bool,
    overrides: BTreeMap<NaiveDate, DayOverride>,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl WorkCalendar {
    /// Statutory holidays with the usual choices, compensatory days on, and
    /// the given official schedule (later entries win for the same date).
    pub fn new(overrides: impl IntoIterator<Item = DayOverride>) -> Self {
        Self {
            rules: HolidayRules::default(),
            compensate: true,
            overrides: overrides.into_iter().map(|o| (o.date, o)).collect(),
        }
    }

    /// Uses other government choices for Tết and Quốc khánh.
    pub fn with_rules(mut self, rules: HolidayRules) -> Self {
        self.rules = rules;
        self
    }

    /// Turns compensatory days off. Bộ luật Lao động 2019 art. 111(3) moves a
    /// holiday falling on a weekend to the next working day; turn this off
    /// only when the loaded official schedule already lists those days.
    pub fn without_compensatory_days(mut self) -> Self {
        self.compensate = false;
        self
    }

    /// The loaded official schedule, by date.
    pub fn overrides(&self) -> impl Iterator<Item = &DayOverride> {
        self.overrides.values()
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        YearCache::new(self).is_working(date)
    }

    /// The `n`-th working day after `start` (`start` itself never counts);
    /// `start` when `n` is 0.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut cache = YearCache::new(self);
        let mut date = start;
        let mut left = n;
        while left > 0 {
            date = date.succ_opt().expect("date in range");
            if cache.is_working(date) {
                left -= 1;
            }
        }
        date
    }

    /// Working days in (a, b], so that `working_days_between(a,
    /// add_working_days(a, n)) == n`; negative when `b` is before `a`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        let mut cache = YearCache::new(self);
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| cache.is_working(*d))
            .count() as i64
    }

    /// The first working day on or after `date`.
    pub fn next_working_day_from(&self, date: NaiveDate) -> NaiveDate {
        let mut cache = YearCache::new(self);
        date.iter_days()
            .find(|d| cache.is_working(*d))
            .expect("a working day follows")
    }

    /// Holidays and their compensatory days in `year` (overrides excluded).
    fn statutory_days_off(&self, year: i32) -> BTreeSet<NaiveDate> {
        let holidays: BTreeSet<NaiveDate> = statutory_holidays_with(year, &self.rules)
            .into_iter()
            .map(|(date, _)| date)
            .collect();
        let mut off = holidays.clone();
        if self.compensate {
            for holiday in holidays.iter().filter(|d| is_weekend(**d)) {
                let compensatory = holiday
                    .iter_days()
                    .find(|d| !is_weekend(*d) && !off.contains(d))
                    .expect("a weekday follows");
                off.insert(compensatory);
            }
        }
        off
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Holidays of one year at a time, so loops do not redo the lunar maths.
struct YearCache<'a> {
    calendar: &'a WorkCalendar,
    year: Option<i32>,
    off: BTreeSet<NaiveDate>,
}

impl<'a> YearCache<'a> {
    fn new(calendar: &'a WorkCalendar) -> Self {
        Self {
            calendar,
            year: None,
            off: BTreeSet::new(),
        }
    }

    fn is_working(&mut self, date: NaiveDate) -> bool {
        if let Some(o) = self.calendar.overrides.get(&date) {
            return o.kind == DayKind::WorkDay;
        }
        if self.year != Some(date.year()) {
            self.year = Some(date.year());
            self.off = self.calendar.statutory_days_off(date.year());
        }
        !self.off.contains(&date) && !is_weekend(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekends_are_off() {
        let cal = WorkCalendar::default();
        assert!(cal.is_working_day(d(2026, 3, 6))); // Friday
        assert!(!cal.is_working_day(d(2026, 3, 7))); // Saturday
        assert!(!cal.is_working_day(d(2026, 3, 8))); // Sunday
        // Friday + 1 working day = Monday.
        assert_eq!(cal.add_working_days(d(2026, 3, 6), 1), d(2026, 3, 9));
        assert_eq!(cal.add_working_days(d(2026, 3, 7), 1), d(2026, 3, 9));
        assert_eq!(cal.add_working_days(d(2026, 3, 6), 0), d(2026, 3, 6));
    }

    #[test]
    fn tet_2026_official_schedule() {
        let cal = WorkCalendar::new(official_schedule_2026());
        assert!(cal.is_working_day(d(2026, 2, 13)));
        for day in 14..=22 {
            assert!(!cal.is_working_day(d(2026, 2, day)), "{day}/2");
        }
        assert!(cal.is_working_day(d(2026, 2, 23)));
        assert_eq!(cal.working_days_between(d(2026, 2, 13), d(2026, 2, 23)), 1);
    }

    #[test]
    fn tet_2027_computed_with_compensatory_days() {
        // 30 Tết = Fri 5 Feb, mùng 1–4 = 6–9 Feb; Sat 6 and Sun 7 are moved
        // to Wed 10 and Thu 11 (art. 111(3)).
        let cal = WorkCalendar::default();
        assert!(cal.is_working_day(d(2027, 2, 4)));
        for day in 5..=11 {
            assert!(!cal.is_working_day(d(2027, 2, day)), "{day}/2");
        }
        assert!(cal.is_working_day(d(2027, 2, 12)));
        let bare = WorkCalendar::default().without_compensatory_days();
        assert!(bare.is_working_day(d(2027, 2, 10)));
    }

    #[test]
    fn holiday_on_sunday_gives_monday_off() {
        // Giỗ Tổ 2026 is Sunday 26 April: Monday 27 April is compensatory.
        let cal = WorkCalendar::default();
        assert!(!cal.is_working_day(d(2026, 4, 27)));
        assert!(cal.is_working_day(d(2026, 4, 28)));
        assert!(!cal.is_working_day(d(2026, 4, 30)));
        assert!(!cal.is_working_day(d(2026, 5, 1)));
    }

    #[test]
    fn swapped_saturday_is_a_working_day() {
        // Hypothetical swap: Monday 2 March off, Saturday 7 March worked.
        let cal = WorkCalendar::new([
            DayOverride {
                date: d(2026, 3, 2),
                kind: DayKind::DayOff,
                note: "Nghỉ hoán đổi".into(),
            },
            DayOverride {
                date: d(2026, 3, 7),
                kind: DayKind::WorkDay,
                note: "Làm bù cho ngày 02/3".into(),
            },
        ]);
        assert!(!cal.is_working_day(d(2026, 3, 2)));
        assert!(cal.is_working_day(d(2026, 3, 7)));
        // Fri 27 Feb + 5: Tue 3, Wed 4, Thu 5, Fri 6, Sat 7.
        assert_eq!(cal.add_working_days(d(2026, 2, 27), 5), d(2026, 3, 7));
        assert_eq!(cal.working_days_between(d(2026, 2, 27), d(2026, 3, 9)), 6);
    }

    #[test]
    fn between_is_signed() {
        let cal = WorkCalendar::default();
        assert_eq!(cal.working_days_between(d(2026, 3, 9), d(2026, 3, 13)), 4);
        assert_eq!(cal.working_days_between(d(2026, 3, 13), d(2026, 3, 9)), -4);
        assert_eq!(cal.working_days_between(d(2026, 3, 9), d(2026, 3, 9)), 0);
    }

    proptest! {
        #[test]
        fn add_and_between_agree(offset in 0i64..3_650, n in 0u32..60) {
            let cal = WorkCalendar::new(official_schedule_2026());
            let start = d(2022, 1, 1) + chrono::Duration::days(offset);
            let end = cal.add_working_days(start, n);
            prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
            prop_assert!(n == 0 || cal.is_working_day(end));
        }
    }
}
