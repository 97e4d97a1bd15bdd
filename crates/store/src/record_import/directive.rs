//! Reading a directive file (văn bản chỉ đạo).

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::directive::{Directive, DocumentNumber};

use super::cells::{checked, collect, read_rows_aliased};
use super::columns::{DIRECTIVE_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// Parse a directive file into records, each with its line.
pub fn parse_directives(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<(usize, Directive)>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    read_rows_aliased(
        input,
        &DIRECTIVE_COLUMNS,
        &[],
        VI_ALIASES,
        "directive.import",
        &mut errors,
        |c| {
            progress();
            let issued_on = c.required_date("issued_on");
            let unit_id = c.unit(all_units, issued_on, today);
            let number = c.required_vocab("number", DocumentNumber::parse);
            let (Some(unit_id), Some(issued_on), Some(number)) = (unit_id, issued_on, number)
            else {
                return;
            };
            let r = Directive {
                unit_id,
                number,
                issued_on,
                issuer: c.text("issuer"),
                title: c.text("title"),
            };
            if let Some(r) = checked(c, r, Directive::validate) {
                out.push((c.line, r));
            }
        },
    );
    collect(errors, out)
}
