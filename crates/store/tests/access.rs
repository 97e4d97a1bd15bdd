//! Access to a unit subtree and the audit log, on both engines: a store
//! limited to a commune neither sees nor changes its neighbours' records
//! nor its district's, a district store sees its communes, an import with
//! one row elsewhere writes nothing, and every change is logged with who
//! made it and the record before and after, in a log that refuses edits.

mod common;

use danvan_testkit::correct;

use danvan_testkit::seed::{
    self, actor, case as case_at, day, mediation as mediation_at, meeting as meeting_at,
    model as model_at, model_year as year, oversight as oversight_at,
};

use std::collections::HashMap;

use danvan_core::calendar::workdays::{DayKind, DayOverride};
use danvan_core::period::Period;
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, PeriodType, ValueType,
};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationField, MediationResult};
use danvan_core::records::meeting::FollowUp;
use danvan_core::records::model::ModelStatus;
use danvan_core::records::petition::{Petition, PetitionStatus, PetitionType, Sender, keys};
use danvan_core::records::reception::Reception;
use danvan_store::audit::{self, Filter as AuditFilter};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::petitions::{self, DueFilter, Filter, Viewer};
use danvan_store::units::{self, Unit};
use danvan_store::{
    Actor, Store, StoreError, accounts, datasets, deadlines, directives, dossiers, mediation,
    meetings, models, oversight, reception, record_import,
};

const NOBODY: Viewer = Viewer { official_id: 0 };

/// The units of the tests: commune A (xã Đạ Tông), its sibling B (xã Đạ
/// Long), their district D (huyện Đam Rông) and another district E.
struct Units {
    a: Unit,
    b: Unit,
    d: Unit,
    e: Unit,
    /// A petition handler of commune A: the official assigned in tests.
    handler: i64,
}

async fn setup(store: &Store) -> Units {
    danvan_testkit::units::load(store).await;
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let a = u("24853").await;
    let handler = accounts::create(
        store,
        &accounts::NewUser {
            username: "xuly.datong".into(),
            full_name: "Cán bộ xử lý đơn".into(),
            password: "mat-khau-du-dai".into(),
            role: accounts::Role::Handler,
            unit_id: Some(a.id),
        },
    )
    .await
    .unwrap()
    .id;
    Units {
        a,
        b: u("24856").await,
        d: u("674").await,
        e: u("522").await,
        handler,
    }
}

fn petition(unit: i64) -> Petition {
    seed::petition(unit, PetitionType::Denunciation)
}

fn reception_at(unit: i64) -> Reception {
    seed::reception(unit, 1)
}

/// The petition as an unassigned official reads it: the identity masked.
fn as_read(unit: i64) -> Petition {
    Petition {
        sender: Sender::masked(),
        ..petition(unit)
    }
}

/// The viewer of the official acting as user 7.
const SEVEN: Viewer = Viewer { official_id: 7 };

fn directive_at(unit: i64, n: u32) -> Directive {
    Directive {
        unit_id: unit,
        number: DocumentNumber::parse(&format!("{n}/KH-UBND")).unwrap(),
        issued_on: day(3, 10),
        issuer: "UBND".into(),
        title: "Kế hoạch dân vận".into(),
    }
}

/// The ids of one unit's records, written through the unscoped store.
#[derive(Debug, Clone, Copy)]
struct Ids {
    petition: i64,
    case: i64,
    reception: i64,
    mediation: i64,
    meeting: i64,
    model: i64,
    oversight: i64,
}

async fn seed(store: &Store, unit: i64, n: u32) -> Ids {
    Ids {
        petition: petitions::insert(store, &petition(unit)).await.unwrap(),
        reception: reception::insert(store, &reception_at(unit)).await.unwrap(),
        mediation: mediation::insert_many(store, &[mediation_at(unit)])
            .await
            .unwrap()[0],
        meeting: meetings::insert_many(store, &[meeting_at(unit)])
            .await
            .unwrap()[0],
        model: models::insert_many(store, &[model_at(unit)]).await.unwrap()[0],
        oversight: oversight::insert_many(store, &[oversight_at(unit)])
            .await
            .unwrap()[0],
        case: {
            directives::insert_many(store, &[directive_at(unit, n)])
                .await
                .unwrap();
            petitions::insert_case(store, &case_at(unit)).await.unwrap()
        },
    }
}

async fn define_data(store: &Store) {
    let set = DataSet {
        code: "dan_van".into(),
        name: "Công tác dân vận".into(),
        period_type: PeriodType::Year,
        elements: vec!["hop_dan".into()],
    };
    let element = seed::counted_element("hop_dan", "Số buổi họp dân", "buổi");
    seed::define_data(store, &[element], &set).await;
}

