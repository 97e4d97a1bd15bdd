//! The petitions JSON API over a fresh SQLite store: create, read masked
//! and unmasked, transitions (legal and not), list filters, due lists.

use danvan_testkit::web;

use axum::http::StatusCode;
use chrono::NaiveDate;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_store::accounts::Role;
use danvan_store::petitions;
use serde_json::json;

#[tokio::test]
async fn petitions_api() {
    let env = web::Env::new("api_petitions").await;
    let commune = env.commune;
    // Another user of the same commune, who is not assigned the petition.
    let other = env.user("canbo.xuly", Role::Handler, Some(commune)).await;
    let other_token = env.token_for(&other).await;
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();

    let p = Petition {
        sender: Sender {
            name: "Nguyễn Văn Tố".into(),
            address: "Thôn 3".into(),
            phone: "0912345678".into(),
        },
        ..Petition::received(
            commune,
            d(3, 2),
            PetitionChannel::InPerson,
            PetitionType::Denunciation,
            PetitionField::Land,
        )
    };
    let (st, created) = env.call("POST", "/api/petitions", Some(json!(p))).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["petition"]["sender"]["name"], "***");
    assert_eq!(created["status"], "received");

    // The assigned handler sees the denouncer; another user does not.
    petitions::assign(&env.store, id, env.admin.id)
        .await
        .unwrap();
    let (_, seen) = env.call("GET", &format!("/api/petitions/{id}"), None).await;
    assert_eq!(seen["petition"]["sender"]["name"], "Nguyễn Văn Tố");
    assert_eq!(seen["identity_masked"], false);
    let (st, hidden) = env
        .call_as(
            Some(&other_token),
            "GET",
            &format!("/api/petitions/{id}"),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{hidden}");
    assert_eq!(hidden["petition"]["sender"]["name"], "***");
    assert_eq!(hidden["identity_masked"], true);

    // An illegal step: Vietnamese error with a stable code.
    let resolve = json!({ "event": "resolve", "on": "2026-03-05", "outcome": "right" });
    let uri = format!("/api/petitions/{id}/transition");
    let (st, err) = env.call("POST", &uri, Some(resolve)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "petition.illegal_transition");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("đơn phải được phân loại trước"),
        "{err}"
    );
    // Legal steps.
    let classify =
        json!({ "event": "classify", "on": "2026-03-03", "eligibility": { "kind": "eligible" } });
    let (st, _) = env.call("POST", &uri, Some(classify)).await;
    assert_eq!(st, StatusCode::OK);
    let accept =
        json!({ "event": "handle", "on": "2026-03-04", "handling": "accepted", "complex": true });
    let (st, got) = env.call("POST", &uri, Some(accept)).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["status"], "in_resolution");
    assert_eq!(got["petition"]["deadline"], "2026-04-03");

    // Lists: filters and masking.
    let q = format!(
        "/api/petitions?unit={}&type=to%20cao&status=in_resolution&from=2026-03-01&to=2026-03-31",
        commune
    );
    let (st, list) = env.call("GET", &q, None).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["petitions"].as_array().unwrap().len(), 1);
    assert_eq!(
        list["petitions"][0]["petition"]["sender"]["name"],
        "Nguyễn Văn Tố"
    );
    let (_, list) = env.call_as(Some(&other_token), "GET", &q, None).await;
    assert_eq!(list["petitions"].as_array().unwrap().len(), 1);
    assert_eq!(list["petitions"][0]["petition"]["sender"]["name"], "***");
    let (st, err) = env.call("GET", "/api/petitions?type=khen", None).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "PetitionType.unknown");

    // Due within 5 days of 30 March.
    let q = format!(
        "/api/petitions/due?unit={}&today=2026-03-30&within=5",
        commune
    );
    let (_, due) = env.call("GET", &q, None).await;
    assert_eq!(
        due["due"][0]["text"],
        "thời hạn giải quyết: Sắp đến hạn (còn 4 ngày)"
    );

    // Unknown petition; bad body.
    let (st, err) = env.call("GET", "/api/petitions/999999", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
    let (st, err) = env
        .call(
            "POST",
            "/api/petitions",
            Some(json!(Petition {
                unit_id: 123_456_789,
                ..p
            })),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "petition.unknown_unit");

    env.close().await;
}
