//! Minh chứng đính kèm: a file attached as evidence to a manual item of a
//! unit's self-assessment, kept as base64 with its SHA-256 beside the
//! assessment and named in the item's answer.

use base64::Engine as _;
use danvan_core::DomainError;

use super::assessments::{Assessment, Status, fetch_tx, get, refuse, unit_province, write_answers};
use crate::audit::{self, Action, Change};
use crate::db::on_tx;
use crate::{Store, StoreError};

/// Attach a file as evidence to an item, while self-assessing.
pub async fn attach(
    store: &Store,
    id: i64,
    item: &str,
    name: &str,
    bytes: &[u8],
) -> Result<Assessment, StoreError> {
    let (round, _) = get(store, id).await?;
    let sheet = round.sheet()?;
    if sheet.item(item).is_none_or(|i| i.is_auto()) {
        return Err(DomainError::new(
            "scoring.answer",
            format!("tiêu chí «{item}» không nhận tệp minh chứng"),
        )
        .at_field("item")
        .into());
    }
    let name = name.trim();
    if !(1..=200).contains(&name.chars().count()) || bytes.is_empty() || bytes.len() > 5 << 20 {
        return Err(DomainError::new(
            "scoring.attachment",
            "tệp minh chứng phải có tên (tối đa 200 ký tự) và từ 1 byte đến 5 MB",
        )
        .at_field("file")
        .into());
    }
    let mut tx = store.begin().await?;
    let a = fetch_tx(&mut tx, id).await?;
    store.check_write(a.unit_id)?;
    if a.status != Status::SelfAssessing {
        return Err(refuse(
            "scoring.state",
            format!(
                "bản đánh giá lần {} {}; chỉ đính kèm được khi đang tự đánh giá",
                a.version,
                a.status.label()
            ),
        ));
    }
    let province = unit_province(&mut tx, a.unit_id).await?;
    let sha = crate::chain::submissions::sha256(bytes);
    let content = base64::engine::general_purpose::STANDARD.encode(bytes);
    let now = store.now();
    let file: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO score_attachment (assessment_id, province_id, item, name, content, sha256, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id).bind(province).bind(item).bind(name).bind(&content).bind(&sha)
        .bind(now).bind(store.actor().user_id)
        .fetch_one(&mut *c).await?
    });
    let mut answers = a.answers.clone();
    answers.entry(item.to_string()).or_default().attachment =
        Some(format!("{name} (tệp số {file})"));
    write_answers(&mut tx, id, &answers, None).await?;
    let change = Change::new(Action::Update, "score_assessment", id)
        .unit(a.unit_id)
        .after(&serde_json::json!({"item": item, "attachment": name, "sha256": sha}));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(get(store, id).await?.1)
}
