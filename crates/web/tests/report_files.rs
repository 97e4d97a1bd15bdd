//! The report builder's download, as a signed-in official clicks it: the
//! PDF comes back as a PDF file named after the unit and period, under the
//! unit's letterhead; an unknown format is explained in Vietnamese.

use danvan_testkit::web;

use axum::http::{StatusCode, header};
use web::{Env, Reply, Session};

async fn get(env: &Env, s: &Session, uri: &str) -> Reply {
    env.get_in(s, uri).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pdf_download_is_a_named_pdf_under_the_units_letterhead() {
    let env = Env::new("report_files").await;
    let s = env.login("quantri").await;
    let choice = format!("don_vi={}&ky=2025-H1", env.commune);

    let r = get(&env, &s, &format!("/bao-cao/tai?{choice}&dinh_dang=pdf")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/pdf");
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"bao-cao-24886-2025-")
            && disposition.ends_with(".pdf\""),
        "{disposition}"
    );
    assert!(r.body.starts_with(b"%PDF-"));

    // The letterhead and the text, when poppler can read them.
    let path = std::env::temp_dir().join(format!("danvan-web-{}.pdf", std::process::id()));
    std::fs::write(&path, &r.body).unwrap();
    match std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) => {
            let t = String::from_utf8_lossy(&o.stdout);
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            for want in [
                "ỦY BAN NHÂN DÂN XÃ ĐAM RÔNG 1",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2025",
            ] {
                assert!(t.contains(want), "missing «{want}» in:\n{t}");
            }
        }
        Err(e) => {
            let required = std::env::var_os("DANVAN_REQUIRE_LIBREOFFICE").is_some()
                || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
            assert!(!required, "pdftotext (poppler-utils) is required here: {e}");
            eprintln!("BỎ QUA: chưa cài poppler-utils (pdftotext)");
        }
    }
    let _ = std::fs::remove_file(&path);

    let r = get(&env, &s, &format!("/bao-cao/tai?{choice}&dinh_dang=odt")).await;
    assert_ne!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("định dạng «odt» không có"),
        "{}",
        r.text()
    );
    env.close().await;
}

/// A unit typed by name that matches several units is not chosen: the page
/// lists each candidate (kind, parent, code) as a link to choose it; a
/// code or "name, parent" chooses at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ambiguous_unit_name_lists_the_candidates_to_choose() {
    let env = Env::new("report_names").await;
    let s = env.login("quantri").await;
    let r = get(
        &env,
        &s,
        "/bao-cao?don_vi=Qu%E1%BA%A3ng%20Ng%C3%A3i&ky=2021..2023",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = r.text();
    assert!(t.contains("ứng với 2 đơn vị, chưa chọn đơn vị nào"), "{t}");
    assert!(!t.contains("id=\"report-text\""), "{t}");
    let list = t
        .split("id=\"unit-candidates\"")
        .nth(1)
        .and_then(|l| l.split("</ul>").next())
        .unwrap_or_else(|| panic!("no list of candidates in {t}"))
        .replace("&#x2f;", "/");
    assert!(
        list.contains("tỉnh Quảng Ngãi (mã 51, đến 30/06/2025)"),
        "{list}"
    );
    assert!(
        list.contains("thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522, đến 30/06/2025)"),
        "{list}"
    );
    assert_eq!(list.matches("<li>").count(), 2, "{list}");
    // In the picker, the two provinces of one name (before and after
    // 1 July 2025) carry their codes; names no other unit has do not.
    for option in [
        ">tỉnh Quảng Ngãi (mã 51)<",
        ">tỉnh Quảng Ngãi (mã 51-2025)<",
        ">tỉnh Kon Tum<",
    ] {
        assert!(t.contains(option), "{option}");
    }
    for exact in [
        "TP%20Qu%E1%BA%A3ng%20Ng%C3%A3i",
        "Qu%E1%BA%A3ng%20Ng%C3%A3i%2C%20t%E1%BB%89nh%20Qu%E1%BA%A3ng%20Ng%C3%A3i",
    ] {
        let r = get(&env, &s, &format!("/bao-cao?don_vi={exact}&ky=2021..2023")).await;
        let t = r.text();
        assert!(t.contains("id=\"report-text\""), "{exact}: {t}");
        assert!(!t.contains("unit-candidates"), "{exact}: {t}");
    }
    env.close().await;
}

