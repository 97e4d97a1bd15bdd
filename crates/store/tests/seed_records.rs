//! Seed figures rebuilt from records and read back through facts, on both
//! engines: mediation (seeds 000, 002), voter contact (000), "Dân vận
//! khéo" models (002, 004) and seed 004's inspection figures as an
//! aggregate data set.

mod common;

use danvan_testkit::correct;

use chrono::{Days, NaiveDate};
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, ElementOption, PeriodType,
};
use danvan_core::records::mediation::{self, MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{self, FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{self, Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_store::facts::{self, Detail, FactTable, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, datasets, mediation as med_store, meetings, models};

const DAM_RONG_COMMUNES: [&str; 8] = [
    "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn period(p: &str) -> DateRange {
    Period::parse(p, false).unwrap().range()
}

async fn setup(store: &Store) -> Vec<Unit> {
    danvan_testkit::units::load(store).await;
    units::all(store).await.unwrap()
}

fn unit<'a>(all: &'a [Unit], code: &str) -> &'a Unit {
    all.iter().find(|u| u.code == code).unwrap()
}

async fn read(store: &Store, u: &Unit, keys: &[&str], range: DateRange) -> FactTable {
    facts::read(store, Scope::of(u), keys, range, Detail::Breakdowns)
        .await
        .unwrap()
}

fn rate(num: i64, den: i64) -> String {
    number::percent(num, den, 1).unwrap()
}

fn cases(
    units: &[i64],
    from: NaiveDate,
    days: u64,
    results: &[(MediationResult, usize)],
) -> Vec<MediationCase> {
    let mut out = Vec::new();
    let mut n = 0;
    for &(result, count) in results {
        for _ in 0..count {
            out.push(MediationCase {
                unit_id: units[n % units.len()],
                team: format!("Tổ hòa giải thôn {}", n % 5 + 1),
                received_on: from + Days::new((n as u64 * 7) % days),
                field: MediationField::ALL[n % MediationField::ALL.len()],
                result,
                summary: String::new(),
            });
            n += 1;
        }
    }
    out
}

#[test]
fn mediation_seeds_000_and_002() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let communes: Vec<i64> = DAM_RONG_COMMUNES.iter().map(|c| unit(&all, c).id).collect();
            let h1 = cases(
                &communes,
                d("2020-01-02"),
                170,
                &[
                    (MediationResult::Success, 45),
                    (MediationResult::Failure, 5),
                    (MediationResult::InProgress, 3),
                ],
            );
            let ids = med_store::insert_many(&db.store, &h1).await.unwrap();
            let t = read(
                &db.store,
                unit(&all, "674"),
                &[mediation::keys::CASES],
                period("2020-H1"),
            )
            .await;
            let k = mediation::keys::CASES;
            assert_eq!(t.total(k), 53);
            assert_eq!(t.total_where(k, &[("result", "success")]), 45);
            assert_eq!(
                format!(
                    "{}/{} vụ việc (đạt tỷ lệ {})",
                    t.total_where(k, &[("result", "success")]),
                    t.total(k),
                    rate(45, 53)
                ),
                "45/53 vụ việc (đạt tỷ lệ 84,9%)"
            );
            // A case still in progress that ends well moves to "thành".
            let last = *ids.last().unwrap();
            let mut c = med_store::get(&db.store, last).await.unwrap();
            c.result = MediationResult::Success;
            let v = med_store::get_for_edit(&db.store, last).await.unwrap().1;
            med_store::update(&db.store, last, &c, v).await.unwrap();
            let t = read(&db.store, unit(&all, "674"), &[k], period("2020-H1")).await;
            assert_eq!(
                (t.total(k), t.total_where(k, &[("result", "success")])),
                (53, 46)
            );
            med_store::delete(&db.store, last).await.unwrap();
            let t = read(&db.store, unit(&all, "674"), &[k], period("2020-H1")).await;
            assert_eq!(t.total(k), 52);

            // Seed 002: Quảng Ngãi city, 2021–2023: 630 of 755.
            let city = unit(&all, "522");
            let wards: Vec<i64> = all
                .iter()
                .filter(|u| u.parent_id == Some(city.id) && u.valid_on(d("2021-01-01")))
                .map(|u| u.id)
                .collect();
            let qn = cases(
                &wards,
                d("2021-01-01"),
                1090,
                &[
                    (MediationResult::Success, 630),
                    (MediationResult::Failure, 100),
                    (MediationResult::Withdrawn, 25),
                ],
            );
            med_store::insert_many(&db.store, &qn).await.unwrap();
            let t = read(&db.store, city, &[k], period("2021..2023")).await;
            assert_eq!(number::int(t.total(k)), "755");
            assert_eq!(t.total_where(k, &[("result", "success")]), 630);
            // The seed states 83,5%; the figures give 83,4%.
            assert_eq!(rate(630, 755), "83,4%");
            // A bad case writes nothing and names its position.
            let bad = vec![
                qn[0].clone(),
                MediationCase {
                    team: String::new(),
                    ..qn[1].clone()
                },
            ];
            common::refused(
                med_store::insert_many(&db.store, &bad).await,
                "Dòng 2, cột «team»: thiếu tên tổ hòa giải",
            );
            let t = read(&db.store, city, &[k], period("2021..2023")).await;
            assert_eq!(t.total(k), 755);
            db.finish().await;
        }
    });
}

