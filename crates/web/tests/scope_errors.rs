//! Through the pages, a record outside the user's unit subtree is refused
//! as one that does not exist: an official of one district who links a
//! reception to a petition of another gets the page a wrong petition
//! number gets, status and words, and the other unit is never named.

use danvan_testkit::web;

use axum::http::StatusCode;
use chrono::NaiveDate;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_core::records::reception::ReceptionOutcome;
use danvan_store::accounts::Role;
use danvan_store::{petitions, units};
use web::{Env, Reply, Session};

/// A petition number no record has.
const MISSING: &str = "987654";

async fn post_form(env: &Env, who: &Session, uri: &str, fields: &[(&str, &str)]) -> Reply {
    env.post_in(who, uri, fields).await
}

/// A reception at `unit` that took in petition number `petition`, sent
/// through the page's form.
async fn link(env: &Env, who: &Session, unit: i64, petition: &str) -> Reply {
    let unit = unit.to_string();
    let outcome = ReceptionOutcome::PetitionReceived.code();
    let fields = [
        ("unit_id", unit.as_str()),
        ("received_on", "05/03/2024"),
        ("official", "Nguyễn Thị Lan"),
        ("position", "Chủ tịch UBND huyện"),
        ("kind", "periodic"),
        ("content", "complaint"),
        ("outcome", outcome),
        ("turns", "1"),
        ("persons", "1"),
        ("delegations", "0"),
        ("delegation_persons", "0"),
        ("petition_id", petition),
        ("note", ""),
    ];
    post_form(env, who, "/ghi-nhan/tiep-cong-dan", &fields).await
}

#[tokio::test]
async fn a_petition_of_another_district_reads_as_a_wrong_number() {
    let env = Env::new("scope_errors").await;
    let district = units::find(&env.store, "674", None).await.unwrap(); // huyện Đam Rông
    let city = units::find(&env.store, "522", None).await.unwrap(); // thành phố Quảng Ngãi
    let elsewhere = petitions::insert(
        &env.store,
        &Petition {
            sender: Sender {
                name: "Trần Văn Bình".into(),
                address: "Phường Trần Phú".into(),
                phone: String::new(),
            },
            summary: "Đền bù giải phóng mặt bằng".into(),
            ..Petition::received(
                city.id,
                NaiveDate::from_ymd_opt(2024, 3, 4).unwrap(),
                PetitionChannel::InPerson,
                PetitionType::Complaint,
                PetitionField::Land,
            )
        },
    )
    .await
    .unwrap()
    .to_string();
    env.user("canbo.damrong", Role::Officer, Some(district.id))
        .await;
    let me = env.login("canbo.damrong").await;

    let missing = link(&env, &me, district.id, MISSING).await;
    let linked = link(&env, &me, district.id, &elsewhere).await;

    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .text()
            .contains(&format!("không tìm thấy đơn số {MISSING}")),
        "{}",
        missing.text()
    );
    assert_eq!(linked.status, missing.status);
    // The whole page, byte for byte once the number is put back.
    assert_eq!(linked.text(), missing.text().replace(MISSING, &elsewhere));
    assert!(!linked.text().contains("Quảng Ngãi"), "{}", linked.text());
    env.close().await;
}
