//! An account's life through the pages: an administrator deactivates and
//! reactivates it and resets its password, its owner changes the password
//! and lists and revokes tokens — each a form with the CSRF token, each
//! refused to whoever may not.

use danvan_testkit::web;

use axum::http::StatusCode;
use danvan_store::accounts::Role;
use web::{Env, PASSWORD, Reply, Session};

/// A form posted through a session, with its CSRF token.
async fn post(env: &Env, s: &Session, uri: &str, fields: &[(&str, &str)]) -> Reply {
    env.post_in(s, uri, fields).await
}

async fn get(env: &Env, s: &Session, uri: &str) -> Reply {
    env.get_in(s, uri).await
}

/// Whether the session still opens a page.
async fn alive(env: &Env, s: &Session) -> bool {
    get(env, s, "/don-vi").await.status == StatusCode::OK
}

#[tokio::test]
async fn an_administrator_deactivates_and_reactivates_an_account() {
    let env = Env::new("life_deactivate").await;
    let officer = env.user("canbo", Role::Officer, Some(env.commune)).await;
    let viewer = env.user("lanhdao", Role::Viewer, Some(env.commune)).await;
    let admin = env.login("quantri").await;
    let s = env.login("canbo").await;
    let token = env.token_for(&officer).await;

    // Not an administrator: refused, nothing changes.
    let v = env.login("lanhdao").await;
    let r = post(&env, &v, &format!("/nguoi-dung/{}/khoa", officer.id), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert!(alive(&env, &s).await);
    // Without the CSRF token: refused.
    let r = post(
        &env,
        &Session {
            csrf: String::new(),
            ..admin.clone()
        },
        &format!("/nguoi-dung/{}/khoa", officer.id),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(alive(&env, &s).await);

    let r = post(
        &env,
        &admin,
        &format!("/nguoi-dung/{}/khoa", officer.id),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("Đã khoá tài khoản «canbo»"),
        "{}",
        r.text()
    );
    assert!(!alive(&env, &s).await, "the session ends at once");
    let (st, _) = env
        .call_as(Some(&token), "GET", "/api/petitions", None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "the token stops at once");
    let r = env.login_form("canbo", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text().contains("Tên đăng nhập hoặc mật khẩu không đúng."));
    // An administrator cannot lock themself out.
    let r = post(
        &env,
        &admin,
        &format!("/nguoi-dung/{}/khoa", env.admin.id),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("không thể tự khoá"), "{}", r.text());

    let r = post(
        &env,
        &admin,
        &format!("/nguoi-dung/{}/mo-khoa", officer.id),
        &[],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = env.login_form("canbo", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Both steps are in the audit log.
    let log = get(&env, &admin, "/nhat-ky").await.text();
    assert!(log.contains("khoá tài khoản") && log.contains("mở lại tài khoản"));
    let _ = viewer;
    env.close().await;
}

#[tokio::test]
async fn a_user_changes_their_password_and_other_sessions_end() {
    let env = Env::new("life_password").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let here = env.login("canbo").await;
    let there = env.login("canbo").await;
    let page = get(&env, &here, "/mat-khau").await;
    assert_eq!(page.status, StatusCode::OK);
    for want in [
        "type=\"password\" name=\"current\" autocomplete=\"current-password\"",
        "type=\"password\" name=\"new\" autocomplete=\"new-password\"",
    ] {
        assert!(page.text().contains(want), "{want}");
    }
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        [("current", current), ("new", new), ("confirm", confirm)]
    };
    let r = post(
        &env,
        &here,
        "/mat-khau",
        &change("sai-mat-khau", "mat-khau-moi-1", "mat-khau-moi-1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Mật khẩu hiện tại không đúng."),
        "{}",
        r.text()
    );
    let r = post(
        &env,
        &here,
        "/mat-khau",
        &change(PASSWORD, "mat-khau-moi-1", "khac-hẳn"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("không khớp"), "{}", r.text());
    let r = post(&env, &here, "/mat-khau", &change(PASSWORD, "ngan", "ngan")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("ít nhất 8 ký tự"), "{}", r.text());
    assert!(alive(&env, &there).await, "a refused change ends nothing");

    let r = post(
        &env,
        &here,
        "/mat-khau",
        &change(PASSWORD, "mat-khau-moi-1", "mat-khau-moi-1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("Đã đổi mật khẩu"), "{}", r.text());
    assert!(alive(&env, &here).await, "this session stays");
    assert!(!alive(&env, &there).await, "every other session ends");
    assert_eq!(
        env.login_form("canbo", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        env.login_form("canbo", "mat-khau-moi-1").await.status,
        StatusCode::SEE_OTHER
    );
    env.close().await;
}

#[tokio::test]
async fn an_administrator_resets_a_password() {
    let env = Env::new("life_reset").await;
    let officer = env.user("canbo", Role::Officer, Some(env.commune)).await;
    let other = env.user("canbo2", Role::Officer, Some(env.commune)).await;
    let admin = env.login("quantri").await;
    let s = env.login("canbo").await;
    // An officer may not reset a colleague's password.
    let r = post(
        &env,
        &s,
        &format!("/nguoi-dung/{}/mat-khau", other.id),
        &[("password", "mat-khau-cua-toi")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(
        env.login_form("canbo2", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    let r = post(
        &env,
        &admin,
        &format!("/nguoi-dung/{}/mat-khau", officer.id),
        &[("password", "ngan")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("ít nhất 8 ký tự"), "{}", r.text());
    let r = post(
        &env,
        &admin,
        &format!("/nguoi-dung/{}/mat-khau", officer.id),
        &[("password", "mat-khau-dat-lai")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(!alive(&env, &s).await, "the user's sessions end");
    assert_eq!(
        env.login_form("canbo", "mat-khau-dat-lai").await.status,
        StatusCode::SEE_OTHER
    );
    let log = get(&env, &admin, "/nhat-ky").await.text();
    assert!(log.contains("đặt lại mật khẩu"));
    env.close().await;
}

#[tokio::test]
async fn tokens_are_listed_with_their_expiry_and_revoked() {
    let env = Env::new("life_tokens").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    env.user("canbo2", Role::Officer, Some(env.commune)).await;
    let s = env.login("canbo").await;
    let r = post(
        &env,
        &s,
        "/nguoi-dung/khoa-api",
        &[("name", "một cửa"), ("days", "30")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // (Pages escape the slashes of dates.)
    let page = r.text().replace("&#x2f;", "/");
    let token = page
        .split("<code id=\"token\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap()
        .to_string();
    // Listed with its term: made today, expiring in 30 days.
    let today = chrono::Local::now().date_naive();
    let expires = (today + chrono::Duration::days(30))
        .format("%d/%m/%Y")
        .to_string();
    assert!(page.contains("id=\"my-tokens\""), "{page}");
    assert!(
        page.contains("một cửa") && page.contains(&expires),
        "{page}"
    );
    let r = post(
        &env,
        &s,
        "/nguoi-dung/khoa-api",
        &[("name", "quá dài"), ("days", "5000")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("thời hạn"), "{}", r.text());
    let (st, _) = env
        .call_as(Some(&token), "GET", "/api/petitions", None)
        .await;
    assert_eq!(st, StatusCode::OK);

    // Its number, from its revoke button.
    let id: i64 = page
        .split("action=\"/nguoi-dung/khoa-api/")
        .nth(1)
        .and_then(|t| t.split('/').next())
        .and_then(|t| t.parse().ok())
        .expect("a revoke button");
    // A colleague can neither see nor revoke it.
    let c = env.login("canbo2").await;
    assert!(
        !get(&env, &c, "/nguoi-dung")
            .await
            .text()
            .contains("một cửa")
    );
    let r = post(&env, &c, &format!("/nguoi-dung/khoa-api/{id}/thu-hoi"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    // An administrator sees every token.
    let admin = env.login("quantri").await;
    let all = get(&env, &admin, "/nguoi-dung").await.text();
    assert!(all.contains("id=\"all-tokens\"") && all.contains("một cửa"));
    // The owner revokes it; it stops at once.
    let r = post(&env, &s, &format!("/nguoi-dung/khoa-api/{id}/thu-hoi"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let (st, _) = env
        .call_as(Some(&token), "GET", "/api/petitions", None)
        .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    assert!(
        get(&env, &s, "/nguoi-dung")
            .await
            .text()
            .contains("đã thu hồi")
    );
    env.close().await;
}

#[tokio::test]
async fn password_fields_are_hidden_as_typed() {
    let env = Env::new("life_fields").await;
    let admin = env.login("quantri").await;
    let page = get(&env, &admin, "/nguoi-dung").await.text();
    assert!(
        page.contains(
            "id=\"f-password\" type=\"password\" name=\"password\" autocomplete=\"new-password\""
        ),
        "{page}"
    );
    assert!(
        !page.contains("id=\"f-password\" name=\"password\""),
        "no plain text field"
    );
    env.close().await;
}
