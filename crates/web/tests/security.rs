//! Regressions of the security audit: each test reproduces one defect the
//! audit found, through the server as a user or client would meet it.
//!
//! 1. A spreadsheet bomb (cells A1 and XFD1048576) uploaded on `/nhap-tep`
//!    killed the process; and it was read before any role check.
//! 2. The audit log kept a denouncer's identity readable and searchable.
//! 3. An unassigned officer could overwrite a denouncer's identity and turn
//!    the denunciation into a complaint through `PUT /api/petitions/{id}`.
//! 4. A count of 9.223.372.036.854.775.807 overflowed the facts for good.

use danvan_testkit::web;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_store::accounts::Role;
use danvan_store::{audit, facts, petitions, reception, units};
use serde_json::json;
use web::{Env, Session};

/// An XLSX of 2 cells whose used range is the whole sheet.
fn xlsx_bomb() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "unit").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save_to_buffer().unwrap()
}

/// A multipart upload of `bytes` as `kind` through the import page.
async fn upload(
    env: &Env,
    who: &Session,
    kind: &str,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, String) {
    let boundary = "ranh-gioi-bom-9x";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"loai\"\r\n\r\n{kind}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(format!("/nhap-tep?_csrf={}", who.csrf))
        .header(header::COOKIE, who.cookie_header())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    let r = env.send(req).await;
    (r.status, r.text())
}

async fn get_page(env: &Env, who: &Session, uri: &str) -> (StatusCode, String) {
    let r = env.get_in(who, uri).await;
    (r.status, r.text())
}

async fn post_form(
    env: &Env,
    who: &Session,
    uri: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = env.post_in(who, uri, fields).await;
    (r.status, r.text())
}

#[tokio::test]
async fn a_spreadsheet_bomb_is_refused_and_the_server_keeps_answering() {
    let env = Env::new("sec_bomb").await;
    let bomb = xlsx_bomb();
    assert!(
        bomb.len() < 16 * 1024,
        "the bomb is small: {} bytes",
        bomb.len()
    );

    // A read-only viewer is refused before the file is read at all.
    env.user("xem", Role::Viewer, Some(env.commune)).await;
    let viewer = env.login("xem").await;
    let (st, body) = upload(&env, &viewer, "receptions", "bom.xlsx", &bomb).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("không được nhập"), "{body}");

    // An officer who may import gets a Vietnamese 4xx naming the limit.
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let officer = env.login("canbo").await;
    let (st, body) = upload(&env, &officer, "receptions", "bom.xlsx", &bomb).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("XFD1048576") || body.contains("giới hạn"),
        "{body}"
    );

    // Still answering.
    let (st, _) = get_page(&env, &officer, "/nhap-tep").await;
    assert_eq!(st, StatusCode::OK);
    env.close().await;
}

fn denunciation(unit: i64) -> Petition {
    Petition {
        sender: Sender {
            name: "Hoàng Thị Xuyến".into(),
            address: "Thôn Bí Mật, xã Đam Rông 1".into(),
            phone: "0987654321".into(),
        },
        summary: "Tố cáo cán bộ địa chính".into(),
        ..Petition::received(
            unit,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            PetitionChannel::InPerson,
            PetitionType::Denunciation,
            PetitionField::Land,
        )
    }
}

