//! The disclosure board through the pages: a commune's officer records what
//! the commune posted (a wrong date is refused in Vietnamese and nothing is
//! written), the province's official sees which of its communes lacks
//! what, and a citizen reads what is up today on the public page, with the
//! reception schedule of the leaders.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Duration;
use danvan_store::accounts::Role;
use danvan_store::{disclosure, units};
use danvan_testkit::web::{Env, Reply};

async fn public(env: &Env, uri: &str) -> Reply {
    env.send(Request::get(uri).body(Body::empty()).unwrap())
        .await
}

#[tokio::test]
async fn a_province_sees_what_a_commune_lacks_and_a_citizen_what_it_posted() {
    let env = Env::new("disclosure").await;
    let commune = env.commune;
    let province = units::by_id(&env.store, commune)
        .await
        .unwrap()
        .unwrap()
        .parent_id
        .unwrap();
    env.user("canbo_xa", Role::Officer, Some(commune)).await;
    env.user("lanhdao_tinh", Role::Viewer, Some(province)).await;
    let officer = env.login("canbo_xa").await;
    let leader = env.login("lanhdao_tinh").await;
    let today = env.store.today();
    let posted_on = (today - Duration::days(5)).to_string();
    let year = today.format("%Y").to_string();

    // The officer records the year's plan, posted five days ago.
    let r = env
        .post_in(
            &officer,
            "/ghi-nhan/cong-khai",
            &[
                ("don_vi", &commune.to_string()),
                ("noi_dung", "ke-hoach-kt-xh"),
                (
                    "tieu_de",
                    "Kế hoạch phát triển kinh tế - xã hội xã Đam Rông 1",
                ),
                ("ngay_cong_khai", &posted_on),
                ("hinh_thuc", "tru-so"),
                ("hinh_thuc", "dien-tu"),
                ("so_hieu", "12/KH-UBND"),
                ("lien_ket", "https://damrong1.lamdong.gov.vn/ke-hoach"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // A date to come is refused, named, and nothing is written.
    let tomorrow = (today + Duration::days(1)).to_string();
    let r = env
        .post_in(
            &officer,
            "/ghi-nhan/cong-khai",
            &[
                ("don_vi", &commune.to_string()),
                ("noi_dung", "ngan-sach"),
                ("tieu_de", "Dự toán ngân sách"),
                ("ngay_cong_khai", &tomorrow),
                ("hinh_thuc", "tru-so"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("chưa đến"), "{}", r.text());
    assert_eq!(
        disclosure::of_unit(&env.store, commune)
            .await
            .unwrap()
            .len(),
        1
    );
    // The leaders' reception schedule.
    let r = env
        .post_in(
            &officer,
            "/ghi-nhan/cong-khai/lich",
            &[
                ("don_vi", &commune.to_string()),
                ("lanh_dao", "Nguyễn Văn Chủ"),
                ("chuc_vu", "Chủ tịch UBND xã"),
                ("thoi_gian", "Thứ Năm hằng tuần, 7 giờ 30 – 11 giờ"),
                ("dia_diem", "Phòng tiếp công dân"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // The commune's board: the plan published, the budget missing.
    let page = env.get_in(&officer, "/ghi-nhan/cong-khai").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let line = |code: &str| {
        let at = html.find(&format!("id=\"muc-{code}\"")).unwrap();
        html[at..at + html[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(line("ke-hoach-kt-xh").contains("Đã công khai"));
    assert!(line("ngan-sach").contains("Chưa công khai"));

    // The province sees the commune and what it lacks.
    let page = env
        .get_in(&leader, &format!("/ghi-nhan/cong-khai?nam={year}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    let at = html
        .find("Xã Đam Rông 1")
        .or_else(|| html.find("xã Đam Rông 1"))
        .expect("the commune is listed");
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    assert!(row.contains("Dự toán, kế hoạch tài chính"), "{row}");
    assert!(!row.contains("Kế hoạch phát triển kinh tế"), "{row}");
    // The officer of the commune does not read the province's overview.
    let r = env
        .get_in(&officer, &format!("/ghi-nhan/cong-khai?don_vi={province}"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A citizen, signed out: what is up, with its link, and the schedule.
    let page = public(&env, &format!("/cong-dan/don-vi/{commune}/cong-khai")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Kế hoạch phát triển kinh tế - xã hội xã Đam Rông 1"));
    assert!(
        html.contains("href=\"https:&#x2f;&#x2f;damrong1.lamdong.gov.vn&#x2f;ke-hoach\"")
            || html.contains("href=\"https://damrong1.lamdong.gov.vn/ke-hoach\""),
        "{html}"
    );
    assert!(html.contains("Nguyễn Văn Chủ"));
    assert!(!html.contains("<script"));
    // The unit's public form links to it.
    let page = public(&env, &format!("/cong-dan/don-vi/{commune}")).await;
    assert!(
        page.text()
            .contains(&format!("/cong-dan/don-vi/{commune}/cong-khai"))
    );

    // Taken down today, before its 30 days: gone from the public page,
    // and overdue on the board.
    let id = disclosure::of_unit(&env.store, commune).await.unwrap()[0].id;
    let r = env
        .post_in(
            &officer,
            &format!("/ghi-nhan/cong-khai/{id}/go"),
            &[("ngay_go", &today.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = public(&env, &format!("/cong-dan/don-vi/{commune}/cong-khai"))
        .await
        .text();
    assert!(!html.contains("Kế hoạch phát triển kinh tế - xã hội xã Đam Rông 1"));
    let html = env.get_in(&officer, "/ghi-nhan/cong-khai").await.text();
    let at = html.find("id=\"muc-ke-hoach-kt-xh\"").unwrap();
    assert!(html[at..].contains("Vi phạm thời hạn"));
    env.close().await;
}
