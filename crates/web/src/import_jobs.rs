//! Imports running in the background for the import page: each job has a
//! progress count and, when done, its summary or its rejected rows.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;

/// Where one import stands.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Job {
    pub id: u64,
    /// Who started it: only they see it.
    pub user_id: i64,
    pub kind: String,
    pub file_name: String,
    pub rows_done: u64,
    /// Data rows in the file (lines after the header), for the progress.
    pub rows_total: u64,
    pub finished: bool,
    pub summary: Option<String>,
    /// Rejected rows, each with its line and reason, in Vietnamese.
    pub errors: Vec<String>,
}

#[derive(Clone, Default)]
pub struct Jobs {
    next: Arc<AtomicU64>,
    jobs: Arc<Mutex<HashMap<u64, Job>>>,
}

impl Jobs {
    pub fn start(&self, user_id: i64, kind: &str, file_name: &str) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Job {
            id,
            user_id,
            kind: kind.to_string(),
            file_name: file_name.to_string(),
            ..Default::default()
        };
        self.lock().insert(id, job);
        id
    }

    pub fn update(&self, id: u64, f: impl FnOnce(&mut Job)) {
        if let Some(j) = self.lock().get_mut(&id) {
            f(j)
        }
    }

    pub fn get(&self, id: u64) -> Option<Job> {
        self.lock().get(&id).cloned()
    }

    /// The jobs `user_id` started, newest first.
    pub fn of_user(&self, user_id: i64) -> Vec<Job> {
        let mut jobs: Vec<Job> = self
            .lock()
            .values()
            .filter(|j| j.user_id == user_id)
            .cloned()
            .collect();
        jobs.sort_by_key(|j| std::cmp::Reverse(j.id));
        jobs
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Job>> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }
}
