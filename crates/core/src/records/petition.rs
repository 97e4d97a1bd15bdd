//! Petitions (đơn thư) and cases (vụ việc): the record, its lifecycle as an
//! explicit state machine, and the facts it contributes.
//!
//! A petition is received, classified (đủ / không đủ điều kiện xử lý),
//! handled (chuyển, đôn đốc, trả lại, thụ lý, lưu đơn) and, when accepted
//! (thụ lý), resolved. Every step is an [`Event`] applied by
//! [`Petition::apply`], which returns a new petition or a Vietnamese error
//! and never changes the original, so a refused step changes nothing.
//!
//! Every event contributes on its own date, so a petition received in one
//! period and resolved in the next counts right in both; stocks (pending,
//! carried over) are flows summed up to a date (see [`keys`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::deadline::{Extension, Procedure};
use crate::fact::{Breakdown, Contribution, FactSource};
use crate::{DomainError, vocab};

vocab! {
    /// How the petition arrived (hình thức nhận đơn).
    PetitionChannel, "hình thức nhận đơn" {
        InPerson = "in_person", "trực tiếp";
        Post = "post", "bưu chính";
        /// Forwarded by another body (cơ quan khác chuyển đến).
        Forwarded = "forwarded", "chuyển đến";
        Online = "online", "trực tuyến";
    }
}

vocab! {
    /// Kind of petition (loại đơn).
    PetitionType, "loại đơn" {
        Complaint = "complaint", "khiếu nại";
        Denunciation = "denunciation", "tố cáo";
        /// Kiến nghị, phản ánh: no statutory resolution deadline.
        Recommendation = "recommendation", "kiến nghị, phản ánh";
    }
}

vocab! {
    /// Subject field (lĩnh vực).
    PetitionField, "lĩnh vực" {
        Land = "land", "đất đai";
        Policy = "policy", "chính sách";
        Administration = "administration", "hành chính";
        Justice = "justice", "tư pháp";
        Other = "other", "khác";
    }
}

vocab! {
    /// Why a petition is not eligible for handling (lý do không đủ điều kiện).
    IneligibleReason, "lý do không đủ điều kiện xử lý" {
        Duplicate = "duplicate", "trùng lặp";
        NoAddress = "no_address", "không rõ địa chỉ";
        Unsigned = "unsigned", "không ký tên";
        Impersonation = "impersonation", "mạo danh";
        Anonymous = "anonymous", "nặc danh";
    }
}

vocab! {
    /// What was done with a classified petition (kết quả xử lý đơn).
    Handling, "hình thức xử lý đơn" {
        Transferred = "transferred", "chuyển cơ quan có thẩm quyền";
        Urged = "urged", "đôn đốc cấp dưới";
        Returned = "returned", "trả lại và hướng dẫn";
        /// Thụ lý: within the unit's competence; resolution follows.
        Accepted = "accepted", "thụ lý thuộc thẩm quyền";
        Archived = "archived", "lưu đơn";
    }
}

vocab! {
    /// Outcome of a resolution (kết quả giải quyết).
    Outcome, "kết quả giải quyết" {
        Right = "right", "đúng";
        Wrong = "wrong", "sai";
        PartlyRight = "partly_right", "đúng một phần";
        /// For kiến nghị, phản ánh: settled without a verdict.
        Settled = "settled", "giải quyết xong";
    }
}

vocab! {
    /// Where a petition stands; derived from its fields, never stored.
    PetitionStatus, "trạng thái đơn" {
        Received = "received", "mới tiếp nhận";
        Eligible = "eligible", "đủ điều kiện xử lý, chưa xử lý";
        Ineligible = "ineligible", "không đủ điều kiện xử lý, chưa lưu đơn";
        Transferred = "transferred", "đã chuyển cơ quan có thẩm quyền";
        Urged = "urged", "đã đôn đốc cấp dưới";
        Returned = "returned", "đã trả lại và hướng dẫn";
        Archived = "archived", "đã lưu đơn";
        InResolution = "in_resolution", "đang giải quyết";
        Resolved = "resolved", "đã giải quyết xong";
    }
}

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

