//! Reports checked on the checking page, kept in memory for their page and
//! their JSON download: the latest few per server, each seen only by the
//! user who uploaded it. Nothing of an upload is written to the database.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use danvan_check::CheckReport;

/// How many checked reports the server keeps (the oldest go first).
pub const KEPT: usize = 64;

/// One checked report.
#[derive(Debug, Clone)]
pub struct Checked {
    pub id: u64,
    /// Who uploaded it: only they see it.
    pub user_id: i64,
    pub file_name: String,
    /// The text as checked; the findings' spans point into it.
    pub text: String,
    pub report: CheckReport,
}

#[derive(Clone, Default)]
pub struct Checks {
    next: Arc<AtomicU64>,
    kept: Arc<Mutex<VecDeque<Arc<Checked>>>>,
}

impl Checks {
    /// Keeps a checked report and gives its number.
    pub fn keep(&self, user_id: i64, file_name: &str, text: String, report: CheckReport) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut kept = self.lock();
        while kept.len() >= KEPT {
            kept.pop_front();
        }
        kept.push_back(Arc::new(Checked {
            id,
            user_id,
            file_name: file_name.to_string(),
            text,
            report,
        }));
        id
    }

    /// Checked report `id`, if `user_id` uploaded it and it is still kept.
    pub fn get(&self, id: u64, user_id: i64) -> Option<Arc<Checked>> {
        self.lock()
            .iter()
            .find(|c| c.id == id && c.user_id == user_id)
            .cloned()
    }

    /// The reports `user_id` checked, newest first.
    pub fn of_user(&self, user_id: i64) -> Vec<Arc<Checked>> {
        let mut v: Vec<Arc<Checked>> = self
            .lock()
            .iter()
            .filter(|c| c.user_id == user_id)
            .cloned()
            .collect();
        v.reverse();
        v
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Arc<Checked>>> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}
