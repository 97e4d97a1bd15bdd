//! The checking page in the browser: a report chosen in the file field is
//! uploaded, comes back with its wrong rate marked at its sentence and
//! explained, and its JSON is offered for download.

use fantoccini::{Client, Locator};

const REPORT: &str = "BÁO CÁO\n\nĐã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%.\n\nHòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%).\n";

pub async fn check(c: &Client, base: &str, dir: &std::path::Path) {
    let file = dir.join("bao-cao-kiem-tra.txt");
    std::fs::write(&file, REPORT).expect("write the report");
    c.goto(&format!("{base}/kiem-tra"))
        .await
        .expect("the checking page");
    c.wait()
        .for_element(Locator::Css("#f-tep"))
        .await
        .expect("a file field")
        .send_keys(file.to_str().expect("a UTF-8 path"))
        .await
        .expect("choose the file");
    c.find(Locator::Css("#check"))
        .await
        .expect("the button")
        .click()
        .await
        .expect("submit");
    let summary = c
        .wait()
        .for_element(Locator::Css("#summary"))
        .await
        .expect("the result page")
        .text()
        .await
        .unwrap();
    assert!(summary.contains("1 lỗi"), "{summary}");
    let marked = c
        .find(Locator::Css("#checked-text mark.loi"))
        .await
        .expect("the wrong sentence is marked")
        .text()
        .await
        .unwrap();
    assert!(
        marked.contains("hòa giải thành công 630 vụ, đạt 83,5%"),
        "{marked}"
    );
    let why = c
        .find(Locator::Css("#findings li.loi"))
        .await
        .expect("the finding is listed")
        .text()
        .await
        .unwrap();
    assert!(why.contains("83,4%"), "{why}");
    let href = c
        .find(Locator::Css("#download-json"))
        .await
        .expect("a JSON download")
        .attr("href")
        .await
        .unwrap()
        .expect("its address");
    let got = c
        .execute_async(
            r#"const [url, done] = arguments;
            fetch(url, { credentials: "same-origin" })
              .then(async r => done({ status: r.status, body: await r.text() }))
              .catch(e => done({ error: String(e) }));"#,
            vec![serde_json::json!(href)],
        )
        .await
        .expect("fetch the JSON");
    assert_eq!(got["status"], 200, "{got}");
    assert!(
        got["body"].as_str().is_some_and(|b| b.contains("\"lỗi\"")),
        "{got}"
    );
}
