//! Test databases on both engines: held once, in `danvan-testkit`.
#![allow(unused_imports, dead_code)]

pub use danvan_testkit::*;

pub mod world;

use danvan_core::period::Period;
use danvan_report::{Catalogue, Report, Request};
use danvan_store::Store;
use danvan_store::units::Unit;

/// The report of `unit` for `period` (as written in the CLI), with the
/// built-in catalogue and an optional named template.
pub async fn report(store: &Store, unit: &Unit, period: &str, template: Option<&str>) -> Report {
    let period = Period::parse(period, false).unwrap();
    danvan_report::build(
        store,
        &Catalogue::builtin(),
        Request::new(unit, period).template(template),
    )
    .await
    .unwrap()
}
