//! Tests of the lifecycle, validation and facts of a petition.

use super::*;
use crate::calendar::deadline::{Extension, Procedure};
use crate::fact::FactSource;

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
    let got: Vec<(&str, NaiveDate, i64)> = out.iter().map(|c| (c.key, c.date, c.value)).collect();
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
