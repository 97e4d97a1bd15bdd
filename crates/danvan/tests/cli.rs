//! The command line as a user meets it: the unit tree of the fixture, bad
//! unit files that write nothing, the demo's figures.

use std::path::PathBuf;
use std::process::{Command, Output};

fn danvan(db: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run danvan")
}

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("danvan-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("test.db")
}

fn fixture() -> String {
    format!("{}/../../fixtures/units.csv", env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

#[test]
fn kon_tum_tree_has_10_districts_and_102_communes() {
    let db = temp_db("tree");
    let o = danvan(&db, &["units", "import", &fixture()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = danvan(&db, &["units", "tree", "--unit", "kon tum"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("tỉnh Kon Tum [62]"), "{out}");
    assert!(
        out.contains("Cấp 1: 10 đơn vị (9 huyện, 1 thành phố)"),
        "{out}"
    );
    assert!(out.contains("Cấp 2: 102 đơn vị"), "{out}");
    let communes = out
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("      "))
        .count();
    assert_eq!(communes, 102);
    // As it stood in 2016: 10 phường, 6 thị trấn, 86 xã.
    let o = danvan(
        &db,
        &["units", "tree", "--unit", "Kon Tum", "--at", "2016-06-30"],
    );
    let out = text(&o.stdout);
    assert!(
        out.contains("Cấp 2: 102 đơn vị (10 phường, 6 thị trấn, 86 xã)"),
        "{out}"
    );
    // The new two-level tree of 2026.
    let o = danvan(
        &db,
        &[
            "units",
            "tree",
            "--unit",
            "quang ngai",
            "--at",
            "2026-01-01",
        ],
    );
    let out = text(&o.stdout);
    assert!(out.starts_with("tỉnh Quảng Ngãi [51-2025]"), "{out}");
    assert!(!out.contains("huyện"), "{out}");
}

#[test]
fn bad_unit_file_is_refused_with_line_numbers_and_writes_nothing() {
    let db = temp_db("bad");
    let csv = db.with_file_name("bad.csv");
    std::fs::write(
        &csv,
        "code,name,kind,parent_code,valid_from,valid_to,successor_code\n\
         T1,Tỉnh Một,tỉnh,,,,\n\
         H1,Huyện Một,huyện,T9,,,\n\
         T1,Tỉnh Hai,tỉnh,,,,\n\
         A,Huyện A,huyện,B,,,\n\
         B,Huyện B,huyện,A,,,\n\
         X,Xã X,xã,T1,2020-05-01,2020-01-01,\n",
    )
    .unwrap();
    let o = danvan(&db, &["units", "import", csv.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    for want in [
        "Dòng 3, cột «parent_code»: không tìm thấy đơn vị cấp trên «T9»",
        "Dòng 4, cột «code»: mã đơn vị «T1» trùng với dòng 2",
        "Dòng 5, cột «parent_code»: vòng lặp đơn vị cấp trên: A → B → A",
        "Dòng 7, cột «valid_to»: ngày hết hiệu lực 01/01/2020 trước ngày có hiệu lực 01/05/2020",
        "không ghi dữ liệu nào",
    ] {
        assert!(err.contains(want), "missing «{want}» in:\n{err}");
    }
    let o = danvan(&db, &["units", "tree"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stdout), "", "nothing may be written");
}

#[test]
fn demo_loads_the_seed_figures() {
    let db = temp_db("demo");
    let o = danvan(&db, &["demo", "--no-serve"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("huyện Đam Rông 6 tháng đầu năm 2020: tiếp 70 lượt"),
        "{out}"
    );
    assert!(
        out.contains("tỉnh Kon Tum năm 2016: tiếp 289 lượt/307 người"),
        "{out}"
    );
    assert!(
        out.contains("tỉnh Kon Tum năm 2015: tiếp 541 lượt"),
        "{out}"
    );
    // A second run keeps the data as it is.
    let o = danvan(&db, &["demo", "--no-serve"]);
    assert!(
        text(&o.stdout).contains("không nạp lại"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stdout).contains("tiếp 70 lượt"));
}

#[test]
fn unknown_and_ambiguous_names_are_explained() {
    let db = temp_db("names");
    danvan(&db, &["units", "import", &fixture()]);
    let o = danvan(&db, &["units", "tree", "--unit", "Hà Nội"]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("không tìm thấy đơn vị «Hà Nội»"),
        "{}",
        text(&o.stderr)
    );
    let o = danvan(&db, &["units", "tree", "--unit", "dam rong"]);
    assert!(
        text(&o.stdout).contains("xã Đạ Tông"),
        "{}",
        text(&o.stdout)
    );
}

fn report(db: &PathBuf, unit: &str, period: &str) -> String {
    let o = danvan(
        db,
        &[
            "report", "--unit", unit, "--period", period, "--format", "txt",
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn reports_reproduce_the_seed_reception_sentences() {
    let db = temp_db("report");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let t = report(&db, "Đam Rông", "2020-H1");
    assert!(
        t.contains("đã tiếp 70 lượt (UBND huyện tiếp 32 lượt/48 người; tiếp công dân định kỳ 13 lượt/29 người, tiếp dân thường xuyên 19 lượt/19 người)"),
        "{t}"
    );
    assert!(t.contains("Ủy ban nhân dân các xã tiếp 38 lượt"), "{t}");
    assert!(t.contains("mọi quy tắc kiểm tra đều đạt"), "{t}");
    // The cut-off half year (15/12/2019–14/06/2020) holds the same records.
    let o = danvan(
        &db,
        &["report", "--unit", "674", "--period", "2020-H1", "--cutoff"],
    );
    assert!(
        text(&o.stdout).contains("đã tiếp 70 lượt"),
        "{}",
        text(&o.stdout)
    );
    let t = report(&db, "thành phố Quảng Ngãi", "2021..2023");
    assert!(t.contains("tiếp định kỳ tổng cộng 37 kỳ/127 lượt người và 01 kỳ tiếp đột xuất gồm 01 đoàn đông người (khoảng 29 người)"), "{t}");
    assert!(
        t.contains("23 đơn vị hành chính trực thuộc (14 xã, 09 phường)"),
        "{t}"
    );
    let t = report(&db, "kon tum", "2016");
    assert!(t.contains("đã tiếp 289 lượt/307 người"), "{t}");
    assert!(
        t.contains("giảm 252 lượt so với cùng kỳ năm 2015 (289/541 lượt)"),
        "{t}"
    );
    assert!(
        t.contains("hướng dẫn cho 139 lượt") && t.contains("giải thích cho 150 lượt"),
        "{t}"
    );
    assert!(
        t.contains("102 đơn vị hành chính cấp xã (86 xã, 10 phường, 06 thị trấn)"),
        "{t}"
    );
    // A period with no records drops the sentence instead of printing zeros.
    let t = report(&db, "kon tum", "2010");
    assert!(!t.contains("đã tiếp 0 lượt"), "{t}");
}

#[test]
fn check_flags_the_seed_errors_with_exit_codes() {
    let seeds = format!("{}/../check/tests/data", env!("CARGO_MANIFEST_DIR"));
    let run = |f: &str| {
        Command::new(env!("CARGO_BIN_EXE_danvan"))
            .args(["check", &format!("{seeds}/{f}")])
            .output()
            .expect("run danvan check")
    };
    let o = run("000_1e2e80a9346d3496.txt");
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("82,53"));
    let o = run("002_cfdc3990f1f05e7b.txt");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("83,5"));
    let o = run("004_6e5eec984f2933f1.txt");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("7.554"));
}
