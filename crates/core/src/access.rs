//! Who may do what: the roles of accounts and the kinds of things they
//! change. Which role may write which record kind is the record registry's
//! ([`RecordKind::def`]); the other things an account can change are listed
//! here, in one exhaustive match, so nothing is granted or refused by a
//! forgotten string.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::records::kind::RecordKind;

/// What a user may do, always inside the subtree of their unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị: accounts, audit log, and everything an officer does.
    Admin,
    /// Cán bộ đơn vị: enters and corrects every kind of record.
    Officer,
    /// Cán bộ xử lý đơn: petitions and receptions; sees the identity of
    /// denouncers on the petitions assigned to them.
    Handler,
    /// Lãnh đạo, người xem: reads figures, records and reports.
    Viewer,
    /// Mặt trận, đoàn thể: oversight, meetings and models of their unit.
    Front,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Officer,
        Role::Handler,
        Role::Viewer,
        Role::Front,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Handler => "handler",
            Role::Viewer => "viewer",
            Role::Front => "front",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị",
            Role::Officer => "Cán bộ đơn vị",
            Role::Handler => "Cán bộ xử lý đơn",
            Role::Viewer => "Lãnh đạo, người xem",
            Role::Front => "Mặt trận, đoàn thể",
        }
    }

    pub fn parse(s: &str) -> Result<Role, DomainError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| {
                DomainError::new(
                    "user.role",
                    format!(
                        "vai trò «{s}» không có; dùng admin, officer, handler, viewer hoặc front"
                    ),
                )
                .at_field("role")
            })
    }

    /// Whether this role may change `entity`.
    pub fn may(self, entity: Entity) -> bool {
        match (self, entity) {
            (_, Entity::Setting(Setting::ApiToken)) => true,
            (Role::Admin, _) => true,
            // The leader signs and sends the unit's report, and reviews
            // what the units below send.
            (
                Role::Viewer,
                Entity::Setting(
                    Setting::ReportRequest
                    | Setting::ReportSubmission
                    | Setting::ScoreRound
                    | Setting::ScoreAssessment,
                ),
            ) => true,
            (Role::Viewer, _) => false,
            (role, Entity::Record(kind)) => kind.def().writers.contains(&role),
            (role, Entity::Setting(s)) => match s {
                Setting::User
                | Setting::OnestopSetting
                | Setting::DeadlineRule
                | Setting::CalendarDay
                | Setting::DataElement
                | Setting::DataSet
                | Setting::Open311Key
                | Setting::CatalogueEntry => false,
                Setting::ReportDraft | Setting::IssuingBody => {
                    matches!(role, Role::Officer | Role::Front)
                }
                Setting::Disclosure | Setting::ReceptionSchedule => role == Role::Officer,
                Setting::PetitionAssignment => role == Role::Officer,
                Setting::ReportRequest
                | Setting::ReportSubmission
                | Setting::ScoreRound
                | Setting::ScoreAssessment => role == Role::Officer,
                Setting::ApiToken => true,
            },
        }
    }

    /// [`Role::may`] for an entity named by its code (as the audit log
    /// names it); an unknown code is refused, never granted.
    pub fn may_write(self, code: &str) -> bool {
        Entity::from_code(code).is_some_and(|e| self.may(e))
    }
}

/// Something an account changes: a record of a registered kind, or one of
/// the settings, definitions and documents around them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Record(RecordKind),
    Setting(Setting),
}

/// What is not a record but is changed, and logged, all the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setting {
    User,
    ApiToken,
    OnestopSetting,
    DeadlineRule,
    CalendarDay,
    DataElement,
    DataSet,
    ReportDraft,
    PetitionAssignment,
    /// A request for reports sent to the units below.
    ReportRequest,
    /// A unit's report sent up, and its review.
    ReportSubmission,
    /// A body in whose name the unit's reports are issued (cơ quan ban hành).
    IssuingBody,
    /// A publication on a commune's disclosure board (bảng công khai).
    Disclosure,
    /// A turn of the reception schedule of a commune's leaders.
    ReceptionSchedule,
    /// A yearly scoring round opened for the units below.
    ScoreRound,
    /// A unit's self-assessment in a round, its review and approval.
    ScoreAssessment,
    /// The key of an application sending requests through Open311.
    Open311Key,
    /// An indicator, validation rule or report section defined at run time.
    CatalogueEntry,
}

