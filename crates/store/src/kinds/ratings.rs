//! Satisfaction ratings: written with their facts in one transaction; a
//! service with a reference is rated once, whoever enters the rating (the
//! citizen online, or an official from a paper form).

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::rating::{RatedService, Rating, Satisfaction};

use crate::db::{Tx, on_tx};
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::RATING_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;
use crate::{Store, StoreError};

impl Table for Rating {
    const KIND: RecordKind = RecordKind::Rating;
    const TABLE: &'static str = "rating";
    const DAY: &'static str = "rated_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id", "service", "level", "rated_on", "subject", "comment",
    ];
    type Row = (i64, i64, String, String, NaiveDate, String, String);

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Rating {
                unit_id: r.1,
                service: RatedService::parse(&r.2)?,
                level: Satisfaction::parse(&r.3)?,
                rated_on: r.4,
                subject: r.5,
                comment: r.6,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Text(self.service.code()),
            Value::Text(self.level.code()),
            Value::Date(self.rated_on),
            Value::Text(self.subject.trim()),
            Value::Text(self.comment.trim()),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Rating::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.rated_on, "ngày đánh giá", "rated_on")
    }

    fn what(id: i64) -> String {
        format!("lượt đánh giá số {id}")
    }

    /// A dossier (or a petition, or a numbered form) is rated once.
    async fn check_more(
        &self,
        tx: &mut Tx,
        _: &Store,
        this: Option<i64>,
    ) -> Result<(), StoreError> {
        let subject = self.subject.trim();
        if subject.is_empty() {
            return Ok(());
        }
        let exists: Option<i64> = on_tx!(tx, c => {
            sqlx::query_scalar(
                "SELECT id FROM rating WHERE service = $1 AND subject = $2 AND id <> $3",
            )
            .bind(self.service.code())
            .bind(subject)
            .bind(this.unwrap_or(0))
            .fetch_optional(&mut *c)
            .await?
        });
        match exists {
            Some(_) => Err(self.repeated().into()),
            None => Ok(()),
        }
    }

    fn unique_key(&self) -> Option<String> {
        let subject = self.subject.trim();
        (!subject.is_empty()).then(|| format!("{} {subject}", self.service.code()))
    }

    fn repeated(&self) -> DomainError {
        DomainError::new(
            "rating.duplicate",
            format!(
                "«{}» đã được đánh giá ({}); mỗi {} chỉ được đánh giá một lần",
                self.subject.trim(),
                self.service.label(),
                match self.service {
                    RatedService::Dossier => "hồ sơ",
                    RatedService::Petition => "ý kiến",
                    RatedService::Reception => "phiếu",
                }
            ),
        )
        .at_field("subject")
    }
}

impl Import for Rating {
    const CSV_COLUMNS: &'static [&'static str] = &RATING_COLUMNS;
    const ERRORS: &'static str = "rating.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
        let rated_on = c.required_date("rated_on");
        let unit_id = c.unit(all_units, rated_on, today);
        let service = c.required_vocab("service", RatedService::parse);
        let level = c.required_vocab("level", Satisfaction::parse);
        let (Some(unit_id), Some(rated_on), Some(service), Some(level)) =
            (unit_id, rated_on, service, level)
        else {
            return None;
        };
        Some(Rating {
            unit_id,
            service,
            level,
            rated_on,
            subject: c.text("subject"),
            comment: c.text("comment"),
        })
    }
}

record_functions!(Rating);
