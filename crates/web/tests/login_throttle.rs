//! The login form under attack, as a client sees it: parallel guesses,
//! one address trying many accounts, an owner signing in while someone
//! else guesses, answers that do not tell which names exist, and the
//! form's own CSRF token. Client addresses are the connection's peer.

use danvan_testkit::web;

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::accounts::Role;
use web::{Env, PASSWORD, Reply};

const WRONG: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

fn from(ip: &str) -> Option<SocketAddr> {
    Some(SocketAddr::new(ip.parse().unwrap(), 50_000))
}

/// The error shown on the login page.
fn error(r: &Reply) -> String {
    let t = r.text();
    t.split("id=\"login-error\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap_or("")
        .to_string()
}

/// The owner's right password from `there` is held back (`why`); from
/// another address it signs in. The held-back answer.
async fn held_back_there_only(env: &Env, there: &str, why: &str) -> Reply {
    let held = env.login_from(from(there), "canbo", PASSWORD).await;
    assert_eq!(held.status, StatusCode::UNAUTHORIZED, "{why}");
    let r = env.login_from(from("192.0.2.44"), "canbo", PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", error(&r));
    held
}

#[tokio::test]
async fn a_hundred_parallel_guesses_check_no_more_than_five_passwords() {
    let env = Env::new("throttle_parallel").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let env = std::sync::Arc::new(env);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let env = env.clone();
        set.spawn(async move {
            let r = env
                .login_from(from("203.0.113.7"), "canbo", "sai-mat-khau")
                .await;
            (r.status, error(&r))
        });
    }
    let mut checked = 0;
    while let Some(r) = set.join_next().await {
        let (status, message) = r.unwrap();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{message}");
        // Only a checked password is answered "wrong"; the rest are
        // refused before any check.
        if message == WRONG {
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "passwords checked out of 100 parallel guesses");
    if let Ok(env) = std::sync::Arc::try_unwrap(env) {
        env.close().await;
    }
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_stopped() {
    let env = Env::new("throttle_spray").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let mut checked = 0;
    for i in 0..40 {
        let r = env
            .login_from(
                from("198.51.100.9"),
                &format!("nhanvien{i}"),
                "MatKhau@2025",
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        if error(&r) == WRONG {
            checked += 1;
        }
    }
    assert!(checked <= 30, "{checked} passwords checked for one address");
    let r = held_back_there_only(&env, "198.51.100.9", "the spraying address is held back").await;
    assert!(error(&r).contains("thử lại sau"), "{}", error(&r));
    env.close().await;
}

#[tokio::test]
async fn the_owner_signs_in_from_elsewhere_while_someone_guesses() {
    let env = Env::new("throttle_owner").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    for _ in 0..20 {
        let r = env
            .login_from(from("203.0.113.7"), "canbo", "sai-mat-khau")
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    held_back_there_only(&env, "203.0.113.7", "the guesser is held back").await;
    env.close().await;
}

#[tokio::test]
async fn unknown_names_answer_as_wrong_passwords() {
    let env = Env::new("throttle_uniform").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let known = env
        .login_from(from("203.0.113.7"), "canbo", "sai-mat-khau")
        .await;
    let unknown = env
        .login_from(from("203.0.113.7"), "khong.co.ai", "sai-mat-khau")
        .await;
    assert_eq!(
        (known.status, unknown.status),
        (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
    );
    assert_eq!(error(&known), WRONG);
    assert_eq!(error(&unknown), WRONG);
    // Throttled, the two read alike too.
    let mut last = Vec::new();
    for name in ["canbo", "khong.co.ai"] {
        let mut r = None;
        for _ in 0..7 {
            r = Some(env.login_from(from("192.0.2.1"), name, "sai").await);
        }
        last.push(error(&r.unwrap()));
    }
    assert_eq!(last[0], last[1]);
    assert!(last[0].contains("thử lại sau"), "{last:?}");
    env.close().await;
}

#[tokio::test]
async fn the_login_form_needs_its_csrf_token() {
    let env = Env::new("login_csrf").await;
    // The page sets a pre-session cookie and puts its value in the form.
    let page = env.login_page().await;
    let cookie = page
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("danvan_dang_nhap="))
        .expect("pre-session cookie");
    let lower = cookie.to_ascii_lowercase();
    assert!(
        lower.contains("httponly") && lower.contains("samesite=strict"),
        "{cookie}"
    );
    let value = cookie["danvan_dang_nhap=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(web::csrf_of(&page.text()).as_deref(), Some(value.as_str()));
    assert!(page.text().contains("autocomplete=\"current-password\""));

    let post = |cookie: Option<&str>, csrf: &str| {
        let body = serde_urlencoded::to_string([
            ("_csrf", csrf),
            ("username", "quantri"),
            ("password", PASSWORD),
        ])
        .unwrap();
        let mut r = Request::post("/dang-nhap")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, format!("danvan_dang_nhap={c}"));
        }
        r.body(Body::from(body)).unwrap()
    };
    // A form posted from elsewhere: no cookie, or a token that is not
    // the cookie's.
    for req in [
        post(None, ""),
        post(None, &value),
        post(Some(&value), ""),
        post(Some(&value), &"0".repeat(64)),
    ] {
        let r = env.send(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
        assert!(error(&r).contains("mã chống giả mạo"), "{}", r.text());
        assert!(
            !r.set_cookies()
                .iter()
                .any(|c| c.starts_with("danvan_phien="))
        );
    }
    let r = env.send(post(Some(&value), &value)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    env.close().await;
}
