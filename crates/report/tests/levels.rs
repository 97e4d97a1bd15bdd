//! Level-aware roll-up, on both engines: a report of a unit at any level
//! separates the unit's own body from each level below it, names each
//! level by its kinds (or the one unit it holds), never adds the "đợt" of
//! districts to the "điểm" of communes, and copes with a level that has a
//! single unit or no records — on a three-level and a two-level tree.

mod common;

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{Meeting, MeetingKind};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_report::{Catalogue, Report, Request};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, mediation, meetings, models, reception, unit_import};

/// A province with a district of one commune and a city of a ward and a
/// commune without records; a province of the two-level tree; a province
/// whose only records are at its one township.
const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Thử,tỉnh,,,,
H1,Một,huyện,P,,,
X11,Một Một,xã,H1,,,
H2,Hai,thành phố,P,,,
X21,Hai Một,phường,H2,,,
X22,Hai Hai,xã,H2,,,
Q,Mới,tỉnh,,,,
Q1,Q Một,xã,Q,,,
Q2,Q Hai,phường,Q,,,
R,Ba,tỉnh,,,,
H3,Ba,huyện,R,,,
X31,Ba Một,thị trấn,H3,,,
";

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, m, day).unwrap()
}

fn turns(u: &Unit, turns: i64) -> Reception {
    Reception {
        unit_id: u.id,
        received_on: d(3, 2),
        official: String::new(),
        position: String::new(),
        kind: ReceptionKind::Regular,
        content: ReceptionContent::Complaint,
        outcome: ReceptionOutcome::Guided,
        turns,
        persons: turns,
        delegations: 0,
        delegation_persons: 0,
        petition_id: None,
        note: String::new(),
    }
}

fn voters(u: &Unit, participants: i64) -> Meeting {
    Meeting {
        unit_id: u.id,
        kind: MeetingKind::VoterContact,
        held_on: d(4, 20),
        chair: String::new(),
        deputies: "Đại biểu HĐND tỉnh".into(),
        participants,
        subject: "Tiếp xúc cử tri".into(),
        opinions: Vec::new(),
    }
}

fn model(u: &Unit) -> (Model, Vec<ModelYear>) {
    (
        Model {
            unit_id: u.id,
            name: format!("Mô hình {}", u.code),
            level: ModelLevel::Grassroots,
            field: ModelField::Economy,
        },
        vec![ModelYear {
            year: 2020,
            recorded_on: d(2, 10),
            status: ModelStatus::New,
            recognised: true,
            award: String::new(),
        }],
    )
}

fn case(u: &Unit, result: MediationResult) -> MediationCase {
    MediationCase {
        unit_id: u.id,
        team: "Tổ hòa giải thôn 1".into(),
        received_on: d(5, 5),
        field: MediationField::Land,
        result,
        summary: "Tranh chấp ranh giới".into(),
    }
}

async fn report(store: &Store, unit: &Unit, template: Option<&str>) -> Report {
    common::report(store, unit, "2020-H1", template).await
}

async fn report_years(store: &Store, unit: &Unit) -> Report {
    common::report(store, unit, "2019..2020", None).await
}

/// `own` and the levels add up to `all`, for every count of the catalogue.
fn levels_add_up(r: &Report) {
    let f = &r.figures;
    for code in f.all.0.keys() {
        let parts: i64 =
            f.own.count(code) + f.levels.iter().map(|l| l.values.count(code)).sum::<i64>();
        assert_eq!(parts, f.all.count(code), "{code}");
    }
}

fn has(t: &str, want: &str) {
    let flat = t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(want), "missing «{want}» in:\n{t}");
}

