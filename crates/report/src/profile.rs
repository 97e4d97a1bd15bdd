//! The opening of a report's "Đặc điểm tình hình": the unit's profile for
//! the year (villages, population and its ethnic-minority share, poor
//! households, agencies), read by `store::profile`, and the petitions of
//! the period per 10.000 inhabitants. The profile is a yearly stock, not a
//! figure of the period, so it is read for the year, beside the catalogue.

use danvan_core::number;
use danvan_store::profile::Profile;
use danvan_store::units::Unit;
use serde::Serialize;

/// What the templates print: one sentence, and the rate on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opening {
    pub year: i32,
    /// "Năm 2025, xã Bình Minh có 12 thôn; dân số 8.000 người, trong đó
    /// đồng bào dân tộc thiểu số 2.000 người (25,0%); 150 hộ nghèo."
    pub text: String,
    /// Petitions received in the period per 10.000 inhabitants: "12,50".
    pub petitions_per_10k: Option<String>,
}

/// The opening of `unit`'s report from its profile and the petitions
/// received in the period.
pub fn opening(unit: &Unit, p: &Profile, petitions: i64) -> Opening {
    let n = |c: &str| number::int(p.get(c));
    let mut parts: Vec<String> = Vec::new();
    let places: Vec<String> = [
        ("thon", "thôn, làng, ấp, bản"),
        ("to_dan_pho", "tổ dân phố"),
    ]
    .iter()
    .filter(|(c, _)| p.get(c) > 0)
    .map(|(c, label)| format!("{} {label}", n(c)))
    .collect();
    if !places.is_empty() {
        parts.push(places.join(" và "));
    }
    if p.get("dan_so") > 0 {
        let mut s = format!("dân số {} người", n("dan_so"));
        if p.get("dan_so_dtts") > 0 {
            let share =
                number::percent(p.get("dan_so_dtts"), p.get("dan_so"), 1).unwrap_or_default();
            s.push_str(&format!(
                ", trong đó đồng bào dân tộc thiểu số {} người ({share})",
                n("dan_so_dtts")
            ));
        }
        parts.push(s);
    }
    if p.get("ho_ngheo") > 0 {
        parts.push(format!("{} hộ nghèo", n("ho_ngheo")));
    }
    let bodies: Vec<String> = [
        ("co_quan", "cơ quan, đơn vị"),
        ("don_vi_su_nghiep", "đơn vị sự nghiệp công lập"),
    ]
    .iter()
    .filter(|(c, _)| p.get(c) > 0)
    .map(|(c, label)| format!("{} {label}", n(c)))
    .collect();
    if !bodies.is_empty() {
        parts.push(format!("{} trực thuộc", bodies.join(" và ")));
    }
    let text = format!(
        "Năm {}, {} có {}.",
        p.year,
        unit.full_name(),
        parts.join("; ")
    );
    // petitions × 10.000 / population, two decimals.
    let petitions_per_10k = (p.get("dan_so") > 0)
        .then(|| number::rate_scaled(petitions * 100, p.get("dan_so"), 2))
        .flatten()
        .map(|v| number::decimal(v, 2));
    Opening {
        year: p.year,
        text,
        petitions_per_10k,
    }
}
