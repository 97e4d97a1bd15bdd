//! Errors name nothing outside the user's unit subtree, on both engines: a
//! record that exists elsewhere is refused with the very words, variant
//! and code of a record that does not exist, so no answer tells "exists
//! elsewhere" from "never was"; a dossier code taken elsewhere is refused
//! as a plain clash that names no unit.

mod common;

use danvan_testkit::correct;

use danvan_testkit::seed::{
    self, case as case_at, day, meeting as meeting_at, model as model_at, model_year as year,
};

use danvan_core::records::meeting::FollowUp;
use danvan_core::records::model::ModelStatus;
use danvan_core::records::petition::{Eligibility, Event, Petition, PetitionType, Sender};
use danvan_core::records::reception::{Reception, ReceptionOutcome};
use danvan_store::audit::{self, Filter as AuditFilter};
use danvan_store::petitions::{self, Viewer};
use danvan_store::units::{self, Unit};
use danvan_store::{Actor, Store, StoreError, accounts, dossiers, meetings, models, reception};

const NOBODY: Viewer = Viewer { official_id: 0 };
/// An id no record of these tests has.
const MISSING: i64 = 987_654;

async fn unit(store: &Store, code: &str) -> Unit {
    units::find(store, code, None).await.unwrap()
}

fn petition(unit: i64) -> Petition {
    seed::petition(unit, PetitionType::Complaint)
}

/// `store` limited to `u`'s subtree, acting as an official of it.
async fn official_of(store: &Store, u: &Unit) -> Store {
    seed::official_of(store, u.id).await
}

/// A reception at `unit` that took in petition `petition_id`.
fn taken_in(unit: i64, petition_id: Option<i64>) -> Reception {
    Reception {
        outcome: ReceptionOutcome::PetitionReceived,
        petition_id,
        ..seed::reception(unit, 1)
    }
}

/// What a user can tell of an error: its kind (with the domain code)
/// and its words.
fn seen(e: &StoreError) -> (String, String) {
    let kind = match e {
        StoreError::Invalid(d) => format!("Invalid {}", d.code),
        StoreError::InvalidRows(ds) => format!(
            "InvalidRows {}",
            ds.iter().map(|d| d.code).collect::<Vec<_>>().join(",")
        ),
        StoreError::NotFound(_) => "NotFound".into(),
        StoreError::Forbidden(_) => "Forbidden".into(),
        StoreError::Stale(_) => "Stale".into(),
        StoreError::Locked(_) => "Locked".into(),
        StoreError::Connect(..) => "Connect".into(),
        StoreError::Db(_) | StoreError::Sqlite(_) => "Db".into(),
    };
    (kind, e.to_string())
}

/// The refusal of a record that exists outside the store's subtree must
/// be the refusal of id [`MISSING`], byte for byte once the id is put
/// back, and must name none of `hidden` (the units the user may not see).
#[track_caller]
fn same_as_missing<T: std::fmt::Debug>(
    elsewhere: Result<T, StoreError>,
    missing: Result<T, StoreError>,
    id: impl ToString,
    hidden: &[&str],
) {
    let elsewhere = elsewhere.expect_err("a record elsewhere must be refused");
    let missing = missing.expect_err("a missing record must be refused");
    let (kind, text) = seen(&missing);
    let expected = (kind, text.replace(&MISSING.to_string(), &id.to_string()));
    let got = seen(&elsewhere);
    assert_eq!(
        got, expected,
        "a record elsewhere reads unlike a missing one"
    );
    for name in hidden {
        assert!(!got.1.contains(name), "«{name}» named in: {}", got.1);
    }
}

async fn setup(store: &Store) {
    danvan_testkit::units::load(store).await;
}

