//! Records of every kind built from random seeds, each good or made bad
//! on purpose (out of bounds, or otherwise refused by its validation).

use chrono::{Datelike, Duration, NaiveDate};
use danvan_core::bounds::{MAX_COUNT, MAX_VALUE};
use danvan_core::calendar::deadline::Extension;
use danvan_core::records::consultation::{Consultation, ConsultationSubject};
use danvan_core::records::dataset::{DataValue, PeriodType};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType,
};
use danvan_core::records::rating::{RatedService, Rating, Satisfaction};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};

use super::{Bad, SETS, Seed, World};

pub fn pick<T: Copy>(all: &[T], i: usize) -> T {
    all[i % all.len()]
}

pub fn reception_of(s: &Seed, (unit_id, received_on): (i64, NaiveDate), bad: bool) -> Reception {
    let turns = if bad { MAX_COUNT + 1 } else { 1 + s.n % 5 };
    Reception {
        unit_id,
        received_on,
        official: String::new(),
        position: String::new(),
        kind: pick(ReceptionKind::ALL, s.a),
        content: pick(ReceptionContent::ALL, s.b),
        outcome: pick(ReceptionOutcome::ALL, s.a + s.b),
        turns,
        persons: turns + (s.b % 3) as i64,
        delegations: i64::from(s.flag),
        delegation_persons: if s.flag { turns } else { 0 },
        petition_id: None,
        note: String::new(),
    }
}

pub fn outcome_for(kind: PetitionType, i: usize) -> Outcome {
    if kind == PetitionType::Recommendation {
        Outcome::Settled
    } else {
        pick(&[Outcome::Right, Outcome::Wrong, Outcome::PartlyRight], i)
    }
}

/// A petition walked through its lifecycle as far as the seed says; a bad
/// one has its resolution before its receipt, or a step without its date.
pub fn petition_of(s: &Seed, (unit_id, on): (i64, NaiveDate), bad: bool) -> Petition {
    let kind = pick(PetitionType::ALL, s.a);
    let mut p = Petition::received(
        unit_id,
        on,
        pick(PetitionChannel::ALL, s.b),
        kind,
        pick(PetitionField::ALL, s.a + s.b),
    );
    let steps = s.b % 4;
    let gap = 1 + s.n % 30;
    if steps >= 1 {
        let eligibility = if s.flag {
            Eligibility::Eligible
        } else {
            Eligibility::Ineligible(pick(IneligibleReason::ALL, s.a))
        };
        let on = p.received_on + Duration::days(gap);
        p = p.apply(&Event::Classify { on, eligibility }).unwrap();
    }
    if steps >= 2 {
        let handling = if s.flag {
            pick(Handling::ALL, s.a)
        } else {
            Handling::Archived
        };
        let on = p.classified_on.unwrap() + Duration::days(gap);
        let accepted = handling == Handling::Accepted;
        let event = Event::Handle {
            on,
            handling,
            complex: accepted && s.n % 2 == 0,
            remote: accepted && s.n % 3 == 0,
        };
        p = p.apply(&event).unwrap();
    }
    if steps >= 3 && p.handling == Some(Handling::Accepted) {
        let on = p.handled_on.unwrap() + Duration::days(2 * gap);
        let outcome = outcome_for(kind, s.a);
        p = p.apply(&Event::Resolve { on, outcome }).unwrap();
    }
    if bad {
        if p.resolved_on.is_some() {
            p.resolved_on = Some(p.received_on - Duration::days(1));
        } else {
            p.classified_on = None;
            p.eligibility = Some(Eligibility::Eligible);
        }
    }
    p
}

/// A next step for a stored petition, legal or not; a bad one is dated
/// before the petition's last step.
pub fn event_for(p: &Petition, s: &Seed, bad: bool) -> Event {
    let last = danvan_testkit::seed::last_step(p);
    let on = if bad {
        last - Duration::days(3)
    } else {
        last + Duration::days(s.n % 20)
    };
    match s.a % 4 {
        0 => Event::Classify {
            on,
            eligibility: if s.flag {
                Eligibility::Eligible
            } else {
                Eligibility::Ineligible(pick(IneligibleReason::ALL, s.b))
            },
        },
        1 => Event::Handle {
            on,
            handling: pick(Handling::ALL, s.b),
            complex: false,
            remote: false,
        },
        2 => Event::Extend(Extension {
            decided_on: on,
            days: 10 + s.b as u32,
            decision_no: format!("{}/QĐ", s.n),
        }),
        _ => Event::Resolve {
            on,
            outcome: outcome_for(p.kind, s.b),
        },
    }
}

