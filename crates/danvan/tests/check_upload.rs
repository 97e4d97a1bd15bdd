//! The checking page of the real server, over HTTP: a 60 MB upload and a
//! DOCX bomb are refused with a Vietnamese message, and the same process
//! keeps answering and checking.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{Db, Engine, Server, prepare};

const BOUNDARY: &str = "ranh-gioi-http-7Q";

fn head(addr: SocketAddr, token: &str, length: Option<usize>, expect: bool) -> String {
    let mut h = format!(
        "POST /kiem-tra HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nConnection: close\r\n"
    );
    match length {
        Some(n) => h.push_str(&format!("Content-Length: {n}\r\n")),
        None => h.push_str("Transfer-Encoding: chunked\r\n"),
    }
    if expect {
        h.push_str("Expect: 100-continue\r\n");
    }
    h.push_str("\r\n");
    h
}

fn part_head(name: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes()
}

fn multipart(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut b = part_head(name);
    b.extend_from_slice(bytes);
    b.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    b
}

/// The answer's status and body.
fn answer(s: &mut TcpStream) -> Option<(u16, String)> {
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (h, body) = raw.split_once("\r\n\r\n")?;
    Some((h.split(' ').nth(1)?.parse().ok()?, body.to_string()))
}

fn post(addr: SocketAddr, token: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let body = multipart(name, bytes);
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(head(addr, token, Some(body.len()), false).as_bytes())
        .unwrap();
    s.write_all(&body).unwrap();
    answer(&mut s).expect("an answer")
}

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

#[test]
fn a_60_mb_upload_and_a_docx_bomb_are_refused_and_the_server_keeps_answering() {
    let db = Db::new(Engine::Sqlite, "check_upload");
    let setup = prepare(&db);
    let server = Server::start(&db.url);
    let addr = server.addr;
    let token = setup.token.as_str();

    // 60 MB declared, sent as a client that waits for the server's go: the
    // refusal comes before a byte of the file.
    let body_len = (60 << 20) + 200;
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    s.write_all(head(addr, token, Some(body_len), true).as_bytes())
        .unwrap();
    let (st, body) = answer(&mut s).expect("an answer before the body");
    assert_eq!(st, 413, "{body}");
    assert!(
        body.contains("Tệp quá lớn: chỉ kiểm tra được tệp tối đa 20 MB."),
        "{body}"
    );

    // 60 MB streamed without a declared length: the server stops reading at
    // the limit. Its answer may be lost when it closes while the client is
    // still sending (TCP resets the connection); either way the server
    // must stay up.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    s.write_all(head(addr, token, None, false).as_bytes())
        .unwrap();
    let mut w = s.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let mut send = |bytes: &[u8]| -> std::io::Result<()> {
            w.write_all(format!("{:x}\r\n", bytes.len()).as_bytes())?;
            w.write_all(bytes)?;
            w.write_all(b"\r\n")
        };
        let chunk = vec![b'1'; 1 << 20];
        let _ = send(&part_head("lon.txt"));
        for _ in 0..60 {
            if send(&chunk).is_err() {
                return;
            }
        }
        let _ = w.write_all(b"0\r\n\r\n");
    });
    if let Some((st, body)) = answer(&mut s) {
        assert_eq!(st, 413, "{body}");
        assert!(body.contains("Tệp quá lớn"), "{body}");
    }
    writer.join().unwrap();

    // A 70 KB DOCX whose XML expands to 65 MB.
    let (st, body) = post(addr, token, "bom.docx", &docx_bomb(65));
    assert_eq!(st, 422, "{body}");
    assert!(
        body.contains("quá lớn để kiểm tra (có thể là tệp độc hại)"),
        "{body}"
    );

    // Still the same process, answering and checking.
    let (st, body) = post(
        addr,
        token,
        "bao-cao.txt",
        "Đã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%.".as_bytes(),
    );
    assert_eq!(st, 303, "{body}");
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(
        format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap();
    assert_eq!(answer(&mut s).map(|a| a.0), Some(200));
    drop(server);
}
