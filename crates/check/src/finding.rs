//! What the checker reports: one entry per relation it checked.

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Severity {
    /// lỗi: the arithmetic does not hold.
    #[serde(rename = "lỗi")]
    Error,
    /// cảnh báo: a rate off only in its last digit (truncated, not rounded).
    #[serde(rename = "cảnh báo")]
    Warning,
    /// The relation holds.
    #[serde(rename = "đúng")]
    Ok,
}

impl Severity {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Ok => "đúng",
        }
    }
}

/// The kind of relation a report states between figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// A rate and the fraction it comes from.
    Rate,
    /// Parts and their total.
    Sum,
    /// A change against a previous period.
    Difference,
    /// A part written over its whole ("88/102 xã").
    PartOfWhole,
    /// A count and the names listed after it.
    ListCount,
    /// The same figure stated twice.
    SameFigure,
}

impl RelationKind {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            RelationKind::Rate => "tỷ lệ",
            RelationKind::Sum => "tổng các thành phần",
            RelationKind::Difference => "chênh lệch so với kỳ trước",
            RelationKind::PartOfWhole => "phần trên tổng",
            RelationKind::ListCount => "số lượng liệt kê",
            RelationKind::SameFigure => "số liệu nhắc lại",
        }
    }
}

/// One checked relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// lỗi, cảnh báo or đúng.
    pub severity: Severity,
    /// What kind of relation.
    pub kind: RelationKind,
    /// 1-based line (paragraph number for DOCX) of the stated figure.
    pub line: usize,
    /// The sentence, as written.
    pub quote: String,
    /// What the report states ("82,53%").
    pub stated: String,
    /// What the parts give ("52/63 = 82,5396…% → 82,54%").
    pub computed: String,
    /// Explanation in Vietnamese.
    pub explanation: String,
}
