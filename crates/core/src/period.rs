//! Reporting periods and the time buckets facts are kept in.
//!
//! A period is a month, quarter, half, nine months, year or range of years,
//! either by the calendar or by the state cut-off rule of Nghị định 09/2019
//! (a reporting month runs from the 15th of the previous month to the 14th;
//! a year from 15 December to 14 December). Any period is an inclusive date
//! range, and any date range decomposes into at most a handful of runs of
//! year, month and day buckets: whole years in the middle, months at the
//! edges, days at the ragged ends. That is what keeps a national-year read
//! at a few rows.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::fmt;

use crate::DomainError;

/// Granularity of a fact bucket. Stored as a small integer.
///
/// Half-months (1st–14th, 15th–end) are the "fine edges": every calendar
/// and every cut-off period is a whole number of them. Day buckets are
/// kept only at the unit where a record is, for arbitrary date ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Grain {
    Day = 0,
    Half = 1,
    Month = 2,
    Year = 3,
}

impl Grain {
    /// Grains rolled up to every ancestor, coarsest first.
    pub const ROLLED_UP: [Grain; 3] = [Grain::Year, Grain::Month, Grain::Half];

    pub fn as_i16(self) -> i16 {
        self as i16
    }

    pub fn from_i16(v: i16) -> Option<Grain> {
        match v {
            0 => Some(Grain::Day),
            1 => Some(Grain::Half),
            2 => Some(Grain::Month),
            3 => Some(Grain::Year),
            _ => None,
        }
    }

    /// The bucket number of `date` at this grain: 20200115, 2020012 (second
    /// half of January), 202001 or 2020. Numbers of one grain sort like the
    /// dates they stand for, so a run of buckets is a `BETWEEN` in SQL.
    pub fn bucket(self, date: NaiveDate) -> i32 {
        let ym = date.year() * 100 + date.month() as i32;
        match self {
            Grain::Day => ym * 100 + date.day() as i32,
            Grain::Half => ym * 10 + if date.day() < 15 { 1 } else { 2 },
            Grain::Month => ym,
            Grain::Year => date.year(),
        }
    }

    /// First and last day of the bucket of this grain that holds `date`.
    fn bounds(self, date: NaiveDate) -> (NaiveDate, NaiveDate) {
        let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(date.year(), m, d).expect("valid date");
        match self {
            Grain::Day => (date, date),
            Grain::Half if date.day() < 15 => (ymd(date.month(), 1), ymd(date.month(), 14)),
            Grain::Half => (ymd(date.month(), 15), month_end(date)),
            Grain::Month => (ymd(date.month(), 1), month_end(date)),
            Grain::Year => (ymd(1, 1), ymd(12, 31)),
        }
    }
}

/// An inclusive range of dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// A run of consecutive buckets of one grain, `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BucketRun {
    pub grain: Grain,
    pub from: i32,
    pub to: i32,
}

impl DateRange {
    pub fn new(start: NaiveDate, end: NaiveDate) -> DateRange {
        DateRange { start, end }
    }

