//! The DHIS2 API's import options and refusals, through the router:
//! `atomicMode=NONE` writes the good values and lists the bad ones,
//! `importStrategy=CREATE` leaves entered values alone, what danvan does
//! not do is refused in DHIS2's shape with a Vietnamese message, and only
//! the DHIS2 ways of signing in open it (a page's session cookie does not).
//! The whole API, driven by DHIS2's own client on both engines, is
//! `crates/danvan/tests/dhis2_client.rs`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_core::records::dataset::{Aggregation, DataElement, DataSet, PeriodType, ValueType};
use danvan_store::datasets;
use danvan_testkit::web::{self, Env};
use serde_json::{Value, json};

async fn env() -> Env {
    let env = Env::new("dhis2").await;
    for code in ["so_cuoc", "so_nguoi"] {
        datasets::define_element(
            &env.store,
            &DataElement {
                code: code.into(),
                label: format!("Số {code}"),
                measure: "cuộc".into(),
                value_type: ValueType::Integer,
                scale: 0,
                aggregation: Aggregation::Sum,
                options: vec![],
            },
        )
        .await
        .unwrap();
    }
    datasets::define_set(
        &env.store,
        &DataSet {
            code: "thu".into(),
            name: "Số liệu thử".into(),
            period_type: PeriodType::Half,
            elements: vec!["so_cuoc".into(), "so_nguoi".into()],
        },
    )
    .await
    .unwrap();
    env
}

fn set(values: Value) -> Value {
    json!({ "dataSet": "thu", "period": "2025S2", "orgUnit": "24886-2025", "dataValues": values })
}

async fn post(env: &Env, query: &str, body: Value) -> (StatusCode, Value) {
    env.call(
        "POST",
        &format!("/dhis2/api/dataValueSets{query}"),
        Some(body),
    )
    .await
}

async fn entered(env: &Env, element: &str) -> Option<i64> {
    datasets::value(&env.store, env.commune, element, "2025-H2", "")
        .await
        .unwrap()
}

