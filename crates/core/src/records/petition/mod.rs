//! Petitions (đơn thư) and cases (vụ việc): the record, its lifecycle as an
//! explicit state machine, and the facts it contributes.
//!
//! A petition is received, classified (đủ / không đủ điều kiện xử lý),
//! handled (chuyển, đôn đốc, trả lại, thụ lý, lưu đơn) and, when accepted
//! (thụ lý), resolved. Every step is an [`Event`] applied by
//! [`Petition::apply`], which returns a new petition or a Vietnamese error
//! and never changes the original, so a refused step changes nothing.
//!
//! Every event contributes on its own date, so a petition received in one
//! period and resolved in the next counts right in both; stocks (pending,
//! carried over) are flows summed up to a date (see [`keys`]).

mod case;
mod facts;
pub mod keys;
mod lifecycle;
mod record;
#[cfg(test)]
mod tests;
mod vocab;

use chrono::NaiveDate;

pub use case::Case;
pub use lifecycle::Event;
pub use record::Petition;
pub use vocab::{
    Eligibility, Handling, IneligibleReason, Instance, MASK, Outcome, PetitionChannel,
    PetitionField, PetitionStatus, PetitionType, Sender,
};

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
