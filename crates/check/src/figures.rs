//! Finds the figures in a paragraph: counts with their unit ("75 đơn"),
//! percentages ("98,1%") and fractions ("45/53 vụ việc"), and leaves alone
//! what only looks like a figure: dates ("26/5/2020", "14-7-2015"), years,
//! ranges ("2020-2025"), document numbers ("1027-CV/BDVTU", "57/KH-UBND",
//! "số 08"), names ("Covid-19", "30a").

use crate::number::{Dec, parse_vn};
use crate::units::unit_of;
use crate::vocab::is_reference_intro;

/// A figure found in a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it is.
    pub kind: FigKind,
    /// Byte offset of its first digit.
    pub start: usize,
    /// Byte offset just after its last digit (or "%").
    pub end: usize,
    /// Byte offset just after the unit words (equals `end` without a unit).
    pub unit_end: usize,
    /// Byte offset just after the (first) number: before "%" or "/".
    pub num_end: usize,
    /// For a fraction, where its denominator starts (else `end`).
    pub den_start: usize,
    /// The words after the figure, lower case (its unit, or a label).
    pub words: String,
    /// A count of 1.000 or more written without the dot between thousands.
    pub undotted: bool,
    /// Written right after a closing bracket and a slash: "176 đơn (…)/221
    /// đơn" gives 221 this mark, the denominator of the count before "(".
    pub slash_after_bracket: bool,
}

/// The kinds of figure.
#[derive(Debug, Clone, PartialEq)]
pub enum FigKind {
    /// "75 đơn": a value and its unit of count.
    Count {
        /// The value.
        value: Dec,
        /// Canonical unit ("don", "ho so"), `None` when no unit of count
        /// follows (nothing, or a label such as "khiếu nại").
        unit: Option<String>,
    },
    /// "98,1%".
    Percent {
        /// The value in percent.
        value: Dec,
    },
    /// "45/53 vụ việc".
    Fraction {
        /// Numerator.
        num: Dec,
        /// Denominator.
        den: Dec,
        /// Canonical unit of count.
        unit: Option<String>,
    },
}

impl Figure {
    /// The unit of a count or fraction.
    pub fn unit(&self) -> Option<&str> {
        match &self.kind {
            FigKind::Count { unit, .. } | FigKind::Fraction { unit, .. } => unit.as_deref(),
            FigKind::Percent { .. } => None,
        }
    }

    /// Byte ranges of the numbers written: one, or numerator and
    /// denominator of a fraction.
    pub fn spans(&self) -> Vec<(usize, usize)> {
        match self.kind {
            FigKind::Fraction { .. } => {
                vec![(self.start, self.num_end), (self.den_start, self.end)]
            }
            _ => vec![(self.start, self.num_end)],
        }
    }

    /// The value of a count.
    pub fn count(&self) -> Option<Dec> {
        match self.kind {
            FigKind::Count { value, .. } => Some(value),
            _ => None,
        }
    }
}

fn is_digit_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// Extent of a number token starting at `i`: digits, ".ddd" groups, ",d+".
fn number_end(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while is_digit_at(b, j) {
        j += 1;
    }
    loop {
        if b.get(j) == Some(&b'.')
            && is_digit_at(b, j + 1)
            && is_digit_at(b, j + 2)
            && is_digit_at(b, j + 3)
            && !is_digit_at(b, j + 4)
        {
            j += 4;
        } else {
            break;
        }
    }
    if b.get(j) == Some(&b',') && is_digit_at(b, j + 1) {
        let mut k = j + 1;
        while is_digit_at(b, k) {
            k += 1;
        }
        j = k;
    }
    j
}

