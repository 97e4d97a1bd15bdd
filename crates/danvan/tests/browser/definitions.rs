//! An administrator defines an indicator and a report section in the
//! browser, from the report page's link; the next report of huyện Đam Rông
//! (2020, 6 tháng đầu năm) has the section with the indicator's figure,
//! without a restart; a section whose template never ends is stopped and
//! refused in Vietnamese.

use fantoccini::{Client, Locator};

async fn fill(c: &Client, css: &str, text: &str) {
    let e = c
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

async fn submit(c: &Client, form: &str) {
    c.find(Locator::Css(&format!("{form} button[type=submit]")))
        .await
        .unwrap_or_else(|e| panic!("{form}: {e}"))
        .click()
        .await
        .unwrap();
}

/// The text of `css` once it holds `needle`: a form's answer replaces the
/// page, so an element of the page before may still be there at first.
async fn text_with(c: &Client, css: &str, needle: &str) -> String {
    let start = std::time::Instant::now();
    let mut last = String::new();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t.contains(needle) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} never held «{needle}»; last: «{last}»")
}

pub async fn check(c: &Client, base: &str, password: &str) {
    super::accounts::log_in(c, base, "admin", password).await;
    c.goto(&format!("{base}/bao-cao")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#chi-so-tu-dinh-nghia"))
        .await
        .expect("the report page links the definitions for an administrator")
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#them-chi-so"))
        .await
        .expect("the definitions page");

    fill(c, "#cs-ma", "luot_tiep_trinh_duyet").await;
    fill(
        c,
        "#cs-ten",
        "Lượt tiếp công dân (định nghĩa trong trình duyệt)",
    )
    .await;
    fill(c, "#cs-cong-thuc", "reception.turns").await;
    submit(c, "#them-chi-so").await;
    text_with(c, "#da-luu", "luot_tiep_trinh_duyet").await;

    fill(c, "#pb-ma", "tiep_trinh_duyet").await;
    fill(c, "#pb-ten", "Tiếp công dân theo chỉ số mới").await;
    fill(
        c,
        "#pb-mau",
        "Theo chỉ số mới, toàn {{ unit.kind_label }} tiếp {{ all.luot_tiep_trinh_duyet | so }} lượt công dân.",
    )
    .await;
    submit(c, "#them-phan").await;
    text_with(c, "#da-luu", "«tiep_trinh_duyet»").await;

    // The next report has it, at once.
    // The unit by its name, as the report page takes it.
    c.goto(&format!(
        "{base}/bao-cao?don_vi=%C4%90am%20R%C3%B4ng&ky=2020-H1"
    ))
    .await
    .unwrap();
    // The section, numbered on from the shipped results, with the figure
    // of the shipped indicator it restates.
    let report = text_with(c, "#report-text", "Tiếp công dân theo chỉ số mới.").await;
    let turns = report
        .split("Theo chỉ số mới, toàn huyện tiếp ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .unwrap_or_else(|| panic!("no figure in the section: {report}"));
    assert!(
        report.contains(&format!("đã tiếp {turns} lượt"))
            && turns.parse::<i64>().is_ok_and(|n| n > 0),
        "the section's {turns} is the report's own count of turns: {report}"
    );

    // A template that never ends is stopped and refused.
    c.goto(&format!("{base}/bao-cao/chi-so")).await.unwrap();
    c.wait()
        .for_element(Locator::Css("#them-phan"))
        .await
        .unwrap();
    fill(c, "#pb-ma", "vong_lap").await;
    fill(c, "#pb-ten", "Vòng lặp").await;
    fill(
        c,
        "#pb-mau",
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
    )
    .await;
    submit(c, "#them-phan").await;
    text_with(c, "#loi", "vượt giới hạn tính toán").await;
}
