//! Bounds from the domain on the counts one record may carry. No commune
//! receives a million citizens in one reception, no petition has a million
//! signatories; a figure past these is a typing slip or an attack, and
//! accepted it would sit in every total above it (and, summed, could
//! overflow the facts). So each count is checked here, with the field and
//! the bound named, before a record is written.

use crate::DomainError;
use crate::number;

/// The most one count of one record may be (lượt, người, đoàn, kiến nghị…).
pub const MAX_COUNT: i64 = 100_000;

/// The most one entered aggregate value may be, after scaling: ten
/// thousand billion, beyond any figure a unit reports for one period.
pub const MAX_VALUE: i64 = 10_000_000_000_000;

/// `value` is within `min..=MAX_COUNT`; otherwise an error at `field`,
/// with `code` and the count's Vietnamese name (`số lượt`).
pub fn count(
    code: &'static str,
    field: &str,
    what: &str,
    value: i64,
    min: i64,
) -> Result<(), DomainError> {
    if value < min {
        return Err(DomainError::new(
            code,
            format!(
                "{what} phải từ {} trở lên (đang là {})",
                number::int(min),
                number::int(value)
            ),
        )
        .at_field(field.to_string()));
    }
    if value > MAX_COUNT {
        return Err(DomainError::new(
            code,
            format!(
                "{what} {} vượt quá mức có thể có của một bản ghi ({}); hãy kiểm tra lại",
                number::int(value),
                number::int(MAX_COUNT)
            ),
        )
        .at_field(field.to_string()));
    }
    Ok(())
}

/// An entered value is within ±[`MAX_VALUE`].
pub fn value(code: &'static str, field: &str, value: i64) -> Result<(), DomainError> {
    if value.checked_abs().is_none_or(|v| v > MAX_VALUE) {
        return Err(DomainError::new(
            code,
            format!(
                "giá trị {} vượt quá mức có thể có ({}); hãy kiểm tra lại",
                number::int(value),
                number::int(MAX_VALUE)
            ),
        )
        .at_field(field.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_bounded_both_ways() {
        assert!(count("x", "turns", "số lượt", 1, 1).is_ok());
        assert!(count("x", "turns", "số lượt", MAX_COUNT, 1).is_ok());
        let e = count("x", "turns", "số lượt", i64::MAX, 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Trường «turns»: số lượt 9.223.372.036.854.775.807 vượt quá mức có thể có \
             của một bản ghi (100.000); hãy kiểm tra lại"
        );
        let e = count("x", "turns", "số lượt", 0, 1).unwrap_err();
        assert!(e.message.contains("từ 1 trở lên"), "{e}");
        assert!(value("x", "value", i64::MIN).is_err());
        assert!(value("x", "value", -MAX_VALUE).is_ok());
    }
}
