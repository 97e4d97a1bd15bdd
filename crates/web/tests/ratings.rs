//! Satisfaction ratings: a citizen rates a resolved one-stop dossier by its
//! code and the day it was received, once, and a petition sent online by
//! its tracking code once it is answered; an official enters a paper form.
//! The satisfied share is a dashboard card and a sentence of the unit's
//! 6-month report at once. Wrong codes, wrong dates, results not yet given
//! and a second rating are refused in Vietnamese, and nothing is written.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Datelike;
use danvan_store::accounts::Role;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::ratings;
use danvan_testkit::web::{Env, Reply, card};
use danvan_web::public::guard::{stamp_with, unix_now};

const KEY: [u8; 32] = [7; 32];

fn urlencoded(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", danvan_web::auth::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A citizen's rating form, posted without a session.
async fn rate(env: &Env, fields: &[(&str, &str)]) -> Reply {
    let stamp = stamp_with(&KEY, unix_now());
    let mut all = vec![("_t", stamp.as_str())];
    all.extend_from_slice(fields);
    env.send(
        Request::post("/cong-dan/danh-gia")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(urlencoded(&all)))
            .unwrap(),
    )
    .await
}

async fn stored(env: &Env) -> usize {
    ratings::all(&env.store).await.unwrap().len()
}

