//! The extractor must never panic, whatever the input.

use proptest::prelude::*;

fn report_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "1.022",
        "98,1%",
        "45/53",
        "04/07",
        " vụ việc",
        " đơn",
        "(đạt tỷ lệ ",
        "%)",
        ", ",
        "; ",
        ". ",
        "\n",
        "\n\n",
        "trong đó ",
        "gồm: ",
        "còn ",
        "tiếp nhận ",
        "giảm ",
        " so với ",
        "(289/541 lượt)",
        "⁽¹⁾",
        "\u{FFFD} ",
        "+ ",
        "- ",
        "26/5/2020",
        "57/KH-UBND",
        "1027-CV/BDVTU",
        "7.554 triệu đồng",
        "(",
        ")",
        ":",
        "Đạ Tông",
        "9999999999999999999",
        ",",
        ".",
        "/",
        "%",
        "đạt ",
        "chiếm ",
        "0",
        "0/0",
        "00,0000%",
        "1,23456",
        "¹²",
        "[^1]",
        "[^1]: ",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn any_text_is_safe(s in any::<String>()) {
        let r = danvan_check::check_text(&s);
        let _ = r.render_text(true);
        let _ = r.to_json(true);
        let _ = danvan_check::check_docx_text(&s);
        let _ = danvan_check::scan_figures(&s);
    }

    #[test]
    fn report_like_text_is_safe(s in report_like()) {
        let r = danvan_check::check_text(&s);
        let _ = r.render_text(true);
        for f in r.findings.iter().chain(&r.consistent) {
            prop_assert!(f.line >= 1);
        }
    }

    #[test]
    fn any_bytes_as_docx_are_safe(b in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = danvan_check::extract_docx_text(&b);
    }
}