async fn check(store: &Store) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let (p, h1, x11, h2, x21, x22) = (
        u("P").await,
        u("H1").await,
        u("X11").await,
        u("H2").await,
        u("X21").await,
        u("X22").await,
    );
    let (q, q1, q2) = (u("Q").await, u("Q1").await, u("Q2").await);
    reception::insert_many(
        store,
        &[
            turns(&p, 7),
            turns(&h1, 3),
            turns(&h2, 4),
            turns(&x11, 5),
            turns(&x21, 6),
            turns(&q1, 2),
            turns(&u("X31").await, 4),
        ],
    )
    .await
    .unwrap();
    meetings::insert_many(
        store,
        &[
            voters(&h1, 100),
            voters(&h1, 60),
            voters(&x11, 10),
            voters(&x11, 20),
            voters(&x21, 40),
            voters(&q1, 15),
            voters(&q2, 25),
        ],
    )
    .await
    .unwrap();
    models::insert_many(store, &[model(&p), model(&x11), model(&x21)])
        .await
        .unwrap();
    mediation::insert_many(
        store,
        &[
            case(&x11, MediationResult::Success),
            case(&x11, MediationResult::Failure),
        ],
    )
    .await
    .unwrap();
    let _ = x22;

    // The province, on the six-month template: each level by itself.
    let r = report(store, &p, Some("bao-cao-6-thang")).await;
    levels_add_up(&r);
    let t = r.to_txt();
    has(&t, "đã tiếp 25 lượt (UBND tỉnh tiếp 7 lượt/7 người");
    has(
        &t,
        "Ủy ban nhân dân các huyện, thành phố tiếp 7 lượt/7 người.",
    );
    has(&t, "Ủy ban nhân dân các xã, phường tiếp 11 lượt/11 người.");
    has(
        &t,
        "phối hợp với các huyện, thành phố tổ chức được 02 đợt tiếp xúc cử tri có 160 cử tri",
    );
    has(
        &t,
        "phối hợp với các xã, phường tổ chức được 03 điểm tiếp xúc cử tri có 70 cử tri",
    );
    has(
        &t,
        "toàn tỉnh có 3 mô hình \"Dân vận khéo\" (UBND tỉnh 1 mô hình; các xã, phường 2 mô hình)",
    );
    // 2 đợt and 3 điểm are never one figure.
    assert!(!t.contains("05 điểm") && !t.contains("05 đợt"), "{t}");

    // The multi-year review names each level by itself too.
    let mut req_years = report_years(store, &p).await.to_txt();
    req_years = req_years.split_whitespace().collect::<Vec<_>>().join(" ");
    has(
        &req_years,
        "- Ủy ban nhân dân các huyện, thành phố tiếp 7 lượt/7 người.",
    );
    has(
        &req_years,
        "- Ủy ban nhân dân các xã, phường tiếp 11 lượt/11 người.",
    );
    assert!(!req_years.contains("tiếp 18 lượt"), "{req_years}");

    // The same on the province's default template.
    let r = report(store, &p, None).await;
    let t = r.to_txt();
    has(&t, "Kết quả cụ thể ở từng cấp:");
    has(
        &t,
        "Toàn tỉnh: tiếp 25 lượt/25 người; hòa giải thành 1/2 vụ việc; tiếp xúc cử tri với 230 cử tri; có 3 mô hình",
    );
    has(&t, "- UBND tỉnh: tiếp 7 lượt/7 người; có 1 mô hình");
    has(
        &t,
        "- Ủy ban nhân dân các huyện, thành phố: tiếp 7 lượt/7 người; tổ chức 02 đợt tiếp xúc cử tri với 160 cử tri.",
    );
    has(
        &t,
        "- Ủy ban nhân dân các xã, phường: tiếp 11 lượt/11 người; hòa giải thành 1/2 vụ việc; tổ chức 03 điểm tiếp xúc cử tri với 70 cử tri; có 2 mô hình",
    );
    assert!(!t.contains("05 điểm") && !t.contains("05 đợt"), "{t}");

    // A district of a single commune: the commune is named.
    let r = report(store, &h1, None).await;
    levels_add_up(&r);
    let t = r.to_txt();
    has(&t, "đã tiếp 8 lượt (UBND huyện tiếp 3 lượt/3 người");
    has(&t, "Ủy ban nhân dân xã Một Một tiếp 5 lượt/5 người.");
    has(
        &t,
        "tổ chức được 02 đợt tiếp xúc cử tri với đại biểu Quốc hội, đại biểu HĐND các cấp có 160 cử tri",
    );
    has(
        &t,
        "phối hợp với xã Một Một tổ chức được 02 điểm tiếp xúc cử tri có 30 cử tri",
    );

    // A city whose commune has no records: the level is named by the
    // units it has, the figures are those of the ward.
    let r = report(store, &h2, None).await;
    levels_add_up(&r);
    let t = r.to_txt();
    has(&t, "Ủy ban nhân dân các phường, xã tiếp 6 lượt/6 người.");
    has(
        &t,
        "phối hợp với các phường, xã tổ chức được 01 điểm tiếp xúc cử tri có 40 cử tri",
    );

    // A commune: its own body only, its meetings are "điểm".
    let r = report(store, &x11, None).await;
    assert!(r.figures.levels.is_empty());
    let t = r.to_txt();
    has(&t, "đã tiếp 5 lượt (UBND xã tiếp 5 lượt/5 người");
    has(&t, "tổ chức được 02 điểm tiếp xúc cử tri");

    // The two-level tree: the communes sit directly below the province.
    let r = report(store, &q, Some("bao-cao-6-thang")).await;
    levels_add_up(&r);
    assert_eq!(r.figures.levels.len(), 1);
    let t = r.to_txt();
    has(&t, "Ủy ban nhân dân các xã, phường tiếp 2 lượt/2 người.");
    has(
        &t,
        "phối hợp với các xã, phường tổ chức được 02 điểm tiếp xúc cử tri có 40 cử tri",
    );
    assert!(!t.contains("đợt tiếp xúc"), "{t}");
}

