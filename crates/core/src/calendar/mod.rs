//! Vietnamese calendars: lunar conversion, public holidays, working days and
//! statutory deadlines.
//!
//! Everything here is a pure function of its inputs: the official yearly
//! schedules and provincial deadline rules are data passed in by the caller,
//! so the store can persist them and tests can pin them.

mod astro;
pub mod deadline;
pub mod holidays;
pub mod lunar;
mod schedule;
pub mod workdays;
