//! Text of a DOCX: body paragraphs (one per line, empty ones kept so line
//! numbers are paragraph numbers), table rows as "cell | cell", footnote
//! references as "⁽N⁾" and, after the body, each footnote on its own line
//! starting with "⁽N⁾".

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::CheckError;

/// Largest XML read from the archive by default (all parts together).
pub const MAX_EXPANDED_BYTES: u64 = 64 * 1024 * 1024;

/// Extracts the text of a DOCX file's body, tables and footnotes.
pub fn extract_docx_text(bytes: &[u8]) -> Result<String, CheckError> {
    extract_docx_text_within(bytes, MAX_EXPANDED_BYTES)
}

/// Extracts the text of a DOCX, refusing one whose XML expands past
/// `max_expanded` bytes (a zip bomb): the parts are decompressed through a
/// counter, so no more than that is ever held.
pub fn extract_docx_text_within(bytes: &[u8], max_expanded: u64) -> Result<String, CheckError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| CheckError::Docx(format!("không mở được tệp nén ({e})")))?;
    let mut budget = max_expanded;
    let document = read_part(&mut zip, "word/document.xml", &mut budget, max_expanded)?
        .ok_or_else(|| CheckError::Docx("thiếu phần word/document.xml".to_string()))?;
    let mut lines = paragraphs(&document, false)?;
    if let Some(notes) = read_part(&mut zip, "word/footnotes.xml", &mut budget, max_expanded)? {
        lines.extend(paragraphs(&notes, true)?);
    }
    Ok(lines.join("\n"))
}

fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    budget: &mut u64,
    max_expanded: u64,
) -> Result<Option<String>, CheckError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(CheckError::Docx(format!("không đọc được {name} ({e})"))),
    };
    let mut buf = Vec::new();
    file.take(*budget + 1)
        .read_to_end(&mut buf)
        .map_err(|e| CheckError::Docx(format!("không đọc được {name} ({e})")))?;
    // Past the cap the text would be cut short and its figures unchecked:
    // refused, never reported as "no error found".
    if buf.len() as u64 > *budget {
        return Err(CheckError::Docx(format!(
            "{name} giải nén ra hơn {} MB, quá lớn để kiểm tra (có thể là tệp độc hại)",
            (max_expanded >> 20).max(1)
        )));
    }
    *budget -= buf.len() as u64;
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| CheckError::Docx(format!("{name} không phải UTF-8")))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// State of the table being read (tables may nest).
#[derive(Default)]
struct Table {
    row: Vec<String>,
    cell: String,
}

/// Walks document.xml (or footnotes.xml when `footnotes`) and returns one
/// string per paragraph (per row in tables, per footnote in footnotes).
fn paragraphs(xml: &str, footnotes: bool) -> Result<Vec<String>, CheckError> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut tables: Vec<Table> = Vec::new();
    let mut note: Option<String> = None; // current footnote line
    let mut skip_note = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| CheckError::Docx(format!("XML lỗi ({e})")))?;
        match event {
            Event::Empty(e)
                if e.local_name().as_ref() == b"p"
                    && tables.is_empty()
                    && note.is_none()
                    && !skip_note =>
            {
                out.push(String::new());
            }
            Event::Start(e) | Event::Empty(e)
                if !skip_note || e.local_name().as_ref() == b"footnote" =>
            {
                match e.local_name().as_ref() {
                    b"t" => in_text = true,
                    b"tab" => para.push('\t'),
                    b"br" | b"cr" => para.push(' '),
                    b"footnoteReference" => {
                        if let Some(id) = attr(&e, "w:id") {
                            para.push_str(&format!("⁽{id}⁾"));
                        }
                    }
                    b"tbl" => tables.push(Table::default()),
                    b"tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                        }
                    }
                    b"footnote" if footnotes => {
                        let kind = attr(&e, "w:type").unwrap_or_default();
                        let id = attr(&e, "w:id").unwrap_or_default();
                        skip_note = kind == "separator"
                            || kind == "continuationSeparator"
                            || kind == "continuationNotice";
                        note = (!skip_note).then(|| format!("⁽{id}⁾"));
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text && !skip_note => {
                let s = t
                    .decode()
                    .map_err(|e| CheckError::Docx(format!("XML lỗi ({e})")))?;
                para.push_str(&s);
            }
            Event::CData(t) if in_text && !skip_note => {
                para.push_str(&String::from_utf8_lossy(&t));
            }
            Event::GeneralRef(r) if in_text && !skip_note => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else {
                    let name = r.decode().unwrap_or_default();
                    para.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" if !skip_note => {
                    let text = std::mem::take(&mut para);
                    let text = text.trim();
                    if let Some(t) = tables.last_mut() {
                        if !text.is_empty() {
                            if !t.cell.is_empty() {
                                t.cell.push(' ');
                            }
                            t.cell.push_str(text);
                        }
                    } else if let Some(n) = note.as_mut() {
                        if !text.is_empty() {
                            n.push(' ');
                            n.push_str(text);
                        }
                    } else {
                        out.push(text.to_string());
                    }
                }
                b"tc" => {
                    if let Some(t) = tables.last_mut() {
                        let cell = std::mem::take(&mut t.cell);
                        t.row.push(cell);
                    }
                }
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        let row = std::mem::take(&mut t.row).join(" | ");
                        if tables.len() > 1 {
                            // A nested table goes into the outer cell.
                            let outer = tables.len() - 2;
                            let o = &mut tables[outer];
                            if !o.cell.is_empty() {
                                o.cell.push(' ');
                            }
                            o.cell.push_str(&row);
                        } else if let Some(n) = note.as_mut() {
                            n.push(' ');
                            n.push_str(&row);
                        } else {
                            out.push(row);
                        }
                    }
                }
                b"tbl" => {
                    tables.pop();
                }
                b"footnote" => {
                    if let Some(n) = note.take() {
                        out.push(n);
                    }
                    skip_note = false;
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_paragraphs_tables_and_footnote_refs() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>Phát hiện 7.554 triệu đồng</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> &amp; xử lý.</w:t></w:r></w:p>
<w:p/>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Xã A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>12</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"#;
        let lines = paragraphs(xml, false).unwrap();
        assert_eq!(
            lines,
            vec!["Phát hiện 7.554 triệu đồng⁽1⁾ & xử lý.", "", "Xã A | 12"]
        );
        let notes = r#"<w:footnotes xmlns:w="x"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>--</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>Thu hồi 3 triệu đồng.</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        assert_eq!(
            paragraphs(notes, true).unwrap(),
            vec!["⁽1⁾ Thu hồi 3 triệu đồng."]
        );
    }

    #[test]
    fn rejects_non_zip() {
        assert!(extract_docx_text(b"not a zip").is_err());
    }
}
