//! DHIS2's Python client drives danvan: `dhis2-client` (the HISP Centre's
//! Web API client, from PyPI) is installed into a virtual environment and
//! runs `dhis2/drive.py` against `danvan serve` on the demo data, on
//! SQLite and on PostgreSQL — org units with paging, Kon Tum's 2016
//! inspection values, a data value set posted and seen in `/api/figures`,
//! analytics equal to danvan's own figures, a commune's account kept to
//! its commune, malformed payloads refused with nothing written, and ADX
//! checked against the ADX schema (`dhis2/adx.xsd`, with lxml).
//!
//! Needs python3 with venv and pip, and PyPI. Without them the test says
//! why and passes, unless CI=true, where it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Db, Engine, Server, danvan, postgres_available, text};
use danvan_store::Store;
use danvan_store::accounts;

const PASSWORD: &str = "danvan-demo";
const PACKAGES: [&str; 3] = ["dhis2-client==0.3.2", "lxml>=5", "httpx>=0.27"];

fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skip (or, under CI, fail) with a reason.
fn unavailable(why: &str) {
    assert!(!required(), "{why}; CI=true requires it");
    eprintln!("BỎ QUA kiểm thử dhis2-client: {why}");
}

/// The virtual environment with the client, made once per target dir.
fn venv() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dhis2-venv");
    let python = dir.join("bin").join("python");
    if !python.exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("python3 is missing ({e})"))?;
        if !made.status.success() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("python3 -m venv failed: {}", text(&made.stderr)));
        }
    }
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES)
        .output()
        .map_err(|e| format!("pip did not run ({e})"))?;
    if !pip.status.success() {
        return Err(format!(
            "pip install {} failed: {}",
            PACKAGES.join(" "),
            text(&pip.stderr)
        ));
    }
    Ok(python)
}

/// API tokens of the demo's national administrator and commune handler.
fn tokens(url: &str) -> (String, String) {
    danvan_testkit::block_on(async {
        let store = Store::open(url).await.unwrap();
        let mut out = Vec::new();
        for name in ["admin", "datong"] {
            let u = accounts::by_username(&store, name).await.unwrap();
            out.push(
                accounts::create_token(&store, u.id, "dhis2-client")
                    .await
                    .unwrap(),
            );
        }
        store.close().await;
        (out[0].clone(), out[1].clone())
    })
}

fn drive(python: &Path, engine: Engine) {
    let db = Db::new(engine, "dhis2");
    if engine == Engine::Postgres {
        danvan_testkit::block_on(danvan_store::create_postgres_database(&db.url)).unwrap();
    }
    let demo = danvan(&["demo", "--no-serve", "--db", &db.url]);
    assert!(demo.status.success(), "demo: {}", text(&demo.stderr));
    let (admin, datong) = tokens(&db.url);
    let server = Server::start(&db.url);
    let here = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("dhis2");
    let cfg = serde_json::json!({
        "base": format!("http://{}/dhis2", server.addr),
        "password": PASSWORD,
        "admin_token": admin,
        "datong_token": datong,
        "xsd": here.join("adx.xsd"),
    });
    let run = Command::new(python)
        .arg(here.join("drive.py"))
        .arg(cfg.to_string())
        .output()
        .expect("run the driver");
    assert!(
        run.status.success(),
        "dhis2-client on {engine:?} failed:\n{}\n{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    assert!(text(&run.stdout).contains("all checks passed"));
    drop(server);
}

#[test]
fn dhis2_client_drives_danvan_on_the_demo_data() {
    let python = match venv() {
        Ok(p) => p,
        Err(why) => return unavailable(&why),
    };
    drive(&python, Engine::Sqlite);
    if postgres_available() {
        drive(&python, Engine::Postgres);
    }
}