impl Setting {
    pub const ALL: [Setting; 18] = [
        Setting::User,
        Setting::ApiToken,
        Setting::OnestopSetting,
        Setting::DeadlineRule,
        Setting::CalendarDay,
        Setting::DataElement,
        Setting::DataSet,
        Setting::ReportDraft,
        Setting::PetitionAssignment,
        Setting::ReportRequest,
        Setting::ReportSubmission,
        Setting::IssuingBody,
        Setting::Disclosure,
        Setting::ReceptionSchedule,
        Setting::ScoreRound,
        Setting::ScoreAssessment,
        Setting::Open311Key,
        Setting::CatalogueEntry,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Setting::User => "user",
            Setting::ApiToken => "api_token",
            Setting::OnestopSetting => "onestop_setting",
            Setting::DeadlineRule => "deadline_rule",
            Setting::CalendarDay => "calendar_day",
            Setting::DataElement => "data_element",
            Setting::DataSet => "data_set",
            Setting::ReportDraft => "report_draft",
            Setting::PetitionAssignment => "petition_assignment",
            Setting::ReportRequest => "report_request",
            Setting::ReportSubmission => "report_submission",
            Setting::IssuingBody => "issuing_body",
            Setting::Disclosure => "disclosure",
            Setting::ReceptionSchedule => "reception_schedule",
            Setting::ScoreRound => "score_round",
            Setting::ScoreAssessment => "score_assessment",
            Setting::Open311Key => "open311_key",
            Setting::CatalogueEntry => "catalogue_entry",
        }
    }
}

impl Entity {
    /// As the audit log names it.
    pub const fn code(self) -> &'static str {
        match self {
            Entity::Record(k) => k.code(),
            Entity::Setting(s) => s.code(),
        }
    }

    pub fn from_code(code: &str) -> Option<Entity> {
        RecordKind::from_code(code).map(Entity::Record).or_else(|| {
            Setting::ALL
                .into_iter()
                .find(|s| s.code() == code)
                .map(Entity::Setting)
        })
    }
}

impl From<RecordKind> for Entity {
    fn from(k: RecordKind) -> Entity {
        Entity::Record(k)
    }
}

impl From<Setting> for Entity {
    fn from(s: Setting) -> Entity {
        Entity::Setting(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_as_before_the_registry() {
        let officer_writes = [
            "petition",
            "case",
            "reception",
            "dossier",
            "mediation",
            "meeting",
            "model",
            "data_value",
            "oversight",
            "directive",
            "report_draft",
            "petition_assignment",
            "api_token",
        ];
        for code in officer_writes {
            assert!(Role::Officer.may_write(code), "{code}");
        }
        for code in [
            "user",
            "onestop_setting",
            "deadline_rule",
            "calendar_day",
            "data_element",
            "data_set",
        ] {
            assert!(!Role::Officer.may_write(code), "{code}");
            assert!(Role::Admin.may_write(code), "{code}");
        }
        for code in ["petition", "case", "reception"] {
            assert!(Role::Handler.may_write(code), "{code}");
        }
        for code in ["mediation", "dossier", "petition_assignment", "meeting"] {
            assert!(!Role::Handler.may_write(code), "{code}");
        }
        for code in ["oversight", "meeting", "model", "report_draft"] {
            assert!(Role::Front.may_write(code), "{code}");
        }
        assert!(!Role::Front.may_write("petition"));
        assert!(!Role::Viewer.may_write("petition"));
        assert!(Role::Viewer.may_write("api_token"));
        // An unknown code is refused, even to an administrator.
        assert!(!Role::Admin.may_write("petiton"));
        for e in Setting::ALL.map(Entity::Setting) {
            assert_eq!(Entity::from_code(e.code()), Some(e));
        }
    }
}
