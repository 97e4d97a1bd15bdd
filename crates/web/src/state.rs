//! What every handler shares: the store, the page templates and the
//! dashboards computed so far.

use std::sync::Arc;

use axum::extract::FromRef;
use danvan_store::Store;
use minijinja::Environment;

#[derive(Clone)]
pub struct AppState {
    /// The unscoped store; handlers get a scoped one through [`crate::auth::Ctx`].
    pub store: Store,
    pub pages: Arc<Environment<'static>>,
    /// Dashboards kept until the data changes (never stale: see
    /// `danvan_report::dashboard_cache`).
    pub dashboards: Arc<crate::pages::dashboard::Cache>,
    /// The bodies `GET /api/figures` answered, kept the same way.
    pub figures: Arc<crate::api_figures::Cache>,
    /// Reports checked on the checking page.
    pub checks: crate::check_results::Checks,
    /// Mark the session cookie `Secure` (HTTPS only, and loopback).
    pub secure_cookies: bool,
    /// The public portal's guards: rate limit, form stamps.
    pub portal: Arc<crate::public::Settings>,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            pages: Arc::new(crate::pages::environment()),
            dashboards: Arc::new(crate::pages::dashboard::Cache::new(
                crate::pages::dashboard::CACHED,
            )),
            figures: Arc::new(crate::api_figures::Cache::new(crate::api_figures::CACHED)),
            checks: Default::default(),
            secure_cookies: true,
            portal: Arc::new(crate::public::Settings::default()),
        }
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(s: &AppState) -> Store {
        s.store.clone()
    }
}
