//! Store errors: either a domain error the user must read, or a database
//! failure. Both carry Vietnamese messages.

use danvan_core::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Bad input: nothing was written.
    #[error("{0}")]
    Invalid(DomainError),
    /// Several bad rows of one file: nothing was written.
    #[error("{}", render_many(.0))]
    InvalidRows(Vec<DomainError>),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// A write outside the acting user's unit subtree.
    #[error("không có quyền: {0}")]
    Forbidden(String),
    /// A correction made on a version someone else has since changed:
    /// nothing was written.
    #[error("{0} đã được người khác sửa sau khi bạn mở ra; hãy mở lại để xem bản mới rồi sửa lại")]
    Stale(String),
    /// A write into a period an accepted report has locked: nothing was
    /// written. The message names the report.
    #[error("{0}")]
    Locked(String),
    #[error("không kết nối được cơ sở dữ liệu {0}: {1}")]
    Connect(String, String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] sqlx::Error),
    /// A failure SQLite reported to a bulk load on its own handle.
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlite(String),
}

fn render_many(errs: &[DomainError]) -> String {
    let mut s = format!("Tệp có {} lỗi, không ghi dữ liệu nào:", errs.len());
    for e in errs {
        s.push_str("\n  ");
        s.push_str(&e.to_string());
    }
    s
}

impl From<DomainError> for StoreError {
    fn from(e: DomainError) -> Self {
        StoreError::Invalid(e)
    }
}
