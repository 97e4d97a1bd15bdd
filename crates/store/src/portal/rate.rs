//! A citizen's satisfaction rating of a service received: a one-stop
//! dossier, named by its code and the day it was received (both on the
//! receipt, so a code alone cannot rate someone else's dossier), or a
//! petition sent online, named by its tracking code once it is answered.
//! Written through the rating kind's table access (facts and audit log in
//! one transaction); nothing of who rated is kept.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::portal::normalize_code;
use danvan_core::records::rating::{RatedService, Rating, Satisfaction};

use super::sha256;
use super::submit::by_code;
use crate::db::{on_pool, on_tx};
use crate::{Store, StoreError};

/// What the citizen rates.
#[derive(Debug, Clone)]
pub enum Rated {
    /// A one-stop dossier: its code and the day it was received.
    Dossier {
        code: String,
        received_on: NaiveDate,
    },
    /// A petition sent through the portal: its tracking code.
    Petition { code: String },
}

fn not_found_dossier() -> StoreError {
    StoreError::NotFound(
        "hồ sơ có mã số và ngày tiếp nhận này (hãy xem lại giấy tiếp nhận và hẹn trả kết quả)"
            .into(),
    )
}

fn not_yet(what: &str) -> StoreError {
    DomainError::new(
        "rating.not_yet",
        format!("{what} chưa có kết quả; hãy đánh giá sau khi nhận kết quả"),
    )
    .into()
}

/// The subject a petition's rating is kept under: derived from the
/// tracking code, so the rating cannot be tied back to its sender by
/// anyone without the code, and one code rates once.
fn petition_subject(code: &str) -> String {
    format!("PA-{}", &sha256(&format!("danvan-danh-gia:{code}"))[..16])
}

/// Keep a citizen's rating. Refused, with a Vietnamese message, when the
/// dossier or code is unknown, has no result yet, or was rated before.
pub async fn rate(
    store: &Store,
    what: &Rated,
    level: Satisfaction,
    comment: &str,
) -> Result<i64, StoreError> {
    let today = store.now().date();
    let (unit_id, service, subject) = match what {
        Rated::Dossier { code, received_on } => {
            let code = code.trim();
            if code.is_empty() {
                return Err(DomainError::new("rating.invalid", "hãy ghi mã số hồ sơ")
                    .at_field("ma")
                    .into());
            }
            let row: Option<(i64, NaiveDate, Option<NaiveDate>, Option<NaiveDate>)> = on_pool!(&store.pool, p => {
                sqlx::query_as(
                    "SELECT unit_id, received_on, resolved_on, returned_on FROM dossier WHERE code = $1",
                )
                .bind(code)
                .fetch_optional(p)
                .await?
            });
            let (unit_id, _, resolved, returned) = row
                .filter(|r| r.1 == *received_on)
                .ok_or_else(not_found_dossier)?;
            if resolved.is_none() && returned.is_none() {
                return Err(not_yet("hồ sơ"));
            }
            (unit_id, RatedService::Dossier, code.to_string())
        }
        Rated::Petition { code } => {
            let code = normalize_code(code).ok_or_else(super::unknown_code)?;
            let mut tx = store.begin_snapshot().await?;
            let (_, petition_id, _) = by_code(&mut tx, &code).await?;
            let row: (i64, Option<NaiveDate>) = on_tx!(&mut tx, c => {
                sqlx::query_as(
                    "SELECT p.unit_id, a.answered_on FROM petition p \
                     LEFT JOIN petition_answer a ON a.petition_id = p.id WHERE p.id = $1",
                )
                .bind(petition_id)
                .fetch_one(&mut *c)
                .await?
            });
            drop(tx);
            if row.1.is_none() {
                return Err(not_yet("ý kiến của bạn"));
            }
            (row.0, RatedService::Petition, petition_subject(&code))
        }
    };
    let rating = Rating {
        unit_id,
        service,
        level,
        rated_on: today,
        subject,
        comment: comment.trim().to_string(),
    };
    crate::table::insert(store, &rating).await
}
