//! Open311 GeoReport v2: an application posts and reads requests exactly
//! as the specification's examples do (a form-encoded POST with its key),
//! in JSON and XML; the request is a petition with channel trực tuyến at
//! the unit answering for the commune named, counted in its facts at once;
//! errors come in the specification's shape with a Vietnamese description
//! and write nothing; a tố cáo shows nothing of its sender.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::petitions::{self, Filter, Viewer};
use danvan_store::portal::open311;
use danvan_store::{facts, units};
use danvan_testkit::web::{Env, Reply};
use serde_json::Value;

async fn get(env: &Env, uri: &str) -> Reply {
    env.send(Request::get(uri).body(Body::empty()).unwrap())
        .await
}

async fn post(env: &Env, uri: &str, fields: &[(&str, &str)]) -> Reply {
    env.send(
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap(),
    )
    .await
}

async fn received(env: &Env, unit: i64) -> i64 {
    facts::dump(&env.store)
        .await
        .unwrap()
        .into_iter()
        .filter(|(k, _)| {
            k.unit_id == unit && k.key == "petition.received" && k.breakdown.is_empty()
        })
        .map(|(_, v)| v)
        .max()
        .unwrap_or(0)
}

async fn count(env: &Env, unit: i64) -> usize {
    petitions::list(
        &env.store,
        &Filter {
            unit: Some(unit),
            ..Default::default()
        },
        Viewer { official_id: 0 },
    )
    .await
    .unwrap()
    .len()
}

/// The fields of the specification's POST example, at xã Đạ Tông (merged
/// into Đam Rông 4 since 1 July 2025).
fn example<'a>(key: &'a str, kind: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("api_key", key),
        ("jurisdiction_id", "24853"),
        ("service_code", kind),
        ("lat", "11.9404"),
        ("long", "108.4583"),
        ("address_string", "Cầu thôn 2, xã Đạ Tông"),
        ("email", "congdan@example.vn"),
        ("device_id", "tt222111"),
        ("account_id", "123456"),
        ("first_name", "Trần"),
        ("last_name", "Văn Gửi"),
        ("phone", "0912 111 222"),
        (
            "description",
            "Tôi là Trần Văn Gửi, báo cáo cầu thôn 2 bị sạt lở sau mưa lũ",
        ),
        ("media_url", "https://example.vn/anh/cau.jpg"),
        ("attribute[consent]", "1"),
    ]
}

fn assert_error(r: &Reply, status: StatusCode, words: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    let e = &v.as_array().expect("errors are a list")[0];
    assert_eq!(e["code"], status.as_u16(), "{v}");
    let d = e["description"].as_str().unwrap();
    assert!(d.contains(words), "{d}");
    assert_eq!(e.as_object().unwrap().len(), 2, "{v}");
}

