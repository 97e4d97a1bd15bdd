//! A sender's personal data on request (Nghị định 13/2023/NĐ-CP): what
//! danvan holds about the sender of one petition, to hand them a copy
//! (art. 14), and its erasure (art. 16).
//!
//! The citizen asks the unit, which checks who they are; an official who
//! handles the petition (for a tố cáo, an assigned handler) reads or
//! erases. Erasure keeps the petition and every figure it counts in: it
//! empties the sender's fields, puts their name, address and phone out of
//! sight in every text kept with the petition (content, messages, answer,
//! the title of its case) and in the audit log, and, if asked, deletes the files the sender
//! attached. A citizen whose repeat of the same content was linked to the
//! petition is another person: their own files stay.

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use danvan_core::portal::redact;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::petition::{MASK, Petition, Sender};
use serde::Serialize;

use super::files::{self, Attachment, check_handler};
use super::track::{Message, secrets};
use super::{Answer, ENTITY};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::petitions::{self, Viewer};
use crate::{Store, StoreError};

/// One submission through the portal, with the consent given.
#[derive(Debug, Clone, Serialize)]
pub struct Consent {
    pub submitted_at: NaiveDateTime,
    pub consent_at: NaiveDateTime,
    pub consent_text: String,
    /// A repeat of the same content by someone, linked to the petition.
    pub linked: bool,
}

/// A past erasure.
#[derive(Debug, Clone, Serialize)]
pub struct Erasure {
    pub erased_at: NaiveDateTime,
    pub erased_by: Option<i64>,
    pub basis: String,
    pub files: i64,
}

/// Everything danvan holds about the sender of one petition.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    pub petition_id: i64,
    pub unit_id: i64,
    pub received_on: chrono::NaiveDate,
    /// Loại đơn and lĩnh vực, in words.
    pub kind: String,
    pub field: String,
    pub channel: String,
    pub sender: Sender,
    pub content: String,
    pub consents: Vec<Consent>,
    /// Further messages sent with a tracking code.
    pub messages: Vec<Message>,
    pub files: Vec<Attachment>,
    pub answer: Option<Answer>,
    /// Entries of the audit log about the petition.
    pub audit_entries: i64,
    pub erasures: Vec<Erasure>,
}

/// What [`erase`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Erased {
    pub texts: usize,
    pub audit_entries: usize,
    pub files: i64,
}

/// The personal data of `petition_id`'s sender, for an official who
/// handles it.
pub async fn personal_data(
    store: &Store,
    petition_id: i64,
    viewer: Viewer,
) -> Result<PersonalData, StoreError> {
    check_handler(store, petition_id, viewer).await?;
    let mut tx = store.begin_snapshot().await?;
    let (_, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
    let consents: Vec<(NaiveDateTime, NaiveDateTime, String, Option<i64>)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT submitted_at, consent_at, consent_text, duplicate_of FROM portal_submission \
             WHERE petition_id = $1 ORDER BY id",
        )
        .bind(petition_id)
        .fetch_all(&mut *c)
        .await?
    });
    let messages: Vec<(String, NaiveDateTime)> = on_tx!(&mut tx, c => {
        sqlx::query_as("SELECT body, sent_at FROM portal_message WHERE petition_id = $1 ORDER BY id")
            .bind(petition_id)
            .fetch_all(&mut *c)
            .await?
    });
    let answer: Option<(String, String, bool, chrono::NaiveDate)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT question, body, public, answered_on FROM petition_answer WHERE petition_id = $1",
        )
        .bind(petition_id)
        .fetch_optional(&mut *c)
        .await?
    });
    let audit_entries: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE entity = $1 AND entity_id = $2")
            .bind(ENTITY)
            .bind(petition_id.to_string())
            .fetch_one(&mut *c)
            .await?
    });
    let erasures: Vec<(NaiveDateTime, Option<i64>, String, i64)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT erased_at, erased_by, basis, files FROM personal_data_erasure \
             WHERE petition_id = $1 ORDER BY id",
        )
        .bind(petition_id)
        .fetch_all(&mut *c)
        .await?
    });
    tx.end_read().await?;
    Ok(PersonalData {
        petition_id,
        unit_id: p.unit_id,
        received_on: p.received_on,
        kind: p.kind.label().to_string(),
        field: p.field.label().to_string(),
        channel: p.channel.label().to_string(),
        content: p.summary.clone(),
        sender: p.sender,
        consents: consents
            .into_iter()
            .map(|(submitted_at, consent_at, consent_text, dup)| Consent {
                submitted_at,
                consent_at,
                consent_text,
                linked: dup.is_some(),
            })
            .collect(),
        messages: messages
            .into_iter()
            .map(|(body, sent_at)| Message { body, sent_at })
            .collect(),
        files: files::list(store, petition_id).await?,
        answer: answer.map(|(question, body, public, answered_on)| Answer {
            question,
            body,
            public,
            answered_on,
        }),
        audit_entries,
        erasures: erasures
            .into_iter()
            .map(|(erased_at, erased_by, basis, files)| Erasure {
                erased_at,
                erased_by,
                basis,
                files,
            })
            .collect(),
    })
}

