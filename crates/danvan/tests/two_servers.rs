//! Two `danvan serve` processes on one database, on each engine: a write
//! through one is in the next dashboard read through the other (each
//! keeps its own dashboard cache, which must not serve stale figures), a
//! login session opened once works on both and survives a restart of
//! either, and a logout through one ends it on the other.

#![cfg(unix)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{Db, Engine, Server, call, postgres_available, prepare};
use danvan_store::{Store, accounts};

/// A GET with a session cookie: the status and the body.
fn get_with_cookie(addr: SocketAddr, cookie: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: danvan_phien={cookie}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    (
        head.split(' ').nth(1).unwrap().parse().unwrap(),
        body.to_string(),
    )
}

/// The mediation cases received, as the dashboard's headline shows them.
fn mediation_card(page: &str) -> String {
    let at = page
        .find("data-code=\"mediation_received\"")
        .unwrap_or_else(|| panic!("no mediation card: {page}"));
    let rest = &page[at..];
    let v = rest.find("class=\"v\">").unwrap() + "class=\"v\">".len();
    rest[v..v + rest[v..].find('<').unwrap()].to_string()
}

fn two_servers(engine: Engine) {
    let db = Db::new(engine, "hai_may_chu");
    let setup = prepare(&db);
    let unit = setup.communes[0];
    let session = danvan_testkit::block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let s = accounts::login(&store, "quantri", "mat-khau-thu", "127.0.0.1", 8)
            .await
            .unwrap()
            .unwrap();
        store.close().await;
        s
    });
    let mut a = Server::start(&db.url);
    let b = Server::start(&db.url);
    let dashboard = format!("/?don_vi={unit}&ky=2025");

    // The session works on both; the second server computes and keeps
    // the dashboard.
    let (st, page) = get_with_cookie(a.addr, &session.token, &dashboard);
    assert_eq!(st, 200, "{page}");
    let (st, page) = get_with_cookie(b.addr, &session.token, &dashboard);
    assert_eq!(st, 200, "{page}");
    assert_eq!(mediation_card(&page), "0");
    let (_, again) = get_with_cookie(b.addr, &session.token, &dashboard);
    assert_eq!(mediation_card(&again), "0");

    // A write through the first server…
    for n in 1..=2 {
        let body = format!(
            r#"[{{"unit_id":{unit},"team":"Tổ {n}","received_on":"2025-03-0{n}","field":"land","result":"success","summary":"ghi thử"}}]"#
        );
        let (st, reply) = call(a.addr, &setup.token, "POST", "/api/mediation", &body).unwrap();
        assert!((200..300).contains(&st), "{st} {reply}");
        // …is in the very next dashboard read through the second.
        let (_, page) = get_with_cookie(b.addr, &session.token, &dashboard);
        assert_eq!(mediation_card(&page), n.to_string(), "after write {n}");
    }

    // A restart of the first: the session opened before still works.
    a.kill9();
    let a = Server::start(&db.url);
    let (st, page) = get_with_cookie(a.addr, &session.token, &dashboard);
    assert_eq!(st, 200, "{page}");
    assert_eq!(mediation_card(&page), "2");

    // A logout through the second ends the session on the first.
    let mut s = TcpStream::connect(b.addr).unwrap();
    let form = format!("_csrf={}", session.csrf);
    write!(
        s,
        "POST /dang-xuat HTTP/1.1\r\nHost: {}\r\nCookie: danvan_phien={}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        b.addr,
        session.token,
        form.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 303"), "{out}");
    let (st, _) = get_with_cookie(a.addr, &session.token, &dashboard);
    assert_eq!(st, 303, "the session ended through the other server");
}

#[test]
fn two_servers_on_one_sqlite_file() {
    two_servers(Engine::Sqlite);
}

#[test]
fn two_servers_on_one_postgres_database() {
    if postgres_available() {
        two_servers(Engine::Postgres);
    }
}
