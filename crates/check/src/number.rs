//! Numbers written the Vietnamese way: "1.022" (dots group thousands),
//! "98,1" (comma before decimals), "04" (zero padding). Values are exact
//! decimals held as integers scaled by 10^4, so sums and rates never suffer
//! from binary floating point.

/// Fixed scale of every [`Dec`]: values carry up to four decimals.
pub const SCALE_DIGITS: u8 = 4;
const SCALE: i128 = 10_000;
/// Longest integer part accepted (keeps all arithmetic far from overflow).
const MAX_INT_DIGITS: usize = 15;

/// An exact decimal as written in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dec {
    /// Value × 10^4.
    pub scaled: i128,
    /// Number of decimals the report wrote ("98,1" has 1).
    pub decimals: u8,
}

impl Dec {
    /// A whole number.
    pub fn int(n: i128) -> Dec {
        Dec {
            scaled: n.saturating_mul(SCALE),
            decimals: 0,
        }
    }

    /// The value at the written precision, e.g. 8253 for "82,53".
    pub fn at_written_precision(self) -> i128 {
        self.scaled / 10i128.pow(u32::from(SCALE_DIGITS - self.decimals))
    }

    /// Sum of several values; decimals is the largest of the parts.
    pub fn sum(parts: &[Dec]) -> Dec {
        let mut scaled: i128 = 0;
        let mut decimals = 0;
        for p in parts {
            scaled = scaled.saturating_add(p.scaled);
            decimals = decimals.max(p.decimals);
        }
        Dec { scaled, decimals }
    }

    /// Difference `self - other`.
    pub fn minus(self, other: Dec) -> Dec {
        Dec {
            scaled: self.scaled.saturating_sub(other.scaled),
            decimals: self.decimals.max(other.decimals),
        }
    }

    /// Written back the Vietnamese way ("7.553", "5.547,69").
    pub fn to_vn(self) -> String {
        format_scaled(self.at_written_precision(), self.decimals)
    }
}

/// Parses a whole token such as "1.022", "98,1", "16.015,34" or "04".
/// Returns `None` for anything else (including more than four decimals).
pub fn parse_vn(token: &str) -> Option<Dec> {
    let (int_part, frac_part) = match token.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (token, None),
    };
    let groups: Vec<&str> = int_part.split('.').collect();
    let first = groups.first()?;
    if first.is_empty()
        || first.len() > MAX_INT_DIGITS
        || !first.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if groups.len() > 1 && first.len() > 3 {
        return None;
    }
    let mut digits = String::new();
    digits.push_str(first);
    for g in &groups[1..] {
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(g);
    }
    if digits.len() > MAX_INT_DIGITS {
        return None;
    }
    let int_value: i128 = digits.parse().ok()?;
    let mut scaled = int_value * SCALE;
    let mut decimals = 0u8;
    if let Some(f) = frac_part {
        if f.is_empty()
            || f.len() > usize::from(SCALE_DIGITS)
            || !f.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        decimals = f.len() as u8;
        let frac: i128 = f.parse().ok()?;
        scaled += frac * 10i128.pow(u32::from(SCALE_DIGITS - decimals));
    }
    Some(Dec { scaled, decimals })
}

/// Writes `value / 10^decimals` with dot-grouped thousands and a decimal comma.
pub fn format_scaled(value: i128, decimals: u8) -> String {
    let p = 10i128.pow(u32::from(decimals));
    let neg = value < 0;
    let a = value.unsigned_abs();
    let int_part = a / p.unsigned_abs();
    let frac = a % p.unsigned_abs();
    let digits = int_part.to_string();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if decimals > 0 {
        out.push(',');
        out.push_str(&format!("{:0width$}", frac, width = usize::from(decimals)));
    }
    out
}

/// `num / den × 100` at `decimals` places, both rounded half away from zero
/// and truncated, as integers scaled by 10^decimals. `None` when `den` is 0.
pub fn rate(num: Dec, den: Dec, decimals: u8) -> Option<Rate> {
    if den.scaled == 0 {
        return None;
    }
    let n = num
        .scaled
        .checked_mul(100 * 10i128.pow(u32::from(decimals)))?;
    let d = den.scaled;
    let q = n / d;
    let r = n % d;
    let away = if (n < 0) != (d < 0) { -1 } else { 1 };
    let rounded = if r != 0 && 2 * r.abs() >= d.abs() {
        q + away
    } else {
        q
    };
    Some(Rate {
        rounded,
        truncated: q,
        decimals,
        exact: r == 0,
    })
}

/// A computed rate at a given precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Rounded half away from zero, scaled by 10^decimals.
    pub rounded: i128,
    /// Truncated toward zero, scaled by 10^decimals.
    pub truncated: i128,
    /// Precision.
    pub decimals: u8,
    /// Whether the division was exact at this precision.
    pub exact: bool,
}

impl Rate {
    /// "82,54".
    pub fn rounded_vn(&self) -> String {
        format_scaled(self.rounded, self.decimals)
    }
}

/// The rate written with two more decimals than the report uses, followed
/// by "…" when it is not exact: "82,5397…" style detail for explanations.
pub fn rate_detail(num: Dec, den: Dec, decimals: u8) -> String {
    let more = (decimals + 2).min(6);
    match rate(num, den, more) {
        Some(r) => {
            let mut s = format_scaled(r.truncated, more);
            if !r.exact {
                s.push('…');
            }
            s
        }
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vietnamese_numbers() {
        assert_eq!(parse_vn("1.022"), Some(Dec::int(1022)));
        assert_eq!(parse_vn("04"), Some(Dec::int(4)));
        assert_eq!(parse_vn("98,1").unwrap().at_written_precision(), 981);
        assert_eq!(parse_vn("16.015,34").unwrap().to_vn(), "16.015,34");
        assert_eq!(parse_vn("1.02"), None);
        assert_eq!(parse_vn("1022.1"), None);
        assert_eq!(parse_vn("1,23456"), None);
        assert_eq!(parse_vn(""), None);
        assert_eq!(parse_vn("9999999999999999"), None);
    }

    #[test]
    fn rounds_half_away_and_truncates() {
        let r = rate(Dec::int(52), Dec::int(63), 2).unwrap();
        assert_eq!(r.rounded_vn(), "82,54");
        assert_eq!(format_scaled(r.truncated, 2), "82,53");
        let r = rate(Dec::int(630), Dec::int(755), 1).unwrap();
        assert_eq!(r.rounded_vn(), "83,4");
        let r = rate(Dec::int(70), Dec::int(70), 0).unwrap();
        assert_eq!(r.rounded_vn(), "100");
        assert!(r.exact);
        let r = rate(Dec::int(1), Dec::int(8), 1).unwrap();
        assert_eq!(r.rounded_vn(), "12,5");
        let r = rate(Dec::int(1), Dec::int(16), 1).unwrap(); // 6,25
        assert_eq!(r.rounded_vn(), "6,3");
        assert!(rate(Dec::int(1), Dec::int(0), 1).is_none());
    }

    #[test]
    fn formats_back() {
        assert_eq!(Dec::int(7553).to_vn(), "7.553");
        assert_eq!(Dec::int(1_000_000).to_vn(), "1.000.000");
        assert_eq!(rate_detail(Dec::int(52), Dec::int(63), 2), "82,5396…");
    }
}
