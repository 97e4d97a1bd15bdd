//! Errors, with messages for Vietnamese users.

use thiserror::Error;

/// Why a report could not be checked.
#[derive(Debug, Error)]
pub enum CheckError {
    /// The file could not be read.
    #[error("Không đọc được tệp {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Only .txt, .md and .docx are supported.
    #[error("Không hỗ trợ định dạng của tệp {path}: chỉ kiểm tra được tệp .txt, .md và .docx")]
    UnsupportedFormat {
        /// The file.
        path: String,
    },
    /// A text file that is not UTF-8.
    #[error("Tệp {path} không phải văn bản UTF-8; hãy lưu lại với bảng mã UTF-8")]
    NotUtf8 {
        /// The file.
        path: String,
    },
    /// A DOCX that could not be read.
    #[error("Tệp DOCX không hợp lệ: {0}")]
    Docx(String),
}