    /// Everything up to and including `end`: for stocks such as "pending at
    /// the end of the period", which are sums of flows since the beginning.
    pub fn up_to(end: NaiveDate) -> DateRange {
        DateRange {
            start: NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date"),
            end,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    /// The same range one year earlier ("cùng kỳ năm trước").
    pub fn previous_year(&self) -> DateRange {
        DateRange {
            start: self.start - Months::new(12),
            end: shift_end_back_a_year(self.end),
        }
    }

    /// Cover the range exactly with the fewest runs of buckets, taking the
    /// coarsest bucket that fits at each step: at most seven runs (days,
    /// halves, months, years, months, halves, days). Periods aligned on
    /// half-months, which all reporting periods are, need no day run.
    pub fn decompose(&self) -> Vec<BucketRun> {
        let fits = |g: Grain, d: NaiveDate| {
            let (a, b) = g.bounds(d);
            a == d && b <= self.end
        };
        let coarsest = |d: NaiveDate| {
            [Grain::Year, Grain::Month, Grain::Half]
                .into_iter()
                .find(|&g| fits(g, d))
                .unwrap_or(Grain::Day)
        };
        let mut runs: Vec<BucketRun> = Vec::new();
        let mut cur = self.start;
        while cur <= self.end {
            let grain = coarsest(cur);
            let mut last = grain.bounds(cur).1;
            while let Some(next) = last.succ_opt() {
                if next > self.end || coarsest(next) != grain {
                    break;
                }
                last = grain.bounds(next).1;
            }
            runs.push(BucketRun {
                grain,
                from: grain.bucket(cur),
                to: grain.bucket(last),
            });
            match last.succ_opt() {
                Some(n) => cur = n,
                None => break,
            }
        }
        runs
    }
}

fn shift_end_back_a_year(d: NaiveDate) -> NaiveDate {
    // 29 Feb has no twin; a month end stays a month end.
    if d == month_end(d) {
        month_end(first_of_month(d) - Months::new(12))
    } else {
        d - Months::new(12)
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("valid month")
}

fn month_end(d: NaiveDate) -> NaiveDate {
    (first_of_month(d) + Months::new(1))
        .pred_opt()
        .expect("date in range")
}

/// The shape of a reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PeriodKind {
    Month {
        year: i32,
        month: u32,
    },
    Quarter {
        year: i32,
        quarter: u32,
    },
    /// `half` is 1 (6 tháng đầu năm) or 2 (6 tháng cuối năm).
    Half {
        year: i32,
        half: u32,
    },
    NineMonths {
        year: i32,
    },
    Years {
        from: i32,
        to: i32,
    },
    Dates {
        start: NaiveDate,
        end: NaiveDate,
    },
}

/// A reporting period: its shape and whether it follows the cut-off rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub cutoff: bool,
}

impl Period {
    /// Parse `2020-09`, `2020-Q3`, `2020-H1`, `2020-9M`, `2020`, `2021..2023`
    /// or `2020-03-10..2020-05-20`.
    pub fn parse(s: &str, cutoff: bool) -> Result<Period, DomainError> {
        let bad = || {
            DomainError::new(
                "period.invalid",
                format!(
                    "kỳ báo cáo «{s}» không hợp lệ; dùng dạng 2020-09 (tháng), 2020-Q3 (quý), \
                     2020-H1 (6 tháng), 2020-9M (9 tháng), 2020 (năm) hoặc 2021..2023"
                ),
            )
        };
        let s = s.trim();
        let year = |t: &str| -> Result<i32, DomainError> {
            let y: i32 = t.parse().map_err(|_| bad())?;
            if !(1900..=2200).contains(&y) || t.len() != 4 {
                return Err(bad());
            }
            Ok(y)
        };
        let kind = if let Some((a, b)) = s.split_once("..") {
            if a.len() == 4 && b.len() == 4 {
                let (from, to) = (year(a)?, year(b)?);
                if to < from {
                    return Err(DomainError::new(
                        "period.reversed",
                        format!("kỳ báo cáo «{s}»: năm kết thúc trước năm bắt đầu"),
                    ));
                }
                PeriodKind::Years { from, to }
            } else {
                let start = parse_date(a).ok_or_else(bad)?;
                let end = parse_date(b).ok_or_else(bad)?;
                if end < start {
                    return Err(DomainError::new(
                        "period.reversed",
                        format!("kỳ báo cáo «{s}»: ngày kết thúc trước ngày bắt đầu"),
                    ));
                }
                let aligned =
                    matches!(start.day(), 1 | 15) && (end.day() == 14 || end == month_end(end));
                if !aligned {
                    return Err(DomainError::new(
                        "period.unaligned",
                        format!(
                            "kỳ báo cáo «{s}»: khoảng ngày phải bắt đầu vào ngày 01 hoặc 15 và kết thúc \
                             vào ngày 14 hoặc ngày cuối tháng"
                        ),
                    ));
                }
                PeriodKind::Dates { start, end }
            }
        } else if let Some((y, rest)) = s.split_once('-') {
            let y = year(y)?;
            match rest.to_ascii_uppercase().as_str() {
                "Q1" | "Q2" | "Q3" | "Q4" => PeriodKind::Quarter {
                    year: y,
                    quarter: rest[1..].parse().map_err(|_| bad())?,
                },
                "H1" | "H2" => PeriodKind::Half {
                    year: y,
                    half: rest[1..].parse().map_err(|_| bad())?,
                },
                "9M" => PeriodKind::NineMonths { year: y },
                m => {
                    let month: u32 = m.parse().map_err(|_| bad())?;
                    if !(1..=12).contains(&month) || m.len() != 2 {
                        return Err(bad());
                    }
                    PeriodKind::Month { year: y, month }
                }
            }
        } else {
            let y = year(s)?;
            PeriodKind::Years { from: y, to: y }
        };
        Ok(Period { kind, cutoff })
    }

