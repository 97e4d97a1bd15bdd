//! Reading an oversight file (giám sát, phản biện xã hội).

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};

use super::cells::{Layout, records_of};
use super::columns::{OVERSIGHT_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// Parse an oversight file into records, each with its line.
pub fn parse_oversight(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, Oversight)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &OVERSIGHT_COLUMNS,
        optional: &[],
        aliases: VI_ALIASES,
        code: "oversight.import",
    };
    records_of(input, &layout, Oversight::validate, progress, |c| {
        let held_on = c.required_date("held_on");
        let unit_id = c.unit(all_units, held_on, today);
        let organisation = c.required_vocab("organisation", Organisation::parse);
        let kind = c.required_vocab("kind", OversightKind::parse);
        let recommendations = c.int("recommendations", 0);
        let (Some(unit_id), Some(held_on), Some(organisation), Some(kind), Some(recommendations)) =
            (unit_id, held_on, organisation, kind, recommendations)
        else {
            return None;
        };
        let r = Oversight {
            unit_id,
            organisation,
            kind,
            held_on,
            subject: c.text("subject"),
            targets: c.text("targets"),
            recommendations,
        };
        Some(r)
    })
}
