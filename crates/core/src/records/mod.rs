//! Record kinds: what happens at a unit on a date. Each kind's module
//! holds its record, which validates itself and says what it contributes
//! to the fact store; this module holds their registry: one definition per
//! kind (its code, its Vietnamese names, where it lives on the web and on
//! the command line, and who may write it), read by every place that lists
//! kinds — permissions, `danvan import`, the import page, the "Ghi nhận"
//! page, the XLSX annex and the API's tags. A kind is added here once, its
//! module beside its entry; the match in [`RecordKind::def`] and the `ALL`
//! check below make a half-registered kind a compile error.

pub mod consultation;
pub mod dataset;
pub mod directive;
pub mod dossier;
pub mod mediation;
pub mod meeting;
pub mod model;
pub mod oversight;
pub mod petition;
pub mod rating;
pub mod reception;
mod vocabulary;

/// The registry under the name the rest of the code knows it by.
pub mod kind {
    pub use super::{KindDef, RecordKind};
}

use serde::Serialize;

use crate::access::Role;

/// A kind of record danvan keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Petition,
    Case,
    Reception,
    Dossier,
    Mediation,
    Meeting,
    Model,
    DataValue,
    Oversight,
    Directive,
    Rating,
    Consultation,
}

/// What the registry knows of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindDef {
    /// Stable code: the audit log's entity, the fact keys' prefix.
    pub code: &'static str,
    /// The kind as a heading (Vietnamese): "Hòa giải ở cơ sở".
    pub title: &'static str,
    /// A short title of at most 31 characters: an XLSX sheet's name.
    pub short: &'static str,
    /// What one record is, for counts: "vụ việc hòa giải".
    pub noun: &'static str,
    /// One line on what the kind holds, for the "Ghi nhận" page.
    pub about: &'static str,
    /// Its list page on the web (`None`: no pages of its own yet).
    pub page: Option<&'static str>,
    /// `danvan import NAME` and the import page's choice (`None`: no file
    /// import).
    pub import: Option<&'static str>,
    /// The API tag of its routes.
    pub api_tag: Option<&'static str>,
    /// Who may write it besides an administrator (who may write every kind).
    pub writers: &'static [Role],
}

impl RecordKind {
    /// Every kind, in the order pages list them.
    pub const ALL: [RecordKind; 12] = [
        RecordKind::Petition,
        RecordKind::Case,
        RecordKind::Reception,
        RecordKind::Dossier,
        RecordKind::Mediation,
        RecordKind::Meeting,
        RecordKind::Model,
        RecordKind::Oversight,
        RecordKind::Directive,
        RecordKind::Rating,
        RecordKind::Consultation,
        RecordKind::DataValue,
    ];