#[tokio::test]
async fn an_application_posts_and_reads_requests_as_the_specification_shows() {
    let env = Env::new("open311_flow").await;
    let store = &env.store;
    let unit = units::find(store, "24853-2025", None).await.unwrap().id;
    let (_, key) = open311::key_new(store, "Ứng dụng thử").await.unwrap();

    // Discovery and services, JSON and XML, without a session.
    let d = get(&env, "/open311/v2/discovery.json").await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text());
    let d = d.json();
    let ep = &d["endpoints"][0];
    assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(ep["formats"][0], "text/xml");
    assert!(d["changeset"].is_string() && d["contact"].is_string() && d["key_service"].is_string());
    let x = get(&env, "/open311/v2/discovery.xml").await;
    assert!(
        x.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    assert!(
        x.text().contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        ),
        "{}",
        x.text()
    );
    let s = get(&env, "/open311/v2/services.json").await.json();
    let s = s.as_array().unwrap();
    assert_eq!(s.len(), 4);
    let codes: Vec<&str> = s
        .iter()
        .map(|x| x["service_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["feedback", "recommendation", "complaint", "denunciation"]
    );
    assert_eq!(s[3]["service_name"], "tố cáo");
    assert_eq!(s[0]["metadata"], false);
    assert_eq!(s[0]["type"], "realtime");
    assert!(s[0]["keywords"].is_string() && s[0]["group"].is_string());
    let sx = get(&env, "/open311/v2/services.xml").await.text();
    assert!(sx.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert!(
        sx.contains("<services><service><service_code>feedback</service_code><service_name>phản ánh</service_name>"),
        "{sx}"
    );

    // The POST of the specification's example.
    let r = post(
        &env,
        "/open311/v2/requests.json",
        &example(&key, "feedback"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    let created = &v.as_array().unwrap()[0];
    let id = created["service_request_id"].as_str().unwrap().to_string();
    assert!(created["service_notice"].is_string());
    assert!(created["account_id"].is_null());
    assert_eq!(created.as_object().unwrap().len(), 3);
    // Not the petition's number: 24 random hex digits.
    assert_eq!(id.len(), 24, "{id}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));

    // A petition at the commune of today, channel trực tuyến, in the facts.
    assert_eq!(count(&env, unit).await, 1);
    assert_eq!(received(&env, unit).await, 1);
    let list = petitions::list(
        store,
        &Filter {
            unit: Some(unit),
            ..Default::default()
        },
        Viewer { official_id: 0 },
    )
    .await
    .unwrap();
    let p = &list[0].petition;
    assert_eq!(p.channel.label(), "trực tuyến");
    assert_eq!(p.sender.name, "Trần Văn Gửi");
    assert!(p.sender.address.contains("congdan@example.vn"));
    assert_ne!(id, list[0].id.to_string());

    // Read back: one request and the list by number.
    let one = get(&env, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text());
    let one = one.json();
    let got = &one.as_array().unwrap()[0];
    assert_eq!(got["service_request_id"], id.as_str());
    assert_eq!(got["status"], "open");
    assert_eq!(got["service_code"], "feedback");
    assert_eq!(got["service_name"], "phản ánh");
    assert_eq!(got["agency_responsible"], "xã Đam Rông 4");
    assert_eq!(got["address"], "Cầu thôn 2, xã Đạ Tông");
    assert_eq!(got["lat"].as_f64(), Some(11.9404));
    assert_eq!(got["long"].as_f64(), Some(108.4583));
    assert_eq!(got["media_url"], "https://example.vn/anh/cau.jpg");
    assert!(got["status_notes"].is_string());
    let requested = got["requested_datetime"].as_str().unwrap();
    assert!(requested.ends_with("+07:00"), "{requested}");
    assert!(chrono::DateTime::parse_from_rfc3339(requested).is_ok());
    assert!(
        chrono::DateTime::parse_from_rfc3339(got["updated_datetime"].as_str().unwrap()).is_ok()
    );
    // The sender's details are out of sight in the description.
    let description = got["description"].as_str().unwrap();
    assert_eq!(
        description,
        "Tôi là ***, báo cáo cầu thôn 2 bị sạt lở sau mưa lũ"
    );
    let text = one.to_string();
    for secret in ["Trần Văn Gửi", "0912 111 222", "congdan@example.vn"] {
        assert!(!text.contains(secret), "{text}");
    }
    let by_number = get(
        &env,
        &format!("/open311/v2/requests.json?service_request_id={id},khongco"),
    )
    .await
    .json();
    assert_eq!(by_number.as_array().unwrap().len(), 1, "{by_number}");
    assert_eq!(by_number[0], *got);
    let all = get(
        &env,
        "/open311/v2/requests.json?status=open&service_code=feedback",
    )
    .await
    .json();
    assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
    let closed = get(&env, "/open311/v2/requests.json?status=closed")
        .await
        .json();
    assert_eq!(closed.as_array().unwrap().len(), 0, "{closed}");
    let old = get(
        &env,
        "/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2000-02-01T00:00:00Z",
    )
    .await
    .json();
    assert_eq!(old.as_array().unwrap().len(), 0, "{old}");
    let xml = get(&env, &format!("/open311/v2/requests/{id}.xml"))
        .await
        .text();
    assert!(
        xml.contains(&format!(
            "<service_requests><request><service_request_id>{id}</service_request_id><status>open</status>"
        )),
        "{xml}"
    );
    assert!(
        xml.contains("<lat>11.9404</lat><long>108.4583</long>"),
        "{xml}"
    );

    // The XML POST answers in XML.
    let mut other = example(&key, "recommendation");
    other[12].1 = "Kiến nghị lắp đèn chiếu sáng đoạn đường liên thôn";
    let r = post(&env, "/open311/v2/requests.xml", &other).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text()
            .contains("<service_requests><request><service_request_id>"),
        "{}",
        r.text()
    );
    assert_eq!(count(&env, unit).await, 2);

    // Errors in the specification's shape; nothing written.
    let mut bad = example("khoa-sai", "feedback");
    bad[12].1 = "Một nội dung khác để không bị coi là trùng lặp";
    let r = post(&env, "/open311/v2/requests.json", &bad).await;
    assert_error(&r, StatusCode::FORBIDDEN, "api_key");
    bad.remove(0);
    let r = post(&env, "/open311/v2/requests.json", &bad).await;
    assert_error(&r, StatusCode::FORBIDDEN, "thiếu api_key");
    bad.insert(0, ("api_key", &key));
    bad[2].1 = "pothole";
    let r = post(&env, "/open311/v2/requests.json", &bad).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "service_code «pothole»");
    bad[2].1 = "feedback";
    bad[1].1 = "99999";
    let r = post(&env, "/open311/v2/requests.json", &bad).await;
    assert_error(&r, StatusCode::NOT_FOUND, "jurisdiction_id «99999»");
    bad[1].1 = "24853";
    let without: Vec<(&str, &str)> = bad
        .iter()
        .copied()
        .filter(|(k, _)| *k != "description")
        .collect();
    let r = post(&env, "/open311/v2/requests.json", &without).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "thiếu description");
    let without: Vec<(&str, &str)> = bad
        .iter()
        .copied()
        .filter(|(k, _)| *k != "attribute[consent]")
        .collect();
    let r = post(&env, "/open311/v2/requests.json", &without).await;
    assert_error(&r, StatusCode::BAD_REQUEST, "Nghị định 13/2023");
    bad[3].1 = "ba mươi";
    let r = post(&env, "/open311/v2/requests.xml", &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .contains("<errors><error><code>400</code><description>lat «ba mươi»"),
        "{}",
        r.text()
    );
    let r = get(&env, "/open311/v2/requests/khongco.json").await;
    assert_error(&r, StatusCode::NOT_FOUND, "khongco");
    let r = get(&env, "/open311/v2/requests.json?status=dang-lam").await;
    assert_error(&r, StatusCode::BAD_REQUEST, "status «dang-lam»");
    let r = get(&env, "/open311/v2/khongco.json").await;
    assert_error(&r, StatusCode::NOT_FOUND, "/open311/v2/khongco.json");
    assert_eq!(count(&env, unit).await, 2);
    assert_eq!(received(&env, unit).await, 2);

    // A revoked key is refused.
    let (k2, key2) = open311::key_new(store, "Ứng dụng cũ").await.unwrap();
    assert!(open311::key_revoke(store, k2.id).await.unwrap());
    let mut again = example(&key2, "feedback");
    again[12].1 = "Nội dung gửi bằng khoá đã thu hồi, không được ghi";
    let r = post(&env, "/open311/v2/requests.json", &again).await;
    assert_error(&r, StatusCode::FORBIDDEN, "thu hồi");
    assert_eq!(count(&env, unit).await, 2);
    env.close().await;
}

#[tokio::test]
async fn a_denunciation_through_open311_shows_nothing_of_its_sender() {
    let env = Env::new("open311_secret").await;
    let (_, key) = open311::key_new(&env.store, "Ứng dụng thử").await.unwrap();
    let (name, phone) = ("Phạm Kín Đáo", "0976543210");
    let r = post(
        &env,
        "/open311/v2/requests.json",
        &[
            ("api_key", key.as_str()),
            ("jurisdiction_id", "24853-2025"),
            ("service_code", "denunciation"),
            ("first_name", "Phạm"),
            ("last_name", "Kín Đáo"),
            ("phone", phone),
            ("email", "kindao@example.vn"),
            ("address_string", "nhà bà Kín Đáo, thôn 5"),
            ("lat", "11.9"),
            ("long", "108.4"),
            ("media_url", "https://example.vn/kindao.jpg"),
            (
                "description",
                "Tôi, Phạm Kín Đáo, tố cáo việc lấn chiếm đất công ở thôn 5",
            ),
            ("attribute[consent]", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let id = r.json()[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    for uri in [
        format!("/open311/v2/requests/{id}.json"),
        format!("/open311/v2/requests/{id}.xml"),
        format!("/open311/v2/requests.json?service_request_id={id}"),
        "/open311/v2/requests.json".to_string(),
        "/open311/v2/requests.xml".to_string(),
    ] {
        let r = get(&env, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
        let text = r.text();
        assert!(text.contains(&id), "{uri}: {text}");
        for secret in [name, "Kín Đáo", phone, "kindao", "thôn 5", "lấn chiếm"] {
            assert!(!text.contains(secret), "{uri} shows «{secret}»: {text}");
        }
    }
    let one: Value = get(&env, &format!("/open311/v2/requests/{id}.json"))
        .await
        .json();
    let got = &one[0];
    assert_eq!(got["service_code"], "denunciation");
    assert!(got["description"].is_null() && got["address"].is_null());
    assert!(got["lat"].is_null() && got["long"].is_null() && got["media_url"].is_null());
    env.close().await;
}

#[tokio::test]
async fn open311_posts_take_from_the_public_rate_limit() {
    let env = Env::new("open311_rate").await;
    let fields = [("api_key", "khoa-sai"), ("service_code", "feedback")];
    let mut last = None;
    for _ in 0..11 {
        last = Some(post(&env, "/open311/v2/requests.json", &fields).await);
    }
    let r = last.unwrap();
    assert_error(&r, StatusCode::TOO_MANY_REQUESTS, "quá nhiều lần gửi");
    assert!(r.headers.get(header::RETRY_AFTER).is_some());
    // Reads are not limited.
    let s = get(&env, "/open311/v2/services.json").await;
    assert_eq!(s.status, StatusCode::OK);
    env.close().await;
}

/// The administrators' page: a national administrator gives an
/// application its key (shown once) and revokes it; the key works on
/// `/open311/v2` until then. A provincial administrator may not.
#[tokio::test]
async fn a_national_administrator_gives_and_revokes_keys_in_the_browser() {
    let env = Env::new("open311_keys_page").await;
    let province = units::find(&env.store, "68", None).await.unwrap().id;
    env.user("qt.ca.nuoc", danvan_store::accounts::Role::Admin, None)
        .await;
    env.user(
        "qt.tinh",
        danvan_store::accounts::Role::Admin,
        Some(province),
    )
    .await;
    let admin = env.login("qt.ca.nuoc").await;
    let r = env
        .post_in(&admin, "/nguoi-dung/open311", &[("ten", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("tên ứng dụng phải dài từ 2 đến 100 ký tự")
    );
    let r = env
        .post_in(
            &admin,
            "/nguoi-dung/open311",
            &[("ten", "Ứng dụng phản ánh hiện trường")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let page = r.text();
    let key = page
        .split("<code id=\"khoa\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap_or_else(|| panic!("no key shown: {page}"))
        .to_string();
    assert!(key.starts_with("o311_"), "{key}");
    let r = post(
        &env,
        "/open311/v2/requests.json",
        &example(&key, "feedback"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Listed, never shown again.
    let page = env.get_in(&admin, "/nguoi-dung/open311").await.text();
    assert!(page.contains("Ứng dụng phản ánh hiện trường") && page.contains("đang dùng"));
    assert!(!page.contains(&key));
    let id = open311::keys(&env.store).await.unwrap()[0].id;
    // Not a provincial administrator's: the key is good for every unit.
    let provincial = env.login("qt.tinh").await;
    let r = env.get_in(&provincial, "/nguoi-dung/open311").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = env
        .post_in(
            &provincial,
            &format!("/nguoi-dung/open311/{id}/thu-hoi"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = env
        .post_in(&admin, &format!("/nguoi-dung/open311/{id}/thu-hoi"), &[])
        .await;
    assert!(r.status.is_redirection(), "{}", r.text());
    let r = post(
        &env,
        "/open311/v2/requests.json",
        &example(&key, "feedback"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    env.close().await;
}
