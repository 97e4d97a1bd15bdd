//! DHIS2-style identifiers: 11 characters, a letter then letters or
//! digits, derived from danvan's own codes by hashing, so the same unit,
//! element or set has the same id on every server and after every
//! restore, and no table of ids has to be kept.

use sha2::{Digest, Sha256};

const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// DHIS2's category combination "default" (no disaggregation).
pub const DEFAULT_COMBO: &str = "bjDvmb4bfuf";
/// DHIS2's category option combination "default", also the default
/// attribute option combination.
pub const DEFAULT_OPTION_COMBO: &str = "HllvX50cXC0";

/// The id of the object `kind` with danvan code `code`.
fn of(kind: &str, code: &str) -> String {
    let hash = Sha256::digest(format!("danvan/{kind}/{code}").as_bytes());
    let mut out = String::with_capacity(11);
    out.push(LETTERS[hash[0] as usize % LETTERS.len()] as char);
    for b in &hash[1..11] {
        out.push(ALNUM[*b as usize % ALNUM.len()] as char);
    }
    out
}

/// An organisation unit, by unit code.
pub fn unit(code: &str) -> String {
    of("unit", code)
}

/// An entered data element, by element code.
pub fn element(code: &str) -> String {
    of("element", code)
}

/// A catalogue indicator shown as a read-only data element.
pub fn indicator(code: &str) -> String {
    of("indicator", code)
}

/// A data set, by set code.
pub fn data_set(code: &str) -> String {
    of("set", code)
}

/// The category combination of an element with options.
pub fn combo(element: &str) -> String {
    of("combo", element)
}

/// The category option combination of one option of an element; the
/// default one for no option.
pub fn option_combo(element: &str, option: &str) -> String {
    if option.is_empty() {
        DEFAULT_OPTION_COMBO.to_string()
    } else {
        of("option", &format!("{element}/{option}"))
    }
}

/// An organisation unit level (1 = provinces).
pub fn level(level: usize) -> String {
    of("level", &level.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `s` has the shape of a DHIS2 id.
    fn is_uid(s: &str) -> bool {
        s.len() == 11
            && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && s.bytes().all(|b| b.is_ascii_alphanumeric())
    }

    #[test]
    fn ids_are_stable_well_formed_and_distinct() {
        let a = unit("68");
        assert_eq!(a, unit("68"));
        assert!(is_uid(&a), "{a}");
        assert_ne!(a, unit("68-2025"));
        assert_ne!(element("x"), indicator("x"));
        for code in ["1", "674", "24853-2025", "violations_handled"] {
            for id in [unit(code), element(code), data_set(code), combo(code)] {
                assert!(is_uid(&id), "{id}");
            }
        }
        assert_eq!(option_combo("x", ""), DEFAULT_OPTION_COMBO);
        assert!(is_uid(&option_combo("x", "budget")));
        assert!(!is_uid("1abcdefghij"));
        assert!(!is_uid("abc"));
    }
}
