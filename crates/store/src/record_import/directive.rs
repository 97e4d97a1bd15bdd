//! Reading a directive file (văn bản chỉ đạo).

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::directive::{Directive, DocumentNumber};

use super::cells::{Layout, records_of};
use super::columns::{DIRECTIVE_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// Parse a directive file into records, each with its line.
pub fn parse_directives(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, Directive)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &DIRECTIVE_COLUMNS,
        optional: &[],
        aliases: VI_ALIASES,
        code: "directive.import",
    };
    records_of(input, &layout, Directive::validate, progress, |c| {
        let issued_on = c.required_date("issued_on");
        let unit_id = c.unit(all_units, issued_on, today);
        let number = c.required_vocab("number", DocumentNumber::parse);
        let (Some(unit_id), Some(issued_on), Some(number)) = (unit_id, issued_on, number) else {
            return None;
        };
        let r = Directive {
            unit_id,
            number,
            issued_on,
            issuer: c.text("issuer"),
            title: c.text("title"),
        };
        Some(r)
    })
}
