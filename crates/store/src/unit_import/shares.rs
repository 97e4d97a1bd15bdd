//! The successors of divided units, with their shares: a CSV file of
//! `code,successor_code,area_km2,share`, one row per successor, read and
//! checked by itself. `share` is the fraction of the unit counted to that
//! successor ("0.5076", "0,5076" or "50,76%"); a unit's shares add up to 1.
//! `area_km2`, which may be empty, only says where a share came from.

use std::collections::BTreeMap;
use std::io::Read;

use danvan_core::DomainError;

use crate::units::WHOLE;

pub const COLUMNS: [&str; 4] = ["code", "successor_code", "area_km2", "share"];

/// The successors of one divided unit, as the file names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divided {
    /// The line of the unit's first row.
    pub line: usize,
    pub code: String,
    /// Successor codes with their shares in ten-thousandths, adding up to
    /// [`WHOLE`].
    pub successors: Vec<(String, u32)>,
}

fn err(line: usize, field: &str, msg: String) -> DomainError {
    DomainError::new("unit.import.share", msg)
        .at_field(field)
        .at_line(line)
}

/// "0.5076", "0,5076" or "50,76%" in ten-thousandths: `None` unless it is
/// a number above 0 and at most 1 with at most four decimals (two for a
/// percentage).
fn parse_share(s: &str) -> Option<u32> {
    let (digits, scale) = match s.strip_suffix('%') {
        Some(p) => (p.trim(), 100u64),
        None => (s, 10_000u64),
    };
    let digits = digits.replace(',', ".");
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let places = if scale == 100 { 2 } else { 4 };
    if int.is_empty() && frac.is_empty()
        || frac.len() > places
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac_value: u64 = format!("{frac:0<places$}").parse().ok()?;
    let v = int.checked_mul(scale)? + frac_value;
    (v > 0 && v <= u64::from(WHOLE)).then_some(v as u32)
}

fn parse_area(s: &str) -> bool {
    s.is_empty() || s.replace(',', ".").parse::<f64>().is_ok_and(|a| a >= 0.0)
}

/// Read the file: each divided unit with its successors, or every bad row.
pub fn parse(input: impl Read) -> Result<Vec<Divided>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let records = super::csv_records(input, &COLUMNS, &mut errors);
    let mut units: BTreeMap<String, Divided> = BTreeMap::new();
    for (line, rec) in records {
        let (code, successor) = (rec[0].to_string(), rec[1].to_string());
        if code.is_empty() || successor.is_empty() {
            errors.push(err(
                line,
                if code.is_empty() {
                    "code"
                } else {
                    "successor_code"
                },
                "thiếu mã đơn vị".into(),
            ));
            continue;
        }
        if !parse_area(&rec[2]) {
            errors.push(err(
                line,
                "area_km2",
                format!("diện tích «{}» không phải là một số không âm", &rec[2]),
            ));
        }
        let Some(share) = parse_share(&rec[3]) else {
            errors.push(err(
                line,
                "share",
                format!(
                    "tỷ lệ «{}» không hợp lệ; ghi một số lớn hơn 0 và không quá 1, tối đa bốn chữ số thập phân (ví dụ 0,5076 hoặc 50,76%)",
                    &rec[3]
                ),
            ));
            continue;
        };
        let d = units.entry(code.clone()).or_insert_with(|| Divided {
            line,
            code: code.clone(),
            successors: Vec::new(),
        });
        if d.successors.iter().any(|(s, _)| *s == successor) {
            errors.push(err(
                line,
                "successor_code",
                format!("đơn vị kế thừa «{successor}» của «{code}» đã có ở dòng trên"),
            ));
            continue;
        }
        d.successors.push((successor, share));
    }
    for d in units.values() {
        let total: u32 = d.successors.iter().map(|(_, s)| s).sum();
        if total != WHOLE {
            errors.push(err(
                d.line,
                "share",
                format!(
                    "tỷ lệ các đơn vị kế thừa của «{}» cộng lại {}, phải đúng bằng 1",
                    d.code,
                    danvan_core::number::decimal(i64::from(total), 4)
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(units.into_values().collect())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_fractions_or_percentages() {
        assert_eq!(parse_share("0.5076"), Some(5076));
        assert_eq!(parse_share("0,5"), Some(5000));
        assert_eq!(parse_share("1"), Some(10_000));
        assert_eq!(parse_share("50,76%"), Some(5076));
        assert_eq!(parse_share("100%"), Some(10_000));
        for bad in ["0", "1.0001", "0.12345", "-0.5", "abc", "", "%", "1,5%x"] {
            assert_eq!(parse_share(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_units_shares_must_add_up_to_one() {
        let ok = "code,successor_code,area_km2,share\nA,B,2.5,0.6\nA,C,,0.4\n";
        let got = parse(ok.as_bytes()).unwrap();
        assert_eq!(
            got,
            vec![Divided {
                line: 2,
                code: "A".into(),
                successors: vec![("B".into(), 6000), ("C".into(), 4000)],
            }]
        );
        let bad = "code,successor_code,area_km2,share\nA,B,2.5,0.6\nA,C,x,0.3\nA,B,,0.1\n";
        let errs = parse(bad.as_bytes()).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.message.clone()).collect();
        assert!(msgs.iter().any(|m| m.contains("diện tích «x»")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("đã có ở dòng trên")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("cộng lại 0,9000")),
            "{msgs:?}"
        );
    }
}
