//! Cuts a report's text into paragraphs, footnotes and sentences, keeping
//! the line number of every byte so findings can point back to the source.
//!
//! Plain-text exports of Word files break paragraphs in odd places: at page
//! breaks (the next line goes on in lower case) and at footnote anchors (the
//! next line starts with the punctuation that followed the anchor). In text
//! mode such lines are joined again; a join at punctuation is remembered as
//! an unnumbered footnote anchor.

/// A logical paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    /// The text, physical lines joined by a space.
    pub text: String,
    /// (byte offset in `text`, 1-based source line, byte offset in the
    /// source) for each joined line.
    line_starts: Vec<(usize, usize, usize)>,
    /// Body text or footnote.
    pub kind: ParaKind,
    /// Footnote anchors found in the text (body paragraphs only).
    pub anchors: Vec<Anchor>,
    /// Starts with a list marker ("+", "-", "•", "*").
    pub bullet: bool,
    /// Sentence byte ranges.
    pub sentences: Vec<(usize, usize)>,
}

/// What a paragraph is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParaKind {
    /// Body text (including table rows).
    Body,
    /// A footnote; `label` is its number when the text shows one.
    Footnote {
        /// "3" for "⁽³⁾ …"; `None` for an unnumbered footnote.
        label: Option<String>,
    },
}

/// Where a footnote is referenced from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Byte offset in the paragraph text.
    pub pos: usize,
    /// The footnote number, when written.
    pub label: Option<String>,
}

impl Para {
    /// Source line of a byte offset.
    pub fn line_at(&self, pos: usize) -> usize {
        let i = self
            .line_starts
            .partition_point(|&(off, _, _)| off <= pos)
            .saturating_sub(1);
        self.line_starts.get(i).map_or(1, |l| l.1)
    }

    /// Byte offset in the source text of byte `pos` of the paragraph.
    pub fn source_at(&self, pos: usize) -> usize {
        let i = self
            .line_starts
            .partition_point(|&(off, _, _)| off <= pos)
            .saturating_sub(1);
        self.line_starts
            .get(i)
            .map_or(pos, |&(off, _, src)| src + pos.saturating_sub(off))
    }

    /// Index of the sentence containing `pos`.
    pub fn sentence_of(&self, pos: usize) -> usize {
        // Sentences are contiguous and sorted: the last one starting at or
        // before `pos`.
        self.sentences
            .partition_point(|&(s, _)| s <= pos)
            .saturating_sub(1)
    }

    /// Whether this paragraph is a footnote.
    pub fn is_footnote(&self) -> bool {
        matches!(self.kind, ParaKind::Footnote { .. })
    }
}

const SUPERSCRIPT_DIGITS: &[char] = &['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn superscript_value(c: char) -> Option<char> {
    SUPERSCRIPT_DIGITS
        .iter()
        .position(|&d| d == c)
        .and_then(|i| char::from_digit(i as u32, 10))
}

/// If `s` starts with a footnote marker, returns (label, marker byte length).
/// Markers: "⁽12⁾", "¹²", "[^12]:", and U+FFFD (label unknown).
fn leading_marker(s: &str) -> Option<(Option<String>, usize)> {
    let mut chars = s.char_indices();
    let (_, c0) = chars.next()?;
    if c0 == '\u{FFFD}' {
        return Some((None, c0.len_utf8()));
    }
    if c0 == '⁽' {
        let mut label = String::new();
        for (i, c) in chars {
            if let Some(d) = superscript_value(c) {
                label.push(d);
            } else if c.is_ascii_digit() {
                label.push(c);
            } else if c == '⁾' && !label.is_empty() {
                return Some((Some(label), i + c.len_utf8()));
            } else {
                return None;
            }
        }
        return None;
    }
    if superscript_value(c0).is_some() {
        let mut label = String::new();
        let mut end = 0;
        for (i, c) in s.char_indices() {
            match superscript_value(c) {
                Some(d) => {
                    label.push(d);
                    end = i + c.len_utf8();
                }
                None => break,
            }
        }
        return Some((Some(label), end));
    }
    if let Some(rest) = s.strip_prefix("[^") {
        let close = rest.find("]:")?;
        let label = &rest[..close];
        if !label.is_empty() && label.len() < 10 {
            return Some((Some(label.to_string()), 2 + close + 2));
        }
    }
    None
}

