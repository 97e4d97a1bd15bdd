//! The reporting chain over HTTP, as its users and clients drive it: the
//! district asks through the API, the communes answer through pages and
//! the API, the district reviews; a locked record is refused with 409 and
//! Vietnamese words, a late correction goes through with its header and
//! shows on the accepted report; the stored DOCX keeps its SHA-256.

use danvan_testkit::web::{self, Env};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::accounts::Role;
use danvan_store::mediation;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn with_token(token: &str, method: &str, uri: &str, body: Option<Value>) -> Request<Body> {
    web::json_request(Some(token), method, uri, body.map(|b| b.to_string()))
}

#[tokio::test]
async fn district_asks_communes_answer_and_periods_lock() {
    let env = Env::new("chain_api").await;
    let store = &env.store;
    let district = danvan_testkit::units::id(store, "674").await;
    let da_tong = danvan_testkit::units::id(store, "24853").await;
    let da_long = danvan_testkit::units::id(store, "24856").await;
    store.set_clock(Some(
        chrono::NaiveDate::from_ymd_opt(2020, 6, 25)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap(),
    ));
    let case = json!({
        "unit_id": da_tong, "team": "Tổ hòa giải thôn 1", "received_on": "2020-03-04",
        "field": "land", "result": "in_progress", "summary": "tranh chấp ranh giới",
    });
    let (s, made) = env.call("POST", "/api/mediation", Some(case.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{made}");
    let record = made["id"].as_i64().unwrap();

    let officer = env.user("huyen", Role::Officer, Some(district)).await;
    let huyen = env.token_for(&officer).await;
    let leader = env.user("lanhdao.xa", Role::Viewer, Some(da_tong)).await;
    let xa = env.token_for(&leader).await;
    let other = env.user("xakhac", Role::Officer, Some(da_long)).await;
    let xa_khac = env.token_for(&other).await;

    // The district asks; a wrong template and a due date before the period
    // are refused in Vietnamese.
    let ask = json!({"unit": district, "template": "bao-cao-6-thang", "period": "2020-H1",
        "due_on": "2020-07-05", "document": "1027-CV/BDVHU", "target": "communes"});
    let mut bad = ask.clone();
    bad["template"] = json!("khong-co");
    let (s, e) = env
        .call_as(Some(&huyen), "POST", "/api/requests", Some(bad))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("không có mẫu báo cáo"),
        "{e}"
    );
    let mut bad = ask.clone();
    bad["due_on"] = json!("2019-12-31");
    let (s, e) = env
        .call_as(Some(&huyen), "POST", "/api/requests", Some(bad))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = env
        .call_as(Some(&xa), "POST", "/api/requests", Some(ask.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, req) = env
        .call_as(Some(&huyen), "POST", "/api/requests", Some(ask))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{req}");
    let rid = req["id"].as_i64().unwrap();
    assert_eq!(req["units"].as_array().unwrap().len(), 8);

    // The commune sees it on its dashboard and in its notices.
    let page = env.login("lanhdao.xa").await;
    let dash = env
        .get_in(&page, &format!("/?don_vi={da_tong}&ky=2020"))
        .await;
    assert!(
        dash.text().contains("Cấp trên yêu cầu báo cáo"),
        "{}",
        dash.text()
    );
    assert!(dash.text().contains("còn 10 ngày"));
    let notices = env.get_in(&page, "/thong-bao").await.text();
    assert!(notices.contains("notice-reports") && notices.contains("còn 10 ngày"));

    // The commune prepares and sends its report through the pages.
    let r = env
        .post_in(
            &page,
            &format!("/bao-cao/yeu-cau/{rid}/soan"),
            &[("don_vi", &da_tong.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let at = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let sid: i64 = at.rsplit('/').next().unwrap().parse().unwrap();
    let draft = env.get_in(&page, &at).await.text();
    assert!(draft.contains("Bản xem trước") && draft.contains("submit-form"));
    // The form offers the commune's issuing bodies; the People's
    // Committee is chosen.
    assert!(
        draft.contains("<option value=\"mttq\">") && draft.contains("<option value=\"ubnd\">"),
        "{draft}"
    );
    let r = env
        .post_in(
            &page,
            &format!("/bao-cao/gui/{sid}/gui"),
            &[
                ("so", "12/BC-UBND"),
                ("ngay", "02/07/2020"),
                ("co_quan", "ubnd"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // Another commune cannot read it, review it, or answer for it.
    let (s, _) = env
        .call_as(
            Some(&xa_khac),
            "GET",
            &format!("/api/submissions/{sid}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env
        .call_as(
            Some(&xa_khac),
            "POST",
            &format!("/api/submissions/{sid}/accept"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = env
        .call_as(
            Some(&xa),
            "POST",
            &format!("/api/submissions/{sid}/accept"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Completeness through the API and as XLSX.
    let (s, c) = env
        .call_as(
            Some(&huyen),
            "GET",
            &format!("/api/requests/{rid}/completeness"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["summary"], "1/8 đơn vị đã gửi, 1 đúng hạn");
    let huyen_page = env.login("huyen").await;
    let xlsx = env
        .get_in(
            &huyen_page,
            &format!("/bao-cao/yeu-cau/{rid}?dinh_dang=xlsx"),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"), "an XLSX is a zip");
    let table = env
        .get_in(&huyen_page, &format!("/bao-cao/yeu-cau/{rid}"))
        .await
        .text();
    assert!(
        table.contains("1&#x2f;8 đơn vị đã gửi, 1 đúng hạn"),
        "{table}"
    );
    assert!(table.contains("đã gửi đúng hạn") && table.contains("chưa thực hiện"));

    // The district accepts; the record dated in the period is locked.
    let (s, st) = env
        .call_as(
            Some(&huyen),
            "POST",
            &format!("/api/submissions/{sid}/accept"),
            None,
        )
        .await;
    assert_eq!(
        (s, st["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    let mut more = case.clone();
    more["result"] = json!("success");
    let (s, e) = env
        .call(
            "PUT",
            &format!("/api/mediation/{record}"),
            Some(more.clone()),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["code"], "period_locked");
    assert!(e["message"].as_str().unwrap().contains("12/BC-UBND"), "{e}");
    let (s, _) = env.call("POST", "/api/mediation", Some(case.clone())).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // The page of the correction says so too.
    let officer_page = env.login("huyen").await;
    let form = env
        .get_in(&officer_page, &format!("/ghi-nhan/hoa-giai/{record}/sua"))
        .await;
    assert!(form.text().contains("sua_sau_duyet"));

    // A late correction: its reason in the header, percent-encoded.
    let read = env
        .send(with_token(
            &huyen,
            "GET",
            &format!("/api/mediation/{record}"),
            None,
        ))
        .await;
    let tag = read.headers[header::ETAG].clone();
    let mut put = with_token(
        &huyen,
        "PUT",
        &format!("/api/mediation/{record}"),
        Some(more),
    );
    put.headers_mut().insert(header::IF_MATCH, tag);
    put.headers_mut().insert(
        "x-late-correction",
        "S%E1%BB%ADa%20s%E1%BB%91%20l%C6%B0%E1%BB%A3t%20g%C3%B5%20nh%E1%BA%A7m"
            .parse()
            .unwrap(),
    );
    let r = env.send(put).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (_, sub) = env
        .call_as(
            Some(&huyen),
            "GET",
            &format!("/api/submissions/{sid}"),
            None,
        )
        .await;
    assert_eq!(sub["late_corrections"][0]["reason"], "Sửa số lượt gõ nhầm");
    let diffs = sub["changed_after_acceptance"].as_array().unwrap();
    assert!(
        diffs
            .iter()
            .any(|d| d["code"] == "mediation_success" && d["change"] == "+1"),
        "{sub}"
    );
    let shown = env
        .get_in(&page, &format!("/bao-cao/gui/{sid}"))
        .await
        .text();
    assert!(
        shown.contains("Số liệu đã thay đổi sau khi duyệt"),
        "{shown}"
    );

    // The stored DOCX downloads with the SHA-256 it was sent with.
    let docx = env
        .send(with_token(
            &huyen,
            "GET",
            &format!("/api/submissions/{sid}/docx"),
            None,
        ))
        .await;
    assert_eq!(docx.status, StatusCode::OK);
    let sha = format!("{:x}", Sha256::digest(&docx.body));
    assert_eq!(sub["docx_sha256"].as_str(), Some(sha.as_str()));
    assert_eq!(docx.headers["x-content-sha256"].to_str().unwrap(), sha);

    // The record is what the late correction made it.
    let r = mediation::get(store, record).await.unwrap();
    assert_eq!(r.result.code(), "success");
    env.close().await;
}
