//! Public holidays of Bộ luật Lao động 2019, điều 112 (11 days a year).
//!
//! The lunar ones are computed, never typed in. Where the law leaves a choice
//! to the government (how the five Tết days sit around lunar New Year, which
//! day joins 2/9), the choice is a parameter with the usual default.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::lunar::{LunarDate, lunar_to_solar, tet};

pub const NEW_YEAR: &str = "Tết Dương lịch";
pub const TET: &str = "Tết Âm lịch";
pub const VICTORY_DAY: &str = "Ngày Chiến thắng";
pub const LABOUR_DAY: &str = "Ngày Quốc tế lao động";
pub const NATIONAL_DAY: &str = "Quốc khánh";
pub const HUNG_KINGS: &str = "Giỗ Tổ Hùng Vương";

/// Tết Âm lịch lasts 5 days (art. 112 1b); the government places them each
/// year. `days_before` of them fall before lunar 1/1, the rest start on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TetLayout {
    days_before: u8,
}

impl TetLayout {
    /// Number of Tết days in art. 112.
    pub const LENGTH: u8 = 5;

    /// `days_before` may be 0..=4 so that lunar 1/1 is always a holiday.
    pub fn new(days_before: u8) -> Option<Self> {
        (days_before < Self::LENGTH).then_some(Self { days_before })
    }

    pub fn days_before(self) -> u8 {
        self.days_before
    }
}

impl Default for TetLayout {
    /// The last day of the old lunar year plus mùng 1–4, as usually fixed.
    fn default() -> Self {
        Self { days_before: 1 }
    }
}

/// Which day joins 2/9 to make the two Quốc khánh days (art. 112 1đ).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NationalDayExtra {
    /// 1/9, as fixed for recent years.
    #[default]
    Before,
    /// 3/9.
    After,
}

/// The government's choices within art. 112.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRules {
    pub tet: TetLayout,
    pub national_day_extra: NationalDayExtra,
}

/// Statutory holidays of `year` with the usual government choices.
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    statutory_holidays_with(year, &HolidayRules::default())
}

/// Statutory holidays of `year`, sorted by date, with explicit choices.
pub fn statutory_holidays_with(year: i32, rules: &HolidayRules) -> Vec<(NaiveDate, &'static str)> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("fixed holiday exists");
    let mut days = vec![
        (ymd(1, 1), NEW_YEAR),
        (ymd(4, 30), VICTORY_DAY),
        (ymd(5, 1), LABOUR_DAY),
        (ymd(9, 2), NATIONAL_DAY),
    ];
    days.push(match rules.national_day_extra {
        NationalDayExtra::Before => (ymd(9, 1), NATIONAL_DAY),
        NationalDayExtra::After => (ymd(9, 3), NATIONAL_DAY),
    });
    let first_tet_day = tet(year) - Duration::days(i64::from(rules.tet.days_before()));
    for i in 0..TetLayout::LENGTH {
        days.push((first_tet_day + Duration::days(i64::from(i)), TET));
    }
    let hung_kings = lunar_to_solar(LunarDate::new(10, 3, year)).expect("10/3 always exists");
    days.push((hung_kings, HUNG_KINGS));
    days.sort();
    debug_assert!(days.iter().all(|(d, _)| d.year() == year));
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dates(year: i32, rules: &HolidayRules) -> Vec<NaiveDate> {
        statutory_holidays_with(year, rules)
            .into_iter()
            .map(|(date, _)| date)
            .collect()
    }

    #[test]
    fn eleven_days_every_year() {
        for year in 1990..=2050 {
            let days = dates(year, &HolidayRules::default());
            assert_eq!(days.len(), 11, "{year}");
            let mut unique = days.clone();
            unique.dedup();
            assert_eq!(unique, days, "{year}: overlapping holidays");
        }
    }

    #[test]
    fn year_2026_default_layout() {
        let got = statutory_holidays(2026);
        let expected = [
            (d(2026, 1, 1), NEW_YEAR),
            (d(2026, 2, 16), TET),
            (d(2026, 2, 17), TET),
            (d(2026, 2, 18), TET),
            (d(2026, 2, 19), TET),
            (d(2026, 2, 20), TET),
            (d(2026, 4, 26), HUNG_KINGS),
            (d(2026, 4, 30), VICTORY_DAY),
            (d(2026, 5, 1), LABOUR_DAY),
            (d(2026, 9, 1), NATIONAL_DAY),
            (d(2026, 9, 2), NATIONAL_DAY),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn tet_2027_from_the_lunar_calendar() {
        let tet_days: Vec<_> = statutory_holidays(2027)
            .into_iter()
            .filter(|(_, name)| *name == TET)
            .map(|(date, _)| date)
            .collect();
        // Mùng 1 Đinh Mùi = Saturday 6 Feb 2027; 30 Tết = 5 Feb.
        assert_eq!(tet_days.first(), Some(&d(2027, 2, 5)));
        assert_eq!(tet_days.last(), Some(&d(2027, 2, 9)));
    }

    #[test]
    fn layout_and_national_day_are_parameters() {
        let rules = HolidayRules {
            tet: TetLayout::new(2).unwrap(),
            national_day_extra: NationalDayExtra::After,
        };
        let days = dates(2026, &rules);
        assert!(days.contains(&d(2026, 2, 15)));
        assert!(!days.contains(&d(2026, 2, 20)));
        assert!(days.contains(&d(2026, 9, 3)));
        assert!(!days.contains(&d(2026, 9, 1)));
        assert_eq!(TetLayout::new(5), None);
    }

    #[test]
    fn hung_kings_day_moves_with_the_moon() {
        let hung = |year| {
            statutory_holidays(year)
                .into_iter()
                .find(|(_, name)| *name == HUNG_KINGS)
                .map(|(date, _)| date)
        };
        assert_eq!(hung(2024), Some(d(2024, 4, 18)));
        assert_eq!(hung(2025), Some(d(2025, 4, 7)));
    }
}
