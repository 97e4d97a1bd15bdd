//! The report as a DOCX that officials edit in Word, laid out as Nghị định
//! 30/2020/NĐ-CP asks of state bodies (or as the Party's rules ask of Party
//! bodies): A4; margins top and bottom 20 mm, left 30 mm, right 15 mm;
//! Times New Roman 14 pt (Word substitutes a metric-compatible font where
//! it is missing); the issuing body and number on the left, the national
//! motto (or "ĐẢNG CỘNG SẢN VIỆT NAM") with place and date on the right;
//! page numbers from page 2; recipients and signature block at the end.

use chrono::NaiveDate;

use crate::layout;
use docx_rs::{
    AlignmentType, Docx, Header, PageMargin, PageNum, Paragraph, Run, RunFonts, SpecialIndentType,
    Table, TableBorders, TableCell, TableRow, WidthType,
};

/// The blocks around the body that the state format requires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Letterhead {
    /// Party body (ĐẢNG CỘNG SẢN VIỆT NAM) rather than a state body.
    pub party: bool,
    /// The superior body, if written above the issuer ("UBND TỈNH LÂM ĐỒNG").
    pub superior: Option<String>,
    /// The issuing body, upper case ("UBND HUYỆN ĐAM RÔNG").
    pub issuer: String,
    /// "Số: 552/BC-UBND" (state) or "Số 111-BC/TU" (Party).
    pub number: String,
    pub place: String,
    pub date: NaiveDate,
    /// "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "T/M BAN THƯỜNG VỤ".
    pub on_behalf: String,
    /// "CHỦ TỊCH".
    pub signer_title: String,
    pub signer_name: String,
    pub recipients: Vec<String>,
}

impl Letterhead {
    /// "Đam Rông, ngày 05 tháng 01 năm 2020".
    pub fn dated(&self) -> String {
        format!(
            "{}, {}",
            self.place,
            self.date.format("ngày %d tháng %m năm %Y")
        )
    }
}

/// A4 in twentieths of a point, and the margins in twips (1 mm ≈ 56,7).
pub const PAGE_W: u32 = 11906;
pub const PAGE_H: u32 = 16838;
pub const MARGIN_TOP: i32 = 1134; // 20 mm
pub const MARGIN_BOTTOM: i32 = 1134; // 20 mm
pub const MARGIN_LEFT: i32 = 1701; // 30 mm
pub const MARGIN_RIGHT: i32 = 850; // 15 mm
pub const FONT: &str = "Times New Roman";
/// 14 pt body, 13 pt header blocks (half-points).
const BODY: usize = 28;
const SMALL: usize = 26;

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(size).fonts(
        RunFonts::new()
            .ascii(FONT)
            .hi_ansi(FONT)
            .cs(FONT)
            .east_asia(FONT),
    )
}

fn centered(text: &str, size: usize, bold: bool, italic: bool) -> Paragraph {
    let mut r = run(text, size);
    if bold {
        r = r.bold();
    }
    if italic {
        r = r.italic();
    }
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

fn cell(paras: Vec<Paragraph>, width: usize) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for p in paras {
        c = c.add_paragraph(p);
    }
    c
}

/// Left: issuer and number; right: motto, place and date.
fn header_block(l: &Letterhead) -> Table {
    let mut left = Vec::new();
    if let Some(s) = &l.superior {
        left.push(centered(s, SMALL, false, false));
    }
    for line in l.issuer.lines() {
        left.push(centered(line, SMALL, true, false));
    }
    if l.party {
        left.push(centered("*", SMALL, false, false));
    } else {
        left.push(centered("_______", SMALL, false, false));
    }
    left.push(centered(&l.number, SMALL, false, false));
    let date = l.dated();
    let right = if l.party {
        vec![
            centered("ĐẢNG CỘNG SẢN VIỆT NAM", BODY, true, false),
            centered("_______________", SMALL, false, false),
            centered(&date, BODY, false, true),
        ]
    } else {
        vec![
            centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SMALL, true, false),
            centered("Độc lập - Tự do - Hạnh phúc", BODY, true, false),
            centered("_______________", SMALL, false, false),
            centered(&date, BODY, false, true),
        ]
    };
    Table::new(vec![TableRow::new(vec![
        cell(left, 3600),
        cell(right, 5755),
    ])])
    .set_grid(vec![3600, 5755])
    .width(9355, WidthType::Dxa)
    .set_borders(TableBorders::with_empty())
}

/// Recipients on the left, signature on the right.
fn footer_block(l: &Letterhead) -> Table {
    let mut left = vec![Paragraph::new().add_run(run("Nơi nhận:", 24).bold().italic())];
    for r in &l.recipients {
        left.push(Paragraph::new().add_run(run(&format!("- {r}"), 22)));
    }
    let right = vec![
        centered(&l.on_behalf, BODY, true, false),
        centered(&l.signer_title, BODY, true, false),
        centered("", BODY, false, false),
        centered("", BODY, false, false),
        centered("", BODY, false, false),
        centered(&l.signer_name, BODY, true, false),
    ];
    Table::new(vec![TableRow::new(vec![
        cell(left, 4677),
        cell(right, 4678),
    ])])
    .set_grid(vec![4677, 4678])
    .width(9355, WidthType::Dxa)
    .set_borders(TableBorders::with_empty())
}

/// Build the DOCX bytes of a report text under a letterhead.
pub fn render(text: &str, l: &Letterhead) -> Vec<u8> {
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(567)
                .footer(567),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(BODY)
        // Page numbers from page 2: an empty first-page header.
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .add_page_num(PageNum::new())
                    .align(AlignmentType::Center),
            ),
        )
        .first_header(Header::new())
        .title_pg()
        .add_table(header_block(l));
    let parsed = layout::parse(text);
    if let Some(title) = &parsed.title {
        doc = doc
            .add_paragraph(centered("", BODY, false, false))
            .add_paragraph(centered(&title.kind, BODY, true, false));
        if !title.subject.is_empty() {
            doc = doc.add_paragraph(centered(&title.subject, BODY, true, false));
        }
        doc = doc.add_paragraph(centered("_______________", SMALL, false, false));
    }
    for p in &parsed.paragraphs {
        let r = if p.heading {
            run(&p.text, BODY).bold()
        } else {
            run(&p.text, BODY)
        };
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(r)
                .align(AlignmentType::Both)
                .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None),
        );
    }
    doc = doc
        .add_paragraph(Paragraph::new())
        .add_table(footer_block(l));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .expect("writing to memory cannot fail");
    out.into_inner()
}
