//! Files citizens attach: checked by content, kept in the database under a
//! random name (never a path the web server serves, never executed), and
//! given back only to officials who handle the petition.

use base64::Engine as _;
use danvan_core::DomainError;
use danvan_core::portal::{FileType, MAX_FILES, check_file};
use rand::RngCore;
use serde::Serialize;

use crate::db::{Tx, on_pool, on_tx};
use crate::petitions::{self, Viewer};
use crate::{Store, StoreError};

/// A file as sent: the name the citizen's device gave it (for messages
/// only; it is not kept) and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A stored file as an official reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// The random name it is kept under.
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: chrono::NaiveDateTime,
    /// The bytes (empty in lists).
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// The types of `files`, each checked by size and content; at most
/// [`MAX_FILES`].
pub(super) fn check_files(files: &[Upload]) -> Result<Vec<FileType>, DomainError> {
    if files.len() > MAX_FILES {
        return Err(DomainError::new(
            "portal.too_many_files",
            format!(
                "chỉ gửi được tối đa {MAX_FILES} tệp mỗi lần; bạn đã chọn {}",
                files.len()
            ),
        )
        .at_field("tep"));
    }
    files
        .iter()
        .map(|f| check_file(&f.name, &f.bytes))
        .collect()
}

/// Whose a stored file is: the petition, the submission (tracking code)
/// it came with, and the message, if it came with one.
pub(super) struct Owner {
    pub province: i64,
    pub petition_id: i64,
    pub submission_id: i64,
    pub message_id: Option<i64>,
}

/// Keep `files` (already checked) of a petition, under random names.
pub(super) async fn insert(
    tx: &mut Tx,
    at: chrono::NaiveDateTime,
    owner: &Owner,
    files: &[Upload],
    types: &[FileType],
) -> Result<(), StoreError> {
    for (f, t) in files.iter().zip(types) {
        let mut random = [0u8; 16];
        rand::rng().fill_bytes(&mut random);
        let name = format!("{}.{}", hex::encode(random), t.extension());
        let content = base64::engine::general_purpose::STANDARD.encode(&f.bytes);
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO portal_attachment (province_id, petition_id, submission_id, message_id, name, \
                 content_type, size, content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(owner.province)
            .bind(owner.petition_id)
            .bind(owner.submission_id)
            .bind(owner.message_id)
            .bind(&name)
            .bind(t.mime())
            .bind(f.bytes.len() as i64)
            .bind(&content)
            .bind(at)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}

/// Whether the store's user handles `petition_id`: it is in their scope,
/// their role handles petitions, and for a denunciation they are
/// assigned to it. Files and messages of the citizen are for them alone.
pub(super) async fn check_handler(
    store: &Store,
    petition_id: i64,
    viewer: Viewer,
) -> Result<petitions::StoredPetition, StoreError> {
    let p = petitions::get(store, petition_id, viewer).await?;
    if let Some(role) = store.actor().role
        && !role.may_write(super::ENTITY)
    {
        return Err(StoreError::Forbidden(format!(
            "vai trò «{}» không xem được tệp công dân gửi kèm đơn",
            role.label()
        )));
    }
    if p.identity_masked {
        return Err(StoreError::Forbidden(
            "tệp và tin nhắn kèm đơn tố cáo chỉ người được phân công giải quyết xem được".into(),
        ));
    }
    Ok(p)
}

/// The files of a petition, without their bytes (for a handler).
pub(super) async fn list(store: &Store, petition_id: i64) -> Result<Vec<Attachment>, StoreError> {
    let rows: Vec<(String, String, i64, chrono::NaiveDateTime)> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT name, content_type, size, created_at FROM portal_attachment \
             WHERE petition_id = $1 ORDER BY id",
        )
        .bind(petition_id)
        .fetch_all(c)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(name, content_type, size, created_at)| Attachment {
            name,
            content_type,
            size,
            created_at,
            bytes: Vec::new(),
        })
        .collect())
}

/// One file of a petition, for an official who handles it.
pub async fn attachment(
    store: &Store,
    petition_id: i64,
    name: &str,
    viewer: Viewer,
) -> Result<Attachment, StoreError> {
    check_handler(store, petition_id, viewer).await?;
    let row: Option<(String, i64, String, chrono::NaiveDateTime)> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT content_type, size, content, created_at FROM portal_attachment \
             WHERE petition_id = $1 AND name = $2",
        )
        .bind(petition_id)
        .bind(name)
        .fetch_optional(c)
        .await?
    });
    let (content_type, size, content, created_at) =
        row.ok_or_else(|| StoreError::NotFound(format!("tệp «{name}» của đơn số {petition_id}")))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.as_bytes())
        .map_err(|e| DomainError::new("portal.file_broken", format!("tệp «{name}» hỏng: {e}")))?;
    Ok(Attachment {
        name: name.to_string(),
        content_type,
        size,
        created_at,
        bytes,
    })
}
