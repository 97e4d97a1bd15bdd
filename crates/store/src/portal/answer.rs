//! Officials' answers to petitions, what a handler sees of an online
//! petition on its page, and the public «Hỏi – đáp» of a unit.

use chrono::{NaiveDate, NaiveDateTime};
use danvan_core::DomainError;
use danvan_core::portal::redact;
use danvan_core::records::petition::PetitionType;
use serde::Serialize;

use super::ENTITY;
use super::files::{self, Attachment, check_handler};
use super::track::{Message, secrets};
use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::petitions::{self, Viewer};
use crate::{Store, StoreError};

/// An official's answer to a petition.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The question as it is published (the official may shorten it);
    /// the sender's details are taken out of it when shown.
    pub question: String,
    pub body: String,
    /// Shown on the unit's «Hỏi – đáp».
    pub public: bool,
    pub answered_on: NaiveDate,
}

/// Answer a petition (again: the new answer replaces the old). For
/// whoever may change the petition; logged.
pub async fn answer(store: &Store, petition_id: i64, a: &Answer) -> Result<(), StoreError> {
    let body = a.body.trim();
    if body.chars().count() < 10 {
        return Err(DomainError::new(
            "answer.short",
            "nội dung trả lời quá ngắn: hãy viết ít nhất 10 ký tự",
        )
        .at_field("tra_loi")
        .into());
    }
    let question = a.question.trim();
    if a.public && question.is_empty() {
        return Err(DomainError::new(
            "answer.question",
            "trả lời công khai cần câu hỏi để đăng trên trang Hỏi – đáp",
        )
        .at_field("cau_hoi")
        .into());
    }
    if a.answered_on > store.today() {
        return Err(DomainError::new(
            "answer.future",
            format!(
                "ngày trả lời {} ở tương lai",
                a.answered_on.format("%d/%m/%Y")
            ),
        )
        .at_field("ngay")
        .into());
    }
    let mut tx = store.begin().await?;
    let (province, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    let before: Option<(String, String, bool)> = on_tx!(&mut tx, c => {
        sqlx::query_as("SELECT question, body, public FROM petition_answer WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *c)
            .await?
    });
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM petition_answer WHERE petition_id = $1")
            .bind(petition_id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO petition_answer (province_id, petition_id, question, body, public, answered_on, answered_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(province)
        .bind(petition_id)
        .bind(question)
        .bind(body)
        .bind(a.public)
        .bind(a.answered_on)
        .bind(store.actor().user_id)
        .execute(&mut *c)
        .await?;
    });
    // The log is read by officials who may not see a denouncer: the
    // sender is out of sight in what it keeps of the texts.
    let secret = |t: &str| {
        if p.kind == PetitionType::Denunciation {
            redact(t, &secrets(&p))
        } else {
            t.to_string()
        }
    };
    let json = |q: &str, b: &str, public: bool| serde_json::json!({ "answer": { "question": secret(q), "body": secret(b), "public": public } });
    let mut change = Change::new(Action::Update, ENTITY, petition_id)
        .unit(p.unit_id)
        .after(&json(question, body, a.public));
    if let Some((q, b, public)) = before {
        change = change.before(&json(&q, &b, public));
    }
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// What the petition page shows of the portal.
#[derive(Debug, Clone, Serialize)]
pub struct OfficialView {
    /// Sent through the portal (and how many codes follow it: a repeat of
    /// the same content adds one).
    pub online: bool,
    pub codes: i64,
    pub consent_at: Option<NaiveDateTime>,
    pub answer: Option<Answer>,
    /// The citizen's messages and files, for a handler of the petition;
    /// `None` when the reader may not see them (a denunciation they are
    /// not assigned to, a role that does not handle petitions).
    pub messages: Option<Vec<Message>>,
    pub files: Option<Vec<Attachment>>,
}

/// The portal's part of a petition's page, for `viewer`.
pub async fn official_view(
    store: &Store,
    petition_id: i64,
    viewer: Viewer,
) -> Result<OfficialView, StoreError> {
    // Not found outside the reader's subtree, like the petition.
    let read = petitions::get(store, petition_id, viewer).await?;
    // What a reader who may not see the denouncer must not read in the
    // answer either.
    let hidden: Vec<String> = if read.identity_masked {
        let mut tx = store.begin_snapshot().await?;
        let (_, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
        tx.end_read().await?;
        secrets(&p).iter().map(|s| s.to_string()).collect()
    } else {
        Vec::new()
    };
    let (codes, consent_at): (i64, Option<NaiveDateTime>) = on_pool!(&store.pool, c => {
        sqlx::query_as("SELECT COUNT(*), MIN(consent_at) FROM portal_submission WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_one(c)
            .await?
    });
    let answer: Option<(String, String, bool, NaiveDate)> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT question, body, public, answered_on FROM petition_answer WHERE petition_id = $1",
        )
        .bind(petition_id)
        .fetch_optional(c)
        .await?
    });
    let handler = check_handler(store, petition_id, viewer).await.is_ok();
    let (messages, files) = if handler {
        let rows: Vec<(String, NaiveDateTime)> = on_pool!(&store.pool, c => {
            sqlx::query_as("SELECT body, sent_at FROM portal_message WHERE petition_id = $1 ORDER BY id")
                .bind(petition_id)
                .fetch_all(c)
                .await?
        });
        let messages = rows
            .into_iter()
            .map(|(body, sent_at)| Message { body, sent_at })
            .collect();
        (Some(messages), Some(files::list(store, petition_id).await?))
    } else {
        (None, None)
    };
    Ok(OfficialView {
        online: codes > 0,
        codes,
        consent_at,
        answer: answer.map(|(question, body, public, answered_on)| {
            let hide = |t: String| {
                let hidden: Vec<&str> = hidden.iter().map(String::as_str).collect();
                redact(&t, &hidden)
            };
            Answer {
                question: hide(question),
                body: hide(body),
                public,
                answered_on,
            }
        }),
        messages,
        files,
    })
}

/// One question and answer of a unit's «Hỏi – đáp».
#[derive(Debug, Clone, Serialize)]
pub struct QaItem {
    pub kind: String,
    pub field: String,
    pub question: String,
    pub answer: String,
    pub answered_on: NaiveDate,
}

/// The public answers of petitions at `unit_id`, newest first, with the
/// senders' details taken out of every text. Public: no reader needed.
pub async fn qa(store: &Store, unit_id: i64) -> Result<Vec<QaItem>, StoreError> {
    type Row = (
        String,
        String,
        NaiveDate,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT a.question, a.body, a.answered_on, p.kind, p.field, p.sender_name, p.sender_address, p.sender_phone \
             FROM petition_answer a JOIN petition p ON p.id = a.petition_id \
             WHERE a.public = $1 AND p.unit_id = $2 \
             ORDER BY a.answered_on DESC, a.petition_id DESC LIMIT 200",
        )
        .bind(true)
        .bind(unit_id)
        .fetch_all(c)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(q, a, answered_on, kind, field, name, address, phone)| {
            let hide = [name.as_str(), address.as_str(), phone.as_str()];
            let label = |v: Result<&'static str, DomainError>| v.unwrap_or("").to_string();
            QaItem {
                kind: label(PetitionType::parse(&kind).map(|k| k.label())),
                field: label(
                    danvan_core::records::petition::PetitionField::parse(&field).map(|f| f.label()),
                ),
                question: redact(&q, &hide),
                answer: redact(&a, &hide),
                answered_on,
            }
        })
        .collect())
}