/// Anchors written inside body text.
fn inline_anchors(text: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let attached = prev.is_some_and(|p| !p.is_whitespace());
        if c == '\u{FFFD}' && attached {
            out.push(Anchor {
                pos: i,
                label: None,
            });
        } else if (c == '⁽' || superscript_value(c).is_some()) && attached {
            if let Some((label, _)) = leading_marker(&text[i..]) {
                out.push(Anchor { pos: i, label });
                // Skip the rest of this marker.
                while let Some(&(_, n)) = iter.peek() {
                    if n == '⁾' || superscript_value(n).is_some() || n.is_ascii_digit() {
                        iter.next();
                        if n == '⁾' {
                            break;
                        }
                    } else {
                        break;
                    }
                }
            }
        } else if c == '['
            && text[i..].starts_with("[^")
            && let Some(close) = text[i..].find(']')
        {
            let label = &text[i + 2..i + close];
            if !label.is_empty() && label.len() < 10 && !text[i + close..].starts_with("]:") {
                out.push(Anchor {
                    pos: i,
                    label: Some(label.to_string()),
                });
            }
        }
        prev = Some(c);
    }
    out
}

fn is_bullet(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some('+' | '-' | '•' | '–' | '*') => chars.next().is_some_and(char::is_whitespace),
        _ => false,
    }
}

fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | ';'))
}

fn is_numbered_heading(s: &str) -> bool {
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() {
        return false;
    }
    let rest = &s[digits.len()..];
    rest.starts_with(". ")
        || rest.starts_with(") ")
        || rest.starts_with('.') && {
            let r = rest.trim_start_matches(['.', ' ']);
            r.chars().next().is_some_and(|c| c.is_ascii_digit())
        }
}

enum Join {
    No,
    Space,
    Anchor,
}

fn join_kind(prev: &str, next: &str) -> Join {
    let Some(c) = next.chars().next() else {
        return Join::No;
    };
    if matches!(c, ',' | '.' | ';' | ':' | ')') {
        return Join::Anchor;
    }
    if ends_sentence(prev) {
        return Join::No;
    }
    let prev_last = prev.trim_end().chars().last();
    if c.is_lowercase() {
        return Join::Space;
    }
    if c.is_ascii_digit()
        && !is_numbered_heading(next)
        && prev_last.is_some_and(|p| p.is_lowercase())
    {
        return Join::Space;
    }
    Join::No
}

struct Builder {
    text: String,
    line_starts: Vec<(usize, usize, usize)>,
    anchors: Vec<Anchor>,
    kind: ParaKind,
}

impl Builder {
    fn new(line: &str, line_no: usize, src: usize, kind: ParaKind) -> Builder {
        Builder {
            text: line.to_string(),
            line_starts: vec![(0, line_no, src)],
            anchors: Vec::new(),
            kind,
        }
    }

    fn finish(self) -> Para {
        let mut anchors = self.anchors;
        if self.kind == ParaKind::Body {
            anchors.extend(inline_anchors(&self.text));
            anchors.sort_by_key(|a| a.pos);
        }
        let sentences = split_sentences(&self.text);
        Para {
            bullet: is_bullet(&self.text),
            text: self.text,
            line_starts: self.line_starts,
            kind: self.kind,
            anchors,
            sentences,
        }
    }
}

