//! Folding Vietnamese text for search: "Đạ Tông" and "dat tong"… are found by
//! "da tong". One function used for SQLite and PostgreSQL alike, because
//! neither engine folds đ/Đ to d by itself.

use unicode_normalization::UnicodeNormalization;

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

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}')
}

#[cfg(test)]
mod tests {
    use super::fold;

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
