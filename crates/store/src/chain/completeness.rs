//! Tình hình gửi báo cáo (completeness and timeliness): for one request,
//! where each unit asked stands, and the ratios the seeds themselves
//! report ("18/21 đơn vị đã gửi, 15 đúng hạn"). A unit is on time when
//! its first version was sent by the end of the due date; a report
//! returned and sent again keeps the time of its first sending.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::requests::{self, Request};
use super::submissions::{self, Status, Submission};
use crate::units;
use crate::{Store, StoreError};

/// Where one unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    NotStarted,
    Draft,
    SubmittedOnTime,
    SubmittedLate,
    Returned,
    Accepted,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::NotStarted => "chưa thực hiện",
            Standing::Draft => "đang soạn",
            Standing::SubmittedOnTime => "đã gửi đúng hạn",
            Standing::SubmittedLate => "đã gửi muộn",
            Standing::Returned => "bị trả lại",
            Standing::Accepted => "đã duyệt",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub unit_id: i64,
    pub unit: String,
    pub standing: Standing,
    pub label: &'static str,
    /// The latest version and its id, if any.
    pub version: Option<i64>,
    pub submission_id: Option<i64>,
    /// When it was first sent.
    pub first_sent: Option<NaiveDateTime>,
    pub on_time: Option<bool>,
    pub reason: Option<String>,
}

/// The table and its ratios.
#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub request: Request,
    pub rows: Vec<Row>,
    pub total: usize,
    /// Units that have sent a version.
    pub sent: usize,
    /// Of those, sent by the due date.
    pub on_time: usize,
    pub accepted: usize,
    pub returned: usize,
}

impl Completeness {
    /// "6/8 đơn vị đã gửi, 5 đúng hạn".
    pub fn summary(&self) -> String {
        format!(
            "{}/{} đơn vị đã gửi, {} đúng hạn",
            self.sent, self.total, self.on_time
        )
    }
}

/// Where each unit asked by request `id` stands. For the asking unit's
/// users (a unit asked sees only its own row).
pub async fn of(store: &Store, id: i64) -> Result<Completeness, StoreError> {
    let request = requests::get(store, id).await?;
    let subs = submissions::of_request(store, &request).await?;
    let tree = units::tree(store).await?;
    let due_end = request
        .due_on
        .and_hms_opt(23, 59, 59)
        .expect("a valid time of day");
    let mut rows = Vec::with_capacity(request.targets.len());
    for &unit_id in &request.targets {
        if !(store.permits(unit_id) || store.permits(request.unit_id)) {
            continue;
        }
        let mine: Vec<&Submission> = subs.iter().filter(|s| s.unit_id == unit_id).collect();
        let latest = mine.iter().max_by_key(|s| s.version);
        let first_sent = mine.iter().filter_map(|s| s.submitted_at).min();
        let on_time = first_sent.map(|t| t <= due_end);
        let standing = match latest.map(|s| s.status) {
            None => Standing::NotStarted,
            Some(Status::Draft) if mine.len() > 1 => Standing::Returned,
            Some(Status::Draft) => Standing::Draft,
            Some(Status::Submitted) if on_time == Some(true) => Standing::SubmittedOnTime,
            Some(Status::Submitted) => Standing::SubmittedLate,
            Some(Status::Returned) => Standing::Returned,
            Some(Status::Accepted) => Standing::Accepted,
        };
        let reason = mine
            .iter()
            .rev()
            .find(|s| s.status == Status::Returned)
            .and_then(|s| s.reason.clone());
        rows.push(Row {
            unit_id,
            unit: tree
                .get(unit_id)
                .map_or_else(|| format!("đơn vị {unit_id}"), |u| u.full_name()),
            standing,
            label: standing.label(),
            version: latest.map(|s| s.version),
            submission_id: latest.map(|s| s.id),
            first_sent,
            on_time,
            reason,
        });
    }
    let sent = rows.iter().filter(|r| r.first_sent.is_some()).count();
    let on_time = rows.iter().filter(|r| r.on_time == Some(true)).count();
    let count = |s: Standing| rows.iter().filter(|r| r.standing == s).count();
    Ok(Completeness {
        total: rows.len(),
        sent,
        on_time,
        accepted: count(Standing::Accepted),
        returned: count(Standing::Returned),
        rows,
        request,
    })
}
