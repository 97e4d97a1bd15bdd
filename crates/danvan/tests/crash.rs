//! `kill -9` of `danvan serve` in the middle of concurrent writes, twenty
//! times on each engine: after every restart each write that was answered
//! 2xx is there, no request's cases are there in part, and the facts equal
//! a recount of the records. On PostgreSQL this shows that danvan's own
//! transactions are atomic (PostgreSQL itself is not killed).

#![cfg(unix)]

mod common;

use std::time::{Duration, Instant};

use common::{Db, Engine, Server, Writers, call, check, postgres_available, prepare};

const ROUNDS: usize = 20;

fn crash_loop(engine: Engine) {
    let db = Db::new(engine, "dung_dot_ngot");
    let setup = prepare(&db);
    let started = Instant::now();
    let mut acked = Vec::new();
    let (mut requests, mut stored) = (0u64, 0usize);
    for round in 0..ROUNDS {
        let mut server = Server::start(&db.url);
        // What the previous kill left: checked after the restart.
        stored = check(&db.url, &acked);
        let writers = Writers::start(server.addr, &setup, 4, &format!("v{round}"));
        // A different moment in each round, always mid-write.
        let wait = Instant::now();
        while writers.acks().len() < 5 && wait.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(200 + (round as u64 * 173) % 600));
        server.kill9();
        let (acks, attempts) = writers.join();
        assert!(!acks.is_empty(), "round {round}: no write was acknowledged");
        acked.extend(acks);
        requests += attempts;
    }
    let server = Server::start(&db.url);
    stored = stored.max(check(&db.url, &acked));
    let last = acked.last().unwrap().ids[0];
    let (status, body) = call(
        server.addr,
        &setup.token,
        "GET",
        &format!("/api/mediation/{last}"),
        "",
    )
    .expect("the server answers after the last kill");
    assert_eq!(status, 200, "{body}");
    eprintln!(
        "{engine:?}: {ROUNDS} kills, {requests} requests, {} acknowledged ({} cases), {stored} cases stored, {:?}",
        acked.len(),
        acked.len() * common::BATCH,
        started.elapsed()
    );
}

#[test]
fn every_acknowledged_write_survives_kill_9_on_sqlite() {
    crash_loop(Engine::Sqlite);
}

#[test]
fn every_acknowledged_write_survives_kill_9_on_postgres() {
    if postgres_available() {
        crash_loop(Engine::Postgres);
    }
}
