//! Reading a meeting file: opinions come as counts by follow-up.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::meeting::{Meeting, MeetingKind, Opinion};

use super::cells::{Layout, records_of};
use super::columns::{MEETING_COLUMNS, OPINION_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// Content given to each opinion imported as a count.
pub const COUNTED_OPINION: &str = "(ý kiến nhập theo số lượng)";

/// Parse a meeting file into records, each with its line.
pub fn parse_meetings(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, Meeting)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &MEETING_COLUMNS,
        optional: &[],
        aliases: VI_ALIASES,
        code: "meeting.import",
    };
    records_of(input, &layout, Meeting::validate, progress, |c| {
        let held_on = c.required_date("held_on");
        let unit_id = c.unit(all_units, held_on, today);
        let kind = c.required_vocab("kind", MeetingKind::parse);
        let participants = c.int("participants", 1);
        let mut opinions = Some(Vec::new());
        for (col, follow_up) in OPINION_COLUMNS {
            match (c.int(col, 0), opinions.as_mut()) {
                (Some(n), Some(ops)) => ops.extend((0..n).map(|_| Opinion {
                    content: COUNTED_OPINION.to_string(),
                    follow_up,
                })),
                _ => opinions = None,
            }
        }
        let (Some(unit_id), Some(held_on), Some(kind), Some(participants), Some(opinions)) =
            (unit_id, held_on, kind, participants, opinions)
        else {
            return None;
        };
        let m = Meeting {
            unit_id,
            kind,
            held_on,
            chair: c.text("chair"),
            deputies: c.text("deputies"),
            participants,
            subject: c.text("subject"),
            opinions,
        };
        Some(m)
    })
}
