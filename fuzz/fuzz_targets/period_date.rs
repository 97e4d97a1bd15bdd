//! Period codes and dates: no panic on any text. A period that parses has
//! a code that parses back to the same period, a range that starts no
//! later than it ends and decomposes into bucket runs covering it, a
//! Vietnamese name, and a previous year one year earlier.
#![no_main]

use chrono::{Datelike, NaiveDate};
use danvan_core::period::{Period, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(d) = parse_date(s) {
        assert_eq!(parse_date(&d.to_string()), Some(d), "{s:?}");
    }
    if let Ok(d) = NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y") {
        let _ = d.format("%d/%m/%Y").to_string();
    }
    for cutoff in [false, true] {
        let Ok(p) = Period::parse(s, cutoff) else {
            continue;
        };
        let code = p.code();
        assert_eq!(Period::parse(&code, cutoff).ok(), Some(p), "{s:?} → {code}");
        let _ = p.to_string();
        let r = p.range();
        assert!(r.start <= r.end, "{s:?}");
        let runs = r.decompose();
        assert!(!runs.is_empty() && runs.len() <= 7, "{s:?}: {runs:?}");
        let prev = p.previous_year();
        let pr = prev.range();
        assert!(pr.start <= pr.end);
        assert!(r.start.year() - pr.start.year() == 1, "{s:?}");
    }
});
