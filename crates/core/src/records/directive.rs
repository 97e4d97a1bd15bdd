//! Directive documents (văn bản chỉ đạo) that reports cite: number and
//! symbol in the state format ("57/KH-UBND", "34/2007/PL-UBTVQH11", Nghị
//! định 30/2020) or the Party format ("111-BC/TU", "02-KH/BCĐ", Quy định
//! 66-QĐ/TW), checked, and searchable without diacritics.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};
use crate::text::fold;

/// A checked number and symbol (số, ký hiệu).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentNumber {
    /// As written, upper-cased: "57/KH-UBND".
    pub text: String,
    pub number: u32,
    /// Abbreviation of the document kind: "KH", "BC", "CV", "QĐ"…
    pub kind: String,
}

fn is_symbol_part(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == 'Đ')
}

fn is_letters(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ')
}

impl DocumentNumber {
    /// Parse "57/KH-UBND", "39/KHLT-UBND-BDVHU", "09/2019/NĐ-CP" (state)
    /// or "111-BC/TU", "936-CV/HU" (Party). A leading "Số" is dropped.
    pub fn parse(s: &str) -> Result<DocumentNumber, DomainError> {
        let bad = || {
            DomainError::new(
                "directive.bad_number",
                format!(
                    "số, ký hiệu «{s}» không đúng dạng; ví dụ văn bản nhà nước 57/KH-UBND, 09/2019/NĐ-CP, văn bản của Đảng 111-BC/TU"
                ),
            )
            .at_field("number")
        };
        let t = s.trim();
        let t = t
            .strip_prefix("Số:")
            .or_else(|| t.strip_prefix("Số"))
            .unwrap_or(t)
            .trim();
        let text: String = t
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let digits_end = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits_end == 0 || digits_end > 5 {
            return Err(bad());
        }
        let number: u32 = text[..digits_end].parse().map_err(|_| bad())?;
        let rest = &text[digits_end..];
        let kind = if let Some(r) = rest.strip_prefix('/') {
            // State: [year/]KIND-ISSUER[-ISSUER…]
            let r = match r.split_once('/') {
                Some((y, tail)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => tail,
                Some(_) => return Err(bad()),
                None => r,
            };
            let mut parts = r.split('-');
            let kind = parts.next().filter(|k| is_letters(k)).ok_or_else(bad)?;
            let issuers: Vec<&str> = parts.collect();
            if issuers.is_empty() || !issuers.iter().all(|p| is_symbol_part(p)) {
                return Err(bad());
            }
            kind.to_string()
        } else if let Some(r) = rest.strip_prefix('-') {
            // Party: KIND/ISSUER[/…]
            let mut parts = r.split('/');
            let kind = parts.next().filter(|k| is_letters(k)).ok_or_else(bad)?;
            let issuers: Vec<&str> = parts.collect();
            if issuers.is_empty() || !issuers.iter().all(|p| is_symbol_part(p)) {
                return Err(bad());
            }
            kind.to_string()
        } else {
            return Err(bad());
        };
        Ok(DocumentNumber { text, number, kind })
    }
}

/// A directive document issued by a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Directive {
    pub unit_id: i64,
    pub number: DocumentNumber,
    pub issued_on: NaiveDate,
    /// Cơ quan ban hành as written, e.g. "UBND huyện".
    pub issuer: String,
    /// Trích yếu.
    pub title: String,
}

/// Indicator keys fed by directives.
pub mod keys {
    /// Documents issued; breakdown `kind` (the symbol's kind: KH, CV…).
    pub const ISSUED: &str = "directive.issued";
}

impl Directive {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(
                DomainError::new("directive.invalid", "thiếu trích yếu văn bản").at_field("title"),
            );
        }
        Ok(())
    }

    /// The text searched: number, issuer and title, folded.
    pub fn search_text(&self) -> String {
        fold(&format!(
            "{} {} {}",
            self.number.text, self.issuer, self.title
        ))
    }
}

impl FactSource for Directive {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        out.push(Contribution {
            unit_id: self.unit_id,
            date: self.issued_on,
            key: keys::ISSUED,
            breakdown: Breakdown::new()
                .with("kind", self.number.kind.clone())
                .build(),
            value: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_the_seeds_parse() {
        for (s, n, k) in [
            ("57/KH-UBND", 57, "KH"),
            ("Số 111-BC/TU", 111, "BC"),
            ("936-CV/HU", 936, "CV"),
            ("02-KH/BCĐ", 2, "KH"),
            ("39/KHLT-UBND-BDVHU", 39, "KHLT"),
            ("34/2007/PL-UBTVQH11", 34, "PL"),
            ("09/2019/nđ-cp", 9, "NĐ"),
            ("217-QĐ/TW", 217, "QĐ"),
        ] {
            let d = DocumentNumber::parse(s).unwrap();
            assert_eq!((d.number, d.kind.as_str()), (n, k), "{s}");
        }
        for s in [
            "",
            "KH-UBND",
            "57/KH",
            "57-KH",
            "57/KH-",
            "abc/KH-UBND",
            "57/20/KH-UBND",
            "123456/KH-UBND",
        ] {
            assert!(DocumentNumber::parse(s).is_err(), "{s}");
        }
        assert!(
            DocumentNumber::parse("57/KH")
                .unwrap_err()
                .to_string()
                .contains("không đúng dạng")
        );
    }
}
