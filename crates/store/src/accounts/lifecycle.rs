//! An account's life after it is made: deactivated and reactivated by an
//! administrator, its password changed by its owner or reset by an
//! administrator, and the housekeeping of expired sessions and throttle
//! rows. Every step is logged; a step that ends access ends it at once
//! (sessions are deleted, tokens revoked, in the step's transaction).

use danvan_core::DomainError;
use serde::Serialize;

use super::{
    Role, User, get, hash_password, now, password_rules, throttle, token_hash, verify_password,
};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

/// Administrators (and the server) only: the decision is here, not in
/// whoever calls.
fn require_admin(store: &Store, what: &str) -> Result<(), StoreError> {
    if store.actor().role.is_some_and(|r| r != Role::Admin) {
        return Err(StoreError::Forbidden(format!(
            "chỉ quản trị viên được {what}"
        )));
    }
    Ok(())
}

fn logged(action: Action, user: &User) -> Change {
    let mut change = Change::new(action, "user", user.id);
    if let Some(u) = user.unit_id {
        change = change.unit(u);
    }
    change
}

async fn end_sessions(tx: &mut Tx, user_id: i64, keep: Option<&str>) -> Result<u64, StoreError> {
    let keep = keep.map(token_hash).unwrap_or_default();
    Ok(on_tx!(tx, c => {
        sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(keep.as_str())
            .execute(&mut *c)
            .await?
            .rows_affected()
    }))
}

/// The account named `username` (as typed: case and spaces ignored), if
/// the acting store sees it.
pub async fn by_username(store: &Store, username: &str) -> Result<User, StoreError> {
    let name = username.trim().to_lowercase();
    let id: Option<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT id FROM app_user WHERE username = $1")
            .bind(name.as_str())
            .fetch_optional(p)
            .await?
    });
    match id {
        Some(id) => get(store, id).await,
        None => Err(StoreError::NotFound(format!("tài khoản «{name}»"))),
    }
}

/// Deactivate (`active` false) or reactivate an account. Deactivating ends
/// the account's sessions and revokes its API tokens in the same
/// transaction, so nothing it holds works a moment longer; reactivating
/// gives back neither (the user signs in again and makes new tokens).
/// Nobody deactivates their own account (the last administrator could
/// lock everyone out).
pub async fn set_active(store: &Store, user_id: i64, active: bool) -> Result<User, StoreError> {
    require_admin(
        store,
        if active {
            "mở lại tài khoản"
        } else {
            "khoá tài khoản"
        },
    )?;
    let mut user = get(store, user_id).await?;
    if !active && store.actor().user_id == Some(user.id) {
        return Err(
            DomainError::new("user.self", "không thể tự khoá tài khoản của chính mình").into(),
        );
    }
    if let Some(u) = user.unit_id {
        store.check_write(u)?;
    }
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        sqlx::query("UPDATE app_user SET active = $1 WHERE id = $2")
            .bind(active)
            .bind(user.id)
            .execute(&mut *c)
            .await?;
    });
    let mut ended = serde_json::json!({});
    if !active {
        let sessions = end_sessions(&mut tx, user.id, None).await?;
        let tokens = on_tx!(&mut tx, c => {
            sqlx::query("UPDATE api_token SET revoked = TRUE WHERE user_id = $1 AND NOT revoked")
                .bind(user.id)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        ended = serde_json::json!({ "sessions_ended": sessions, "tokens_revoked": tokens });
    }
    let before = user.clone();
    user.active = active;
    let action = if active {
        Action::Reactivate
    } else {
        Action::Deactivate
    };
    let change = logged(action, &user)
        .before(&before)
        .after(&serde_json::json!({
            "user": &user, "ended": ended,
        }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(user)
}

/// Why a password change was refused: a wrong current password, or too
/// many wrong ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordError {
    WrongCurrent,
    Throttled { minutes: i64 },
}

impl PasswordError {
    pub fn message(&self) -> String {
        match self {
            PasswordError::WrongCurrent => "Mật khẩu hiện tại không đúng.".into(),
            PasswordError::Throttled { minutes } => {
                format!("Nhập sai mật khẩu hiện tại quá nhiều lần; hãy thử lại sau {minutes} phút.")
            }
        }
    }
}

/// The acting user changes their own password, giving the current one.
/// Every other session of the user ends; `keep` (the session making the
/// change) stays open. Wrong current passwords are throttled like logins.
pub async fn change_password(
    store: &Store,
    current: &str,
    new: &str,
    keep: Option<&str>,
) -> Result<Result<User, PasswordError>, StoreError> {
    let Some(user_id) = store.actor().user_id else {
        return Err(StoreError::Forbidden(
            "chỉ người dùng đã đăng nhập đổi được mật khẩu của mình".into(),
        ));
    };
    password_rules(new)?;
    let keys = throttle::password_change_key(user_id);
    if let Some(minutes) = throttle::reserve(store, &keys).await? {
        return Ok(Err(PasswordError::Throttled { minutes }));
    }
    let hash: Option<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT password_hash FROM app_user WHERE id = $1 AND active")
            .bind(user_id)
            .fetch_optional(p)
            .await?
    });
    if !verify_password(store, current, hash).await {
        return Ok(Err(PasswordError::WrongCurrent));
    }
    throttle::release(store, &keys).await?;
    let user = get(store, user_id).await?;
    let new_hash = hash_password(new)?;
    let mut tx = store.begin().await?;
    write_password(&mut tx, user.id, &new_hash).await?;
    let ended = end_sessions(&mut tx, user.id, keep).await?;
    let change = logged(Action::ChangePassword, &user)
        .after(&serde_json::json!({ "sessions_ended": ended }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(Ok(user))
}

/// An administrator sets a new password for another account (a user who
/// forgot theirs). Every session of that user ends.
pub async fn reset_password(store: &Store, user_id: i64, new: &str) -> Result<User, StoreError> {
    require_admin(store, "đặt lại mật khẩu")?;
    password_rules(new)?;
    let user = get(store, user_id).await?;
    if let Some(u) = user.unit_id {
        store.check_write(u)?;
    }
    let new_hash = hash_password(new)?;
    let mut tx = store.begin().await?;
    write_password(&mut tx, user.id, &new_hash).await?;
    let ended = end_sessions(&mut tx, user.id, None).await?;
    let change =
        logged(Action::ResetPassword, &user).after(&serde_json::json!({ "sessions_ended": ended }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(user)
}

async fn write_password(tx: &mut Tx, user_id: i64, hash: &str) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query("UPDATE app_user SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Sessions past their expiry.
    pub sessions: u64,
    /// Throttle rows whose window has ended.
    pub throttle: u64,
}

/// Remove expired sessions and throttle rows that decide nothing any more
/// (the server does it every hour; `danvan user purge` on demand). Logged
/// when it removed anything. Tokens are kept, revoked or expired, so their
/// owners still see them listed.
pub async fn purge(store: &Store) -> Result<Purged, StoreError> {
    require_admin(store, "dọn phiên hết hạn")?;
    let throttle = throttle::purge(store).await?;
    let mut tx = store.begin().await?;
    let sessions = on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM user_session WHERE expires_at <= $1")
            .bind(now())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    let purged = Purged { sessions, throttle };
    if sessions > 0 || throttle > 0 {
        audit::log(
            &mut tx,
            store,
            Change::new(Action::Purge, "user", "expired").after(&purged),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(purged)
}
