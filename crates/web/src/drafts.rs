//! Drafts of a report's qualitative sections, keyed by unit, period and
//! template (the template the report resolves to when none was chosen).
//! Kept by `danvan_store::drafts`.

use std::collections::BTreeMap;

use danvan_core::period::Period;
use danvan_store::units::Unit;
use danvan_store::{Store, StoreError, drafts};

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
    let key = template_key(unit, period, template);
    Ok(drafts::get(store, unit, period, &key)
        .await?
        .map(|d| d.sections)
        .unwrap_or_default())
}

pub async fn save(
    store: &Store,
    unit: &Unit,
    period: &Period,
    template: Option<&str>,
    sections: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let key = template_key(unit, period, template);
    drafts::save(store, unit, period, &key, sections).await
}
