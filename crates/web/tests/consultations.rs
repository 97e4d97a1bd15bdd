//! Public consultations: a commune puts a draft with a further question to
//! the people; 30 citizens answer both online and the commune enters 20
//! paper forms; the synthesis and the 6-month report count the 50 together
//! (the report gives the main question), each question has its own result.
//! Answers out of the period, a missing choice, and paper forms beyond
//! those handed out are refused in Vietnamese and nothing is written.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Datelike;
use danvan_core::records::consultation::{Consultation, ConsultationSubject};
use danvan_store::accounts::Role;
use danvan_store::consultations;
use danvan_testkit::web::{Env, Reply};
use danvan_web::public::guard::{stamp_with, unix_now};

const KEY: [u8; 32] = [5; 32];

/// A citizen's answer from address `from`: `stance` to the main question,
/// `more` to the further one (none when empty).
async fn answer(
    env: &Env,
    id: i64,
    (stance, more): (&str, &str),
    comment: &str,
    from: &str,
) -> Reply {
    let stamp = stamp_with(&KEY, unix_now());
    let body = format!(
        "_t={}&y_kien_chon={stance}&cau_2={more}&y_kien={}",
        danvan_web::auth::urlencode(&stamp),
        danvan_web::auth::urlencode(comment)
    );
    let mut req = Request::post(format!("/cong-dan/lay-y-kien/{id}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let a: SocketAddr = from.parse().unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(a));
    env.send(req).await
}

async fn public(env: &Env, uri: &str) -> String {
    env.send(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .text()
        .replace("&#x2f;", "/")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn online_and_paper_answers_count_together_in_synthesis_and_report() {
    let env = Env::with_portal_key("consultation_flow", KEY).await;
    let today = env.store.today();
    let draft = Consultation {
        unit_id: env.commune,
        subject: ConsultationSubject::LandRecovery,
        title: "Phương án bồi thường đường liên xã".into(),
        summary: "Mở rộng đường liên xã đoạn qua thôn 2".into(),
        documents: "Tờ trình 12/TTr-UBND\nBản đồ hiện trạng".into(),
        question: "Ông/bà có đồng ý với phương án bồi thường?".into(),
        more_questions: vec!["Ông/bà có đồng ý với vị trí khu tái định cư?".into()],
        opens_on: today,
        closes_on: today + chrono::Days::new(30),
        forms_issued: 20,
    };
    let id = consultations::insert(&env.store, &draft).await.unwrap();
    let closed = consultations::insert(
        &env.store,
        &Consultation {
            title: "Kế hoạch đã hết hạn lấy ý kiến".into(),
            opens_on: today - chrono::Days::new(40),
            closes_on: today - chrono::Days::new(10),
            ..draft.clone()
        },
    )
    .await
    .unwrap();

    // The unit's public page lists it; its page shows the question.
    let list = public(
        &env,
        &format!("/cong-dan/don-vi/{}/lay-y-kien", env.commune),
    )
    .await;
    assert!(
        list.contains("Phương án bồi thường đường liên xã"),
        "{list}"
    );
    let page = public(&env, &format!("/cong-dan/lay-y-kien/{id}")).await;
    assert!(
        page.contains("có đồng ý với phương án bồi thường?")
            && page.contains("Câu 2. Ông/bà có đồng ý với vị trí khu tái định cư?")
            && page.contains("Tờ trình 12"),
        "{page}"
    );

    // Refused: no choice; the further question left out; a closed
    // consultation. Nothing is written.
    let r = answer(&env, id, ("", "agree"), "", "10.1.0.1:5000").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("hãy chọn đồng ý, không đồng ý hoặc ý kiến khác")
    );
    let r = answer(&env, id, ("agree", ""), "", "10.1.0.3:5000").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("hãy trả lời câu hỏi thứ 2"),
        "{}",
        r.text()
    );
    // An answer to a question the draft does not ask.
    let r = answer(
        &env,
        id,
        ("agree", "agree&cau_3=agree"),
        "",
        "10.1.0.4:5000",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("có 2 câu hỏi; đã gửi trả lời cho 3 câu"),
        "{}",
        r.text()
    );
    let r = answer(&env, closed, ("agree", "agree"), "", "10.1.0.2:5000").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("nhận ý kiến từ ngày"), "{}", r.text());
    assert_eq!(
        consultations::all_answers(&env.store).await.unwrap().len(),
        0
    );

    // Thirty citizens online: 24 agree, 4 disagree, 2 another opinion;
    // to the further question, 10 disagree and 20 agree.
    for i in 0..30 {
        let stance = match i {
            0..24 => "agree",
            24..28 => "disagree",
            _ => "other",
        };
        let place = if i % 3 == 0 { "disagree" } else { "agree" };
        let comment = if i == 29 {
            "Đề nghị hỗ trợ thêm tiền di dời"
        } else {
            ""
        };
        let r = answer(
            &env,
            id,
            (stance, place),
            comment,
            &format!("10.2.{i}.1:5000"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }

    // The commune enters 20 paper forms; one more than handed out is refused.
    env.user("canbo.lyk", Role::Officer, Some(env.commune))
        .await;
    let s = env.login("canbo.lyk").await;
    let day = today.format("%d/%m/%Y").to_string();
    let base = format!("/ghi-nhan/lay-y-kien/{id}");
    let r = env
        .post_in(
            &s,
            &format!("{base}/phieu"),
            &[
                ("ngay", &day),
                ("agree", "12"),
                ("disagree", "5"),
                ("other", "3"),
                ("cau_2_agree", "15"),
                ("cau_2_disagree", "6"),
            ],
        )
        .await;
    // 21 answers to the further question on 20 forms.
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("câu hỏi thứ 2 có 21 phiếu trả lời, nhiều hơn 20 phiếu thu về"),
        "{}",
        r.text()
    );
    let r = env
        .post_in(
            &s,
            &format!("{base}/phieu"),
            &[
                ("ngay", &day),
                ("agree", "12"),
                ("disagree", "5"),
                ("other", "3"),
                ("cau_2_agree", "15"),
                ("cau_2_disagree", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = env
        .post_in(
            &s,
            &format!("{base}/phieu"),
            &[("ngay", &day), ("agree", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("số phiếu thu về (21) vượt số phiếu phát ra (20)"),
        "{}",
        r.text()
    );
    let r = env
        .post_in(
            &s,
            &format!("{base}/phieu"),
            &[("ngay", "31/02/2026"), ("agree", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Counts past the domain's bounds are refused before any sum.
    let huge = "9000000000000000000";
    let r = env
        .post_in(
            &s,
            &format!("{base}/phieu"),
            &[
                ("ngay", &day),
                ("agree", huge),
                ("disagree", huge),
                ("other", huge),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("vượt quá mức có thể có"), "{}", r.text());

    // The official's page and the synthesis count 50.
    let official = env.get_in(&s, &base).await.text();
    assert!(
        official.contains("Đã nhận <strong>50</strong> ý kiến: 30 trực tuyến, 20 phiếu giấy"),
        "{official}"
    );
    assert!(
        official.contains("Đề nghị hỗ trợ thêm tiền di dời"),
        "{official}"
    );
    // The further question: 35 agree, 14 disagree, 49 answers (one paper
    // form left it blank).
    let second = official
        .split("id=\"ket-qua-2\"")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_else(|| panic!("no table for question 2: {official}"));
    let cells: Vec<&str> = second
        .split("<td>")
        .skip(1)
        .map(|c| c.split('<').next().unwrap_or(""))
        .collect();
    assert_eq!(
        cells,
        [
            "đồng ý",
            "35",
            "không đồng ý",
            "14",
            "ý kiến khác",
            "0",
            "Cộng",
            "49"
        ],
        "{second}"
    );
    let r = env
        .post_in(
            &s,
            &format!("{base}/tong-hop"),
            &[(
                "tong_hop",
                "Đa số đồng ý; tiếp thu đề nghị hỗ trợ di dời, bổ sung vào phương án.",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = public(&env, &format!("/cong-dan/lay-y-kien/{id}")).await;
    assert!(
        page.contains("Đã nhận 50 ý kiến (30 trực tuyến, 20 phiếu giấy)"),
        "{page}"
    );
    assert!(page.contains("tiếp thu đề nghị hỗ trợ di dời"), "{page}");

    // The report of the commune for the half-year: 36 of 50 agree.
    let half = if today.month() <= 6 { 1 } else { 2 };
    let report = env
        .get_in(
            &s,
            &format!(
                "/bao-cao/tai?don_vi={}&ky={}-H{half}&dinh_dang=txt",
                env.commune,
                today.year()
            ),
        )
        .await
        .text();
    let report = report.split_whitespace().collect::<Vec<_>>().join(" ");
    // The closed consultation counts when it opened in the same half-year.
    let opened = today - chrono::Days::new(40);
    let held = if opened.year() == today.year() && (opened.month() <= 6) == (half == 1) {
        2
    } else {
        1
    };
    let want = format!(
        "Tổ chức lấy ý kiến Nhân dân về {held} dự thảo, phát ra {} phiếu, thu về 50 ý kiến \
         (20 phiếu giấy, 30 ý kiến trực tuyến), 72,0% đồng ý.",
        held * 20
    );
    assert!(report.contains(&want), "{want}\n{report}");

    // A consultation with answers is not deleted.
    let r = env.post_in(&s, &format!("{base}/xoa"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    env.close().await;
}
