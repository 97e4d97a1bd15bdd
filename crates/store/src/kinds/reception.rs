//! Reception records (tiếp công dân): writes keep facts in step, in one
//! transaction; a bad record writes nothing.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};

use danvan_core::records::kind::RecordKind;

use crate::db::{Tx, on_pool, on_tx};
use crate::facts::UnitCache;
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::RECEPTION_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;
use crate::{Store, StoreError, units};

/// Checks a record against the unit tree: the unit exists and existed on
/// the date, and the petition it names, if any, exists, is visible through
/// `store` and was received in the unit's subtree. Returns the unit's
/// province (the record's distribution key).
async fn check(
    tx: &mut Tx,
    store: &Store,
    cache: &mut UnitCache,
    r: &Reception,
) -> Result<i64, StoreError> {
    let today = crate::placing::today();
    r.validate()?;
    cache
        .resolve(tx, r.unit_id, r.received_on)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::Invalid(
                DomainError::new(
                    "reception.unknown_unit",
                    format!("không tìm thấy đơn vị (mã số {})", r.unit_id),
                )
                .at_field("unit_id"),
            ),
            e => e,
        })?;
    let u = cache.get(r.unit_id).expect("resolved above");
    if r.received_on > today {
        return Err(DomainError::new(
            "reception.future_date",
            format!("ngày tiếp {} ở tương lai", r.received_on.format("%d/%m/%Y")),
        )
        .at_field("received_on")
        .into());
    }
    if let Some(f) = u.valid_from
        && r.received_on < f
    {
        return Err(DomainError::new(
            "reception.before_unit",
            format!(
                "{} chỉ có từ ngày {}, không thể ghi nhận việc tiếp ngày {}",
                u.full_name(),
                f.format("%d/%m/%Y"),
                r.received_on.format("%d/%m/%Y")
            ),
        )
        .at_field("received_on")
        .into());
    }
    let (province_id, name) = (u.province_id, u.full_name());
    if let Some(id) = r.petition_id {
        check_petition(tx, store, r.unit_id, &name, id).await?;
    }
    Ok(province_id)
}

/// The petition taken in at a reception must exist and belong to the
/// reception's unit or a unit below it. A petition outside the store's
/// subtree is refused in the words of one that does not exist: the
/// refusal must tell neither that it exists nor which unit received it.
async fn check_petition(
    tx: &mut Tx,
    store: &Store,
    unit_id: i64,
    unit_name: &str,
    petition_id: i64,
) -> Result<(), StoreError> {
    let petition_unit: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some(petition_unit) = petition_unit.filter(|&u| store.permits(u)) else {
        return Err(DomainError::new(
            "reception.unknown_petition",
            format!("không tìm thấy đơn số {petition_id}"),
        )
        .at_field("petition_id")
        .into());
    };
    let within: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar("SELECT unit_id FROM unit_path WHERE unit_id = $1 AND ancestor_id = $2")
            .bind(petition_unit)
            .bind(unit_id)
            .fetch_optional(&mut *c)
            .await?
    });
    if within.is_none() {
        let other = units::by_id_tx(tx, petition_unit).await?.map_or_else(
            || format!("đơn vị mã số {petition_unit}"),
            |u| u.full_name(),
        );
        return Err(DomainError::new(
            "reception.petition_unit",
            format!(
                "đơn số {petition_id} do {other} nhận, không thuộc {unit_name} hay đơn vị trực thuộc"
            ),
        )
        .at_field("petition_id")
        .into());
    }
    Ok(())
}

impl Table for Reception {
    const KIND: RecordKind = RecordKind::Reception;
    const TABLE: &'static str = "reception";
    const DAY: &'static str = "received_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "received_on",
        "official",
        "position",
        "kind",
        "content",
        "outcome",
        "turns",
        "persons",
        "delegations",
        "delegation_persons",
        "petition_id",
        "note",
    ];
    type Row = (
        i64,
        i64,
        NaiveDate,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        i64,
        Option<i64>,
        String,
    );

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Reception {
                unit_id: r.1,
                received_on: r.2,
                official: r.3,
                position: r.4,
                kind: ReceptionKind::parse(&r.5)?,
                content: ReceptionContent::parse(&r.6)?,
                outcome: ReceptionOutcome::parse(&r.7)?,
                turns: r.8,
                persons: r.9,
                delegations: r.10,
                delegation_persons: r.11,
                petition_id: r.12,
                note: r.13,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Date(self.received_on),
            Value::Text(&self.official),
            Value::Text(&self.position),
            Value::Text(self.kind.code()),
            Value::Text(self.content.code()),
            Value::Text(self.outcome.code()),
            Value::Int(self.turns),
            Value::Int(self.persons),
            Value::Int(self.delegations),
            Value::Int(self.delegation_persons),
            Value::OptInt(self.petition_id),
            Value::Text(&self.note),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Reception::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.received_on, "ngày tiếp", "received_on")
    }

    /// Placed with the reception's own words, and the petition it names
    /// checked (see [`check`]).
    async fn check(
        &self,
        tx: &mut Tx,
        store: &Store,
        cache: &mut UnitCache,
        _: Option<i64>,
    ) -> Result<i64, StoreError> {
        check(tx, store, cache, self).await
    }
}

impl Import for Reception {
    const CSV_COLUMNS: &'static [&'static str] = &RECEPTION_COLUMNS;
    const ERRORS: &'static str = "reception.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
        let received_on = c.required_date("received_on");
        let unit_id = c.unit(all_units, received_on, today);
        let kind = c.required_vocab("kind", ReceptionKind::parse);
        let content = c.required_vocab("content", ReceptionContent::parse);
        let outcome = c.required_vocab("outcome", ReceptionOutcome::parse);
        let turns = c.int("turns", 1);
        let persons = c.int("persons", 1);
        let delegations = c.int("delegations", 0);
        let delegation_persons = c.int("delegation_persons", 0);
        // Every cell is read (and its error noted) before any is required.
        let (official, position, note) = (c.text("official"), c.text("position"), c.text("note"));
        Some(Reception {
            unit_id: unit_id?,
            received_on: received_on?,
            official,
            position,
            kind: kind?,
            content: content?,
            outcome: outcome?,
            turns: turns?,
            persons: persons?,
            delegations: delegations?,
            delegation_persons: delegation_persons?,
            petition_id: None,
            note,
        })
    }
}

record_functions!(Reception);

/// Sum of turns over a subtree and range computed by scanning raw records:
/// the slow reference the benchmark compares the fact read with.
pub async fn scan_turns(
    store: &Store,
    ancestor: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, StoreError> {
    let ancestor = store.read_root(ancestor)?;
    on_pool!(&store.pool, p => {
        let v: Option<i64> = match ancestor {
            Some(a) => sqlx::query_scalar(
                "SELECT CAST(SUM(r.turns) AS BIGINT) FROM reception r JOIN unit_path up ON up.unit_id = r.unit_id \
                 WHERE up.ancestor_id = $1 AND r.received_on BETWEEN $2 AND $3",
            )
            .bind(a)
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?,
            None => sqlx::query_scalar(
                "SELECT CAST(SUM(turns) AS BIGINT) FROM reception WHERE received_on BETWEEN $1 AND $2",
            )
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await?,
        };
        Ok(v.unwrap_or(0))
    })
}