fn value_at(unit: i64, value: i64) -> DataValue {
    DataValue {
        unit_id: unit,
        element: "hop_dan".into(),
        period: "2024".into(),
        option: String::new(),
        value,
    }
}

fn is_not_found(r: Result<impl std::fmt::Debug, StoreError>, what: &str) {
    match r {
        Err(StoreError::NotFound(m)) => assert_eq!(m, what),
        other => panic!("expected not found «{what}», got {other:?}"),
    }
}

fn is_refused<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::NotFound(_) | StoreError::Forbidden(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn is_forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::Forbidden(m)) => assert!(m.contains("xã Đạ Tông"), "{m}"),
        other => panic!("expected forbidden, got {other:?}"),
    }
}

/// Everything a refused change could have touched.
async fn snapshot(store: &Store) -> (HashMap<facts::FactKey, i64>, usize, usize) {
    let log = audit::list(
        store,
        &AuditFilter {
            limit: Some(10_000),
            ..AuditFilter::default()
        },
    )
    .await
    .unwrap();
    let receptions = reception::all(store).await.unwrap().len();
    (facts::dump(store).await.unwrap(), log.len(), receptions)
}

#[test]
fn a_commune_store_reaches_nothing_outside_its_commune() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            define_data(sys).await;
            let ids_a = seed(sys, u.a.id, 1).await;
            let ids_b = seed(sys, u.b.id, 2).await;
            let ids_d = seed(sys, u.d.id, 3).await;
            datasets::enter(sys, "dan_van", &[value_at(u.b.id, 4)])
                .await
                .unwrap();
            let a = sys
                .acting_as(actor(7, "Lê Văn Cán bộ"))
                .within(u.a.id)
                .await
                .unwrap();
            assert_eq!(a.scope().unwrap().root, u.a.id);

            // Reads: another unit's record is as missing as an unknown id.
            for ids in [ids_b, ids_d] {
                let p = ids.petition;
                is_not_found(petitions::get(&a, p, NOBODY).await, &format!("đơn số {p}"));
                let r = ids.reception;
                is_not_found(
                    reception::get(&a, r).await,
                    &format!("lượt tiếp công dân số {r}"),
                );
                let m = ids.mediation;
                is_not_found(
                    mediation::get(&a, m).await,
                    &format!("vụ việc hòa giải số {m}"),
                );
                let m = ids.meeting;
                is_not_found(meetings::get(&a, m).await, &format!("hội nghị số {m}"));
                let m = ids.model;
                is_not_found(models::get(&a, m).await, &format!("mô hình số {m}"));
                let o = ids.oversight;
                is_not_found(
                    oversight::get(&a, o).await,
                    &format!("cuộc giám sát, phản biện số {o}"),
                );
                let c = ids.case;
                is_not_found(petitions::get_case(&a, c).await, &format!("vụ việc số {c}"));
            }
            is_not_found(petitions::get(&a, 999_999, NOBODY).await, "đơn số 999999");
            // ... and its own are there.
            assert_eq!(
                petitions::get(&a, ids_a.petition, NOBODY)
                    .await
                    .unwrap()
                    .petition
                    .unit_id,
                u.a.id
            );
            reception::get(&a, ids_a.reception).await.unwrap();
            mediation::get(&a, ids_a.mediation).await.unwrap();
            meetings::get(&a, ids_a.meeting).await.unwrap();
            models::get(&a, ids_a.model).await.unwrap();
            oversight::get(&a, ids_a.oversight).await.unwrap();
            petitions::get_case(&a, ids_a.case).await.unwrap();

            // Lists: only the commune's records; another unit is not found.
            let listed: Vec<i64> = petitions::list(&a, &Filter::default(), NOBODY)
                .await
                .unwrap()
                .iter()
                .map(|p| p.id)
                .collect();
            assert_eq!(listed, vec![ids_a.petition]);
            let b_filter = Filter {
                unit: Some(u.b.id),
                ..Filter::default()
            };
            let b_unit = format!("đơn vị có mã số {}", u.b.id);
            let d_unit = format!("đơn vị có mã số {}", u.d.id);
            is_not_found(petitions::list(&a, &b_filter, NOBODY).await, &b_unit);
            let today = day(12, 31);
            is_not_found(
                petitions::due_list(&a, u.d.id, today, DueFilter::DueWithin(400)).await,
                &d_unit,
            );
            petitions::due_list(&a, u.a.id, today, DueFilter::DueWithin(400))
                .await
                .unwrap();
            let recs: Vec<i64> = reception::all(&a)
                .await
                .unwrap()
                .iter()
                .map(|r| r.0)
                .collect();
            assert_eq!(recs, vec![ids_a.reception]);
            let cases: Vec<i64> = petitions::all_cases(&a)
                .await
                .unwrap()
                .iter()
                .map(|c| c.0)
                .collect();
            assert_eq!(cases, vec![ids_a.case]);
            is_not_found(directives::search(&a, "", u.d.id).await, &d_unit);
            assert_eq!(directives::search(&a, "", u.a.id).await.unwrap().len(), 1);
            is_not_found(
                datasets::value(&a, u.b.id, "hop_dan", "2024", "").await,
                &b_unit,
            );
            let range = Period::parse("2024", false).unwrap().range();
            is_not_found(
                facts::read(&a, Scope::of(&u.d), keys::ALL, range, Detail::Totals).await,
                &d_unit,
            );
            assert!(matches!(
                facts::read(&a, Scope::Country, keys::ALL, range, Detail::Totals).await,
                Err(StoreError::Forbidden(_))
            ));
            let own = facts::read(&a, Scope::of(&u.a), keys::ALL, range, Detail::Totals)
                .await
                .unwrap();
            assert_eq!(own.total(keys::RECEIVED), 1);
            assert!(
                facts::dump(&a)
                    .await
                    .unwrap()
                    .keys()
                    .all(|k| k.unit_id == u.a.id)
            );
            assert_eq!(
                reception::scan_turns(&a, None, day(1, 1), day(12, 31))
                    .await
                    .unwrap(),
                1
            );

            // Writes: refused, and nothing changes.
            let before = snapshot(sys).await;
            for ids in [ids_b, ids_d] {
                let p = ids.petition;
                is_refused(correct::petition(&a, p, &as_read(u.a.id), SEVEN).await);
                is_refused(
                    petitions::transition(
                        &a,
                        p,
                        &danvan_testkit::seed::eligible(day(3, 5)),
                        NOBODY,
                    )
                    .await,
                );
                is_refused(petitions::delete(&a, p).await);
                is_refused(petitions::assign(&a, p, u.handler).await);
                is_refused(petitions::unassign(&a, p, u.handler).await);
                is_refused(correct::case(&a, ids.case, &case_at(u.a.id)).await);
                is_refused(correct::reception(&a, ids.reception, &reception_at(u.a.id)).await);
                is_refused(reception::delete(&a, ids.reception).await);
                is_refused(correct::mediation(&a, ids.mediation, &mediation_at(u.a.id)).await);
                is_refused(mediation::delete(&a, ids.mediation).await);
                is_refused(correct::follow_up(&a, ids.meeting, 0, FollowUp::Transferred).await);
                is_refused(meetings::delete(&a, ids.meeting).await);
                is_refused(correct::model_year(&a, ids.model, &year(ModelStatus::ALL[1])).await);
            }
            // Nor may a record of the commune move out of it, or one be
            // written elsewhere.
            is_forbidden(correct::petition(&a, ids_a.petition, &as_read(u.b.id), SEVEN).await);
            is_forbidden(petitions::insert(&a, &petition(u.b.id)).await);
            is_forbidden(petitions::insert_many(&a, &[petition(u.a.id), petition(u.d.id)]).await);
            is_forbidden(petitions::insert_case(&a, &case_at(u.b.id)).await);
            is_forbidden(correct::case(&a, ids_a.case, &case_at(u.b.id)).await);
            is_forbidden(reception::insert(&a, &reception_at(u.b.id)).await);
            is_forbidden(correct::reception(&a, ids_a.reception, &reception_at(u.d.id)).await);
            is_forbidden(mediation::insert_many(&a, &[mediation_at(u.b.id)]).await);
            is_forbidden(correct::mediation(&a, ids_a.mediation, &mediation_at(u.b.id)).await);
            is_forbidden(meetings::insert_many(&a, &[meeting_at(u.b.id)]).await);
            is_forbidden(models::insert_many(&a, &[model_at(u.b.id)]).await);
            is_forbidden(oversight::insert_many(&a, &[oversight_at(u.b.id)]).await);
            is_forbidden(directives::insert_many(&a, &[directive_at(u.b.id, 9)]).await);
            is_forbidden(datasets::enter(&a, "dan_van", &[value_at(u.b.id, 1)]).await);
            is_forbidden(
                dossiers::set_formula(&a, u.d.parent_id.unwrap(), Default::default()).await,
            );
            // A petition may not name a case it can not see.
            let mut linked = petition(u.a.id);
            linked.case_id = Some(ids_b.case);
            assert!(matches!(
                petitions::insert(&a, &linked).await,
                Err(StoreError::Invalid(e)) if e.code == "petition.unknown_case"
            ));
            // Definitions shared by the whole country are not the commune's.
            assert!(matches!(
                datasets::define_element(
                    &a,
                    &DataElement {
                        code: "khac".into(),
                        label: "Khác".into(),
                        measure: "lần".into(),
                        value_type: ValueType::Integer,
                        scale: 0,
                        aggregation: Aggregation::Sum,
                        options: Vec::new(),
                    }
                )
                .await,
                Err(StoreError::Forbidden(_))
            ));
            assert!(matches!(
                deadlines::put_days(
                    &a,
                    &[DayOverride {
                        date: day(9, 2),
                        kind: DayKind::DayOff,
                        note: "Quốc khánh".into(),
                    }]
                )
                .await,
                Err(StoreError::Forbidden(_))
            ));
            assert_eq!(snapshot(sys).await, before);

            // Inside the commune everything works.
            let p = ids_a.petition;
            let mut fixed = as_read(u.a.id);
            fixed.summary = "Tranh chấp đất rẫy (sửa)".into();
            correct::petition(&a, p, &fixed, SEVEN).await.unwrap();
            let got =
                petitions::transition(&a, p, &danvan_testkit::seed::eligible(day(3, 6)), NOBODY)
                    .await
                    .unwrap();
            assert_eq!(got.status, PetitionStatus::Eligible);
            petitions::assign(&a, p, u.handler).await.unwrap();
            petitions::unassign(&a, p, u.handler).await.unwrap();
            correct::case(&a, ids_a.case, &case_at(u.a.id))
                .await
                .unwrap();
            correct::reception(&a, ids_a.reception, &reception_at(u.a.id))
                .await
                .unwrap();
            correct::mediation(&a, ids_a.mediation, &mediation_at(u.a.id))
                .await
                .unwrap();
            correct::follow_up(&a, ids_a.meeting, 0, FollowUp::Transferred)
                .await
                .unwrap();
            correct::model_year(&a, ids_a.model, &year(ModelStatus::ALL[1]))
                .await
                .unwrap();
            datasets::enter(&a, "dan_van", &[value_at(u.a.id, 3)])
                .await
                .unwrap();
            assert_eq!(
                datasets::value(&a, u.a.id, "hop_dan", "2024", "")
                    .await
                    .unwrap(),
                Some(3)
            );
            petitions::delete(&a, p).await.unwrap();
            reception::delete(&a, ids_a.reception).await.unwrap();
            mediation::delete(&a, ids_a.mediation).await.unwrap();
            meetings::delete(&a, ids_a.meeting).await.unwrap();
            // The neighbours' records are untouched.
            petitions::get(sys, ids_b.petition, NOBODY).await.unwrap();
            reception::get(sys, ids_b.reception).await.unwrap();
            db.finish().await;
        }
    });
}

