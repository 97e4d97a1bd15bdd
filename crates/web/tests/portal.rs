//! The public portal: a citizen finds a merged commune's successor, sends
//! a kiến nghị with a file, follows it with the code, adds a message; the
//! commune's officer sees it (channel trực tuyến, counted in the facts at
//! once) and answers publicly; the answer shows on the tracking page and
//! on «Hỏi – đáp» without the sender. A repeat is linked, not doubled.
//! Files are checked by content and size; forms by honeypot and stamp;
//! every public POST by a per-address limit. A tố cáo's sender is shown to
//! its assigned handler alone.

use std::net::SocketAddr;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::accounts::Role;
use danvan_store::petitions::{self, Filter, Viewer};
use danvan_store::{facts, portal, units};
use danvan_testkit::web::{Env, Reply};
use danvan_web::public::guard::{stamp_with, unix_now};

const KEY: [u8; 32] = [9; 32];
const BOUNDARY: &str = "ranh-gioi-cong-dan-4f1x";
/// The smallest PNG header: enough for the content check.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn stamp() -> String {
    stamp_with(&KEY, unix_now())
}

/// A multipart body of `fields` and `files` (name, bytes).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
                 Content-Type: image/jpeg\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn post(uri: &str, body: Vec<u8>, from: Option<&str>) -> Request<Body> {
    let mut req = Request::post(uri)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    if let Some(a) = from {
        let a: SocketAddr = a.parse().unwrap();
        req.extensions_mut().insert(axum::extract::ConnectInfo(a));
    }
    req
}

async fn get(env: &Env, uri: &str) -> Reply {
    env.send(Request::get(uri).body(Body::empty()).unwrap())
        .await
}

fn location(r: &Reply) -> String {
    r.headers
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no redirect ({}): {}", r.status, r.text()))
}

struct Sent<'a> {
    kind: &'a str,
    content: &'a str,
    name: &'a str,
    address: &'a str,
    phone: &'a str,
}

const KIEN_NGHI: Sent = Sent {
    kind: "recommendation",
    content: "Đề nghị sửa đoạn đường liên thôn bị sạt lở sau mưa lũ",
    name: "Lê Thị Công Dân",
    address: "thôn 3",
    phone: "0912 345 678",
};

fn form(s: &Sent<'_>, stamp: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_t", stamp.to_string()),
        ("trang_web", String::new()),
        ("loai", s.kind.into()),
        ("linh_vuc", "administration".into()),
        ("noi_dung", s.content.into()),
        ("ho_ten", s.name.into()),
        ("dia_chi", s.address.into()),
        ("dien_thoai", s.phone.into()),
        ("dong_y", "1".into()),
    ]
}

async fn send(env: &Env, unit: i64, s: &Sent<'_>, files: &[(&str, &[u8])]) -> Reply {
    let fields = form(s, &stamp());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.send(post(
        &format!("/cong-dan/don-vi/{unit}"),
        multipart(&fields, files),
        None,
    ))
    .await
}

/// The code a submission's redirect carries.
fn code_of(r: &Reply) -> String {
    let to = location(r);
    let code = to
        .strip_prefix("/cong-dan/theo-doi/")
        .and_then(|c| c.split('?').next())
        .unwrap_or_else(|| panic!("not a tracking page: {to}"));
    code.to_string()
}

