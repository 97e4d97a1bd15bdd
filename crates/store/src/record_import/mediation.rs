//! Reading a mediation case file.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};

use super::cells::{Layout, records_of};
use super::columns::{MEDIATION_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// Parse a mediation case file into records, each with its line.
pub fn parse_mediation(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, MediationCase)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &MEDIATION_COLUMNS,
        optional: &[],
        aliases: VI_ALIASES,
        code: "mediation.import",
    };
    records_of(input, &layout, MediationCase::validate, progress, |c| {
        let received_on = c.required_date("received_on");
        let unit_id = c.unit(all_units, received_on, today);
        let team = c.required("team");
        let field = c
            .vocab("field", MediationField::parse)
            .or(Some(MediationField::Other));
        let result = c.required_vocab("result", MediationResult::parse);
        let (Some(unit_id), Some(received_on), Some(team), Some(field), Some(result)) =
            (unit_id, received_on, team, field, result)
        else {
            return None;
        };
        let r = MediationCase {
            unit_id,
            team,
            received_on,
            field,
            result,
            summary: c.text("summary"),
        };
        Some(r)
    })
}
