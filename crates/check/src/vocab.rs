//! The Vietnamese words the checker keys on, matched on folded text
//! (lower case, no diacritics: "tiếp nhận" → "tiep nhan").

use danvan_core::text::fold;

/// Units written with two or three words; anything else keeps its first word.
/// The right side is the unit's canonical head.
const MULTI_WORD_UNITS: &[(&str, &str)] = &[
    ("ho so", "ho so"),
    ("mo hinh", "mo hinh"),
    ("trieu dong", "trieu dong"),
    ("ty dong", "ty dong"),
    ("nghin dong", "nghin dong"),
    ("don vi", "don vi"),
    ("thu tuc", "thu tuc"),
    ("cu tri", "cu tri"),
    ("van ban", "van ban"),
    ("to dan pho", "to dan pho"),
    ("thi tran", "thi tran"),
    ("can bo", "can bo"),
    ("ca nhan", "ca nhan"),
    ("tap the", "tap the"),
    ("doi tuong", "doi tuong"),
    ("co quan", "co quan"),
    ("hoi vien", "hoi vien"),
    ("doan vien", "doan vien"),
    ("dang vien", "dang vien"),
    ("dan toc", "dan toc"),
    ("y kien", "y kien"),
    ("ho gia dinh", "ho gia dinh"),
    ("vu viec", "vu"),
    ("don thu", "don"),
    ("luot nguoi", "luot"),
];

/// Canonical unit head of the (already folded) words following a number.
pub fn unit_head(folded_words: &str) -> Option<String> {
    let words: Vec<&str> = folded_words.split_whitespace().collect();
    let first = *words.first()?;
    for (phrase, head) in MULTI_WORD_UNITS {
        let n = phrase.split(' ').count();
        if words.len() >= n && words[..n].join(" ") == *phrase {
            return Some((*head).to_string());
        }
    }
    Some(first.to_string())
}

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

/// Words before a figure marking what is left over ("còn 11 đơn").
pub fn is_remaining(before: &str) -> bool {
    has_phrase(before, "con") || has_phrase(before, "con lai") || has_phrase(before, "chua")
}

/// Words before a figure marking a received or total amount.
pub fn is_total_intro(before: &str) -> bool {
    [
        "nhan",
        "tong",
        "tong so",
        "tong cong",
        "thu ly",
        "tiep",
        "co",
    ]
    .iter()
    .any(|w| has_phrase(before, w))
}

/// Words that open a breakdown of the figure just before them.
pub fn breakdown_marker(after: &str) -> bool {
    after.starts_with("trong do") || after.starts_with("gom") || after.starts_with("bao gom")
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
    )
}

/// Direction of a stated change.
pub fn change_word(before: &str) -> Option<Change> {
    let w = before.split_whitespace().collect::<Vec<_>>();
    let tail = w.iter().rev().take(2);
    for word in tail {
        match *word {
            "giam" => return Some(Change::Down),
            "tang" => return Some(Change::Up),
            _ => {}
        }
    }
    None
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
    fn units_fold_to_heads() {
        assert_eq!(unit_head("ho so dung han").as_deref(), Some("ho so"));
        assert_eq!(unit_head("don thu").as_deref(), Some("don"));
        assert_eq!(unit_head("don vi hanh chinh").as_deref(), Some("don vi"));
        assert_eq!(unit_head("vu viec").as_deref(), Some("vu"));
        assert_eq!(unit_head("luot").as_deref(), Some("luot"));
        assert_eq!(unit_head(""), None);
    }

    #[test]
    fn keywords() {
        assert_eq!(
            last_words("đã giải quyết dứt điểm 52 đơn, còn", 2),
            "don con"
        );
        assert!(is_remaining("don con"));
        assert!(is_rate_intro("dat ty le").is_some());
        assert_eq!(is_rate_intro("chiem"), Some(RateWord::Share));
        assert_eq!(change_word("nguoi giam"), Some(Change::Down));
    }
}
