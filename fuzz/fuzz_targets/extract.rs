//! The extractor and checker must never panic, whatever the text; every
//! finding points into the text checked, and the typing slips of each
//! figure it reads can be written.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = danvan_check::scan_figures(&text);
    let c = danvan_check::check_bytes("bao-cao.txt", text.as_bytes(), 1 << 20)
        .expect("UTF-8 text is read");
    danvan_fuzz::spans_inside(&c);
    for f in c.report.findings.iter().chain(&c.report.consistent) {
        for r in &f.figures {
            let _ = danvan_check::mutate::slips(&c.text[r.span.start..r.span.end]);
        }
    }
    let _ = c.report.render_text(true);
    let _ = c.report.to_json(true);
    let _ = danvan_check::check_docx_text(&text);
    let _ = danvan_check::extract_docx_text_within(data, 1 << 20);
});