/// Every kind of the period picker makes the report of its code: the text
/// downloaded from the picker is the text the library (and so the command
/// line) builds for the code. A picker missing its month says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_period_picker_makes_every_kind_of_period() {
    use danvan_core::period::Period;
    use danvan_report::{Catalogue, Request};

    let env = Env::new("period_picker").await;
    let s = env.login("quantri").await;
    let unit = danvan_store::units::by_id(&env.store, env.commune)
        .await
        .unwrap()
        .unwrap();
    for (picker, code) in [
        ("loai=thang&nam=2025&thang=8", "2025-08"),
        ("loai=quy&nam=2025&quy=3", "2025-Q3"),
        ("loai=6-thang-dau&nam=2026", "2026-H1"),
        ("loai=6-thang-cuoi&nam=2025", "2025-H2"),
        ("loai=9-thang&nam=2026", "2026-9M"),
        ("loai=nam&nam=2025", "2025"),
        ("loai=nhieu-nam&nam=2025&den_nam=2026", "2025..2026"),
        (
            "loai=ma&ky=2025-07-15..2025-10-14",
            "2025-07-15..2025-10-14",
        ),
    ] {
        // A stale typed code beside the picker does not count.
        let stale = if picker.contains("ky=") {
            ""
        } else {
            "&ky=2020"
        };
        let uri = format!(
            "/bao-cao/tai?don_vi={}&{picker}{stale}&dinh_dang=txt",
            env.commune
        );
        let r = get(&env, &s, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{picker}: {}", r.text());
        let period = Period::parse(code, false).unwrap();
        let want = danvan_report::build(
            &env.store,
            Catalogue::shipped(),
            Request::new(&unit, period),
        )
        .await
        .unwrap()
        .to_txt();
        assert_eq!(r.text(), want, "{picker} makes {code}");
        // The page shows the picker as chosen.
        let page = get(
            &env,
            &s,
            &format!("/bao-cao?don_vi={}&{picker}", env.commune),
        )
        .await;
        assert!(page.text().contains("id=\"report-text\""), "{picker}");
    }
    let r = get(
        &env,
        &s,
        &format!("/bao-cao?don_vi={}&loai=thang&nam=2025", env.commune),
    )
    .await;
    assert!(r.text().contains("chưa chọn tháng"), "{}", r.text());
    // A bare page opens on the user's unit and the half-year under way.
    let officer = env
        .user(
            "canbo",
            danvan_store::accounts::Role::Officer,
            Some(env.commune),
        )
        .await;
    let o = env.login(&officer.username).await;
    let bare = get(&env, &o, "/bao-cao").await.text();
    let today = chrono::Local::now().date_naive();
    let current = danvan_core::period_choice::current(today).code();
    assert!(
        bare.contains(&format!("name=\"ky\" value=\"{current}\"")),
        "{bare}"
    );
    assert!(
        bare.contains("id=\"report-text\""),
        "the report is built at once"
    );
    env.close().await;
}

/// A record list keeps to the period asked for, and downloads what it
/// shows as a spreadsheet that reads back with the same rows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_list_keeps_to_a_period_and_exports_it() {
    use calamine::{Reader, Xlsx};
    use danvan_core::records::reception::ReceptionKind;

    let env = Env::new("list_export").await;
    let s = env.login("quantri").await;
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let kind = ReceptionKind::ALL[0];
    for (on, turns) in [(day(2025, 8, 4), 17), (day(2026, 2, 9), 23)] {
        let r = danvan_testkit::seed::counted(env.commune, on, kind, turns, turns);
        danvan_store::reception::insert(&env.store, &r)
            .await
            .unwrap();
    }
    let page = get(&env, &s, "/ghi-nhan/tiep-cong-dan?ky=2025-H2")
        .await
        .text();
    let rows = web::table(&page, "records").replace("&#x2f;", "/");
    assert!(
        rows.contains("04/08/2025") && !rows.contains("09/02/2026"),
        "{rows}"
    );
    let bad = get(&env, &s, "/ghi-nhan/tiep-cong-dan?ky=2025-H3").await;
    assert!(
        bad.text().contains("kỳ báo cáo «2025-H3» không hợp lệ"),
        "{}",
        bad.text()
    );

    let r = get(
        &env,
        &s,
        "/ghi-nhan/tiep-cong-dan?ky=2025-H2&dinh_dang=xlsx",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.body.to_vec())).unwrap();
    let sheet = wb.worksheet_range("Tiếp công dân").unwrap();
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "04/08/2025"), "{cells:?}");
    assert!(!cells.iter().any(|c| c == "09/02/2026"), "{cells:?}");
    assert!(cells.iter().any(|c| c == "17 lượt / 17 người"), "{cells:?}");
    env.close().await;
}

/// The report page offers the inspection sector's statistical forms; the
/// download is a workbook named after the unit and period, with a sheet
/// per form and the check sheet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statistical_forms_download_is_a_named_workbook() {
    let env = Env::new("report_forms").await;
    let s = env.login("quantri").await;
    let choice = format!("don_vi={}&ky=2025-H1", env.commune);
    let page = get(&env, &s, &format!("/bao-cao?{choice}")).await;
    assert!(page.text().contains("id=\"dl-bieu\""), "{}", page.text());

    let r = get(&env, &s, &format!("/bao-cao/tai?{choice}&dinh_dang=bieu")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"bieu-mau-24886-2025-")
            && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    assert!(r.body.starts_with(b"PK"));
    let workbook = String::from_utf8_lossy(&r.body).into_owned();
    assert!(
        workbook.contains("xl/worksheets/sheet3.xml"),
        "three sheets"
    );
    env.close().await;
}
