//! What the durability tests share: a fresh database on either engine with
//! a small unit tree and an administrator's API token, the real `danvan`
//! binary serving it, writers posting mediation cases over HTTP, and the
//! check that a database holds every acknowledged write with facts equal
//! to a recount from its records.
#![allow(dead_code)] // each test file uses its own part of the helpers

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use danvan_core::fact::{Contribution, FactSource};
use danvan_store::accounts::{self, NewUser, Role};
use danvan_store::{Store, facts, mediation, unit_import, units};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
T,Tỉnh Thử,tỉnh,,,,
H,Huyện Thử,huyện,T,,,
X1,Xã Một,xã,H,,,
X2,Xã Hai,xã,H,,,
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A database made for one test, removed when dropped.
pub struct Db {
    pub url: String,
    engine: Engine,
}

impl Db {
    /// A new, not yet created database.
    pub fn new(engine: Engine, name: &str) -> Db {
        let name = danvan_testkit::unique(&format!("danvan_{name}"));
        let url = match engine {
            Engine::Sqlite => std::env::temp_dir()
                .join(format!("{name}.db"))
                .display()
                .to_string(),
            Engine::Postgres => format!("{}/{name}", danvan_testkit::PG_SERVER),
        };
        Db { url, engine }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        match self.engine {
            Engine::Sqlite => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.url));
                }
            }
            Engine::Postgres => {
                let url = self.url.clone();
                let _ = std::thread::spawn(move || {
                    danvan_testkit::block_on(danvan_store::drop_postgres_database(&url))
                })
                .join();
            }
        }
    }
}

/// Whether the PostgreSQL half runs: skipped when no server answers,
/// unless `DANVAN_REQUIRE_PG=1`.
pub fn postgres_available() -> bool {
    let probe = Db::new(Engine::Postgres, "probe");
    let url = probe.url.clone();
    let created = danvan_testkit::block_on(danvan_store::create_postgres_database(&url));
    let required = std::env::var("DANVAN_REQUIRE_PG").is_ok_and(|v| v == "1");
    match created {
        Ok(()) => true,
        Err(e) => {
            assert!(
                !required,
                "DANVAN_REQUIRE_PG=1 but PostgreSQL is unreachable: {e}"
            );
            eprintln!("BỎ QUA kiểm thử PostgreSQL: {e}");
            std::mem::forget(probe);
            false
        }
    }
}

/// What a prepared database gives the test: an API token and the communes.
#[derive(Clone)]
pub struct Setup {
    pub token: String,
    pub communes: Vec<i64>,
}

/// Create the database with the unit tree and a national administrator.
pub fn prepare(db: &Db) -> Setup {
    danvan_testkit::block_on(async {
        if db.engine == Engine::Postgres {
            danvan_store::create_postgres_database(&db.url)
                .await
                .unwrap();
        }
        let store = Store::open(&db.url).await.unwrap();
        unit_import::import_csv(&store, TREE.as_bytes())
            .await
            .unwrap();
        let admin = accounts::create(
            &store,
            &NewUser {
                username: "quantri".into(),
                full_name: "Quản trị".into(),
                password: "mat-khau-thu".into(),
                role: Role::Admin,
                unit_id: None,
            },
        )
        .await
        .unwrap();
        let token = accounts::create_token(&store, admin.id, "ghi thử")
            .await
            .unwrap();
        let mut communes = Vec::new();
        for code in ["X1", "X2"] {
            communes.push(units::find(&store, code, None).await.unwrap().id);
        }
        store.close().await;
        Setup { token, communes }
    })
}

pub fn danvan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(args)
        .output()
        .expect("run danvan")
}

/// `danvan ARGS --db DB`.
pub fn danvan_on(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run danvan")
}

pub fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// A loopback port nothing listens on.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// `danvan serve` on a database; killed (SIGKILL) when dropped.
pub struct Server {
    child: Option<Child>,
    pub addr: SocketAddr,
}

impl Server {
    pub fn start(db: &str) -> Server {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_danvan"))
            .args(["serve", "--addr", &addr.to_string(), "--db", db])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start danvan serve");
        let mut server = Server {
            child: Some(child),
            addr,
        };
        let start = Instant::now();
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Some(status) = server.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("danvan serve exited before listening: {status}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the server never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// `kill -9`: no chance to finish anything.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("SIGKILL");
            c.wait().expect("wait");
        }
    }

