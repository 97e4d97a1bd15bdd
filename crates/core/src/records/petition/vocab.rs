//! The closed vocabularies of a petition, its lần giải quyết, and who sent it.

use serde::{Deserialize, Serialize};

use crate::DomainError;

pub use crate::records::vocabulary::{
    Handling, IneligibleReason, Outcome, PetitionChannel, PetitionField, PetitionStatus,
    PetitionType,
};

/// Lần giải quyết of a complaint (Luật Khiếu nại 2011): lần đầu by the
/// body whose decision is complained about (art. 28), lần hai by the level
/// above (art. 37), each with its own statutory deadline. Serialized and
/// stored as its number, 1 or 2; other petitions are always lần đầu.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub enum Instance {
    #[default]
    First,
    Second,
}

impl Instance {
    pub const ALL: &'static [Instance] = &[Instance::First, Instance::Second];

    /// 1 or 2, as stored.
    pub fn number(self) -> u8 {
        match self {
            Instance::First => 1,
            Instance::Second => 2,
        }
    }

    /// The number as text: the fact breakdown value.
    pub fn code(self) -> &'static str {
        match self {
            Instance::First => "1",
            Instance::Second => "2",
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Instance::First => "lần đầu",
            Instance::Second => "lần hai",
        }
    }

    fn unknown(s: &str) -> DomainError {
        DomainError::new(
            "Instance.unknown",
            format!("lần giải quyết «{s}» không hợp lệ; dùng 1 (lần đầu) hoặc 2 (lần hai)"),
        )
    }

    /// Accepts 1/2 or the label ("lần hai", "lan hai").
    pub fn parse(s: &str) -> Result<Instance, DomainError> {
        let f = crate::text::fold(s);
        Instance::ALL
            .iter()
            .copied()
            .find(|v| v.code() == f || crate::text::fold(v.label()) == f)
            .ok_or_else(|| Instance::unknown(s))
    }
}

impl TryFrom<u8> for Instance {
    type Error = DomainError;

    fn try_from(n: u8) -> Result<Instance, DomainError> {
        match n {
            1 => Ok(Instance::First),
            2 => Ok(Instance::Second),
            _ => Err(Instance::unknown(&n.to_string())),
        }
    }
}

impl From<Instance> for u8 {
    fn from(i: Instance) -> u8 {
        i.number()
    }
}

/// Serialized as its number, so described by hand.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Instance {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .enum_values(Some([1, 2]))
            .description(Some(
                "Lần giải quyết: 1 (lần đầu) hoặc 2 (lần hai, chỉ đơn khiếu nại).",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Instance {}

impl std::fmt::Display for Instance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Result of classification (phân loại đơn).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Eligibility {
    Eligible,
    Ineligible(IneligibleReason),
}

/// Who sent the petition. For a denunciation this is secret by law
/// (Luật Tố cáo 2018, art. 47): the store masks it for anyone not assigned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sender {
    pub name: String,
    pub address: String,
    pub phone: String,
}

/// What stands in for a hidden identity.
pub const MASK: &str = "***";

impl Sender {
    pub fn masked() -> Sender {
        Sender {
            name: MASK.into(),
            address: MASK.into(),
            phone: MASK.into(),
        }
    }
}
