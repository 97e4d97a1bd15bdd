//! The record import readers on XLSX: the first byte picks the kind, the
//! rest is the spreadsheet, read through the bounded reader the server
//! uses (`danvan_input::to_csv` with the default limits). No panic, no
//! allocation past the limits (run with -rss_limit_mb=2048); a sheet it
//! accepts reads like the CSV it is turned into.
#![no_main]

use danvan_fuzz::{KINDS, read_records};
use danvan_input::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, file)) = data.split_first() else {
        return;
    };
    let limits = Limits::default();
    let name = if k & 0x80 == 0 {
        "tep.xlsx"
    } else {
        "tep.xlsb"
    };
    let Ok(csv) = danvan_input::to_csv(name, file.to_vec(), &limits) else {
        return;
    };
    let rows = csv.iter().filter(|&&b| b == b'\n').count();
    assert!(rows <= limits.rows as usize + 1);
    read_records(KINDS[k as usize % KINDS.len()], &csv);
});
