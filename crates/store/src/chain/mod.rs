//! Chuỗi báo cáo (the reporting chain): a unit asks the units below it for
//! a report by a date ([`requests`]); each of them prepares and submits
//! its report, frozen as it was sent ([`submissions`]); the requesting
//! unit accepts it or returns it for correction, and sees who has
//! reported ([`completeness`]). An accepted report locks its period at its
//! unit and below ([`locks`]): figures a superior has accepted do not
//! change under it, unless someone authorised makes a late correction
//! with a reason.
//!
//! Rendering a report is the report crate's; this module keeps what was
//! rendered, byte for byte, and the states around it.

pub mod completeness;
pub mod locks;
pub mod reminders;
pub mod requests;
pub mod submissions;

use danvan_core::DomainError;
use danvan_core::period::Period;

use crate::StoreError;

/// A period as the chain stores it: its code and the cut-off flag.
pub(crate) fn period_parts(p: &Period) -> (String, bool) {
    (p.code(), p.cutoff)
}

pub(crate) fn period_from(code: &str, cutoff: bool) -> Result<Period, StoreError> {
    Period::parse(code, cutoff).map_err(|e| {
        StoreError::Invalid(DomainError::new(
            "chain.corrupt",
            format!("kỳ báo cáo lưu trong yêu cầu bị hỏng: {e}"),
        ))
    })
}

/// "05/07/2020".
pub(crate) fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