/// One step of a petition's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Event {
    /// Phân loại: eligible or not, with the reason.
    Classify {
        on: NaiveDate,
        eligibility: Eligibility,
    },
    /// Xử lý: for `Accepted`, the acceptance date (ngày thụ lý) and the flags
    /// that choose the statutory deadline.
    Handle {
        on: NaiveDate,
        handling: Handling,
        #[serde(default)]
        complex: bool,
        #[serde(default)]
        remote: bool,
    },
    /// A recorded extension decision (quyết định gia hạn).
    Extend(Extension),
    /// Giải quyết xong.
    Resolve { on: NaiveDate, outcome: Outcome },
}

impl Event {
    fn action(&self) -> &'static str {
        match self {
            Event::Classify { .. } => "phân loại",
            Event::Handle { .. } => "xử lý",
            Event::Extend(_) => "gia hạn giải quyết",
            Event::Resolve { .. } => "ghi nhận giải quyết xong",
        }
    }

    /// The petition field the step's date is stored in, for messages.
    fn date_field(&self) -> &'static str {
        match self {
            Event::Classify { .. } => "classified_on",
            Event::Handle { .. } => "handled_on",
            Event::Extend(_) => "extensions",
            Event::Resolve { .. } => "resolved_on",
        }
    }
}

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

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
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

    /// The date of the last recorded step; a new one can not be earlier.
    fn last_date(&self) -> (NaiveDate, &'static str) {
        if let Some(d) = self.resolved_on {
            return (d, "ngày giải quyết");
        }
        if let Some(e) = self.extensions.iter().map(|e| e.decided_on).max() {
            return (e, "ngày gia hạn");
        }
        if let Some(d) = self.handled_on {
            return (d, "ngày xử lý");
        }
        if let Some(d) = self.classified_on {
            return (d, "ngày phân loại");
        }
        (self.received_on, "ngày nhận đơn")
    }

    fn illegal(&self, event: &Event, why: &str) -> DomainError {
        DomainError::new(
            "petition.illegal_transition",
            format!(
                "không thể {} đơn đang ở trạng thái «{}»: {why}",
                event.action(),
                self.status().label()
            ),
        )
    }

    /// Apply one step. Returns the petition after it, or why it is refused
    /// (the original is untouched either way).
    pub fn apply(&self, event: &Event) -> Result<Petition, DomainError> {
        use PetitionStatus as S;
        let on = match event {
            Event::Classify { on, .. } | Event::Handle { on, .. } | Event::Resolve { on, .. } => {
                *on
            }
            Event::Extend(e) => e.decided_on,
        };
        let (last, last_name) = self.last_date();
        if on < last {
            return Err(DomainError::new(
                "petition.date_order",
                format!(
                    "ngày {} ({}) trước {} {} của đơn",
                    event.action(),
                    dmy(on),
                    last_name,
                    dmy(last)
                ),
            )
            .at_field(event.date_field()));
        }
        let mut next = self.clone();
        match (self.status(), event) {
            (S::Received, Event::Classify { on, eligibility }) => {
                next.classified_on = Some(*on);
                next.eligibility = Some(*eligibility);
            }
            (S::Received, _) => {
                return Err(self.illegal(event, "đơn phải được phân loại trước"));
            }
            (
                S::Eligible | S::Ineligible,
                Event::Handle {
                    on,
                    handling,
                    complex,
                    remote,
                },
            ) => {
                if self.status() == S::Ineligible && *handling != Handling::Archived {
                    return Err(self.illegal(
                        event,
                        &format!(
                            "đơn không đủ điều kiện xử lý chỉ được lưu đơn, không thể «{}»",
                            handling.label()
                        ),
                    ));
                }
                if (*complex || *remote) && *handling != Handling::Accepted {
                    return Err(DomainError::new(
                        "petition.flags",
                        "chỉ đơn được thụ lý mới ghi nhận vụ việc phức tạp hoặc vùng sâu, vùng xa",
                    )
                    .at_field("complex"));
                }
                next.handled_on = Some(*on);
                next.handling = Some(*handling);
                next.complex = *complex;
                next.remote = *remote;
            }
            (S::Eligible | S::Ineligible, _) => {
                return Err(self.illegal(
                    event,
                    "đơn phải được xử lý (chuyển, trả lại, thụ lý…) trước",
                ));
            }
            (S::InResolution, Event::Extend(ext)) => {
                if self.kind != PetitionType::Denunciation {
                    return Err(self.illegal(
                        event,
                        &format!(
                            "chỉ đơn tố cáo được gia hạn, đây là đơn {}",
                            self.kind.label()
                        ),
                    ));
                }
                next.extensions.push(ext.clone());
            }
            (S::InResolution, Event::Resolve { on, outcome }) => {
                if *outcome != Outcome::Settled && self.kind == PetitionType::Recommendation {
                    return Err(DomainError::new(
                        "petition.outcome",
                        format!(
                            "đơn kiến nghị, phản ánh không kết luận «{}»; dùng «{}»",
                            outcome.label(),
                            Outcome::Settled.label()
                        ),
                    )
                    .at_field("outcome"));
                }
                next.resolved_on = Some(*on);
                next.outcome = Some(*outcome);
            }
            (S::InResolution, _) => {
                return Err(self.illegal(event, "đơn đã được thụ lý và đang giải quyết"));
            }
            (S::Resolved, _) => return Err(self.illegal(event, "đơn đã giải quyết xong")),
            (_, _) => {
                return Err(self.illegal(
                    event,
                    "đơn đã xử lý xong, không thuộc thẩm quyền giải quyết của đơn vị",
                ));
            }
        }
        Ok(next)
    }

    /// The events that lead from reception to this petition's state, in
    /// order; refuses half-recorded steps (a handling without its date…).
    pub fn events(&self) -> Result<Vec<Event>, DomainError> {
        let half = |field: &str, what: &str| {
            Err(DomainError::new(
                "petition.incomplete",
                format!("ghi nhận {what} phải có cả ngày và nội dung"),
            )
            .at_field(field.to_string()))
        };
        let mut out = Vec::new();
        match (self.classified_on, self.eligibility) {
            (Some(on), Some(eligibility)) => out.push(Event::Classify { on, eligibility }),
            (None, None) => {}
            _ => return half("classified_on", "phân loại đơn"),
        }
        match (self.handled_on, self.handling) {
            (Some(on), Some(handling)) => out.push(Event::Handle {
                on,
                handling,
                complex: self.complex,
                remote: self.remote,
            }),
            (None, None) => {
                if self.complex || self.remote {
                    return Err(DomainError::new(
                        "petition.flags",
                        "chỉ đơn được thụ lý mới ghi nhận vụ việc phức tạp hoặc vùng sâu, vùng xa",
                    )
                    .at_field("complex"));
                }
            }
            _ => return half("handled_on", "xử lý đơn"),
        }
        let mut exts = self.extensions.clone();
        exts.sort_by_key(|e| e.decided_on);
        out.extend(exts.into_iter().map(Event::Extend));
        match (self.resolved_on, self.outcome) {
            (Some(on), Some(outcome)) => out.push(Event::Resolve { on, outcome }),
            (None, None) => {}
            _ => return half("resolved_on", "kết quả giải quyết"),
        }
        Ok(out)
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

    fn contribute(
        &self,
        out: &mut Vec<Contribution>,
        date: NaiveDate,
        key: &'static str,
        b: Breakdown,
        value: i64,
    ) {
        out.push(Contribution {
            unit_id: self.unit_id,
            date,
            key,
            breakdown: b.build(),
            value,
        });
    }
}

