//! Indicator formulas kept as data: sums and differences of fact keys with
//! optional breakdown filters, e.g. `reception.turns[kind=periodic]` or
//! `petition.received + petition.open@opening`. `@opening` reads the stock
//! just before the period starts (what was carried over).

use danvan_core::DomainError;
use danvan_store::facts::FactTable;

/// One term of a formula.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Const(i64),
    Key {
        key: String,
        filters: Vec<(String, String)>,
        opening: bool,
    },
}

/// `Σ sign × term`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    pub terms: Vec<(i64, Term)>,
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, DomainError> {
        let bad = |why: &str| {
            DomainError::new(
                "indicator.formula",
                format!("công thức «{src}» không hợp lệ: {why}"),
            )
        };
        let mut terms = Vec::new();
        let mut sign = 1;
        let mut rest = src.trim();
        if rest.is_empty() {
            return Err(bad("công thức rỗng"));
        }
        loop {
            // A term ends at a space, '+' or '-' outside brackets (a '-' inside
            // brackets belongs to a filter value).
            let mut depth = 0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '[' => depth += 1,
                        ']' => depth -= 1,
                        _ => {}
                    }
                    depth == 0 && matches!(c, ' ' | '+' | '-')
                })
                .map_or(rest.len(), |(i, _)| i);
            let tok = &rest[..end];
            if tok.is_empty() {
                return Err(bad("thiếu số hạng"));
            }
            terms.push((sign, parse_term(tok).map_err(|w| bad(&w))?));
            rest = rest[end..].trim_start();
            if rest.is_empty() {
                break;
            }
            sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad("cần dấu + hoặc - giữa các số hạng")),
            };
            rest = rest[1..].trim_start();
        }
        Ok(Expr { terms })
    }

    /// Fact keys the formula needs.
    pub fn keys(&self) -> impl Iterator<Item = (&str, bool)> {
        self.terms.iter().filter_map(|(_, t)| match t {
            Term::Key { key, opening, .. } => Some((key.as_str(), *opening)),
            Term::Const(_) => None,
        })
    }

    /// Evaluate over the facts of the period and of the opening stock.
    pub fn eval(&self, period: &FactTable, opening: &FactTable) -> i64 {
        self.terms
            .iter()
            .map(|(sign, t)| {
                sign * match t {
                    Term::Const(c) => *c,
                    Term::Key {
                        key,
                        filters,
                        opening: o,
                    } => {
                        let table = if *o { opening } else { period };
                        if filters.is_empty() {
                            table.total(key)
                        } else {
                            let f: Vec<(&str, &str)> = filters
                                .iter()
                                .map(|(d, v)| (d.as_str(), v.as_str()))
                                .collect();
                            table.total_where(key, &f)
                        }
                    }
                }
            })
            .sum()
    }
}

fn parse_term(tok: &str) -> Result<Term, String> {
    if let Ok(n) = tok.parse::<i64>() {
        return Ok(Term::Const(n));
    }
    let (body, opening) = match tok.strip_suffix("@opening") {
        Some(b) => (b, true),
        None => (tok, false),
    };
    let (key, filters) = match body.split_once('[') {
        None => (body, Vec::new()),
        Some((k, f)) => {
            let f = f.strip_suffix(']').ok_or("thiếu dấu ]")?;
            let mut out = Vec::new();
            for pair in f.split(',') {
                let (d, v) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("bộ lọc «{pair}» cần dạng chiều=giá trị"))?;
                out.push((d.trim().to_string(), v.trim().to_string()));
            }
            (k, out)
        }
    };
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
    {
        return Err(format!("tên chỉ số «{key}» không hợp lệ"));
    }
    Ok(Term::Key {
        key: key.to_string(),
        filters,
        opening,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(&str, &str, i64)]) -> FactTable {
        let mut t = FactTable::default();
        for (k, b, v) in rows {
            t.values.insert((k.to_string(), b.to_string()), *v);
        }
        t
    }

    #[test]
    fn evaluates_sums_filters_and_opening_stock() {
        let period = table(&[
            ("reception.turns", "", 70),
            ("reception.turns", "kind=periodic", 13),
            ("reception.turns", "kind=regular", 57),
            ("petition.received", "", 54),
        ]);
        let opening = table(&[("petition.open", "", 21)]);
        let e = Expr::parse("reception.turns[kind=periodic]").unwrap();
        assert_eq!(e.eval(&period, &opening), 13);
        let e = Expr::parse("petition.received + petition.open@opening").unwrap();
        assert_eq!(e.eval(&period, &opening), 75);
        let e = Expr::parse("reception.turns[kind=periodic]@opening+petition.received").unwrap();
        assert_eq!(e.eval(&period, &opening), 54);
        let e = Expr::parse("petition.received + petition.open@opening").unwrap();
        assert_eq!(e.eval(&period, &opening), 75);
        let e = Expr::parse("reception.turns - reception.turns[kind=periodic] - 7").unwrap();
        assert_eq!(e.eval(&period, &opening), 50);
    }

    #[test]
    fn refuses_bad_formulas_in_vietnamese() {
        for bad in ["", "reception.turns *", "Reception", "a[b]", "x + + y"] {
            let e = Expr::parse(bad).unwrap_err();
            assert!(e.message.contains("công thức"), "{bad}: {e}");
        }
    }
}