fn invalid(code: &'static str, field: &str, msg: impl Into<String>) -> StoreError {
    DomainError::new(code, msg).at_field(field).into()
}

/// Erase the personal data of `petition_id`'s sender, on the request
/// named by `basis` (its date and how the requester was identified), and
/// the files they attached if `with_files`. All in one transaction.
pub async fn erase(
    store: &Store,
    petition_id: i64,
    viewer: Viewer,
    basis: &str,
    with_files: bool,
) -> Result<Erased, StoreError> {
    let basis = basis.trim();
    if basis.chars().count() < 10 {
        return Err(invalid(
            "erasure.basis",
            "can_cu",
            "hãy ghi căn cứ xoá: yêu cầu của ai, ngày nào, đã xác minh người yêu cầu bằng giấy tờ gì",
        ));
    }
    if basis.chars().count() > 500 {
        return Err(invalid(
            "erasure.basis",
            "can_cu",
            "căn cứ xoá dài quá 500 ký tự",
        ));
    }
    check_handler(store, petition_id, viewer).await?;
    let mut tx = store.begin().await?;
    let (province, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    // The sender as stored now and as the log kept it before any
    // correction, longest first so a whole address goes before its part.
    let mut hide: Vec<String> =
        audit::logged_senders(&mut tx, ENTITY, &petition_id.to_string()).await?;
    hide.extend(secrets(&p).iter().map(|s| s.trim().to_string()));
    hide.retain(|s| !s.is_empty() && s != MASK);
    hide.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    hide.dedup();
    let hide: Vec<&str> = hide.iter().map(String::as_str).collect();
    let own_files = own_files(&mut tx, petition_id).await?;
    let current = secrets(&p).iter().any(|s| !s.trim().is_empty());
    if !current && (!with_files || own_files.is_empty()) {
        return Err(invalid(
            "erasure.nothing",
            "can_cu",
            format!("đơn số {petition_id} không còn dữ liệu cá nhân nào của người gửi để xoá"),
        ));
    }
    let now = store.now();
    let texts = erase_texts(&mut tx, petition_id, &p, &hide).await?;
    let files = if with_files {
        for id in &own_files {
            on_tx!(&mut tx, c => {
                sqlx::query("DELETE FROM portal_attachment WHERE id = $1")
                    .bind(*id)
                    .execute(&mut *c)
                    .await?;
            });
        }
        own_files.len() as i64
    } else {
        0
    };
    let mut audit_entries =
        audit::erase(&mut tx, ENTITY, &petition_id.to_string(), &hide, now).await?;
    // The case the petition belongs to may be titled after its sender.
    if let Some(case_id) = p.case_id {
        let title: Option<String> = on_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT title FROM petition_case WHERE id = $1")
                .bind(case_id)
                .fetch_optional(&mut *c)
                .await?
        });
        if let Some(title) = title {
            let clean = redact(&title, &hide);
            if clean != title {
                on_tx!(&mut tx, c => {
                    sqlx::query("UPDATE petition_case SET title = $1, version = version + 1 WHERE id = $2")
                        .bind(&clean)
                        .bind(case_id)
                        .execute(&mut *c)
                        .await?;
                });
            }
        }
        let case = RecordKind::Case.code();
        audit_entries += audit::erase(&mut tx, case, &case_id.to_string(), &hide, now).await?;
    }
    let basis = redact(basis, &hide);
    on_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO personal_data_erasure (province_id, petition_id, erased_at, erased_by, basis, files) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(province)
        .bind(petition_id)
        .bind(now)
        .bind(store.actor().user_id)
        .bind(&basis)
        .bind(files)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Erase, ENTITY, petition_id)
        .unit(p.unit_id)
        .after(&serde_json::json!({
            "personal_data_erased": ["name", "address", "phone"],
            "basis": basis,
            "files_deleted": files,
            "audit_entries_scrubbed": audit_entries,
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(Erased {
        texts,
        audit_entries,
        files,
    })
}

/// The files the petition's own sender attached: those of its first
/// submission and its messages, and any kept before files were tied to a
/// submission. A linked repeat's files belong to someone else.
async fn own_files(tx: &mut Tx, petition_id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(on_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT a.id FROM portal_attachment a \
             LEFT JOIN portal_submission s ON s.id = a.submission_id \
             WHERE a.petition_id = $1 AND (a.submission_id IS NULL OR s.duplicate_of IS NULL) \
             ORDER BY a.id",
        )
        .bind(petition_id)
        .fetch_all(&mut *c)
        .await?
    }))
}