#[test]
fn a_district_store_sees_its_communes() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            let ids_a = seed(sys, u.a.id, 1).await;
            let ids_b = seed(sys, u.b.id, 2).await;
            let ids_d = seed(sys, u.d.id, 3).await;
            let district = sys.within(u.d.id).await.unwrap();
            let mut listed: Vec<i64> = petitions::list(&district, &Filter::default(), NOBODY)
                .await
                .unwrap()
                .iter()
                .map(|p| p.id)
                .collect();
            listed.sort_unstable();
            assert_eq!(listed, vec![ids_a.petition, ids_b.petition, ids_d.petition]);
            let only_b = Filter {
                unit: Some(u.b.id),
                ..Filter::default()
            };
            let got = petitions::list(&district, &only_b, NOBODY).await.unwrap();
            assert_eq!(got.len(), 1);
            assert_eq!(got[0].id, ids_b.petition);
            for ids in [ids_a, ids_b, ids_d] {
                petitions::get(&district, ids.petition, NOBODY)
                    .await
                    .unwrap();
                reception::get(&district, ids.reception).await.unwrap();
                meetings::get(&district, ids.meeting).await.unwrap();
            }
            assert_eq!(
                directives::search(&district, "", u.d.id)
                    .await
                    .unwrap()
                    .len(),
                3
            );
            // A change at a commune of the district is the district's to make.
            correct::reception(&district, ids_b.reception, &reception_at(u.a.id))
                .await
                .unwrap();
            // Another district sees none of it.
            let other = sys.within(u.e.id).await.unwrap();
            assert!(
                petitions::list(&other, &Filter::default(), NOBODY)
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert!(reception::all(&other).await.unwrap().is_empty());
            is_refused(petitions::get(&other, ids_a.petition, NOBODY).await);
            db.finish().await;
        }
    });
}

