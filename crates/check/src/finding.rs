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
    /// A change and its percentage of the previous figure.
    ChangePercent,
    /// Received = resolved + remaining ("19/33 vụ việc, 14 vụ còn lại").
    Remaining,
    /// A part written over its whole ("88/102 xã").
    PartOfWhole,
    /// A count and the names listed after it.
    ListCount,
    /// The same figure stated twice.
    SameFigure,
    /// A count written without the dots between thousands ("1377 đơn").
    NumberFormat,
}

impl RelationKind {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            RelationKind::Rate => "tỷ lệ",
            RelationKind::Sum => "tổng các thành phần",
            RelationKind::Difference => "chênh lệch so với kỳ trước",
            RelationKind::ChangePercent => "tỷ lệ tăng, giảm so với kỳ trước",
            RelationKind::Remaining => "đã giải quyết và còn lại",
            RelationKind::PartOfWhole => "phần trên tổng",
            RelationKind::ListCount => "số lượng liệt kê",
            RelationKind::SameFigure => "số liệu nhắc lại",
            RelationKind::NumberFormat => "cách viết số",
        }
    }
}

/// A byte range of the checked text (after Unicode normalisation, NFC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// Byte just after the last.
    pub end: usize,
}

/// What a number is in a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureRole {
    /// The total of a sum.
    Total,
    /// A part of a sum.
    Part,
    /// Numerator of a rate or a fraction.
    Numerator,
    /// Denominator of a rate or a fraction.
    Denominator,
    /// The stated rate.
    Rate,
    /// The figure of this period.
    Current,
    /// The figure of the earlier period.
    Previous,
    /// The stated change.
    Change,
}

impl FigureRole {
    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            FigureRole::Total => "tổng",
            FigureRole::Part => "thành phần",
            FigureRole::Numerator => "tử số",
            FigureRole::Denominator => "mẫu số",
            FigureRole::Rate => "tỷ lệ",
            FigureRole::Current => "kỳ này",
            FigureRole::Previous => "kỳ trước",
            FigureRole::Change => "mức tăng, giảm",
        }
    }
}

/// A number a relation reads, where it is written and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FigureRef {
    /// Where it is written.
    pub span: Span,
    /// What it is in the relation.
    pub role: FigureRole,
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
    /// The sentence the relation is reported at, in the checked text.
    pub sentence: Span,
    /// Every number the relation reads (a fraction gives two), in the
    /// order of the relation: total then parts, numerator, denominator and
    /// rate, current, previous and change.
    pub figures: Vec<FigureRef>,
}
