//! Writing a report of the findings: readable Vietnamese text or JSON.

use serde_json::json;

use crate::CheckReport;
use crate::finding::{Finding, Severity};

fn write_finding(out: &mut String, f: &Finding) {
    out.push_str(&format!(
        "[{}] dòng {} — {}\n",
        f.severity.label(),
        f.line,
        f.kind.label()
    ));
    out.push_str(&format!("  Câu: «{}»\n", f.quote));
    out.push_str(&format!("  Báo cáo ghi: {}\n", f.stated));
    out.push_str(&format!("  Tính lại: {}\n", f.computed));
    out.push_str(&format!("  Giải thích: {}\n", f.explanation));
}

/// The text report.
pub fn text(report: &CheckReport, verbose: bool) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let mut out = String::new();
    out.push_str(&format!(
        "Kiểm tra số liệu: đã kiểm tra {} quan hệ, {} lỗi, {} cảnh báo.\n",
        report.checked(),
        errors,
        warnings
    ));
    if report.findings.is_empty() {
        out.push_str("Không phát hiện số liệu sai lệch.\n");
    }
    for f in &report.findings {
        out.push('\n');
        write_finding(&mut out, f);
    }
    if verbose && !report.consistent.is_empty() {
        out.push_str(&format!(
            "\nCác quan hệ đã kiểm tra và khớp ({}):\n",
            report.consistent.len()
        ));
        for f in &report.consistent {
            out.push_str(&format!(
                "[đúng] dòng {} — {}: {} ({})\n",
                f.line,
                f.kind.label(),
                f.computed,
                f.stated
            ));
        }
    }
    out
}

/// The JSON report.
pub fn json(report: &CheckReport, verbose: bool) -> serde_json::Value {
    let mut v = json!({
        "summary": {
            "checked": report.checked(),
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "consistent": report.consistent.len(),
        },
        "findings": report.findings,
    });
    if verbose {
        v["consistent"] = json!(report.consistent);
    }
    v
}
