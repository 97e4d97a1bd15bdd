//! DHIS2's period syntax and danvan's periods, both ways.
//!
//! | DHIS2 | danvan | days |
//! | --- | --- | --- |
//! | `2020` | `2020` | the calendar year |
//! | `2020S1`, `2020S2` | `2020-H1`, `2020-H2` | January–June, July–December |
//! | `2020Q2` | `2020-Q2` | April–June |
//! | `202003` | `2020-03` | March |
//! | `2020April`, `2020July`, `2020Oct`, `2020Nov` | `2020-04-01..2021-03-31` … | a financial year starting that month |
//! | `20191215_20200614` | `2019-12-15..2020-06-14` | any range of half-months |
//!
//! Periods DHIS2 has no name for — the cut-off periods of Nghị định
//! 09/2019 (15th to 14th), nine months, several years — are asked as a
//! range of days (`startDate`/`endDate`, or `YYYYMMDD_YYYYMMDD` in
//! analytics), which facts answer exactly.

use chrono::{Months, NaiveDate};
use danvan_core::DomainError;
use danvan_core::period::{DateRange, Period, PeriodKind};
use danvan_core::records::dataset::PeriodType;

/// Financial years DHIS2 names by their first month.
const FINANCIAL: [(&str, u32); 4] = [("April", 4), ("July", 7), ("Oct", 10), ("Nov", 11)];

fn bad(s: &str) -> DomainError {
    DomainError::new(
        "dhis2.bad_period",
        format!(
            "kỳ «{s}» không đúng cú pháp kỳ của DHIS2; dùng 2020 (năm), 2020S1 (6 tháng), \
             2020Q2 (quý), 202003 (tháng), 2020Nov (năm tài chính) hoặc 20200101_20200614"
        ),
    )
}

fn digits(s: &str) -> Option<i32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn day(s: &str) -> Option<NaiveDate> {
    (s.len() == 8 && digits(s).is_some())
        .then(|| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
        .flatten()
}

/// The danvan period of a DHIS2 period id.
pub fn parse(s: &str) -> Result<Period, DomainError> {
    let t = s.trim();
    let year = |y: &str| digits(y).filter(|_| y.len() == 4).ok_or_else(|| bad(s));
    let danvan = |code: String| Period::parse(&code, false).map_err(|_| bad(s));
    if let Some((a, b)) = t.split_once('_') {
        let (a, b) = (day(a).ok_or_else(|| bad(s))?, day(b).ok_or_else(|| bad(s))?);
        return Period::parse(&format!("{a}..{b}"), false);
    }
    if t.len() == 4 {
        return danvan(year(t)?.to_string());
    }
    if t.len() == 6 && digits(t).is_some() {
        return danvan(format!("{}-{}", &t[..4], &t[4..]));
    }
    let (y, rest) = t.split_at(t.len().min(4));
    let y = year(y)?;
    match rest {
        "S1" | "S2" => danvan(format!("{y}-H{}", &rest[1..])),
        "Q1" | "Q2" | "Q3" | "Q4" => danvan(format!("{y}-{rest}")),
        _ => {
            let (_, month) = FINANCIAL
                .iter()
                .find(|(name, _)| *name == rest)
                .ok_or_else(|| bad(s))?;
            let start = NaiveDate::from_ymd_opt(y, *month, 1).ok_or_else(|| bad(s))?;
            let end = (start + Months::new(12)).pred_opt().ok_or_else(|| bad(s))?;
            Ok(Period {
                kind: PeriodKind::Dates { start, end },
                cutoff: false,
            })
        }
    }
}

/// The DHIS2 id of a danvan period; `None` for one DHIS2 cannot name
/// (cut-off, nine months, several years), which goes by its days.
pub fn name(p: &Period) -> Option<String> {
    if p.cutoff {
        return None;
    }
    match p.kind {
        PeriodKind::Years { from, to } if from == to => Some(from.to_string()),
        PeriodKind::Half { year, half } => Some(format!("{year}S{half}")),
        PeriodKind::Quarter { year, quarter } => Some(format!("{year}Q{quarter}")),
        PeriodKind::Month { year, month } => Some(format!("{year}{month:02}")),
        _ => {
            let r = p.range();
            Some(format!(
                "{}_{}",
                r.start.format("%Y%m%d"),
                r.end.format("%Y%m%d")
            ))
        }
    }
}

/// The DHIS2 id of a period as a data value stores it (`2016-H1`).
pub fn name_of_code(code: &str) -> String {
    Period::parse(code, false)
        .ok()
        .and_then(|p| name(&p))
        .unwrap_or_else(|| code.to_string())
}

/// The period type DHIS2 calls a data set's.
pub fn type_name(t: PeriodType) -> &'static str {
    match t {
        PeriodType::Month => "Monthly",
        PeriodType::Quarter => "Quarterly",
        PeriodType::Half => "SixMonthly",
        PeriodType::Year => "Yearly",
    }
}

