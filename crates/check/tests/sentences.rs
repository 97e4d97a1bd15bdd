//! Small invented sentences: what must be flagged and what must not.

use danvan_check::{RelationKind, Severity, check_text};

fn errors(text: &str) -> Vec<(Severity, String)> {
    check_text(text)
        .findings
        .iter()
        .map(|f| (f.severity, f.stated.clone()))
        .collect()
}

fn consistent(text: &str) -> usize {
    check_text(text).consistent.len()
}

#[test]
fn fraction_with_rate() {
    assert!(errors("Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%).").is_empty());
    assert_eq!(
        consistent("Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%)."),
        1
    );
    assert_eq!(
        errors("Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%)."),
        vec![(Severity::Error, "85,9%".to_string())]
    );
    assert!(errors("Đã giải quyết được 04/07 vụ việc, đạt tỷ lệ 57,1%.").is_empty());
    assert_eq!(
        errors("Đã giải quyết được 04/07 vụ việc, đạt tỷ lệ 57,2%.")[0].0,
        Severity::Error
    );
}

#[test]
fn rounding_half_away_from_zero_and_truncation_warning() {
    // 1/8 = 12,5% exactly; 1/16 = 6,25% → 6,3% rounded, 6,2% truncated.
    assert!(errors("Giải quyết 1/16 đơn (đạt tỷ lệ 6,3%).").is_empty());
    assert_eq!(
        errors("Giải quyết 1/16 đơn (đạt tỷ lệ 6,2%)."),
        vec![(Severity::Warning, "6,2%".to_string())]
    );
    // 2/3 = 66,666…: 66,7 rounded, 66,6 truncated, 66,5 wrong.
    assert_eq!(
        errors("Giải quyết 2/3 đơn (đạt 66,6%).")[0].0,
        Severity::Warning
    );
    assert_eq!(
        errors("Giải quyết 2/3 đơn (đạt 66,5%).")[0].0,
        Severity::Error
    );
    assert!(errors("Giải quyết 2/3 đơn (đạt 67%).").is_empty());
    assert!(errors("Giải quyết 2/3 đơn (đạt 66,67%).").is_empty());
}

#[test]
fn received_resolved_rate() {
    assert_eq!(
        errors("Đã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%."),
        vec![(Severity::Error, "83,5%".to_string())]
    );
    assert!(errors("Đã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,4%.").is_empty());
    assert!(errors("Đã tiếp nhận 200 vụ, hòa giải thành công 150 vụ, đạt 75%.").is_empty());
    assert_eq!(
        consistent("Tiếp nhận 10 đơn, đã giải quyết 10 đơn (đạt 100%)."),
        1
    );
    // The words tie the rate to 100/120 = 83,3%; however far off, it is a lỗi.
    assert_eq!(
        errors("Tiếp nhận 120 hồ sơ, giải quyết 100 hồ sơ, đạt 90%."),
        vec![(Severity::Error, "90%".to_string())]
    );
    assert_eq!(
        errors(
            "Tiếp nhận 1.200 hồ sơ, trong đó trực tuyến 700 hồ sơ, trực tiếp 450 hồ sơ, bưu chính 40 hồ sơ."
        ),
        vec![(Severity::Error, "1.200 hồ sơ".to_string())]
    );
}

#[test]
fn share_of_total() {
    let t = "UBND nhận 3.848 đơn. trong đó có: 2.932 đơn đủ điều kiện xử lý (chiếm 76,2% tổng đơn), đã được: chuyển 1.270 đơn, đôn đốc 66 đơn, trả lại 179 đơn, thụ lý 1.417 đơn; còn 916 đơn không đủ điều kiện.";
    assert!(errors(t).is_empty());
    assert_eq!(consistent(t), 3);
    let bad = t.replace("1.417", "1.416");
    let f = check_text(&bad);
    assert!(f.has_errors(), "{}", f.render_text(true));
}