    /// The period as `parse` reads it back ("2020-H1", "2021..2023"); the
    /// cut-off flag is not part of it.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month { year, month } => format!("{year}-{month:02}"),
            PeriodKind::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            PeriodKind::Half { year, half } => format!("{year}-H{half}"),
            PeriodKind::NineMonths { year } => format!("{year}-9M"),
            PeriodKind::Years { from, to } if from == to => format!("{from}"),
            PeriodKind::Years { from, to } => format!("{from}..{to}"),
            PeriodKind::Dates { start, end } => format!("{start}..{end}"),
        }
    }

    /// The dates the period covers.
    pub fn range(&self) -> DateRange {
        let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
        // (first month, last month, first year, last year) of the period.
        let (y0, m0, y1, m1) = match self.kind {
            PeriodKind::Dates { start, end } => return DateRange { start, end },
            PeriodKind::Month { year, month } => (year, month, year, month),
            PeriodKind::Quarter { year, quarter } => (year, quarter * 3 - 2, year, quarter * 3),
            PeriodKind::Half { year, half } => (year, half * 6 - 5, year, half * 6),
            PeriodKind::NineMonths { year } => (year, 1, year, 9),
            PeriodKind::Years { from, to } => (from, 1, to, 12),
        };
        if self.cutoff {
            // From the 15th of the month before to the 14th of the last month.
            let start = ymd(y0, m0, 15) - Months::new(1);
            DateRange {
                start,
                end: ymd(y1, m1, 14),
            }
        } else {
            DateRange {
                start: ymd(y0, m0, 1),
                end: month_end(ymd(y1, m1, 1)),
            }
        }
    }

    /// The same period one year earlier, for "so với cùng kỳ".
    pub fn previous_year(&self) -> Period {
        let kind = match self.kind {
            PeriodKind::Month { year, month } => PeriodKind::Month {
                year: year - 1,
                month,
            },
            PeriodKind::Quarter { year, quarter } => PeriodKind::Quarter {
                year: year - 1,
                quarter,
            },
            PeriodKind::Half { year, half } => PeriodKind::Half {
                year: year - 1,
                half,
            },
            PeriodKind::NineMonths { year } => PeriodKind::NineMonths { year: year - 1 },
            PeriodKind::Years { from, to } => PeriodKind::Years {
                from: from - 1,
                to: to - 1,
            },
            PeriodKind::Dates { .. } => {
                let r = self.range().previous_year();
                PeriodKind::Dates {
                    start: r.start,
                    end: r.end,
                }
            }
        };
        Period {
            kind,
            cutoff: self.cutoff,
        }
    }
}