/// A period in ADX's form: its first day and its length (`2020-01-01/P6M`).
pub fn adx(p: &Period) -> String {
    let r = p.range();
    let months = match p.kind {
        PeriodKind::Month { .. } => "P1M".to_string(),
        PeriodKind::Quarter { .. } => "P3M".to_string(),
        PeriodKind::Half { .. } => "P6M".to_string(),
        PeriodKind::Years { from, to } if from == to => "P1Y".to_string(),
        _ => format!("P{}D", (r.end - r.start).num_days() + 1),
    };
    format!("{}/{months}", r.start)
}

/// The danvan period of an ADX period (`2020-01-01/P6M`).
pub fn parse_adx(s: &str) -> Result<Period, DomainError> {
    let bad = || {
        DomainError::new(
            "dhis2.bad_period",
            format!(
                "kỳ ADX «{s}» không hợp lệ; dùng ngày đầu kỳ và độ dài, ví dụ 2020-01-01/P6M, \
                 2020-04-01/P3M, 2020-03-01/P1M, 2016-01-01/P1Y"
            ),
        )
    };
    let (start, length) = s.trim().split_once('/').ok_or_else(bad)?;
    let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").map_err(|_| bad())?;
    let number = |x: &str| x.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(bad);
    let end = if let Some(m) = length.strip_prefix('P').and_then(|x| x.strip_suffix('M')) {
        (start + Months::new(number(m)?)).pred_opt()
    } else if let Some(y) = length.strip_prefix('P').and_then(|x| x.strip_suffix('Y')) {
        (start + Months::new(12 * number(y)?)).pred_opt()
    } else if let Some(d) = length.strip_prefix('P').and_then(|x| x.strip_suffix('D')) {
        start.checked_add_days(chrono::Days::new(u64::from(number(d)?) - 1))
    } else {
        None
    }
    .ok_or_else(bad)?;
    Ok(of_range(DateRange::new(start, end)))
}

/// The calendar period whose days are exactly `r`, else the range itself.
pub fn of_range(r: DateRange) -> Period {
    use chrono::Datelike;
    let (y, m) = (r.start.year(), r.start.month());
    let candidates = [
        format!("{y}-{m:02}"),
        format!("{y}-Q{}", m.div_ceil(3)),
        format!("{y}-H{}", if m <= 6 { 1 } else { 2 }),
        format!("{y}"),
    ];
    candidates
        .iter()
        .filter_map(|c| Period::parse(c, false).ok())
        .find(|p| p.range() == r)
        .unwrap_or(Period {
            kind: PeriodKind::Dates {
                start: r.start,
                end: r.end,
            },
            cutoff: false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> String {
        let r = parse(s).unwrap().range();
        format!("{}..{}", r.start, r.end)
    }

    #[test]
    fn dhis2_periods_cover_the_right_days() {
        assert_eq!(range("2020"), "2020-01-01..2020-12-31");
        assert_eq!(range("2020S1"), "2020-01-01..2020-06-30");
        assert_eq!(range("2020S2"), "2020-07-01..2020-12-31");
        assert_eq!(range("2020Q2"), "2020-04-01..2020-06-30");
        assert_eq!(range("202003"), "2020-03-01..2020-03-31");
        assert_eq!(range("2020Nov"), "2020-11-01..2021-10-31");
        assert_eq!(range("2020April"), "2020-04-01..2021-03-31");
        assert_eq!(range("20191215_20200614"), "2019-12-15..2020-06-14");
        for bad in [
            "20",
            "2020S3",
            "202013",
            "2020Q5",
            "2020Dec",
            "x2020",
            "20200101_2020",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.message.contains("kỳ"), "{bad}: {e}");
        }
    }

    #[test]
    fn names_go_both_ways() {
        for id in ["2020", "2020S1", "2020Q2", "202003"] {
            assert_eq!(name(&parse(id).unwrap()).as_deref(), Some(id));
        }
        assert_eq!(name_of_code("2016-H1"), "2016S1");
        let cutoff = Period::parse("2020-H1", true).unwrap();
        assert_eq!(name(&cutoff), None);
        let p = Period::parse("2021..2023", false).unwrap();
        assert_eq!(name(&p).as_deref(), Some("20210101_20231231"));
    }

    #[test]
    fn adx_periods() {
        for (id, adx_form) in [
            ("2016", "2016-01-01/P1Y"),
            ("2020S1", "2020-01-01/P6M"),
            ("2020Q2", "2020-04-01/P3M"),
            ("202003", "2020-03-01/P1M"),
        ] {
            let p = parse(id).unwrap();
            assert_eq!(adx(&p), adx_form);
            assert_eq!(parse_adx(adx_form).unwrap(), p);
        }
        assert!(parse_adx("2020-01-01").is_err());
        assert!(parse_adx("2020-01-01/P0M").is_err());
    }
}