/// Indicator keys fed by petitions and cases. Flows count events dated in
/// the period read; stocks (`*.open`, `*.in_resolution`) are +1/−1 flows
/// whose sum over [`DateRange::up_to`](crate::period::DateRange::up_to) a
/// date is the stock at the end of that date.
pub mod keys {
    /// Flow, on the receipt date: petitions received (tiếp nhận mới).
    /// Breakdown: `type`, `channel`, `field`.
    pub const RECEIVED: &str = "petition.received";
    /// Stock: +1 on receipt, −1 when closed (handled other than by
    /// acceptance, or resolved). Read up to the day before a period: carried
    /// over (kỳ trước chuyển sang); up to its end: still pending.
    /// Breakdown: `type`.
    pub const OPEN: &str = "petition.open";
    /// Flow, on the classification date: eligible (đủ điều kiện xử lý).
    /// Breakdown: `type`.
    pub const ELIGIBLE: &str = "petition.eligible";
    /// Flow, on the classification date: not eligible, by `reason`
    /// (trùng lặp, không rõ địa chỉ…). Breakdown: `reason`, `type`.
    pub const INELIGIBLE: &str = "petition.ineligible";
    /// Flow, on the handling date: by `handling` (chuyển, đôn đốc, trả lại,
    /// thụ lý, lưu đơn). Breakdown: `handling`, `type`.
    pub const HANDLED: &str = "petition.handled";
    /// Flow, on the acceptance date: accepted as within competence (thụ lý).
    /// Breakdown: `type`, `complex`, `remote` (`yes`/`no`) and, for
    /// complaints, `instance` (`1` lần đầu, `2` lần hai).
    pub const ACCEPTED: &str = "petition.accepted";
    /// Stock: +1 on acceptance, −1 on resolution. Up to the day before a
    /// period plus [`ACCEPTED`] in it: within competence in the period
    /// (thuộc thẩm quyền); up to its end: pending resolution (đang giải
    /// quyết). Breakdown: `type`.
    pub const IN_RESOLUTION: &str = "petition.in_resolution";
    /// Flow, on the resolution date: resolved (giải quyết xong).
    /// Breakdown: `type`, `outcome` and, for complaints, `instance`.
    pub const RESOLVED: &str = "petition.resolved";
    /// Flow, on the resolution date: resolved no later than the statutory
    /// deadline (extensions included). Breakdown: `type`.
    pub const RESOLVED_ON_TIME: &str = "petition.resolved_on_time";
    /// Flow, on the resolution date: resolved after the deadline.
    /// Breakdown: `type`.
    pub const RESOLVED_LATE: &str = "petition.resolved_late";
    /// Flow, on the opening date: cases (vụ việc) opened.
    /// Breakdown: `complex`, `crowd`, `prolonged`, `flagged` (`yes` when any
    /// of the three holds: the "phức tạp, đông người, kéo dài" of reports).
    pub const CASE_OPENED: &str = "case.opened";
    /// Stock of unresolved cases: +1 opened, −1 resolved. Up to the day
    /// before a period plus [`CASE_OPENED`] in it: the cases of the period.
    /// Breakdown as [`CASE_OPENED`].
    pub const CASE_OPEN: &str = "case.open";
    /// Flow, on the resolution date: cases resolved. Breakdown as
    /// [`CASE_OPENED`].
    pub const CASE_RESOLVED: &str = "case.resolved";