/// Levels without records are left out, whatever the template; a period
/// without records says so.
async fn check_empty_levels(store: &Store) {
    let r = units::find(store, "R", None).await.unwrap();
    for template in [None, Some("bao-cao-6-thang")] {
        let rep = report(store, &r, template).await;
        levels_add_up(&rep);
        let t = rep.to_txt();
        has(&t, "thị trấn Ba Một");
        has(&t, "tiếp 4 lượt/4 người");
        assert!(
            !t.contains("huyện Ba:") && !t.contains("huyện Ba tiếp"),
            "{t}"
        );
        assert!(
            !t.contains("UBND tỉnh tiếp") && !t.contains("UBND tỉnh:"),
            "{t}"
        );
    }
    let t = common::report(store, &r, "2020-H2", Some("bao-cao-6-thang"))
        .await
        .to_txt();
    has(&t, "không có lượt tiếp công dân nào được ghi nhận");
    assert!(!t.contains("Ủy ban nhân dân"), "{t}");
}

/// The kinds `check` does not record, at several levels of the
/// three-level tree in 2019 and 2020: petitions (one resolved, one filed
/// away), cases, oversight, directives and dialogues with their opinions.
async fn more_kinds(store: &Store) {
    use danvan_core::records::directive::{Directive, DocumentNumber};
    use danvan_core::records::meeting::{FollowUp, Opinion};
    use danvan_core::records::petition::{
        Eligibility, Event, Handling, IneligibleReason, Outcome, PetitionType,
    };
    use danvan_store::{cases, directives, oversight, petitions};
    use danvan_testkit::seed;
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let (p, h1, x11, x21) = (u("P").await, u("H1").await, u("X11").await, u("X21").await);
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let resolved = {
        let mut p = seed::petition(x11.id, PetitionType::Complaint);
        p.received_on = day(2020, 2, 3);
        let mut p = p
            .apply(&seed::eligible(day(2020, 2, 5)))
            .unwrap()
            .apply(&Event::Handle {
                on: day(2020, 2, 6),
                handling: Handling::Accepted,
                complex: false,
                remote: false,
            })
            .unwrap();
        p = p
            .apply(&Event::Resolve {
                on: day(2020, 3, 20),
                outcome: Outcome::Right,
            })
            .unwrap();
        p
    };
    let filed = {
        let mut p = seed::petition(h1.id, PetitionType::Recommendation);
        p.received_on = day(2019, 11, 3);
        p.apply(&Event::Classify {
            on: day(2019, 11, 4),
            eligibility: Eligibility::Ineligible(IneligibleReason::Duplicate),
        })
        .unwrap()
    };
    petitions::insert_many(store, &[resolved, filed])
        .await
        .unwrap();
    let mut case = seed::case(h1.id);
    case.opened_on = day(2019, 6, 1);
    case.crowd = true;
    case.resolved_on = Some(day(2020, 4, 1));
    cases::insert_many(store, &[case]).await.unwrap();
    let mut o = seed::oversight(x21.id);
    o.held_on = day(2020, 5, 2);
    oversight::insert_many(store, &[o]).await.unwrap();
    directives::insert_many(
        store,
        &[Directive {
            unit_id: p.id,
            number: DocumentNumber::parse("15/KH-UBND").unwrap(),
            issued_on: day(2020, 1, 10),
            issuer: "UBND tỉnh".into(),
            title: "Kế hoạch công tác dân vận".into(),
        }],
    )
    .await
    .unwrap();
    let mut d = seed::meeting(x11.id);
    d.kind = MeetingKind::Dialogue;
    d.held_on = day(2020, 6, 2);
    d.opinions = vec![Opinion {
        content: "Đường liên thôn".into(),
        follow_up: FollowUp::AnsweredAtMeeting,
    }];
    meetings::insert_many(store, &[d]).await.unwrap();
}

