//! One statutory deadline rule and the vocabulary it uses.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The procedures whose handling has a statutory deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Procedure {
    ComplaintFirstInstance,
    ComplaintSecondInstance,
    Denunciation,
    /// One extension decision of a denunciation; its `days` cap the length.
    DenunciationExtension,
    PetitionProcessing,
}

impl fmt::Display for Procedure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ComplaintFirstInstance => "giải quyết khiếu nại lần đầu",
            Self::ComplaintSecondInstance => "giải quyết khiếu nại lần hai",
            Self::Denunciation => "giải quyết tố cáo",
            Self::DenunciationExtension => "gia hạn giải quyết tố cáo",
            Self::PetitionProcessing => "xử lý đơn",
        })
    }
}

/// How the days of a rule are counted: the laws on complaints and
/// denunciations say "ngày" (calendar days), petition handling says
/// "ngày làm việc" (working days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DayCounting {
    Calendar,
    Working,
}

/// A deadline of `days` from the start event (thụ lý, nhận đơn), for cases
/// with these flags, in force from `valid_from` to `valid_to` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub id: String,
    pub procedure: Procedure,
    pub days: u32,
    pub counting: DayCounting,
    /// Vụ việc phức tạp.
    pub complex: bool,
    /// Vùng sâu, vùng xa đi lại khó khăn.
    pub remote_area: bool,
    /// Province code for a local rule; `None` for a national one.
    pub province: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Cited in Vietnamese, e.g. "Luật Khiếu nại 2011, Điều 28".
    pub legal_basis: String,
    /// How many extension decisions the law allows; 0 = none.
    #[serde(default)]
    pub max_extensions: u8,
}

impl DeadlineRule {
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
}
