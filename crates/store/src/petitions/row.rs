//! A petition row and its extensions read into a record, and a record's
//! columns that are not a plain field.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::Extension;
use danvan_core::records::petition::{
    Eligibility, Handling, IneligibleReason, Instance, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType, Sender,
};
use sqlx::Row;

use super::not_found;
use crate::db::{Tx, on_tx};
use crate::{Store, StoreError};

pub(crate) const COLUMNS: &str = "id, province_id, unit_id, received_on, channel, senders, kind, instance, field, \
     case_id, sender_name, sender_address, sender_phone, summary, classified_on, eligible, ineligible_reason, \
     handled_on, handling, complex, remote, processing_deadline, deadline, rule_id, resolved_on, outcome";

pub(crate) fn row_to_petition<R>(row: &R) -> Result<(i64, i64, Petition), StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i16: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> NaiveDate: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let s = |c: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(c)?) };
    let opt = |c: &str| -> Result<Option<String>, StoreError> {
        Ok(row.try_get::<Option<String>, _>(c)?)
    };
    let eligible: Option<bool> = row.try_get("eligible")?;
    let eligibility = match (eligible, opt("ineligible_reason")?) {
        (Some(true), _) => Some(Eligibility::Eligible),
        (Some(false), Some(r)) => Some(Eligibility::Ineligible(IneligibleReason::parse(&r)?)),
        _ => None,
    };
    let p = Petition {
        unit_id: row.try_get("unit_id")?,
        received_on: row.try_get("received_on")?,
        channel: PetitionChannel::parse(&s("channel")?)?,
        senders: row.try_get("senders")?,
        kind: PetitionType::parse(&s("kind")?)?,
        instance: instance_from_column(row.try_get("instance")?)?,
        field: PetitionField::parse(&s("field")?)?,
        case_id: row.try_get("case_id")?,
        sender: Sender {
            name: s("sender_name")?,
            address: s("sender_address")?,
            phone: s("sender_phone")?,
        },
        summary: s("summary")?,
        classified_on: row.try_get("classified_on")?,
        eligibility,
        handled_on: row.try_get("handled_on")?,
        handling: opt("handling")?.map(|h| Handling::parse(&h)).transpose()?,
        complex: row.try_get("complex")?,
        remote: row.try_get("remote")?,
        extensions: Vec::new(),
        processing_deadline: row.try_get("processing_deadline")?,
        deadline: row.try_get("deadline")?,
        rule_id: opt("rule_id")?,
        resolved_on: row.try_get("resolved_on")?,
        outcome: opt("outcome")?.map(|o| Outcome::parse(&o)).transpose()?,
    };
    Ok((row.try_get("id")?, row.try_get("province_id")?, p))
}

fn instance_from_column(n: i16) -> Result<Instance, StoreError> {
    Ok(u8::try_from(n)
        .map_err(|_| {
            DomainError::new(
                "Instance.unknown",
                format!("lần giải quyết {n} không hợp lệ"),
            )
        })
        .and_then(Instance::try_from)?)
}

pub(super) fn instance_column(p: &Petition) -> i16 {
    i16::from(p.instance.number())
}

pub(super) fn eligible_cols(p: &Petition) -> (Option<bool>, Option<&'static str>) {
    match p.eligibility {
        None => (None, None),
        Some(Eligibility::Eligible) => (Some(true), None),
        Some(Eligibility::Ineligible(r)) => (Some(false), Some(r.code())),
    }
}

pub(super) type ExtRow = (i64, NaiveDate, i64, String);

pub(super) fn ext_from_row((_, decided_on, days, decision_no): ExtRow) -> Extension {
    Extension {
        decided_on,
        days: u32::try_from(days).unwrap_or(0),
        decision_no,
    }
}

/// A petition with its extensions and province, unmasked: internal only.
/// Outside the store's subtree it is not found, for a change as for a read.
pub(crate) async fn load_tx(
    tx: &mut Tx,
    store: &Store,
    id: i64,
) -> Result<(i64, Petition), StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM petition WHERE id = $1");
    let (prov, mut p) = on_tx!(tx, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
        let (_, prov, p) = row_to_petition(&row)?;
        (prov, p)
    });
    store.check_read(p.unit_id, || not_found(id))?;
    let exts: Vec<ExtRow> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT petition_id, decided_on, CAST(days AS BIGINT), decision_no FROM petition_extension \
             WHERE petition_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    p.extensions = exts.into_iter().map(ext_from_row).collect();
    Ok((prov, p))
}
