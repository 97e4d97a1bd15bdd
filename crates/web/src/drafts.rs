//! Drafts of a report's qualitative sections, keyed by unit, period and
//! template. Stored with the report (see `danvan_store::drafts`).

use std::collections::BTreeMap;

use danvan_core::period::Period;
use danvan_store::units::Unit;
use danvan_store::{Store, StoreError};

fn template_key(unit: &Unit, period: &Period, template: Option<&str>) -> String {
    template.map_or_else(
        || danvan_report::default_template(unit, period).to_string(),
        str::to_string,
    )
}

pub async fn load(
    store: &Store,
    unit: &Unit,
    period: &Period,
    template: Option<&str>,
) -> Result<BTreeMap<String, String>, StoreError> {
    let _ = (store, template_key(unit, period, template));
    Ok(BTreeMap::new())
}

pub async fn save(
    store: &Store,
    unit: &Unit,
    period: &Period,
    template: Option<&str>,
    sections: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let _ = (store, template_key(unit, period, template), sections);
    Err(danvan_core::DomainError::new("draft.unavailable", "chưa lưu được bản nháp").into())
}