#[test]
fn an_import_with_a_row_outside_the_scope_writes_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            let a = sys.within(u.a.id).await.unwrap();
            let before = snapshot(sys).await;
            let header = record_import::RECEPTION_COLUMNS.join(",");
            let csv = format!(
                "{header}\n\
                 24853,2024-03-02,Nguyễn Văn A,Chủ tịch UBND,định kỳ,khiếu nại,hướng dẫn,2,3,0,0,\n\
                 24856,2024-03-03,,,thường xuyên,tố cáo,giải thích,1,1,0,0,\n\
                 24853,2024-03-04,,,thường xuyên,tố cáo,giải thích,1,1,0,0,\n"
            );
            match record_import::import_rows::<danvan_core::records::reception::Reception>(
                &a,
                csv.as_bytes(),
                || {},
            )
            .await
            {
                Err(StoreError::InvalidRows(errs)) => {
                    assert_eq!(errs.len(), 1, "{errs:?}");
                    assert_eq!(errs[0].code, "import.out_of_scope");
                    let text = errs[0].to_string();
                    assert!(text.starts_with("Dòng 3"), "{text}");
                    assert!(text.contains("xã Đạ Long không thuộc xã Đạ Tông"), "{text}");
                }
                other => panic!("expected a refused row, got {other:?}"),
            }
            let mediation_csv = format!(
                "{}\n24853,2024-03-02,Tổ 1,{},{},Ranh giới\n674,2024-03-02,Tổ 1,{},{},Ranh giới\n",
                record_import::MEDIATION_COLUMNS.join(","),
                MediationField::ALL[0].code(),
                MediationResult::ALL[0].code(),
                MediationField::ALL[0].code(),
                MediationResult::ALL[0].code(),
            );
            assert!(matches!(
                record_import::import_rows::<danvan_core::records::mediation::MediationCase>(&a, mediation_csv.as_bytes(), || {}).await,
                Err(StoreError::InvalidRows(e)) if e.len() == 1 && e[0].code == "import.out_of_scope"
            ));
            // The one-stop importer refuses such a row like any bad row.
            let dossier_csv = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n\
                 1,HS-1,1.001,Thủ tục 1,24853,Trực tiếp,,02/01/2020,2020-01-12,,,\n\
                 2,HS-2,1.001,Thủ tục 1,24856,Trực tiếp,,02/01/2020,2020-01-12,,,\n";
            let imported = dossiers::import::import_csv(
                &a,
                std::io::Cursor::new(dossier_csv.as_bytes().to_vec()),
                Default::default(),
                |_| {},
            )
            .await;
            match imported {
                Err(StoreError::InvalidRows(errs)) => {
                    assert_eq!(errs.len(), 1, "{errs:?}");
                    assert_eq!(errs[0].code, "dossier.out_of_scope");
                }
                other => panic!("expected a refused row, got {other:?}"),
            }
            assert_eq!(dossiers::count(sys).await.unwrap(), 0);
            assert_eq!(snapshot(sys).await, before);

            // A dossier of another commune can not be replaced through a
            // later import either.
            let b_only = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n\
                 1,HS-2,1.001,Thủ tục 1,24856,Trực tiếp,,02/01/2020,2020-01-12,,,\n";
            dossiers::import::import_csv(
                sys,
                std::io::Cursor::new(b_only.as_bytes().to_vec()),
                Default::default(),
                |_| {},
            )
            .await
            .unwrap();
            let before = snapshot(sys).await;
            let moved = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n\
                 1,HS-2,1.001,Thủ tục 1,24853,Trực tiếp,,02/01/2020,2020-01-12,,,\n";
            let imported = dossiers::import::import_csv(
                &a,
                std::io::Cursor::new(moved.as_bytes().to_vec()),
                Default::default(),
                |_| {},
            )
            .await;
            assert!(
                matches!(&imported, Err(StoreError::InvalidRows(e)) if e.len() == 1 && e[0].code == "dossier.code_taken"),
                "{imported:?}"
            );
            assert_eq!(snapshot(sys).await, before);
            assert_eq!(dossiers::get(sys, "HS-2").await.unwrap().unit_id, u.b.id);
            is_refused(dossiers::get(&a, "HS-2").await);

            // The same files inside the commune go through, logged.
            let good = format!(
                "{header}\n\
                 24853,2024-03-02,Nguyễn Văn A,Chủ tịch UBND,định kỳ,khiếu nại,hướng dẫn,2,3,0,0,\n\
                 24853,2024-03-04,,,thường xuyên,tố cáo,giải thích,1,1,0,0,\n"
            );
            assert_eq!(
                record_import::import_rows::<danvan_core::records::reception::Reception>(
                    &a,
                    good.as_bytes(),
                    || {}
                )
                .await
                .unwrap(),
                2
            );
            let a_only = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n\
                 1,HS-1,1.001,Thủ tục 1,24853,Trực tiếp,,02/01/2020,2020-01-12,,,\n";
            let s = dossiers::import::import_csv(
                &a,
                std::io::Cursor::new(a_only.as_bytes().to_vec()),
                Default::default(),
                |_| {},
            )
            .await
            .unwrap();
            assert_eq!(s.inserted, 1);
            let log = audit::list(&a, &AuditFilter::default()).await.unwrap();
            assert_eq!(log.iter().filter(|e| e.entity == "reception").count(), 2);
            let import = log.iter().find(|e| e.action == "import").unwrap();
            assert_eq!(import.after.as_ref().unwrap()["inserted"], 1);
            db.finish().await;
        }
    });
}

