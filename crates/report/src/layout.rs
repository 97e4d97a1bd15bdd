//! The structure of a report's text, read once and laid out by every
//! renderer (DOCX, PDF) alike, so that the formats cannot disagree about
//! what the title is, which lines are headings, or where the body ends.

use serde::Serialize;

/// A report's printable part: the title and the body paragraphs. The
/// validation results after the `---` line are for the officer who writes
/// the report, not for the document that goes out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Document {
    /// "BÁO CÁO" and the line after it, when the text opens with them.
    pub title: Option<Title>,
    pub paragraphs: Vec<Paragraph>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Title {
    /// "BÁO CÁO".
    pub kind: String,
    /// "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2020";
    /// empty when the text ends after the kind.
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub text: String,
    /// A section heading ("I. KẾT QUẢ"), set in bold.
    pub heading: bool,
}

/// "I.", "II.", "IV." open a section heading.
fn is_heading(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    let numeral = first.strip_suffix('.').unwrap_or("");
    !numeral.is_empty() && numeral.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// Read a report text: skip leading blank lines, take the title if the text
/// opens with "BÁO CÁO", then one paragraph per non-blank line up to `---`.
pub fn parse(text: &str) -> Document {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty()).peekable();
    let mut doc = Document::default();
    if lines.peek().is_some_and(|l| l.trim() == "BÁO CÁO") {
        lines.next();
        doc.title = Some(Title {
            kind: "BÁO CÁO".into(),
            subject: lines
                .next()
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
        });
    }
    for line in lines {
        let t = line.trim();
        if t == "---" {
            break;
        }
        if t.is_empty() {
            continue;
        }
        doc.paragraphs.push(Paragraph {
            text: t.to_string(),
            heading: is_heading(t),
        });
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_headings_and_body_end_at_the_validation_results() {
        let d = parse(
            "\n\nBÁO CÁO\nKết quả 6 tháng\n\nI. KẾT QUẢ\n3. Công tác cải cách.\nĐã tiếp 70 lượt.\n\n---\nKiểm tra số liệu: đạt.\n",
        );
        let t = d.title.unwrap();
        assert_eq!(
            (t.kind.as_str(), t.subject.as_str()),
            ("BÁO CÁO", "Kết quả 6 tháng")
        );
        let p: Vec<(&str, bool)> = d
            .paragraphs
            .iter()
            .map(|p| (p.text.as_str(), p.heading))
            .collect();
        assert_eq!(
            p,
            [
                ("I. KẾT QUẢ", true),
                ("3. Công tác cải cách.", false),
                ("Đã tiếp 70 lượt.", false)
            ]
        );
    }

    #[test]
    fn roman_numerals_only_make_headings() {
        assert!(is_heading("IV. NHIỆM VỤ"));
        assert!(!is_heading("Ví dụ. Không phải"));
        assert!(!is_heading(". trống"));
        assert!(!is_heading("I"));
        assert!(!is_heading(""));
    }

    #[test]
    fn a_text_without_a_title_is_all_body() {
        let d = parse("Một dòng.\nHai dòng.");
        assert!(d.title.is_none());
        assert_eq!(d.paragraphs.len(), 2);
    }
}
