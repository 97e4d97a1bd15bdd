//! What a record contributes to the fact store.
//!
//! A record never writes facts itself: it says what it contributes — to
//! which indicator key, on which date, at which unit, under which
//! breakdown — and the store turns the difference between a record's old and
//! new contributions into fact updates. Insert, update, move and delete are
//! therefore one mechanism, and a recount from raw records uses the very
//! same function.

use chrono::NaiveDate;
use serde::Serialize;

/// One record's contribution to one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Contribution {
    /// The unit the record belongs to (the store resolves mergers).
    pub unit_id: i64,
    pub date: NaiveDate,
    /// Indicator key, e.g. `reception.turns`.
    pub key: &'static str,
    /// Canonical breakdown, `dim=value;dim=value` sorted by dimension.
    pub breakdown: String,
    pub value: i64,
}

/// Builds the canonical breakdown string so the same dimensions always give
/// the same text, whatever order a record lists them in.
#[derive(Debug, Default, Clone)]
pub struct Breakdown {
    pairs: Vec<(&'static str, String)>,
}

impl Breakdown {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, dim: &'static str, value: impl Into<String>) -> Self {
        self.pairs.push((dim, value.into()));
        self
    }

    pub fn build(mut self) -> String {
        self.pairs.sort();
        let mut out = String::new();
        for (i, (d, v)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push(';');
            }
            out.push_str(d);
            out.push('=');
            out.push_str(v);
        }
        out
    }
}

/// The value of dimension `dim` in a canonical breakdown, if present.
pub fn dimension<'a>(breakdown: &'a str, dim: &str) -> Option<&'a str> {
    breakdown.split(';').find_map(|pair| {
        let (d, v) = pair.split_once('=')?;
        (d == dim).then_some(v)
    })
}

/// A record type that feeds the fact store.
pub trait FactSource {
    /// Push this record's contributions. Zero values may be skipped.
    fn contributions(&self, out: &mut Vec<Contribution>);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdowns_are_canonical() {
        let a = Breakdown::new()
            .with("kind", "dinh_ky")
            .with("content", "khieu_nai")
            .build();
        let b = Breakdown::new()
            .with("content", "khieu_nai")
            .with("kind", "dinh_ky")
            .build();
        assert_eq!(a, b);
        assert_eq!(a, "content=khieu_nai;kind=dinh_ky");
        assert_eq!(dimension(&a, "kind"), Some("dinh_ky"));
        assert_eq!(dimension(&a, "outcome"), None);
    }
}
