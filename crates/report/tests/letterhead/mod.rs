//! The letterhead the document tests use: a district People's Committee,
//! or a provincial Party committee.

use chrono::NaiveDate;
use danvan_report::docx::Letterhead;

pub fn letterhead(party: bool) -> Letterhead {
    Letterhead {
        party,
        superior: (!party).then(|| "UBND TỈNH LÂM ĐỒNG".to_string()),
        issuer: if party {
            "TỈNH ỦY KON TUM".into()
        } else {
            "ỦY BAN NHÂN DÂN\nHUYỆN ĐAM RÔNG".into()
        },
        number: if party {
            "Số 111-BC/TU".into()
        } else {
            "Số: 552/BC-UBND".into()
        },
        place: if party {
            "Kon Tum".into()
        } else {
            "Đam Rông".into()
        },
        date: NaiveDate::from_ymd_opt(2020, 1, 5).unwrap(),
        on_behalf: if party {
            "T/M BAN THƯỜNG VỤ".into()
        } else {
            "TM. ỦY BAN NHÂN DÂN".into()
        },
        signer_title: if party {
            "BÍ THƯ".into()
        } else {
            "CHỦ TỊCH".into()
        },
        signer_name: "Nguyễn Văn A".into(),
        recipients: vec!["Ban Dân vận Tỉnh ủy;".into(), "Lưu: VT.".into()],
    }
}
