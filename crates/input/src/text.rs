//! Text files in the encodings Vietnamese exports come in.

use encoding_rs::Encoding;

/// The encoding to decode a text file with, judged by its first bytes:
/// `None` for UTF-8 (with or without BOM), read as it streams; UTF-16 by
/// its BOM; anything else that is not UTF-8 is Windows-1258.
pub fn text_encoding(head: &[u8]) -> Option<&'static Encoding> {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return (enc != encoding_rs::UTF_8).then_some(enc);
    }
    match std::str::from_utf8(head) {
        Ok(_) => None,
        // Cut in the middle of a character at the end of the sample: UTF-8.
        Err(e) if e.error_len().is_none() => None,
        Err(_) => Some(encoding_rs::WINDOWS_1258),
    }
}

/// The whole file as UTF-8 (a UTF-8 BOM is kept: the readers accept it).
pub fn to_utf8(bytes: Vec<u8>) -> Vec<u8> {
    let encoding = match Encoding::for_bom(&bytes) {
        Some((enc, _)) if enc == encoding_rs::UTF_8 => return bytes,
        Some((enc, _)) => enc,
        None if std::str::from_utf8(&bytes).is_ok() => return bytes,
        None => encoding_rs::WINDOWS_1258,
    };
    let (text, _, _) = encoding.decode(&bytes);
    text.into_owned().into_bytes()
}