#[test]
fn voter_contact_seed_000() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let district = unit(&all, "674");
            // 10 sessions, 450 voters, 33 opinions.
            let meetings_h1: Vec<Meeting> = (0..10)
                .map(|i| Meeting {
                    unit_id: district.id,
                    kind: MeetingKind::VoterContact,
                    held_on: d("2020-04-01") + Days::new(i * 3),
                    chair: String::new(),
                    deputies: "Đại biểu Quốc hội khóa XIV, đại biểu HĐND tỉnh, huyện".into(),
                    participants: 45,
                    subject: "Tiếp xúc cử tri trước kỳ họp".into(),
                    opinions: (0..if i < 3 { 4 } else { 3 })
                        .map(|j| Opinion {
                            follow_up: if j == 0 {
                                FollowUp::AnsweredInWriting
                            } else {
                                FollowUp::AnsweredAtMeeting
                            },
                            content: format!("Ý kiến {j}"),
                        })
                        .collect(),
                })
                .collect();
            let ids = meetings::insert_many(&db.store, &meetings_h1)
                .await
                .unwrap();
            let keys = [
                meeting::keys::SESSIONS,
                meeting::keys::PARTICIPANTS,
                meeting::keys::OPINIONS,
            ];
            let t = read(&db.store, district, &keys, period("2020-H1")).await;
            let voters = [("kind", "voter_contact")];
            assert_eq!(t.total_where(meeting::keys::SESSIONS, &voters), 10);
            assert_eq!(t.total_where(meeting::keys::PARTICIPANTS, &voters), 450);
            assert_eq!(t.total_where(meeting::keys::OPINIONS, &voters), 33);
            let by = t.by(meeting::keys::OPINIONS, "follow_up");
            assert_eq!(
                (by["answered_at_meeting"], by["answered_in_writing"]),
                (23, 10)
            );
            // A written answer sent later moves the opinion.
            correct::follow_up(&db.store, ids[0], 1, FollowUp::Transferred)
                .await
                .unwrap();
            let t = read(&db.store, district, &keys, period("2020-H1")).await;
            assert_eq!(t.by(meeting::keys::OPINIONS, "follow_up")["transferred"], 1);
            assert_eq!(
                meetings::get(&db.store, ids[0]).await.unwrap().opinions[1].follow_up,
                FollowUp::Transferred
            );
            // A voter contact without deputies is refused.
            let bad = Meeting {
                deputies: String::new(),
                ..meetings_h1[0].clone()
            };
            common::refused(
                meetings::insert_many(&db.store, &[bad]).await,
                "Trường «deputies»: tiếp xúc cử tri phải ghi đại biểu dự",
            );
            meetings::delete(&db.store, ids[9]).await.unwrap();
            let t = read(&db.store, district, &keys, period("2020-H1")).await;
            assert_eq!(t.total(meeting::keys::SESSIONS), 9);
            db.finish().await;
        }
    });
}

fn models_of(
    unit_id: i64,
    level: ModelLevel,
    year: i32,
    spec: &[(ModelStatus, ModelField, usize)],
) -> Vec<(Model, Vec<ModelYear>)> {
    let mut out = Vec::new();
    for &(status, field, n) in spec {
        for i in 0..n {
            let model = Model {
                name: format!("Mô hình {} {}", field.label(), i + 1),
                unit_id,
                level,
                field,
            };
            let award = if i == 0 { "Giấy khen" } else { "" };
            let recorded_on = NaiveDate::from_ymd_opt(year, 3, 1).unwrap();
            let first = ModelYear {
                award: award.into(),
                recognised: i % 2 == 0,
                year,
                recorded_on,
                status,
            };
            out.push((model, vec![first]));
        }
    }
    out
}

