//! The extractor and checker must never panic, whatever the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = danvan_check::scan_figures(&text);
    let report = danvan_check::check_text(&text);
    let _ = report.render_text(true);
    let _ = report.to_json(true);
    let _ = danvan_check::check_docx_text(&text);
    let _ = danvan_check::extract_docx_text(data);
});
