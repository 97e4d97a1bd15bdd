//! The unit fixture every crate's tests read: the real tree of Lâm Đồng
//! before and after the mergers of 1 July 2025 (`fixtures/units.csv`).

use danvan_store::{Store, unit_import, units};

/// The fixture unit tree, as CSV.
pub const FIXTURE: &str = include_str!("../../../fixtures/units.csv");

/// Import the fixture into `store`.
pub async fn load(store: &Store) {
    unit_import::import_csv(store, FIXTURE.as_bytes())
        .await
        .expect("import the fixture units");
}

/// The id of the unit named by `code` (a bare code is the highest unit
/// of that code).
pub async fn id(store: &Store, code: &str) -> i64 {
    units::find(store, code, None)
        .await
        .unwrap_or_else(|e| panic!("unit {code}: {e}"))
        .id
}

/// Import the fixture and give the id of the unit named by `code`.
pub async fn load_and_find(store: &Store, code: &str) -> i64 {
    load(store).await;
    id(store, code).await
}

/// Import the unit tree `csv` into `store`; every unit, as stored.
pub async fn load_tree(store: &Store, csv: &str) -> Vec<units::Unit> {
    unit_import::import_csv(store, csv.as_bytes())
        .await
        .expect("import the unit tree");
    units::all(store).await.expect("read the units")
}
