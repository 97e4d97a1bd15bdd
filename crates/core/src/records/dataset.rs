//! Aggregate data (like DHIS2 aggregate data sets): for figures that arrive
//! as numbers rather than as records. An administrator defines data
//! elements (label, unit of measure, integer or decimal with a scale,
//! disaggregation options, how values aggregate) and groups them into data
//! sets with a period type; officials enter one value per unit, period and
//! option. Values of "sum" elements become facts under `data.<code>`, so
//! they are read like any other indicator.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};
use crate::period::{Period, PeriodKind};

pub use crate::records::vocabulary::{Aggregation, PeriodType, ValueType};

/// A disaggregation option (e.g. "thu hồi nộp ngân sách nhà nước").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ElementOption {
    pub code: String,
    pub label: String,
}

/// A data element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataElement {
    /// Lower-case ASCII code; the fact key is `data.<code>`.
    pub code: String,
    /// Vietnamese label, e.g. "Số cuộc thanh tra, kiểm tra".
    pub label: String,
    /// Unit of measure, e.g. "cuộc", "triệu đồng".
    pub measure: String,
    pub value_type: ValueType,
    /// Decimals kept for a decimal element (values are stored × 10^scale).
    pub scale: u32,
    pub aggregation: Aggregation,
    /// Empty: one value per unit and period, with no option.
    pub options: Vec<ElementOption>,
}

/// A data set: elements entered together for one period type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataSet {
    pub code: String,
    pub name: String,
    pub period_type: PeriodType,
    /// Element codes, in entry order.
    pub elements: Vec<String>,
}

/// One entered value, already scaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataValue {
    pub unit_id: i64,
    pub element: String,
    /// `2016`, `2016-H1`, `2016-Q3` or `2016-09`.
    pub period: String,
    /// Option code, empty for an element without options.
    pub option: String,
    pub value: i64,
}

/// Largest decimal scale accepted.
pub const MAX_SCALE: u32 = 6;

fn bad(code: &'static str, msg: String) -> DomainError {
    DomainError::new(code, msg)
}

fn valid_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 48
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl DataElement {
    pub fn validate(&self) -> Result<(), DomainError> {
        if !valid_code(&self.code) {
            return Err(bad(
                "data.bad_code",
                format!("mã chỉ tiêu «{}» chỉ gồm chữ thường không dấu, chữ số và «_» (tối đa 48 ký tự)", self.code),
            )
            .at_field("code"));
        }
        if self.label.trim().is_empty() {
            return Err(bad("data.invalid", "thiếu tên chỉ tiêu".into()).at_field("label"));
        }
        if self.value_type == ValueType::Integer && self.scale != 0 {
            return Err(bad(
                "data.invalid",
                "chỉ tiêu số nguyên không có chữ số thập phân".into(),
            )
            .at_field("scale"));
        }
        if self.scale > MAX_SCALE {
            return Err(bad(
                "data.invalid",
                format!("tối đa {MAX_SCALE} chữ số thập phân"),
            )
            .at_field("scale"));
        }
        let mut seen = HashSet::new();
        for o in &self.options {
            if !valid_code(&o.code) || !seen.insert(o.code.as_str()) {
                return Err(bad(
                    "data.bad_option",
                    format!("mã phân tổ «{}» không hợp lệ hoặc bị trùng", o.code),
                )
                .at_field("options"));
            }
        }
        Ok(())
    }

    /// The fact key of this element.
    pub fn key(&self) -> &'static str {
        key_for(&self.code)
    }

    /// Parse a value typed the Vietnamese way ("3.565", "1.234,5") into
    /// its scaled integer; more decimals than the scale are refused.
    pub fn parse_value(&self, s: &str) -> Result<i64, DomainError> {
        let err = || {
            bad(
                "data.bad_value",
                format!(
                    "giá trị «{s}» của chỉ tiêu «{}» không hợp lệ; viết như 3.565 hoặc 1.234,5 (tối đa {} chữ số thập phân)",
                    self.label, self.scale
                ),
            )
        };
        let t = s.trim();
        let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
        let (int, frac) = t.split_once(',').unwrap_or((t, ""));
        let groups: Vec<&str> = int.split('.').collect();
        let grouped_ok = groups.len() == 1
            || (!groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3));
        let digits: String = groups.concat();
        if digits.is_empty() || !grouped_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        if !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() as u32 > self.scale
            || (t.contains(',') && frac.is_empty())
        {
            return Err(err());
        }
        let mut v: i64 = digits.parse().map_err(|_| err())?;
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| err())?
        };
        f *= 10i64.pow(self.scale - frac.len() as u32);
        v = v
            .checked_mul(10i64.pow(self.scale))
            .and_then(|x| x.checked_add(f))
            .ok_or_else(err)?;
        let v = if neg { -v } else { v };
        crate::bounds::value("data.bad_value", "value", v)?;
        Ok(v)
    }

    /// Whether `option` is allowed for this element.
    pub fn check_option(&self, option: &str) -> Result<(), DomainError> {
        let ok = if self.options.is_empty() {
            option.is_empty()
        } else {
            self.options.iter().any(|o| o.code == option)
        };
        if ok {
            return Ok(());
        }
        let allowed: Vec<&str> = self.options.iter().map(|o| o.code.as_str()).collect();
        Err(bad(
            "data.bad_option",
            if allowed.is_empty() {
                format!("chỉ tiêu «{}» không có phân tổ «{option}»", self.label)
            } else {
                format!(
                    "chỉ tiêu «{}» cần phân tổ là một trong: {}",
                    self.label,
                    allowed.join(", ")
                )
            },
        )
        .at_field("option"))
    }
}

