//! Oversight and social-criticism activities: written with their facts in
//! one transaction; a bad activity and nothing is written.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};

use crate::StoreError;
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::OVERSIGHT_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;

impl Table for Oversight {
    const KIND: RecordKind = RecordKind::Oversight;
    const TABLE: &'static str = "oversight";
    const DAY: &'static str = "held_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "organisation",
        "kind",
        "held_on",
        "subject",
        "targets",
        "recommendations",
    ];
    type Row = (i64, i64, String, String, NaiveDate, String, String, i64);

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Oversight {
                unit_id: r.1,
                organisation: Organisation::parse(&r.2)?,
                kind: OversightKind::parse(&r.3)?,
                held_on: r.4,
                subject: r.5,
                targets: r.6,
                recommendations: r.7,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Text(self.organisation.code()),
            Value::Text(self.kind.code()),
            Value::Date(self.held_on),
            Value::Text(&self.subject),
            Value::Text(&self.targets),
            Value::Int(self.recommendations),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Oversight::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.held_on, "ngày giám sát, phản biện", "held_on")
    }

    fn what(id: i64) -> String {
        format!("cuộc giám sát, phản biện số {id}")
    }
}

impl Import for Oversight {
    const CSV_COLUMNS: &'static [&'static str] = &OVERSIGHT_COLUMNS;
    const ERRORS: &'static str = "oversight.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
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
    }
}

record_functions!(Oversight);
