//! The columns of each kind of file, and the Vietnamese header names accepted.

use danvan_core::records::meeting::FollowUp;

/// Columns of a petition file, in order.
pub const PETITION_COLUMNS: [&str; 20] = [
    "unit",
    "received_on",
    "channel",
    "senders",
    "type",
    "field",
    "sender_name",
    "sender_address",
    "sender_phone",
    "summary",
    "classified_on",
    "eligibility",
    "ineligible_reason",
    "handled_on",
    "handling",
    "complex",
    "remote",
    "resolved_on",
    "outcome",
    "case_id",
];

/// Optional columns a petition file may add after the required ones, in
/// any order: the name the code reads each by, and the header names
/// accepted for it.
pub const PETITION_OPTIONAL_COLUMNS: &[(&str, &[&str])] =
    &[("instance", &["instance", "lan_giai_quyet"])];

/// Columns of a reception file, in order.
pub const RECEPTION_COLUMNS: [&str; 12] = [
    "unit",
    "received_on",
    "official",
    "position",
    "kind",
    "content",
    "outcome",
    "turns",
    "persons",
    "delegations",
    "delegation_persons",
    "note",
];

/// Vietnamese header names accepted for the columns of every file but
/// petitions and receptions (folded, words joined by `_`).
pub(crate) const VI_ALIASES: &[(&str, &str)] = &[
    ("don_vi", "unit"),
    ("ngay_tiep_nhan", "received_on"),
    ("to_hoa_giai", "team"),
    ("linh_vuc", "field"),
    ("ket_qua", "result"),
    ("noi_dung", "summary"),
    ("loai", "kind"),
    ("loai_hoi_nghi", "kind"),
    ("ngay", "held_on"),
    ("ngay_to_chuc", "held_on"),
    ("chu_tri", "chair"),
    ("dai_bieu", "deputies"),
    ("so_nguoi_du", "participants"),
    ("chu_de", "subject"),
    ("ten_mo_hinh", "name"),
    ("cap", "level"),
    ("nam", "year"),
    ("ngay_ghi_nhan", "recorded_on"),
    ("tinh_trang", "status"),
    ("cong_nhan", "recognised"),
    ("khen_thuong", "award"),
    ("bo_chi_tieu", "set"),
    ("chi_tieu", "element"),
    ("ky", "period"),
    ("phan_to", "option"),
    ("gia_tri", "value"),
    ("to_chuc", "organisation"),
    ("hinh_thuc", "kind"),
    ("doi_tuong", "targets"),
    ("so_kien_nghi", "recommendations"),
    ("so_ky_hieu", "number"),
    ("ngay_ban_hanh", "issued_on"),
    ("co_quan_ban_hanh", "issuer"),
    ("trich_yeu", "title"),
    ("dich_vu", "service"),
    ("muc_do_hai_long", "level"),
    ("ngay_danh_gia", "rated_on"),
    ("ma_ho_so", "subject"),
    ("so_phieu", "subject"),
    ("y_kien", "comment"),
    ("ten_du_thao", "title"),
    ("tom_tat", "summary"),
    ("tai_lieu", "documents"),
    ("cau_hoi", "question"),
    ("cau_hoi_them", "more_questions"),
    ("ngay_bat_dau", "opens_on"),
    ("ngay_ket_thuc", "closes_on"),
    ("so_phieu_phat_ra", "forms_issued"),
];

/// Columns of a mediation case file, in order.
pub const MEDIATION_COLUMNS: [&str; 6] =
    ["unit", "received_on", "team", "field", "result", "summary"];

/// Columns of a meeting file, in order: one row per meeting, the opinions
/// raised counted by what became of them.
pub const MEETING_COLUMNS: [&str; 11] = [
    "unit",
    "kind",
    "held_on",
    "chair",
    "deputies",
    "participants",
    "subject",
    "so_y_kien_giai_trinh",
    "so_y_kien_tra_loi_van_ban",
    "so_y_kien_chuyen",
    "so_y_kien_dang_cho",
];

/// The opinion count columns of a meeting file and the follow-up each counts.
pub(super) const OPINION_COLUMNS: [(&str, FollowUp); 4] = [
    ("so_y_kien_giai_trinh", FollowUp::AnsweredAtMeeting),
    ("so_y_kien_tra_loi_van_ban", FollowUp::AnsweredInWriting),
    ("so_y_kien_chuyen", FollowUp::Transferred),
    ("so_y_kien_dang_cho", FollowUp::Pending),
];

/// Columns of a "Dân vận khéo" model file, in order: one row per model-year.
pub const MODEL_COLUMNS: [&str; 9] = [
    "unit",
    "name",
    "level",
    "field",
    "year",
    "recorded_on",
    "status",
    "recognised",
    "award",
];

/// Columns of an oversight file (giám sát, phản biện xã hội), in order.
pub const OVERSIGHT_COLUMNS: [&str; 7] = [
    "unit",
    "organisation",
    "kind",
    "held_on",
    "subject",
    "targets",
    "recommendations",
];

/// Columns of a directive file (văn bản chỉ đạo), in order.
pub const DIRECTIVE_COLUMNS: [&str; 5] = ["unit", "number", "issued_on", "issuer", "title"];

/// Columns of a satisfaction rating file (phiếu đánh giá mức độ hài
/// lòng), in order: one row per rating.
pub const RATING_COLUMNS: [&str; 6] =
    ["unit", "service", "level", "rated_on", "subject", "comment"];

/// Columns of a consultation file (đợt lấy ý kiến Nhân dân), in order.
pub const CONSULTATION_COLUMNS: [&str; 10] = [
    "unit",
    "subject",
    "title",
    "summary",
    "documents",
    "question",
    "opens_on",
    "closes_on",
    "forms_issued",
    "more_questions",
];

/// Columns of an aggregate data file, in order: one value per row.
pub const DATA_COLUMNS: [&str; 6] = ["set", "element", "unit", "period", "option", "value"];
