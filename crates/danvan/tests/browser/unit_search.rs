//! The unit picker of a long list searches without diacritics: typing
//! "da tong" in the box above it chooses xã Đạ Tông.

use fantoccini::{Client, Locator};

pub async fn check(c: &Client, base: &str) {
    c.goto(&format!("{base}/don-thu/moi"))
        .await
        .expect("the new petition form");
    let box_ = c
        .wait()
        .for_element(Locator::Css("input.unit-search"))
        .await
        .expect("a search box above the unit picker");
    box_.send_keys("da tong").await.expect("type");
    let chosen = c
        .execute(
            r##"const s = document.querySelector("#f-unit_id");
               return s.options[s.selectedIndex].textContent;"##,
            vec![],
        )
        .await
        .expect("read the chosen unit");
    assert!(
        chosen.as_str().is_some_and(|t| t.contains("Đạ Tông")),
        "typing «da tong» chose {chosen}"
    );
}
