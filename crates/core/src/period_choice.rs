//! The period picker: a kind (tháng, quý, 6 tháng, 9 tháng, năm, nhiều
//! năm) and its numbers, as a user chooses them instead of typing a code.
//! It makes the same [`Period`] the code does, so a report built from the
//! picker is the report of the code; and it reads a period back, to show
//! the picker filled in.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::DomainError;
use crate::period::{Period, PeriodKind};

/// The picker's kinds: value and Vietnamese label. `ma` keeps the typed
/// code, for the periods the picker does not offer (a range of dates).
pub const KINDS: &[(&str, &str)] = &[
    ("thang", "Tháng"),
    ("quy", "Quý"),
    ("6-thang-dau", "6 tháng đầu năm"),
    ("6-thang-cuoi", "6 tháng cuối năm"),
    ("9-thang", "9 tháng"),
    ("nam", "Năm"),
    ("nhieu-nam", "Nhiều năm"),
    ("ma", "Nhập mã kỳ"),
];

/// A period as chosen in the picker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PeriodChoice {
    /// One of [`KINDS`].
    pub kind: String,
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub quarter: Option<u32>,
    /// The last year of a multi-year period.
    pub to_year: Option<i32>,
}

fn missing(field: &str, what: &str) -> DomainError {
    DomainError::new("period.choice", format!("chưa chọn {what}")).at_field(field)
}

impl PeriodChoice {
    /// The code of the chosen period ("2020-H1"), checked by
    /// [`Period::parse`]; `None` for `ma`, whose code is typed.
    pub fn code(&self) -> Result<Option<String>, DomainError> {
        let year = || self.year.ok_or_else(|| missing("nam", "năm"));
        let code = match self.kind.as_str() {
            "thang" => {
                let m = self.month.ok_or_else(|| missing("thang", "tháng"))?;
                format!("{}-{m:02}", year()?)
            }
            "quy" => {
                let q = self.quarter.ok_or_else(|| missing("quy", "quý"))?;
                format!("{}-Q{q}", year()?)
            }
            "6-thang-dau" => format!("{}-H1", year()?),
            "6-thang-cuoi" => format!("{}-H2", year()?),
            "9-thang" => format!("{}-9M", year()?),
            "nam" => format!("{}", year()?),
            "nhieu-nam" => {
                let to = self.to_year.ok_or_else(|| missing("den_nam", "năm cuối"))?;
                format!("{}..{to}", year()?)
            }
            "ma" => return Ok(None),
            other => {
                return Err(DomainError::new(
                    "period.choice",
                    format!("loại kỳ «{other}» không có; chọn tháng, quý, 6 tháng, 9 tháng, năm hoặc nhiều năm"),
                )
                .at_field("loai"));
            }
        };
        Period::parse(&code, false).map_err(|e| e.at_field("nam"))?;
        Ok(Some(code))
    }

    /// The picker showing `p`.
    pub fn of(p: &Period) -> PeriodChoice {
        let with = |kind: &str, year: i32| PeriodChoice {
            kind: kind.into(),
            year: Some(year),
            ..PeriodChoice::default()
        };
        match p.kind {
            PeriodKind::Month { year, month } => PeriodChoice {
                month: Some(month),
                ..with("thang", year)
            },
            PeriodKind::Quarter { year, quarter } => PeriodChoice {
                quarter: Some(quarter),
                ..with("quy", year)
            },
            PeriodKind::Half { year, half: 1 } => with("6-thang-dau", year),
            PeriodKind::Half { year, .. } => with("6-thang-cuoi", year),
            PeriodKind::NineMonths { year } => with("9-thang", year),
            PeriodKind::Years { from, to } if from == to => with("nam", from),
            PeriodKind::Years { from, to } => PeriodChoice {
                to_year: Some(to),
                ..with("nhieu-nam", from)
            },
            PeriodKind::Dates { .. } => PeriodChoice {
                kind: "ma".into(),
                ..PeriodChoice::default()
            },
        }
    }
}

/// The period a report is most likely wanted for on `today`: the half-year
/// under way (the six-month and annual reports are made at its end).
pub fn current(today: NaiveDate) -> Period {
    let half = if today.month() <= 6 { 1 } else { 2 };
    Period {
        kind: PeriodKind::Half {
            year: today.year(),
            half,
        },
        cutoff: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(kind: &str, year: i32) -> PeriodChoice {
        PeriodChoice {
            kind: kind.into(),
            year: Some(year),
            month: Some(3),
            quarter: Some(2),
            to_year: Some(2023),
        }
    }

    #[test]
    fn every_kind_makes_its_code_and_reads_back() {
        for (kind, code) in [
            ("thang", "2020-03"),
            ("quy", "2020-Q2"),
            ("6-thang-dau", "2020-H1"),
            ("6-thang-cuoi", "2020-H2"),
            ("9-thang", "2020-9M"),
            ("nam", "2020"),
            ("nhieu-nam", "2020..2023"),
        ] {
            let c = choice(kind, 2020);
            assert_eq!(c.code().unwrap().as_deref(), Some(code), "{kind}");
            let p = Period::parse(code, false).unwrap();
            let back = PeriodChoice::of(&p);
            assert_eq!(back.kind, kind);
            assert_eq!(back.code().unwrap().as_deref(), Some(code));
        }
        assert_eq!(choice("ma", 2020).code().unwrap(), None);
    }

    #[test]
    fn a_bad_choice_names_its_field_in_vietnamese() {
        let no_month = PeriodChoice {
            month: None,
            ..choice("thang", 2020)
        };
        let e = no_month.code().unwrap_err();
        assert_eq!(e.message, "chưa chọn tháng");
        let reversed = PeriodChoice {
            to_year: Some(2019),
            ..choice("nhieu-nam", 2020)
        };
        assert!(
            reversed
                .code()
                .unwrap_err()
                .message
                .contains("năm kết thúc trước năm bắt đầu")
        );
        let e = choice("tuan", 2020).code().unwrap_err();
        assert!(e.message.contains("loại kỳ «tuan» không có"));
        let e = PeriodChoice {
            month: Some(13),
            ..choice("thang", 2020)
        }
        .code()
        .unwrap_err();
        assert!(e.message.contains("không hợp lệ"), "{}", e.message);
    }

    #[test]
    fn the_current_period_is_the_half_year_under_way() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 7).unwrap();
        assert_eq!(current(d(12)).code(), "2026-H2");
        assert_eq!(current(d(6)).code(), "2026-H1");
    }
}