/// The id of [`denunciation`] of the commune, sent by the administrator.
async fn denounced(env: &Env) -> i64 {
    let (st, created) = env
        .call(
            "POST",
            "/api/petitions",
            Some(json!(denunciation(env.commune))),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{created}");
    created["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_audit_log_keeps_a_denouncers_identity_secret() {
    let env = Env::new("sec_audit").await;
    let id = denounced(&env).await;
    // A correction logs the record before and after.
    let mut corrected = denunciation(env.commune);
    corrected.summary = "Tố cáo cán bộ địa chính thu tiền sai".into();
    corrected.sender = Sender::masked();
    let (st, body) = env
        .call(
            "PUT",
            &format!("/api/petitions/{id}"),
            Some(json!(corrected)),
        )
        .await;
    assert!(st.is_success(), "{body}");

    // The national administrator, not assigned to the petition, reads the
    // log: the changes are there, the identity is not, and searching for it
    // finds nothing.
    let admin = env.login("quantri").await;
    let (st, page) = get_page(&env, &admin, "/nhat-ky?loai=petition").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains(&format!("{id}")), "{page}");
    for secret in ["Xuyến", "0987654321", "Thôn Bí Mật"] {
        assert!(!page.contains(secret), "«{secret}» in the log:\n{page}");
        let found = audit::list(
            &env.store,
            &audit::Filter {
                text: Some(secret.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(found.is_empty(), "a search for «{secret}» finds {found:?}");
    }
    let (_, page) = get_page(&env, &admin, "/nhat-ky?q=0987654321").await;
    let (_, none) = get_page(&env, &admin, "/nhat-ky?q=khongaico").await;
    assert_eq!(
        page.matches("<tr").count(),
        none.matches("<tr").count(),
        "the search for the phone number is a yes/no test"
    );
    env.close().await;
}

#[tokio::test]
async fn an_unassigned_officer_can_neither_erase_nor_reclassify_a_denunciation() {
    let env = Env::new("sec_reclassify").await;
    let id = denounced(&env).await;
    let officer = env.user("canbo", Role::Officer, Some(env.commune)).await;
    let token = env.token_for(&officer).await;

    // New sender values and kind "complaint", by someone not assigned.
    let mut p = denunciation(env.commune);
    p.kind = PetitionType::Complaint;
    p.sender = Sender {
        name: "Không Ai".into(),
        address: "".into(),
        phone: "".into(),
    };
    let uri = format!("/api/petitions/{id}");
    let put = |p: &Petition| env.call_as(Some(&token), "PUT", &uri, Some(json!(p)));
    let (st, err) = put(&p).await;
    assert!(st.is_client_error(), "{st} {err}");
    assert!(
        err["message"].as_str().unwrap_or("").contains("tố cáo"),
        "{err}"
    );
    // New sender values alone, keeping the kind: refused too.
    let mut p = denunciation(env.commune);
    p.sender.name = "Không Ai".into();
    let (st, err) = put(&p).await;
    assert!(st.is_client_error(), "{st} {err}");

    // Unchanged, as an assigned handler sees it.
    let handler = env.user("xuly", Role::Handler, Some(env.commune)).await;
    petitions::assign(&env.store, id, handler.id).await.unwrap();
    let seen = petitions::get(
        &env.store,
        id,
        petitions::Viewer {
            official_id: handler.id,
        },
    )
    .await
    .unwrap();
    assert_eq!(seen.petition.kind, PetitionType::Denunciation);
    assert_eq!(seen.petition.sender.name, "Hoàng Thị Xuyến");
    assert_eq!(seen.petition.sender.phone, "0987654321");
    env.close().await;
}

#[tokio::test]
async fn an_absurd_count_is_refused_and_the_facts_stay_whole() {
    let env = Env::new("sec_overflow").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let officer = env.login("canbo").await;
    let commune = env.commune.to_string();
    let form = |turns: &'static str| {
        vec![
            ("unit_id", commune.clone()),
            ("received_on", "02/03/2026".to_string()),
            ("kind", "regular".to_string()),
            ("content", "complaint".to_string()),
            ("outcome", "guided".to_string()),
            ("turns", turns.to_string()),
            ("persons", turns.to_string()),
            ("delegations", "0".to_string()),
            ("delegation_persons", "0".to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let send = |v: Vec<(&'static str, String)>| {
        let env = &env;
        let officer = &officer;
        async move {
            let fields: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(env, officer, "/ghi-nhan/tiep-cong-dan", &fields).await
        }
    };
    for absurd in ["9223372036854775807", "1000000000"] {
        let (st, body) = send(as_refs(&form(absurd))).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{absurd}: {body}");
    }
    let (st, body) = send(form("3")).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");

    // The same through the store (as imports and the API reach it).
    let mut r = reception::list(&env.store, None, 10).await.unwrap()[0]
        .1
        .clone();
    r.turns = i64::MAX;
    r.persons = i64::MAX;
    let err = reception::insert(&env.store, &r).await.unwrap_err();
    assert!(err.to_string().contains("lượt"), "{err}");

    // The figures read 3 turns; facts equal a recount.
    let (st, f) = env
        .call("GET", "/api/figures?unit=24886-2025&period=2026-H1", None)
        .await;
    assert_eq!(st, StatusCode::OK, "{f}");
    assert_eq!(f["figures"]["all"]["reception_turns"], 3, "{f}");
    let all = units::all(&env.store).await.unwrap();
    let mut contributions = Vec::new();
    for (_, r) in reception::list(&env.store, None, 1000).await.unwrap() {
        danvan_core::fact::FactSource::contributions(&r, &mut contributions);
    }
    assert_eq!(
        facts::dump(&env.store).await.unwrap(),
        facts::recount(&all, &contributions)
    );
    env.close().await;
}

#[tokio::test]
async fn handlers_are_assigned_by_the_unit_and_only_they_see_the_denouncer() {
    let env = Env::new("sec_assign").await;
    let id = denounced(&env).await;
    let officer = env.user("canbo", Role::Officer, Some(env.commune)).await;
    let handler = env.user("xuly", Role::Handler, Some(env.commune)).await;
    let viewer = env.user("xem", Role::Viewer, Some(env.commune)).await;
    let (officer_t, handler_t, viewer_t) = (
        env.token_for(&officer).await,
        env.token_for(&handler).await,
        env.token_for(&viewer).await,
    );
    let uri = format!("/api/petitions/{id}/assignments");
    let body = |who: i64| Some(json!({ "official_id": who }));

    // A handler may not assign themselves, nor a viewer anyone.
    let (st, err) = env
        .call_as(Some(&handler_t), "POST", &uri, body(handler.id))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{err}");
    let (st, err) = env
        .call_as(Some(&viewer_t), "POST", &uri, body(handler.id))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{err}");
    // Nor may a viewer be assigned: their role handles no petition.
    let (st, err) = env
        .call_as(Some(&officer_t), "POST", &uri, body(viewer.id))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("không giải quyết đơn"),
        "{err}"
    );

    // The officer assigns the handler: the handler now reads the identity.
    let (st, list) = env
        .call_as(Some(&officer_t), "POST", &uri, body(handler.id))
        .await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list[0]["username"], "xuly");
    let one = format!("/api/petitions/{id}");
    let (_, seen) = env.call_as(Some(&handler_t), "GET", &one, None).await;
    assert_eq!(seen["petition"]["sender"]["name"], "Hoàng Thị Xuyến");
    let (_, hidden) = env.call_as(Some(&officer_t), "GET", &one, None).await;
    assert_eq!(hidden["petition"]["sender"]["name"], "***");
    // And the assigned handler may correct the identity.
    let mut p = denunciation(env.commune);
    p.sender.phone = "0911111111".into();
    let (st, got) = env
        .call_as(Some(&handler_t), "PUT", &one, Some(json!(p)))
        .await;
    assert_eq!(st, StatusCode::OK, "{got}");
    assert_eq!(got["petition"]["sender"]["phone"], "0911111111");

    // Logged: the assignment, and the log's identity is for the handler.
    let log = danvan_testkit::audit::history(&env.store, "petition", id).await;
    assert!(log.iter().any(|e| e.action == "assign"), "{log:?}");
    let created_entry = log.iter().find(|e| e.action == "create").unwrap();
    let v = |official_id| petitions::Viewer { official_id };
    let got = petitions::logged_identity(&env.store, created_entry.id, v(handler.id))
        .await
        .unwrap()
        .expect("the handler reads the logged identity");
    assert_eq!(got["after"]["name"], "Hoàng Thị Xuyến");
    assert_eq!(
        petitions::logged_identity(&env.store, created_entry.id, v(officer.id))
            .await
            .unwrap(),
        None
    );

    // Withdrawn: masked again.
    let (st, list) = env
        .call_as(
            Some(&officer_t),
            "DELETE",
            &format!("{uri}/{}", handler.id),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 0);
    let (_, hidden) = env.call_as(Some(&handler_t), "GET", &one, None).await;
    assert_eq!(hidden["petition"]["sender"]["name"], "***");

    // The page: the officer sees the form and assigns through it.
    let s = env.login("canbo").await;
    let (st, page) = get_page(&env, &s, &format!("/don-thu/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("id=\"assign-form\""), "{page}");
    let (st, body) = post_form(
        &env,
        &s,
        &format!("/don-thu/{id}/phan-cong"),
        &[("official_id", &handler.id.to_string())],
    )
    .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    let (_, page) = get_page(&env, &s, &format!("/don-thu/{id}")).await;
    assert!(page.contains("Người dùng xuly"), "{page}");
    env.close().await;
}

#[tokio::test]
async fn after_login_no_redirect_leaves_the_site() {
    let env = Env::new("sec_redirect").await;
    // The login form's own CSRF token: its pre-session cookie, echoed.
    let pre = "ab".repeat(32);
    let login = |next: &'static str| {
        let form = serde_urlencoded::to_string([
            ("_csrf", pre.as_str()),
            ("username", "quantri"),
            ("password", web::PASSWORD),
            ("tiep", next),
        ])
        .unwrap();
        Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("danvan_dang_nhap={pre}"))
            .body(Body::from(form))
            .unwrap()
    };
    for evil in [
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "https://evil.example/x",
        "/ /evil.example",
    ] {
        let r = env.send(login(evil)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{evil:?}");
        assert_eq!(r.headers[header::LOCATION], "/", "{evil:?}");
    }
    let r = env.send(login("/don-thu?trang=2")).await;
    assert_eq!(r.headers[header::LOCATION], "/don-thu?trang=2");
    env.close().await;
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let env = Env::new("sec_headers").await;
    let admin = env.login("quantri").await;
    let mut answers = Vec::new();
    for uri in ["/", "/don-thu", "/nguoi-dung", "/dang-nhap", "/khong-co"] {
        answers.push((uri, env.get_in(&admin, uri).await));
    }
    answers.push((
        "/api/petitions",
        env.send(web::json_request(
            Some(&env.token),
            "GET",
            "/api/petitions",
            None,
        ))
        .await,
    ));
    // The page that shows a new API token.
    let r = env
        .post_in(&admin, "/nguoi-dung/khoa-api", &[("name", "thử")])
        .await;
    assert!(r.text().contains("dv_"), "{}", r.text());
    answers.push(("/nguoi-dung/khoa-api", r));
    for (uri, r) in &answers {
        let h = &r.headers;
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{uri}");
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{uri}");
    }
    // No inline script is left for the policy to block.
    let (_, page) = get_page(&env, &admin, "/ghi-nhan/tiep-cong-dan/moi").await;
    assert!(!page.contains("onsubmit="), "{page}");
    assert!(!page.contains("<script>"), "{page}");
    env.close().await;
}

/// `n` distinct words of three letters.
fn words(n: usize) -> Vec<String> {
    let letters = b"abcdefghijklmnopqrstuvwxyz";
    (0..n)
        .map(|i| {
            let l = |k: usize| letters[(i / k) % 26] as char;
            format!("{}{}{}", l(676), l(26), l(1))
        })
        .collect()
}

#[tokio::test]
async fn a_search_of_thousands_of_words_is_a_vietnamese_4xx() {
    let env = Env::new("sec_search").await;
    let q = words(5000).join("+");
    let (st, err) = env
        .call(
            "GET",
            &format!("/api/directives?within={}&q={q}", env.commune),
            None,
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["code"], "search.too_long", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("tối đa 20 từ"),
        "{err}"
    );
    // The store refuses 20.000 words too, and the log's search likewise.
    let many = words(20_000).join(" ");
    let e = danvan_store::directives::search_in(&env.store, &many, None)
        .await
        .unwrap_err();
    assert!(matches!(e, danvan_store::StoreError::Invalid(_)), "{e}");
    let e = audit::list(
        &env.store,
        &audit::Filter {
            text: Some(many),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, danvan_store::StoreError::Invalid(_)), "{e}");
    // Still answering, and a short search works.
    let uri = format!("/api/directives?within={}&q=nghi+quyet", env.commune);
    let (st, _) = env.call("GET", &uri, None).await;
    assert_eq!(st, StatusCode::OK);
    env.close().await;
}