#[test]
fn parts_and_total() {
    let ok = "Tiếp nhận 75 đơn, trong đó tiếp nhận mới 54 đơn, kỳ trước chuyển sang 21 đơn.";
    assert!(errors(ok).is_empty());
    assert_eq!(consistent(ok), 1);
    let bad = "Tiếp nhận 75 đơn, trong đó tiếp nhận mới 54 đơn, kỳ trước chuyển sang 22 đơn.";
    let r = check_text(bad);
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].kind, RelationKind::Sum);
    assert_eq!(r.findings[0].severity, Severity::Error);
    assert_eq!(r.findings[0].computed, "54 + 22 = 76");
    // Two or more parts after "trong đó" make up the total, however far off.
    assert_eq!(
        errors("Tiếp nhận 75 đơn, trong đó 20 đơn khiếu nại, 15 đơn tố cáo.")[0].0,
        Severity::Error
    );
    // One part is a partial list: nothing to add up.
    assert!(errors("Tiếp nhận 75 đơn, trong đó có 20 đơn khiếu nại.").is_empty());
}

#[test]
fn bracketed_and_bulleted_breakdowns() {
    let t = "Kết quả là: 47 mô hình.\n+ Mô hình đăng ký mới: 18 mô hình (Kinh tế: 01 mô hình; VH-XH: 11 mô hình; QP-AN: 04 mô hình; Xây dựng hệ thống chính trị: 02 mô hình).\n+ Mô hình nhân rộng: 13 mô hình.\n+ Mô hình duy trì: 16 mô hình.";
    assert!(errors(t).is_empty());
    assert_eq!(consistent(t), 2);
    let bad = t.replace("47 mô hình", "48 mô hình");
    assert_eq!(
        errors(&bad),
        vec![(Severity::Error, "48 mô hình".to_string())]
    );
    let bad = t.replace("11 mô hình", "12 mô hình");
    assert_eq!(errors(&bad)[0].1, "18 mô hình");
}

#[test]
fn footnote_parts_of_a_body_total() {
    let t = "Đã thực hiện 53 cuộc thanh tra, phát hiện sai phạm 7.554 triệu đồng⁽¹⁾ và đã xử lý.\n\n⁽¹⁾ Kiến nghị thu hồi 3.565 triệu đồng, thu hồi về đơn vị 419 triệu đồng, xử lý khác 3.569 triệu đồng; xử phạt 212 triệu đồng.";
    let r = check_text(t);
    assert_eq!(r.findings.len(), 1, "{}", r.render_text(true));
    assert_eq!(r.findings[0].line, 1);
    assert_eq!(r.findings[0].computed, "3.565 + 419 + 3.569 = 7.553");
    let ok = t.replace("7.554", "7.553");
    assert!(errors(&ok).is_empty());
    assert_eq!(consistent(&ok), 1);
}

#[test]
fn difference_with_previous_period() {
    let t = "Đã tiếp 289 lượt, giảm 252 lượt so với cùng kỳ năm 2015 (289/541 lượt).";
    assert!(errors(t).is_empty());
    assert_eq!(
        errors("Đã tiếp 289 lượt, giảm 250 lượt so với cùng kỳ năm 2015 (289/541 lượt).")[0].0,
        Severity::Error
    );
    assert!(errors("Tiếp 300 lượt, tăng 10 lượt so với cùng kỳ (300/290 lượt).").is_empty());
}

