//! The reporting chain in the browser, on the demo's request (huyện Đam
//! Rông asked its eight communes for their 2020-H1 reports, due
//! 05/07/2020): the district sees 6/8 sent, 5 on time; it accepts the
//! late report, whose DOCX downloads with the SHA-256 the page shows; a
//! record of that commune dated in the period is refused, then corrected
//! late with a reason, and the accepted report shows the difference; the
//! returned commune's leader sends a second version; the district asks
//! for a new report through the form.

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::accounts::log_in;
use crate::{click, set_input, wait_text};

/// The SHA-256 of what `url` answers, fetched with the session.
async fn sha256_of(c: &Client, url: &str) -> String {
    let got = c
        .execute_async(
            r#"const [url, done] = arguments;
            fetch(url, { credentials: "same-origin" })
              .then(r => r.arrayBuffer())
              .then(b => crypto.subtle.digest("SHA-256", b))
              .then(h => done(Array.from(new Uint8Array(h))
                  .map(x => x.toString(16).padStart(2, "0")).join("")))
              .catch(e => done("error: " + e));"#,
            vec![json!(url)],
        )
        .await
        .expect("fetch the document");
    got.as_str().unwrap_or_default().to_string()
}

/// The link of the row of `unit` in the completeness table.
async fn row_link(c: &Client, unit: &str) -> String {
    let got = c
        .execute(
            r##"const row = Array.from(document.querySelectorAll("#completeness tr"))
                 .find(r => r.textContent.includes(arguments[0]));
               const a = row && row.querySelector("a");
               return a ? a.getAttribute("href") : null;"##,
            vec![json!(unit)],
        )
        .await
        .expect("read the table");
    got.as_str()
        .unwrap_or_else(|| panic!("no report of «{unit}» in the table"))
        .to_string()
}

pub async fn check(c: &Client, base: &str, password: &str) {
    log_in(c, base, "damrong", password).await;
    c.goto(&format!("{base}/bao-cao/yeu-cau")).await.unwrap();
    wait_text(c, "#outgoing", "6/8 đơn vị đã gửi, 5 đúng hạn").await;
    click(c, "#outgoing a").await;
    wait_text(c, "#completeness-summary", "4 đã duyệt, 1 bị trả lại").await;
    wait_text(c, "#completeness", "đã gửi muộn").await;
    let request_url = c.current_url().await.unwrap().to_string();

    // The late report: accepted, its DOCX as it was sent.
    let late = row_link(c, "xã Rô Men").await;
    c.goto(&format!("{base}{late}")).await.unwrap();
    wait_text(c, "#submission-status", "đã gửi, chờ duyệt").await;
    click(c, "#accept").await;
    wait_text(c, "#submission-status", "đã duyệt").await;
    let shown = c
        .find(Locator::Css("#docx-sha"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(sha256_of(c, &format!("{base}{late}/docx")).await, shown);

    // A record of xã Rô Men dated in the period is locked.
    let receptions = format!("{base}/ghi-nhan/tiep-cong-dan?ky=2020-H1&q=");
    c.goto(&receptions).await.unwrap();
    let edit = c
        .execute(
            r#"const row = Array.from(document.querySelectorAll("main table tr"))
                 .find(r => r.textContent.includes("Rô Men") && r.querySelector("a"));
               return row ? row.querySelector("a").getAttribute("href") : null;"#,
            vec![],
        )
        .await
        .unwrap();
    let record = edit
        .as_str()
        .expect("a reception of xã Rô Men in 2020-H1")
        .to_string();
    c.goto(&format!("{base}{record}/sua")).await.unwrap();
    let turns = c
        .find(Locator::Css("#f-turns"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    let more: i64 = turns.parse::<i64>().unwrap_or(0) + 1;
    set_input(c, "#f-turns", &more.to_string()).await;
    set_input(c, "#f-persons", &more.to_string()).await;
    click(c, "#save").await;
    wait_text(c, "main", "đã khóa").await;
    // A late correction, with its reason.
    set_input(c, "#f-turns", &more.to_string()).await;
    set_input(c, "#f-persons", &more.to_string()).await;
    c.execute(
        "document.querySelector('details.late').open = true;",
        vec![],
    )
    .await
    .unwrap();
    set_input(c, "#sua_sau_duyet", "Bổ sung một lượt tiếp bị sót").await;
    click(c, "#save").await;
    wait_text(c, "main", "Rô Men").await;
    c.goto(&format!("{base}{late}")).await.unwrap();
    wait_text(c, "#changed-after", "Số liệu đã thay đổi sau khi duyệt").await;
    wait_text(c, "#drift", "+1").await;
    wait_text(c, "#late-corrections", "Bổ sung một lượt tiếp bị sót").await;
    // The stored document has not moved.
    assert_eq!(sha256_of(c, &format!("{base}{late}/docx")).await, shown);

    // The returned commune's leader sends a second version.
    log_in(c, base, "datong.lanhdao", password).await;
    c.goto(&format!("{base}/bao-cao/yeu-cau")).await.unwrap();
    wait_text(c, "#incoming", "bị trả lại").await;
    click(c, "#incoming td:last-child a").await;
    wait_text(c, "#submission-status", "bị trả lại").await;
    click(c, "#reopen").await;
    wait_text(c, "h1", "lần 2").await;
    set_input(c, "#so", "46/BC-UBND").await;
    click(c, "#submit-report").await;
    wait_text(c, "#submission-status", "đã gửi, chờ duyệt").await;
    wait_text(c, "#versions", "bị trả lại").await;

    // The district sees it sent, and asks for a new report by the form.
    log_in(c, base, "damrong", password).await;
    c.goto(&request_url).await.unwrap();
    wait_text(
        c,
        "#completeness-summary",
        "6/8 đơn vị đã gửi, 5 đúng hạn; 5 đã duyệt",
    )
    .await;
    c.goto(&format!("{base}/bao-cao/yeu-cau")).await.unwrap();
    set_input(c, "#van_ban", "12-CV/BDVHU").await;
    c.find(Locator::Css("#loai"))
        .await
        .unwrap()
        .select_by_value("quy")
        .await
        .unwrap();
    set_input(c, "#period-picker input[name=nam]", "2025").await;
    c.find(Locator::Css("#period-picker select[name=quy]"))
        .await
        .unwrap()
        .select_by_value("1")
        .await
        .unwrap();
    c.execute(
        "document.querySelector('#han').value = '2025-04-10';",
        vec![],
    )
    .await
    .unwrap();
    click(c, "#send-request").await;
    wait_text(c, "#completeness-summary", "0/8 đơn vị đã gửi").await;
    wait_text(c, "h1", "quý I năm 2025").await;
}
