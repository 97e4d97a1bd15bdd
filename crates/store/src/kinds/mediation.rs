//! Mediation cases (hòa giải ở cơ sở): writes keep facts in step in one
//! transaction; a result that changes later (đang hòa giải → thành) is an
//! update that moves the case's fact.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};

use crate::StoreError;
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::MEDIATION_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;

impl Table for MediationCase {
    const KIND: RecordKind = RecordKind::Mediation;
    const TABLE: &'static str = "mediation_case";
    const DAY: &'static str = "received_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "received_on",
        "team",
        "field",
        "result",
        "summary",
    ];
    type Row = (i64, i64, NaiveDate, String, String, String, String);

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            MediationCase {
                unit_id: r.1,
                received_on: r.2,
                team: r.3,
                field: MediationField::parse(&r.4)?,
                result: MediationResult::parse(&r.5)?,
                summary: r.6,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Date(self.received_on),
            Value::Text(&self.team),
            Value::Text(self.field.code()),
            Value::Text(self.result.code()),
            Value::Text(&self.summary),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = MediationCase::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.received_on, "ngày tiếp nhận vụ việc", "received_on")
    }
}

impl Import for MediationCase {
    const CSV_COLUMNS: &'static [&'static str] = &MEDIATION_COLUMNS;
    const ERRORS: &'static str = "mediation.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
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
    }
}

record_functions!(MediationCase);