pub fn case_of(s: &Seed, (unit_id, opened_on): (i64, NaiveDate), bad: bool) -> Case {
    let resolved_on = if bad {
        Some(opened_on - Duration::days(10))
    } else {
        (!s.a.is_multiple_of(3)).then(|| opened_on + Duration::days(s.n))
    };
    Case {
        unit_id,
        opened_on,
        title: format!("Vụ việc {}", s.day),
        complex: s.flag,
        crowd: s.a.is_multiple_of(2),
        prolonged: s.b.is_multiple_of(3),
        resolved_on,
    }
}

/// One row of a one-stop export; a bad one falls due before it is received.
pub fn dossier_row(s: &Seed, code: usize, unit: &str, received: NaiveDate, bad: bool) -> String {
    let due = if bad {
        received - Duration::days(3)
    } else {
        received + Duration::days(5 + s.n % 20)
    };
    let mut ends = [String::new(), String::new(), String::new()];
    let end = |d: NaiveDate| d.max(received).to_string();
    match (s.b.is_multiple_of(4), s.a % 5) {
        (true, _) => {}
        (_, 0) => ends[0] = end(due - Duration::days(2)),
        (_, 1) => ends[0] = end(due),
        (_, 2) => ends[0] = end(due + Duration::days(4)),
        (_, 3) => ends[1] = end(received + Duration::days(1)),
        _ => ends[2] = end(received + Duration::days(2)),
    }
    format!(
        "{code},HS-{code:02},1.00{},Thủ tục {},{unit},{},{},{received},{due},{},{},{}\n",
        s.a % 4,
        s.a % 4,
        pick(&["Trực tiếp", "Trực tuyến", "Bưu chính"], s.b),
        if s.flag { "x" } else { "" },
        ends[0],
        ends[1],
        ends[2],
    )
}

pub fn mediation_of(
    s: &Seed,
    (unit_id, received_on): (i64, NaiveDate),
    bad: bool,
) -> MediationCase {
    MediationCase {
        unit_id,
        team: if bad {
            " ".into()
        } else {
            format!("Tổ hòa giải thôn {}", s.a)
        },
        received_on,
        field: pick(MediationField::ALL, s.a),
        result: pick(MediationResult::ALL, s.b),
        summary: String::new(),
    }
}

pub fn meeting_of(s: &Seed, (unit_id, held_on): (i64, NaiveDate), bad: bool) -> Meeting {
    Meeting {
        unit_id,
        kind: if s.flag {
            MeetingKind::Dialogue
        } else {
            MeetingKind::VoterContact
        },
        held_on,
        chair: "Chủ tịch UBND xã".into(),
        deputies: "Đại biểu HĐND huyện".into(),
        participants: if bad { 0 } else { 10 + s.n },
        subject: String::new(),
        opinions: (0..s.b % 5)
            .map(|i| Opinion {
                content: format!("Ý kiến {i}"),
                follow_up: pick(FollowUp::ALL, s.a + i),
            })
            .collect(),
    }
}

/// A model's entry for the year of `recorded_on`; a bad one is recorded
/// outside its year.
pub fn model_year_of(s: &Seed, recorded_on: NaiveDate, bad: bool) -> ModelYear {
    ModelYear {
        year: recorded_on.year() + i32::from(bad),
        recorded_on,
        status: pick(ModelStatus::ALL, s.a),
        recognised: s.flag,
        award: if s.b.is_multiple_of(3) {
            "Bằng khen UBND tỉnh".into()
        } else {
            String::new()
        },
    }
}

pub fn model_of(
    s: &Seed,
    (unit_id, on): (i64, NaiveDate),
    bad: bool,
    latest: NaiveDate,
) -> (Model, Vec<ModelYear>) {
    let mut years = vec![model_year_of(s, on, bad)];
    for j in 1..=(s.b % 3) as i32 {
        let d = NaiveDate::from_ymd_opt(on.year() + j, 3, 1 + s.a as u32).unwrap();
        if d <= latest {
            years.push(model_year_of(s, d, false));
        }
    }
    let model = Model {
        unit_id,
        name: format!("Dân vận khéo {}", s.day),
        level: pick(ModelLevel::ALL, s.a),
        field: pick(ModelField::ALL, s.b),
    };
    (model, years)
}

