//! `danvan units import --national` as a user meets it: the whole
//! country's tree on an empty database, a second run that changes
//! nothing, and a merge into the demo that keeps every seed figure.

mod common;

use std::path::{Path, PathBuf};

use common::{danvan_on as danvan, text};

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("danvan-national-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("test.db")
}

fn run(db: &Path, args: &[&str]) -> String {
    let o = danvan(db, args);
    assert!(o.status.success(), "{args:?}: {}", text(&o.stderr));
    text(&o.stdout)
}

/// The "Cấp N: … đơn vị" line of a tree.
fn level(tree: &str, n: usize) -> String {
    let prefix = format!("Cấp {n}: ");
    tree.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no level {n} in:\n{tree}"))
        .to_string()
}

#[test]
fn the_country_on_an_empty_database() {
    let db = temp_db("empty");
    run(&db, &["init"]);
    let out = run(&db, &["units", "import", "--national"]);
    assert!(out.contains("nhập mới 14.149 đơn vị"), "{out}");
    assert!(
        out.contains("ghi tỷ lệ chia cho 471 đơn vị bị chia"),
        "{out}"
    );
    let tree = |unit: &str, at: &str| run(&db, &["units", "tree", "--unit", unit, "--at", at]);
    let qn = tree("tỉnh Quảng Ngãi", "2026-01-01");
    assert!(qn.starts_with("tỉnh Quảng Ngãi [51-2025]"), "{qn}");
    assert!(level(&qn, 1).starts_with("Cấp 1: 96 đơn vị"), "{qn}");
    let ld = tree("tỉnh Lâm Đồng", "2026-01-01");
    assert!(level(&ld, 1).starts_with("Cấp 1: 124 đơn vị"), "{ld}");
    let qh = tree("huyện Quỳ Hợp", "2025-06-30");
    assert!(level(&qh, 1).starts_with("Cấp 1: 21 đơn vị"), "{qh}");
    // The whole country: 34 provinces and 3.321 communes.
    let all = run(&db, &["units", "tree", "--at", "2026-01-01"]);
    let roots = all
        .lines()
        .filter(|l| l.contains("— cây đơn vị ngày"))
        .count();
    assert_eq!(roots, 34);
    let communes: usize = all
        .lines()
        .filter(|l| l.starts_with("Cấp 1: "))
        .map(|l| {
            l["Cấp 1: ".len()..]
                .split(' ')
                .next()
                .unwrap()
                .replace('.', "")
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(communes, 3_321);
    // A second run changes nothing.
    let out = run(&db, &["units", "import", "--national"]);
    assert!(
        out.contains("nhập mới 0 đơn vị, 14.149 đơn vị đã có"),
        "{out}"
    );
    assert!(out.contains("ghi tỷ lệ chia cho 0 đơn vị"), "{out}");
    assert_eq!(tree("tỉnh Quảng Ngãi", "2026-01-01"), qn);
    // A file and --national together are refused.
    let o = danvan(&db, &["units", "import", "x.csv", "--national"]);
    assert!(!o.status.success());
}

#[test]
fn after_the_demo_every_seed_figure_stays() {
    let db = temp_db("demo");
    run(&db, &["demo", "--no-serve"]);
    let report = |unit: &str, period: &str| {
        let out = db.with_file_name(format!("{period}.txt"));
        run(
            &db,
            &[
                "report",
                "--unit",
                unit,
                "--period",
                period,
                "--format",
                "txt",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        std::fs::read_to_string(out).unwrap()
    };
    let seeds = [
        ("huyện Đam Rông", "2020-H1"),
        ("thành phố Quảng Ngãi", "2021..2023"),
        ("tỉnh Kon Tum", "2016"),
    ];
    let before: Vec<String> = seeds.iter().map(|(u, p)| report(u, p)).collect();
    let out = run(&db, &["units", "import", "--national"]);
    assert!(!out.contains("khác với danh mục"), "{out}");
    let after: Vec<String> = seeds.iter().map(|(u, p)| report(u, p)).collect();
    for ((seed, b), a) in seeds.iter().zip(&before).zip(&after) {
        assert_eq!(a, b, "the report of {seed:?} changed");
    }
    assert!(after[2].contains("289 lượt/307 người"), "{}", after[2]);
    let qn = run(
        &db,
        &["units", "tree", "--unit", "522", "--at", "2022-06-30"],
    );
    assert!(level(&qn, 1).starts_with("Cấp 1: 23 đơn vị"), "{qn}");
    let out = run(&db, &["units", "import", "--national"]);
    assert!(out.contains("nhập mới 0 đơn vị"), "{out}");
}