/// The petition without its sender, its folded search columns rebuilt and
/// its version raised (an edit form opened before cannot put the sender
/// back); the messages and the answer with the sender out of sight.
/// Returns how many texts changed.
async fn erase_texts(
    tx: &mut Tx,
    petition_id: i64,
    p: &Petition,
    hide: &[&str],
) -> Result<usize, StoreError> {
    let erased = Petition {
        sender: Sender::default(),
        summary: redact(&p.summary, hide),
        ..p.clone()
    };
    let mut texts = usize::from(erased.summary != p.summary);
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE petition SET sender_name = '', sender_address = '', sender_phone = '', summary = $1, \
             search_folded = $2, sender_folded = $3, version = version + 1 WHERE id = $4",
        )
        .bind(&erased.summary)
        .bind(petitions::search_folded(&erased))
        .bind(petitions::sender_folded(&erased))
        .bind(petition_id)
        .execute(&mut *c)
        .await?;
    });
    let messages: Vec<(i64, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT id, body FROM portal_message WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_all(&mut *c)
            .await?
    });
    for (id, body) in messages {
        let clean = redact(&body, hide);
        if clean != body {
            texts += 1;
            on_tx!(tx, c => {
                sqlx::query("UPDATE portal_message SET body = $1 WHERE id = $2")
                    .bind(&clean)
                    .bind(id)
                    .execute(&mut *c)
                    .await?;
            });
        }
    }
    // An Open311 request's place may be the sender's own address.
    let places: Vec<(i64, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT id, address_string FROM open311_request WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_all(&mut *c)
            .await?
    });
    for (id, place) in places {
        let clean = redact(&place, hide);
        if clean != place {
            texts += 1;
            on_tx!(tx, c => {
                sqlx::query("UPDATE open311_request SET address_string = $1 WHERE id = $2")
                    .bind(&clean)
                    .bind(id)
                    .execute(&mut *c)
                    .await?;
            });
        }
    }
    let answer: Option<(String, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT question, body FROM petition_answer WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_optional(&mut *c)
            .await?
    });
    if let Some((q, b)) = answer {
        let (cq, cb) = (redact(&q, hide), redact(&b, hide));
        if (&cq, &cb) != (&q, &b) {
            texts += 1;
            on_tx!(tx, c => {
                sqlx::query("UPDATE petition_answer SET question = $1, body = $2 WHERE petition_id = $3")
                    .bind(&cq)
                    .bind(&cb)
                    .bind(petition_id)
                    .execute(&mut *c)
                    .await?;
            });
        }
    }
    Ok(texts)
}

/// How many erasures a petition has had (for its page).
pub async fn erasures(store: &Store, petition_id: i64) -> Result<i64, StoreError> {
    Ok(on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT COUNT(*) FROM personal_data_erasure WHERE petition_id = $1")
            .bind(petition_id)
            .fetch_one(c)
            .await?
    }))
}
