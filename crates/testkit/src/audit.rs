//! The audit log of one record, as tests read it back.

use danvan_store::Store;
use danvan_store::audit::{self, Entry, Filter};

/// The filter of one record's entries: `entity` (`"petition"`…) and its id.
pub fn of(entity: &str, id: impl ToString) -> Filter {
    Filter {
        entity: Some(entity.into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    }
}

/// The entries of one record, newest first.
pub async fn history(store: &Store, entity: &str, id: impl ToString) -> Vec<Entry> {
    audit::list(store, &of(entity, id))
        .await
        .expect("read the audit log")
}

/// The actions logged on one record, newest first.
pub async fn actions(store: &Store, entity: &str, id: impl ToString) -> Vec<String> {
    history(store, entity, id)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Every entry about records of `entity`, newest first.
pub async fn of_entity(store: &Store, entity: &str) -> Vec<Entry> {
    let filter = Filter {
        entity: Some(entity.into()),
        ..Default::default()
    };
    audit::list(store, &filter)
        .await
        .expect("read the audit log")
}