pub fn oversight_of(s: &Seed, (unit_id, held_on): (i64, NaiveDate), bad: bool) -> Oversight {
    Oversight {
        unit_id,
        organisation: pick(Organisation::ALL, s.a),
        kind: pick(OversightKind::ALL, s.b),
        held_on,
        subject: "Giám sát việc giải quyết đơn thư".into(),
        targets: String::new(),
        recommendations: if bad { -1 } else { s.n % 7 },
    }
}

/// A rating; a bad one carries a comment past the longest kept. Ratings
/// of a reception carry no reference, so any number may be stored.
pub fn rating_of(s: &Seed, (unit_id, rated_on): (i64, NaiveDate), bad: bool) -> Rating {
    Rating {
        unit_id,
        service: RatedService::Reception,
        level: pick(Satisfaction::ALL, s.a),
        rated_on,
        subject: String::new(),
        comment: if bad {
            "x".repeat(danvan_core::records::rating::COMMENT_MAX + 1)
        } else {
            format!("ý kiến {}", s.n)
        },
    }
}

/// A consultation over a month from its day; a bad one has no question.
pub fn consultation_of(s: &Seed, (unit_id, opens_on): (i64, NaiveDate), bad: bool) -> Consultation {
    Consultation {
        unit_id,
        subject: pick(ConsultationSubject::ALL, s.a),
        title: format!("Dự thảo kế hoạch {}", s.day),
        summary: String::new(),
        documents: String::new(),
        question: if bad {
            " ".into()
        } else {
            "Có đồng ý?".into()
        },
        more_questions: (0..s.n % 3).map(|k| format!("Câu hỏi thêm {k}?")).collect(),
        opens_on,
        closes_on: opens_on + chrono::Duration::days(30),
        forms_issued: s.n % 50,
    }
}

pub fn directive_of(s: &Seed, (unit_id, issued_on): (i64, NaiveDate), bad: bool) -> Directive {
    Directive {
        unit_id,
        number: DocumentNumber::parse(&format!("{}/KH-UBND", 1 + s.n % 20)).unwrap(),
        issued_on,
        issuer: "UBND".into(),
        title: if bad {
            "  ".into()
        } else {
            "Kế hoạch dân vận".into()
        },
    }
}

pub fn period_of(t: PeriodType, d: NaiveDate) -> String {
    match t {
        PeriodType::Month => format!("{}-{:02}", d.year(), d.month()),
        PeriodType::Quarter => format!("{}-Q{}", d.year(), d.month0() / 3 + 1),
        PeriodType::Half => format!("{}-H{}", d.year(), d.month0() / 6 + 1),
        PeriodType::Year => d.year().to_string(),
    }
}

/// A value of one of [`SETS`]; a bad one is out of bounds or has an
/// option its element does not know.
pub fn data_value_of(w: &World, s: &Seed, bad: Option<Bad>) -> (&'static str, DataValue) {
    let (set, period_type, elements) = SETS[s.a % SETS.len()];
    let (element, _, options) = elements[s.b % elements.len()];
    let (unit_id, mut d) = w.place(s, bad);
    // A year period starts on 1 January: a good value of a new unit is
    // entered for the year after its creation.
    if bad.is_none()
        && let Some(f) = w.unit(unit_id).valid_from
        && period_type == PeriodType::Year
        && d.year() <= f.year()
    {
        d = NaiveDate::from_ymd_opt(f.year() + 1, 1, 1).unwrap();
    }
    let mut option = if options.is_empty() {
        String::new()
    } else {
        pick(options, s.n as usize).to_string()
    };
    let mut value = (s.n % 10) * 7;
    if bad == Some(Bad::Value) {
        if s.flag {
            value = MAX_VALUE + 1;
        } else {
            option = "khong_co".into();
        }
    }
    let v = DataValue {
        unit_id,
        element: element.into(),
        period: period_of(period_type, d),
        option,
        value,
    };
    (set, v)
}