#[test]
fn a_reception_naming_a_petition_elsewhere_reads_as_naming_no_petition() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            setup(sys).await;
            let district = unit(sys, "674").await; // huyện Đam Rông
            let commune = unit(sys, "24853").await; // xã Đạ Tông, in the district
            let sibling = unit(sys, "24856").await; // xã Đạ Long, in the district
            let city = unit(sys, "522").await; // thành phố Quảng Ngãi, elsewhere
            let at_city = petitions::insert(sys, &petition(city.id)).await.unwrap();
            let at_district = petitions::insert(sys, &petition(district.id))
                .await
                .unwrap();
            let at_sibling = petitions::insert(sys, &petition(sibling.id)).await.unwrap();
            let hidden = ["Quảng Ngãi", "Đam Rông", "Đạ Long"];

            // An official of the district, a petition of the city.
            let d = official_of(sys, &district).await;
            let here = taken_in(district.id, Some(at_city));
            let none = taken_in(district.id, Some(MISSING));
            same_as_missing(
                reception::insert(&d, &here).await,
                reception::insert(&d, &none).await,
                at_city,
                &hidden[..1],
            );
            // In a batch, with the record's position.
            let ok = taken_in(district.id, None);
            same_as_missing(
                reception::insert_many(&d, &[ok.clone(), here.clone()]).await,
                reception::insert_many(&d, &[ok.clone(), none.clone()]).await,
                at_city,
                &hidden[..1],
            );
            // Through a correction of a reception of the district.
            let id = reception::insert(&d, &ok).await.unwrap();
            same_as_missing(
                correct::reception(&d, id, &here).await,
                correct::reception(&d, id, &none).await,
                at_city,
                &hidden[..1],
            );

            // An official of a commune, a petition of the district above
            // and one of the commune next door.
            let c = official_of(sys, &commune).await;
            for (p, h) in [(at_district, &hidden[1..2]), (at_sibling, &hidden[2..3])] {
                same_as_missing(
                    reception::insert(&c, &taken_in(commune.id, Some(p))).await,
                    reception::insert(&c, &taken_in(commune.id, Some(MISSING))).await,
                    p,
                    h,
                );
            }

            // Inside the user's subtree the petition is no secret: the
            // refusal still says where it was received.
            let e = reception::insert(&d, &taken_in(commune.id, Some(at_sibling)))
                .await
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "Trường «petition_id»: đơn số {at_sibling} do xã Đạ Long nhận, \
                     không thuộc xã Đạ Tông hay đơn vị trực thuộc"
                )
            );
            // Nothing was written by the refusals.
            assert_eq!(reception::all(sys).await.unwrap().len(), 1);
            db.finish().await;
        }
    });
}

const HEADER: &str = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n";

/// A one-stop export of one dossier `code` received at `unit`.
fn export(code: &str, unit: &str) -> std::io::Cursor<Vec<u8>> {
    let csv =
        format!("{HEADER}1,{code},1.001,Thủ tục 1,{unit},Trực tiếp,,02/01/2020,2020-01-12,,,\n");
    std::io::Cursor::new(csv.into_bytes())
}

async fn import(store: &Store, code: &str, unit: &str) -> Result<(), StoreError> {
    dossiers::import::import_csv(store, export(code, unit), Default::default(), |_| {})
        .await
        .map(|_| ())
}

#[test]
fn a_dossier_code_taken_elsewhere_is_a_clash_that_names_no_unit() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            setup(sys).await;
            // Codes of the commune next door, of the district above, and
            // of another province.
            import(sys, "HS-LONG", "24856").await.unwrap();
            import(sys, "HS-HUYEN", "674").await.unwrap();
            import(sys, "HS-QN", "522").await.unwrap();
            let before = dossiers::count(sys).await.unwrap();
            let a = official_of(sys, &unit(sys, "24853").await).await;

            let expected = |code: &str| {
                format!(
                    "Tệp có 1 lỗi, không ghi dữ liệu nào:\n  Dòng 2, cột «ma_ho_so»: \
                     mã hồ sơ «{code}» đã được dùng cho một hồ sơ khác; mỗi mã hồ sơ \
                     chỉ dùng cho một hồ sơ trên cả nước, kiểm tra lại mã trong tệp"
                )
            };
            for code in ["HS-LONG", "HS-HUYEN", "HS-QN"] {
                let e = import(&a, code, "24853").await.unwrap_err();
                assert_eq!(
                    seen(&e),
                    ("InvalidRows dossier.code_taken".into(), expected(code))
                );
                // A read of it is the read of a code that never was.
                same_as_missing(
                    dossiers::get(&a, code).await,
                    dossiers::get(&a, &MISSING.to_string()).await,
                    code,
                    &["Đạ Long", "Đam Rông", "Quảng Ngãi"],
                );
            }
            assert_eq!(dossiers::count(sys).await.unwrap(), before);
            db.finish().await;
        }
    });
}

