use super::*;

fn workbook(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, v) in cells {
        ws.write_string(*r, *c, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn csv_of(name: &str, bytes: Vec<u8>) -> Result<String, DomainError> {
    to_csv(name, bytes, &Limits::default()).map(|b| String::from_utf8(b).unwrap())
}

#[test]
fn encodings_become_utf8() {
    assert_eq!(to_utf8("Mã,x\n".as_bytes().to_vec()), "Mã,x\n".as_bytes());
    // "Câu" in Windows-1258.
    assert_eq!(to_utf8(b"C\xE2u,x\n".to_vec()), "Câu,x\n".as_bytes());
    assert_eq!(to_utf8(b"\xFF\xFEM\0\xE3\0".to_vec()), "Mã".as_bytes());
    assert_eq!(text_encoding("Mã hồ sơ".as_bytes()), None);
    assert_eq!(text_encoding(b"\xEF\xBB\xBFcode"), None);
    assert_eq!(
        text_encoding(b"\xFF\xFEc\0o\0"),
        Some(encoding_rs::UTF_16LE)
    );
    assert_eq!(
        text_encoding(b"M\xE3 h\xF4"),
        Some(encoding_rs::WINDOWS_1258)
    );
    // A character cut at the end of the sample is still UTF-8.
    assert_eq!(text_encoding(&"hồ".as_bytes()[..2]), None);
}

#[test]
fn formats_by_name() {
    assert_eq!(Format::of("so lieu.XLSX").unwrap(), Format::Xlsx);
    assert_eq!(Format::of("a.xlsb").unwrap(), Format::Xlsb);
    assert_eq!(Format::of("don.csv").unwrap(), Format::Text);
    let e = Format::of("cu.xls").unwrap_err();
    assert!(e.message.contains("lưu lại thành .xlsx"), "{e}");
    assert!(Format::of("b.ods").is_err());
}

#[test]
fn a_sheet_becomes_csv_with_its_row_numbers() {
    let wb = workbook(&[
        (0, 0, "unit"),
        (0, 1, "note"),
        (1, 0, "Đạ Tông"),
        (4, 1, "cuối"),
    ]);
    assert_eq!(
        csv_of("a.xlsx", wb).unwrap(),
        "unit,note\nĐạ Tông\n\"\"\n\"\"\n,cuối\n"
    );
}

#[test]
fn a_used_range_of_the_whole_sheet_is_refused_by_name() {
    let bomb = workbook(&[(0, 0, "unit"), (1_048_575, 16_383, "x")]);
    assert!(bomb.len() < 16 * 1024);
    let e = csv_of("bom.xlsx", bomb).unwrap_err();
    assert_eq!(e.code, "input.too_large");
    assert!(e.message.contains("XFD1048576"), "{e}");
    // Far down but within the columns: blank rows cost a line each, and
    // the row limit still holds.
    let tall = workbook(&[(0, 0, "unit"), (1_048_575, 0, "x")]);
    let limits = Limits {
        rows: 1000,
        ..Limits::default()
    };
    let e = to_csv("cao.xlsx", tall, &limits).unwrap_err();
    assert!(e.message.contains("A1048576"), "{e}");
}

#[test]
fn expansion_and_cell_count_are_bounded() {
    let wb = workbook(&[(0, 0, "unit"), (1, 0, "a"), (2, 0, "b")]);
    let tight = Limits {
        expanded_bytes: 1000,
        ..Limits::default()
    };
    let e = to_csv("nen.xlsx", wb.clone(), &tight).unwrap_err();
    assert!(e.message.contains("giải nén"), "{e}");
    let few = Limits {
        cells: 2,
        ..Limits::default()
    };
    let e = to_csv("nhieu.xlsx", wb, &few).unwrap_err();
    assert!(e.message.contains("hơn 2 ô"), "{e}");
}

#[test]
fn the_header_must_be_in_row_one() {
    let wb = workbook(&[(2, 0, "unit")]);
    let e = csv_of("x.xlsx", wb).unwrap_err();
    assert!(e.message.contains("dòng 3"), "{e}");
}

#[test]
fn a_broken_spreadsheet_is_named() {
    let e = csv_of("x.xlsx", b"not a workbook".to_vec()).unwrap_err();
    assert!(e.message.contains("không mở được bảng tính x.xlsx"), "{e}");
}

#[test]
fn cells_read_as_the_importers_parse_them() {
    use calamine::DataRef;
    assert_eq!(cell_text(&DataRef::Float(24853.0)), "24853");
    assert_eq!(cell_text(&DataRef::Float(2.5)), "2.5");
    assert_eq!(cell_text(&DataRef::Bool(true)), "có");
    assert_eq!(cell_text(&DataRef::Bool(false)), "không");
    assert_eq!(cell_text(&DataRef::SharedString("HS-1")), "HS-1");
    assert_eq!(cell_text(&DataRef::Empty), "");
}
