//! A generated data set with records of every kind of the registry at
//! every unit of a three-level tree (tỉnh → huyện, thành phố → xã,
//! phường, thị trấn) and of a two-level tree (tỉnh → xã, phường: after 1
//! July 2025), dated so that a half-year, a calendar year, a cut-off year
//! and several years each hold different records. Each unit's counts grow
//! with its own factor, so a unit's own body, each level below it and the
//! whole subtree have different figures.

use chrono::NaiveDate;
use danvan_core::records::consultation::Consultation;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue, ElementOption, PeriodType};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationCase, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::{
    Eligibility, Event, Handling, IneligibleReason, Outcome, Petition, PetitionType,
};
use danvan_core::records::rating::{RatedService, Rating, Satisfaction};
use danvan_core::records::reception::{Reception, ReceptionKind, ReceptionOutcome};
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::units::{self, Unit};
use danvan_store::{
    Store, cases, consultations, datasets, directives, mediation, meetings, models, oversight,
    petitions, ratings, reception, unit_import,
};
use danvan_testkit::seed;

/// Both trees, each unit with its factor (the last column is not read
/// by the import: see [`FACTORS`]).
pub const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Đủ,tỉnh,,,,
H1,Đủ Một,huyện,P,,,
X11,Đủ Một Một,xã,H1,,,
X12,Đủ Một Hai,thị trấn,H1,,,
H2,Đủ Hai,thành phố,P,,,
X21,Đủ Hai Một,phường,H2,,,
X22,Đủ Hai Hai,xã,H2,,,
Q,Gọn,tỉnh,,,,
Q1,Gọn Một,xã,Q,,,
Q2,Gọn Hai,phường,Q,,,
";

/// Each unit's factor: its counts are multiples of it.
pub const FACTORS: [(&str, i64); 10] = [
    ("P", 1),
    ("H1", 2),
    ("X11", 3),
    ("X12", 4),
    ("H2", 5),
    ("X21", 6),
    ("X22", 7),
    ("Q", 8),
    ("Q1", 9),
    ("Q2", 11),
];

/// The periods reports are checked for: (code, cut-off rule).
pub const PERIODS: [(&str, bool); 4] = [
    ("2020-H1", false),
    ("2020", false),
    ("2020", true),
    ("2019..2021", false),
];

