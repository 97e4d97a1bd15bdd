//! Đánh giá, phân loại công tác dân vận (yearly scoring): a unit opens a
//! round for a year on a criteria sheet for units below it ([`rounds`]);
//! each unit assesses itself, its superior reviews, adjusts with a reason
//! and approves ([`assessments`]). An approved result is frozen — points
//! per item and group, the grade, the figures they came from — so later
//! corrections of the year's records leave it as approved; re-scoring is
//! a new version with its reason, as a returned report is answered by a
//! new submission in the reporting chain.
//!
//! The sheets and the arithmetic are core's (`danvan_core::scoring`); the
//! figures of automatic items are read by the report crate and handed in.

pub mod assessments;
pub mod attachments;
pub mod rounds;
