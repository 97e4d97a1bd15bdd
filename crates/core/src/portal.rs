//! The public portal (cổng công dân) as pure rules: what a citizen may
//! send, how an attached file is recognised by its content, the tracking
//! code's shape, and the words a citizen reads for a petition's status.
//! The store keeps what is sent; the web crate takes it in.

use crate::DomainError;
use crate::records::petition::{PetitionStatus, PetitionType};
use crate::vocab;

vocab! {
    /// What a citizen sends: phản ánh and kiến nghị are both recorded as
    /// the petition type «kiến nghị, phản ánh», khiếu nại and tố cáo as
    /// their own types, with their statutory procedures.
    PortalKind, "loại ý kiến" {
        Feedback = "feedback", "phản ánh";
        Recommendation = "recommendation", "kiến nghị";
        Complaint = "complaint", "khiếu nại";
        Denunciation = "denunciation", "tố cáo";
    }
}

impl PortalKind {
    /// The petition type it is recorded as.
    pub fn petition_type(self) -> PetitionType {
        match self {
            PortalKind::Feedback | PortalKind::Recommendation => PetitionType::Recommendation,
            PortalKind::Complaint => PetitionType::Complaint,
            PortalKind::Denunciation => PetitionType::Denunciation,
        }
    }
}

/// At most this many files per submission or message.
pub const MAX_FILES: usize = 3;
/// At most this many bytes per file (5 MB).
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// The content of a submission or a message, in characters.
pub const MAX_CONTENT_CHARS: usize = 10_000;
pub const MIN_CONTENT_CHARS: usize = 10;

/// A file type the portal accepts, recognised by its first bytes (its
/// "magic"), never by the name or the type the browser claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileType {
    /// The content type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
        }
    }

    /// The extension of the name it is served under.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Pdf => "pdf",
        }
    }

    /// The type of a stored content type, if it is one of ours.
    pub fn from_mime(m: &str) -> Option<FileType> {
        [FileType::Jpeg, FileType::Png, FileType::Webp, FileType::Pdf]
            .into_iter()
            .find(|t| t.mime() == m)
    }
}

/// The type of `bytes` by their content, or `None` when they are none of
/// the accepted types (a text renamed `.jpg` is not an image).
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else {
        None
    }
}

/// Check one attached file: its size and its content's type.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<FileType, DomainError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DomainError::new(
            "portal.file_too_large",
            format!(
                "tệp «{name}» lớn hơn {} MB; hãy gửi ảnh nhỏ hơn hoặc chia thành nhiều tệp",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .at_field("tep"));
    }
    sniff(bytes).ok_or_else(|| {
        DomainError::new(
            "portal.file_type",
            format!(
                "tệp «{name}» không phải ảnh (JPEG, PNG, WebP) hay PDF: nội dung tệp không khớp, \
                 dù tên tệp là gì"
            ),
        )
        .at_field("tep")
    })
}

/// Check the text of a submission or message.
pub fn check_content(text: &str) -> Result<(), DomainError> {
    let n = text.trim().chars().count();
    if n < MIN_CONTENT_CHARS {
        return Err(DomainError::new(
            "portal.content_short",
            format!("nội dung quá ngắn: hãy viết ít nhất {MIN_CONTENT_CHARS} ký tự"),
        )
        .at_field("noi_dung"));
    }
    if n > MAX_CONTENT_CHARS {
        return Err(DomainError::new(
            "portal.content_long",
            format!(
                "nội dung dài {} ký tự, quá {} ký tự cho phép; hãy gửi phần còn lại trong tin nhắn sau",
                crate::number::int(n as i64),
                crate::number::int(MAX_CONTENT_CHARS as i64)
            ),
        )
        .at_field("noi_dung"));
    }
    Ok(())
}

/// The letters of a tracking code: no 0/O or 1/I/L to misread.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// Letters in a code: 12 from 31, about 59 bits.
pub const CODE_LETTERS: usize = 12;

