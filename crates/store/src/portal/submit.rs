//! A citizen's submission: checked, linked to an earlier one with the same
//! content, or recorded as a new petition through the petition write path;
//! and the citizen's further messages on it.

use danvan_core::DomainError;
use danvan_core::portal::{
    CODE_LETTERS, PortalKind, check_content, content_key, normalize_code, tracking_code,
};
use danvan_core::records::petition::{Petition, PetitionChannel, PetitionField, Sender};
use rand::RngCore;

use super::files::{self, Upload};
use super::{CONSENT_TEXT, ENTITY, code_hash, sha256, unknown_code};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_tx};
use crate::{Store, StoreError, petitions, units};

/// What a citizen sends through the portal.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The unit chosen; a unit merged since is replaced by the one that
    /// answers for it today.
    pub unit_id: i64,
    pub kind: PortalKind,
    pub field: PetitionField,
    pub content: String,
    pub sender: Sender,
    /// The citizen agreed to [`CONSENT_TEXT`].
    pub consent: bool,
    pub files: Vec<Upload>,
}

/// What the citizen is given back.
#[derive(Debug, Clone)]
pub struct Receipt {
    /// The tracking code, shown once: only its hash is kept.
    pub code: String,
    pub petition_id: i64,
    /// The unit that received it.
    pub unit_id: i64,
    /// The same content reached the same unit within a day: this code
    /// follows that petition, and no second one was recorded.
    pub linked: bool,
    /// Its Open311 number (`service_request_id`): random, never the
    /// petition's number.
    pub request_id: String,
}

/// What an application adds through Open311 (none of it for the portal's
/// own form): the application's key, the place and a link to a photo,
/// kept as text and never fetched.
#[derive(Debug, Clone, Default)]
pub struct Via {
    pub key_id: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: String,
    pub media_url: String,
}

fn invalid(code: &'static str, field: &str, msg: impl Into<String>) -> StoreError {
    DomainError::new(code, msg).at_field(field).into()
}

fn check_sender(s: &Sender) -> Result<(), StoreError> {
    if s.name.trim().chars().count() < 2 {
        return Err(invalid(
            "portal.name",
            "ho_ten",
            "hãy ghi họ và tên để cơ quan trả lời được bạn",
        ));
    }
    if s.address.trim().is_empty() && s.phone.trim().is_empty() {
        return Err(invalid(
            "portal.contact",
            "dien_thoai",
            "hãy ghi địa chỉ hoặc số điện thoại để cơ quan liên hệ được với bạn",
        ));
    }
    let digits = s.phone.chars().filter(char::is_ascii_digit).count();
    if !s.phone.trim().is_empty()
        && (!(9..=12).contains(&digits)
            || s.phone
                .chars()
                .any(|c| !(c.is_ascii_digit() || " .+-".contains(c))))
    {
        return Err(invalid(
            "portal.phone",
            "dien_thoai",
            format!(
                "số điện thoại «{}» không hợp lệ: chỉ gồm 9 đến 12 chữ số",
                s.phone.trim()
            ),
        ));
    }
    for (v, f, what) in [
        (&s.name, "ho_ten", "họ và tên"),
        (&s.address, "dia_chi", "địa chỉ"),
    ] {
        if v.chars().count() > 300 {
            return Err(invalid(
                "portal.too_long",
                f,
                format!("{what} dài quá 300 ký tự"),
            ));
        }
    }
    Ok(())
}

fn new_code() -> String {
    let mut random = [0u8; CODE_LETTERS];
    rand::rng().fill_bytes(&mut random);
    tracking_code(&random)
}

/// Record what a citizen sends. In one transaction: the petition (with
/// its facts and audit entry, unless the same content reached the same
/// unit within a day, when it is linked to that petition instead), the
/// submission with its consent and tracking code, and the files.
pub async fn submit(store: &Store, s: &Submission) -> Result<Receipt, StoreError> {
    submit_via(store, s, &Via::default()).await
}

