//! The checking page: an uploaded report comes back with each finding
//! marked at its sentence, explained in Vietnamese, and as JSON to
//! download; a checked report is its uploader's only; a file past the size
//! limit (60 MB, declared or streamed) and a DOCX bomb are refused with a
//! Vietnamese message, and the server keeps answering.

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::accounts::Role;
use danvan_testkit::web::{Env, Session};

const BOUNDARY: &str = "ranh-gioi-kiem-tra-5Q";

fn multipart_head(name: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes()
}

fn multipart(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = multipart_head(name);
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(who: &Session, body: Body, length: Option<usize>) -> Request<Body> {
    let mut req = Request::post(format!("/kiem-tra?_csrf={}", who.csrf))
        .header(header::COOKIE, who.cookie_header())
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(n) = length {
        req = req.header(header::CONTENT_LENGTH, n);
    }
    req.body(body).unwrap()
}

async fn upload(
    env: &Env,
    who: &Session,
    name: &str,
    bytes: &[u8],
) -> (StatusCode, String, String) {
    let body = multipart(name, bytes);
    let n = body.len();
    let r = env
        .send(upload_request(who, Body::from(body), Some(n)))
        .await;
    let location = r
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (r.status, r.text(), location)
}

/// A DOCX whose document part expands to `mb` megabytes of text.
fn docx_bomb(mb: usize) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(b"<w:document><w:body><w:p><w:r><w:t>").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..mb {
        z.write_all(&chunk).unwrap();
    }
    z.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

const REPORT: &str = "BÁO CÁO\n\nTrong kỳ, các xã tiếp nhận 63 đơn thư, đã giải quyết dứt điểm 52 đơn, còn 11 đơn (đạt tỷ lệ 82,53%).\n\nĐã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%.\n";

#[tokio::test]
async fn a_report_is_checked_marked_explained_and_downloaded() {
    let env = Env::new("check_page").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    env.user("khac", Role::Officer, Some(env.commune)).await;
    let me = env.login("canbo").await;
    let other = env.login("khac").await;

    let page = env.get_in(&me, "/kiem-tra").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Kiểm tra số liệu"));

    let (st, body, location) = upload(&env, &me, "bao-cao.txt", REPORT.as_bytes()).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(location, "/kiem-tra/1");
    let r = env.get_in(&me, &location).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<strong>1 lỗi</strong>"), "{html}");
    assert!(html.contains("<strong>1 cảnh báo</strong>"), "{html}");
    // The wrong rate's sentence is marked as a lỗi, the truncated one as a
    // cảnh báo, each with its explanation.
    assert!(
        html.contains("<mark class=\"loi\"><span id=\"cau-2\"></span>Đã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%."),
        "{html}"
    );
    assert!(
        html.contains("<mark class=\"canh-bao\"><span id=\"cau-1\"></span>Trong kỳ, các xã"),
        "{html}"
    );
    assert!(
        html.contains("làm tròn đến 1 chữ số thập phân phải là 83,4%"),
        "{html}"
    );
    // The JSON download.
    let j = env.get_in(&me, "/kiem-tra/1/json").await;
    assert_eq!(j.status, StatusCode::OK);
    assert!(
        j.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let v = j.json();
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["findings"][1]["severity"], "lỗi");
    assert_eq!(v["file"], "bao-cao.txt");
    assert!(v["consistent"].as_array().is_some_and(|a| !a.is_empty()));
    // Its uploader's only.
    assert_eq!(
        env.get_in(&other, "/kiem-tra/1").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        env.get_in(&other, "/kiem-tra/1/json").await.status,
        StatusCode::NOT_FOUND
    );
    // A DOCX checks the same way.
    let docx = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        z.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(
            "<w:document><w:body><w:p><w:r><w:t>Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%).</w:t></w:r></w:p></w:body></w:document>"
                .as_bytes(),
        )
        .unwrap();
        z.finish().unwrap();
        buf.into_inner()
    };
    let (st, _, location) = upload(&env, &me, "bao-cao.docx", &docx).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let html = env.get_in(&me, &location).await.text();
    assert!(html.contains("<mark class=\"loi\">"), "{html}");
    env.close().await;
}

#[tokio::test]
async fn oversized_files_and_zip_bombs_are_refused_and_the_server_keeps_answering() {
    let env = Env::new("check_limits").await;
    env.user("canbo", Role::Officer, Some(env.commune)).await;
    let me = env.login("canbo").await;

    // 60 MB, declared.
    let big = vec![b'1'; 60 << 20];
    let (st, body, _) = upload(&env, &me, "lon.txt", &big).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body.contains("Tệp quá lớn: chỉ kiểm tra được tệp tối đa 20 MB."),
        "{body}"
    );
    // 60 MB streamed without a declared length: cut off at the limit.
    let head = multipart_head("lon.txt");
    let chunks = std::iter::once(head)
        .chain((0..60).map(|_| vec![b'1'; 1 << 20]))
        .map(Ok::<_, std::io::Error>);
    let r = env
        .send(upload_request(
            &me,
            Body::from_stream(futures_stream(chunks)),
            None,
        ))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert!(r.text().contains("Tệp quá lớn"), "{}", r.text());

    // A 70 KB DOCX expanding to 65 MB of XML.
    let bomb = docx_bomb(65);
    assert!(bomb.len() < 200 << 10, "{} bytes", bomb.len());
    let (st, body, _) = upload(&env, &me, "bom.docx", &bomb).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("quá lớn để kiểm tra (có thể là tệp độc hại)"),
        "{body}"
    );
    // Neither a PDF nor an empty upload.
    let (st, body, _) = upload(&env, &me, "bao-cao.pdf", b"%PDF-1.4").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Không hỗ trợ định dạng"), "{body}");
    let (st, body, _) = upload(&env, &me, "rong.txt", b"").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Chưa chọn tệp"), "{body}");

    // Still answering, and checking.
    let (st, _, location) = upload(&env, &me, "bao-cao.txt", REPORT.as_bytes()).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(env.get_in(&me, &location).await.status, StatusCode::OK);
    env.close().await;
}

/// A stream of byte chunks for a request body.
fn futures_stream(
    chunks: impl Iterator<Item = Result<Vec<u8>, std::io::Error>> + Send + Unpin + 'static,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    Chunks(chunks)
}

struct Chunks<I>(I);

impl<I: Iterator<Item = Result<Vec<u8>, std::io::Error>> + Unpin> futures_core::Stream
    for Chunks<I>
{
    type Item = Result<Vec<u8>, std::io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.next())
    }
}