    /// Every petition and case key, for reads and dumps.
    pub const ALL: &[&str] = &[
        RECEIVED,
        OPEN,
        ELIGIBLE,
        INELIGIBLE,
        HANDLED,
        ACCEPTED,
        IN_RESOLUTION,
        RESOLVED,
        RESOLVED_ON_TIME,
        RESOLVED_LATE,
        CASE_OPENED,
        CASE_OPEN,
        CASE_RESOLVED,
    ];
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl FactSource for Petition {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let ty = || Breakdown::new().with("type", self.kind.code());
        // Lần giải quyết only means something for complaints.
        let with_instance = |b: Breakdown| match self.kind {
            PetitionType::Complaint => b.with("instance", self.instance.code()),
            _ => b,
        };
        self.contribute(
            out,
            self.received_on,
            keys::RECEIVED,
            ty().with("channel", self.channel.code())
                .with("field", self.field.code()),
            1,
        );
        self.contribute(out, self.received_on, keys::OPEN, ty(), 1);
        if let Some(closed) = self.closed_on() {
            self.contribute(out, closed, keys::OPEN, ty(), -1);
        }
        if let (Some(on), Some(e)) = (self.classified_on, self.eligibility) {
            match e {
                Eligibility::Eligible => self.contribute(out, on, keys::ELIGIBLE, ty(), 1),
                Eligibility::Ineligible(r) => {
                    self.contribute(out, on, keys::INELIGIBLE, ty().with("reason", r.code()), 1)
                }
            }
        }
        if let (Some(on), Some(h)) = (self.handled_on, self.handling) {
            self.contribute(out, on, keys::HANDLED, ty().with("handling", h.code()), 1);
            if h == Handling::Accepted {
                let flags = ty()
                    .with("complex", yes(self.complex))
                    .with("remote", yes(self.remote));
                self.contribute(out, on, keys::ACCEPTED, with_instance(flags), 1);
                self.contribute(out, on, keys::IN_RESOLUTION, ty(), 1);
                if let (Some(r), Some(o)) = (self.resolved_on, self.outcome) {
                    self.contribute(out, r, keys::IN_RESOLUTION, ty(), -1);
                    let b = with_instance(ty().with("outcome", o.code()));
                    self.contribute(out, r, keys::RESOLVED, b, 1);
                    if let Some(d) = self.deadline {
                        let key = if r <= d {
                            keys::RESOLVED_ON_TIME
                        } else {
                            keys::RESOLVED_LATE
                        };
                        self.contribute(out, r, key, ty(), 1);
                    }
                }
            }
        }
    }
}

