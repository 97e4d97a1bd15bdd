//! `danvan backup` while `danvan serve` runs and writes, and `danvan
//! restore` into a fresh database, on both engines: the restore holds
//! every write acknowledged before the backup began, its facts equal a
//! recount of its records, and it serves. A SQLite backup also restores
//! into PostgreSQL. A restore refuses a backup of a newer schema, a
//! damaged file and a database that holds data, leaving the target as it
//! was.

#![cfg(unix)]

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{Db, Engine, Server, Writers, call, check, danvan, postgres_available, prepare, text};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_store::{Store, facts, mediation};

fn archive_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(danvan_testkit::unique(name) + ".dvb")
}

/// Back up under write load, restore into a fresh database, check it.
/// Returns the restored database's URL holder and the backup file.
fn round_trip(engine: Engine) -> (Db, PathBuf) {
    let db = Db::new(engine, "nguon");
    let setup = prepare(&db);
    let mut server = Server::start(&db.url);
    let writers = Writers::start(server.addr, &setup, 4, "sao-luu");
    let start = Instant::now();
    while writers.acks().len() < 30 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let file = archive_path("sao_luu");
    let began = Instant::now();
    let o = danvan(&["backup", file.to_str().unwrap(), "--db", &db.url]);
    let took = began.elapsed();
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Đã sao lưu"),
        "{}",
        text(&o.stdout)
    );
    // Writes go on after the backup too.
    std::thread::sleep(Duration::from_millis(200));
    let (acks, attempts) = writers.join();
    server.stop();
    let before: Vec<_> = acks.iter().filter(|a| a.at < began).cloned().collect();
    let during = acks
        .iter()
        .filter(|a| a.at >= began && a.at <= began + took)
        .count();

    // A database that does not exist yet: restore creates it.
    let restored = Db::new(engine, "phuc_hoi");
    let o = danvan(&["restore", file.to_str().unwrap(), "--db", &restored.url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Đã phục hồi"),
        "{}",
        text(&o.stdout)
    );
    let in_restore = check(&restored.url, &before);
    let in_source = check(&db.url, &acks);
    assert!(in_restore >= before.len() * common::BATCH);
    assert!(in_restore <= in_source);
    eprintln!(
        "{engine:?}: {attempts} requests, {} acknowledged ({} before the backup began, {during} while it ran), \
         backup took {took:?}; restored {in_restore} of the source's {in_source} cases",
        acks.len(),
        before.len()
    );

    // The restored database serves, with the same accounts and tokens.
    let server = Server::start(&restored.url);
    let id = before.last().expect("writes before the backup").ids[0];
    let (status, body) = call(
        server.addr,
        &setup.token,
        "GET",
        &format!("/api/mediation/{id}"),
        "",
    )
    .expect("the restored server answers");
    assert_eq!(status, 200, "{body}");
    drop(server);
    (restored, file)
}

