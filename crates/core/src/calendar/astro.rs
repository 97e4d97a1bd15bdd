//! Astronomy behind the lunar calendar, transcribed from Hồ Ngọc Đức's
//! published algorithm (amlich). Kept bit-for-bit close to the original
//! so our dates match the calendars Vietnamese officials already use.

use std::f64::consts::PI;

use chrono::{Datelike, NaiveDate};

/// Vietnam's legal time zone; the lunar calendar is computed for UTC+7,
/// which is why some Tết dates differ from China's (UTC+8).
pub(crate) const TIME_ZONE: f64 = 7.0;

/// Julian day number of 0001-01-01 minus one, to convert chrono's day count.
const JD_OF_CE_EPOCH: i64 = 1_721_425;

/// Mean length of a synodic month, in days.
pub(crate) const SYNODIC_MONTH: f64 = 29.530_588_853;

/// Julian day of the new moon k = 0 (1900-01-01) used as the origin.
pub(crate) const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

pub(crate) fn jd_from_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JD_OF_CE_EPOCH
}

pub(crate) fn date_from_jd(jd: i64) -> Option<NaiveDate> {
    let days = i32::try_from(jd - JD_OF_CE_EPOCH).ok()?;
    NaiveDate::from_num_days_from_ce_opt(days)
}

/// Julian date (with fraction) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Local day number (Julian day) on which the k-th new moon falls.
pub(crate) fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// Sun's ecliptic longitude in radians, normalised to [0, 2π).
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Solar term sector (0..=11, 30° each) at local midnight starting `day`.
pub(crate) fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// Index k of the new moon at or before Julian day `jd` (approximately).
pub(crate) fn new_moon_index(jd: i64) -> i64 {
    ((jd as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_day_matches_the_astronomical_epoch() {
        let j2000 = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        assert_eq!(jd_from_date(j2000), 2_451_545);
        assert_eq!(date_from_jd(2_451_545), Some(j2000));
    }
}
