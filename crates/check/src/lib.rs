//! The report checker: finds figures written the Vietnamese way and the
//! relations a report states between them, and flags those that do not hold.
//!
//! ```
//! let report = danvan_check::check_text(
//!     "Tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,5%.",
//! );
//! assert!(report.has_errors());
//! ```

mod docx;
mod error;
mod figures;
mod finding;
pub mod mutate;
mod number;
mod para;
mod relations;
mod render;
mod segment;
mod units;
mod vocab;

use std::path::Path;

use serde::Serialize;

pub use docx::{MAX_EXPANDED_BYTES, extract_docx_text, extract_docx_text_within};
pub use error::CheckError;
pub use figures::{FigKind, Figure, scan as scan_figures};
pub use finding::{FigureRef, FigureRole, Finding, RelationKind, Severity, Span};
pub use number::{Dec, parse_vn};

/// The outcome of checking one report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Relations that do not hold (lỗi) or hold only up to truncation
    /// (cảnh báo), in text order.
    pub findings: Vec<Finding>,
    /// Relations checked and found consistent, in text order.
    pub consistent: Vec<Finding>,
}

impl CheckReport {
    /// Whether any lỗi was found (the CLI then exits with 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .chain(&self.consistent)
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Number of relations checked.
    pub fn checked(&self) -> usize {
        self.findings.len() + self.consistent.len()
    }

    /// Readable Vietnamese text; `verbose` also lists consistent relations.
    pub fn render_text(&self, verbose: bool) -> String {
        render::text(self, verbose)
    }

    /// JSON; `verbose` also includes consistent relations.
    pub fn to_json(&self, verbose: bool) -> serde_json::Value {
        render::json(self, verbose)
    }
}

fn check_segmented(text: &str, join_lines: bool) -> CheckReport {
    use unicode_normalization::UnicodeNormalization;
    let text: String = text.nfc().collect();
    let paras = segment::segment(&text, join_lines);
    let all = relations::check_paragraphs(&paras);
    let (consistent, findings) = all.into_iter().partition(|f| f.severity == Severity::Ok);
    CheckReport {
        findings,
        consistent,
    }
}

/// Checks a report given as plain text (or Markdown). Lines broken at page
/// breaks or footnote anchors are joined back before reading.
pub fn check_text(text: &str) -> CheckReport {
    check_segmented(text, true)
}

/// Checks text extracted from a DOCX: one paragraph per line, never joined,
/// so finding lines are paragraph numbers.
pub fn check_docx_text(text: &str) -> CheckReport {
    check_segmented(text, false)
}

/// A checked upload: the text as checked (Unicode NFC; a DOCX's
/// paragraphs one per line), which the findings' byte spans point into.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The text the spans of the findings refer to.
    pub text: String,
    pub report: CheckReport,
}

/// Checks a report given as the bytes of a file named `file_name`
/// (`.txt`, `.md` or `.docx`), a DOCX read within `max_expanded` bytes of
/// XML.
pub fn check_bytes(
    file_name: &str,
    bytes: &[u8],
    max_expanded: u64,
) -> Result<Checked, CheckError> {
    use unicode_normalization::UnicodeNormalization;
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let (text, docx) = match ext.as_str() {
        "txt" | "md" | "markdown" => {
            let text = std::str::from_utf8(bytes).map_err(|_| CheckError::NotUtf8 {
                path: file_name.to_string(),
            })?;
            (text.to_string(), false)
        }
        "docx" => (extract_docx_text_within(bytes, max_expanded)?, true),
        _ => {
            return Err(CheckError::UnsupportedFormat {
                path: file_name.to_string(),
            });
        }
    };
    let text: String = text.nfc().collect();
    let report = check_segmented(&text, !docx);
    Ok(Checked { text, report })
}

/// Reads and checks a report file: `.txt`, `.md` or `.docx`.
pub fn check_file(path: &Path) -> Result<CheckReport, CheckError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let read = || {
        std::fs::read(path).map_err(|source| CheckError::Io {
            path: path.display().to_string(),
            source,
        })
    };
    match ext.as_str() {
        "txt" | "md" | "markdown" => {
            let bytes = read()?;
            let text = String::from_utf8(bytes).map_err(|_| CheckError::NotUtf8 {
                path: path.display().to_string(),
            })?;
            Ok(check_text(&text))
        }
        "docx" => {
            let bytes = read()?;
            let text = extract_docx_text(&bytes)?;
            Ok(check_docx_text(&text))
        }
        _ => Err(CheckError::UnsupportedFormat {
            path: path.display().to_string(),
        }),
    }
}