#[test]
fn a_backup_under_write_load_restores_every_acknowledged_write_on_sqlite() {
    let (restored, file) = round_trip(Engine::Sqlite);
    // The same archive restores into PostgreSQL: the same cases, facts
    // equal to a recount there too.
    if postgres_available() {
        let pg = Db::new(Engine::Postgres, "tu_sqlite");
        let o = danvan(&["restore", file.to_str().unwrap(), "--db", &pg.url]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        let (a, b) = (snapshot(&restored.url), snapshot(&pg.url));
        assert_eq!(a.0, b.0, "cases differ between the engines");
        assert_eq!(a.1, b.1, "facts differ between the engines");
        check(&pg.url, &[]);
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn a_backup_under_write_load_restores_every_acknowledged_write_on_postgres() {
    if !postgres_available() {
        return;
    }
    let (restored, file) = round_trip(Engine::Postgres);
    // And back into SQLite.
    let lite = Db::new(Engine::Sqlite, "tu_postgres");
    let o = danvan(&["restore", file.to_str().unwrap(), "--db", &lite.url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (a, b) = (snapshot(&restored.url), snapshot(&lite.url));
    assert_eq!(a.0, b.0, "cases differ between the engines");
    assert_eq!(a.1, b.1, "facts differ between the engines");
    let _ = std::fs::remove_file(file);
}

type Snapshot = (
    Vec<(i64, MediationCase)>,
    std::collections::HashMap<facts::FactKey, i64>,
);

/// Every case and fact of a database.
fn snapshot(url: &str) -> Snapshot {
    danvan_testkit::block_on(async {
        let store = Store::open(url).await.unwrap();
        let s = (
            mediation::all(&store).await.unwrap(),
            facts::dump(&store).await.unwrap(),
        );
        store.close().await;
        s
    })
}

/// A database with a few cases of its own team.
fn with_cases(engine: Engine, name: &str, team: &str, n: usize) -> Db {
    let db = Db::new(engine, name);
    let setup = prepare(&db);
    danvan_testkit::block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let case = MediationCase {
            unit_id: setup.communes[0],
            team: team.into(),
            received_on: "2025-05-06".parse().unwrap(),
            field: MediationField::Family,
            result: MediationResult::Success,
            summary: "dữ liệu có \"ngoặc\", dấu phẩy, và xuống\ndòng".into(),
        };
        mediation::insert_many(&store, &vec![case; n])
            .await
            .unwrap();
        store.close().await;
    });
    db
}

/// `danvan restore` fails with a Vietnamese message containing `says`, and
/// the target holds what it held.
fn refused(target: &Db, file: &std::path::Path, force: bool, says: &str) {
    let before = snapshot(&target.url);
    let mut args = vec!["restore", file.to_str().unwrap(), "--db", &target.url];
    if force {
        args.push("--force");
    }
    let o = danvan(&args);
    let err = text(&o.stderr);
    assert!(
        !o.status.success(),
        "restore succeeded: {}",
        text(&o.stdout)
    );
    assert!(err.contains(says), "expected «{says}» in: {err}");
    assert!(err.contains("Không ghi dữ liệu nào"), "{err}");
    let after = snapshot(&target.url);
    assert_eq!(before.0, after.0, "the target's records changed");
    assert_eq!(before.1, after.1, "the target's facts changed");
}

/// The archive's lines, with the last line's SHA-256 recomputed after an
/// edit (a well-formed archive, unlike a damaged one).
fn rewrite(file: &std::path::Path, out: &std::path::Path, edit: impl Fn(&mut Vec<String>)) {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<String> = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut end: serde_json::Value = serde_json::from_str(&lines.pop().unwrap()).unwrap();
    edit(&mut lines);
    let mut h = Sha256::new();
    for l in &lines {
        h.update(l.as_bytes());
        h.update(b"\n");
    }
    end["end"]["sha256"] = hex::encode(h.finalize()).into();
    lines.push(end.to_string());
    std::fs::write(out, lines.join("\n") + "\n").unwrap();
}

fn refusals(engine: Engine) {
    let source = with_cases(engine, "nguon", "Tổ nguồn", common::BATCH);
    let file = archive_path("nguon");
    let o = danvan(&["backup", file.to_str().unwrap(), "--db", &source.url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let target = with_cases(engine, "dich", "Tổ đích", common::BATCH);

    // A database that holds data is not replaced without --force.
    refused(&target, &file, false, "đã có dữ liệu");

    // A backup of a newer schema, even with --force.
    let newer = archive_path("moi_hon");
    rewrite(&file, &newer, |lines| {
        let mut h: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        h["schema_version"] = (h["schema_version"].as_i64().unwrap() + 1).into();
        lines[0] = h.to_string();
    });
    refused(&target, &newer, true, "mới hơn phiên bản");

    // A damaged file: one row changed after the backup was written, so
    // its SHA-256 no longer matches.
    let raw = std::fs::read_to_string(&file).unwrap();
    let damaged = archive_path("hong");
    assert!(raw.contains("Tổ nguồn"));
    std::fs::write(&damaged, raw.replacen("Tổ nguồn", "Tổ nguồm", 1)).unwrap();
    refused(&target, &damaged, true, "bị hỏng");

    // A file cut short (a copy that stopped midway), at a line's end and
    // in the middle of one.
    let lines: Vec<&str> = raw.lines().collect();
    let cut = archive_path("cut");
    std::fs::write(&cut, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    refused(&target, &cut, true, "không đầy đủ");
    let mid = raw[raw.len() / 2..].find("\n[").unwrap() + raw.len() / 2 + 4;
    std::fs::write(&cut, &raw.as_bytes()[..mid]).unwrap();
    refused(&target, &cut, true, "bị hỏng");

    // Not a backup at all.
    std::fs::write(&cut, "code,name\nX,Y\n").unwrap();
    refused(&target, &cut, true, "không phải tệp sao lưu danvan");

    // With --force, the whole backup replaces the target.
    let o = danvan(&[
        "restore",
        file.to_str().unwrap(),
        "--db",
        &target.url,
        "--force",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(snapshot(&target.url), snapshot(&source.url));
    check(&target.url, &[]);
    for f in [file, newer, damaged, cut] {
        let _ = std::fs::remove_file(f);
    }
}

#[test]
fn restore_refuses_a_newer_schema_a_damaged_file_and_a_database_with_data_on_sqlite() {
    refusals(Engine::Sqlite);
}

#[test]
fn restore_refuses_a_newer_schema_a_damaged_file_and_a_database_with_data_on_postgres() {
    if postgres_available() {
        refusals(Engine::Postgres);
    }
}

/// A SQLite database in use by a running server is not replaced: its file
/// would be swapped under the server's feet.
#[test]
fn restore_refuses_a_sqlite_database_the_server_is_using() {
    let source = with_cases(Engine::Sqlite, "nguon", "Tổ nguồn", 1);
    let file = archive_path("dang_dung");
    let o = danvan(&["backup", file.to_str().unwrap(), "--db", &source.url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let target = with_cases(Engine::Sqlite, "dich", "Tổ đích", 1);
    let server = Server::start(&target.url);
    // The server holds the database open once it has answered a request.
    let _ = call(server.addr, "khong-co", "GET", "/api/mediation/1", "");
    refused(&target, &file, true, "đang dùng");
    drop(server);
    let _ = std::fs::remove_file(file);
}
