//! Typing slips, for testing the checker on reports with one figure
//! changed: the last digit one more or one less, two digits swapped, the
//! dots between thousands dropped. Each keeps the way the number is
//! written (dots, decimal comma, leading zero).

use crate::number::{format_scaled, parse_vn};

/// What was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slip {
    /// The last digit one more ("1.536" → "1.537").
    PlusOne,
    /// The last digit one less ("79,63" → "79,62").
    MinusOne,
    /// The last two different neighbouring digits swapped ("146" → "164").
    SwapDigits,
    /// The dots between thousands dropped ("1.536" → "1536").
    DropDots,
}

impl Slip {
    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Slip::PlusOne => "+1",
            Slip::MinusOne => "−1",
            Slip::SwapDigits => "đảo chữ số",
            Slip::DropDots => "bỏ dấu chấm",
        }
    }
}

/// Re-writes `units` (the value in units of its last written digit) the
/// way `written` is written.
fn write_like(written: &str, units: i128) -> Option<String> {
    let decimals = written.split_once(',').map_or(0, |(_, f)| f.len());
    let int_len = written.split(',').next().unwrap_or("").len();
    let mut out = format_scaled(units, u8::try_from(decimals).ok()?);
    if !written.contains('.') {
        out = out.replace('.', "");
    }
    // Zero padding ("07" → "08", "10" → "09").
    let int_now = out.split(',').next().unwrap_or("").len();
    if written.starts_with('0') && int_now < int_len {
        out = format!("{}{out}", "0".repeat(int_len - int_now));
    }
    Some(out)
}

/// The slips of one number as written ("1.536", "79,63", "05").
pub fn slips(written: &str) -> Vec<(Slip, String)> {
    let mut out = Vec::new();
    let Some(value) = parse_vn(written) else {
        return out;
    };
    let units = value.at_written_precision();
    if let Some(s) = write_like(written, units + 1) {
        out.push((Slip::PlusOne, s));
    }
    if units > 0
        && let Some(s) = write_like(written, units - 1)
    {
        out.push((Slip::MinusOne, s));
    }
    let positions: Vec<usize> = written
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let bytes = written.as_bytes();
    if let Some(w) = positions
        .windows(2)
        .rev()
        .find(|w| bytes[w[0]] != bytes[w[1]])
    {
        let mut b = bytes.to_vec();
        b.swap(w[0], w[1]);
        if let Ok(s) = String::from_utf8(b) {
            out.push((Slip::SwapDigits, s));
        }
    }
    if written.contains('.') {
        out.push((Slip::DropDots, written.replace('.', "")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(w: &str) -> Vec<String> {
        slips(w).into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn slips_keep_the_way_numbers_are_written() {
        assert_eq!(all("1.536"), ["1.537", "1.535", "1.563", "1536"]);
        assert_eq!(all("79,63"), ["79,64", "79,62", "79,36"]);
        assert_eq!(all("07"), ["08", "06", "70"]);
        assert_eq!(all("10"), ["11", "9", "01"]);
        assert_eq!(all("0"), ["1"]);
        assert_eq!(all("11"), ["12", "10"]);
        assert_eq!(all("1.000"), ["1.001", "999", "0.100", "1000"]);
    }
}