#[tokio::test]
async fn import_options_and_refusals() {
    let env = env().await;

    // atomicMode=NONE: the good value goes in, the bad one is listed.
    let (st, r) = post(
        &env,
        "?atomicMode=NONE",
        set(json!([
            { "dataElement": "so_cuoc", "value": "3" },
            { "dataElement": "so_nguoi", "value": "3,5" },
        ])),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    let summary = &r["response"];
    assert_eq!(summary["status"], "WARNING", "{r}");
    assert_eq!(summary["importCount"]["imported"], 1, "{r}");
    assert_eq!(summary["importCount"]["ignored"], 1, "{r}");
    assert_eq!(summary["conflicts"][0]["indexes"], json!([1]), "{r}");
    assert_eq!(entered(&env, "so_cuoc").await, Some(3));
    assert_eq!(entered(&env, "so_nguoi").await, None);

    // A store refusal (a period of the wrong type) under atomicMode=NONE.
    let (st, r) = post(
        &env,
        "?atomicMode=NONE",
        json!({ "dataSet": "thu", "orgUnit": "24886-2025", "dataValues": [
            { "dataElement": "so_nguoi", "period": "2025S2", "value": "8" },
            { "dataElement": "so_nguoi", "period": "2025", "value": "9" },
        ]}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    assert_eq!(r["response"]["importCount"]["imported"], 1, "{r}");
    let c = &r["response"]["conflicts"][0];
    assert_eq!(c["indexes"], json!([1]), "{r}");
    assert!(
        c["value"]
            .as_str()
            .unwrap()
            .contains("không phải kỳ 6 tháng"),
        "{r}"
    );
    assert_eq!(entered(&env, "so_nguoi").await, Some(8));

    // CREATE leaves an entered value alone; UPDATE changes only those.
    let (st, r) = post(
        &env,
        "?importStrategy=CREATE",
        set(json!([{ "dataElement": "so_cuoc", "value": "4" }])),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["response"]["importCount"]["ignored"], 1, "{r}");
    assert_eq!(entered(&env, "so_cuoc").await, Some(3));
    let (st, r) = post(
        &env,
        "?importStrategy=UPDATE",
        set(json!([{ "dataElement": "so_cuoc", "value": "4" }])),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    assert_eq!(r["response"]["importCount"]["updated"], 1, "{r}");
    assert_eq!(entered(&env, "so_cuoc").await, Some(4));

    // Refused whole, in DHIS2's shape, nothing written.
    let one = set(json!([{ "dataElement": "so_cuoc", "value": "9" }]));
    for (query, says) in [
        ("?dryRun=true", "chạy thử"),
        ("?importStrategy=DELETE", "không xoá"),
        ("?atomicMode=SOME", "atomicMode"),
    ] {
        let (st, r) = post(&env, query, one.clone()).await;
        assert_eq!(st, StatusCode::CONFLICT, "{query}: {r}");
        assert_eq!(r["status"], "ERROR", "{r}");
        assert_eq!(r["httpStatusCode"], 409, "{r}");
        assert!(
            r["message"].as_str().unwrap().contains(says),
            "{query}: {r}"
        );
    }
    let indicator = set(json!([{ "dataElement": "dossier_on_time_rate", "value": "9" }]));
    let (st, r) = post(&env, "", indicator).await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
    assert!(
        r["response"]["conflicts"][0]["value"]
            .as_str()
            .unwrap()
            .contains("chỉ đọc"),
        "{r}"
    );
    assert_eq!(entered(&env, "so_cuoc").await, Some(4));

    // One value, and reading it back.
    let (st, r) = env
        .call(
            "POST",
            "/dhis2/api/dataValues",
            Some(json!({ "dataElement": "so_nguoi", "period": "2025S2", "orgUnit": "24886-2025", "value": "12" })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    let (st, r) = env
        .call(
            "GET",
            "/dhis2/api/dataValues?de=so_nguoi&pe=2025S2&ou=24886-2025",
            None,
        )
        .await;
    assert_eq!(
        (st, r["value"].clone()),
        (StatusCode::OK, json!("12")),
        "{r}"
    );

    // Bad queries and unknown paths answer in DHIS2's shape.
    for (uri, status, says) in [
        (
            "/dhis2/api/organisationUnits?filter=level:zz:1",
            409,
            "phép so",
        ),
        (
            "/dhis2/api/organisationUnits?fields=id,parent[id",
            409,
            "ngoặc",
        ),
        ("/dhis2/api/organisationUnits?page=0", 409, "page"),
        (
            "/dhis2/api/analytics?dimension=dx:so_cuoc&dimension=pe:LAST_YEAR&dimension=ou:24886-2025",
            409,
            "LAST_YEAR",
        ),
        (
            "/dhis2/api/dataValueSets?dataSet=thu&orgUnit=24886-2025",
            409,
            "startDate",
        ),
        ("/dhis2/api/khong-co", 404, "khong-co"),
    ] {
        let (st, r) = env.call("GET", uri, None).await;
        assert_eq!(st.as_u16(), status, "{uri}: {r}");
        assert_eq!(r["status"], "ERROR", "{uri}: {r}");
        assert!(r["message"].as_str().unwrap().contains(says), "{uri}: {r}");
    }

    // Signing in: Basic and ApiToken open it; a page's session does not.
    let basic = |user: &str, password: &str| {
        use base64::Engine as _;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
        )
    };
    let info = |auth: Option<String>| {
        let mut req = Request::get("/dhis2/api/system/info");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        req.body(Body::empty()).unwrap()
    };
    for (auth, want) in [
        (Some(basic("quantri", web::PASSWORD)), StatusCode::OK),
        (Some(format!("ApiToken {}", env.token)), StatusCode::OK),
        (Some(basic("quantri", "sai")), StatusCode::UNAUTHORIZED),
        (Some("ApiToken khong-dung".into()), StatusCode::UNAUTHORIZED),
        (None, StatusCode::UNAUTHORIZED),
    ] {
        let r = env.send(info(auth.clone())).await;
        assert_eq!(r.status, want, "{auth:?}: {}", r.text());
    }
    let session = env.login("quantri").await;
    let r = env.get_in(&session, "/dhis2/api/system/info").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text());
    assert_eq!(r.json()["status"], "ERROR");
    env.close().await;
}