#[test]
fn every_change_is_logged_with_its_actor_and_the_record() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            let a = sys
                .acting_as(actor(7, "Lê Văn Cán bộ"))
                .within(u.a.id)
                .await
                .unwrap();
            let b = sys
                .acting_as(actor(8, "Phạm Thị Bé"))
                .within(u.b.id)
                .await
                .unwrap();
            let entries = |store: &Store, entity: &str, id: i64| {
                let store = store.clone();
                let filter = AuditFilter {
                    entity: Some(entity.into()),
                    entity_id: Some(id.to_string()),
                    ..AuditFilter::default()
                };
                async move { audit::list(&store, &filter).await.unwrap() }
            };

            let id = petitions::insert(&a, &petition(u.a.id)).await.unwrap();
            let log = entries(sys, "petition", id).await;
            assert_eq!(log.len(), 1);
            let created = &log[0];
            assert_eq!(created.action, "create");
            assert_eq!(created.actor, "Lê Văn Cán bộ");
            assert_eq!(created.user_id, Some(7));
            assert_eq!(created.unit_id, Some(u.a.id));
            assert!(created.before.is_none());
            let after = created.after.as_ref().unwrap();
            assert_eq!(after["id"], id);
            // Masked as its readers see it: the denouncer's identity is
            // kept apart, for an assigned viewer alone.
            assert_eq!(after["petition"]["sender"]["name"], "***");
            assert!(!after.to_string().contains("Ka Điểu"), "{after}");
            let handler = Viewer {
                official_id: u.handler,
            };
            assert_eq!(
                petitions::logged_identity(sys, created.id, handler)
                    .await
                    .unwrap(),
                None
            );
            petitions::assign(sys, id, u.handler).await.unwrap();
            let identity = petitions::logged_identity(sys, created.id, handler)
                .await
                .unwrap()
                .expect("the assigned viewer reads the identity");
            assert_eq!(identity["after"]["name"], "Ka Điểu");
            assert_eq!(
                petitions::logged_identity(sys, created.id, SEVEN)
                    .await
                    .unwrap(),
                None
            );
            petitions::unassign(sys, id, u.handler).await.unwrap();

            let mut fixed = as_read(u.a.id);
            fixed.summary = "Tranh chấp đất rẫy (sửa)".into();
            correct::petition(&a, id, &fixed, SEVEN).await.unwrap();
            petitions::transition(&a, id, &danvan_testkit::seed::eligible(day(3, 6)), NOBODY)
                .await
                .unwrap();
            petitions::assign(&a, id, u.handler).await.unwrap();
            petitions::unassign(&a, id, u.handler).await.unwrap();
            petitions::delete(&a, id).await.unwrap();
            let log = entries(sys, "petition", id).await;
            let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(
                actions,
                [
                    "delete",
                    "unassign",
                    "assign",
                    "transition",
                    "update",
                    "unassign",
                    "assign",
                    "create"
                ]
            );
            let update = &log[4];
            assert_eq!(
                update.before.as_ref().unwrap()["petition"]["summary"],
                "Tranh chấp đất rẫy"
            );
            assert_eq!(
                update.after.as_ref().unwrap()["petition"]["summary"],
                "Tranh chấp đất rẫy (sửa)"
            );
            let transition = &log[3];
            assert_eq!(transition.before.as_ref().unwrap()["status"], "received");
            assert_eq!(transition.after.as_ref().unwrap()["status"], "eligible");
            assert_eq!(log[2].after.as_ref().unwrap()["official_id"], u.handler);
            let deleted = &log[0];
            assert_eq!(deleted.before.as_ref().unwrap()["id"], id);
            assert!(deleted.after.is_none());

            // Other record types: create, update, delete with their ids.
            let r = reception::insert(&a, &reception_at(u.a.id)).await.unwrap();
            let mut changed = reception_at(u.a.id);
            changed.turns = 2;
            changed.persons = 2;
            correct::reception(&a, r, &changed).await.unwrap();
            reception::delete(&a, r).await.unwrap();
            let log = entries(sys, "reception", r).await;
            let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
            assert_eq!(actions, ["delete", "update", "create"]);
            assert_eq!(log[2].after.as_ref().unwrap()["id"], r);
            assert_eq!(log[1].before.as_ref().unwrap()["turns"], 1);
            assert_eq!(log[1].after.as_ref().unwrap()["turns"], 2);
            assert_eq!(log[0].before.as_ref().unwrap()["turns"], 2);

            let m = meetings::insert_many(&a, &[meeting_at(u.a.id)])
                .await
                .unwrap()[0];
            correct::follow_up(&a, m, 0, FollowUp::Transferred)
                .await
                .unwrap();
            let log = entries(sys, "meeting", m).await;
            assert_eq!(log[0].action, "update");
            assert_eq!(
                log[0].after.as_ref().unwrap()["opinions"][0]["follow_up"],
                "transferred"
            );
            let model = models::insert_many(&a, &[model_at(u.a.id)]).await.unwrap()[0];
            correct::model_year(&a, model, &year(ModelStatus::ALL[1]))
                .await
                .unwrap();
            let log = entries(sys, "model", model).await;
            assert_eq!(log.len(), 2);
            assert_eq!(log[1].after.as_ref().unwrap()["years"][0]["year"], 2024);
            assert!(log[0].before.is_some() && log[0].after.is_some());
            let c = petitions::insert_case(&a, &case_at(u.a.id)).await.unwrap();
            correct::case(&a, c, &case_at(u.a.id)).await.unwrap();
            assert_eq!(entries(sys, "case", c).await.len(), 2);
            define_data(sys).await;
            datasets::enter(&a, "dan_van", &[value_at(u.a.id, 3)])
                .await
                .unwrap();
            datasets::enter(&a, "dan_van", &[value_at(u.a.id, 5)])
                .await
                .unwrap();
            let values = danvan_testkit::audit::of_entity(sys, "data_value").await;
            assert_eq!(values.len(), 2);
            assert_eq!(values[0].before.as_ref().unwrap()["value"], 3);
            assert_eq!(values[0].after.as_ref().unwrap()["value"], 5);

            // A change elsewhere, by another commune's official.
            reception::insert(&b, &reception_at(u.b.id)).await.unwrap();

            // Text search ignores diacritics and case: the unit's name,
            // the actor, the record.
            let search = |store: &Store, text: &str| {
                let store = store.clone();
                let filter = AuditFilter {
                    text: Some(text.into()),
                    limit: Some(1000),
                    ..AuditFilter::default()
                };
                async move { audit::list(&store, &filter).await.unwrap() }
            };
            let found = search(sys, "da tong").await;
            assert!(!found.is_empty());
            assert!(found.iter().all(|e| e.unit_id == Some(u.a.id)));
            assert_eq!(search(sys, "ĐẠ TÔNG").await.len(), found.len());
            let long = search(sys, "da long pham").await;
            assert_eq!(long.len(), 1);
            assert_eq!(long[0].unit_id, Some(u.b.id));
            assert!(!search(sys, "pham thi be").await.is_empty());
            assert!(!search(sys, "tranh chap dat ray").await.is_empty());

            // A commune's log shows its own changes only.
            let own = audit::list(
                &a,
                &AuditFilter {
                    limit: Some(1000),
                    ..AuditFilter::default()
                },
            )
            .await
            .unwrap();
            assert!(!own.is_empty());
            assert!(own.iter().all(|e| e.unit_id == Some(u.a.id)));
            let theirs = audit::list(&b, &AuditFilter::default()).await.unwrap();
            assert_eq!(theirs.len(), 1);
            assert_eq!(theirs[0].actor, "Phạm Thị Bé");
            assert!(search(&b, "da tong").await.is_empty());
            db.finish().await;
        }
    });
}