pub fn on(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

/// The units of the data set, in [`FACTORS`]' order.
pub async fn build(store: &Store) -> Vec<Unit> {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let elements = define_inspections(store).await;
    let mut out = Vec::new();
    for (code, k) in FACTORS {
        let u = units::find(store, code, None).await.unwrap();
        record(store, &u, k, &elements).await;
        out.push(u);
    }
    out
}

async fn record(store: &Store, u: &Unit, k: i64, elements: &[DataElement]) {
    receptions(store, u, k).await;
    petitions::insert_many(store, &petition_set(u, k))
        .await
        .unwrap();
    cases_of(store, u, k).await;
    dossiers(store, u, k).await;
    let mut cs = vec![
        MediationCase {
            received_on: on(2020, 3, 6),
            result: MediationResult::Success,
            ..seed::mediation(u.id)
        };
        k as usize
    ];
    cs.push(MediationCase {
        received_on: on(2020, 9, 6),
        result: MediationResult::Failure,
        ..seed::mediation(u.id)
    });
    mediation::insert_many(store, &cs).await.unwrap();
    meetings::insert_many(store, &meeting_set(u, k))
        .await
        .unwrap();
    models::insert_many(store, &model_set(u, k)).await.unwrap();
    inspections(store, u, k, elements).await;
    oversight::insert_many(store, &oversight_set(u, k))
        .await
        .unwrap();
    directives::insert_many(
        store,
        &[Directive {
            unit_id: u.id,
            number: DocumentNumber::parse(&format!("{k}/KH-UBND")).unwrap(),
            issued_on: on(2020, 3, 9),
            issuer: format!("UBND {}", u.full_name()),
            title: "Kế hoạch công tác dân vận chính quyền".into(),
        }],
    )
    .await
    .unwrap();
    ratings::insert_many(store, &rating_set(u, k))
        .await
        .unwrap();
    consultation(store, u, k).await;
}

/// Regular turns in March, periodic ones in September (outside the first
/// half), unscheduled ones on 20 December 2019 (in the cut-off year only).
async fn receptions(store: &Store, u: &Unit, k: i64) {
    let one = |day: NaiveDate, kind, outcome, turns: i64, persons: i64| Reception {
        outcome,
        ..seed::counted(u.id, day, kind, turns, persons)
    };
    let mut periodic = one(
        on(2020, 9, 5),
        ReceptionKind::Periodic,
        ReceptionOutcome::Explained,
        k,
        3 * k,
    );
    periodic.delegations = 1;
    periodic.delegation_persons = 2 * k;
    reception::insert_many(
        store,
        &[
            one(
                on(2020, 3, 5),
                ReceptionKind::Regular,
                ReceptionOutcome::Guided,
                2 * k,
                2 * k + 1,
            ),
            periodic,
            one(
                on(2019, 12, 20),
                ReceptionKind::Unscheduled,
                ReceptionOutcome::PetitionReceived,
                k,
                k,
            ),
        ],
    )
    .await
    .unwrap();
}

/// A petition of `kind` received on `day` and taken through `events`.
fn taken(u: &Unit, kind: PetitionType, day: NaiveDate, events: &[Event]) -> Petition {
    let mut p = seed::petition(u.id, kind);
    p.received_on = day;
    for e in events {
        p = p.apply(e).unwrap();
    }
    p
}

fn accepted(on: NaiveDate) -> Event {
    Event::Handle {
        on,
        handling: Handling::Accepted,
        complex: false,
        remote: false,
    }
}

fn handled(on: NaiveDate, handling: Handling) -> Event {
    Event::Handle {
        on,
        handling,
        complex: false,
        remote: false,
    }
}

fn resolved(on: NaiveDate) -> Event {
    Event::Resolve {
        on,
        outcome: Outcome::Right,
    }
}

/// Complaints carried over from 2019 and resolved late, `k` complaints
/// resolved on time, a denunciation still in resolution, petitions
/// transferred, urged and returned, and one filed away for each reason.
fn petition_set(u: &Unit, k: i64) -> Vec<Petition> {
    use PetitionType as T;
    let mut out = vec![taken(
        u,
        T::Complaint,
        on(2019, 11, 4),
        &[
            seed::eligible(on(2019, 11, 5)),
            accepted(on(2019, 11, 6)),
            resolved(on(2020, 2, 20)),
        ],
    )];
    for _ in 0..k {
        out.push(taken(
            u,
            T::Complaint,
            on(2020, 3, 4),
            &[
                seed::eligible(on(2020, 3, 5)),
                accepted(on(2020, 3, 6)),
                resolved(on(2020, 3, 20)),
            ],
        ));
    }
    out.push(taken(
        u,
        T::Denunciation,
        on(2020, 4, 1),
        &[seed::eligible(on(2020, 4, 2)), accepted(on(2020, 4, 3))],
    ));
    for h in [Handling::Transferred, Handling::Urged, Handling::Returned] {
        out.push(taken(
            u,
            T::Recommendation,
            on(2020, 5, 4),
            &[seed::eligible(on(2020, 5, 5)), handled(on(2020, 5, 6), h)],
        ));
    }
    for reason in IneligibleReason::ALL {
        out.push(taken(
            u,
            T::Recommendation,
            on(2020, 2, 3),
            &[
                Event::Classify {
                    on: on(2020, 2, 4),
                    eligibility: Eligibility::Ineligible(*reason),
                },
                handled(on(2020, 2, 5), Handling::Archived),
            ],
        ));
    }
    out
}

/// A crowd case from 2019 resolved in April 2020, and `k` complex ones
/// opened in February 2020, still open.
async fn cases_of(store: &Store, u: &Unit, k: i64) {
    let mut old = seed::case(u.id);
    old.opened_on = on(2019, 6, 1);
    old.crowd = true;
    old.resolved_on = Some(on(2020, 4, 1));
    let mut all = vec![old];
    for _ in 0..k {
        let mut c = seed::case(u.id);
        c.opened_on = on(2020, 2, 1);
        c.complex = true;
        all.push(c);
    }
    cases::insert_many(store, &all).await.unwrap();
}

/// `k` dossiers resolved early, one each on time (online), late (by
/// post), pending (inter-agency), returned and withdrawn, and one pending
/// since 2019.
async fn dossiers(store: &Store, u: &Unit, k: i64) {
    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let mut n = 0;
    let mut row =
        |channel: &str, inter: bool, received: NaiveDate, ends: [Option<NaiveDate>; 3]| {
            n += 1;
            let due = received + chrono::Duration::days(10);
            let d = |x: Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "{n},HS-{}-{n},1.001,Chứng thực,{},{channel},{},{received},{due},{},{},{}\n",
                u.code,
                u.code,
                if inter { "x" } else { "" },
                d(ends[0]),
                d(ends[1]),
                d(ends[2]),
            ));
        };
    let march = on(2020, 3, 2);
    for _ in 0..k {
        row(
            "Trực tiếp",
            false,
            march,
            [Some(on(2020, 3, 5)), None, None],
        );
    }
    row(
        "Trực tuyến",
        false,
        march,
        [Some(on(2020, 3, 12)), None, None],
    );
    row(
        "Bưu chính",
        false,
        march,
        [Some(on(2020, 3, 20)), None, None],
    );
    row("Trực tiếp", true, on(2020, 10, 1), [None, None, None]);
    row(
        "Trực tiếp",
        false,
        march,
        [None, Some(on(2020, 3, 3)), None],
    );
    row(
        "Trực tuyến",
        false,
        march,
        [None, None, Some(on(2020, 3, 4))],
    );
    row("Trực tiếp", false, on(2019, 12, 1), [None, None, None]);
    import_csv(
        store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
}

