//! Reading a reception file.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};

use super::cells::{Layout, records_of};
use super::columns::RECEPTION_COLUMNS;
use crate::units::Unit;

/// Parse a reception file into records, each with its line.
pub fn parse_receptions(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, Reception)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &RECEPTION_COLUMNS,
        optional: &[],
        aliases: &[],
        code: "reception.import",
    };
    records_of(input, &layout, Reception::validate, progress, |c| {
        let received_on = c.required_date("received_on");
        let unit_id = c.unit(all_units, received_on, today);
        let kind = c.required_vocab("kind", ReceptionKind::parse);
        let content = c.required_vocab("content", ReceptionContent::parse);
        let outcome = c.required_vocab("outcome", ReceptionOutcome::parse);
        let turns = c.int("turns", 1);
        let persons = c.int("persons", 1);
        let delegations = c.int("delegations", 0);
        let delegation_persons = c.int("delegation_persons", 0);
        let (
            Some(unit_id),
            Some(received_on),
            Some(kind),
            Some(content),
            Some(outcome),
            Some(turns),
            Some(persons),
            Some(delegations),
            Some(delegation_persons),
        ) = (
            unit_id,
            received_on,
            kind,
            content,
            outcome,
            turns,
            persons,
            delegations,
            delegation_persons,
        )
        else {
            return None;
        };
        let r = Reception {
            unit_id,
            received_on,
            official: c.text("official"),
            position: c.text("position"),
            kind,
            content,
            outcome,
            turns,
            persons,
            delegations,
            delegation_persons,
            petition_id: None,
            note: c.text("note"),
        };
        Some(r)
    })
}
