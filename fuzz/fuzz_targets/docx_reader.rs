//! The checker's DOCX reader, then the checker on the text it gives: no
//! panic on any archive; the text read is checked as the command does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = danvan_check::extract_docx_text(data) else {
        return;
    };
    let report = danvan_check::check_docx_text(&text);
    let _ = report.render_text(true);
    let _ = report.to_json(false);
});
