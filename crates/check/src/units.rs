//! Units of count (đơn vị tính): the words after a figure that say what it
//! counts ("75 đơn", "32 lượt", "3.565 triệu đồng"). Two figures can be
//! related only when their units agree; a word after a figure that is no
//! unit of count ("196 khiếu nại", "03 định kỳ") is a label, and a figure
//! with a label takes the unit of the total it is listed under.

/// Phrases (folded) read as one unit, with the unit they stand for.
/// Longer phrases come first.
const PHRASES: &[(&str, &str)] = &[
    ("thủ tục hành chính", "thu tuc"),
    ("hộ gia đình", "ho"),
    ("tổ dân phố", "to dan pho"),
    ("lượt công dân", "luot"),
    ("lượt người", "nguoi"),
    ("lượt đoàn", "doan"),
    ("lượt ý kiến", "y kien"),
    ("lượt tiếp", "luot"),
    ("lượt thông tin", "luot"),
    ("hồ sơ", "ho so"),
    ("mô hình", "mo hinh"),
    ("điển hình", "mo hinh"),
    ("triệu đồng", "trieu dong"),
    ("tỷ đồng", "ty dong"),
    ("tỉ đồng", "ty dong"),
    ("nghìn đồng", "nghin dong"),
    ("đơn vị", "don vi"),
    ("thủ tục", "thu tuc"),
    ("cử tri", "cu tri"),
    ("văn bản", "van ban"),
    ("thị trấn", "thi tran"),
    ("thị xã", "thi xa"),
    ("thành phố", "thanh pho"),
    ("cán bộ", "can bo"),
    ("cá nhân", "ca nhan"),
    ("tập thể", "tap the"),
    ("đối tượng", "doi tuong"),
    ("cơ quan", "co quan"),
    ("hội viên", "hoi vien"),
    ("đoàn viên", "doan vien"),
    ("đảng viên", "dang vien"),
    ("ý kiến", "y kien"),
    ("trường hợp", "truong hop"),
    ("công trình", "cong trinh"),
    ("hội nghị", "hoi nghi"),
    ("vụ việc", "vu"),
    ("đơn thư", "don"),
    ("tổ hòa giải", "to hoa giai"),
    ("tổ hoà giải", "to hoa giai"),
    ("hòa giải viên", "hoa giai vien"),
    ("hoà giải viên", "hoa giai vien"),
    ("tổ viên", "to vien"),
];

/// Single words that are units of count, and the unit they stand for.
const WORDS: &[(&str, &str)] = &[
    ("lượt", "luot"),
    ("người", "nguoi"),
    ("đơn", "don"),
    ("vụ", "vu"),
    ("cuộc", "cuoc"),
    ("đợt", "dot"),
    ("điểm", "diem"),
    ("lần", "lan"),
    ("buổi", "buoi"),
    ("kỳ", "ky"),
    ("đoàn", "doan"),
    ("xã", "xa"),
    ("phường", "phuong"),
    ("huyện", "huyen"),
    ("quận", "quan"),
    ("thôn", "thon"),
    ("hộ", "ho"),
    ("tấn", "tan"),
    ("ha", "ha"),
    ("km", "km"),
    ("lớp", "lop"),
    ("tthc", "tthc"),
    ("phiên", "phien"),
    ("đồng", "dong"),
    ("tổ", "to"),
];

/// Units that count administrative units: a total of "đơn vị" may be
/// broken down into "phường", "xã", "thị trấn".
const ADMIN: &[&str] = &[
    "don vi",
    "xa",
    "phuong",
    "thi tran",
    "huyen",
    "quan",
    "thi xa",
    "thanh pho",
];

/// Units a total of models may be broken down into.
const MODELS: &[&str] = &["mo hinh", "tap the", "ca nhan"];

/// The unit of the words following a figure (lower case, with their
/// diacritics: "tổ" is a unit, "tố cáo" a label): `Some(unit)` for a unit
/// of count, `None` for a label or nothing.
pub fn unit_of(words: &str) -> Option<String> {
    let lower = words.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    for (phrase, head) in PHRASES {
        let n = phrase.split(' ').count();
        if words.len() >= n && words[..n].join(" ") == *phrase {
            return Some((*head).to_string());
        }
    }
    let first = *words.first()?;
    WORDS
        .iter()
        .find(|(w, _)| *w == first)
        .map(|(_, head)| (*head).to_string())
}

/// Whether the words start with "lượt người": a count of persons that,
/// standing alone in a list of turns and persons, is both.
pub fn is_turns_and_persons(words: &str) -> bool {
    words.to_lowercase().starts_with("lượt người")
}

/// Whether a part of unit `part` may count toward a total of unit `total`.
pub fn agree(total: &str, part: &str) -> bool {
    total == part
        || (ADMIN.contains(&total) && ADMIN.contains(&part))
        || (MODELS.contains(&total) && MODELS.contains(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_labels() {
        assert_eq!(unit_of("hồ sơ đúng hạn").as_deref(), Some("ho so"));
        assert_eq!(unit_of("đơn thư").as_deref(), Some("don"));
        assert_eq!(unit_of("vụ việc").as_deref(), Some("vu"));
        assert_eq!(unit_of("lượt người").as_deref(), Some("nguoi"));
        assert_eq!(unit_of("lượt công dân").as_deref(), Some("luot"));
        assert_eq!(unit_of("điển hình cá nhân").as_deref(), Some("mo hinh"));
        assert_eq!(unit_of("tổ hòa giải").as_deref(), Some("to hoa giai"));
        assert_eq!(unit_of("khiếu nại"), None);
        assert_eq!(unit_of("tố cáo"), None);
        assert_eq!(unit_of("định kỳ"), None);
        assert_eq!(unit_of(""), None);
        assert!(agree("don vi", "phuong"));
        assert!(agree("mo hinh", "tap the"));
        assert!(!agree("luot", "nguoi"));
    }
}
