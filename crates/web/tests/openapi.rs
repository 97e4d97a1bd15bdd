//! The OpenAPI document: public, and naming exactly the API routes of the
//! route table (method and path), so it cannot drift from the router.

use danvan_testkit::web;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::{Value, json};
use web::Env;

/// Every `$ref` in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(s)) => out.push(s.clone()),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// The property names of a component schema.
fn properties(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {schema} has no properties"))
        .keys()
        .cloned()
        .collect()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn document_names_every_api_route_and_nothing_else() {
    let env = Env::new("openapi").await;
    let (st, doc) = env.call_as(None, "GET", "/api/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK, "the document needs no login");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");

    let table: BTreeSet<(String, String)> = danvan_web::routes()
        .table()
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.method.as_str().to_lowercase(), r.path.to_string()))
        .collect();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                documented.insert((method.clone(), path.clone()));
                assert!(op["operationId"].is_string(), "{method} {path}");
                assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()));
            }
        }
    }
    web::same_routes(
        &table,
        &documented,
        "routes missing in the document",
        "documented paths the router lacks",
    );
    let ids: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|i| i.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    assert_eq!(ids.len(), table.len(), "operation ids are unique");

    // Changes describe their body; path parameters are declared.
    for (method, path) in &table {
        let op = &doc["paths"][path][method];
        if method == "post" || method == "put" {
            assert!(
                op["requestBody"]["content"]["application/json"]["schema"].is_object(),
                "{method} {path} has no body schema"
            );
        }
        for seg in path.split('/').filter(|s| s.starts_with('{')) {
            let name = seg.trim_matches(|c| c == '{' || c == '}');
            let declared = op["parameters"]
                .as_array()
                .is_some_and(|ps| ps.iter().any(|p| p["name"] == name && p["in"] == "path"));
            assert!(declared, "{method} {path}: parameter {name} undeclared");
        }
    }

    // Sign-in: a bearer token or a session; the document itself is public.
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["khoa_api"]["type"], "http");
    assert_eq!(schemes["khoa_api"]["scheme"], "bearer");
    assert_eq!(schemes["phien"]["in"], "cookie");
    assert_eq!(schemes["phien"]["name"], "danvan_phien");
    assert_eq!(
        doc["paths"]["/api/openapi.json"]["get"]["security"],
        json!([{}])
    );
    assert!(doc["paths"]["/api/openapi.json"]["get"]["responses"]["401"].is_null());
    for (method, path) in table.iter().filter(|(_, p)| p != "/api/openapi.json") {
        let responses = &doc["paths"][path][method]["responses"];
        for status in ["401", "403", "404", "422", "500"] {
            assert!(
                responses[status].is_object(),
                "{method} {path}: no {status}"
            );
        }
    }

    // The error body, and every reference resolves.
    assert_eq!(
        properties(&doc, "ApiErrorBody"),
        ["at", "code", "errors", "message"].map(String::from).into()
    );
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let (kind, name) = r
            .strip_prefix("#/components/")
            .and_then(|s| s.split_once('/'))
            .unwrap_or_else(|| panic!("odd reference {r}"));
        assert!(
            doc["components"][kind][name].is_object(),
            "unresolved reference {r}"
        );
    }

    // Bodies as sent match their schemas' fields: a petition read back,
    // and an error.
    let p = json!(danvan_core::records::petition::Petition::received(
        env.commune,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        danvan_core::records::petition::PetitionChannel::Post,
        danvan_core::records::petition::PetitionType::Complaint,
        danvan_core::records::petition::PetitionField::Land,
    ));
    let (st, got) = env.call("POST", "/api/petitions", Some(p)).await;
    assert_eq!(st, StatusCode::CREATED, "{got}");
    assert_eq!(keys(&got), properties(&doc, "PetitionRead"));
    assert_eq!(keys(&got["petition"]), properties(&doc, "Petition"));
    let (st, err) = env.call("GET", "/api/petitions/999999", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(
        keys(&err),
        ["at", "code", "message"].map(String::from).into()
    );
    assert_eq!(err["at"], json!({ "kind": "nowhere" }));
    let (st, err) = env.call_as(None, "GET", "/api/petitions", None).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert_eq!(
        keys(&err),
        ["at", "code", "message"].map(String::from).into()
    );
    env.close().await;
}
