//! CSV import of petitions, cases, receptions, mediation cases, meetings,
//! "Dân vận khéo" models, aggregate data values, oversight activities and
//! directives (`danvan import KIND`, the kinds of the registry).
//! The column layout is documented in docs/import.md. Every row is checked
//! first — by itself, then against the unit tree and the lifecycle rules —
//! and every bad row is reported by its line with a Vietnamese reason; one
//! bad row and nothing is written. Through a store limited to a subtree, a
//! row of a unit outside it is such a bad row.

pub(crate) mod cells;
pub(crate) mod columns;
mod data;
pub(crate) mod file_ledger;
mod meeting;
mod model;
mod petition;
mod run;

pub use columns::{
    DATA_COLUMNS, DIRECTIVE_COLUMNS, MEDIATION_COLUMNS, MEETING_COLUMNS, MODEL_COLUMNS,
    OVERSIGHT_COLUMNS, PETITION_COLUMNS, PETITION_OPTIONAL_COLUMNS, RECEPTION_COLUMNS,
};
pub use data::parse_data_rows;
pub use file_ledger::ALREADY_IMPORTED;
pub use meeting::{COUNTED_OPINION, parse_meetings};
pub use model::{ParsedModel, parse_models};
pub use petition::parse_petitions;
pub use run::{
    Import, import_data, import_kind, import_meetings, import_models, import_petitions, import_rows,
};
