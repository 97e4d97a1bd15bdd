//! The DOCX follows the state format: read it back and check the page,
//! margins, fonts, header blocks and page numbering; and LibreOffice opens
//! it without repair (converts it to PDF).

use std::io::Read;

use danvan_testkit::report::letterhead;

use danvan_report::docx;

const TEXT: &str = "BÁO CÁO\nKết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2020\n\nI. KẾT QUẢ\nĐã tiếp 70 lượt.\n\n---\nKiểm tra số liệu: mọi quy tắc kiểm tra đều đạt.\n";

fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    z.by_name(name).expect(name).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn page_margins_fonts_and_header_blocks_follow_the_state_format() {
    let bytes = docx::render(TEXT, &letterhead(false));
    let doc = part(&bytes, "word/document.xml");
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for m in [
        r#"w:top="1134""#,
        r#"w:bottom="1134""#,
        r#"w:left="1701""#,
        r#"w:right="850""#,
    ] {
        assert!(doc.contains(m), "margin {m}");
    }
    assert!(doc.contains("Times New Roman"));
    assert!(doc.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(doc.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(doc.contains("Số: 552/BC-UBND"));
    assert!(doc.contains("Đam Rông, ngày 05 tháng 01 năm 2020"));
    assert!(doc.contains("Nơi nhận:") && doc.contains("TM. ỦY BAN NHÂN DÂN"));
    assert!(doc.contains("Đã tiếp 70 lượt."));
    assert!(
        !doc.contains("Kiểm tra số liệu"),
        "validation results stay out of the document"
    );
    // Page numbers from page 2: a distinct, empty first-page header.
    assert!(doc.contains("<w:titlePg"), "title page");
    let headers: Vec<String> = (1..=3)
        .filter_map(|i| {
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).ok()?;
            let mut s = String::new();
            z.by_name(&format!("word/header{i}.xml"))
                .ok()?
                .read_to_string(&mut s)
                .ok()?;
            Some(s)
        })
        .collect();
    assert!(
        headers.iter().any(|h| h.contains("PAGE")),
        "a header with the page number"
    );
    let styles = part(&bytes, "word/styles.xml");
    assert!(styles.contains("Times New Roman"));

    let party = part(&docx::render(TEXT, &letterhead(true)), "word/document.xml");
    assert!(party.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && party.contains("Số 111-BC/TU"));
    assert!(!party.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

#[test]
fn libreoffice_opens_the_docx() {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var("DANVAN_REQUIRE_LIBREOFFICE").is_err(),
            "DANVAN_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed"
        );
        eprintln!("BỎ QUA: chưa cài LibreOffice (soffice)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("danvan-docx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bao-cao.docx");
    std::fs::write(&file, docx::render(TEXT, &letterhead(false))).unwrap();
    let o = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = std::fs::read(dir.join("bao-cao.pdf")).expect("a PDF was written");
    assert!(pdf.starts_with(b"%PDF"));
    let _ = std::fs::remove_dir_all(&dir);
}
