//! "Dân vận khéo" models (mô hình, điển hình): a model at a unit, with its
//! level and field, and one status entry per year (registered, replicated,
//! maintained) with its recognition and awards. Reports count model-years:
//! "47 mô hình, trong đó đăng ký mới 18, nhân rộng 13, duy trì 16".

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{ModelField, ModelLevel, ModelStatus};

/// The model itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Model {
    pub unit_id: i64,
    pub name: String,
    pub level: ModelLevel,
    pub field: ModelField,
}

/// A model's entry for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModelYear {
    pub year: i32,
    /// When the status was recorded (registration or review); facts land here.
    pub recorded_on: NaiveDate,
    pub status: ModelStatus,
    /// Công nhận: recognised as a model by the committee.
    pub recognised: bool,
    /// Khen thưởng, e.g. "Bằng khen UBND tỉnh"; empty when none.
    pub award: String,
}

/// A model with the year entry being counted: what feeds the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelEntry<'a> {
    pub model: &'a Model,
    pub year: &'a ModelYear,
}

/// Indicator keys fed by model-years; breakdown `status`, `field`, `level`.
pub mod keys {
    /// Model-years recorded (a model counts once per year).
    pub const ENTRIES: &str = "model.entries";
    /// Of those, recognised.
    pub const RECOGNISED: &str = "model.recognised";
    /// Of those, with an award.
    pub const AWARDED: &str = "model.awarded";
}

impl Model {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.name.trim().is_empty() {
            return Err(DomainError::new("model.invalid", "thiếu tên mô hình").at_field("name"));
        }
        Ok(())
    }
}

impl ModelYear {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.recorded_on.year() != self.year {
            return Err(DomainError::new(
                "model.invalid",
                format!(
                    "ngày ghi nhận {} không thuộc năm {}",
                    self.recorded_on.format("%d/%m/%Y"),
                    self.year
                ),
            )
            .at_field("recorded_on"));
        }
        Ok(())
    }
}

impl FactSource for ModelEntry<'_> {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = Breakdown::new()
            .with("status", self.year.status.code())
            .with("field", self.model.field.code())
            .with("level", self.model.level.code())
            .build();
        let flags = [
            (keys::ENTRIES, true),
            (keys::RECOGNISED, self.year.recognised),
            (keys::AWARDED, !self.year.award.trim().is_empty()),
        ];
        for (key, on) in flags {
            if on {
                out.push(Contribution {
                    unit_id: self.model.unit_id,
                    date: self.year.recorded_on,
                    key,
                    breakdown: b.clone(),
                    value: 1,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_year_counts_once_by_status_field_and_level() {
        let m = Model {
            unit_id: 2,
            name: "Dân vận khéo trong xây dựng nông thôn mới".into(),
            level: ModelLevel::parse("co so").unwrap(),
            field: ModelField::parse("Văn hóa – xã hội").unwrap(),
        };
        let y = ModelYear {
            year: 2021,
            recorded_on: NaiveDate::from_ymd_opt(2021, 3, 1).unwrap(),
            status: ModelStatus::parse("nhân rộng").unwrap(),
            recognised: true,
            award: String::new(),
        };
        let mut out = Vec::new();
        ModelEntry {
            model: &m,
            year: &y,
        }
        .contributions(&mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(
            out[0].breakdown,
            "field=culture_society;level=grassroots;status=replicated"
        );
        let bad = ModelYear { year: 2022, ..y };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("không thuộc năm 2022")
        );
    }
}
