//! The report builder's period picker as a form sends it: kind, year,
//! month, quarter, last year. Its code is the period's code, so a report
//! built from the picker is the report of the code (and of the command
//! line); a typed code stays accepted in links and with the kind `ma`.

use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_core::period_choice::{self, PeriodChoice};
use serde::Deserialize;

/// The picker's fields; empty when the period came as a code.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Picker {
    pub loai: Option<String>,
    pub nam: Option<String>,
    pub thang: Option<String>,
    pub quy: Option<String>,
    pub den_nam: Option<String>,
}

fn number<T: std::str::FromStr>(
    v: &Option<String>,
    field: &str,
    what: &str,
) -> Result<Option<T>, DomainError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            DomainError::new("period.choice", format!("{what} «{s}» không hợp lệ")).at_field(field)
        }),
    }
}

impl Picker {
    /// The code of the chosen period; `None` when no kind was chosen or
    /// the kind is `ma` (the typed code holds).
    pub fn code(&self) -> Result<Option<String>, DomainError> {
        let Some(kind) = self
            .loai
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            return Ok(None);
        };
        PeriodChoice {
            kind: kind.to_string(),
            year: number(&self.nam, "nam", "năm")?,
            month: number(&self.thang, "thang", "tháng")?,
            quarter: number(&self.quy, "quy", "quý")?,
            to_year: number(&self.den_nam, "den_nam", "năm cuối")?,
        }
        .code()
    }
}

/// The picker filled in for the code `ky` (the current period when there
/// is none or it does not parse).
pub fn shown(ky: Option<&str>, today: chrono::NaiveDate) -> PeriodChoice {
    match ky.map(|k| Period::parse(k, false)) {
        Some(Ok(p)) => PeriodChoice::of(&p),
        _ => PeriodChoice::of(&period_choice::current(today)),
    }
}
