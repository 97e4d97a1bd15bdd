//! What every handler shares: the store and the page templates.

use std::sync::Arc;

use axum::extract::FromRef;
use danvan_store::Store;
use minijinja::Environment;

use crate::import_jobs::Jobs;

#[derive(Clone)]
pub struct AppState {
    /// The unscoped store; handlers get a scoped one through [`crate::auth::Ctx`].
    pub store: Store,
    pub pages: Arc<Environment<'static>>,
    pub jobs: Jobs,
    /// Mark the session cookie `Secure` (HTTPS only, and loopback).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState {
            store,
            pages: Arc::new(crate::pages::environment()),
            jobs: Jobs::default(),
            secure_cookies: true,
        }
    }
}

impl FromRef<AppState> for Store {
    fn from_ref(s: &AppState) -> Store {
        s.store.clone()
    }
}