/// Voter contacts (a few per unit), and a dialogue whose opinions meet
/// every follow-up.
fn meeting_set(u: &Unit, k: i64) -> Vec<Meeting> {
    let voter = Meeting {
        kind: MeetingKind::VoterContact,
        held_on: on(2020, 4, 20),
        participants: 10 * k,
        ..seed::meeting(u.id)
    };
    let mut out = vec![voter; (k % 3 + 1) as usize];
    out.push(Meeting {
        kind: MeetingKind::Dialogue,
        held_on: on(2020, 6, 2),
        participants: 5 * k,
        opinions: FollowUp::ALL
            .iter()
            .map(|f| Opinion {
                content: "Đường liên thôn".into(),
                follow_up: *f,
            })
            .collect(),
        ..seed::meeting(u.id)
    });
    out
}

/// A model of each status, in different fields, at the unit's level.
fn model_set(u: &Unit, k: i64) -> Vec<(Model, Vec<ModelYear>)> {
    let level = match u.depth {
        0 => ModelLevel::Province,
        1 => ModelLevel::District,
        _ => ModelLevel::Grassroots,
    };
    let fields = [
        (ModelStatus::New, ModelField::Economy),
        (ModelStatus::Replicated, ModelField::CultureSociety),
        (ModelStatus::Maintained, ModelField::DefenceSecurity),
        (ModelStatus::New, ModelField::PoliticalSystem),
    ];
    fields
        .iter()
        .take(if k % 2 == 0 { 4 } else { 3 })
        .enumerate()
        .map(|(i, (status, field))| {
            let (mut m, _) = seed::model(u.id);
            m.name = format!("Mô hình {} {i}", u.code);
            m.level = level;
            m.field = *field;
            let year = ModelYear {
                year: 2020,
                recorded_on: on(2020, 2, 10),
                recognised: i == 1,
                award: if i == 2 {
                    "Giấy khen".into()
                } else {
                    String::new()
                },
                ..seed::model_year(*status)
            };
            (m, vec![year])
        })
        .collect()
}

