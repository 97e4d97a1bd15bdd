//! `danvan serve` stops cleanly when the system asks it to (SIGTERM, as
//! systemd, Docker and `kill` do): it exits with status 0, and the data
//! written before the signal is there and whole afterwards.

#![cfg(unix)]

mod common;

use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{danvan_on as danvan, free_port, text};

/// A child process killed when the test ends, however it ends.
struct Killed(Option<Child>);

impl Drop for Killed {
    fn drop(&mut self) {
        if let Some(c) = self.0.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn sigterm_stops_the_server_with_status_0_and_the_data_intact() {
    let dir = std::env::temp_dir().join(format!("danvan-sigterm-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("test.db");
    let units = format!("{}/../../fixtures/units.csv", env!("CARGO_MANIFEST_DIR"));
    let o = danvan(&db, &["units", "import", &units]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let port = free_port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(["serve", "--addr", &addr.to_string(), "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start danvan serve");
    let mut guard = Killed(Some(child));
    let pid = guard.0.as_ref().unwrap().id();
    let start = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let k = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(k.success());
    let out = guard.0.take().unwrap().wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "danvan serve did not stop cleanly on SIGTERM: {:?}; {}",
        out.status,
        text(&out.stderr)
    );

    // The database opens again and holds what was written before.
    let o = danvan(&db, &["units", "tree", "--unit", "tỉnh Kon Tum"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Cấp 2: 102 đơn vị"),
        "{}",
        text(&o.stdout)
    );
}
