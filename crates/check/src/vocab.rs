//! The Vietnamese words the checker keys on, matched on folded text
//! (lower case, no diacritics: "tiếp nhận" → "tiep nhan").

use danvan_core::text::fold;

/// Bytes of context looked at around a figure (keeps the work linear).
const WINDOW: usize = 200;

/// At most the last `max` bytes of `s`, cut at a character boundary.
fn tail(s: &str, max: usize) -> &str {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// At most the first `max` bytes of `s`, cut at a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The last `n` words of `text` (folded), joined by single spaces.
pub fn last_words(text: &str, n: usize) -> String {
    let f = fold(&strip_marks(tail(text, WINDOW)));
    let words: Vec<&str> = f.split_whitespace().collect();
    let start = words.len().saturating_sub(n);
    words[start..].join(" ")
}

/// The first `n` words of `text` (folded).
pub fn first_words(text: &str, n: usize) -> String {
    let f = fold(&strip_marks(head(text, WINDOW)));
    f.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// Replaces punctuation by spaces so that words can be compared.
pub fn strip_marks(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() || c == '\'' || c == '’' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// Whether `phrase` occurs in `words` as whole words (both folded).
pub fn has_phrase(words: &str, phrase: &str) -> bool {
    let padded = format!(" {words} ");
    padded.contains(&format!(" {phrase} "))
}

/// Words that announce a rate right before a percentage.
pub fn is_rate_intro(last_words: &str) -> Option<RateWord> {
    if has_phrase(last_words, "chiem") {
        Some(RateWord::Share)
    } else if has_phrase(last_words, "dat")
        || has_phrase(last_words, "ty le")
        || has_phrase(last_words, "bang")
    {
        Some(RateWord::Achieved)
    } else {
        None
    }
}

/// How a rate is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateWord {
    /// "đạt (tỷ lệ)": an achievement, i.e. resolved over received.
    Achieved,
    /// "chiếm": the share of the figure it follows.
    Share,
}

/// Words right before a number that make it a date, a year or a
/// reference (compared with diacritics: "số" is not "sở").
pub fn is_reference_intro(word: &str) -> bool {
    matches!(
        word,
        "ngày"
            | "tháng"
            | "năm"
            | "số"
            | "khóa"
            | "khoá"
            | "từ"
            | "đến"
            | "điều"
            | "khoản"
            | "mục"
            | "lục"
            | "thứ"
            | "độ"
            | "loại"
            | "nhóm"
            | "họp"
    )
}

/// Direction of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// "tăng".
    Up,
    /// "giảm".
    Down,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords() {
        assert_eq!(
            last_words("đã giải quyết dứt điểm 52 đơn, còn", 2),
            "don con"
        );
        assert!(is_rate_intro("dat ty le").is_some());
        assert_eq!(is_rate_intro("chiem"), Some(RateWord::Share));
    }
}
