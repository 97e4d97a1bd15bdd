//! The unit list import: any bytes give a plan or Vietnamese row errors,
//! never a panic. A plan puts every parent before its children and names
//! each code once; planning the same file again on top of the fixture's
//! units never panics either.
#![no_main]

use std::collections::HashSet;

use danvan_fuzz::units;
use danvan_store::unit_import;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for existing in [&[][..], units()] {
        let Ok(plan) = unit_import::plan(data, existing) else {
            continue;
        };
        let mut placed: HashSet<&str> = existing.iter().map(|u| u.code.as_str()).collect();
        for r in &plan.fresh {
            if let Some(p) = &r.parent {
                assert!(
                    placed.contains(p.as_str()) || plan.fresh.iter().all(|x| &x.code != p),
                    "parent {p} of {} comes after it",
                    r.code
                );
            }
            assert!(placed.insert(&r.code), "code {} twice", r.code);
            if let (Some(f), Some(t)) = (r.from, r.to) {
                assert!(f <= t);
            }
        }
    }
});
