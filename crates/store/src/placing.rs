//! Placing a record on the unit tree: the unit exists, existed on the
//! record's date and the date is not in the future. Shared by every record
//! repository; returns the province (the record's distribution key).

use chrono::NaiveDate;
use danvan_core::DomainError;

use crate::StoreError;
use crate::db::Tx;
use crate::facts::UnitCache;

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// `what` names the date in messages, e.g. "ngày tiếp nhận"; `field` is
/// the record's date field, so a form can show the refusal next to it.
pub(crate) async fn place(
    tx: &mut Tx,
    cache: &mut UnitCache,
    unit_id: i64,
    date: NaiveDate,
    what: &str,
    field: &str,
) -> Result<i64, StoreError> {
    cache
        .resolve(tx, unit_id, date)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::Invalid(
                DomainError::new(
                    "record.unknown_unit",
                    format!("không tìm thấy đơn vị (mã số {unit_id})"),
                )
                .at_field("unit_id"),
            ),
            e => e,
        })?;
    let u = cache.get(unit_id).expect("resolved above");
    let day = date.format("%d/%m/%Y");
    if date > today() {
        return Err(
            DomainError::new("record.future_date", format!("{what} {day} ở tương lai"))
                .at_field(field)
                .into(),
        );
    }
    if let Some(f) = u.valid_from
        && date < f
    {
        return Err(DomainError::new(
            "record.before_unit",
            format!(
                "{} chỉ có từ ngày {}; {what} {day} sớm hơn ngày đó",
                u.full_name(),
                f.format("%d/%m/%Y")
            ),
        )
        .at_field(field)
        .into());
    }
    Ok(u.province_id)
}

/// Marks an error with the 1-based position of the record in a batch.
pub(crate) fn at_position(e: StoreError, i: usize, batch: usize) -> StoreError {
    match e {
        StoreError::Invalid(d) if batch > 1 => StoreError::Invalid(d.at_line(i + 1)),
        e => e,
    }
}
