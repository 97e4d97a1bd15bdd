//! Computed dashboards, kept until the data under them changes; the same
//! cache keeps the figures `GET /api/figures` answers
//! ([`DashboardCache::get_or_build`]).
//!
//! A province dashboard costs a fact read over every unit below, the
//! petition due lists and the charts: several milliseconds of CPU, where
//! the page must serve well over a thousand requests a second on two
//! cores. What it shows is a function of the key below and of the data,
//! so a dashboard is kept with the [`DataVersion`] it was computed under
//! and served again only while the store's version is still the same.
//! Every committed write moves the version on (`Tx::commit`; other
//! processes through the database, see [`Store::data_version`]), so a
//! figure is never stale: a record saved is in the next dashboard read.
//!
//! The key is everything else the content depends on:
//! - the unit, the period (its exact value) and today's date (due lists,
//!   the one-stop backlog);
//! - the root of the reader's scope: the due lists keep to the petitions
//!   the reading store may see, so two scopes over one unit may differ.
//!
//! The role does not change the content (the dashboard holds figures and
//! the due lists carry no denouncer's identity, so masking has nothing to
//! hide), nor does the one-stop formula need a place in the key: it is
//! data, read inside the build, and setting it is a write like any other.
//! The catalogue is the shipped one, fixed for the process.
//!
//! A request's store carries the version as of the request
//! ([`Store::pinned_version`]), so serving a kept dashboard asks the
//! database nothing; a dashboard is built, and labelled, only after the
//! version is read afresh.
//!
//! Access is checked before the lookup: a unit outside the reader's scope
//! is not found, whatever is cached. The cache holds at most `capacity`
//! dashboards and drops the least recently used one beyond that. While a
//! dashboard is built, other requests for the same key wait for it rather
//! than build it again: after a write, one build serves everyone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_store::units::Unit;
use danvan_store::{DataVersion, Store, StoreError};

use crate::dashboard::{self, Dashboard};

/// Everything besides the data that a dashboard's content depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    unit: i64,
    /// The period exactly (kind, range, cut-off or calendar).
    period: String,
    today: NaiveDate,
    scope: Option<i64>,
}

/// One key's dashboard and the version it was computed under. The async
/// lock is held while it is checked or built, so a build is shared.
struct Slot<T> {
    last_used: AtomicU64,
    value: tokio::sync::Mutex<Option<(DataVersion, T)>>,
}

/// Dashboards as `T` (the dashboard itself, or what a page makes of it:
/// the charts are drawn once too), by key.
pub struct DashboardCache<T> {
    capacity: usize,
    slots: Mutex<Slots<T>>,
}

struct Slots<T> {
    map: HashMap<Key, Arc<Slot<T>>>,
    tick: u64,
}

impl<T: Clone> DashboardCache<T> {
    /// A cache of at most `capacity` dashboards; 0 keeps none (every read
    /// builds).
    pub fn new(capacity: usize) -> DashboardCache<T> {
        DashboardCache {
            capacity,
            slots: Mutex::new(Slots {
                map: HashMap::new(),
                tick: 0,
            }),
        }
    }

    /// How many dashboards are kept now.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Slots<T>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The dashboard of `unit` for `period` as seen on `today` through
    /// `store` ([`dashboard::build`]), made into a `T` by `make`: the kept
    /// one if nothing changed since it was made, else built now and kept.
    /// `store` is a request's (pinned when the request began, as
    /// `Store::within` and `Store::pin_units` do): other processes' writes
    /// are seen as of then.
    pub async fn get(
        &self,
        store: &Store,
        unit: &Unit,
        period: &Period,
        today: NaiveDate,
        make: impl FnOnce(Dashboard) -> T,
    ) -> Result<T, StoreError> {
        self.get_or_build(store, unit, period, today, || async move {
            Ok(make(dashboard::build(store, unit, period, today).await?))
        })
        .await
    }

    /// What `build` makes of `unit`'s data for `period` as seen on
    /// `today` through `store`: the kept value if nothing changed since it
    /// was made, else built now and kept. `build` may read only the data
    /// (and the key): whatever it depends on besides is part of the key.
    pub async fn get_or_build<F, Fut>(
        &self,
        store: &Store,
        unit: &Unit,
        period: &Period,
        today: NaiveDate,
        build: F,
    ) -> Result<T, StoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, StoreError>>,
    {
        // The access check comes first and does not depend on the cache.
        if !store.permits(unit.id) {
            return Err(StoreError::NotFound(format!("đơn vị có mã số {}", unit.id)));
        }
        if self.capacity == 0 {
            return build().await;
        }
        let key = Key {
            unit: unit.id,
            period: format!("{period:?}"),
            today,
            scope: store.scope().map(|s| s.root),
        };
        let slot = self.slot(key);
        let mut value = slot.value.lock().await;
        let fresh = |v: &DataVersion| value.as_ref().is_some_and(|(kept, _)| kept == v);
        // A request's store knows the version as of the request (nothing
        // to ask the database): equal, and nothing the request must see
        // has changed since the kept one was computed.
        if store.pinned_version().is_some_and(|v| fresh(&v)) {
            return Ok(value.as_ref().expect("fresh").1.clone());
        }
        // Else ask, under the slot's lock and before building: a write
        // committed after this read moves the version on and the next read
        // rebuilds; one committed before it is in what is built now.
        let version = store.data_version().await?;
        if fresh(&version) {
            return Ok(value.as_ref().expect("fresh").1.clone());
        }
        let t = build().await?;
        *value = Some((version, t.clone()));
        Ok(t)
    }

    /// The slot of `key`, made if new; beyond the capacity the least
    /// recently used slot is dropped.
    fn slot(&self, key: Key) -> Arc<Slot<T>> {
        let mut slots = self.lock();
        slots.tick += 1;
        let tick = slots.tick;
        if let Some(s) = slots.map.get(&key) {
            s.last_used.store(tick, Ordering::Relaxed);
            return s.clone();
        }
        if slots.map.len() >= self.capacity
            && let Some(oldest) = slots
                .map
                .iter()
                .min_by_key(|(_, s)| s.last_used.load(Ordering::Relaxed))
                .map(|(k, _)| k.clone())
        {
            slots.map.remove(&oldest);
        }
        let s = Arc::new(Slot {
            last_used: AtomicU64::new(tick),
            value: tokio::sync::Mutex::new(None),
        });
        slots.map.insert(key, s.clone());
        s
    }
}