impl DataSet {
    pub fn validate(&self) -> Result<(), DomainError> {
        if !valid_code(&self.code) {
            return Err(bad(
                "data.bad_code",
                format!("mã bộ chỉ tiêu «{}» không hợp lệ", self.code),
            )
            .at_field("code"));
        }
        if self.elements.is_empty() {
            return Err(bad(
                "data.invalid",
                "bộ chỉ tiêu phải có ít nhất một chỉ tiêu".into(),
            )
            .at_field("elements"));
        }
        Ok(())
    }

    /// The first day of `period`, checked against the set's period type.
    pub fn period_start(&self, period: &str) -> Result<NaiveDate, DomainError> {
        let p = Period::parse(period, false)?;
        let fits = matches!(
            (self.period_type, p.kind),
            (PeriodType::Month, PeriodKind::Month { .. })
                | (PeriodType::Quarter, PeriodKind::Quarter { .. })
                | (PeriodType::Half, PeriodKind::Half { .. })
        ) || (self.period_type == PeriodType::Year
            && matches!(p.kind, PeriodKind::Years { from, to } if from == to));
        if !fits {
            return Err(bad(
                "data.bad_period",
                format!(
                    "kỳ «{period}» không phải kỳ {} của bộ chỉ tiêu «{}»",
                    self.period_type.label(),
                    self.name
                ),
            )
            .at_field("period"));
        }
        Ok(p.range().start)
    }
}

/// The fact key `data.<code>`, interned: keys are `'static` and there are
/// only as many as elements defined.
pub fn key_for(code: &str) -> &'static str {
    static KEYS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let name = format!("data.{code}");
    let mut set = KEYS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(k) = set.get(name.as_str()) {
        return k;
    }
    let k: &'static str = Box::leak(name.into_boxed_str());
    set.insert(k);
    k
}

/// A value of a "sum" element with the date of its period's start: what
/// becomes a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummedValue<'a> {
    pub value: &'a DataValue,
    pub period_start: NaiveDate,
}

impl FactSource for SummedValue<'_> {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let v = self.value;
        if v.value == 0 {
            return;
        }
        let breakdown = if v.option.is_empty() {
            String::new()
        } else {
            Breakdown::new().with("option", v.option.clone()).build()
        };
        out.push(Contribution {
            unit_id: v.unit_id,
            date: self.period_start,
            key: key_for(&v.element),
            breakdown,
            value: v.value,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money() -> DataElement {
        DataElement {
            code: "violation_amount".into(),
            label: "Số tiền sai phạm".into(),
            measure: "triệu đồng".into(),
            value_type: ValueType::Decimal,
            scale: 1,
            aggregation: Aggregation::Sum,
            options: vec![ElementOption {
                code: "budget".into(),
                label: "Thu hồi nộp NSNN".into(),
            }],
        }
    }

    #[test]
    fn values_are_read_the_vietnamese_way() {
        let e = money();
        e.validate().unwrap();
        assert_eq!(e.parse_value("3.565").unwrap(), 35650);
        assert_eq!(e.parse_value("1.234,5").unwrap(), 12345);
        assert_eq!(e.parse_value("-7").unwrap(), -70);
        for bad in ["3.56", "1,25", "abc", "", "1.2345", "3,", ".565"] {
            assert!(e.parse_value(bad).is_err(), "{bad}");
        }
        assert!(
            e.parse_value("1,25")
                .unwrap_err()
                .to_string()
                .contains("tối đa 1 chữ số thập phân")
        );
        assert!(e.check_option("budget").is_ok());
        assert!(
            e.check_option("")
                .unwrap_err()
                .to_string()
                .contains("budget")
        );
        assert_eq!(e.key(), "data.violation_amount");
        assert!(std::ptr::eq(e.key(), key_for("violation_amount")));
    }

    #[test]
    fn periods_must_match_the_set() {
        let s = DataSet {
            code: "inspection".into(),
            name: "Thanh tra".into(),
            period_type: PeriodType::Year,
            elements: vec!["x".into()],
        };
        assert_eq!(
            s.period_start("2016").unwrap(),
            NaiveDate::from_ymd_opt(2016, 1, 1).unwrap()
        );
        assert!(
            s.period_start("2016-H1")
                .unwrap_err()
                .to_string()
                .contains("không phải kỳ năm")
        );
    }
}
