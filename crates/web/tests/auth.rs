//! Who may call: no credentials, unknown and revoked tokens, the CSRF
//! check on changes made through a login session, login throttling and
//! the session cookie's attributes.

use danvan_testkit::web;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_core::records::petition::{Petition, PetitionChannel, PetitionField, PetitionType};
use danvan_store::accounts::{self, Role};
use serde_json::json;
use web::{Env, PASSWORD, Reply};

fn petition(unit: i64) -> serde_json::Value {
    json!(Petition::received(
        unit,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        PetitionChannel::InPerson,
        PetitionType::Complaint,
        PetitionField::Land,
    ))
}

#[tokio::test]
async fn api_needs_a_valid_token() {
    let env = Env::new("auth_token").await;
    for (method, uri) in [
        ("GET", "/api/petitions"),
        ("POST", "/api/petitions"),
        ("GET", "/api/units/search?q=dam"),
    ] {
        let (st, err) = env.call_as(None, method, uri, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{method} {uri}");
        assert_eq!(err["code"], "unauthorized", "{err}");
        assert!(err["message"].as_str().unwrap().contains("đăng nhập"));
    }
    for bad in ["dv_khongco", "khong-tien-to", &format!("{}x", env.token)] {
        let (st, err) = env.call_as(Some(bad), "GET", "/api/petitions", None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(err["code"], "unauthorized", "{err}");
    }
    // A token stops working when it is revoked.
    let token = env.token_for(&env.admin).await;
    let (st, _) = env
        .call_as(Some(&token), "GET", "/api/petitions", None)
        .await;
    assert_eq!(st, StatusCode::OK);
    accounts::revoke_token(&env.store, &token).await.unwrap();
    let (st, err) = env
        .call_as(Some(&token), "GET", "/api/petitions", None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{err}");
    assert_eq!(err["code"], "unauthorized");
    assert!(
        err["message"].as_str().unwrap().contains("thu hồi"),
        "{err}"
    );
    // The other token of the same user still works.
    let (st, _) = env.call("GET", "/api/petitions", None).await;
    assert_eq!(st, StatusCode::OK);
    // Pages send a visitor without a session to the login page.
    let r = env
        .send(Request::get("/don-thu").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/dang-nhap?tiep=/don-thu");
    env.close().await;
}

#[tokio::test]
async fn session_changes_need_the_csrf_token() {
    let env = Env::new("auth_csrf").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let s = env.login("canbo").await;
    let post = |csrf: Option<&str>| {
        let mut req = Request::post("/api/petitions")
            .header(header::COOKIE, s.cookie_header())
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            req = req.header("x-csrf-token", c);
        }
        req.body(Body::from(petition(env.commune).to_string()))
            .unwrap()
    };
    let r = env.send(post(None)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["code"], "csrf");
    let r = env.send(post(Some("sai-ma"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(r.json()["code"], "csrf");
    let r = env.send(post(Some(&s.csrf))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());

    // A page form carries the token as a field.
    let form = |csrf: &str| {
        s.form(
            "/nguoi-dung/khoa-api",
            &[("_csrf", csrf), ("name", "máy chủ báo cáo")],
        )
    };
    let r = env.send(form("")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("mã chống giả mạo"), "{}", r.text());
    let r = env.send(form(&s.csrf)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("dv_"), "the new token is shown once");

    // Reading needs no CSRF token.
    let r = env.get_in(&s, "/api/petitions").await;
    assert_eq!(r.status, StatusCode::OK);
    env.close().await;
}

/// A login refused with `message` and no session cookie.
fn refused(r: &Reply, message: &str) {
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains(message), "{}", r.text());
    assert!(
        !r.set_cookies()
            .iter()
            .any(|c| c.starts_with("danvan_phien="))
    );
}

#[tokio::test]
async fn login_is_throttled_after_five_failures() {
    let env = Env::new("auth_throttle").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    for _ in 0..accounts::MAX_FAILURES {
        let r = env.login_form("canbo", "sai-mat-khau").await;
        refused(&r, "Tên đăng nhập hoặc mật khẩu không đúng.");
    }
    // The sixth attempt is refused even with the right password.
    let r = env.login_form("canbo", PASSWORD).await;
    refused(&r, "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.");
    // Another name is not held back.
    env.user("canbo2", Role::Officer, Some(env.commune)).await;
    let r = env.login_form("canbo2", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    env.close().await;
}

#[tokio::test]
async fn session_cookie_attributes() {
    let env = Env::new("auth_cookie").await;
    let r = env.login_form("quantri", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookies = r.set_cookies();
    let c = cookies
        .iter()
        .find(|c| c.starts_with("danvan_phien="))
        .expect("session cookie");
    let attrs: Vec<String> = c
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect();
    for want in ["httponly", "samesite=lax", "secure", "path=/"] {
        assert!(attrs.iter().any(|a| a == want), "{want} missing in {c}");
    }
    // Logging out ends the session on the server too.
    let s = env.login("quantri").await;
    let r = env.post_in(&s, "/dang-xuat", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = env.get_in(&s, "/api/petitions").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    env.close().await;
}