#[test]
fn models_seed_002_by_status_and_field() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let city = unit(&all, "522");
            use ModelField::*;
            use ModelStatus::*;
            let spec = [
                (New, Economy, 1),
                (New, CultureSociety, 11),
                (New, DefenceSecurity, 4),
                (New, PoliticalSystem, 2),
                (Replicated, CultureSociety, 5),
                (Replicated, DefenceSecurity, 6),
                (Replicated, PoliticalSystem, 2),
                (Maintained, Economy, 2),
                (Maintained, CultureSociety, 7),
                (Maintained, DefenceSecurity, 5),
                (Maintained, PoliticalSystem, 2),
            ];
            // Spread over the three years of the review.
            let mut list = Vec::new();
            for (i, s) in spec.iter().enumerate() {
                list.extend(models_of(
                    city.id,
                    ModelLevel::District,
                    2021 + (i % 3) as i32,
                    &[*s],
                ));
            }
            models::insert_many(&db.store, &list).await.unwrap();
            let k = model::keys::ENTRIES;
            let t = read(&db.store, city, &[k], period("2021..2023")).await;
            assert_eq!(t.total(k), 47);
            for (status, n) in [("new", 18), ("replicated", 13), ("maintained", 16)] {
                assert_eq!(t.total_where(k, &[("status", status)]), n, "{status}");
            }
            for &(status, field, n) in &spec {
                assert_eq!(
                    t.total_where(k, &[("status", status.code()), ("field", field.code())]),
                    n as i64
                );
            }
            // A model maintained the next year counts in that year.
            let id = models::insert_many(
                &db.store,
                &models_of(city.id, ModelLevel::District, 2023, &[(New, Economy, 1)]),
            )
            .await
            .unwrap()[0];
            let y = ModelYear {
                year: 2024,
                recorded_on: d("2024-02-01"),
                status: Maintained,
                recognised: true,
                award: String::new(),
            };
            correct::model_year(&db.store, id, &y).await.unwrap();
            let t = read(&db.store, city, &[k], period("2024")).await;
            assert_eq!(t.total_where(k, &[("status", "maintained")]), 1);
            let changed = ModelYear {
                status: Replicated,
                ..y.clone()
            };
            correct::model_year(&db.store, id, &changed).await.unwrap();
            let t = read(&db.store, city, &[k], period("2024")).await;
            assert_eq!(
                (t.total(k), t.total_where(k, &[("status", "replicated")])),
                (1, 1)
            );
            assert_eq!(models::get(&db.store, id).await.unwrap().1.len(), 2);
            common::refused(
                correct::model_year(&db.store, id, &ModelYear { year: 2025, ..y }).await,
                "Trường «recorded_on»: ngày ghi nhận 01/02/2024 không thuộc năm 2025",
            );
            db.finish().await;
        }
    });
}

#[test]
fn models_seed_004_by_field_and_level() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let kt = unit(&all, "62");
            let on = d("2016-06-30");
            let districts: Vec<&Unit> = all
                .iter()
                .filter(|u| u.parent_id == Some(kt.id) && u.valid_on(on))
                .collect();
            let communes: Vec<&Unit> = all
                .iter()
                .filter(|u| u.depth == 2 && u.province_id == kt.id && u.valid_on(on))
                .collect();
            use ModelField::*;
            use ModelStatus::*;
            // 1.016 = 630 (kinh tế 300 + VH-XH 330) + 172 QP-AN + 214 XDHTCT
            //       = 32 tỉnh + 110 huyện + 874 cơ sở.
            let mut fields = Vec::new();
            for (f, n) in [
                (Economy, 300),
                (CultureSociety, 330),
                (DefenceSecurity, 172),
                (PoliticalSystem, 214),
            ] {
                fields.extend(std::iter::repeat_n(f, n));
            }
            let mut list = Vec::new();
            for (i, f) in fields.into_iter().enumerate() {
                let (u, level) = match i {
                    0..32 => (kt, ModelLevel::Province),
                    32..142 => (districts[i % districts.len()], ModelLevel::District),
                    _ => (communes[i % communes.len()], ModelLevel::Grassroots),
                };
                list.extend(models_of(u.id, level, 2016, &[(New, f, 1)]));
            }
            models::insert_many(&db.store, &list).await.unwrap();
            let k = model::keys::ENTRIES;
            let t = read(&db.store, kt, &[k], period("2016")).await;
            assert_eq!(number::int(t.total(k)), "1.016");
            let by_field = t.by(k, "field");
            assert_eq!(by_field["economy"] + by_field["culture_society"], 630);
            assert_eq!(
                (by_field["defence_security"], by_field["political_system"]),
                (172, 214)
            );
            let by_level = t.by(k, "level");
            assert_eq!(
                (
                    by_level["province"],
                    by_level["district"],
                    by_level["grassroots"]
                ),
                (32, 110, 874)
            );
            db.finish().await;
        }
    });
}

