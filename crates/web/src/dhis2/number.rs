//! Values as DHIS2 exchanges them: plain decimals with a point (`12`,
//! `1234.5`, `-7`), not the Vietnamese way danvan's forms read (where
//! `3.565` is three thousand five hundred sixty-five). danvan keeps a
//! value as an integer scaled by the element's decimals.

use danvan_core::DomainError;
use danvan_core::records::dataset::DataElement;
use serde_json::Value;

/// The scaled value of a DHIS2 value (a JSON string or number).
pub fn parse(e: &DataElement, v: &Value) -> Result<i64, DomainError> {
    let text = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let bad = || {
        DomainError::new(
            "data.bad_value",
            format!(
                "giá trị «{}» của chỉ tiêu «{}» không hợp lệ; DHIS2 gửi số viết liền, dấu chấm thập phân (ví dụ 3565 hoặc 12.5), tối đa {} chữ số thập phân",
                match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => other.to_string(),
                },
                e.label,
                e.scale
            ),
        )
        .at_field("value")
    };
    let (neg, body) = text
        .strip_prefix('-')
        .map_or((false, text.as_str()), |r| (true, r));
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    // A JSON number may come as 12.0 for an integer element.
    let frac = if e.scale == 0 && frac.bytes().all(|b| b == b'0') {
        ""
    } else {
        frac
    };
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() as u32 > e.scale
        || body.ends_with('.')
    {
        return Err(bad());
    }
    let pad = 10i64.pow(e.scale - frac.len() as u32);
    let whole: i64 = int.parse().map_err(|_| bad())?;
    let part: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    let v = whole
        .checked_mul(10i64.pow(e.scale))
        .and_then(|w| w.checked_add(part * pad))
        .ok_or_else(bad)?;
    Ok(if neg { -v } else { v })
}

/// A scaled value as DHIS2 writes it: `3565`, `12.5`.
pub fn format(e: &DataElement, v: i64) -> String {
    scaled(v, e.scale)
}

/// An integer scaled by `10^scale` as a plain decimal, trailing zeros
/// dropped: `scaled(1250, 2)` is `12.5`.
pub fn scaled(v: i64, scale: u32) -> String {
    let s = fixed(v, scale);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// An integer scaled by `10^scale` with all its decimals: `fixed(980, 1)`
/// is `98.0`, as a rate of danvan's reports shows them (98,0%).
pub fn fixed(v: i64, scale: u32) -> String {
    if scale == 0 {
        return v.to_string();
    }
    let unit = 10u64.pow(scale);
    let sign = if v < 0 { "-" } else { "" };
    let (whole, part) = (v.unsigned_abs() / unit, v.unsigned_abs() % unit);
    format!("{sign}{whole}.{part:0width$}", width = scale as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use danvan_core::records::dataset::{Aggregation, ValueType};
    use serde_json::json;

    fn element(scale: u32) -> DataElement {
        DataElement {
            code: "x".into(),
            label: "Số tiền".into(),
            measure: "triệu đồng".into(),
            value_type: if scale == 0 {
                ValueType::Integer
            } else {
                ValueType::Decimal
            },
            scale,
            aggregation: Aggregation::Sum,
            options: vec![],
        }
    }

    #[test]
    fn plain_decimals_both_ways() {
        let (i, d) = (element(0), element(2));
        assert_eq!(parse(&i, &json!("3565")).unwrap(), 3565);
        assert_eq!(parse(&i, &json!(419)).unwrap(), 419);
        assert_eq!(parse(&i, &json!(7.0)).unwrap(), 7);
        assert_eq!(parse(&d, &json!("12.5")).unwrap(), 1250);
        assert_eq!(parse(&d, &json!("-0.05")).unwrap(), -5);
        for bad in [
            json!("3.565"),
            json!("1,5"),
            json!("abc"),
            json!(""),
            json!(null),
            json!("1."),
        ] {
            assert!(parse(&i, &bad).is_err(), "{bad}");
        }
        assert!(parse(&d, &json!("1.234")).is_err());
        assert!(
            parse(&i, &json!("abc"))
                .unwrap_err()
                .message
                .contains("không hợp lệ")
        );
        assert_eq!(format(&i, 3565), "3565");
        assert_eq!(format(&d, 1250), "12.5");
        assert_eq!(format(&d, -5), "-0.05");
        assert_eq!(format(&d, 300), "3");
        assert_eq!(fixed(980, 1), "98.0");
        assert_eq!(fixed(-5, 2), "-0.05");
    }
}
