//! Domain vocabulary of danvan: units, periods and time buckets, Vietnamese
//! text folding and number formatting, the errors users read.
//!
//! **Architecture invariant:** this crate does no I/O. Everything here is a
//! pure function of its inputs, so every other crate can trust and test it.

pub mod access;
pub mod bounds;
pub mod calendar;
pub mod disclosure;
pub mod error;
pub mod fact;
pub mod issuer;
pub mod number;
pub mod period;
pub mod period_choice;
pub mod portal;
pub mod records;
pub mod scoring;
pub mod text;
pub mod unit;
pub mod vocab;

pub use error::{DomainError, Where};