/// How a violation found was dealt with: the options of seed 004's amounts.
const HANDLED: &[(&str, &str)] = &[
    ("state_budget", "Thu hồi nộp ngân sách nhà nước"),
    ("unit", "Thu hồi về cho đơn vị"),
    ("other", "Xử lý khác"),
];

fn element(code: &str, label: &str, measure: &str, options: &[(&str, &str)]) -> DataElement {
    let options = options.iter().map(|(c, l)| ElementOption {
        code: c.to_string(),
        label: l.to_string(),
    });
    DataElement {
        options: options.collect(),
        ..danvan_testkit::seed::counted_element(code, label, measure)
    }
}

#[test]
fn inspection_figures_of_seed_004_as_a_data_set() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let kt = unit(&all, "62");
            let inspections = element("inspections", "Số cuộc thanh tra, kiểm tra", "cuộc", &[]);
            let recovered = element(
                "violations_handled",
                "Số tiền sai phạm đã xử lý",
                "triệu đồng",
                HANDLED,
            );
            let fines = element("fines", "Xử phạt vi phạm hành chính", "triệu đồng", &[]);
            let members = DataElement {
                aggregation: Aggregation::Last,
                ..element("inspectors", "Số thanh tra viên", "người", &[])
            };
            for e in [&inspections, &recovered, &fines, &members] {
                datasets::define_element(&db.store, e).await.unwrap();
            }
            let set = DataSet {
                code: "inspection".into(),
                name: "Kết quả thanh tra, kiểm tra".into(),
                period_type: PeriodType::Year,
                elements: vec![
                    "inspections".into(),
                    "violations_handled".into(),
                    "fines".into(),
                    "inspectors".into(),
                ],
            };
            datasets::define_set(&db.store, &set).await.unwrap();
            let v = |element: &str, option: &str, text: &str| {
                let e = [&inspections, &recovered, &fines, &members]
                    .into_iter()
                    .find(|e| e.code == element)
                    .unwrap();
                DataValue {
                    unit_id: kt.id,
                    element: element.into(),
                    period: "2016".into(),
                    option: option.into(),
                    value: e.parse_value(text).unwrap(),
                }
            };
            let values = vec![
                v("inspections", "", "53"),
                v("violations_handled", "state_budget", "3.565"),
                v("violations_handled", "unit", "419"),
                v("violations_handled", "other", "3.569"),
                v("fines", "", "212"),
                v("inspectors", "", "41"),
            ];
            datasets::enter(&db.store, "inspection", &values)
                .await
                .unwrap();
            let keys = [
                inspections.key(),
                recovered.key(),
                fines.key(),
                members.key(),
            ];
            let t = read(&db.store, kt, &keys, period("2016")).await;
            assert_eq!(t.total("data.inspections"), 53);
            let by = t.by("data.violations_handled", "option");
            assert_eq!(
                (by["state_budget"], by["unit"], by["other"]),
                (3565, 419, 3569)
            );
            // The parts add up to 7.553; the report says 7.554.
            assert_eq!(number::int(t.total("data.violations_handled")), "7.553");
            assert_eq!(t.total("data.fines"), 212);
            // A "last value" element is no fact but is kept.
            assert_eq!(t.total("data.inspectors"), 0);
            assert_eq!(
                datasets::value(&db.store, kt.id, "inspectors", "2016", "")
                    .await
                    .unwrap(),
                Some(41)
            );
            // Entering a value again replaces it.
            datasets::enter(&db.store, "inspection", &[v("inspections", "", "54")])
                .await
                .unwrap();
            let t = read(&db.store, kt, &keys, period("2016")).await;
            assert_eq!(t.total("data.inspections"), 54);
            // Wrong option, wrong period type: Vietnamese errors, nothing written.
            let bad = vec![
                v("fines", "", "1"),
                DataValue {
                    option: "x".into(),
                    ..v("violations_handled", "unit", "1")
                },
            ];
            common::refused(
                datasets::enter(&db.store, "inspection", &bad).await,
                "Dòng 2, cột «option»: chỉ tiêu «Số tiền sai phạm đã xử lý» cần phân tổ là một trong: state_budget, unit, other",
            );
            let e = datasets::enter(
                &db.store,
                "inspection",
                &[DataValue {
                    period: "2016-H1".into(),
                    ..v("fines", "", "1")
                }],
            )
            .await
            .unwrap_err();
            assert!(matches!(e, StoreError::Invalid(_)));
            assert_eq!(
                e.to_string(),
                "Trường «period»: kỳ «2016-H1» không phải kỳ năm của bộ chỉ tiêu «Kết quả thanh tra, kiểm tra»"
            );
            let t = read(&db.store, kt, &keys, period("2016")).await;
            assert_eq!(t.total("data.fines"), 212);
            // Its aggregation can not change once values exist.
            let e = datasets::define_element(
                &db.store,
                &DataElement {
                    aggregation: Aggregation::Last,
                    ..fines.clone()
                },
            )
            .await
            .unwrap_err();
            assert!(e.to_string().contains("đã có số liệu"), "{e}");
            db.finish().await;
        }
    });
}