/// [`submit`], with what an application sent through Open311.
pub async fn submit_via(store: &Store, s: &Submission, via: &Via) -> Result<Receipt, StoreError> {
    super::open311::check_via(via)?;
    check_content(&s.content)?;
    check_sender(&s.sender)?;
    if !s.consent {
        return Err(invalid(
            "portal.consent",
            "dong_y",
            "hãy đánh dấu đồng ý cho cơ quan dùng thông tin liên hệ của bạn; không có thì cơ quan không trả lời được",
        ));
    }
    let types = files::check_files(&s.files)?;
    let now = store.now();
    let today = now.date();
    let tree = units::tree(store).await?;
    let unit_id = tree.effective(s.unit_id, today);
    let unit = tree
        .get(unit_id)
        .filter(|u| u.valid_on(today) && !u.is_country())
        .ok_or_else(|| {
            invalid(
                "portal.unknown_unit",
                "don_vi",
                format!("không tìm thấy đơn vị nhận ý kiến (mã số {})", s.unit_id),
            )
        })?
        .clone();
    let key = sha256(&format!(
        "{unit_id}|{}|{}",
        s.kind.code(),
        content_key(&s.content)
    ));
    let mut tx = store.begin().await?;
    let since = now - chrono::Duration::days(1);
    let earlier: Option<(i64, i64)> = on_tx!(&mut tx, c => {
        sqlx::query_as(
            "SELECT id, petition_id FROM portal_submission WHERE unit_id = $1 AND content_hash = $2 \
             AND submitted_at >= $3 AND duplicate_of IS NULL ORDER BY id LIMIT 1",
        )
        .bind(unit_id)
        .bind(&key)
        .bind(since)
        .fetch_optional(&mut *c)
        .await?
    });
    let (petition_id, duplicate_of) = match earlier {
        Some((first, petition)) => (petition, Some(first)),
        None => {
            let p = Petition {
                sender: Sender {
                    name: s.sender.name.trim().to_string(),
                    address: s.sender.address.trim().to_string(),
                    phone: s.sender.phone.trim().to_string(),
                },
                summary: s.content.trim().to_string(),
                ..Petition::received(
                    unit_id,
                    today,
                    PetitionChannel::Online,
                    s.kind.petition_type(),
                    s.field,
                )
            };
            (
                petitions::insert_many_tx(&mut tx, store, &[p]).await?[0],
                None,
            )
        }
    };
    let code = new_code();
    let submission: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO portal_submission (province_id, petition_id, unit_id, code_hash, kind, content_hash, \
             submitted_at, consent_at, consent_text, duplicate_of) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(unit.province_id)
        .bind(petition_id)
        .bind(unit_id)
        .bind(code_hash(&code))
        .bind(s.kind.code())
        .bind(&key)
        .bind(now)
        .bind(now)
        .bind(CONSENT_TEXT)
        .bind(duplicate_of)
        .fetch_one(&mut *c)
        .await?
    });
    let owner = files::Owner {
        province: unit.province_id,
        petition_id,
        submission_id: submission,
        message_id: None,
    };
    files::insert(&mut tx, now, &owner, &s.files, &types).await?;
    let request_id = super::open311::new_request_id();
    on_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO open311_request (province_id, request_id, submission_id, petition_id, key_id, \
             service_code, requested_at, lat, lon, address_string, media_url) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(unit.province_id)
        .bind(&request_id)
        .bind(submission)
        .bind(petition_id)
        .bind(via.key_id)
        .bind(s.kind.code())
        .bind(now)
        .bind(via.lat)
        .bind(via.lon)
        .bind(via.address.trim())
        .bind(via.media_url.trim())
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Update, ENTITY, petition_id)
        .unit(unit_id)
        .after(&serde_json::json!({
            "portal_submission": submission,
            "linked_to": duplicate_of,
            "files": s.files.len(),
            "open311_key": via.key_id,
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(Receipt {
        code,
        petition_id,
        unit_id,
        linked: duplicate_of.is_some(),
        request_id,
    })
}

/// The submission and petition a code follows, and the petition's
/// province: inside `tx`.
pub(super) async fn by_code(tx: &mut Tx, code: &str) -> Result<(i64, i64, i64), StoreError> {
    let code = normalize_code(code).ok_or_else(unknown_code)?;
    let row: Option<(i64, i64, i64)> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT s.id, s.petition_id, p.province_id FROM portal_submission s \
             JOIN petition p ON p.id = s.petition_id WHERE s.code_hash = $1",
        )
        .bind(code_hash(&code))
        .fetch_optional(&mut *c)
        .await?
    });
    row.ok_or_else(unknown_code)
}

/// A further message from the citizen holding `code`, with its files:
/// attached to the same petition.
pub async fn add_message(
    store: &Store,
    code: &str,
    body: &str,
    uploads: &[Upload],
) -> Result<(), StoreError> {
    check_content(body)?;
    let types = files::check_files(uploads)?;
    let mut tx = store.begin().await?;
    let (submission, petition_id, province) = by_code(&mut tx, code).await?;
    let (_, p) = petitions::load_tx(&mut tx, store, petition_id).await?;
    let now = store.now();
    let message: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO portal_message (province_id, petition_id, submission_id, body, sent_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(province)
        .bind(petition_id)
        .bind(submission)
        .bind(body.trim())
        .bind(now)
        .fetch_one(&mut *c)
        .await?
    });
    let owner = files::Owner {
        province,
        petition_id,
        submission_id: submission,
        message_id: Some(message),
    };
    files::insert(&mut tx, now, &owner, uploads, &types).await?;
    let change = Change::new(Action::Update, ENTITY, petition_id)
        .unit(p.unit_id)
        .after(&serde_json::json!({ "portal_message": message, "files": uploads.len() }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}
