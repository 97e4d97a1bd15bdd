//! The tracking page's content: what a code holder may read of the
//! petition it follows. Built without the sender, whatever the kind, and
//! with the sender's name, address and phone put out of sight in every
//! text shown, so even the holder of a denunciation's code reads nothing
//! of who sent it.

use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::portal::{PortalKind, redact, status_words};
use danvan_core::records::petition::{Petition, PetitionStatus};
use serde::Serialize;

use super::submit::by_code;
use crate::db::on_tx;
use crate::{Store, StoreError, petitions, units};

/// A message of the thread, as its sender wrote it (redacted).
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub body: String,
    pub sent_at: NaiveDateTime,
}

/// What the tracking page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Tracking {
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: String,
    pub field: String,
    pub submitted_at: NaiveDateTime,
    pub status: PetitionStatus,
    /// The status in plain words.
    pub status_words: &'static str,
    /// Hạn xử lý đơn (from receipt) and, once accepted, hạn giải quyết.
    pub processing_deadline: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub content: String,
    pub answer: Option<String>,
    pub answered_on: Option<NaiveDate>,
    /// The code holder's own further messages.
    pub messages: Vec<Message>,
    pub files: i64,
    /// This code was linked to a petition sent before with the same content.
    pub linked: bool,
}

/// The secrets of a petition: its sender's fields.
pub(super) fn secrets(p: &Petition) -> [&str; 3] {
    [&p.sender.name, &p.sender.address, &p.sender.phone]
}

/// The petition `code` follows, as its holder may read it.
pub async fn track(store: &Store, code: &str) -> Result<Tracking, StoreError> {
    let mut tx = store.begin_snapshot().await?;
    let (submission, petition_id, _) = by_code(&mut tx, code).await?;
    let (_, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
    let (kind, submitted_at, duplicate_of): (String, NaiveDateTime, Option<i64>) = on_tx!(&mut tx, c => {
        sqlx::query_as("SELECT kind, submitted_at, duplicate_of FROM portal_submission WHERE id = $1")
            .bind(submission)
            .fetch_one(&mut *c)
            .await?
    });
    let answer: Option<(String, NaiveDate)> = on_tx!(&mut tx, c => {
        sqlx::query_as("SELECT body, answered_on FROM petition_answer WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *c)
            .await?
    });
    let messages: Vec<(String, NaiveDateTime)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT body, sent_at FROM portal_message WHERE submission_id = $1 ORDER BY id",
        )
        .bind(submission)
        .fetch_all(&mut *c)
        .await?
    });
    let files: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM portal_attachment a LEFT JOIN portal_message m ON m.id = a.message_id \
             WHERE a.petition_id = $1 AND (a.submission_id = $2 OR (a.submission_id IS NULL \
             AND (a.message_id IS NULL OR m.submission_id = $2)))",
        )
        .bind(petition_id)
        .bind(submission)
        .fetch_one(&mut *c)
        .await?
    });
    tx.end_read().await?;
    let tree = units::tree(store).await?;
    let hide = secrets(&p);
    let status = p.status();
    Ok(Tracking {
        unit_id: p.unit_id,
        unit_name: tree
            .get(p.unit_id)
            .map_or_else(String::new, |u| u.full_name()),
        kind: PortalKind::parse(&kind).map_or(kind, |k| k.label().to_string()),
        field: p.field.label().to_string(),
        submitted_at,
        status,
        status_words: status_words(status),
        processing_deadline: p.processing_deadline,
        deadline: p.deadline,
        content: redact(&p.summary, &hide),
        answer: answer.as_ref().map(|(b, _)| redact(b, &hide)),
        answered_on: answer.map(|(_, d)| d),
        messages: messages
            .into_iter()
            .map(|(body, sent_at)| Message {
                body: redact(&body, &hide),
                sent_at,
            })
            .collect(),
        files,
        linked: duplicate_of.is_some(),
    })
}
