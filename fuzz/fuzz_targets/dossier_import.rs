//! The one-stop dossier import's parser and checker, as the import runs
//! them before writing: no panic; every row is either good, rejected or
//! merged into an inter-agency dossier already met; every good dossier
//! is valid, of a known unit, and no code is good twice.
#![no_main]

use std::collections::HashSet;

use danvan_fuzz::{today, units};
use danvan_store::dossiers::import::{Checker, parse_csv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let all = units();
    let mut checker = Checker::on(all, today());
    let mut codes: HashSet<String> = HashSet::new();
    let _ = parse_csv(data, |rows| {
        let n = rows.len();
        let checked = checker.check(rows);
        assert_eq!(checked.rows(), n);
        assert_eq!(
            checked.good().len() + checked.rejected().len() + checked.merged(),
            n
        );
        for (province, d) in checked.good() {
            let u = all
                .iter()
                .find(|u| u.id == d.unit_id)
                .expect("a known unit");
            assert_eq!(u.province_id, *province);
            assert!(d.received_on <= today());
            d.validate().expect("a good dossier is valid");
            assert!(codes.insert(d.code.clone()), "code {} good twice", d.code);
        }
        true
    });
});
