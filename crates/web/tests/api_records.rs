//! The JSON APIs of mediation cases, meetings, models, data sets,
//! oversight, directives and figures over fresh SQLite stores: a create →
//! read round trip and refused bad input (nothing written) per type.

use danvan_testkit::web;

use axum::http::StatusCode;
use serde_json::{Value, json};
use web::Env;

trait Refused {
    /// 422 with this code and a Vietnamese message.
    async fn refused(&self, method: &str, uri: &str, body: Value, code: &str) -> Value;
}

impl Refused for Env {
    async fn refused(&self, method: &str, uri: &str, body: Value, code: &str) -> Value {
        let (st, err) = self.call(method, uri, Some(body)).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["code"], code, "{err}");
        assert!(!err["message"].as_str().unwrap().is_empty(), "{err}");
        err
    }
}

/// `v` with one field replaced.
fn with(v: &Value, key: &str, value: Value) -> Value {
    let mut v = v.clone();
    v[key] = value;
    v
}

#[tokio::test]
async fn mediation_api() {
    let env = Env::new("mediation").await;
    let case = json!({
        "unit_id": env.commune, "team": "Tổ hòa giải thôn 2", "received_on": "2026-03-02",
        "field": "land", "result": "in_progress", "summary": "tranh chấp ranh giới",
    });
    let (st, created) = env.call("POST", "/api/mediation", Some(case.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (st, got) = env.call("GET", &format!("/api/mediation/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["case"], case);

    // The result changes: the fact moves, as the figures show.
    let uri = format!("/api/mediation/{id}");
    let success = with(&case, "result", json!("success"));
    let (st, got) = env.call("PUT", &uri, Some(success.clone())).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["case"]["result"], "success");
    let q = "/api/figures?unit=24886-2025&period=2026-H1";
    let (st, f) = env.call("GET", q, None).await;
    assert_eq!(st, StatusCode::OK, "{f}");
    assert_eq!(f["figures"]["all"]["mediation_received"], 1);
    assert_eq!(f["figures"]["all"]["mediation_success"], 1);

    // A change must say which version it was made on (RFC 9110 If-Match):
    // none is 428, a version someone else has changed since is 412, and
    // neither writes anything.
    let put = |tag: Option<&str>, body: &Value| {
        let mut req = web::json_request(Some(&env.token), "PUT", &uri, Some(body.to_string()));
        if let Some(t) = tag {
            req.headers_mut()
                .insert(axum::http::header::IF_MATCH, t.parse().unwrap());
        }
        req
    };
    let read = env
        .send(web::json_request(Some(&env.token), "GET", &uri, None))
        .await;
    let tag = read.headers[axum::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    let failed = with(&case, "result", json!("failure"));
    let r = env.send(put(None, &failed)).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "{}", r.text());
    assert_eq!(r.json()["code"], "version.missing");
    let r = env.send(put(Some(&tag), &failed)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let newer = r.headers[axum::http::header::ETAG]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(newer, tag);
    let r = env.send(put(Some(&tag), &success)).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED, "{}", r.text());
    assert_eq!(r.json()["code"], "stale");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("đã được người khác sửa")
    );
    let (_, got) = env.call("GET", &uri, None).await;
    assert_eq!(
        got["case"]["result"], "failure",
        "the stale change wrote nothing"
    );
    let r = env.send(put(Some(&newer), &success)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // A list with a bad second case: refused, nothing written.
    let bad_date = json!([case, with(&case, "received_on", json!("2026-02-30"))]);
    let err = env
        .refused("POST", "/api/mediation", bad_date, "json.invalid")
        .await;
    assert!(
        err["message"].as_str().unwrap().contains("bản ghi thứ 2/2"),
        "{err}"
    );
    let future = json!([case, with(&case, "received_on", json!("2099-01-01"))]);
    env.refused("POST", "/api/mediation", future, "record.future_date")
        .await;
    let (_, f) = env.call("GET", q, None).await;
    assert_eq!(f["figures"]["all"]["mediation_received"], 1);
    // A good list.
    let (st, ids) = env
        .call("POST", "/api/mediation", Some(json!([case, case])))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{ids}");
    assert_eq!(ids["ids"].as_array().unwrap().len(), 2);

    // Unknown vocabulary value, unknown unit, malformed JSON, blank team.
    let bad = with(&case, "field", json!("dat"));
    env.refused("POST", "/api/mediation", bad, "json.invalid")
        .await;
    let bad = with(&case, "unit_id", json!(123_456_789));
    env.refused("POST", "/api/mediation", bad, "record.unknown_unit")
        .await;
    let (st, err) = env
        .raw("POST", "/api/mediation", Some("{\"unit_id\": ".into()))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "json.invalid");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("dữ liệu JSON không hợp lệ"),
        "{err}"
    );
    let bad = with(&case, "team", json!(" "));
    env.refused("PUT", &uri, bad, "mediation.invalid").await;

    let (st, _) = env.call("DELETE", &uri, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, err) = env.call("GET", &uri, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(err["code"], "not_found");
    let (_, f) = env.call("GET", q, None).await;
    assert_eq!(f["figures"]["all"]["mediation_received"], 2);
    env.close().await;
}

#[tokio::test]
async fn meetings_api() {
    let env = Env::new("meetings").await;
    let m = json!({
        "unit_id": env.commune, "kind": "dialogue", "held_on": "2026-04-10",
        "chair": "Chủ tịch UBND xã", "deputies": "", "participants": 120,
        "subject": "bồi thường giải phóng mặt bằng",
        "opinions": [
            { "content": "giá đền bù thấp", "follow_up": "pending" },
            { "content": "đường vào thôn", "follow_up": "answered_at_meeting" },
        ],
    });
    let (st, created) = env.call("POST", "/api/meetings", Some(m.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (st, got) = env.call("GET", &format!("/api/meetings/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["meeting"], m);

    let uri = format!("/api/meetings/{id}/opinions/1/follow-up");
    let (st, got) = env
        .call(
            "PUT",
            &uri,
            Some(json!({ "follow_up": "trả lời bằng văn bản sau" })),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(
        got["meeting"]["opinions"][0]["follow_up"],
        "answered_in_writing"
    );
    env.refused(
        "PUT",
        &uri,
        json!({ "follow_up": "quên" }),
        "FollowUp.unknown",
    )
    .await;
    let (st, _) = env
        .call(
            "PUT",
            &format!("/api/meetings/{id}/opinions/3/follow-up"),
            Some(json!({ "follow_up": "pending" })),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Refused: a dialogue without chair; an impossible date; a bad kind.
    env.refused(
        "POST",
        "/api/meetings",
        with(&m, "chair", json!("")),
        "meeting.invalid",
    )
    .await;
    let bad = with(&m, "held_on", json!("2026-13-01"));
    env.refused("POST", "/api/meetings", bad, "json.invalid")
        .await;
    let bad = with(&m, "kind", json!("hop"));
    env.refused("POST", "/api/meetings", bad, "json.invalid")
        .await;

    let (st, _) = env
        .call("DELETE", &format!("/api/meetings/{id}"), None)
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = env.call("GET", &format!("/api/meetings/{id}"), None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    env.close().await;
}

#[tokio::test]
async fn models_api() {
    let env = Env::new("models").await;
    let year = |y: i32, on: &str, status: &str| json!({ "year": y, "recorded_on": on, "status": status, "recognised": false, "award": "" });
    let body = json!({
        "model": { "unit_id": env.commune, "name": "Dân vận khéo trong xây dựng nông thôn mới",
                   "level": "grassroots", "field": "economy" },
        "years": [year(2025, "2025-09-01", "new")],
    });
    let (st, created) = env.call("POST", "/api/models", Some(body.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (st, got) = env.call("GET", &format!("/api/models/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["model"], body["model"]);
    assert_eq!(got["years"], body["years"]);

    let uri = format!("/api/models/{id}/years");
    let (st, got) = env
        .call("PUT", &uri, Some(year(2026, "2026-02-01", "maintained")))
        .await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["years"][1]["status"], "maintained");

    // Refused: no year; an unknown status; an unknown model.
    env.refused(
        "POST",
        "/api/models",
        with(&body, "years", json!([])),
        "model.no_year",
    )
    .await;
    env.refused("PUT", &uri, year(2026, "2026-02-01", "dep"), "json.invalid")
        .await;
    let (st, _) = env
        .call(
            "PUT",
            "/api/models/999999/years",
            Some(year(2026, "2026-02-01", "new")),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, got) = env.call("GET", &format!("/api/models/{id}"), None).await;
    assert_eq!(got["years"].as_array().unwrap().len(), 2);
    env.close().await;
}

#[tokio::test]
async fn datasets_api() {
    let env = Env::new("datasets").await;
    let element = json!({
        "code": "thanh_tra", "label": "Số cuộc thanh tra", "measure": "cuộc",
        "value_type": "integer", "scale": 0, "aggregation": "sum", "options": [],
    });
    let (st, got) = env
        .call("POST", "/api/data-elements", Some(element.clone()))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{got}");
    let bad = with(&element, "code", json!("Thanh Tra"));
    env.refused("POST", "/api/data-elements", bad, "data.bad_code")
        .await;

    let set = json!({ "code": "tt", "name": "Thanh tra", "period_type": "half", "elements": ["thanh_tra"] });
    let (st, got) = env.call("POST", "/api/data-sets", Some(set.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{got}");
    let (st, got) = env.call("GET", "/api/data-sets/tt", None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["set"], set);
    assert_eq!(got["elements"][0], element);
    let bad = with(&set, "elements", json!(["khong_co"]));
    env.refused("POST", "/api/data-sets", bad, "data.unknown_element")
        .await;
    let (st, _) = env.call("GET", "/api/data-sets/khong", None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let v = json!({ "unit_id": env.commune, "element": "thanh_tra", "period": "2026-H1", "option": "", "value": 4 });
    let (st, got) = env
        .call("POST", "/api/data-sets/tt/values", Some(json!([v])))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{got}");
    let q = format!(
        "/api/data-values?unit={}&element=thanh_tra&period=2026-H1",
        env.commune
    );
    let (st, got) = env.call("GET", &q, None).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["value"], 4);

    // A bad period in a list: nothing written.
    let list = json!([
        with(&v, "value", json!(9)),
        with(&v, "period", json!("2026-H3"))
    ]);
    let (st, err) = env
        .call("POST", "/api/data-sets/tt/values", Some(list))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (_, got) = env.call("GET", &q, None).await;
    assert_eq!(got["value"], 4);
    let (st, err) = env
        .call(
            "GET",
            "/api/data-values?unit=123456789&element=thanh_tra&period=2026-H1",
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "record.unknown_unit");
    let (st, err) = env
        .call("GET", "/api/data-values?unit=x&element=thanh_tra", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "query.invalid");
    env.close().await;
}

#[tokio::test]
async fn oversight_and_directives_api() {
    let env = Env::new("oversight").await;
    let o = json!({
        "unit_id": env.commune, "organisation": "front", "kind": "supervision",
        "held_on": "2026-05-05", "subject": "thực hiện quy chế dân chủ", "targets": "UBND xã",
        "recommendations": 3,
    });
    let (st, created) = env.call("POST", "/api/oversight", Some(o.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (st, got) = env.call("GET", &format!("/api/oversight/{id}"), None).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(got["oversight"], o);
    let bad = with(&o, "organisation", json!("club"));
    env.refused("POST", "/api/oversight", bad, "json.invalid")
        .await;
    let bad = with(&o, "unit_id", json!(123_456_789));
    env.refused("POST", "/api/oversight", bad, "record.unknown_unit")
        .await;

    let d = json!({
        "unit_id": env.commune, "number": "57/KH-UBND", "issued_on": "2026-03-15",
        "issuer": "UBND xã", "title": "Kế hoạch thực hiện Dân vận khéo năm 2026",
    });
    let (st, created) = env.call("POST", "/api/directives", Some(d.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let q = format!("/api/directives?q=dan%20van%20kheo&within={}", env.commune);
    let (st, got) = env.call("GET", &q, None).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["directives"].as_array().unwrap().len(), 1);
    assert_eq!(
        got["directives"][0]["directive"]["number"]["text"],
        "57/KH-UBND"
    );
    assert_eq!(got["directives"][0]["directive"]["title"], d["title"]);
    let bad = with(&d, "number", json!("KH bay"));
    env.refused("POST", "/api/directives", bad, "directive.bad_number")
        .await;
    env.refused("POST", "/api/directives", d.clone(), "directive.duplicate")
        .await;
    let (_, got) = env.call("GET", &q, None).await;
    assert_eq!(got["directives"].as_array().unwrap().len(), 1);

    // Figures: an unknown unit, an impossible period.
    let (st, err) = env
        .call("GET", "/api/figures?unit=khong%20co&period=2026-H1", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err["code"], "unit.not_found");
    let (st, _) = env
        .call("GET", "/api/figures?unit=24886-2025&period=2026-H7", None)
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    env.close().await;
}

/// Cases (vụ việc) through the generic API: create one or a list, read
/// with an ETag, correct (resolve) under If-Match, bad input refused with
/// nothing written, delete; the OpenAPI document describes the paths.
#[tokio::test]
async fn cases_api() {
    let env = Env::new("cases_api").await;
    let case = json!({
        "unit_id": env.commune, "opened_on": "2026-03-02",
        "title": "Khiếu nại bồi thường đường liên xã", "complex": true, "crowd": true,
        "prolonged": false, "resolved_on": null,
    });
    let (st, created) = env.call("POST", "/api/cases", Some(case.clone())).await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["record"], case);
    let uri = format!("/api/cases/{id}");
    let read = env
        .send(web::json_request(Some(&env.token), "GET", &uri, None))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.headers.contains_key(axum::http::header::ETAG));

    let resolved = with(&case, "resolved_on", json!("2026-03-20"));
    let (st, got) = env.call("PUT", &uri, Some(resolved)).await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["record"]["resolved_on"], "2026-03-20");
    let q = "/api/figures?unit=24886-2025&period=2026-H1";
    let (_, f) = env.call("GET", q, None).await;
    assert_eq!(f["figures"]["all"]["case_flagged"], 1, "{f}");
    assert_eq!(f["figures"]["all"]["case_flagged_resolved"], 1, "{f}");

    // Bad input, alone or in a list: 422, nothing written.
    env.refused(
        "POST",
        "/api/cases",
        with(&case, "title", json!(" ")),
        "case.invalid",
    )
    .await;
    let early = with(&case, "resolved_on", json!("2026-03-01"));
    let err = env
        .refused(
            "POST",
            "/api/cases",
            json!([case.clone(), early]),
            "case.date_order",
        )
        .await;
    assert!(err.to_string().contains("trước ngày phát sinh"), "{err}");
    let (st, many) = env
        .call(
            "POST",
            "/api/cases",
            Some(json!([case.clone(), case.clone()])),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{many}");
    assert_eq!(many["ids"].as_array().unwrap().len(), 2);
    let (_, f) = env.call("GET", q, None).await;
    assert_eq!(f["figures"]["all"]["case_flagged"], 3, "{f}");

    let (st, _) = env.call("DELETE", &uri, None).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, _) = env.call("GET", &uri, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    let (_, doc) = env.call("GET", "/api/openapi.json", None).await;
    assert!(doc["paths"]["/api/cases"]["post"].is_object(), "{doc}");
    assert!(doc["paths"]["/api/cases/{id}"]["put"].is_object());
    assert!(doc["components"]["schemas"]["Case"].is_object());
    env.close().await;
}

/// Figures are kept between two identical questions (the server's cache
/// of figures) but never stale: a case recorded in between is in the
/// second answer, and a second one in the third.
#[tokio::test]
async fn figures_kept_between_questions_are_never_stale() {
    let env = Env::new("figures_kept").await;
    let q = "/api/figures?unit=24886-2025&period=2026-H1";
    let received = || async {
        let (st, f) = env.call("GET", q, None).await;
        assert_eq!(st, StatusCode::OK, "{f}");
        f["figures"]["all"]["mediation_received"].as_i64().unwrap()
    };
    assert_eq!(received().await, 0);
    assert_eq!(received().await, 0);
    let case = json!({
        "unit_id": env.commune, "team": "Tổ hòa giải thôn 2", "received_on": "2026-03-02",
        "field": "land", "result": "in_progress", "summary": "tranh chấp ranh giới",
    });
    for expected in [1, 2] {
        let (st, created) = env.call("POST", "/api/mediation", Some(case.clone())).await;
        assert_eq!(st, StatusCode::CREATED, "{created}");
        assert_eq!(received().await, expected);
        assert_eq!(received().await, expected);
    }
    env.close().await;
}