/// A number as the annex writes it: a count, or a rate in percent.
fn cell(v: &danvan_report::figures::Value) -> f64 {
    use danvan_report::figures::Value;
    match v {
        Value::Count(n) => *n as f64,
        Value::Ratio { num, den, .. } if *den != 0 => *num as f64 * 100.0 / *den as f64,
        Value::Ratio { .. } => 0.0,
    }
}

/// Completeness: for every unit of the trees and a half-year, a year, a
/// cut-off year and a multi-year period, every indicator of the catalogue
/// stands in the report's annex exactly once, and its total is the
/// subtree's figure (what `/api/figures` gives).
async fn annex_is_complete(store: &Store) {
    use calamine::{Data, Reader, Xlsx};
    more_kinds(store).await;
    let catalogue = Catalogue::builtin();
    let by_label: std::collections::HashMap<String, &str> = catalogue
        .indicators
        .values()
        .flat_map(|i| {
            [
                (i.label.clone(), i.code.as_str()),
                (format!("{} (%)", i.label), i.code.as_str()),
            ]
        })
        .collect();
    let mut checked = 0;
    for u in units::all(store).await.unwrap() {
        for (period, cutoff) in [
            ("2020-H1", false),
            ("2020", false),
            ("2020", true),
            ("2019..2020", false),
        ] {
            let req = Request::new(&u, Period::parse(period, cutoff).unwrap());
            let r = danvan_report::build(store, &catalogue, req).await.unwrap();
            let bytes = r.to_xlsx(store, &catalogue, &u).await.unwrap();
            let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).unwrap();
                let rows: Vec<&[Data]> = range.rows().collect();
                let total = rows
                    .iter()
                    .find(|r| matches!(r.first(), Some(Data::String(s)) if s == "Tổng cộng"))
                    .unwrap_or_else(|| panic!("{name}: no total row"));
                for (c, head) in rows[2].iter().enumerate().skip(1) {
                    let code = by_label
                        .get(&head.to_string())
                        .unwrap_or_else(|| panic!("{name}: «{head}» is no indicator"));
                    assert!(seen.insert(*code), "{code} twice in the annex");
                    let want = r.figures.all.0.get(*code).map_or(0.0, cell);
                    let got = match &total[c] {
                        Data::Float(f) => *f,
                        Data::Int(i) => *i as f64,
                        other => panic!("{name}: «{other}» is no number"),
                    };
                    assert!(
                        (got - want).abs() < 1e-9,
                        "{} {period} (cutoff {cutoff}) {code}: annex {got}, figures {want}",
                        u.code
                    );
                    checked += 1;
                }
            }
            let all: std::collections::BTreeSet<&str> =
                catalogue.indicators.keys().map(String::as_str).collect();
            assert_eq!(
                seen, all,
                "{} {period}: indicators missing from the annex",
                u.code
            );
        }
    }
    assert!(checked > 1000, "{checked}");
}

#[test]
fn reports_separate_each_level_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            check_empty_levels(&db.store).await;
            annex_is_complete(&db.store).await;
            db.finish().await;
        }
    });
}