    /// SIGTERM, and wait for the graceful exit.
    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let k = Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status()
                .expect("run kill");
            assert!(k.success());
            let status = c.wait().expect("wait");
            assert!(
                status.success(),
                "danvan serve did not stop cleanly: {status}"
            );
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// One HTTP/1.1 request with the API token; `None` when the connection
/// fails or breaks (a server killed mid-request answers nothing).
pub fn call(
    addr: SocketAddr,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

/// A write the server acknowledged: the ids of the cases it created (one
/// request posts several cases, which must be stored all or none), their
/// team, and when the answer arrived.
#[derive(Debug, Clone)]
pub struct Ack {
    pub team: String,
    pub ids: Vec<i64>,
    pub at: Instant,
}

/// Cases per request.
pub const BATCH: usize = 3;

/// `writers` threads posting batches of cases until `stop`; every 2xx
/// answer is recorded. Returns the handles (joined by [`Writers::join`]).
pub struct Writers {
    stop: Arc<AtomicBool>,
    acks: Arc<Mutex<Vec<Ack>>>,
    attempts: Arc<Mutex<u64>>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

impl Writers {
    pub fn start(addr: SocketAddr, setup: &Setup, writers: usize, tag: &str) -> Writers {
        let stop = Arc::new(AtomicBool::new(false));
        let acks = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(Mutex::new(0));
        let handles = (0..writers)
            .map(|w| {
                let (stop, acks, attempts) = (stop.clone(), acks.clone(), attempts.clone());
                let token = setup.token.clone();
                let unit = setup.communes[w % setup.communes.len()];
                let tag = tag.to_string();
                std::thread::spawn(move || {
                    let mut n = 0u32;
                    while !stop.load(Ordering::SeqCst) {
                        n += 1;
                        let team = format!("Tổ {tag} w{w} n{n}");
                        let results = ["success", "failure", "in_progress"];
                        let cases: Vec<String> = (0..BATCH)
                            .map(|i| {
                                format!(
                                    r#"{{"unit_id":{unit},"team":"{team}","received_on":"2025-{:02}-{:02}","field":"land","result":"{}","summary":"ghi thử"}}"#,
                                    1 + (n % 12),
                                    1 + (i as u32 * 9 + w as u32) % 28,
                                    results[(n as usize + i) % 3]
                                )
                            })
                            .collect();
                        let body = format!("[{}]", cases.join(","));
                        *attempts.lock().unwrap() += 1;
                        let Some((status, reply)) =
                            call(addr, &token, "POST", "/api/mediation", &body)
                        else {
                            // The server is gone: wait for the stop.
                            std::thread::sleep(Duration::from_millis(5));
                            continue;
                        };
                        let at = Instant::now();
                        if (200..300).contains(&status) {
                            let v: serde_json::Value = serde_json::from_str(&reply)
                                .unwrap_or_else(|e| panic!("{e}: {reply}"));
                            let ids: Vec<i64> = v["ids"]
                                .as_array()
                                .unwrap_or_else(|| panic!("no ids: {reply}"))
                                .iter()
                                .map(|x| x.as_i64().unwrap())
                                .collect();
                            assert_eq!(ids.len(), BATCH, "{reply}");
                            acks.lock().unwrap().push(Ack { team, ids, at });
                        } else {
                            panic!("a write was refused: {status} {reply}");
                        }
                    }
                })
            })
            .collect();
        Writers {
            stop,
            acks,
            attempts,
            handles,
        }
    }

    /// Acknowledged writes so far.
    pub fn acks(&self) -> Vec<Ack> {
        self.acks.lock().unwrap().clone()
    }

    /// Stop, wait for every writer, and return every acknowledged write
    /// and the number of requests sent.
    pub fn join(self) -> (Vec<Ack>, u64) {
        self.stop.store(true, Ordering::SeqCst);
        for h in self.handles {
            h.join().expect("a writer panicked");
        }
        let attempts = *self.attempts.lock().unwrap();
        (self.acks.lock().unwrap().clone(), attempts)
    }
}

/// On PostgreSQL, wait (at most 30 s) until no session of the database is
/// busy: a backend whose client was killed may still be finishing a COMMIT
/// the client sent, and a check reading records and facts in two queries
/// on either side of it would see a state no transaction left. (A server
/// just started holds idle sessions only.)
pub fn settle(url: &str) {
    if !url.starts_with("postgres") {
        return;
    }
    let sql = "SELECT count(*) FROM pg_stat_activity \
               WHERE datname = current_database() AND pid <> pg_backend_pid() \
               AND backend_type = 'client backend' AND state <> 'idle'";
    for _ in 0..300 {
        let out = std::process::Command::new("psql")
            .args([url, "-tAc", sql])
            .output()
            .expect("psql runs");
        if String::from_utf8_lossy(&out.stdout).trim() == "0" {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("sessions of {url} are still busy after 30 s");
}

/// What a database holds, checked: every acknowledged write is there whole,
/// no batch is there in part, and the facts equal a recount from the
/// records. Returns the number of cases stored.
pub fn check(url: &str, acks: &[Ack]) -> usize {
    settle(url);
    danvan_testkit::block_on(async {
        let store = Store::open(url).await.expect("the database opens");
        let cases = mediation::all(&store).await.unwrap();
        let by_id: std::collections::HashMap<i64, &danvan_core::records::mediation::MediationCase> =
            cases.iter().map(|(id, c)| (*id, c)).collect();
        for a in acks {
            for id in &a.ids {
                let c = by_id
                    .get(id)
                    .unwrap_or_else(|| panic!("acknowledged case {id} ({}) is missing", a.team));
                assert_eq!(c.team, a.team, "case {id}");
            }
        }
        let mut per_team: std::collections::HashMap<&str, usize> = Default::default();
        for (_, c) in &cases {
            *per_team.entry(c.team.as_str()).or_default() += 1;
        }
        for (team, n) in per_team {
            assert_eq!(n, BATCH, "the batch «{team}» is stored in part");
        }
        let all = units::all(&store).await.unwrap();
        let mut contributions: Vec<Contribution> = Vec::new();
        for (_, c) in &cases {
            c.contributions(&mut contributions);
        }
        let expected = facts::recount(&all, &contributions);
        let stored = facts::dump(&store).await.unwrap();
        assert_eq!(
            stored, expected,
            "facts differ from a recount of the records"
        );
        store.close().await;
        cases.len()
    })
}