/// A case (vụ việc): several petitions about one matter, with the flags
/// reports single out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub unit_id: i64,
    pub opened_on: NaiveDate,
    pub title: String,
    /// Phức tạp.
    pub complex: bool,
    /// Đông người.
    pub crowd: bool,
    /// Kéo dài.
    pub prolonged: bool,
    pub resolved_on: Option<NaiveDate>,
}

impl Case {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(
                DomainError::new("case.invalid", "vụ việc phải có tên (nội dung tóm tắt)")
                    .at_field("title"),
            );
        }
        if let Some(r) = self.resolved_on
            && r < self.opened_on
        {
            return Err(DomainError::new(
                "case.date_order",
                format!(
                    "ngày giải quyết vụ việc ({}) trước ngày phát sinh ({})",
                    dmy(r),
                    dmy(self.opened_on)
                ),
            )
            .at_field("resolved_on"));
        }
        Ok(())
    }

    pub fn flagged(&self) -> bool {
        self.complex || self.crowd || self.prolonged
    }

    fn breakdown(&self) -> String {
        Breakdown::new()
            .with("complex", yes(self.complex))
            .with("crowd", yes(self.crowd))
            .with("prolonged", yes(self.prolonged))
            .with("flagged", yes(self.flagged()))
            .build()
    }
}

