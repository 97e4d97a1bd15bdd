//! Statutory deadlines for complaints, denunciations and petitions, kept as
//! data (rules with legal basis and validity) so provinces can publish
//! shorter local deadlines and laws can change without a code change.

mod compute;
mod rule;
mod status;
mod table;

pub use compute::{DeadlineError, Extension, compute_deadline};
pub use rule::{DayCounting, DeadlineRule, Procedure};
pub use status::{DueStatus, due_status};
pub use table::RuleTable;