#[test]
fn oversight_seed_000_by_organisation() {
    use danvan_core::records::oversight::{self, Organisation, Oversight, OversightKind};
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let district = unit(&all, "674");
            let mut items = Vec::new();
            let mut add = |org: Organisation, kind: OversightKind, n: usize| {
                for i in 0..n {
                    items.push(Oversight {
                        unit_id: district.id,
                        organisation: org,
                        kind,
                        held_on: d("2020-03-02") + Days::new(i as u64 * 5),
                        subject: "Việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu"
                            .into(),
                        targets: "xã Đạ Tông, xã Phi Liêng".into(),
                        recommendations: 2,
                    });
                }
            };
            use Organisation::*;
            add(Front, OversightKind::Supervision, 3);
            for org in [Women, Farmers, Veterans, Youth, Labour] {
                add(org, OversightKind::Supervision, 1);
            }
            add(Front, OversightKind::Criticism, 2);
            danvan_store::oversight::insert_many(&db.store, &items)
                .await
                .unwrap();
            let k = oversight::keys::ACTIVITIES;
            let t = read(&db.store, district, &[k], period("2020-H1")).await;
            assert_eq!(t.total_where(k, &[("kind", "supervision")]), 8);
            assert_eq!(t.total_where(k, &[("kind", "criticism")]), 2);
            assert_eq!(
                t.total_where(k, &[("kind", "supervision"), ("organisation", "front")]),
                3
            );
            for org in ["women", "farmers", "veterans", "youth", "labour"] {
                assert_eq!(
                    t.total_where(k, &[("kind", "supervision"), ("organisation", org)]),
                    1,
                    "{org}"
                );
            }
            let bad = Oversight {
                subject: " ".into(),
                ..items[0].clone()
            };
            common::refused(
                danvan_store::oversight::insert_many(&db.store, &[bad]).await,
                "Trường «subject»: thiếu nội dung giám sát, phản biện",
            );
            db.finish().await;
        }
    });
}

#[test]
fn directive_register_counts_and_finds_without_diacritics() {
    use danvan_core::records::directive::{self, Directive, DocumentNumber};
    use danvan_store::directives;
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let city = unit(&all, "522");
            // Seed 002: 10 documents issued 2021–2023.
            let docs: Vec<Directive> = (0..10)
                .map(|i| Directive {
                    unit_id: city.id,
                    number: DocumentNumber::parse(&format!("{}/KH-UBND", 10 + i)).unwrap(),
                    issued_on: d("2021-02-01") + Days::new(i * 100),
                    issuer: "UBND thành phố".into(),
                    title: if i == 0 {
                        "Triển khai thực hiện phong trào thi đua “Dân vận khéo”".into()
                    } else {
                        format!(
                            "Thực hiện công tác dân vận chính quyền năm {}",
                            2021 + i / 4
                        )
                    },
                })
                .collect();
            directives::insert_many(&db.store, &docs).await.unwrap();
            let k = directive::keys::ISSUED;
            let t = read(&db.store, city, &[k], period("2021..2023")).await;
            assert_eq!((t.total(k), t.total_where(k, &[("kind", "KH")])), (10, 10));
            let found = directives::search(&db.store, "dan van kheo", city.id)
                .await
                .unwrap();
            assert_eq!(found.len(), 1);
            assert_eq!(found[0].1.number.text, "10/KH-UBND");
            let found = directives::search(&db.store, "15/kh-ubnd", unit(&all, "51").id)
                .await
                .unwrap();
            assert_eq!(found.len(), 1);
            assert!(
                directives::search(&db.store, "dan van", unit(&all, "674").id)
                    .await
                    .unwrap()
                    .is_empty()
            );
            common::refused(
                directives::insert_many(&db.store, &docs[..1]).await,
                "Trường «number»: văn bản số 10/KH-UBND ngày 01/02/2021 đã có trong sổ",
            );
            db.finish().await;
        }
    });
}
