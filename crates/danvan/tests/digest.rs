//! The daily digest as it leaves: `danvan digest` sends a handler the
//! petition two working days from its deadline, through a local SMTP sink
//! this test starts, and sends nothing to whom nothing waits for.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use common::text;
use danvan_core::records::petition::PetitionType;
use danvan_store::accounts::{Role, User};
use danvan_store::notices::{self, Preferences};
use danvan_store::petitions::{self, Viewer};
use danvan_store::{Store, deadlines};
use danvan_testkit::{seed, units, users};

/// One message the sink received: its recipients and its data.
#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
}

/// A minimal SMTP server on loopback that accepts every message and keeps
/// it: enough for a client to hand over mail as to a real relay.
fn smtp_sink() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let keep = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut out) = stream else { return };
            let mut lines = BufReader::new(out.try_clone().unwrap());
            let _ = out.write_all(b"220 sink ESMTP\r\n");
            let mut mail = Mail {
                to: Vec::new(),
                data: String::new(),
            };
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
                let cmd = line.trim_end().to_ascii_uppercase();
                let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                    b"250 sink\r\n"
                } else if cmd.starts_with("RCPT TO:") {
                    mail.to.push(line.trim_end()[8..].trim().to_string());
                    b"250 OK\r\n"
                } else if cmd == "DATA" {
                    out.write_all(b"354 go ahead\r\n").unwrap();
                    let mut l = String::new();
                    while lines.read_line(&mut l).is_ok_and(|n| n > 0) && l.trim_end() != "." {
                        mail.data.push_str(&l);
                        l.clear();
                    }
                    keep.lock().unwrap().push(mail.clone());
                    b"250 queued\r\n"
                } else if cmd == "QUIT" {
                    let _ = out.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 OK\r\n"
                };
                let _ = out.write_all(reply);
                line.clear();
            }
        }
    });
    (port, got)
}

/// The text of a quoted-printable message: soft breaks joined, `=XX`
/// bytes restored.
fn quoted_printable(data: &str) -> String {
    let joined = data.replace("=\r\n", "").replace("=\n", "");
    let b = joined.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (b[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The day `n` working days before `d`.
async fn working_days_before(store: &Store, d: NaiveDate, n: i64) -> NaiveDate {
    let cal = deadlines::calendar(store).await.unwrap();
    let mut t = d;
    while cal.working_days_between(t, d) < n {
        t = t.pred_opt().unwrap();
    }
    t
}

async fn choose_digest(store: &Store, user: &User, email: &str) {
    let theirs = store
        .acting_as(user.actor())
        .within(user.unit_id.unwrap())
        .await
        .unwrap();
    let p = Preferences {
        email: email.into(),
        digest: true,
        ..Preferences::default()
    };
    notices::set_preferences(&theirs, &p).await.unwrap();
}

/// Set up the database; the day on which the petition is two working
/// days from its deadline, and the petition.
async fn prepare(store: &Store) -> (NaiveDate, i64) {
    let commune = units::load_and_find(store, "24853").await;
    let other = units::id(store, "24856").await;
    let handler = users::user(store, "xuly", Role::Handler, Some(commune)).await;
    let idle = users::user(store, "ranh", Role::Handler, Some(other)).await;
    users::user(store, "khongnhan", Role::Handler, Some(commune)).await;
    choose_digest(store, &handler, "xuly@xadatong.gov.vn").await;
    choose_digest(store, &idle, "ranh@xadalong.gov.vn").await;
    let id = petitions::insert(store, &seed::petition(commune, PetitionType::Denunciation))
        .await
        .unwrap();
    petitions::assign(store, id, handler.id).await.unwrap();
    let p = petitions::get(store, id, Viewer { official_id: 0 })
        .await
        .unwrap();
    let deadline = p.petition.processing_deadline.unwrap();
    (working_days_before(store, deadline, 2).await, id)
}

fn digest(url: &str, port: u16, date: NaiveDate) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args([
            "digest",
            "--db",
            url,
            "--from",
            "danvan <danvan@example.vn>",
        ])
        .args(["--smtp", &format!("127.0.0.1:{port}")])
        .args(["--site", "https://danvan.example.vn"])
        .args(["--date", &date.format("%d/%m/%Y").to_string()])
        .output()
        .expect("run danvan digest")
}

#[test]
fn the_digest_reaches_the_handler_through_smtp_on_both_engines() {
    danvan_testkit::block_on(async {
        for db in danvan_testkit::both().await {
            let (today, id) = prepare(&db.store).await;
            let (port, got) = smtp_sink();
            let o = digest(&db.url, port, today);
            assert!(o.status.success(), "{}", text(&o.stderr));
            let out = text(&o.stdout);
            assert!(out.contains("Đã gửi 1 thư tổng hợp; 1 người"), "{out}");
            let mails = got.lock().unwrap().clone();
            assert_eq!(mails.len(), 1, "{mails:?}");
            let m = &mails[0];
            assert_eq!(m.to, vec!["<xuly@xadatong.gov.vn>"]);
            let body = quoted_printable(&m.data);
            assert!(body.contains("Kính gửi Người dùng xuly"), "{body}");
            assert!(
                body.contains("Đơn đến hạn trong 3 ngày làm việc (1):"),
                "{body}"
            );
            assert!(
                body.contains(&format!("https://danvan.example.vn/don-thu/{id}")),
                "{body}"
            );
            // The denouncer's name never leaves in a mail.
            assert!(!body.contains("Ka Điểu"), "{body}");
            // A bad date is refused in Vietnamese; nothing is sent.
            let o = Command::new(env!("CARGO_BIN_EXE_danvan"))
                .args(["digest", "--db", &db.url, "--from", "danvan@example.vn"])
                .args([
                    "--smtp",
                    &format!("127.0.0.1:{port}"),
                    "--date",
                    "31/02/2025",
                ])
                .output()
                .unwrap();
            assert!(!o.status.success());
            assert!(text(&o.stderr).contains("ngày «31/02/2025» không hợp lệ"));
            assert_eq!(got.lock().unwrap().len(), 1);
            db.finish().await;
        }
    });
}