#[tokio::test]
async fn citizens_rate_once_and_the_share_reaches_dashboard_and_report() {
    let env = Env::with_portal_key("ratings_flow", KEY).await;
    let today = env.store.today();
    let (received, resolved) = (today - chrono::Days::new(20), today - chrono::Days::new(10));
    let csv = format!(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n\
         1,DG-1,1.1,Khai sinh,24886-2025,Trực tiếp,,{received},{resolved},{resolved},,\n\
         2,DG-2,1.1,Khai sinh,24886-2025,Trực tiếp,,{received},{resolved},,,\n"
    );
    import_csv(
        &env.store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    let received_dmy = received.format("%d/%m/%Y").to_string();

    // The receipt's QR code opens the form with the code filled in.
    let page = env
        .send(
            Request::get("/cong-dan/danh-gia?ma=DG-1")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("value=\"DG-1\""), "{}", page.text());

    // A wrong day, a dossier without its result, no level: refused.
    let r = rate(
        &env,
        &[
            ("dich_vu", "dossier"),
            ("ma", "DG-1"),
            ("ngay_nhan", "01/01/2020"),
            ("muc_do", "satisfied"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Không tìm thấy hồ sơ có mã số và ngày tiếp nhận này"),
        "{}",
        r.text()
    );
    let r = rate(
        &env,
        &[
            ("dich_vu", "dossier"),
            ("ma", "DG-2"),
            ("ngay_nhan", &received_dmy),
            ("muc_do", "satisfied"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("hồ sơ chưa có kết quả"), "{}", r.text());
    let r = rate(
        &env,
        &[
            ("dich_vu", "dossier"),
            ("ma", "DG-1"),
            ("ngay_nhan", "31/02/2026"),
            ("muc_do", "satisfied"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shown = r.text().replace("&#x2f;", "/");
    assert!(
        shown.contains("ngày tiếp nhận «31/02/2026» không hợp lệ"),
        "{shown}"
    );
    let r = rate(
        &env,
        &[
            ("dich_vu", "dossier"),
            ("ma", "DG-1"),
            ("ngay_nhan", &received_dmy),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("hãy chọn mức độ hài lòng"),
        "{}",
        r.text()
    );
    assert_eq!(stored(&env).await, 0);

    // Rated once; the second time is refused.
    let fields = [
        ("dich_vu", "dossier"),
        ("ma", "DG-1"),
        ("ngay_nhan", received_dmy.as_str()),
        ("muc_do", "very_satisfied"),
        ("y_kien", "Cán bộ hướng dẫn tận tình"),
    ];
    let r = rate(&env, &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.text().contains("Đánh giá đã được ghi nhận"),
        "{}",
        r.text()
    );
    let r = rate(&env, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("«DG-1» đã được đánh giá"), "{}", r.text());
    assert_eq!(stored(&env).await, 1);

    // An official enters a paper form from a reception: not satisfied.
    env.user("canbo.dg", Role::Officer, Some(env.commune)).await;
    let s = env.login("canbo.dg").await;
    let today_dmy = today.format("%d/%m/%Y").to_string();
    let commune = env.commune.to_string();
    let r = env
        .post_in(
            &s,
            "/ghi-nhan/danh-gia",
            &[
                ("unit_id", commune.as_str()),
                ("service", "reception"),
                ("level", "not_satisfied"),
                ("rated_on", today_dmy.as_str()),
                ("subject", "P-07"),
                ("comment", "Chờ lâu"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(stored(&env).await, 2);

    // The list shows the comments and no one's name.
    let list = env.get_in(&s, "/ghi-nhan/danh-gia").await.text();
    assert!(
        list.contains("Cán bộ hướng dẫn tận tình") && list.contains("Chờ lâu"),
        "{list}"
    );

    // One satisfied of two: 50,0% on the dashboard and in the report.
    let half = if today.month() <= 6 { 1 } else { 2 };
    let period = format!("{}-H{half}", today.year());
    let dash = env
        .get_in(&s, &format!("/?don_vi={commune}&ky={period}"))
        .await
        .text();
    assert_eq!(card(&dash, "satisfaction_rate"), "50,0%", "{dash}");
    let report = env
        .get_in(
            &s,
            &format!("/bao-cao/tai?don_vi={commune}&ky={period}&dinh_dang=txt"),
        )
        .await
        .text();
    let report = report.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        report.contains(
            "người dân đã gửi 2 lượt đánh giá (giải quyết thủ tục hành chính 1 lượt; tiếp công dân \
             1 lượt), trong đó rất hài lòng 1 lượt, chưa hài lòng 1 lượt; tỷ lệ hài lòng đạt 50,0%."
        ),
        "{report}"
    );
    env.close().await;
}

#[tokio::test]
async fn a_petition_sent_online_is_rated_by_its_code_once_answered() {
    use danvan_core::portal::PortalKind;
    use danvan_core::records::petition::{PetitionField, Sender};
    use danvan_store::portal::{self, Answer, Submission};

    let env = Env::with_portal_key("ratings_petition", KEY).await;
    let citizen = env.store.acting_as(portal::citizen());
    let receipt = portal::submit(
        &citizen,
        &Submission {
            unit_id: env.commune,
            kind: PortalKind::Recommendation,
            field: PetitionField::Administration,
            content: "Đề nghị lắp đèn chiếu sáng đoạn đường trước trường học".into(),
            sender: Sender {
                name: "Trần Văn Bình".into(),
                address: "thôn 2".into(),
                phone: "0912345678".into(),
            },
            consent: true,
            files: vec![],
        },
    )
    .await
    .unwrap();
    let fields = [
        ("dich_vu", "petition"),
        ("ma", receipt.code.as_str()),
        ("muc_do", "satisfied"),
    ];
    let r = rate(&env, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("ý kiến của bạn chưa có kết quả"),
        "{}",
        r.text()
    );
    let r = rate(
        &env,
        &[
            ("dich_vu", "petition"),
            ("ma", "ABCD-EFGH-JKMN"),
            ("muc_do", "satisfied"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stored(&env).await, 0);

    portal::answer(
        &env.store,
        receipt.petition_id,
        &Answer {
            question: String::new(),
            body: "Xã đã lắp đèn trong tháng này.".into(),
            public: false,
            answered_on: env.store.today(),
        },
    )
    .await
    .unwrap();
    // The tracking page offers the rating.
    let t = env
        .send(
            Request::get(format!("/cong-dan/theo-doi/{}", receipt.code))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .text();
    assert!(t.contains("/cong-dan/danh-gia?dich_vu=petition"), "{t}");
    let r = rate(&env, &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        rate(&env, &fields).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let all = ratings::all(&env.store).await.unwrap();
    assert_eq!(all.len(), 1);
    // Kept at the unit that answered, under a reference that names
    // neither the code nor the petition.
    let (_, kept) = &all[0];
    assert_eq!(kept.unit_id, env.commune);
    assert!(!kept.subject.contains(&receipt.code));
    assert!(
        kept.subject.starts_with("PA-") && kept.subject.len() == 19,
        "{}",
        kept.subject
    );
    env.close().await;
}