/// Activities of the Front and of one member organisation (by the
/// unit's factor), supervision and criticism.
fn oversight_set(u: &Unit, k: i64) -> Vec<Oversight> {
    let other = Organisation::ALL[1 + (k as usize) % (Organisation::ALL.len() - 1)];
    let one = |organisation, kind, recommendations| Oversight {
        organisation,
        kind,
        held_on: on(2020, 5, 2),
        recommendations,
        ..seed::oversight(u.id)
    };
    vec![
        one(Organisation::Front, OversightKind::Supervision, k),
        one(other, OversightKind::Criticism, 1),
    ]
}

/// `k` ratings of dossiers (very satisfied), one of a reception
/// (satisfied) and one of a petition's answer (not satisfied).
fn rating_set(u: &Unit, k: i64) -> Vec<Rating> {
    let one = |service, level, n: i64| Rating {
        unit_id: u.id,
        service,
        level,
        rated_on: on(2020, 3, 15),
        subject: format!("HS-{}-{n}", u.code),
        comment: String::new(),
    };
    let mut out: Vec<Rating> = (1..=k)
        .map(|n| one(RatedService::Dossier, Satisfaction::VerySatisfied, n))
        .collect();
    out.push(one(RatedService::Reception, Satisfaction::Satisfied, 0));
    out.push(one(RatedService::Petition, Satisfaction::NotSatisfied, 0));
    out.push(one(RatedService::Petition, Satisfaction::NotSatisfied, 1));
    out
}

/// A consultation in March 2020 with forms handed out and answered on
/// paper.
async fn consultation(store: &Store, u: &Unit, k: i64) {
    let c = Consultation {
        unit_id: u.id,
        subject: danvan_core::records::consultation::ConsultationSubject::ALL[0],
        title: format!("Dự thảo kế hoạch {}", u.code),
        summary: String::new(),
        documents: String::new(),
        question: "Ông, bà có đồng ý với dự thảo?".into(),
        more_questions: Vec::new(),
        opens_on: on(2020, 3, 1),
        closes_on: on(2020, 3, 31),
        forms_issued: 20 * k,
    };
    let id = consultations::insert_many(store, &[c]).await.unwrap()[0];
    consultations::add_paper(store, id, on(2020, 3, 10), [5 * k, 2, 1], &[])
        .await
        .unwrap();
}

async fn define_inspections(store: &Store) -> Vec<DataElement> {
    let element = |code: &str, label: &str, options: &[(&str, &str)]| DataElement {
        options: options
            .iter()
            .map(|(c, l)| ElementOption {
                code: c.to_string(),
                label: l.to_string(),
            })
            .collect(),
        ..seed::counted_element(code, label, "triệu đồng")
    };
    let elements = vec![
        element("inspections", "Số cuộc thanh tra, kiểm tra", &[]),
        element("violations_found", "Số tiền sai phạm phát hiện", &[]),
        element(
            "violations_handled",
            "Số tiền sai phạm đã xử lý",
            &[
                ("state_budget", "Thu hồi nộp ngân sách nhà nước"),
                ("unit", "Thu hồi về cho đơn vị"),
                ("other", "Xử lý khác"),
            ],
        ),
        element("fines", "Xử phạt vi phạm hành chính", &[]),
    ];
    let set = DataSet {
        code: "inspection".into(),
        name: "Kết quả thanh tra, kiểm tra".into(),
        period_type: PeriodType::Year,
        elements: elements.iter().map(|e| e.code.clone()).collect(),
    };
    seed::define_data(store, &elements, &set).await;
    elements
}

/// The unit's inspections of 2020: amounts found equal to those handled.
async fn inspections(store: &Store, u: &Unit, k: i64, elements: &[DataElement]) {
    let values: Vec<DataValue> = [
        ("inspections", "", k),
        ("violations_found", "", 10 * k),
        ("violations_handled", "state_budget", 5 * k),
        ("violations_handled", "unit", 3 * k),
        ("violations_handled", "other", 2 * k),
        ("fines", "", k + 1),
    ]
    .iter()
    .map(|(code, option, value)| {
        assert!(elements.iter().any(|e| e.code == *code));
        DataValue {
            unit_id: u.id,
            element: code.to_string(),
            period: "2020".into(),
            option: option.to_string(),
            value: *value,
        }
    })
    .collect();
    datasets::enter(store, "inspection", &values).await.unwrap();
}