/// Every change by id of a record elsewhere is refused as the change of
/// an id that does not exist (a "forbidden" would tell that it exists).
#[test]
fn every_change_of_a_record_elsewhere_reads_as_one_of_no_record() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            setup(sys).await;
            let here = unit(sys, "24853").await;
            let there = unit(sys, "522").await;
            let handler = accounts::create(
                sys,
                &accounts::NewUser {
                    username: "xuly.datong".into(),
                    full_name: "Cán bộ xử lý đơn".into(),
                    password: "mat-khau-du-dai".into(),
                    role: accounts::Role::Handler,
                    unit_id: Some(here.id),
                },
            )
            .await
            .unwrap()
            .id;
            let p = petitions::insert(sys, &petition(there.id)).await.unwrap();
            let r = reception::insert(sys, &taken_in(there.id, None))
                .await
                .unwrap();
            let m = meetings::insert_many(sys, &[meeting_at(there.id)])
                .await
                .unwrap()[0];
            let mo = models::insert_many(sys, &[model_at(there.id)])
                .await
                .unwrap()[0];
            let c = petitions::insert_case(sys, &case_at(there.id))
                .await
                .unwrap();
            let a = official_of(sys, &here).await;
            let hidden = ["Quảng Ngãi"];
            let classify = Event::Classify {
                on: day(3, 5),
                eligibility: Eligibility::Eligible,
            };
            let mine = taken_in(here.id, None);
            let as_read = Petition {
                sender: Sender::masked(),
                ..petition(here.id)
            };
            for (id, elsewhere, missing) in [
                (
                    p,
                    correct::petition(&a, p, &as_read, NOBODY).await,
                    correct::petition(&a, MISSING, &as_read, NOBODY).await,
                ),
                (
                    p,
                    petitions::delete(&a, p).await,
                    petitions::delete(&a, MISSING).await,
                ),
                (
                    p,
                    petitions::assign(&a, p, handler).await,
                    petitions::assign(&a, MISSING, handler).await,
                ),
                (
                    p,
                    petitions::unassign(&a, p, handler).await,
                    petitions::unassign(&a, MISSING, handler).await,
                ),
                (
                    c,
                    correct::case(&a, c, &case_at(here.id)).await,
                    correct::case(&a, MISSING, &case_at(here.id)).await,
                ),
                (
                    r,
                    correct::reception(&a, r, &mine).await,
                    correct::reception(&a, MISSING, &mine).await,
                ),
                (
                    r,
                    reception::delete(&a, r).await,
                    reception::delete(&a, MISSING).await,
                ),
                (
                    m,
                    correct::follow_up(&a, m, 0, FollowUp::Transferred).await,
                    correct::follow_up(&a, MISSING, 0, FollowUp::Transferred).await,
                ),
                (
                    m,
                    meetings::delete(&a, m).await,
                    meetings::delete(&a, MISSING).await,
                ),
                (
                    mo,
                    correct::model_year(&a, mo, &year(ModelStatus::ALL[1])).await,
                    correct::model_year(&a, MISSING, &year(ModelStatus::ALL[1])).await,
                ),
            ] {
                same_as_missing(elsewhere, missing, id, &hidden);
            }
            same_as_missing(
                petitions::transition(&a, p, &classify, NOBODY).await,
                petitions::transition(&a, MISSING, &classify, NOBODY).await,
                p,
                &hidden,
            );
            same_as_missing(
                petitions::assignees(&a, p).await,
                petitions::assignees(&a, MISSING).await,
                p,
                &hidden,
            );
            // The history of a record elsewhere is the history of none (for
            // an officer; an administrator's search finds nothing of either).
            let officer = sys
                .acting_as(Actor {
                    user_id: Some(8),
                    name: "Trần Thị Cán bộ".into(),
                    role: Some(accounts::Role::Officer),
                })
                .within(here.id)
                .await
                .unwrap();
            let history = |id: i64| AuditFilter {
                entity: Some("petition".into()),
                entity_id: Some(id.to_string()),
                ..AuditFilter::default()
            };
            same_as_missing(
                audit::list(&officer, &history(p)).await,
                audit::list(&officer, &history(MISSING)).await,
                p,
                &hidden,
            );
            db.finish().await;
        }
    });
}