#[test]
fn no_crying_wolf() {
    for t in [
        "Năm 2020, Ban Thường vụ ban hành công văn số 936-CV/HU, ngày 10/3/2020.",
        "Thực hiện Công văn số 1027-CV/BDVTU, ngày 26/5/2020 của Ban Dân vận Tỉnh ủy.",
        "UBND huyện ban hành Kế hoạch số 57/KH-UBND, ngày 19/4/2020.",
        "Các xã tổ chức được 33/56 điểm tiếp xúc cử tri có 2.037 cử tri tham gia.",
        "Tỷ lệ hộ nghèo giảm bình quân 4,62%/năm; dân tộc thiểu số chiếm 54%.",
        "Giải quyết được 93,23% đơn, thư thuộc thẩm quyền; rút ngắn 30% thời gian.",
        "Chi trả cho 23.910 người/17.932,5 triệu đồng; tiếp 37 kỳ/127 lượt người.",
        "Dịch Covid-19 trong nhiệm kỳ 2020-2025, giai đoạn (2021 - 2023), ngày 14-7-2015.",
        "Thành phố có 12 cơ quan chuyên môn, 05 đơn vị sự nghiệp và 23 đơn vị hành chính (gồm 09 phường và 14 xã, 68 thôn, 71 tổ dân phố).",
        "Cắt giảm thời gian đối với 06 TTHC, đơn giản hóa 03 TTHC và điều chỉnh 03 TTHC.",
        "Tiếp nhận 5.085 hồ sơ, đã giải quyết 4.667 hồ sơ đúng hạn (đạt tỷ lệ 98,6%).",
        "Lắp đặt 02 cây ATM phát gạo tại xã Đạ Tông, xã Rô Men.",
        "Nghị định 30/2020/NĐ-CP; Quyết định 33/2015/QĐ-TTg; Khoản 2 Điều 13.",
        "",
        "1.016 mô hình (trong đó có 07 mô hình được giới thiệu).",
    ] {
        let r = check_text(t);
        assert!(r.findings.is_empty(), "{t}\n{}", r.render_text(true));
    }
}

#[test]
fn part_over_whole_and_listed_names() {
    assert!(errors("Có 88/102 xã đã thực hiện cơ chế một cửa.").is_empty());
    assert_eq!(
        errors("Có 103/102 xã đã thực hiện cơ chế một cửa.")[0].0,
        Severity::Error
    );
    let t = "Cấp gạo cho 2.085 đối tượng tại 04 xã Đạ Tông, Đạ Long, Đạ M'Rông, Rô Men.";
    assert!(errors(t).is_empty());
    assert_eq!(consistent(t), 1);
}

#[test]
fn verbose_summary_counts_relations() {
    let r = check_text("Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%).");
    let text = r.render_text(true);
    assert!(text.contains("đã kiểm tra 1 quan hệ, 0 lỗi"), "{text}");
    assert!(text.contains("[đúng]"));
    assert!(!r.has_errors());
}

#[test]
fn a_decrease_in_brackets_is_no_part() {
    let t = "Cấp tỉnh tiếp 245 lượt, trong đó: khiếu nại 61 lượt, tố cáo 9 lượt, loại khác 176 lượt [giảm 30 lượt = 10,91% so cùng kỳ].";
    let r = check_text(t);
    let sum: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.kind == RelationKind::Sum)
        .collect();
    assert_eq!(sum.len(), 1, "{}", r.render_text(true));
    assert_eq!(sum[0].computed, "61 + 9 + 176 = 246");
    assert_eq!(sum[0].severity, Severity::Error);
    // 30 of 245 + 30 = 275 is 10,909…%: the percentage holds.
    assert!(
        r.consistent
            .iter()
            .any(|f| f.kind == RelationKind::ChangePercent && f.computed.starts_with("30/275")),
        "{}",
        r.render_text(true)
    );
}

#[test]
fn differences_with_the_earlier_figures_in_brackets() {
    let t = "Trong kỳ, các cơ quan đã tiếp 344 lượt/444 người. So với cùng kỳ năm trước giảm 58 lượt, 71 người (cùng kỳ đã tiếp 402 lượt/515 người).";
    let r = check_text(t);
    assert!(r.findings.is_empty(), "{}", r.render_text(true));
    let diffs: Vec<&str> = r
        .consistent
        .iter()
        .filter(|f| f.kind == RelationKind::Difference)
        .map(|f| f.computed.as_str())
        .collect();
    assert_eq!(diffs, ["402 − 344 = 58", "515 − 444 = 71"]);
    // Either figure changed is caught at its sentence.
    for bad in [
        t.replace("71 người", "72 người"),
        t.replace("344 lượt", "345 lượt"),
    ] {
        assert!(check_text(&bad).has_errors(), "{bad}");
    }
    // The same in the other order: the change before the words.
    let t = "Đã tiếp nhận 1.536 đơn; so với cùng kỳ năm trước tăng 131 đơn (năm 2019 tiếp nhận 1.405 đơn).";
    assert_eq!(consistent(t), 1);
    assert!(check_text(&t.replace("131", "132")).has_errors());
}