fn char_before(text: &str, i: usize) -> Option<char> {
    text.get(..i).and_then(|s| s.chars().next_back())
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

/// Skips spaces from `i`.
fn skip_spaces(text: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(text, i) {
        if c == ' ' || c == '\t' || c == '\u{a0}' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Skips an identifier-like run (letters, digits, "/", "-", ".") from `i`.
fn skip_token(text: &str, mut i: usize) -> usize {
    while let Some(c) = char_at(text, i) {
        if c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '–' | '_') {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// Reads up to three lower-case words after a number (its unit).
/// Returns (the words, byte offset after them).
fn read_unit(text: &str, from: usize) -> (String, usize) {
    let mut i = skip_spaces(text, from);
    // Markdown emphasis or quotes may sit between number and unit.
    while let Some(c) = char_at(text, i) {
        if c == '*' || c == '_' {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    let mut words = Vec::new();
    let mut end = from;
    for _ in 0..3 {
        let ws = skip_spaces(text, i);
        let Some(c) = char_at(text, ws) else { break };
        if !c.is_lowercase() {
            break;
        }
        let mut j = ws;
        while let Some(c) = char_at(text, j) {
            if c.is_alphabetic() {
                j += c.len_utf8();
            } else {
                break;
            }
        }
        if j == ws {
            break;
        }
        let word = text[ws..j].to_lowercase();
        if is_unit_stop(&text[ws..j]) {
            break;
        }
        words.push(word);
        end = j;
        i = j;
        // A unit ends at punctuation.
        if char_at(text, j).is_some_and(|c| c != ' ') {
            break;
        }
    }
    (words.join(" "), end)
}

/// Words that end a unit: "7.554 triệu đồng và …", "59 đơn thuộc …".
fn is_unit_stop(word: &str) -> bool {
    matches!(
        word,
        "và" | "với"
            | "của"
            | "cho"
            | "trong"
            | "tại"
            | "đã"
            | "được"
            | "là"
            | "thuộc"
            | "theo"
            | "so"
            | "đạt"
            | "chiếm"
            | "từ"
            | "đến"
            | "gồm"
            | "còn"
            | "có"
            | "đang"
            | "hoặc"
            | "nhưng"
            | "để"
            | "do"
            | "bị"
            | "trên"
            | "về"
            | "ở"
    )
}

/// The word right before `pos`, lower-cased but with its diacritics, so
/// that "số" (number) and "sở" (department) stay apart.
fn word_before(text: &str, pos: usize) -> String {
    let head = text.get(..pos).unwrap_or("");
    let trimmed = head.trim_end_matches(|c: char| c.is_whitespace());
    let start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(k, c)| k + c.len_utf8());
    trimmed[start..].to_lowercase()
}

/// "tổng số 1.598 hồ sơ": "số" after "tổng" counts, it does not number.
fn counted(text: &str, start: usize) -> bool {
    let head = text.get(..start).unwrap_or("").trim_end();
    let words: Vec<String> = head
        .split_whitespace()
        .rev()
        .take(2)
        .map(str::to_lowercase)
        .collect();
    words.len() == 2 && words[0] == "số" && words[1] == "tổng"
}

/// A whole number of four digits or more written without the dots that
/// group thousands ("1377").
fn undotted(token: &str) -> bool {
    let int = token.split(',').next().unwrap_or("");
    int.len() >= 4 && int.bytes().all(|b| b.is_ascii_digit())
}

fn is_year(token: &str) -> bool {
    token.len() == 4
        && token.bytes().all(|b| b.is_ascii_digit())
        && token
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y))
}

/// Scans a paragraph for figures. Never panics, whatever the input.
pub fn scan(text: &str) -> Vec<Figure> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let end = number_end(b, i);
        i = end.max(i + 1);
        let mut slash_after_bracket = false;
        // What comes right before.
        if let Some(p) = char_before(text, start) {
            if p.is_alphanumeric() || p == '.' || p == ',' {
                i = skip_token(text, start);
                continue;
            }
            if p == '/' && char_before(text, start - 1) == Some(')') {
                slash_after_bracket = true;
            } else if p == '-' || p == '/' || p == '–' {
                let pp = char_before(text, start - p.len_utf8());
                // "Covid-19", "1027-CV/12": part of a name or reference.
                // "lượt/48 người" is the second half of a pair and is a count.
                let pair = p == '/' && pp.is_some_and(|c| c.is_lowercase());
                if !pair && pp.is_some_and(|c| !c.is_whitespace()) {
                    i = skip_token(text, start);
                    continue;
                }
            }
        }
        let token = &text[start..end];
        let Some(value) = parse_vn(token) else {
            i = skip_token(text, start);
            continue;
        };
        let before = word_before(text, start);
        // What comes right after.
        let after = char_at(text, end);
        if after.is_some_and(|c| c.is_alphabetic() || c == '_') {
            i = skip_token(text, start);
            continue;
        }
        let k = skip_spaces(text, end);
        let next = char_at(text, k);
        if next == Some('%') {
            let pend = k + 1;
            out.push(Figure {
                kind: FigKind::Percent { value },
                start,
                end: pend,
                unit_end: pend,
                num_end: end,
                den_start: pend,
                words: String::new(),
                undotted: false,
                slash_after_bracket: false,
            });
            i = pend;
            continue;
        }
        if matches!(next, Some('-' | '/' | '–')) {
            let sep = next.map(char::len_utf8).unwrap_or(1);
            let k2 = skip_spaces(text, k + sep);
            let n2 = char_at(text, k2);
            if n2.is_some_and(|c| c.is_alphabetic()) {
                // "1027-CV/BDVTU", "57/KH-UBND", "114- KL/TW".
                i = skip_token(text, k2);
                continue;
            }
            if next == Some('/') && k == end && is_digit_at(b, k + 1) {
                let start2 = k + 1;
                let end2 = number_end(b, start2);
                let after2 = char_at(text, end2);
                let token2 = &text[start2..end2];
                let dated = matches!(after2, Some('/' | '-'))
                    || after2.is_some_and(char::is_alphanumeric)
                    || is_year(token2)
                    || is_reference_intro(&before);
                if dated {
                    i = skip_token(text, start);
                    continue;
                }
                let Some(den) = parse_vn(token2) else {
                    i = skip_token(text, start);
                    continue;
                };
                let (words, unit_end) = read_unit(text, end2);
                out.push(Figure {
                    kind: FigKind::Fraction {
                        num: value,
                        den,
                        unit: unit_of(&words),
                    },
                    start,
                    end: end2,
                    unit_end: unit_end.max(end2),
                    num_end: end,
                    den_start: start2,
                    undotted: undotted(token) || undotted(token2),
                    words,
                    slash_after_bracket: false,
                });
                i = end2;
                continue;
            }
            if n2.is_some_and(|c| c.is_ascii_digit()) {
                // Dates "14-7-2015", ranges "2020-2025", "2021 - 2023".
                let mut j = skip_token(text, k2);
                if next == Some('/') {
                    j = skip_token(text, start);
                }
                i = j.max(end);
                continue;
            }
        }
        if is_reference_intro(&before) && !counted(text, start) {
            continue;
        }
        let (words, unit_end) = read_unit(text, end);
        let unit = unit_of(&words);
        // "năm 2020", "2020 các ngành": a year; "2071 mô hình": a count
        // written without its dot.
        if is_year(token) && unit.is_none() {
            continue;
        }
        out.push(Figure {
            kind: FigKind::Count { value, unit },
            start,
            end,
            unit_end: unit_end.max(end),
            num_end: end,
            den_start: end,
            undotted: undotted(token),
            words,
            slash_after_bracket,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<String> {
        scan(t)
            .iter()
            .map(|f| match &f.kind {
                FigKind::Count { value, unit } => {
                    format!("{} {}", value.to_vn(), unit.clone().unwrap_or_default())
                }
                FigKind::Percent { value } => format!("{}%", value.to_vn()),
                FigKind::Fraction { num, den, unit } => format!(
                    "{}/{} {}",
                    num.to_vn(),
                    den.to_vn(),
                    unit.clone().unwrap_or_default()
                ),
            })
            .collect()
    }

    #[test]
    fn finds_counts_rates_and_fractions() {
        assert_eq!(
            kinds("tiếp nhận 1.022 hồ sơ (đạt tỷ lệ 98,1%); 45/53 vụ việc"),
            vec!["1.022 ho so", "98,1%", "45/53 vu"]
        );
        assert_eq!(
            kinds("UBND huyện tiếp 32 lượt/48 người"),
            vec!["32 luot", "48 nguoi"]
        );
        assert_eq!(kinds("đã giải quyết được 04/07 vụ việc"), vec!["4/7 vu"]);
        assert_eq!(
            kinds("phát hiện 3.565 triệu đồng"),
            vec!["3.565 trieu dong"]
        );
    }

    #[test]
    fn leaves_references_and_dates_alone() {
        assert!(kinds("Công văn số 1027-CV/BDVTU, ngày 26/5/2020 của Ban").is_empty());
        assert!(kinds("Kế hoạch số 57/KH-UBND, ngày 19/4/2020").is_empty());
        assert!(kinds("Kết luận số 114- KL/TW, ngày 14-7-2015").is_empty());
        assert!(kinds("dịch Covid-19 năm 2020, nhiệm kỳ 2020-2025").is_empty());
        assert!(kinds("Chương trình 30a; Công văn số 1276 /UBND-KGVX").is_empty());
        assert!(kinds("Quyết định 33/2015/QĐ-TTg, tháng 6/2020, (2021 - 2023)").is_empty());
        assert!(kinds("ngày 04/07 họp").is_empty());
    }
}