impl fmt::Display for Period {
    /// The Vietnamese name of the period as reports write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match self.kind {
            PeriodKind::Month { year, month } => write!(f, "tháng {month} năm {year}"),
            PeriodKind::Quarter { year, quarter } => {
                write!(f, "quý {} năm {year}", ROMAN[quarter as usize - 1])
            }
            PeriodKind::Half { year, half: 1 } => write!(f, "6 tháng đầu năm {year}"),
            PeriodKind::Half { year, .. } => write!(f, "6 tháng cuối năm {year}"),
            PeriodKind::NineMonths { year } => write!(f, "9 tháng đầu năm {year}"),
            PeriodKind::Years { from, to } if from == to => write!(f, "năm {from}"),
            PeriodKind::Years { from, to } => write!(f, "giai đoạn {from} - {to}"),
            PeriodKind::Dates { start, end } => write!(
                f,
                "từ ngày {} đến ngày {}",
                start.format("%d/%m/%Y"),
                end.format("%d/%m/%Y")
            ),
        }
    }
}

/// Parse an ISO date `YYYY-MM-DD`; `None` for anything else, including
/// impossible dates such as 2021-02-29.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // The shape first: chrono alone would read "-210-05-14" (a sign and a
    // three-digit year) or "02020-5-14" (widths of its own).
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn every_period_code_parses_back_to_the_same_period() {
        for s in [
            "2020-09",
            "2020-Q3",
            "2020-H1",
            "2020-H2",
            "2020-9M",
            "2020",
            "2021..2023",
            "2020-03-01..2020-05-14",
        ] {
            for cutoff in [false, true] {
                let p = Period::parse(s, cutoff).unwrap();
                assert_eq!(p.code(), s);
                assert_eq!(Period::parse(&p.code(), cutoff).unwrap(), p);
            }
        }
    }

    /// Found by fuzzing (`period_date`): "-210-05-14" was read as a date of
    /// the year −210, and a range of such dates as a reporting period.
    #[test]
    fn a_date_is_four_digits_of_year_two_of_month_two_of_day() {
        for s in [
            "-210-05-14",
            "+210-05-14",
            "02020-5-14",
            "2020-5-014",
            "2020-05- 4",
            "2020/05/14",
            "2020-05-1٤",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        assert_eq!(
            parse_date(" 2020-05-14 "),
            NaiveDate::from_ymd_opt(2020, 5, 14)
        );
        assert!(Period::parse("-210-05-15..-210-05-31", false).is_err());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn range(p: &str, cutoff: bool) -> (String, String) {
        let r = Period::parse(p, cutoff).unwrap().range();
        (r.start.to_string(), r.end.to_string())
    }

    #[test]
    fn calendar_periods() {
        assert_eq!(
            range("2020-H1", false),
            ("2020-01-01".into(), "2020-06-30".into())
        );
        assert_eq!(
            range("2020-09", false),
            ("2020-09-01".into(), "2020-09-30".into())
        );
        assert_eq!(
            range("2020-Q3", false),
            ("2020-07-01".into(), "2020-09-30".into())
        );
        assert_eq!(
            range("2020-9M", false),
            ("2020-01-01".into(), "2020-09-30".into())
        );
        assert_eq!(
            range("2016", false),
            ("2016-01-01".into(), "2016-12-31".into())
        );
        assert_eq!(
            range("2021..2023", false),
            ("2021-01-01".into(), "2023-12-31".into())
        );
        assert_eq!(
            range("2024-02", false),
            ("2024-02-01".into(), "2024-02-29".into())
        );
    }

    #[test]
    fn cutoff_periods_run_from_the_15th_to_the_14th() {
        assert_eq!(
            range("2020", true),
            ("2019-12-15".into(), "2020-12-14".into())
        );
        assert_eq!(
            range("2020-H1", true),
            ("2019-12-15".into(), "2020-06-14".into())
        );
        assert_eq!(
            range("2020-H2", true),
            ("2020-06-15".into(), "2020-12-14".into())
        );
        assert_eq!(
            range("2020-09", true),
            ("2020-08-15".into(), "2020-09-14".into())
        );
        assert_eq!(
            range("2020-Q1", true),
            ("2019-12-15".into(), "2020-03-14".into())
        );
        assert_eq!(
            range("2020-9M", true),
            ("2019-12-15".into(), "2020-09-14".into())
        );
        assert_eq!(
            range("2021..2023", true),
            ("2020-12-15".into(), "2023-12-14".into())
        );
    }

    #[test]
    fn bad_periods_are_refused_in_vietnamese() {
        for p in [
            "2020-13",
            "2020-Q5",
            "20",
            "2023..2021",
            "abc",
            "2020-H3",
            "2021-02-29..2021-03-01",
        ] {
            let e = Period::parse(p, false).unwrap_err();
            assert!(e.message.contains("kỳ báo cáo"), "{p}: {e}");
        }
    }

    #[test]
    fn names_periods_in_vietnamese() {
        let name = |p: &str| Period::parse(p, false).unwrap().to_string();
        assert_eq!(name("2020-H1"), "6 tháng đầu năm 2020");
        assert_eq!(name("2016"), "năm 2016");
        assert_eq!(name("2021..2023"), "giai đoạn 2021 - 2023");
        assert_eq!(name("2020-Q3"), "quý III năm 2020");
        assert_eq!(
            Period::parse("2016", false)
                .unwrap()
                .previous_year()
                .to_string(),
            "năm 2015"
        );
    }

    #[test]
    fn a_calendar_year_is_one_bucket_and_a_cutoff_year_three_runs() {
        let y = Period::parse("2020", false).unwrap().range().decompose();
        assert_eq!(
            y,
            vec![BucketRun {
                grain: Grain::Year,
                from: 2020,
                to: 2020
            }]
        );
        let c = Period::parse("2020", true).unwrap().range().decompose();
        assert_eq!(
            c,
            vec![
                BucketRun {
                    grain: Grain::Half,
                    from: 2019122,
                    to: 2019122
                },
                BucketRun {
                    grain: Grain::Month,
                    from: 202001,
                    to: 202011
                },
                BucketRun {
                    grain: Grain::Half,
                    from: 2020121,
                    to: 2020121
                },
            ]
        );
        let r = DateRange::new(d("2020-03-10"), d("2022-05-20")).decompose();
        assert_eq!(r.len(), 7);
        for p in ["2020-09", "2020-Q3", "2020-H1", "2020-9M", "2021..2023"] {
            for cutoff in [false, true] {
                let runs = Period::parse(p, cutoff).unwrap().range().decompose();
                assert!(runs.iter().all(|r| r.grain != Grain::Day), "{p} {cutoff}");
            }
        }
        assert_eq!(
            r[3],
            BucketRun {
                grain: Grain::Year,
                from: 2021,
                to: 2021
            }
        );
    }

    fn days_of(runs: &[BucketRun]) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut day = d("1999-01-01");
        while day <= d("2036-12-31") {
            if runs
                .iter()
                .any(|r| (r.from..=r.to).contains(&r.grain.bucket(day)))
            {
                out.push(day);
            }
            day = day.succ_opt().unwrap();
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Every day of the range is in exactly one run, and no other day is.
        #[test]
        fn decomposition_covers_the_range_exactly(a in 0i64..11000, len in 0i64..1500) {
            let start = d("2000-01-01") + chrono::Duration::days(a);
            let end = start + chrono::Duration::days(len);
            let runs = DateRange::new(start, end).decompose();
            prop_assert!(runs.len() <= 7);
            let days = days_of(&runs);
            prop_assert_eq!(days.len() as i64, len + 1);
            prop_assert_eq!(days[0], start);
            prop_assert_eq!(*days.last().unwrap(), end);
            for w in runs.windows(2) { prop_assert!(w[0].grain != w[1].grain); }
        }
    }
}
