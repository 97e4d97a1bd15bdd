//! Reading files: dispatch on extension, DOCX text, Vietnamese errors.

use std::io::Write;

use danvan_check::{CheckError, Severity, check_file, extract_docx_text};

fn docx(document: &str, footnotes: Option<&str>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(document.as_bytes()).unwrap();
        if let Some(f) = footnotes {
            z.start_file("word/footnotes.xml", opts).unwrap();
            z.write_all(f.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>BÁO CÁO</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Phát hiện sai phạm 7.554 triệu đồng</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> và đã xử lý.</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%)</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ghi chú</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;

const NOTES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Thu hồi 3.565 triệu đồng, thu hồi về đơn vị 419 triệu đồng, xử lý khác 3.569 triệu đồng.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"#;

#[test]
fn docx_body_tables_and_footnotes() {
    let bytes = docx(DOC, Some(NOTES));
    let text = extract_docx_text(&bytes).unwrap();
    assert!(text.contains("7.554 triệu đồng⁽1⁾ và đã xử lý."));
    assert!(text.contains("Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%) | ghi chú"));
    assert!(text.contains("⁽1⁾ Thu hồi 3.565 triệu đồng"));

    let dir = std::env::temp_dir().join(format!("danvan-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bao-cao.docx");
    std::fs::write(&path, &bytes).unwrap();
    let r = check_file(&path).unwrap();
    assert_eq!(r.findings.len(), 2, "{}", r.render_text(true));
    // Lines are paragraph numbers: the total is in paragraph 2, the table row is 3.
    assert_eq!(r.findings[0].line, 2);
    assert_eq!(r.findings[0].computed, "3.565 + 419 + 3.569 = 7.553");
    assert_eq!(r.findings[1].line, 3);
    assert_eq!(r.findings[1].severity, Severity::Error);

    let md = dir.join("bao-cao.md");
    std::fs::write(
        &md,
        "# Báo cáo\n\nHòa giải thành công 45/53 vụ việc (*đạt tỷ lệ 84,9%*).\n",
    )
    .unwrap();
    let r = check_file(&md).unwrap();
    assert!(r.findings.is_empty());
    assert_eq!(r.consistent.len(), 1);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn errors_are_in_vietnamese() {
    let e = check_file(std::path::Path::new("bao-cao.pdf")).unwrap_err();
    assert!(matches!(e, CheckError::UnsupportedFormat { .. }));
    assert!(e.to_string().contains("Không hỗ trợ"));
    let e = check_file(std::path::Path::new("/khong/co/tep.txt")).unwrap_err();
    assert!(e.to_string().starts_with("Không đọc được tệp"));
    let e = extract_docx_text(b"PK\x03\x04 broken").unwrap_err();
    assert!(e.to_string().starts_with("Tệp DOCX không hợp lệ"));
    let e = extract_docx_text(docx("<w:document/>", None).split_at(10).0);
    assert!(e.is_err());
}

/// The spans of a finding point into the checked text: the sentence and
/// each figure, also across lines broken at a page break.
#[test]
fn spans_point_into_the_checked_text() {
    let text = "BÁO CÁO\n\nCác xã tiếp\n\nnhận 63 đơn thư, đã giải quyết dứt điểm 52 đơn, còn 11 đơn (đạt tỷ lệ 82,53%).\n";
    let c = danvan_check::check_bytes("bao-cao.txt", text.as_bytes(), 1 << 20).unwrap();
    let f = &c.report.findings[0];
    assert_eq!(f.severity, Severity::Warning);
    let figures: Vec<&str> = f
        .figures
        .iter()
        .map(|r| &c.text[r.span.start..r.span.end])
        .collect();
    assert_eq!(figures, ["52", "63", "82,53"]);
    let sentence = &c.text[f.sentence.start..f.sentence.end];
    assert!(sentence.starts_with("Các xã tiếp"), "{sentence}");
    assert!(sentence.ends_with("(đạt tỷ lệ 82,53%)."), "{sentence}");
}

/// A DOCX whose XML expands past the limit is refused, whole.
#[test]
fn a_docx_bomb_is_refused_within_the_limit() {
    let mut xml = String::from("<w:document><w:body><w:p><w:r><w:t>");
    xml.push_str(&"a".repeat(3 << 20));
    xml.push_str("</w:t></w:r></w:p></w:body></w:document>");
    let bytes = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(xml.as_bytes()).unwrap();
        z.finish().unwrap();
        buf.into_inner()
    };
    assert!(bytes.len() < 100_000);
    let e = danvan_check::check_bytes("bom.docx", &bytes, 2 << 20).unwrap_err();
    assert!(e.to_string().contains("quá lớn để kiểm tra"), "{e}");
    assert!(danvan_check::check_bytes("bom.docx", &bytes, 4 << 20).is_ok());
    let e = danvan_check::check_bytes("bao-cao.pdf", b"%PDF", 1 << 20).unwrap_err();
    assert!(e.to_string().contains("Không hỗ trợ"));
    let e = danvan_check::check_bytes("bao-cao.txt", b"\xff\xfe", 1 << 20).unwrap_err();
    assert!(e.to_string().contains("UTF-8"));
}
