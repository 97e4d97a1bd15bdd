//! The checker's DOCX reader within a limit on expanded XML, then the
//! checker on the text it gives: no panic on any archive, never more XML
//! read than the limit, and every finding points into the text read.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Small, so that archives expanding past it are found quickly.
const LIMIT: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Ok(c) = danvan_check::check_bytes("bao-cao.docx", data, LIMIT) else {
        return;
    };
    assert!(c.text.len() as u64 <= 2 * LIMIT, "more text than the XML read");
    danvan_fuzz::spans_inside(&c);
    let _ = c.report.render_text(true);
    let _ = c.report.to_json(false);
});