/// A tracking code from `random` bytes (one letter per byte):
/// `ABCD-EFGH-JKMN`.
pub fn tracking_code(random: &[u8; CODE_LETTERS]) -> String {
    let mut out = String::with_capacity(CODE_LETTERS + 2);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 is not a multiple of 31: the first letters are a little more
        // likely, which costs a fraction of a bit.
        out.push(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char);
    }
    out
}

/// A code as typed (lower case, spaces, no dashes) in its canonical form,
/// or `None` when it cannot be one.
pub fn normalize_code(typed: &str) -> Option<String> {
    let letters: Vec<u8> = typed
        .bytes()
        .filter(|b| !matches!(b, b'-' | b' ' | b'.'))
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if letters.len() != CODE_LETTERS || !letters.iter().all(|b| CODE_ALPHABET.contains(b)) {
        return None;
    }
    let mut arr = [0u8; CODE_LETTERS];
    for (i, b) in letters.iter().enumerate() {
        arr[i] = CODE_ALPHABET.iter().position(|a| a == b).unwrap_or(0) as u8;
    }
    Some(tracking_code(&arr))
}

/// The content as compared for duplicates: folded, words single-spaced.
pub fn content_key(text: &str) -> String {
    crate::text::fold(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A petition's status in the words a citizen reads.
pub fn status_words(s: PetitionStatus) -> &'static str {
    use PetitionStatus as S;
    match s {
        S::Received => "Đã tiếp nhận, đang xem xét để phân loại",
        S::Eligible => "Đủ điều kiện xử lý, đang chờ xử lý",
        S::Ineligible => "Không đủ điều kiện xử lý (xem trả lời bên dưới)",
        S::Transferred => "Đã chuyển đến cơ quan có thẩm quyền giải quyết",
        S::Urged => "Đã đôn đốc cơ quan có thẩm quyền giải quyết",
        S::Returned => "Đã trả lại đơn và hướng dẫn (xem trả lời bên dưới)",
        S::Archived => "Đã lưu đơn, không xử lý tiếp",
        S::InResolution => "Đã thụ lý, đang giải quyết",
        S::Resolved => "Đã giải quyết xong",
    }
}

/// Whether a petition in `s` is closed as Open311 says it: nothing more
/// is done on it here (resolved, returned with guidance, archived, found
/// ineligible, or sent to the body that resolves it).
pub fn is_closed(s: PetitionStatus) -> bool {
    use PetitionStatus as S;
    matches!(
        s,
        S::Ineligible | S::Transferred | S::Returned | S::Archived | S::Resolved
    )
}

/// `text` with each of `secrets` (a sender's name, address, phone) put
/// out of sight, so a public page never repeats who sent it.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        let s = s.trim();
        if s.chars().count() >= 3 && s != crate::records::petition::MASK {
            out = out.replace(s, "***");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content_not_name() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(FileType::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(FileType::Webp));
        assert_eq!(sniff(b"%PDF-1.7"), Some(FileType::Pdf));
        assert_eq!(sniff(b"<html>not an image</html>"), None);
        let e = check_file("anh.jpg", b"GIF89a but named jpg").unwrap_err();
        assert!(e.message.contains("anh.jpg") && e.message.contains("không phải ảnh"));
        let big = vec![0xFF; MAX_FILE_BYTES + 1];
        assert_eq!(
            check_file("to.jpg", &big).unwrap_err().code,
            "portal.file_too_large"
        );
    }

    #[test]
    fn codes_round_trip_and_refuse_lookalikes() {
        let c = tracking_code(&[0, 1, 2, 3, 30, 29, 28, 27, 5, 6, 7, 8]);
        assert_eq!(c.len(), 14);
        assert_eq!(normalize_code(&c.to_lowercase().replace('-', " ")), Some(c));
        assert_eq!(normalize_code("ABCD-EFGH-IJK0"), None);
        assert_eq!(normalize_code("ABCD"), None);
    }

    #[test]
    fn redaction_hides_the_sender() {
        let t = redact(
            "Tôi là Nguyễn Văn A, số 0912345678",
            &["Nguyễn Văn A", "0912345678", ""],
        );
        assert_eq!(t, "Tôi là ***, số ***");
    }
}
