//! Cases (vụ việc): a case groups the petitions of one matter (đông người,
//! phức tạp, kéo dài, vượt cấp) so reports count by vụ việc beside the
//! count by đơn. Open, correct, close (resolved), delete and read them,
//! with their facts.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::petition::Case;

use crate::db::{Tx, on_tx};
use crate::facts::UnitCache;
use crate::placing::{place, today};
use crate::table::{Table, Value, record_functions};
use crate::{Store, StoreError};

impl Table for Case {
    const KIND: RecordKind = RecordKind::Case;
    const TABLE: &'static str = "petition_case";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "opened_on",
        "title",
        "complex",
        "crowd",
        "prolonged",
        "resolved_on",
    ];
    type Row = (
        i64,
        i64,
        NaiveDate,
        String,
        bool,
        bool,
        bool,
        Option<NaiveDate>,
    );

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Case {
                unit_id: r.1,
                opened_on: r.2,
                title: r.3,
                complex: r.4,
                crowd: r.5,
                prolonged: r.6,
                resolved_on: r.7,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Date(self.opened_on),
            Value::Text(&self.title),
            Value::Bool(self.complex),
            Value::Bool(self.crowd),
            Value::Bool(self.prolonged),
            Value::OptDate(self.resolved_on),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    /// Placed like every record (the unit existed on the day the case
    /// opened, and that day is not in the future); resolved not in the
    /// future.
    async fn check(
        &self,
        tx: &mut Tx,
        _: &Store,
        cache: &mut UnitCache,
        _: Option<i64>,
    ) -> Result<i64, StoreError> {
        self.validate()?;
        let province = place(
            tx,
            cache,
            self.unit_id,
            self.opened_on,
            "ngày phát sinh vụ việc",
            "opened_on",
        )
        .await?;
        if let Some(r) = self.resolved_on
            && r > today()
        {
            return Err(DomainError::new(
                "case.future_date",
                format!(
                    "ngày giải quyết vụ việc {} ở tương lai",
                    r.format("%d/%m/%Y")
                ),
            )
            .at_field("resolved_on")
            .into());
        }
        Ok(province)
    }

    /// A case that still groups petitions is not deleted: they would point
    /// at nothing, and their count by vụ việc would be lost.
    async fn before_delete(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
        let grouped: i64 = on_tx!(tx, c => {
            sqlx::query_scalar("SELECT COUNT(*) FROM petition WHERE case_id = $1")
                .bind(id)
                .fetch_one(&mut *c)
                .await?
        });
        if grouped > 0 {
            return Err(DomainError::new(
                "case.has_petitions",
                format!(
                    "vụ việc số {id} còn gộp {grouped} đơn; hãy bỏ các đơn khỏi vụ việc trước khi xóa"
                ),
            )
            .into());
        }
        Ok(())
    }
}

record_functions!(Case);