async fn petitions_at(env: &Env, unit: i64) -> Vec<petitions::StoredPetition> {
    petitions::list(
        &env.store,
        &Filter {
            unit: Some(unit),
            ..Default::default()
        },
        Viewer { official_id: 0 },
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_citizen_sends_follows_and_reads_the_public_answer() {
    let env = Env::with_portal_key("portal_flow", KEY).await;
    let datong = units::find(&env.store, "24853", None).await.unwrap().id;
    let now = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id;

    // `/` leads an anonymous visitor to the portal, which offers to send.
    let r = get(&env, "/").await;
    assert_eq!(location(&r), "/cong-dan");
    let home = get(&env, "/cong-dan").await;
    assert!(
        home.text().contains("phản ánh, kiến nghị"),
        "{}",
        home.text()
    );

    // "da tong", without diacritics, leads to the commune of today.
    let found = get(&env, "/cong-dan/don-vi?q=da+tong").await.text();
    assert!(found.contains("Đạ Tông"), "{found}");
    assert!(
        found.contains(&format!("href=\"/cong-dan/don-vi/{now}?tu={datong}\"")),
        "{found}"
    );
    let r = get(&env, &format!("/cong-dan/don-vi/{datong}")).await;
    assert_eq!(location(&r), format!("/cong-dan/don-vi/{now}?tu={datong}"));
    let page = get(&env, &location(&r)).await.text();
    assert!(
        page.contains("đã sáp nhập") && page.contains("Đam Rông 4"),
        "{page}"
    );

    // Sent with an image: a petition at the commune, channel trực tuyến,
    // in the facts at once.
    let r = send(&env, now, &KIEN_NGHI, &[("anh.png", PNG)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let code = code_of(&r);
    let list = petitions_at(&env, now).await;
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(p.petition.channel.label(), "trực tuyến");
    assert_eq!(p.petition.sender.name, KIEN_NGHI.name);
    let received: Vec<i64> = facts::dump(&env.store)
        .await
        .unwrap()
        .into_iter()
        .filter(|(k, _)| k.unit_id == now && k.key == "petition.received" && k.breakdown.is_empty())
        .map(|(_, v)| v)
        .collect();
    assert!(
        !received.is_empty() && received.iter().all(|v| *v == 1),
        "{received:?}"
    );

    // The tracking page: plain status, the deadline by law, no sender.
    let t = get(&env, &format!("/cong-dan/theo-doi/{code}?moi=1"))
        .await
        .text();
    assert!(t.contains(&code) && t.contains("Đã tiếp nhận"), "{t}");
    assert!(t.contains("Hạn xử lý đơn theo luật"), "{t}");
    assert!(
        !t.contains(KIEN_NGHI.name) && !t.contains(KIEN_NGHI.phone),
        "{t}"
    );
    // A code typed in lower case without dashes finds it too.
    let typed = code.to_lowercase().replace('-', "");
    let r = get(&env, &format!("/cong-dan/theo-doi?ma={typed}")).await;
    assert_eq!(location(&r), format!("/cong-dan/theo-doi/{code}"));
    // A code nobody holds is not found.
    let r = get(&env, "/cong-dan/theo-doi/AAAA-AAAA-AAAA").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A further message joins the same petition.
    let msg = [
        ("_t", stamp()),
        (
            "noi_dung",
            "Bổ sung: đoạn sạt lở dài khoảng 20 mét".to_string(),
        ),
    ];
    let msg: Vec<(&str, &str)> = msg.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = env
        .send(post(
            &format!("/cong-dan/theo-doi/{code}"),
            multipart(&msg, &[]),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(petitions_at(&env, now).await.len(), 1);
    let t = get(&env, &format!("/cong-dan/theo-doi/{code}"))
        .await
        .text();
    assert!(t.contains("dài khoảng 20 mét"), "{t}");

    // The same content again within the day: linked, not doubled.
    let r = send(&env, now, &KIEN_NGHI, &[]).await;
    assert!(location(&r).contains("trung=1"), "{}", location(&r));
    assert_ne!(code_of(&r), code);
    assert_eq!(petitions_at(&env, now).await.len(), 1);

    // The commune's officer sees it and answers publicly.
    env.user("canbo.dr4", Role::Officer, Some(now)).await;
    let s = env.login("canbo.dr4").await;
    let page = env.get_in(&s, &format!("/don-thu/{}", p.id)).await.text();
    assert!(
        page.contains("trực tuyến") && page.contains("Đề nghị sửa đoạn đường"),
        "{page}"
    );
    assert!(page.contains("dài khoảng 20 mét"), "{page}");
    let list = env.get_in(&s, "/don-thu").await.text();
    assert!(list.contains("trực tuyến"), "{list}");
    let today = env.store.today().format("%d/%m/%Y").to_string();
    let question = format!(
        "{} hỏi: đường liên thôn sạt lở khi nào sửa?",
        KIEN_NGHI.name
    );
    let r = env
        .post_in(
            &s,
            &format!("/don-thu/{}/tra-loi", p.id),
            &[
                ("cau_hoi", question.as_str()),
                (
                    "tra_loi",
                    "Xã đã bố trí kinh phí, sửa xong trong tháng này.",
                ),
                ("ngay", today.as_str()),
                ("cong_khai", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // The citizen reads it; «Hỏi – đáp» shows it without the sender.
    let t = get(&env, &format!("/cong-dan/theo-doi/{code}"))
        .await
        .text();
    assert!(t.contains("sửa xong trong tháng này"), "{t}");
    let qa = get(&env, &format!("/cong-dan/don-vi/{now}/hoi-dap"))
        .await
        .text();
    assert!(qa.contains("sửa xong trong tháng này"), "{qa}");
    assert!(qa.contains("khi nào sửa"), "{qa}");
    assert!(
        !qa.contains(KIEN_NGHI.name),
        "the sender's name is out of sight: {qa}"
    );
    env.close().await;
}

#[tokio::test]
async fn files_are_checked_by_content_and_size_and_nothing_is_written() {
    let env = Env::with_portal_key("portal_files", KEY).await;
    let now = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id;
    // Text that claims to be a JPEG.
    let r = send(
        &env,
        now,
        &KIEN_NGHI,
        &[("anh.jpg", b"day khong phai la anh")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("«anh.jpg» không phải ảnh"),
        "{}",
        r.text()
    );
    // 20 MB.
    let big = vec![0xFFu8; 20 * 1024 * 1024];
    let r = send(&env, now, &KIEN_NGHI, &[("to.jpg", &big)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("Tệp gửi kèm quá lớn"), "{}", r.text());
    // 6 MB: under the form's limit, over a file's.
    let six = vec![0xFFu8; 6 * 1024 * 1024];
    let r = send(&env, now, &KIEN_NGHI, &[("vua.jpg", &six)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Four files.
    let four: Vec<(&str, &[u8])> = (0..4).map(|_| ("a.png", PNG)).collect();
    let r = send(&env, now, &KIEN_NGHI, &four).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("tối đa 3 tệp"), "{}", r.text());
    // No consent.
    let mut f = form(&KIEN_NGHI, &stamp());
    f.retain(|(k, _)| *k != "dong_y");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = env
        .send(post(
            &format!("/cong-dan/don-vi/{now}"),
            multipart(&f, &[]),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("đồng ý"), "{}", r.text());
    assert!(petitions_at(&env, now).await.is_empty());
    env.close().await;
}

#[tokio::test]
async fn robots_are_refused_by_honeypot_and_stamp() {
    let env = Env::with_portal_key("portal_robots", KEY).await;
    let now = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id;
    let mut f = form(&KIEN_NGHI, &stamp());
    f[1].1 = "http://spam.example".into();
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = env
        .send(post(
            &format!("/cong-dan/don-vi/{now}"),
            multipart(&f, &[]),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A stamp signed with another key.
    let forged = stamp_with(&[1; 32], unix_now() - 60);
    let f = form(&KIEN_NGHI, &forged);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = env
        .send(post(
            &format!("/cong-dan/don-vi/{now}"),
            multipart(&f, &[]),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Biểu mẫu đã cũ"), "{}", r.text());
    // The server's own settings: a form sent back at once is too fast.
    let hasty = danvan_web::router(env.store.clone());
    let page = hasty
        .clone()
        .oneshot_text(&format!("/cong-dan/don-vi/{now}"))
        .await;
    let stamp = page
        .split("name=\"_t\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the form's stamp")
        .to_string();
    let f = form(&KIEN_NGHI, &stamp);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = tower::ServiceExt::oneshot(
        hasty,
        post(&format!("/cong-dan/don-vi/{now}"), multipart(&f, &[]), None),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    assert!(String::from_utf8_lossy(&body).contains("quá nhanh"));
    assert!(petitions_at(&env, now).await.is_empty());
    env.close().await;
}

/// `GET uri` on a router, as text.
trait OneshotText {
    async fn oneshot_text(self, uri: &str) -> String;
}

impl OneshotText for axum::Router {
    async fn oneshot_text(self, uri: &str) -> String {
        let r = tower::ServiceExt::oneshot(self, Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let body = axum::body::to_bytes(r.into_body(), 1 << 22).await.unwrap();
        String::from_utf8_lossy(&body).into_owned()
    }
}

#[tokio::test]
async fn one_address_is_limited_while_others_are_served() {
    let env = Env::with_portal_key("portal_limit", KEY).await;
    let now = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id;
    let mut limited = 0;
    let mut first_limited = None;
    for i in 0..100 {
        // An empty message to a code nobody holds: cheap, and refused
        // after the limit before it is even read.
        let r = env
            .send(post(
                "/cong-dan/theo-doi/AAAA-AAAA-AAAA",
                multipart(&[("_t", &stamp())], &[]),
                Some("10.1.1.1:5000"),
            ))
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
            first_limited.get_or_insert(i);
            assert!(r.text().contains("quá nhiều lần gửi"), "{}", r.text());
            assert!(r.headers.contains_key(header::RETRY_AFTER));
        }
    }
    assert_eq!(first_limited, Some(10), "the limit is ten at once");
    assert_eq!(limited, 90);
    // Another address is still served, and its kiến nghị recorded.
    let fields = form(&KIEN_NGHI, &stamp());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = env
        .send(post(
            &format!("/cong-dan/don-vi/{now}"),
            multipart(&fields, &[]),
            Some("10.2.2.2:5000"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // Pages are not limited.
    assert_eq!(get(&env, "/cong-dan").await.status, StatusCode::OK);
    env.close().await;
}

const TO_CAO: Sent = Sent {
    kind: "denunciation",
    content: "Tố cáo cán bộ địa chính nhận tiền để cấp giấy chứng nhận sai",
    name: "Hoàng Văn Bímật",
    address: "xóm Kín, thôn 9",
    phone: "0987 000 111",
};

#[tokio::test]
async fn a_denouncer_is_shown_to_the_assigned_handler_alone() {
    let env = Env::with_portal_key("portal_secret", KEY).await;
    let now = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id;
    let r = send(&env, now, &TO_CAO, &[("bang-chung.png", PNG)]).await;
    let code = code_of(&r);
    let id = petitions_at(&env, now).await[0].id;
    let secrets = [TO_CAO.name, TO_CAO.address, TO_CAO.phone];
    let hidden = |text: &str, where_: &str| {
        for s in secrets {
            assert!(!text.contains(s), "{where_} shows «{s}»: {text}");
        }
    };
    hidden(
        &get(&env, &format!("/cong-dan/theo-doi/{code}?moi=1"))
            .await
            .text(),
        "tracking",
    );

    // The unit's officer, not assigned: masked, files and messages hidden.
    env.user("truong.dr4", Role::Officer, Some(now)).await;
    let handler = env.user("xuly.dr4", Role::Handler, Some(now)).await;
    let officer = env.login("truong.dr4").await;
    let page = env.get_in(&officer, &format!("/don-thu/{id}")).await.text();
    hidden(&page, "the petition page of an officer not assigned");
    assert!(page.contains("chỉ người được phân công"), "{page}");
    let file = portal::official_view(
        &env.store.acting_as(danvan_store::Actor::system()),
        id,
        Viewer { official_id: 0 },
    )
    .await
    .unwrap();
    assert!(file.messages.is_none() && file.files.is_none());
    // Answered publicly with the name in the question: out of sight.
    let today = env.store.today().format("%d/%m/%Y").to_string();
    let q = format!("Ông {} tố cáo việc cấp giấy chứng nhận sai", TO_CAO.name);
    let r = env
        .post_in(
            &officer,
            &format!("/don-thu/{id}/tra-loi"),
            &[
                ("cau_hoi", q.as_str()),
                ("tra_loi", "UBND xã đã thụ lý tố cáo và đang xác minh."),
                ("ngay", today.as_str()),
                ("cong_khai", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let qa = get(&env, &format!("/cong-dan/don-vi/{now}/hoi-dap"))
        .await
        .text();
    assert!(qa.contains("đang xác minh"), "{qa}");
    hidden(&qa, "Hỏi – đáp");
    hidden(
        &get(&env, &format!("/cong-dan/theo-doi/{code}"))
            .await
            .text(),
        "tracking",
    );

    // Assigned, the handler sees the sender and gets the file, as a
    // download of its real type.
    let r = env
        .post_in(
            &officer,
            &format!("/don-thu/{id}/phan-cong"),
            &[("official_id", handler.id.to_string().as_str())],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.text());
    let s = env.login("xuly.dr4").await;
    let page = env
        .get_in(&s, &format!("/don-thu/{id}"))
        .await
        .text()
        .replace("&#x2f;", "/");
    assert!(
        page.contains(TO_CAO.name),
        "the assigned handler sees the sender"
    );
    let href = page
        .split("href=\"/don-thu/")
        .filter_map(|p| p.split('"').next())
        .find(|p| p.contains("/tep/"))
        .unwrap_or_else(|| panic!("no file link: {page}"))
        .to_string();
    let r = env.get_in(&s, &format!("/don-thu/{href}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
    let cd = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(
        cd.starts_with("attachment; filename=") && cd.ends_with(".png\""),
        "{cd}"
    );
    assert_eq!(&r.body[..], PNG);
    // The officer who is not assigned may not fetch it.
    let r = env.get_in(&officer, &format!("/don-thu/{href}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The denouncer asks for a copy of their data, then its erasure
    // (Nghị định 13/2023/NĐ-CP): the assigned handler alone can do either.
    let own = format!("/don-thu/{id}/du-lieu-ca-nhan");
    assert!(page.contains(&own), "no link to the personal data: {page}");
    for uri in [own.clone(), format!("{own}/tai-ve")] {
        let r = env.get_in(&officer, &uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        hidden(&r.text(), &uri);
    }
    let erase = [
        (
            "can_cu",
            "Đơn yêu cầu ngày 05/01/2026, đã đối chiếu căn cước",
        ),
        ("xac_minh", "1"),
        ("xoa_tep", "1"),
    ];
    let r = env.post_in(&officer, &format!("{own}/xoa"), &erase).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = env.get_in(&s, &format!("{own}/tai-ve")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let copy: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(copy["sender"]["name"], TO_CAO.name);
    assert_eq!(copy["files"].as_array().map(Vec::len), Some(1));
    // Not without checking who asks.
    let r = env.post_in(&s, &format!("{own}/xoa"), &erase[..1]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("giấy tờ của người yêu cầu"),
        "{}",
        r.text()
    );
    let r = env.post_in(&s, &format!("{own}/xoa"), &erase).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let shown = env.get_in(&s, &format!("{own}?da_xoa=1")).await.text();
    assert!(shown.contains("Đã xoá dữ liệu cá nhân"), "{shown}");
    hidden(&shown, "the personal data page after the erasure");
    hidden(
        &env.get_in(&s, &format!("/don-thu/{id}")).await.text(),
        "the petition page after the erasure",
    );
    let r = env.get_in(&s, &format!("/don-thu/{href}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the file is gone");
    // Still counted, still followed by its code.
    assert_eq!(petitions_at(&env, now).await.len(), 1);
    let r = get(&env, &format!("/cong-dan/theo-doi/{code}")).await;
    assert_eq!(r.status, StatusCode::OK);
    env.close().await;
}
