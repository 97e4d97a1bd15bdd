//! The citizens' side at a phone's 360×740, without signing in: a citizen
//! searches "Đạ Tông" (a commune merged on 1 July 2025), is led to xã Đam
//! Rông 4 that covers it today, sends it a kiến nghị with an image and
//! gets a code; the commune's handler finds it in the petition list with
//! channel trực tuyến, counted in the dashboard at once, and answers it
//! publicly; the citizen's tracking page shows the answer, and so does the
//! commune's «Hỏi – đáp», without the citizen's name. Every public page
//! fits the phone's width and passes axe-core.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};

use super::{accounts::log_in, click, headline, set_input, wait_text};

/// The demo's handler of xã Đam Rông 4.
const HANDLER: &str = "damrong4";
const CITIZEN: &str = "Trần Văn Dânthử";
/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The page is no wider than the phone and axe-core finds nothing serious.
async fn fits_and_passes(c: &Client, axe: Option<&str>, problems: &mut Vec<String>) {
    let url = c
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let w = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    let (scroll, inner) = (w[0].as_i64().unwrap_or(0), w[1].as_i64().unwrap_or(0));
    if scroll > inner {
        problems.push(format!("{url}: {scroll} px wide on a {inner} px screen"));
    }
    if let Some(axe) = axe {
        for v in super::layout::axe_violations(c, axe).await {
            problems.push(format!("{url}: {v}"));
        }
    }
}

/// The dashboard's count of petitions received this year at the handler's
/// commune.
async fn received_this_year(c: &Client, base: &str) -> i64 {
    let year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    c.goto(&format!("{base}/?ky={year}"))
        .await
        .expect("dashboard");
    wait_text(c, "h1", &format!("năm {year}")).await;
    headline(c, "petition_new").await
}

pub async fn check(c: &Client, base: &str, dir: &Path) {
    let axe = super::layout::axe_source();
    let mut problems = Vec::new();
    log_in(c, base, HANDLER, super::PASSWORD).await;
    let before = received_this_year(c, base).await;
    c.delete_all_cookies().await.expect("log out");
    c.set_window_size(360, 740).await.expect("a phone's size");

    // 1. A citizen, not signed in: `/` leads to the portal.
    c.goto(&format!("{base}/")).await.expect("open the site");
    wait_text(c, "h1", "Gửi phản ánh, kiến nghị").await;
    fits_and_passes(c, axe.as_deref(), &mut problems).await;
    set_input(c, "#q", "Đạ Tông").await;
    click(c, "form.search button[type=submit]").await;
    wait_text(c, "#ket-qua", "nay là xã Đam Rông 4").await;
    fits_and_passes(c, axe.as_deref(), &mut problems).await;
    c.find(Locator::LinkText("Gửi ý kiến đến xã Đam Rông 4"))
        .await
        .expect("a link to the commune of today")
        .click()
        .await
        .expect("follow it");
    wait_text(c, "#da-sap-nhap", "xã Đạ Tông đã sáp nhập").await;
    fits_and_passes(c, axe.as_deref(), &mut problems).await;
    let marker = format!("CONGDAN{}", std::process::id());
    click(c, "#loai-recommendation").await;
    set_input(
        c,
        "#noi_dung",
        &format!("{marker} kiến nghị lắp đèn chiếu sáng đoạn đường qua trường học"),
    )
    .await;
    set_input(c, "#ho_ten", CITIZEN).await;
    set_input(c, "#dien_thoai", "0912 345 678").await;
    click(c, "#dong_y").await;
    let image = dir.join("anh-duong.png");
    std::fs::write(&image, PNG).expect("write the image");
    c.find(Locator::Css("#tep"))
        .await
        .expect("the file input")
        .send_keys(&image.display().to_string())
        .await
        .expect("choose the image");
    // A person takes a few seconds; a form sent back at once is refused.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    click(c, "#gui").await;
    let code = wait_text(c, "#ma-theo-doi", "-")
        .await
        .text()
        .await
        .expect("the code");
    assert_eq!(
        code.len(),
        14,
        "a code of 12 letters in three groups: {code}"
    );
    let tracking = c.current_url().await.expect("url").to_string();
    wait_text(c, "#trang-thai", "Đã tiếp nhận").await;
    wait_text(c, "#han-xu-ly", "/").await;
    fits_and_passes(c, axe.as_deref(), &mut problems).await;

    // 2. The commune's handler: in the list, trực tuyến, counted at once.
    c.set_window_size(1280, 1000).await.expect("a desktop");
    log_in(c, base, HANDLER, super::PASSWORD).await;
    assert_eq!(received_this_year(c, base).await, before + 1);
    c.goto(&format!("{base}/don-thu?q={marker}"))
        .await
        .expect("the list");
    let row = wait_text(c, "#petitions", &marker).await;
    let row = row.text().await.unwrap();
    assert!(row.contains("trực tuyến"), "{row}");
    c.find(Locator::Css("#petitions td a"))
        .await
        .expect("the petition")
        .click()
        .await
        .expect("open it");
    wait_text(c, "#truc-tuyen", "cổng ý kiến người dân").await;
    wait_text(c, "#portal-files", "ảnh").await;

    // 3. Answered publicly.
    set_input(
        c,
        "#a-tra_loi",
        "UBND xã sẽ lắp đèn chiếu sáng trong quý tới.",
    )
    .await;
    click(c, "#a-cong_khai").await;
    click(c, "#save-answer").await;
    wait_text(c, "#tra-loi-hien-tai", "công khai").await;

    // 4. The citizen's tracking page shows it.
    c.delete_all_cookies().await.expect("log out");
    c.set_window_size(360, 740).await.expect("a phone's size");
    c.goto(&tracking).await.expect("the tracking page");
    wait_text(c, "#tra-loi", "lắp đèn chiếu sáng trong quý tới").await;

    // 5. «Hỏi – đáp» shows it without the citizen's name.
    c.find(Locator::Css("a[href$='/hoi-dap']"))
        .await
        .expect("the unit's Hỏi – đáp")
        .click()
        .await
        .expect("open it");
    wait_text(c, "#hoi-dap", "lắp đèn chiếu sáng trong quý tới").await;
    let page = c.source().await.expect("the page");
    assert!(
        !page.contains(CITIZEN),
        "the citizen's name is not published"
    );
    assert!(!page.contains("0912 345 678"), "nor their phone");
    fits_and_passes(c, axe.as_deref(), &mut problems).await;
    c.set_window_size(1280, 1000).await.expect("resize back");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
