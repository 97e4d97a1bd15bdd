//! Record forms: a field list (name, Vietnamese label, kind), parsing of a
//! submitted form with a Vietnamese message per wrong field, and the view
//! model the `field` macro of `macros.html` renders. A form with any error
//! is shown again with the user's input and nothing is saved.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::error::Where;
use danvan_store::StoreError;
use serde::Serialize;

/// How a field is entered and checked.
#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    /// A new password: hidden as it is typed, never filled back in.
    Password,
    Area,
    /// `dd/mm/yyyy` (what officials type) or `yyyy-mm-dd`.
    Date,
    Int,
    Bool,
    /// Stored code and Vietnamese label of each choice.
    Choice(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub help: Option<&'static str>,
}

impl Field {
    pub fn new(name: &'static str, label: &'static str, kind: Kind) -> Field {
        Field {
            name,
            label,
            kind,
            required: false,
            help: None,
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn help(mut self, h: &'static str) -> Field {
        self.help = Some(h);
        self
    }
}

/// The choices of a vocabulary type (`code`, `label`).
#[macro_export]
macro_rules! choices {
    ($t:ty) => {
        $crate::forms::Kind::Choice(
            <$t>::ALL
                .iter()
                .map(|v| (v.code().to_string(), v.label().to_string()))
                .collect(),
        )
    };
}

/// Parse a date as officials write it: `05/01/2020`, `5/1/2020` or
/// `2020-01-05`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    danvan_core::period::parse_date(s).or_else(|| NaiveDate::parse_from_str(s, "%d/%m/%Y").ok())
}

/// A submitted form, its values and the errors found so far.
#[derive(Debug, Default)]
pub struct Submitted {
    pub values: HashMap<String, String>,
    pub errors: BTreeMap<String, String>,
    /// Errors that belong to no single field.
    pub general: Vec<String>,
}

impl Submitted {
    pub fn new(values: HashMap<String, String>) -> Submitted {
        Submitted {
            values,
            ..Default::default()
        }
    }

    pub fn raw(&self, name: &str) -> &str {
        self.values.get(name).map_or("", |v| v.trim())
    }

    fn err(&mut self, name: &str, msg: String) {
        self.errors.entry(name.to_string()).or_insert(msg);
    }

    /// Note an error found by a check of the form's own (the first error of
    /// a field is the one shown).
    pub fn error(&mut self, name: &str, msg: impl Into<String>) {
        self.err(name, msg.into())
    }

    pub fn text(&mut self, f: &Field) -> String {
        let v = self.raw(f.name).to_string();
        if f.required && v.is_empty() {
            self.err(f.name, format!("chưa nhập {}", f.label.to_lowercase()));
        }
        v
    }

    pub fn date(&mut self, f: &Field) -> Option<NaiveDate> {
        let v = self.raw(f.name).to_string();
        if v.is_empty() {
            if f.required {
                self.err(f.name, format!("chưa nhập {}", f.label.to_lowercase()));
            }
            return None;
        }
        let d = parse_date(&v);
        if d.is_none() {
            self.err(
                f.name,
                format!("ngày «{v}» không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2020"),
            );
        }
        d
    }

    pub fn int(&mut self, f: &Field) -> Option<i64> {
        let v = self.raw(f.name).replace('.', "");
        if v.is_empty() {
            if f.required {
                self.err(f.name, format!("chưa nhập {}", f.label.to_lowercase()));
            }
            return None;
        }
        match v.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            _ => {
                self.err(f.name, format!("«{v}» không phải số nguyên không âm"));
                None
            }
        }
    }

    pub fn bool(&self, f: &Field) -> bool {
        matches!(self.raw(f.name), "1" | "on" | "true")
    }

    /// A choice parsed by the vocabulary's own `parse` (whose message
    /// already names the allowed values).
    pub fn choice<T>(
        &mut self,
        f: &Field,
        parse: impl Fn(&str) -> Result<T, DomainError>,
    ) -> Option<T> {
        let v = self.raw(f.name).to_string();
        if v.is_empty() {
            if f.required {
                self.err(f.name, format!("chưa chọn {}", f.label.to_lowercase()));
            }
            return None;
        }
        match parse(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.err(f.name, e.message);
                None
            }
        }
    }

    pub fn ok(&self) -> bool {
        self.errors.is_empty() && self.general.is_empty()
    }

    /// Put a store's refusal next to the field it names, or above the form.
    pub fn store_error(&mut self, e: &StoreError) {
        match e {
            StoreError::Invalid(d) => self.domain_error(d),
            StoreError::InvalidRows(ds) => ds.iter().for_each(|d| self.domain_error(d)),
            e => self.general.push(e.to_string()),
        }
    }

    pub fn domain_error(&mut self, d: &DomainError) {
        match &d.at {
            Where::Field { field } | Where::LineField { field, .. } => {
                let key = field.rsplit('.').next().unwrap_or(field).to_string();
                let key = if self.values.contains_key(field) {
                    field.clone()
                } else {
                    key
                };
                self.err(&key, d.message.clone())
            }
            _ => self.general.push(d.message.clone()),
        }
    }
}

/// What the `field` macro renders.
#[derive(Debug, Serialize)]
pub struct FieldView {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
    help: Option<&'static str>,
    value: String,
    error: Option<String>,
    options: Vec<(String, String)>,
}

/// The fields with the submitted values (or defaults) and their errors.
pub fn view(fields: &[Field], s: &Submitted) -> Vec<FieldView> {
    fields
        .iter()
        .map(|f| FieldView {
            name: f.name,
            label: f.label,
            kind: match f.kind {
                Kind::Text => "text",
                Kind::Password => "password",
                Kind::Area => "area",
                Kind::Date => "date",
                Kind::Int => "int",
                Kind::Bool => "bool",
                Kind::Choice(_) => "choice",
            },
            required: f.required,
            help: f.help,
            value: s.raw(f.name).to_string(),
            error: s.errors.get(f.name).cloned(),
            options: match &f.kind {
                Kind::Choice(o) => o.clone(),
                _ => Vec::new(),
            },
        })
        .collect()
}

/// The unit choice of a form: the user's subtree, indented.
pub async fn unit_choice(store: &danvan_store::Store) -> Result<Kind, StoreError> {
    let units = crate::pages::units::visible(store).await?;
    Ok(Kind::Choice(
        units
            .iter()
            .take(2000)
            .map(|(d, u)| {
                (
                    u.id.to_string(),
                    format!("{}{}", "— ".repeat(*d), u.full_name()),
                )
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officials_dates() {
        assert_eq!(
            parse_date("05/01/2020"),
            NaiveDate::from_ymd_opt(2020, 1, 5)
        );
        assert_eq!(parse_date("5/1/2020"), NaiveDate::from_ymd_opt(2020, 1, 5));
        assert_eq!(
            parse_date("2020-01-05"),
            NaiveDate::from_ymd_opt(2020, 1, 5)
        );
        assert_eq!(parse_date("31/02/2020"), None);
    }

    #[test]
    fn a_bad_date_is_named_in_vietnamese() {
        let f = Field::new("received_on", "Ngày nhận", Kind::Date).required();
        let mut s = Submitted::new([("received_on".to_string(), "31/02/2020".to_string())].into());
        assert_eq!(s.date(&f), None);
        assert!(
            s.errors["received_on"].contains("không hợp lệ"),
            "{:?}",
            s.errors
        );
        assert!(!s.ok());
    }
}
