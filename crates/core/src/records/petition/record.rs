//! The petition record, where it stands, and its validation as a whole.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    Eligibility, Handling, Instance, Outcome, PetitionChannel, PetitionField, PetitionStatus,
    PetitionType, Sender,
};
use crate::DomainError;
use crate::calendar::deadline::{Extension, Procedure};

/// A petition as recorded. Lifecycle fields are filled by events; the
/// deadlines are computed by the store from the rule table kept as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Petition {
    pub unit_id: i64,
    pub received_on: NaiveDate,
    pub channel: PetitionChannel,
    /// Số người đứng đơn (at least 1).
    pub senders: i64,
    pub kind: PetitionType,
    /// Lần giải quyết: only a complaint may be lần hai.
    #[serde(default)]
    pub instance: Instance,
    pub field: PetitionField,
    /// The case (vụ việc) grouping this petition, if any.
    pub case_id: Option<i64>,
    pub sender: Sender,
    pub summary: String,
    pub classified_on: Option<NaiveDate>,
    pub eligibility: Option<Eligibility>,
    pub handled_on: Option<NaiveDate>,
    pub handling: Option<Handling>,
    /// Vụ việc phức tạp / vùng sâu, vùng xa: only for accepted petitions.
    pub complex: bool,
    pub remote: bool,
    pub extensions: Vec<Extension>,
    /// Statutory deadline for handling the petition (xử lý đơn), from receipt.
    pub processing_deadline: Option<NaiveDate>,
    /// Statutory deadline for resolving an accepted complaint or
    /// denunciation, extensions included, and the rule it came from.
    pub deadline: Option<NaiveDate>,
    pub rule_id: Option<String>,
    pub resolved_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
}

impl Petition {
    /// A petition just received: no classification yet.
    pub fn received(
        unit_id: i64,
        received_on: NaiveDate,
        channel: PetitionChannel,
        kind: PetitionType,
        field: PetitionField,
    ) -> Petition {
        Petition {
            unit_id,
            received_on,
            channel,
            senders: 1,
            kind,
            instance: Instance::First,
            field,
            case_id: None,
            sender: Sender::default(),
            summary: String::new(),
            classified_on: None,
            eligibility: None,
            handled_on: None,
            handling: None,
            complex: false,
            remote: false,
            extensions: Vec::new(),
            processing_deadline: None,
            deadline: None,
            rule_id: None,
            resolved_on: None,
            outcome: None,
        }
    }

    pub fn status(&self) -> PetitionStatus {
        use PetitionStatus as S;
        match (self.eligibility, self.handling, self.resolved_on) {
            (None, _, _) => S::Received,
            (Some(Eligibility::Eligible), None, _) => S::Eligible,
            (Some(Eligibility::Ineligible(_)), None, _) => S::Ineligible,
            (_, Some(Handling::Transferred), _) => S::Transferred,
            (_, Some(Handling::Urged), _) => S::Urged,
            (_, Some(Handling::Returned), _) => S::Returned,
            (_, Some(Handling::Archived), _) => S::Archived,
            (_, Some(Handling::Accepted), None) => S::InResolution,
            (_, Some(Handling::Accepted), Some(_)) => S::Resolved,
        }
    }

    /// The procedure whose statutory deadline runs from acceptance, if any.
    pub fn resolution_procedure(&self) -> Option<Procedure> {
        match self.kind {
            PetitionType::Complaint => Some(match self.instance {
                Instance::First => Procedure::ComplaintFirstInstance,
                Instance::Second => Procedure::ComplaintSecondInstance,
            }),
            PetitionType::Denunciation => Some(Procedure::Denunciation),
            PetitionType::Recommendation => None,
        }
    }

    /// The date the petition stopped being pending: handled other than by
    /// acceptance, or resolved after acceptance.
    pub fn closed_on(&self) -> Option<NaiveDate> {
        match self.handling {
            Some(Handling::Accepted) => self.resolved_on,
            Some(_) => self.handled_on,
            None => None,
        }
    }

    /// Checks a whole record, as entered or imported: base fields, and that
    /// its lifecycle is one the state machine allows, in date order.
    pub fn validate(&self) -> Result<(), DomainError> {
        crate::bounds::count(
            "petition.invalid",
            "senders",
            "số người đứng đơn",
            self.senders,
            1,
        )?;
        if self.instance == Instance::Second && self.kind != PetitionType::Complaint {
            return Err(DomainError::new(
                "petition.instance",
                format!(
                    "chỉ đơn khiếu nại mới được giải quyết lần hai; đơn {} chỉ giải quyết lần đầu",
                    self.kind.label()
                ),
            )
            .at_field("instance"));
        }
        let mut p = Petition {
            classified_on: None,
            eligibility: None,
            handled_on: None,
            handling: None,
            complex: false,
            remote: false,
            extensions: Vec::new(),
            resolved_on: None,
            outcome: None,
            ..self.clone()
        };
        for e in self.events()? {
            p = p.apply(&e)?;
        }
        Ok(())
    }
}
