//! Folding Vietnamese text for search: "Đạ Tông" and "dat tong"… are found by
//! "da tong". One function used for SQLite and PostgreSQL alike, because
//! neither engine folds đ/Đ to d by itself.

use unicode_normalization::UnicodeNormalization;

/// The most words a search takes: each is one condition of the query, and
/// a search of thousands would make the database refuse the statement.
pub const MAX_SEARCH_WORDS: usize = 20;

/// The folded, distinct words of a search, as `LIKE` patterns (`%word%`,
/// with `%` and `_` taken out); more than [`MAX_SEARCH_WORDS`] is refused.
pub fn search_patterns(query: &str) -> Result<Vec<String>, crate::DomainError> {
    let mut words: Vec<String> = Vec::new();
    for w in fold(query).split(' ') {
        let w = w.replace(['%', '_', '\\'], "");
        if !w.is_empty() && !words.contains(&w) {
            words.push(w);
        }
    }
    if words.len() > MAX_SEARCH_WORDS {
        return Err(crate::DomainError::new(
            "search.too_long",
            format!(
                "chỉ tìm theo tối đa {MAX_SEARCH_WORDS} từ (đang có {} từ); hãy rút gọn nội dung tìm",
                crate::number::int(words.len() as i64)
            ),
        )
        .at_field("q"));
    }
    Ok(words.into_iter().map(|w| format!("%{w}%")).collect())
}

/// Lower-case, strip diacritics (đ/Đ → d), unify apostrophes, collapse spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' => '\'',
            c if is_combining_mark(c) => continue,
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// How well a search query matches a text, both folded: `Some(0)` when
/// every word of the query occurs in the text, `Some(1)` when every word
/// occurs or is one typing slip (a letter added, missing or changed) away
/// from a word of the text — so "dat tong" still finds "Đạ Tông" — and
/// `None` otherwise. Words of one or two letters must occur exactly.
pub fn search_match(query: &str, text: &str) -> Option<u8> {
    let text = fold(text);
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let mut worst = 0;
    for q in fold(query).split_whitespace() {
        if text.contains(q) {
            continue;
        }
        if q.chars().count() >= 3 && words.iter().any(|w| within_one_edit(q, w)) {
            worst = 1;
            continue;
        }
        return None;
    }
    Some(worst)
}

/// Whether `a` becomes `b` by at most one insertion, deletion or
/// substitution.
fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    if prefix == long.len() {
        return true; // the same word
    }
    // Skip the first differing letter of the longer word (and of the
    // shorter one too when it is a substitution); the rest must agree.
    let skip_short = usize::from(short.len() == long.len());
    short.get(prefix + skip_short..) == long.get(prefix + 1..)
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

#[cfg(test)]
mod tests {
    use super::{fold, search_match};

    #[test]
    fn search_ignores_diacritics_and_one_slip() {
        assert_eq!(search_match("da tong", "xã Đạ Tông"), Some(0));
        assert_eq!(search_match("ĐẠ TÔNG", "xã Đạ Tông"), Some(0));
        assert_eq!(search_match("dat tong", "xã Đạ Tông"), Some(1));
        assert_eq!(search_match("dam rong", "huyện Đam Rông"), Some(0));
        assert_eq!(search_match("dam rongg", "huyện Đam Rông"), Some(1));
        assert_eq!(search_match("kon tum", "xã Đạ Tông"), None);
        assert_eq!(search_match("dx tong", "xã Đạ Tông"), None);
    }

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Đạ Tông"), "da tong");
        assert_eq!(fold("  Đam   Rông "), "dam rong");
        assert_eq!(fold("Đạ M’Rông"), "da m'rong");
        assert_eq!(fold("QUẢNG NGÃI"), "quang ngai");
        assert_eq!(fold("Liêng Srônh"), "lieng sronh");
        assert_eq!(fold("thị trấn Đăk Hà"), "thi tran dak ha");
    }
}
