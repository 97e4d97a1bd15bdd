//! Gregorian ⇄ Vietnamese lunar calendar (âm lịch), Hồ Ngọc Đức's algorithm.
//!
//! Holidays such as Tết and Giỗ Tổ Hùng Vương move every year; computing
//! them here means nobody has to type the dates in (and mistype them).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::astro::{
    NEW_MOON_EPOCH, SYNODIC_MONTH, date_from_jd, jd_from_date, new_moon_day, new_moon_index,
    sun_sector,
};

/// A date of the Vietnamese lunar calendar. `year` is the Gregorian year in
/// which the lunar year begins (Tết); `leap` marks the intercalary month
/// (tháng nhuận), which repeats the number of the month before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    pub leap: bool,
}

impl LunarDate {
    /// An ordinary (non-leap) lunar date.
    pub fn new(day: u32, month: u32, year: i32) -> Self {
        Self {
            day,
            month,
            year,
            leap: false,
        }
    }
}

/// Day number of the new moon starting lunar month 11 (the month that
/// contains the winter solstice) of Gregorian year `year`.
fn month11_start(year: i32) -> i64 {
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December exists");
    let k = ((jd_from_date(dec31) - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// Index (months after month 11) of the leap month of the lunar year that
/// starts with month 11 on day `a11`: the first month with no major solar term.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

/// Converts a Gregorian date to the Vietnamese lunar calendar (UTC+7).
pub fn solar_to_lunar(date: NaiveDate) -> LunarDate {
    let day_number = jd_from_date(date);
    let k = new_moon_index(day_number);
    let mut month_start = new_moon_day(k + 1);
    if month_start > day_number {
        month_start = new_moon_day(k);
    }
    let gregorian_year = chrono::Datelike::year(&date);
    let mut a11 = month11_start(gregorian_year);
    let mut b11 = a11;
    let mut year;
    if a11 >= month_start {
        year = gregorian_year;
        a11 = month11_start(gregorian_year - 1);
    } else {
        year = gregorian_year + 1;
        b11 = month11_start(gregorian_year + 1);
    }
    let day = (day_number - month_start + 1) as u32;
    let diff = ((month_start - a11) as f64 / 29.0).floor() as i64;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            month = diff + 10;
            leap = diff == leap_diff;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        year -= 1;
    }
    LunarDate {
        day,
        month: month as u32,
        year,
        leap,
    }
}

/// Converts a lunar date to the Gregorian calendar; `None` when the date does
/// not exist (day 30 of a 29-day month, a leap month the year does not have…).
pub fn lunar_to_solar(lunar: LunarDate) -> Option<NaiveDate> {
    if !(1..=30).contains(&lunar.day) || !(1..=12).contains(&lunar.month) {
        return None;
    }
    let month = i64::from(lunar.month);
    let (a11, b11) = if month < 11 {
        (month11_start(lunar.year - 1), month11_start(lunar.year))
    } else {
        (month11_start(lunar.year), month11_start(lunar.year + 1))
    };
    let mut offset = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        let leap_month = (leap_offset - 2).rem_euclid(12);
        if lunar.leap && month != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_offset {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    let month_start = new_moon_day(k + offset);
    let date = date_from_jd(month_start + i64::from(lunar.day) - 1)?;
    // Day 30 of a short month lands in the next month: reject, don't wrap.
    (solar_to_lunar(date) == lunar).then_some(date)
}

/// Tết Nguyên đán: the Gregorian date of lunar 1/1 of `year`.
pub fn tet(year: i32) -> NaiveDate {
    lunar_to_solar(LunarDate::new(1, 1, year)).expect("every lunar year has a first day")
}

/// Last day of the lunar year that ends just before Tết of `year`.
pub fn lunar_new_years_eve(year: i32) -> NaiveDate {
    tet(year).pred_opt().expect("date in range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Vietnamese Tết, 2000–2030. Vietnam (UTC+7) differs from China (UTC+8)
    /// when the new moon falls between 23:00 and midnight Hanoi time: 2007
    /// (China 18 Feb) and 2030 (new moon 2 Feb ≈ 23:09 UTC+7; China 3 Feb).
    const TET: [(i32, u32, u32); 31] = [
        (2000, 2, 5),
        (2001, 1, 24),
        (2002, 2, 12),
        (2003, 2, 1),
        (2004, 1, 22),
        (2005, 2, 9),
        (2006, 1, 29),
        (2007, 2, 17),
        (2008, 2, 7),
        (2009, 1, 26),
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
        (2026, 2, 17),
        (2027, 2, 6),
        (2028, 1, 26),
        (2029, 2, 13),
        (2030, 2, 2),
    ];

    #[test]
    fn tet_matches_published_dates_2000_to_2030() {
        for (year, month, day) in TET {
            assert_eq!(tet(year), d(year, month, day), "Tết {year}");
            assert_eq!(
                solar_to_lunar(d(year, month, day)),
                LunarDate::new(1, 1, year)
            );
        }
    }

    #[test]
    fn vietnam_1985_tet_is_a_month_before_china() {
        // The UTC+7 time zone puts 1985's month 11/12 differently: Vietnam
        // celebrated on 21 January, China on 20 February.
        assert_eq!(tet(1985), d(1985, 1, 21));
    }

    #[test]
    fn gio_to_hung_vuong_10_3() {
        for (year, month, day) in [(2024, 4, 18), (2025, 4, 7), (2026, 4, 26)] {
            assert_eq!(
                lunar_to_solar(LunarDate::new(10, 3, year)),
                Some(d(year, month, day))
            );
        }
    }

    #[test]
    fn leap_month_2023_is_month_2() {
        // 2023 had tháng 2 nhuận, starting 2023-03-22.
        let leap = LunarDate {
            day: 1,
            month: 2,
            year: 2023,
            leap: true,
        };
        assert_eq!(solar_to_lunar(d(2023, 3, 22)), leap);
        assert_eq!(lunar_to_solar(leap), Some(d(2023, 3, 22)));
        assert_eq!(lunar_to_solar(LunarDate { month: 3, ..leap }), None);
    }

    #[test]
    fn last_day_of_lunar_year_2025() {
        // Ất Tỵ's tháng Chạp had 29 days: 29 Chạp = 16 Feb 2026.
        assert_eq!(lunar_new_years_eve(2026), d(2026, 2, 16));
        assert_eq!(solar_to_lunar(d(2026, 2, 16)), LunarDate::new(29, 12, 2025));
        assert_eq!(lunar_to_solar(LunarDate::new(30, 12, 2025)), None);
    }

    #[test]
    fn impossible_dates_are_none() {
        assert_eq!(lunar_to_solar(LunarDate::new(0, 1, 2024)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(31, 1, 2024)), None);
        assert_eq!(lunar_to_solar(LunarDate::new(1, 13, 2024)), None);
        let no_leap = LunarDate {
            leap: true,
            ..LunarDate::new(1, 5, 2024)
        };
        assert_eq!(lunar_to_solar(no_leap), None);
    }

    proptest! {
        #[test]
        fn solar_lunar_round_trip_1990_to_2050(offset in 0i64..=22_279) {
            let date = d(1990, 1, 1) + chrono::Duration::days(offset);
            prop_assume!(date <= d(2050, 12, 31));
            let lunar = solar_to_lunar(date);
            prop_assert_eq!(lunar_to_solar(lunar), Some(date));
        }
    }

    #[test]
    fn every_day_1990_to_2050_round_trips() {
        let mut date = d(1990, 1, 1);
        while date <= d(2050, 12, 31) {
            assert_eq!(lunar_to_solar(solar_to_lunar(date)), Some(date), "{date}");
            date = date.succ_opt().unwrap();
        }
    }
}
