//! The dashboard page over its cache: a record saved through the API is in
//! the next view of the page, each reader's page carries their own name
//! and CSRF token (only the data is kept, not the page), and a reader of
//! another subtree gets 404 even while the dashboard is cached.

use danvan_testkit::web;

use axum::http::StatusCode;
use danvan_store::accounts::Role;
use danvan_store::units;
use serde_json::json;
use web::{Env, Reply, Session, card};

async fn page(env: &Env, s: &Session, uri: &str) -> Reply {
    env.get_in(s, uri).await
}

#[tokio::test]
async fn the_dashboard_page_is_never_stale() {
    let env = Env::new("dashboard_cache").await;
    let commune = units::by_id(&env.store, env.commune)
        .await
        .unwrap()
        .unwrap();
    let province = commune.parent_id.expect("a commune has a province");
    env.user("lanhdao", Role::Viewer, Some(province)).await;
    env.user("lanhdao2", Role::Viewer, Some(province)).await;
    let first = env.login("lanhdao").await;
    let second = env.login("lanhdao2").await;
    let uri = format!("/?don_vi={province}&ky=2026");

    let before = page(&env, &first, &uri).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text());
    let cases = card(&before.text(), "mediation_received");
    assert_eq!(page(&env, &first, &uri).await.text(), before.text());

    // A record saved through the API is in the very next view.
    let (st, body) = env
        .call(
            "POST",
            "/api/mediation",
            Some(json!({
                "unit_id": commune.id, "team": "Tổ hòa giải thôn 1", "received_on": "2026-03-02",
                "field": "land", "result": "success", "summary": "",
            })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let after = page(&env, &first, &uri).await.text();
    let n: i64 = cases.replace('.', "").parse().unwrap();
    assert_eq!(card(&after, "mediation_received"), (n + 1).to_string());

    // Another reader of the same dashboard: the same figures, their own
    // name and CSRF token.
    let theirs = page(&env, &second, &uri).await.text();
    assert_eq!(card(&theirs, "mediation_received"), (n + 1).to_string());
    assert!(theirs.contains("Người dùng lanhdao2"), "{theirs}");
    assert!(theirs.contains(&second.csrf));
    assert!(!theirs.contains(&first.csrf));
    assert!(after.contains(&first.csrf));

    // A reader of another subtree: not found, cached or not.
    let elsewhere = units::find(&env.store, "51-2025", None).await.unwrap();
    let outsider = env.user("ngoai", Role::Officer, Some(elsewhere.id)).await;
    let token = env.token_for(&outsider).await;
    for uri in [uri.clone(), format!("/?don_vi={}&ky=2026", commune.id)] {
        let r = env
            .send(web::json_request(Some(&token), "GET", &uri, None))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.text());
        assert!(!r.text().contains("mediation_received"));
    }
    env.close().await;
}

/// Without a period the dashboard opens on the latest year with figures,
/// not on an empty current year; a period asked for is kept.
#[tokio::test]
async fn the_dashboard_opens_on_the_latest_year_with_figures() {
    let env = Env::new("dashboard_latest").await;
    env.user("lanhdao", Role::Viewer, Some(env.commune)).await;
    let s = env.login("lanhdao").await;
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let empty = page(&env, &s, &format!("/?don_vi={}", env.commune)).await;
    assert!(
        empty
            .text()
            .contains(&format!("name=\"ky\" value=\"{this_year}\"")),
        "nothing recorded: this year"
    );
    let (st, body) = env
        .call(
            "POST",
            "/api/mediation",
            Some(json!({
                "unit_id": env.commune, "team": "Tổ hòa giải thôn 1", "received_on": "2025-08-02",
                "field": "land", "result": "success", "summary": "",
            })),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{body}");
    let html = page(&env, &s, &format!("/?don_vi={}", env.commune))
        .await
        .text();
    assert!(html.contains("name=\"ky\" value=\"2025\""), "{html}");
    assert_eq!(card(&html, "mediation_received"), "1");
    let asked = page(&env, &s, &format!("/?don_vi={}&ky=2024", env.commune))
        .await
        .text();
    assert!(asked.contains("name=\"ky\" value=\"2024\""));
    assert_eq!(card(&asked, "mediation_received"), "0");
    env.close().await;
}

/// The notices page shows the handler a petition of their commune due in
/// the coming working days once they ask to be warned that far ahead, and
/// refuses a bad address in Vietnamese, keeping the choices as they were.
#[tokio::test]
async fn the_notices_page_warns_of_petitions_due_and_keeps_choices() {
    let env = Env::new("notices_page").await;
    env.user("xuly", Role::Handler, Some(env.commune)).await;
    let s = env.login("xuly").await;
    let today = chrono::Local::now().date_naive();
    let p = danvan_core::records::petition::Petition::received(
        env.commune,
        today,
        danvan_core::records::petition::PetitionChannel::Post,
        danvan_core::records::petition::PetitionType::Complaint,
        danvan_core::records::petition::PetitionField::Land,
    );
    let id = danvan_store::petitions::insert(&env.store, &p)
        .await
        .unwrap();
    let first = page(&env, &s, "/thong-bao").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        !first.text().contains(&format!("/don-thu/{id}\"")),
        "handling takes ten working days: not due within three"
    );
    let saved = env
        .post_in(
            &s,
            "/thong-bao",
            &[
                ("petitions", "1"),
                ("soon_days", "15"),
                ("opinion_days", "30"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let html = saved.text();
    assert!(html.contains("Đã lưu lựa chọn thông báo."), "{html}");
    let soon = web::table(&html, "notice-soon");
    assert!(soon.contains(&format!("/don-thu/{id}\"")), "{soon}");
    assert!(
        html.contains("Đơn đến hạn trong 15 ngày làm việc (1)"),
        "{html}"
    );
    let bad = env
        .post_in(
            &s,
            "/thong-bao",
            &[
                ("petitions", "1"),
                ("soon_days", "3"),
                ("opinion_days", "30"),
                ("email", "xuly tại xã"),
                ("digest", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .contains("địa chỉ thư điện tử «xuly tại xã» không hợp lệ"),
        "{}",
        bad.text()
    );
    let kept = page(&env, &s, "/thong-bao").await.text();
    assert!(kept.contains("name=\"soon_days\" min=\"0\" max=\"60\" value=\"15\""));
    env.close().await;
}