/// Splits a report into paragraphs. With `join_lines` (plain text), lines
/// broken at page breaks or footnote anchors are joined back together.
pub fn segment(input: &str, join_lines: bool) -> Vec<Para> {
    let mut done: Vec<(usize, Para)> = Vec::new();
    let mut open: Option<Builder> = None;
    let mut raw_start = 0;
    for (idx, raw) in input.split('\n').enumerate() {
        let line_no = idx + 1;
        let this_start = raw_start;
        raw_start += raw.len() + 1;
        let line = raw.trim_end_matches('\r').trim_end();
        let lead = line.len() - line.trim_start().len();
        let line = line.trim_start();
        let (line, bom) = match line.strip_prefix('\u{FEFF}') {
            Some(l) => (l, '\u{FEFF}'.len_utf8()),
            None => (line, 0),
        };
        let src = this_start + lead + bom;
        if line.is_empty() {
            continue;
        }
        if let Some((label, _)) = leading_marker(line) {
            let b = Builder::new(line, line_no, src, ParaKind::Footnote { label });
            done.push((line_no, b.finish()));
            continue;
        }
        if let Some(b) = open.as_mut()
            && join_lines
        {
            match join_kind(&b.text, line) {
                Join::Anchor => {
                    let pos = b.text.len();
                    b.anchors.push(Anchor { pos, label: None });
                    b.line_starts.push((pos, line_no, src));
                    b.text.push_str(line);
                    continue;
                }
                Join::Space => {
                    b.text.push(' ');
                    let pos = b.text.len();
                    b.line_starts.push((pos, line_no, src));
                    b.text.push_str(line);
                    continue;
                }
                Join::No => {}
            }
        }
        if let Some(b) = open.take() {
            let first = b.line_starts[0].1;
            done.push((first, b.finish()));
        }
        open = Some(Builder::new(line, line_no, src, ParaKind::Body));
    }
    if let Some(b) = open.take() {
        let first = b.line_starts[0].1;
        done.push((first, b.finish()));
    }
    done.sort_by_key(|(l, _)| *l);
    done.into_iter().map(|(_, p)| p).collect()
}

/// Sentence byte ranges: a sentence ends at ".", "!" or "?" followed by a
/// space and anything but a lower-case letter.
pub fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let Some(&(_, n)) = chars.get(k + 1) else {
            continue;
        };
        if !n.is_whitespace() {
            continue;
        }
        let next_visible = chars[k + 1..]
            .iter()
            .find(|(_, ch)| !ch.is_whitespace())
            .map(|&(_, ch)| ch);
        if next_visible.is_some_and(|ch| ch.is_lowercase()) {
            continue;
        }
        let end = i + c.len_utf8();
        if end > start {
            out.push((start, end));
        }
        start = end;
    }
    if start < text.len() || out.is_empty() {
        out.push((start, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_page_breaks_and_anchor_breaks() {
        let t = "Các xã tiếp\n\nnhận 63 đơn thư.\nPhát hiện sai phạm 7.554 triệu đồng\n, đã xử lý.\n\u{FFFD} Thu hồi 3 triệu đồng.";
        let p = segment(t, true);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].text, "Các xã tiếp nhận 63 đơn thư.");
        assert_eq!(p[0].line_at(p[0].text.find("nhận").unwrap()), 3);
        assert_eq!(p[1].anchors.len(), 1);
        assert!(p[2].is_footnote());
    }

    #[test]
    fn numbered_footnotes_and_anchors() {
        let t = "Dịch Covid-19⁽¹⁾ được kiểm soát.\n⁽¹⁾ Công văn số 920.";
        let p = segment(t, true);
        assert_eq!(p[0].anchors[0].label.as_deref(), Some("1"));
        assert_eq!(
            p[1].kind,
            ParaKind::Footnote {
                label: Some("1".into())
            }
        );
    }

    #[test]
    fn sentences_ignore_lower_case_continuations() {
        let s = split_sentences("Nhận 3.848 đơn. trong đó có 2 đơn. Tiếp 5 lượt.");
        assert_eq!(s.len(), 2);
    }
}
