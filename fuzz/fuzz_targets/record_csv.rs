//! The record import readers on CSV: the first byte picks the kind, the
//! rest is the file, re-encoded to UTF-8 as the import does. No panic;
//! every accepted row is a valid record of a known unit.
#![no_main]

use danvan_fuzz::{KINDS, read_records};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, file)) = data.split_first() else {
        return;
    };
    let csv = danvan_input::to_utf8(file.to_vec());
    assert!(std::str::from_utf8(&csv).is_ok() || csv == file);
    read_records(KINDS[k as usize % KINDS.len()], &csv);
});
