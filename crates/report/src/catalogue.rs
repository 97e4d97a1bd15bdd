//! The indicator catalogue and validation rules, loaded from TOML data
//! (`catalogue.toml`, shipped inside the binary). Every formula is parsed
//! when the catalogue loads, so a bad one is refused before any report.

use std::collections::BTreeMap;

use danvan_core::DomainError;
use serde::Deserialize;

use crate::expr::Expr;

/// A named indicator: a count/sum, or a ratio with its decimals.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub code: String,
    pub label: String,
    pub formula: Formula,
}

#[derive(Debug, Clone)]
pub enum Formula {
    Value(Expr),
    Ratio {
        numerator: Expr,
        denominator: Expr,
        decimals: u32,
    },
}

/// How a rule compares its two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Op {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">=")]
    Ge,
}

impl Op {
    pub fn holds(self, l: i64, r: i64) -> bool {
        match self {
            Op::Eq => l == r,
            Op::Le => l <= r,
            Op::Ge => l >= r,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Le => "≤",
            Op::Ge => "≥",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A validation rule: left side, operator, right side, severity.
#[derive(Debug, Clone)]
pub struct Rule {
    pub code: String,
    pub message: String,
    pub left: Expr,
    pub op: Op,
    pub right: Expr,
    pub severity: Severity,
}

#[derive(Deserialize)]
struct RawIndicator {
    code: String,
    label: String,
    value: Option<String>,
    numerator: Option<String>,
    denominator: Option<String>,
    #[serde(default = "one")]
    decimals: u32,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize)]
struct RawRule {
    code: String,
    message: String,
    left: String,
    op: Op,
    right: String,
    severity: Severity,
}

#[derive(Deserialize)]
struct RawCatalogue {
    #[serde(default)]
    indicator: Vec<RawIndicator>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// Indicators by code, and rules, in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub indicators: BTreeMap<String, Indicator>,
    pub rules: Vec<Rule>,
}

/// The catalogue shipped with danvan.
pub const BUILTIN: &str = include_str!("../catalogue.toml");

impl Catalogue {
    pub fn builtin() -> Catalogue {
        Catalogue::parse(BUILTIN).expect("the shipped catalogue is valid (tested)")
    }

    /// The shipped catalogue, parsed once for the process: requests that
    /// only read it need not parse the TOML again.
    pub fn shipped() -> &'static Catalogue {
        static C: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
        C.get_or_init(Catalogue::builtin)
    }

    pub fn parse(src: &str) -> Result<Catalogue, DomainError> {
        let raw: RawCatalogue = toml::from_str(src).map_err(|e| {
            DomainError::new(
                "catalogue.syntax",
                format!("danh mục chỉ số không hợp lệ: {e}"),
            )
        })?;
        let mut indicators = BTreeMap::new();
        for r in raw.indicator {
            let formula = match (&r.value, &r.numerator, &r.denominator) {
                (Some(v), None, None) => Formula::Value(Expr::parse(v)?),
                (None, Some(n), Some(d)) => Formula::Ratio {
                    numerator: Expr::parse(n)?,
                    denominator: Expr::parse(d)?,
                    decimals: r.decimals,
                },
                _ => {
                    return Err(DomainError::new(
                        "catalogue.indicator",
                        format!(
                            "chỉ số «{}» cần hoặc «value», hoặc cả «numerator» và «denominator»",
                            r.code
                        ),
                    ));
                }
            };
            if indicators.contains_key(&r.code) {
                return Err(DomainError::new(
                    "catalogue.duplicate",
                    format!("chỉ số «{}» khai báo hai lần", r.code),
                ));
            }
            indicators.insert(
                r.code.clone(),
                Indicator {
                    code: r.code,
                    label: r.label,
                    formula,
                },
            );
        }
        let rules = raw
            .rule
            .into_iter()
            .map(|r| {
                Ok(Rule {
                    left: Expr::parse(&r.left)?,
                    right: Expr::parse(&r.right)?,
                    code: r.code,
                    message: r.message,
                    op: r.op,
                    severity: r.severity,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Catalogue { indicators, rules })
    }

    /// Every fact key any indicator or rule needs, with whether it is read
    /// as an opening stock.
    pub fn keys(&self) -> (Vec<String>, Vec<String>) {
        let mut period = std::collections::BTreeSet::new();
        let mut opening = std::collections::BTreeSet::new();
        let mut add = |e: &Expr| {
            for (k, o) in e.keys() {
                if o {
                    opening.insert(k.to_string());
                } else {
                    period.insert(k.to_string());
                }
            }
        };
        for i in self.indicators.values() {
            match &i.formula {
                Formula::Value(e) => add(e),
                Formula::Ratio {
                    numerator,
                    denominator,
                    ..
                } => {
                    add(numerator);
                    add(denominator);
                }
            }
        }
        for r in &self.rules {
            add(&r.left);
            add(&r.right);
        }
        (period.into_iter().collect(), opening.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_loads() {
        let c = Catalogue::builtin();
        assert!(c.indicators.contains_key("reception_turns"));
        assert!(!c.rules.is_empty());
    }

    #[test]
    fn a_bad_formula_is_refused_at_load() {
        let e = Catalogue::parse("[[indicator]]\ncode = \"x\"\nlabel = \"X\"\nvalue = \"a +\"\n")
            .unwrap_err();
        assert!(e.message.contains("công thức «a +»"), "{e}");
    }
}