    /// The kind's definition: exhaustive, so a new kind must be defined.
    pub const fn def(self) -> KindDef {
        use Role::{Front, Handler, Officer};
        match self {
            RecordKind::Petition => KindDef {
                code: "petition",
                title: "Đơn thư",
                short: "Đơn thư, khiếu nại, tố cáo",
                noun: "đơn thư",
                about: "Khiếu nại, tố cáo, kiến nghị, phản ánh và quá trình xử lý, giải quyết.",
                page: Some("/don-thu"),
                import: Some("petitions"),
                api_tag: Some("petitions"),
                writers: &[Officer, Handler],
            },
            RecordKind::Case => KindDef {
                code: "case",
                title: "Vụ việc phức tạp, đông người, kéo dài",
                short: "Vụ việc phức tạp, đông người",
                noun: "vụ việc",
                about: "Vụ việc gom các đơn cùng nội dung: đông người, phức tạp, kéo dài, vượt cấp.",
                page: Some("/vu-viec"),
                import: Some("cases"),
                api_tag: Some("cases"),
                writers: &[Officer, Handler],
            },
            RecordKind::Reception => KindDef {
                code: "reception",
                title: "Tiếp công dân",
                short: "Tiếp công dân",
                noun: "lượt tiếp công dân",
                about: "Lượt tiếp thường xuyên, định kỳ, đột xuất; số lượt, số người, đoàn đông người.",
                page: Some("/ghi-nhan/tiep-cong-dan"),
                import: Some("receptions"),
                api_tag: None,
                writers: &[Officer, Handler],
            },
            RecordKind::Dossier => KindDef {
                code: "dossier",
                title: "Hồ sơ thủ tục hành chính (Một cửa)",
                short: "Hồ sơ thủ tục hành chính",
                noun: "hồ sơ",
                about: "Hồ sơ tiếp nhận, giải quyết tại bộ phận một cửa, nhập từ tệp xuất của hệ thống một cửa.",
                page: None,
                import: Some("dossiers"),
                api_tag: None,
                writers: &[Officer],
            },
            RecordKind::Mediation => KindDef {
                code: "mediation",
                title: "Hòa giải ở cơ sở",
                short: "Hòa giải ở cơ sở",
                noun: "vụ việc hòa giải",
                about: "Vụ việc do tổ hòa giải tiếp nhận và kết quả hòa giải.",
                page: Some("/ghi-nhan/hoa-giai"),
                import: Some("mediation"),
                api_tag: Some("mediation"),
                writers: &[Officer],
            },
            RecordKind::Meeting => KindDef {
                code: "meeting",
                title: "Đối thoại, tiếp xúc cử tri",
                short: "Đối thoại, tiếp xúc cử tri",
                noun: "hội nghị",
                about: "Hội nghị đối thoại, tiếp xúc cử tri, ý kiến nêu ra và hướng xử lý.",
                page: Some("/ghi-nhan/hoi-nghi"),
                import: Some("meetings"),
                api_tag: Some("meetings"),
                writers: &[Officer, Front],
            },
            RecordKind::Model => KindDef {
                code: "model",
                title: "Mô hình «Dân vận khéo»",
                short: "Mô hình Dân vận khéo",
                noun: "mô hình theo năm",
                about: "Mô hình, điển hình và kết quả từng năm: đăng ký mới, nhân rộng, duy trì.",
                page: Some("/ghi-nhan/mo-hinh"),
                import: Some("models"),
                api_tag: Some("models"),
                writers: &[Officer, Front],
            },
            RecordKind::DataValue => KindDef {
                code: "data_value",
                title: "Số liệu tổng hợp",
                short: "Số liệu tổng hợp",
                noun: "giá trị số liệu",
                about: "Số liệu nhập theo bộ chỉ tiêu, đơn vị và kỳ.",
                page: Some("/ghi-nhan/so-lieu"),
                import: Some("data"),
                api_tag: Some("datasets"),
                writers: &[Officer],
            },
            RecordKind::Oversight => KindDef {
                code: "oversight",
                title: "Giám sát, phản biện xã hội",
                short: "Giám sát, phản biện xã hội",
                noun: "hoạt động giám sát, phản biện",
                about: "Hoạt động giám sát, phản biện của Mặt trận và các đoàn thể.",
                page: Some("/ghi-nhan/giam-sat"),
                import: Some("oversight"),
                api_tag: Some("oversight"),
                writers: &[Officer, Front],
            },
            RecordKind::Directive => KindDef {
                code: "directive",
                title: "Văn bản chỉ đạo",
                short: "Văn bản chỉ đạo",
                noun: "văn bản chỉ đạo",
                about: "Sổ văn bản: số, ký hiệu, ngày ban hành, trích yếu; tìm không cần dấu.",
                page: Some("/ghi-nhan/van-ban"),
                import: Some("directives"),
                api_tag: Some("directives"),
                writers: &[Officer],
            },
            RecordKind::Rating => KindDef {
                code: "rating",
                title: "Đánh giá mức độ hài lòng",
                short: "Đánh giá mức độ hài lòng",
                noun: "lượt đánh giá",
                about: "Người dân đánh giá mức độ hài lòng với việc giải quyết hồ sơ, tiếp công dân, trả lời phản ánh; phiếu giấy nhập theo lô.",
                page: Some("/ghi-nhan/danh-gia"),
                import: Some("ratings"),
                api_tag: Some("ratings"),
                writers: &[Officer, Handler],
            },
            RecordKind::Consultation => KindDef {
                code: "consultation",
                title: "Lấy ý kiến Nhân dân",
                short: "Lấy ý kiến Nhân dân",
                noun: "đợt lấy ý kiến",
                about: "Dự thảo kế hoạch, dự án, phương án thu hồi đất đưa ra lấy ý kiến; ý kiến trực tuyến và phiếu giấy; kết quả tổng hợp công khai.",
                page: Some("/ghi-nhan/lay-y-kien"),
                import: Some("consultations"),
                api_tag: Some("consultations"),
                writers: &[Officer, Front],
            },
        }
    }

    pub const fn code(self) -> &'static str {
        self.def().code
    }

    pub const fn title(self) -> &'static str {
        self.def().title
    }

    /// The kind whose code is `code`.
    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind `danvan import NAME` names.
    pub fn from_import(name: &str) -> Option<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .find(|k| k.def().import == Some(name.trim()))
    }

    /// The kinds a file can be imported as, in page order.
    pub fn importable() -> impl Iterator<Item = RecordKind> {
        RecordKind::ALL
            .into_iter()
            .filter(|k| k.def().import.is_some())
    }
}

/// The position of a kind in `ALL`, by an exhaustive match: with the
/// assertion below, a kind left out of `ALL` does not compile.
const fn position(k: RecordKind) -> usize {
    match k {
        RecordKind::Petition => 0,
        RecordKind::Case => 1,
        RecordKind::Reception => 2,
        RecordKind::Dossier => 3,
        RecordKind::Mediation => 4,
        RecordKind::Meeting => 5,
        RecordKind::Model => 6,
        RecordKind::Oversight => 7,
        RecordKind::Directive => 8,
        RecordKind::Rating => 9,
        RecordKind::Consultation => 10,
        RecordKind::DataValue => 11,
    }
}

const _: () = {
    let mut i = 0;
    while i < RecordKind::ALL.len() {
        assert!(
            position(RecordKind::ALL[i]) == i,
            "RecordKind::ALL is out of step"
        );
        i += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_slugs_and_import_names_are_unique() {
        let mut codes: Vec<&str> = RecordKind::ALL.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RecordKind::ALL.len());
        let imports: Vec<&str> = RecordKind::importable()
            .filter_map(|k| k.def().import)
            .collect();
        let mut unique = imports.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), imports.len());
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::from_code(k.code()), Some(k));
            // A sheet name of the XLSX annex is at most 31 characters.
            assert!(k.def().short.chars().count() <= 31, "{}", k.def().short);
        }
        assert_eq!(
            RecordKind::from_import("mediation"),
            Some(RecordKind::Mediation)
        );
        assert_eq!(RecordKind::from_import("khong-co"), None);
    }
}
