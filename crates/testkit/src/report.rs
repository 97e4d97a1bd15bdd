//! What the document tests and benches set: a letterhead (a district
//! People's Committee, or a provincial Party committee) and a report long
//! enough for three pages.

use chrono::NaiveDate;
use danvan_report::docx::Letterhead;

/// The letterhead of a district People's Committee, or with `party` of a
/// provincial Party committee.
pub fn letterhead(party: bool) -> Letterhead {
    // The issuer, number, place, on-behalf line and signer's title of each.
    let [issuer, number, place, on_behalf, signer_title] = if party {
        [
            "TỈNH ỦY KON TUM",
            "Số 111-BC/TU",
            "Kon Tum",
            "T/M BAN THƯỜNG VỤ",
            "BÍ THƯ",
        ]
    } else {
        [
            "ỦY BAN NHÂN DÂN\nHUYỆN ĐAM RÔNG",
            "Số: 552/BC-UBND",
            "Đam Rông",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
        ]
    };
    Letterhead {
        party,
        superior: (!party).then(|| "UBND TỈNH LÂM ĐỒNG".to_string()),
        issuer: issuer.into(),
        number: number.into(),
        place: place.into(),
        date: NaiveDate::from_ymd_opt(2020, 1, 5).unwrap(),
        on_behalf: on_behalf.into(),
        signer_title: signer_title.into(),
        signer_name: "Nguyễn Văn A".into(),
        recipients: vec!["Ban Dân vận Tỉnh ủy;".into(), "Lưu: VT.".into()],
    }
}

/// The subject line of [`long_text`].
pub const SUBJECT: &str = "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2020";

/// A report long enough for three pages: a title, four sections of ten
/// paragraphs of about three lines each (some 130 lines of body text at
/// about 45 lines to the page), and the validation results that stay out.
/// `figure`, when given, is the first paragraph of section II.
pub fn long_text(figure: Option<&str>) -> String {
    let mut t = format!("BÁO CÁO\n{SUBJECT}\n\n");
    for (i, head) in [
        "I. TÌNH HÌNH",
        "II. KẾT QUẢ",
        "III. HẠN CHẾ",
        "IV. NHIỆM VỤ",
    ]
    .iter()
    .enumerate()
    {
        t.push_str(head);
        t.push('\n');
        for j in 0..10 {
            if let Some(figure) = figure.filter(|_| i == 1 && j == 0) {
                t.push_str(figure);
            } else {
                t.push_str(&format!(
                    "Đoạn {}.{}: tiếp tục thực hiện nghiêm túc Quy chế dân chủ ở cơ sở, \
                     nâng cao chất lượng tiếp công dân, đối thoại với Nhân dân và giải quyết \
                     kịp thời các kiến nghị chính đáng của cử tri trên địa bàn.",
                    i + 1,
                    j + 1
                ));
            }
            t.push('\n');
        }
        t.push('\n');
    }
    t.push_str("---\nKiểm tra số liệu: mọi quy tắc kiểm tra đều đạt.\n");
    t
}
