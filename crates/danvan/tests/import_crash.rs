//! `kill -9` of `danvan import dossiers`, then of `danvan import
//! receptions` (the path every other record kind shares), at twenty
//! points spread over an import, on each engine: after every kill the
//! database holds either nothing of the file or all of it (an import is
//! one transaction), and its facts equal a recount of the stored records;
//! running the same command again then finishes the job, no row lost and
//! none doubled, and for dossiers a third run changes nothing.
//!
//! The dossier file has 10.000 rows here (`DANVAN_IMPORT_CRASH_ROWS` sets
//! another size, such as the 1.000.000 of the benchmark); the reception
//! file a quarter of that.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use common::{Db, Engine, postgres_available, settle, text};
use danvan_core::fact::FactSource;
use danvan_store::{Store, dossiers, facts, reception, units};

const ROUNDS: u32 = 20;

fn rows() -> usize {
    std::env::var("DANVAN_IMPORT_CRASH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn danvan(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_danvan"));
    c.args(args).arg("--db").arg(db);
    c
}

fn import(db: &str, kind: &str, file: &Path) -> Child {
    danvan(db, &["import", kind])
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

/// The records stored, checked against the facts: all or none of each
/// file (`want` dossiers, `receptions` receptions), and the facts equal to
/// a recount. Returns how many dossiers and receptions are stored.
fn check(url: &str, want: usize, receptions: usize) -> (usize, usize) {
    settle(url);
    danvan_testkit::block_on(async {
        let store = Store::open(url).await.expect("the database opens");
        let all = dossiers::all(&store).await.unwrap();
        assert!(
            all.is_empty() || all.len() == want,
            "{} of {want} dossiers stored: the import was not all or nothing",
            all.len()
        );
        let turns = reception::all(&store).await.unwrap();
        assert!(
            turns.is_empty() || turns.len() == receptions,
            "{} of {receptions} receptions stored: the import was not all or nothing",
            turns.len()
        );
        let mut contributions = Vec::new();
        for d in &all {
            d.contributions(&mut contributions);
        }
        for (_, r) in &turns {
            r.contributions(&mut contributions);
        }
        let expected = facts::recount(&units::all(&store).await.unwrap(), &contributions);
        let stored = facts::dump(&store).await.unwrap();
        assert!(
            stored == expected,
            "facts differ from a recount of the {} dossiers and {} receptions stored",
            all.len(),
            turns.len()
        );
        store.close().await;
        (all.len(), turns.len())
    })
}

/// Twenty kills of `danvan import KIND FILE` spread over `whole` (past
/// its end for the last), each followed by `check`; then the command run
/// to its end. Returns how many kills came after the import had ended.
fn kill_loop(
    db: &Db,
    kind: &str,
    file: &Path,
    whole: std::time::Duration,
    check: impl Fn(),
) -> u32 {
    let mut finished_before_kill = 0;
    for round in 0..ROUNDS {
        let mut child = import(&db.url, kind, file);
        let at = whole.mul_f64(f64::from(round) / f64::from(ROUNDS - 1) * 1.05);
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_some() {
            finished_before_kill += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        check();
    }
    let out = danvan(&db.url, &["import", kind])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the {kind} import that finishes: {}",
        text(&out.stderr)
    );
    finished_before_kill
}

/// A reception file of `n` turns at the generated communes.
fn receptions_csv(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut csv = String::from(
        "unit,received_on,official,position,kind,content,outcome,turns,persons,delegations,delegation_persons,note\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "BD-{:02}-{:02},{:02}/{:02}/2025,Nguyễn Văn Hùng,,định kỳ,khiếu nại,hướng dẫn,1,{},0,0,\n",
            1 + i % 10,
            1 + (i / 10) % 20,
            1 + i % 28,
            1 + (i / 28) % 12,
            1 + i % 3
        ));
    }
    let path = dir.join("tiep-dan.csv");
    std::fs::write(&path, csv).unwrap();
    path
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
    let status = import(&probe.url, "dossiers", &file).wait().unwrap();
    assert!(status.success(), "the probe import failed");
    let whole = t0.elapsed();
    drop(probe);

    let db = prepared(engine, "import_crash", &units);
    let late = kill_loop(&db, "dossiers", &file, whole, || {
        check(&db.url, rows, 0);
    });
    // Once more changes nothing.
    let out = danvan(&db.url, &["import", "dossiers"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(check(&db.url, rows, 0), (rows, 0));

    // Receptions, through the import every record kind shares.
    let turns = rows / 4;
    let csv = receptions_csv(&dir, turns);
    let probe = prepared(engine, "import_probe_receptions", &units);
    let t0 = Instant::now();
    assert!(
        import(&probe.url, "receptions", &csv)
            .wait()
            .unwrap()
            .success()
    );
    let whole_receptions = t0.elapsed();
    drop(probe);
    drop(db);
    let db = prepared(engine, "import_crash_receptions", &units);
    let late_receptions = kill_loop(&db, "receptions", &csv, whole_receptions, || {
        check(&db.url, rows, turns);
    });
    assert_eq!(check(&db.url, rows, turns), (0, turns));
    eprintln!(
        "{engine:?}: {ROUNDS} kills over a {rows}-row dossier import of {whole:?} ({late} after \
         it had ended); {ROUNDS} over a {turns}-row reception import of {whole_receptions:?} \
         ({late_receptions} after)"
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
