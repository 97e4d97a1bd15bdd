//! `kill -9` of `danvan import dossiers` at twenty points spread over an
//! import, on each engine: after every kill the database holds either
//! nothing of the file or all of it (the import is one transaction), and
//! its facts equal a recount of the stored dossiers; running the same
//! command again then finishes the job, no row lost and none doubled, and
//! a third run changes nothing.
//!
//! The file has 20.000 rows here (`DANVAN_IMPORT_CRASH_ROWS` sets
//! another size, such as the 1.000.000 of the benchmark).

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{Db, Engine, postgres_available, settle, text};
use danvan_core::fact::FactSource;
use danvan_store::{Store, dossiers, facts, units};

const ROUNDS: u32 = 20;

fn rows() -> usize {
    std::env::var("DANVAN_IMPORT_CRASH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn danvan(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_danvan"));
    c.args(args).arg("--db").arg(db);
    c
}

fn import(db: &str, file: &Path) -> Child {
    danvan(db, &["import", "dossiers"])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("danvan import runs")
}

/// A new database with the generated units.
fn prepared(engine: Engine, name: &str, units: &Path) -> Db {
    let db = Db::new(engine, name);
    if engine == Engine::Postgres {
        danvan_testkit::block_on(danvan_store::create_postgres_database(&db.url))
            .expect("the database is created");
    }
    let out = danvan(&db.url, &["units", "import"])
        .arg(units)
        .output()
        .expect("danvan units import runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    db
}

/// The dossiers stored, checked against the facts: all or none of the
/// file, and the facts equal to a recount.
fn check(url: &str, want: usize) -> usize {
    settle(url);
    danvan_testkit::block_on(async {
        let store = Store::open(url).await.expect("the database opens");
        let all = dossiers::all(&store).await.unwrap();
        assert!(
            all.is_empty() || all.len() == want,
            "{} of {want} dossiers stored: the import was not all or nothing",
            all.len()
        );
        let mut contributions = Vec::new();
        for d in &all {
            d.contributions(&mut contributions);
        }
        let expected = facts::recount(&units::all(&store).await.unwrap(), &contributions);
        let stored = facts::dump(&store).await.unwrap();
        assert!(
            stored == expected,
            "facts differ from a recount of the {} dossiers stored",
            all.len()
        );
        store.close().await;
        all.len()
    })
}

fn crash_loop(engine: Engine) {
    let rows = rows();
    let dir = std::env::temp_dir().join(danvan_testkit::unique("danvan_import_crash"));
    let out = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(["bench", "import-dossiers", "--generate-only", "--rows"])
        .arg(rows.to_string())
        .arg("--dir")
        .arg(&dir)
        .output()
        .expect("the file is generated");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = dir.join(format!("ho-so-{rows}.csv"));
    let units = dir.join("don-vi.csv");

    // How long a whole import takes, on a database of its own, so the
    // kills can be spread over it.
    let probe = prepared(engine, "import_probe", &units);
    let t0 = Instant::now();
    let status = import(&probe.url, &file).wait().unwrap();
    assert!(status.success(), "the probe import failed");
    let whole = t0.elapsed();
    drop(probe);

    let db = prepared(engine, "import_crash", &units);
    let mut finished_before_kill = 0;
    for round in 0..ROUNDS {
        let mut child = import(&db.url, &file);
        // From the start to past the end, a different point each round.
        let at = whole.mul_f64(f64::from(round) / f64::from(ROUNDS - 1) * 1.05);
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_some() {
            finished_before_kill += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let stored = check(&db.url, rows);
        if stored == rows {
            // The import had committed: the rest of the rounds kill
            // re-imports of the same file, which must change nothing.
            assert!(round > 0, "the first round's kill came after the commit");
        }
    }
    // The same command again finishes the job; once more changes nothing.
    for run in ["finishes", "changes nothing"] {
        let out = danvan(&db.url, &["import", "dossiers"])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "the import that {run}: {}",
            text(&out.stderr)
        );
        assert_eq!(check(&db.url, rows), rows);
    }
    eprintln!(
        "{engine:?}: {ROUNDS} kills over a {rows}-row import of {whole:?} \
         ({finished_before_kill} after it had ended)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_killed_import_leaves_all_or_nothing_and_finishes_on_sqlite() {
    crash_loop(Engine::Sqlite);
}

#[test]
fn a_killed_import_leaves_all_or_nothing_and_finishes_on_postgres() {
    if postgres_available() {
        crash_loop(Engine::Postgres);
    }
}
