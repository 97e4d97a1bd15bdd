//! Records the tests write: one plain record of each kind, in March 2024,
//! at the unit a test names. Tests change the field they are about.

use chrono::NaiveDate;
use danvan_core::records::dataset::{Aggregation, DataElement, DataSet, ValueType};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_store::{Actor, Store, datasets};

/// A day of 2024, the year of the seed records.
pub fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).expect("a day of 2024")
}

/// Someone acting: user `id` named `name`, with no role of an account.
pub fn actor(id: i64, name: &str) -> Actor {
    Actor {
        user_id: Some(id),
        name: name.into(),
        role: None,
    }
}

/// `store` limited to `unit`'s subtree, acting as an official of it
/// (user 7).
pub async fn official_of(store: &Store, unit: i64) -> Store {
    store
        .acting_as(actor(7, "Lê Văn Cán bộ"))
        .within(unit)
        .await
        .expect("a store within the unit")
}

/// A petition of type `kind` received on 4 March, its sender named.
pub fn petition(unit: i64, kind: PetitionType) -> Petition {
    Petition {
        sender: Sender {
            name: "Ka Điểu".into(),
            address: "Thôn 2".into(),
            phone: String::new(),
        },
        summary: "Tranh chấp đất rẫy".into(),
        ..Petition::received(
            unit,
            day(3, 4),
            PetitionChannel::ALL[0],
            kind,
            PetitionField::ALL[0],
        )
    }
}

/// A reception of `turns` turns (and as many persons) on 5 March, with
/// the official who received them.
pub fn reception(unit: i64, turns: i64) -> Reception {
    Reception {
        official: "Nguyễn Văn A".into(),
        position: "Chủ tịch UBND".into(),
        content: ReceptionContent::ALL[0],
        outcome: ReceptionOutcome::ALL[0],
        ..counted(unit, day(3, 5), ReceptionKind::ALL[0], turns, turns)
    }
}

/// A reception that is only counted: `turns` turns of `persons` persons
/// on `on`, about a complaint, the citizens guided; no delegation.
pub fn counted(
    unit: i64,
    on: NaiveDate,
    kind: ReceptionKind,
    turns: i64,
    persons: i64,
) -> Reception {
    Reception {
        unit_id: unit,
        received_on: on,
        official: String::new(),
        position: String::new(),
        note: String::new(),
        petition_id: None,
        kind,
        content: ReceptionContent::Complaint,
        outcome: ReceptionOutcome::Guided,
        turns,
        persons,
        delegations: 0,
        delegation_persons: 0,
    }
}

/// A mediation case received on 6 March.
pub fn mediation(unit: i64) -> MediationCase {
    MediationCase {
        unit_id: unit,
        received_on: day(3, 6),
        team: "Tổ hòa giải thôn 1".into(),
        field: MediationField::ALL[0],
        result: MediationResult::ALL[0],
        summary: "Ranh giới đất".into(),
    }
}

/// A meeting held on 7 March with one opinion pending.
pub fn meeting(unit: i64) -> Meeting {
    Meeting {
        unit_id: unit,
        kind: MeetingKind::ALL[0],
        held_on: day(3, 7),
        chair: "Chủ tịch UBND".into(),
        deputies: "Đại biểu HĐND".into(),
        participants: 40,
        subject: "Đường liên thôn".into(),
        opinions: vec![Opinion {
            content: "Làm đường".into(),
            follow_up: FollowUp::Pending,
        }],
    }
}

/// A model with its 2024 year.
pub fn model(unit: i64) -> (Model, Vec<ModelYear>) {
    (
        Model {
            unit_id: unit,
            name: "Dân vận khéo trồng cà phê".into(),
            level: ModelLevel::ALL[0],
            field: ModelField::ALL[0],
        },
        vec![model_year(ModelStatus::ALL[0])],
    )
}

/// A model's 2024, recorded on 8 March.
pub fn model_year(status: ModelStatus) -> ModelYear {
    ModelYear {
        year: 2024,
        recorded_on: day(3, 8),
        status,
        recognised: false,
        award: String::new(),
    }
}

/// An oversight held on 9 March.
pub fn oversight(unit: i64) -> Oversight {
    Oversight {
        unit_id: unit,
        organisation: Organisation::ALL[0],
        kind: OversightKind::ALL[0],
        held_on: day(3, 9),
        subject: "Chi trả bồi thường".into(),
        targets: "UBND xã".into(),
        recommendations: 2,
    }
}

/// A case (vụ việc) opened on 1 March, none of its marks set.
pub fn case(unit: i64) -> Case {
    Case {
        unit_id: unit,
        opened_on: day(3, 1),
        title: "Tranh chấp đất rẫy thôn 2".into(),
        complex: false,
        crowd: false,
        prolonged: false,
        resolved_on: None,
    }
}

/// An element of entered data counted in whole numbers and summed up the
/// tree: `code`, what it counts (`label`) and in what (`measure`).
pub fn counted_element(code: &str, label: &str, measure: &str) -> DataElement {
    DataElement {
        code: code.into(),
        label: label.into(),
        measure: measure.into(),
        options: Vec::new(),
        value_type: ValueType::Integer,
        scale: 0,
        aggregation: Aggregation::Sum,
    }
}

/// Define `elements`, then `set` of them.
pub async fn define_data(store: &Store, elements: &[DataElement], set: &DataSet) {
    for e in elements {
        datasets::define_element(store, e)
            .await
            .unwrap_or_else(|err| panic!("element {}: {err}", e.code));
    }
    datasets::define_set(store, set)
        .await
        .unwrap_or_else(|err| panic!("set {}: {err}", set.code));
}

/// The date of a petition's last step: a next step dated before it must
/// be refused.
pub fn last_step(p: &Petition) -> NaiveDate {
    [p.received_on]
        .into_iter()
        .chain(p.classified_on)
        .chain(p.handled_on)
        .chain(p.extensions.iter().map(|e| e.decided_on))
        .max()
        .expect("a petition is received")
}

/// The step that classifies a petition eligible on `on`.
pub fn eligible(on: NaiveDate) -> Event {
    Event::Classify {
        on,
        eligibility: Eligibility::Eligible,
    }
}
