//! The three real reports: exactly the known problems, and many relations
//! checked and found consistent in each.

use danvan_check::{CheckReport, Severity, check_file, check_text};
use std::path::Path;

fn seed(name: &str) -> CheckReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    check_file(&path).expect("seed readable")
}

fn has_consistent(r: &CheckReport, computed: &str) -> bool {
    r.consistent
        .iter()
        .any(|f| f.computed.starts_with(computed))
}

#[test]
fn seed_000_only_the_truncated_rate() {
    let r = seed("000_1e2e80a9346d3496.txt");
    assert_eq!(r.findings.len(), 1, "{}", r.render_text(false));
    let f = &r.findings[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.stated, "82,53%");
    assert!(f.computed.starts_with("52/63"), "{}", f.computed);
    assert!(f.computed.ends_with("82,54%"));
    assert_eq!(f.line, 63);
    assert!(f.quote.contains("còn 11 đơn"));
    assert!(!r.has_errors());
    assert!(r.consistent.len() >= 10, "{}", r.render_text(true));
    for c in [
        "787/802",
        "15/802",
        "45/53",
        "4.667/(4.667 + 64)",
        "13 + 19 = 32",
        "32 + 38 = 70",
        "54 + 21 = 75",
        "31 + 28 = 59",
        "31/59",
        "52 + 11 = 63",
        "3 + 1 + 1 + 1 + 1 + 1 = 8",
    ] {
        assert!(
            has_consistent(&r, c),
            "missing {c}\n{}",
            r.render_text(true)
        );
    }
}

#[test]
fn seed_002_only_the_mediation_rate() {
    let r = seed("002_cfdc3990f1f05e7b.txt");
    assert_eq!(r.findings.len(), 1, "{}", r.render_text(false));
    let f = &r.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.stated, "83,5%");
    assert!(f.computed.starts_with("630/755"));
    assert!(f.computed.ends_with("83,4%"));
    assert_eq!(f.line, 43);
    assert!(r.has_errors());
    assert!(r.consistent.len() >= 10, "{}", r.render_text(true));
    for c in [
        "1.270 + 66 + 179 + 1.417 = 2.932",
        "2.932 + 916 = 3.848",
        "2.932/3.848",
        "162/163",
        "70/70",
        "4/7",
        "18 + 13 + 16 = 47",
        "1 + 11 + 4 + 2 = 18",
        "5 + 6 + 2 = 13",
        "2 + 7 + 5 + 2 = 16",
        "9 + 14 = 23",
    ] {
        assert!(
            has_consistent(&r, c),
            "missing {c}\n{}",
            r.render_text(true)
        );
    }
}

#[test]
fn seed_004_only_the_footnote_total() {
    let r = seed("004_6e5eec984f2933f1.txt");
    assert_eq!(r.findings.len(), 1, "{}", r.render_text(false));
    let f = &r.findings[0];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.stated, "7.554 triệu đồng");
    assert_eq!(f.computed, "3.565 + 419 + 3.569 = 7.553");
    assert_eq!(f.line, 70);
    // "hướng dẫn cho 139 lượt …, giải thích cho 150 lượt …" after "Đã tiếp 289
    // lượt" states no breakdown (no "trong đó", colon or bracket): not read.
    assert!(r.consistent.len() >= 8, "{}", r.render_text(true));
    for c in [
        "541 − 289 = 252",
        "630 + 172 + 214 = 1.016",
        "32 + 110 + 874 = 1.016",
        "10 + 6 + 86 = 102",
        "88 ≤ 102",
    ] {
        assert!(
            has_consistent(&r, c),
            "missing {c}\n{}",
            r.render_text(true)
        );
    }
}

#[test]
fn seeds_render_in_vietnamese_and_json() {
    let r = seed("002_cfdc3990f1f05e7b.txt");
    let text = r.render_text(false);
    assert!(text.contains("[lỗi] dòng 43"));
    assert!(text.contains("1 lỗi"));
    assert!(!text.contains("[đúng]"));
    let verbose = r.render_text(true);
    assert!(verbose.contains("[đúng]"));
    let j = r.to_json(false);
    assert_eq!(j["summary"]["errors"], 1);
    assert_eq!(j["findings"][0]["severity"], "lỗi");
    assert_eq!(j["findings"][0]["line"], 43);
    assert!(j.get("consistent").is_none());
    assert!(r.to_json(true)["consistent"].as_array().unwrap().len() >= 10);
}

#[test]
fn same_sentences_with_other_numbers_are_checked_the_same_way() {
    // Seed 000's petition sentence with the rate fixed: no warning.
    let r = check_text(
        "Ủy ban nhân dân các xã tiếp nhận 63 đơn thư, đã giải quyết dứt điểm 52 đơn, còn 11 đơn đang xem xét giải quyết (đạt tỷ lệ 82,54%).",
    );
    assert!(r.findings.is_empty(), "{}", r.render_text(true));
    // Other numbers, same grammar, wrong rate.
    let r = check_text(
        "Các xã tiếp nhận 80 đơn thư, đã giải quyết dứt điểm 60 đơn, còn 20 đơn đang xem xét giải quyết (đạt tỷ lệ 70%).",
    );
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].severity, Severity::Error);
    assert!(r.findings[0].computed.starts_with("60/80"));
}
