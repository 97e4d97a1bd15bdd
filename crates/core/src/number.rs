//! Numbers the Vietnamese way: "1.022" (dot groups thousands), "98,1%"
//! (comma before decimals), "04/07" (administrative zero padding).
//!
//! Rates are computed in integers and rounded half away from zero, as the
//! state reports do, so 52/63 is 82,54% and never 82,53%.

/// "1.022", "-3.565", "263.440".
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Zero-padded to two digits as in "04/07 vụ việc", "01 đoàn", "08 xã".
pub fn padded(n: i64) -> String {
    if (0..10).contains(&n) {
        format!("0{n}")
    } else {
        int(n)
    }
}

/// A decimal value held as an integer scaled by 10^`scale`, written with a
/// comma: `decimal(554769, 2)` is "5.547,69". Trailing zeros are kept.
pub fn decimal(scaled: i64, scale: u32) -> String {
    if scale == 0 {
        return int(scaled);
    }
    let p = 10i64.pow(scale);
    let sign = if scaled < 0 { "-" } else { "" };
    let a = scaled.unsigned_abs() as i64;
    format!(
        "{sign}{},{:0width$}",
        int(a / p),
        a % p,
        width = scale as usize
    )
}

/// `num / den × 100` rounded half away from zero to `decimals` places,
/// as an integer scaled by 10^decimals. `None` when `den` is zero.
pub fn rate_scaled(num: i64, den: i64, decimals: u32) -> Option<i64> {
    if den == 0 {
        return None;
    }
    let scale = 100i128 * 10i128.pow(decimals);
    let n = num as i128 * scale;
    let d = den as i128;
    let (q, r) = (n / d, n % d);
    // Half away from zero: compare twice the remainder with the divisor.
    let q = if 2 * r.abs() >= d.abs() {
        q + if (n < 0) != (d < 0) { -1 } else { 1 }
    } else {
        q
    };
    Some(q as i64)
}

/// "98,1%" for `percent(787, 802, 1)`; `None` when `den` is zero, so a
/// sentence can drop the rate instead of printing "NaN%".
pub fn percent(num: i64, den: i64, decimals: u32) -> Option<String> {
    rate_scaled(num, den, decimals).map(|v| format!("{}%", decimal(v, decimals)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(int(0), "0");
        assert_eq!(int(802), "802");
        assert_eq!(int(1022), "1.022");
        assert_eq!(int(263440), "263.440");
        assert_eq!(int(-3565), "-3.565");
        assert_eq!(int(1_000_000), "1.000.000");
    }

    #[test]
    fn pads_small_administrative_counts() {
        assert_eq!(padded(4), "04");
        assert_eq!(padded(7), "07");
        assert_eq!(padded(10), "10");
        assert_eq!(padded(1016), "1.016");
    }

    #[test]
    fn seed_rates_round_half_away_from_zero() {
        assert_eq!(percent(787, 802, 1).unwrap(), "98,1%");
        assert_eq!(percent(15, 802, 1).unwrap(), "1,9%");
        assert_eq!(percent(45, 53, 1).unwrap(), "84,9%");
        assert_eq!(percent(31, 59, 2).unwrap(), "52,54%");
        assert_eq!(percent(52, 63, 2).unwrap(), "82,54%");
        assert_eq!(percent(630, 755, 1).unwrap(), "83,4%");
        assert_eq!(percent(162, 163, 1).unwrap(), "99,4%");
        assert_eq!(percent(70, 70, 0).unwrap(), "100%");
        assert_eq!(percent(4, 7, 1).unwrap(), "57,1%");
        assert_eq!(percent(2932, 3848, 1).unwrap(), "76,2%");
        assert_eq!(percent(1, 8, 1).unwrap(), "12,5%");
        assert_eq!(percent(-1, 8, 1).unwrap(), "-12,5%");
        assert_eq!(percent(1, 0, 1), None);
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal(554769, 2), "5.547,69");
        assert_eq!(decimal(2835, 1), "283,5");
        assert_eq!(decimal(100, 2), "1,00");
    }
}