#[test]
fn a_decrease_with_its_percentage_of_the_earlier_figure() {
    let t = "Các cấp đã tiếp 670 lượt, giảm 120 lượt so cùng kỳ [15,19%].";
    let r = check_text(t);
    assert!(r.findings.is_empty(), "{}", r.render_text(true));
    assert!(r.consistent[0].computed.starts_with("120/790"));
    assert_eq!(
        errors("Các cấp đã tiếp 670 lượt, giảm 120 lượt so cùng kỳ [15,91%].")[0].0,
        Severity::Error
    );
    assert_eq!(
        errors("Các cấp đã tiếp 670 lượt, giảm 120 lượt so cùng kỳ [15,18%].")[0].0,
        Severity::Warning
    );
}

#[test]
fn resolved_and_remaining() {
    let t = "Đã giải quyết được 19/33 vụ việc thuộc thẩm quyền, 14 vụ còn lại đang giải quyết.";
    assert!(errors(t).is_empty());
    assert_eq!(consistent(t), 1);
    assert_eq!(
        errors(&t.replace("14 vụ", "15 vụ")),
        vec![(Severity::Error, "33 vụ việc".to_string())]
    );
    let t = "Đã giải quyết 5/13 đơn khiếu nại, còn 8 đơn đang xác minh.";
    assert!(errors(t).is_empty());
    assert!(check_text(&t.replace("còn 8", "còn 9")).has_errors());
}

#[test]
fn no_earlier_figure_nothing_to_check() {
    for t in [
        "Tiếp 120 lượt, giảm 15 lượt so với cùng kỳ, đã giải quyết 12/15 vụ việc.",
        "Toàn tỉnh tiếp 6.353 lượt công dân, tăng 9,3% so với cùng kỳ năm 2020.",
        "So với tháng 1/2020, số lượt tiếp giảm 46 lượt; số người giảm 52 người.",
    ] {
        let r = check_text(t);
        assert!(
            !r.has_errors()
                && r.consistent
                    .iter()
                    .all(|f| f.kind == RelationKind::PartOfWhole),
            "{t}\n{}",
            r.render_text(true)
        );
    }
}

#[test]
fn totals_of_lines_per_level() {
    let t = "Các cấp đã tiếp 2.783 lượt công dân, cụ thể như sau:\n- Cấp tỉnh tiếp 197 lượt;\n- Các sở, ngành tiếp 286 lượt;\n- Các huyện tiếp 714 lượt;\n- Cấp xã tiếp 1.586 lượt.";
    assert!(errors(t).is_empty());
    assert_eq!(consistent(t), 1);
    assert_eq!(
        errors(&t.replace("286", "268")),
        vec![(Severity::Error, "2.783 lượt công".to_string())]
    );
}

#[test]
fn units_must_agree() {
    // 736 + 911 vụ việc are no parts of 1.647 lượt.
    let t = "Đã tiếp 1.647 lượt; trong đó, tiếp thường xuyên 1.147 lượt/1.325 người; tiếp định kỳ 500 lượt/761 người; vụ việc cũ 736 vụ việc, vụ việc mới 911 vụ việc.";
    let r = check_text(t);
    assert!(r.findings.is_empty(), "{}", r.render_text(true));
    assert_eq!(r.consistent[0].computed, "1.147 + 500 = 1.647");
}

#[test]
fn a_figure_written_without_its_dots_is_a_warning() {
    let r = check_text("Tiếp nhận 1536 đơn (tồn 40 đơn, mới 1.496 đơn).");
    assert_eq!(r.findings.len(), 1, "{}", r.render_text(true));
    assert_eq!(r.findings[0].kind, RelationKind::NumberFormat);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert_eq!(r.consistent.len(), 1);
}
