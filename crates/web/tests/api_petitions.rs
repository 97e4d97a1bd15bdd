//! The petitions JSON API over a fresh SQLite store: create, read masked
//! and unmasked, transitions (legal and not), list filters, due lists.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use chrono::NaiveDate;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_store::{Store, petitions, unit_import, units};
use serde_json::{Value, json};
use tower::ServiceExt;

const FIXTURE: &str = include_str!("../../../fixtures/units.csv");

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    official: Option<i64>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(o) = official {
        req = req.header("x-official-id", o.to_string());
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    }
    .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn petitions_api() {
    let path = std::env::temp_dir().join(format!("danvan_web_api_{}.db", std::process::id()));
    let url = path.display().to_string();
    let store = Store::open(&url).await.unwrap();
    unit_import::import_csv(&store, FIXTURE.as_bytes())
        .await
        .unwrap();
    let commune = units::find(&store, "24886-2025", None).await.unwrap();
    let app = danvan_web::router(store.clone());
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();

    let p = Petition {
        sender: Sender {
            name: "Nguyễn Văn Tố".into(),
            address: "Thôn 3".into(),
            phone: "0912345678".into(),
        },
        ..Petition::received(
            commune.id,
            d(3, 2),
            PetitionChannel::InPerson,
            PetitionType::Denunciation,
            PetitionField::Land,
        )
    };
    let (st, created) = call(&app, "POST", "/api/petitions", None, Some(json!(p))).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["petition"]["sender"]["name"], "***");
    assert_eq!(created["status"], "received");

    petitions::assign(&store, id, 7).await.unwrap();
    let (_, seen) = call(&app, "GET", &format!("/api/petitions/{id}"), Some(7), None).await;
    assert_eq!(seen["petition"]["sender"]["name"], "Nguyễn Văn Tố");
    let (_, hidden) = call(&app, "GET", &format!("/api/petitions/{id}"), Some(1), None).await;
    assert_eq!(hidden["petition"]["sender"]["name"], "***");

    // An illegal step: Vietnamese error with a stable code.
    let resolve = json!({ "event": "resolve", "on": "2026-03-05", "outcome": "right" });
    let uri = format!("/api/petitions/{id}/transition");
    let (st, err) = call(&app, "POST", &uri, Some(7), Some(resolve)).await;
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
    let (st, _) = call(&app, "POST", &uri, Some(7), Some(classify)).await;
    assert_eq!(st, StatusCode::OK);
    let accept =
        json!({ "event": "handle", "on": "2026-03-04", "handling": "accepted", "complex": true });
    let (st, got) = call(&app, "POST", &uri, Some(7), Some(accept)).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["status"], "in_resolution");
    assert_eq!(got["petition"]["deadline"], "2026-04-03");

    // Lists: filters and masking.
    let q = format!(
        "/api/petitions?unit={}&type=to%20cao&status=in_resolution&from=2026-03-01&to=2026-03-31",
        commune.id
    );
    let (st, list) = call(&app, "GET", &q, None, None).await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["petitions"].as_array().unwrap().len(), 1);
    assert_eq!(list["petitions"][0]["petition"]["sender"]["name"], "***");
    let (st, err) = call(&app, "GET", "/api/petitions?type=khen", None, None).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "PetitionType.unknown");

    // Due within 5 days of 30 March.
    let q = format!(
        "/api/petitions/due?unit={}&today=2026-03-30&within=5",
        commune.id
    );
    let (_, due) = call(&app, "GET", &q, None, None).await;
    assert_eq!(
        due["due"][0]["text"],
        "thời hạn giải quyết: Sắp đến hạn (còn 4 ngày)"
    );

    // Unknown petition; bad body.
    let (st, err) = call(&app, "GET", "/api/petitions/999999", None, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
    let (st, err) = call(
        &app,
        "POST",
        "/api/petitions",
        None,
        Some(json!(Petition {
            unit_id: 123_456_789,
            ..p
        })),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "petition.unknown_unit");

    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{url}{suffix}"));
    }
}