#[test]
fn the_audit_log_can_not_be_edited() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            reception::insert(sys, &reception_at(u.a.id)).await.unwrap();
            let statements = [
                "UPDATE audit_log SET actor = 'ai đó'",
                "DELETE FROM audit_log",
                // An erasure's stamp does not open the way to other edits.
                "UPDATE audit_log SET actor = 'ai đó', erased_at = '2030-01-01 00:00:00'",
            ];
            for sql in statements {
                let refused = common::raw_refused(&db, sql).await;
                assert!(refused, "{sql} went through");
            }
            // Besides the account the setup made.
            let log = audit::list(sys, &AuditFilter::default()).await.unwrap();
            let log: Vec<_> = log.into_iter().filter(|e| e.entity != "user").collect();
            assert_eq!(log.len(), 1);
            assert_eq!(log[0].actor, Actor::system().name);
            db.finish().await;
        }
    });
}

/// The recent-record lists of the pages keep to the subtree: a commune's
/// store lists its own records only, newest first; a district's lists its
/// communes'; a unit outside the scope is not found; the cap holds.
#[test]
fn lists_keep_to_the_subtree_newest_first() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            let u = setup(sys).await;
            define_data(sys).await;
            let a1 = seed(sys, u.a.id, 1).await;
            let b = seed(sys, u.b.id, 2).await;
            let a2 = seed(sys, u.a.id, 3).await;
            seed(sys, u.e.id, 4).await;
            datasets::enter(sys, "dan_van", &[value_at(u.a.id, 4), value_at(u.b.id, 5)])
                .await
                .unwrap();
            let a = sys.within(u.a.id).await.unwrap();
            let d = sys.within(u.d.id).await.unwrap();

            let rec = |s: &Store, unit| {
                let s = s.clone();
                async move {
                    let got = reception::list(&s, unit, 100).await.unwrap();
                    got.into_iter().map(|(id, _)| id).collect::<Vec<i64>>()
                }
            };
            assert_eq!(rec(&a, None).await, vec![a2.reception, a1.reception]);
            assert_eq!(
                rec(&d, None).await,
                vec![a2.reception, b.reception, a1.reception]
            );
            assert_eq!(rec(&d, Some(u.b.id)).await, vec![b.reception]);
            assert_eq!(rec(sys, None).await.len(), 4);
            assert_eq!(
                reception::list(&d, None, 1).await.unwrap()[0].0,
                a2.reception
            );
            is_not_found(
                reception::list(&a, Some(u.b.id), 10).await,
                &format!("đơn vị có mã số {}", u.b.id),
            );

            let mine = |v: Vec<i64>, want: [i64; 2]| assert_eq!(v, want.to_vec());
            mine(
                mediation::list(&a, None, 10)
                    .await
                    .unwrap()
                    .iter()
                    .map(|x| x.0)
                    .collect(),
                [a2.mediation, a1.mediation],
            );
            let got = meetings::list(&a, None, 10).await.unwrap();
            mine(got.iter().map(|x| x.0).collect(), [a2.meeting, a1.meeting]);
            assert_eq!(got[0].1.opinions, meeting_at(u.a.id).opinions);
            let got = models::list(&a, None, 10).await.unwrap();
            mine(got.iter().map(|x| x.0).collect(), [a2.model, a1.model]);
            assert_eq!(got[0].2.as_ref(), Some(&year(ModelStatus::ALL[0])));
            mine(
                oversight::list(&a, None, 10)
                    .await
                    .unwrap()
                    .iter()
                    .map(|x| x.0)
                    .collect(),
                [a2.oversight, a1.oversight],
            );
            is_not_found(
                mediation::list(&d, Some(u.e.id), 10).await,
                &format!("đơn vị có mã số {}", u.e.id),
            );

            // Directives: by number within the scope, the whole country
            // for the unscoped store; one fetched by id only in scope.
            let found = directives::search_in(&a, "kh-ubnd", None).await.unwrap();
            let numbers: Vec<&str> = found.iter().map(|(_, x)| x.number.text.as_str()).collect();
            assert_eq!(numbers, ["3/KH-UBND", "1/KH-UBND"]);
            assert_eq!(
                directives::search_in(sys, "ke hoach", None)
                    .await
                    .unwrap()
                    .len(),
                4
            );
            let (b_doc, _) = directives::search_in(&d, "2/kh", Some(u.b.id))
                .await
                .unwrap()
                .remove(0);
            assert_eq!(directives::get(&d, b_doc).await.unwrap().unit_id, u.b.id);
            is_not_found(
                directives::get(&a, b_doc).await,
                &format!("văn bản chỉ đạo số {b_doc}"),
            );

            // Data entries: per set, unit and period, in the subtree.
            let sets = datasets::sets(sys).await.unwrap();
            assert_eq!(
                sets.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
                ["dan_van"]
            );
            assert_eq!(
                datasets::entries(&a, "dan_van", None, 10).await.unwrap(),
                vec![(u.a.id, "2024".to_string())]
            );
            assert_eq!(
                datasets::entries(&d, "dan_van", None, 10)
                    .await
                    .unwrap()
                    .len(),
                2
            );
            assert_eq!(
                datasets::values_of(&a, "dan_van", u.a.id, "2024")
                    .await
                    .unwrap(),
                vec![value_at(u.a.id, 4)]
            );
            assert!(matches!(
                datasets::values_of(&a, "dan_van", u.b.id, "2024").await,
                Err(StoreError::NotFound(_))
            ));
            db.finish().await;
        }
    });
}