impl FactSource for Case {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = self.breakdown();
        let mut push = |date, key, value| {
            out.push(Contribution {
                unit_id: self.unit_id,
                date,
                key,
                breakdown: b.clone(),
                value,
            })
        };
        push(self.opened_on, keys::CASE_OPENED, 1);
        push(self.opened_on, keys::CASE_OPEN, 1);
        if let Some(r) = self.resolved_on {
            push(r, keys::CASE_OPEN, -1);
            push(r, keys::CASE_RESOLVED, 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn new() -> Petition {
        Petition::received(
            1,
            d(2024, 3, 1),
            PetitionChannel::Post,
            PetitionType::Complaint,
            PetitionField::Land,
        )
    }

    fn classify(on: NaiveDate) -> Event {
        Event::Classify {
            on,
            eligibility: Eligibility::Eligible,
        }
    }

    fn accept(on: NaiveDate) -> Event {
        Event::Handle {
            on,
            handling: Handling::Accepted,
            complex: false,
            remote: false,
        }
    }

    #[test]
    fn full_lifecycle() {
        let p = new();
        assert_eq!(p.status(), PetitionStatus::Received);
        let p = p.apply(&classify(d(2024, 3, 4))).unwrap();
        assert_eq!(p.status(), PetitionStatus::Eligible);
        let p = p.apply(&accept(d(2024, 3, 8))).unwrap();
        assert_eq!(p.status(), PetitionStatus::InResolution);
        let p = p
            .apply(&Event::Resolve {
                on: d(2024, 4, 2),
                outcome: Outcome::PartlyRight,
            })
            .unwrap();
        assert_eq!(p.status(), PetitionStatus::Resolved);
        assert_eq!(p.closed_on(), Some(d(2024, 4, 2)));
        p.validate().unwrap();
        assert_eq!(p.events().unwrap().len(), 3);
    }

    #[test]
    fn illegal_transitions_are_refused_in_vietnamese() {
        let p = new();
        let e = p
            .apply(&Event::Resolve {
                on: d(2024, 3, 5),
                outcome: Outcome::Right,
            })
            .unwrap_err();
        assert_eq!(e.code, "petition.illegal_transition");
        assert_eq!(
            e.message,
            "không thể ghi nhận giải quyết xong đơn đang ở trạng thái «mới tiếp nhận»: \
             đơn phải được phân loại trước"
        );
        let p = p
            .apply(&Event::Classify {
                on: d(2024, 3, 2),
                eligibility: Eligibility::Ineligible(IneligibleReason::Anonymous),
            })
            .unwrap();
        let e = p.apply(&accept(d(2024, 3, 3))).unwrap_err();
        assert!(e.message.contains("chỉ được lưu đơn"), "{e}");
        let p = p
            .apply(&Event::Handle {
                on: d(2024, 3, 3),
                handling: Handling::Archived,
                complex: false,
                remote: false,
            })
            .unwrap();
        let e = p.apply(&classify(d(2024, 3, 5))).unwrap_err();
        assert!(e.message.contains("«đã lưu đơn»"), "{e}");
    }

    #[test]
    fn dates_must_follow_each_other() {
        let e = new().apply(&classify(d(2024, 2, 28))).unwrap_err();
        assert_eq!(
            e.message,
            "ngày phân loại (28/02/2024) trước ngày nhận đơn 01/03/2024 của đơn"
        );
    }

    #[test]
    fn only_denunciations_are_extended() {
        let p = new()
            .apply(&classify(d(2024, 3, 2)))
            .unwrap()
            .apply(&accept(d(2024, 3, 3)))
            .unwrap();
        let e = p
            .apply(&Event::Extend(Extension {
                decided_on: d(2024, 3, 20),
                days: 30,
                decision_no: "1/QĐ".into(),
            }))
            .unwrap_err();
        assert!(e.message.contains("chỉ đơn tố cáo được gia hạn"), "{e}");
    }

    #[test]
    fn validate_catches_half_recorded_steps() {
        let mut p = new();
        p.handled_on = Some(d(2024, 3, 5));
        assert_eq!(p.validate().unwrap_err().code, "petition.incomplete");
        let mut p = new();
        p.classified_on = Some(d(2024, 3, 2));
        p.eligibility = Some(Eligibility::Eligible);
        p.resolved_on = Some(d(2024, 3, 9));
        p.outcome = Some(Outcome::Right);
        assert_eq!(
            p.validate().unwrap_err().code,
            "petition.illegal_transition"
        );
    }

    #[test]
    fn second_instance_is_for_complaints_only() {
        let second = Petition {
            instance: Instance::Second,
            ..new()
        };
        second.validate().unwrap();
        assert_eq!(
            second.resolution_procedure(),
            Some(Procedure::ComplaintSecondInstance)
        );
        assert_eq!(
            new().resolution_procedure(),
            Some(Procedure::ComplaintFirstInstance)
        );
        let e = Petition {
            kind: PetitionType::Denunciation,
            ..second
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.code, "petition.instance");
        assert_eq!(
            e.to_string(),
            "Trường «instance»: chỉ đơn khiếu nại mới được giải quyết lần hai; \
             đơn tố cáo chỉ giải quyết lần đầu"
        );
    }

    #[test]
    fn instance_reads_as_a_number_or_a_label() {
        assert_eq!(Instance::parse("2").unwrap(), Instance::Second);
        assert_eq!(Instance::parse("Lần hai").unwrap(), Instance::Second);
        assert_eq!(Instance::parse("lan dau").unwrap(), Instance::First);
        assert!(Instance::parse("3").unwrap_err().message.contains("«3»"));
        let json = serde_json::to_value(Petition {
            instance: Instance::Second,
            ..new()
        })
        .unwrap();
        assert_eq!(json["instance"], 2);
        let mut json = json;
        json.as_object_mut().unwrap().remove("instance");
        let back: Petition = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(back.instance, Instance::First);
        json["instance"] = 3.into();
        assert!(serde_json::from_value::<Petition>(json).is_err());
    }

    #[test]
    fn complaints_break_accepted_and_resolved_down_by_instance() {
        let life = |p: Petition| {
            let p = p
                .apply(&classify(d(2024, 3, 4)))
                .unwrap()
                .apply(&accept(d(2024, 3, 8)))
                .unwrap()
                .apply(&Event::Resolve {
                    on: d(2024, 4, 2),
                    outcome: Outcome::Right,
                })
                .unwrap();
            let mut out = Vec::new();
            p.contributions(&mut out);
            out.into_iter()
                .filter(|c| c.key == keys::ACCEPTED || c.key == keys::RESOLVED)
                .map(|c| c.breakdown)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            life(Petition {
                instance: Instance::Second,
                ..new()
            }),
            vec![
                "complex=no;instance=2;remote=no;type=complaint",
                "instance=2;outcome=right;type=complaint"
            ]
        );
        assert_eq!(life(new())[1], "instance=1;outcome=right;type=complaint");
        assert_eq!(
            life(Petition {
                kind: PetitionType::Denunciation,
                ..new()
            }),
            vec![
                "complex=no;remote=no;type=denunciation",
                "outcome=right;type=denunciation"
            ]
        );
    }

    #[test]
    fn each_event_contributes_on_its_own_date() {
        let mut p = new()
            .apply(&classify(d(2024, 3, 4)))
            .unwrap()
            .apply(&accept(d(2024, 3, 8)))
            .unwrap()
            .apply(&Event::Resolve {
                on: d(2024, 7, 2),
                outcome: Outcome::Right,
            })
            .unwrap();
        p.deadline = Some(d(2024, 4, 8));
        let mut out = Vec::new();
        p.contributions(&mut out);
        let got: Vec<(&str, NaiveDate, i64)> =
            out.iter().map(|c| (c.key, c.date, c.value)).collect();
        assert_eq!(
            got,
            vec![
                (keys::RECEIVED, d(2024, 3, 1), 1),
                (keys::OPEN, d(2024, 3, 1), 1),
                (keys::OPEN, d(2024, 7, 2), -1),
                (keys::ELIGIBLE, d(2024, 3, 4), 1),
                (keys::HANDLED, d(2024, 3, 8), 1),
                (keys::ACCEPTED, d(2024, 3, 8), 1),
                (keys::IN_RESOLUTION, d(2024, 3, 8), 1),
                (keys::IN_RESOLUTION, d(2024, 7, 2), -1),
                (keys::RESOLVED, d(2024, 7, 2), 1),
                (keys::RESOLVED_LATE, d(2024, 7, 2), 1),
            ]
        );
    }
}
