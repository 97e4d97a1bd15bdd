//! The demo as each of its accounts first meets it: the dashboard opens on
//! a period with figures, and two communes' figures are not the same.

use fantoccini::{Client, Locator};

const ACCOUNTS: &[&str] = &[
    "admin",
    "damrong",
    "datong",
    "datong.lanhdao",
    "kontum",
    "quangngai",
    "mattran",
];

pub async fn log_in(c: &Client, base: &str, user: &str, password: &str) {
    c.delete_all_cookies().await.expect("log out");
    c.goto(&format!("{base}/dang-nhap"))
        .await
        .expect("open the site");
    c.wait()
        .for_element(Locator::Css("#username"))
        .await
        .expect("the login form");
    c.find(Locator::Css("#username"))
        .await
        .unwrap()
        .send_keys(user)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    c.find(Locator::Css("form.f button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css(".cards"))
        .await
        .unwrap_or_else(|e| panic!("{user}: no dashboard after login: {e}"));
}

/// The dashboard's headline figures, by card code.
async fn cards(c: &Client) -> Vec<(String, i64)> {
    let got = c
        .execute(
            r#"return Array.from(document.querySelectorAll(".card[data-code]"))
                 .map(e => [e.getAttribute("data-code"), e.querySelector(".v").textContent]);"#,
            vec![],
        )
        .await
        .expect("read the cards");
    got.as_array()
        .into_iter()
        .flatten()
        .map(|pair| {
            let code = pair[0].as_str().unwrap_or("").to_string();
            let text = pair[1].as_str().unwrap_or("");
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            (code, digits.parse().unwrap_or(0))
        })
        .collect()
}

/// The id of the dashboard's unit option whose label ends with `name`.
async fn option(c: &Client, name: &str) -> String {
    let got = c
        .execute(
            r#"const o = Array.from(document.querySelectorAll("select[name=don_vi] option"))
                 .find(o => o.textContent.trim().endsWith(arguments[0]));
               return o ? o.value : null;"#,
            vec![serde_json::json!(name)],
        )
        .await
        .expect("read the unit picker");
    got.as_str()
        .unwrap_or_else(|| panic!("no unit «{name}» in the picker"))
        .to_string()
}

pub async fn check(c: &Client, base: &str, password: &str) {
    for user in ACCOUNTS {
        log_in(c, base, user, password).await;
        let shown = cards(c).await;
        assert!(
            shown.iter().any(|(_, v)| *v > 0),
            "{user}: the dashboard opens on a period without figures: {shown:?}"
        );
    }
    log_in(c, base, "damrong", password).await;
    let mut seen = Vec::new();
    for commune in ["xã Đạ Tông", "xã Đạ Long"] {
        let id = option(c, commune).await;
        c.goto(&format!("{base}/?don_vi={id}&ky=2020-H1"))
            .await
            .expect("a commune's dashboard");
        let shown = cards(c).await;
        let received = shown
            .iter()
            .find(|(code, _)| code == "dossier_received")
            .map(|(_, v)| *v)
            .expect("the one-stop card");
        assert!(received > 0, "{commune}: {shown:?}");
        seen.push(shown);
    }
    assert_ne!(seen[0], seen[1], "two communes show the same figures");
}
