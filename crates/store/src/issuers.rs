//! Cơ quan ban hành of a unit as its users set them (letterhead, symbol,
//! signer, recipients). A unit that set none issues under the defaults the
//! report crate derives from its kind; a saved body with a default's code
//! replaces that default.

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use danvan_core::issuer::IssuingBody;

use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::units::Unit;
use crate::{Store, StoreError};

/// The most bodies one unit keeps.
const MAX_PER_UNIT: usize = 20;

fn corrupt(unit: &Unit, e: &serde_json::Error) -> StoreError {
    DomainError::new(
        "issuer.corrupt",
        format!("cơ quan ban hành của {} bị hỏng: {e}", unit.full_name()),
    )
    .into()
}

/// The bodies `unit`'s users saved, by code. Outside the store's subtree
/// the unit has none.
pub async fn of_unit(store: &Store, unit: &Unit) -> Result<Vec<IssuingBody>, StoreError> {
    store.check_read(unit.id, || format!("đơn vị {}", unit.full_name()))?;
    let rows: Vec<(String,)> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT body FROM issuing_body WHERE province_id = $1 AND unit_id = $2 ORDER BY code",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|(json,)| serde_json::from_str(&json).map_err(|e| corrupt(unit, &e)))
        .collect()
}

async fn stored(
    tx: &mut crate::db::Tx,
    unit: &Unit,
    code: &str,
) -> Result<Option<String>, StoreError> {
    Ok(on_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT body FROM issuing_body WHERE province_id = $1 AND unit_id = $2 AND code = $3",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(code)
        .fetch_optional(&mut *c)
        .await?
    }))
}

/// Save `body` for `unit`, replacing the one of the same code. Checked,
/// logged, and only inside the store's subtree.
pub async fn save(store: &Store, unit: &Unit, body: &IssuingBody) -> Result<(), StoreError> {
    let mut body = body.clone();
    for s in [
        &mut body.name,
        &mut body.superior,
        &mut body.heading,
        &mut body.symbol,
        &mut body.on_behalf,
        &mut body.signer_title,
        &mut body.signer_name,
    ] {
        *s = s.trim().replace("\r\n", "\n");
    }
    body.recipients = body
        .recipients
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    body.validate()?;
    store.check_write(unit.id)?;
    let mut tx = store.begin().await?;
    let old = stored(&mut tx, unit, &body.code).await?;
    let old: Option<IssuingBody> = old
        .map(|j| serde_json::from_str(&j).map_err(|e| corrupt(unit, &e)))
        .transpose()?;
    if old.as_ref() == Some(&body) {
        return tx.end_read().await;
    }
    if old.is_none() {
        let n: i64 = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM issuing_body WHERE province_id = $1 AND unit_id = $2",
            )
            .bind(unit.province_id)
            .bind(unit.id)
            .fetch_one(&mut *c)
            .await?
        });
        if n as usize >= MAX_PER_UNIT {
            return Err(DomainError::new(
                "issuer.too_many",
                format!(
                    "{} đã có {MAX_PER_UNIT} cơ quan ban hành, không thêm được nữa",
                    unit.full_name()
                ),
            )
            .into());
        }
    }
    let action = if old.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    let mut change = Change::new(
        action,
        "issuing_body",
        format!("{} {}", unit.code, body.code),
    )
    .after(&body);
    if !unit.is_country() {
        change = change.unit(unit.id);
    }
    if let Some(o) = &old {
        change = change.before(o);
    }
    audit::log(&mut tx, store, change).await?;
    let json = serde_json::to_string(&body).expect("a body serialises");
    let now: NaiveDateTime = store.now();
    let by = store.actor().user_id;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "DELETE FROM issuing_body WHERE province_id = $1 AND unit_id = $2 AND code = $3",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(&body.code)
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO issuing_body (unit_id, province_id, code, body, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(unit.id)
        .bind(unit.province_id)
        .bind(&body.code)
        .bind(&json)
        .bind(now)
        .bind(by)
        .execute(&mut *c)
        .await?;
    });
    tx.commit().await
}

/// Remove the body `code` of `unit` (its default, if any, applies again).
pub async fn delete(store: &Store, unit: &Unit, code: &str) -> Result<(), StoreError> {
    store.check_write(unit.id)?;
    let mut tx = store.begin().await?;
    let Some(old) = stored(&mut tx, unit, code).await? else {
        return Err(StoreError::NotFound(format!(
            "cơ quan ban hành «{code}» của {}",
            unit.full_name()
        )));
    };
    let old: IssuingBody = serde_json::from_str(&old).map_err(|e| corrupt(unit, &e))?;
    let mut change = Change::new(
        Action::Delete,
        "issuing_body",
        format!("{} {code}", unit.code),
    )
    .before(&old);
    if !unit.is_country() {
        change = change.unit(unit.id);
    }
    audit::log(&mut tx, store, change).await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "DELETE FROM issuing_body WHERE province_id = $1 AND unit_id = $2 AND code = $3",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(code)
        .execute(&mut *c)
        .await?;
    });
    tx.commit().await
}
