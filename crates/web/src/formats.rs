//! Report formats beyond DOCX, XLSX and text.

use danvan_report::Report;
use danvan_store::StoreError;
use danvan_store::units::Unit;

use crate::auth::Ctx;

pub async fn extra(
    _ctx: &Ctx,
    _report: &Report,
    _unit: &Unit,
    _date: chrono::NaiveDate,
    format: &str,
) -> (Result<Vec<u8>, StoreError>, &'static str, &'static str) {
    (
        Err(danvan_core::DomainError::new(
            "report.format",
            format!("định dạng «{format}» không có; dùng docx, pdf, xlsx hoặc txt"),
        )
        .into()),
        "",
        "",
    )
}
