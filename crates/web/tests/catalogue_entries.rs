//! The page of definitions made at run time: a national administrator
//! adds an indicator and a report section by form, the next report shows
//! them; a looping template is refused with a Vietnamese message and the
//! form sent back; an edit on a replaced version is refused; a unit's
//! administrator and an officer may not even open the page.

use axum::http::StatusCode;
use danvan_store::accounts::Role;
use danvan_store::reception;
use danvan_testkit::seed;
use danvan_testkit::web::Env;

#[tokio::test]
async fn an_administrator_defines_an_indicator_and_a_section_used_at_once() {
    let env = Env::new("catalogue_entries").await;
    let r = danvan_core::records::reception::Reception {
        received_on: chrono::NaiveDate::from_ymd_opt(2025, 9, 5).unwrap(),
        ..seed::reception(env.commune, 1022)
    };
    reception::insert(&env.store, &r).await.unwrap();
    let admin = env.login("quantri").await;
    let report = format!("/bao-cao?don_vi={}&ky=2025", env.commune);
    let before = env.get_in(&admin, &report).await.text();
    assert!(
        before.contains("id=\"chi-so-tu-dinh-nghia\""),
        "the report page links the definitions"
    );
    assert!(!before.contains("Lượt tiếp được thống kê riêng"));

    let r = env
        .post_in(
            &admin,
            "/bao-cao/chi-so",
            &[
                ("loai", "indicator"),
                ("ma", "luot_tiep_rieng"),
                ("ten", "Lượt tiếp công dân (thống kê riêng)"),
                ("cong_thuc", "reception.turns"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text()
            .contains("Đã lưu chỉ số «luot_tiep_rieng» (phiên bản 1)")
    );
    let section = "Lượt tiếp được thống kê riêng: {{ all.luot_tiep_rieng | so }} lượt.";
    let r = env
        .post_in(
            &admin,
            "/bao-cao/chi-so",
            &[
                ("loai", "section"),
                ("ma", "tiep_rieng"),
                ("ten", "Thống kê riêng"),
                ("mau", section),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let after = env.get_in(&admin, &report).await.text();
    assert!(
        after.contains("Lượt tiếp được thống kê riêng: 1.022 lượt."),
        "{after}"
    );

    // A template that never ends is refused, the form kept.
    let looping =
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}";
    let r = env
        .post_in(
            &admin,
            "/bao-cao/chi-so",
            &[
                ("loai", "section"),
                ("ma", "vong_lap"),
                ("ten", "Vòng lặp"),
                ("mau", looping),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text();
    assert!(page.contains("vượt giới hạn tính toán"), "{page}");
    assert!(
        page.contains("vong_lap"),
        "the form comes back filled: {page}"
    );

    // An edit: the next version; the same edit again is stale.
    let edit = |label: &'static str| vec![("phien_ban", "1"), ("nguon", label)];
    let src =
        "code = \"luot_tiep_rieng\"\nlabel = \"Lượt tiếp (riêng)\"\nvalue = \"reception.turns\"\n";
    let r = env
        .post_in(
            &admin,
            "/bao-cao/chi-so/indicator/luot_tiep_rieng",
            &edit(src),
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.text());
    let r = env
        .post_in(
            &admin,
            "/bao-cao/chi-so/indicator/luot_tiep_rieng",
            &edit(src),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("đã được người khác sửa"));
    let page = env
        .get_in(&admin, "/bao-cao/chi-so/indicator/luot_tiep_rieng")
        .await
        .text();
    assert!(page.contains("Lưu phiên bản mới") && page.contains("Lượt tiếp (riêng)"));

    // Not for a unit's administrator nor an officer.
    env.user("qt.xa", Role::Admin, Some(env.commune)).await;
    env.user("cb.xa", Role::Officer, Some(env.commune)).await;
    for name in ["qt.xa", "cb.xa"] {
        let s = env.login(name).await;
        assert_eq!(
            env.get_in(&s, "/bao-cao/chi-so").await.status,
            StatusCode::FORBIDDEN
        );
        let r = env
            .post_in(
                &s,
                "/bao-cao/chi-so",
                &[
                    ("loai", "indicator"),
                    ("ma", "khac"),
                    ("ten", "Khác"),
                    ("cong_thuc", "reception.turns"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{name}");
    }
    env.close().await;
}
