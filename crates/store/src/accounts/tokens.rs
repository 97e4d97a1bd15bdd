//! API tokens: made for another system, shown once, kept only as a hash.
//! Each expires (chosen when it is made, [`TOKEN_DAYS`] by default) and
//! remembers when it was last used. A user lists and revokes their own;
//! an administrator those of every account of their subtree.

use chrono::{Duration, NaiveDateTime};
use danvan_core::DomainError;
use serde::Serialize;

use super::{Role, User, UserRow, get, new_token, now, token_hash, user_from};
use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::{Store, StoreError};

/// Days a token lasts unless another term is chosen.
pub const TOKEN_DAYS: i64 = 90;
/// The longest term a token may be given.
pub const MAX_TOKEN_DAYS: i64 = 730;
/// `last_used_at` is written at most this often per token, so reading
/// through a token does not write on every request.
const LAST_USED_EVERY_MINUTES: i64 = 60;

/// A token as its owner and administrators see it (never the token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
    pub revoked: bool,
}

impl TokenInfo {
    /// Whether the token still lets its user in.
    pub fn live(&self) -> bool {
        !self.revoked && self.expires_at.is_some_and(|e| e > now())
    }
}

/// Whether the acting store may manage the tokens of `user`: the user
/// themself, an administrator who sees the user, or the server.
async fn may_manage(store: &Store, user_id: i64) -> Result<User, StoreError> {
    let user = get(store, user_id).await?;
    let actor = store.actor();
    let own = actor.user_id == Some(user.id);
    if own || actor.role.is_none_or(|r| r == Role::Admin) {
        Ok(user)
    } else {
        Err(StoreError::Forbidden(
            "chỉ chủ tài khoản hoặc quản trị viên quản lý khoá API của tài khoản này".into(),
        ))
    }
}

/// A new API token for `user_id`, valid [`TOKEN_DAYS`] days.
pub async fn create_token(store: &Store, user_id: i64, name: &str) -> Result<String, StoreError> {
    create_token_for(store, user_id, name, TOKEN_DAYS).await
}

/// A new API token for `user_id`, valid `days` days (shown once; only its
/// hash is kept).
pub async fn create_token_for(
    store: &Store,
    user_id: i64,
    name: &str,
    days: i64,
) -> Result<String, StoreError> {
    if name.trim().is_empty() {
        return Err(DomainError::new("token.name", "chưa đặt tên cho khoá API")
            .at_field("name")
            .into());
    }
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return Err(DomainError::new(
            "token.days",
            format!("thời hạn của khoá API phải từ 1 đến {MAX_TOKEN_DAYS} ngày"),
        )
        .at_field("days")
        .into());
    }
    let user = may_manage(store, user_id).await?;
    let (token, hash) = new_token();
    let created = now();
    let expires = created + Duration::days(days);
    let mut tx = store.begin().await?;
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO api_token (token_hash, user_id, name, created_at, revoked, expires_at) \
             VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id",
        )
        .bind(hash.as_str())
        .bind(user.id)
        .bind(name.trim())
        .bind(created)
        .bind(expires)
        .fetch_one(&mut *c)
        .await?
    });
    let mut change = Change::new(Action::Create, "api_token", id).after(&serde_json::json!({
        "user_id": user.id, "name": name.trim(), "expires_at": expires,
    }));
    if let Some(u) = user.unit_id {
        change = change.unit(u);
    }
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(format!("dv_{token}"))
}

/// The user an API token acts for: none if the token is unknown, revoked
/// or expired, or its user is deactivated.
pub async fn token_user(store: &Store, token: &str) -> Result<Option<User>, StoreError> {
    let Some(raw) = token.strip_prefix("dv_") else {
        return Ok(None);
    };
    let at = now();
    let sql = String::from(
        "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, u.active, t.id, t.last_used_at \
         FROM api_token t JOIN app_user u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND NOT t.revoked AND t.expires_at > $2 AND u.active",
    );
    type Row = (
        i64,
        String,
        String,
        String,
        Option<i64>,
        bool,
        i64,
        Option<NaiveDateTime>,
    );
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_hash(raw))
            .bind(at)
            .fetch_optional(p)
            .await?
    });
    let Some(r) = row else {
        return Ok(None);
    };
    if r.7
        .is_none_or(|t| t < at - Duration::minutes(LAST_USED_EVERY_MINUTES))
    {
        on_pool!(&store.pool, p => {
            sqlx::query("UPDATE api_token SET last_used_at = $1 WHERE id = $2")
                .bind(at)
                .bind(r.6)
                .execute(p)
                .await?;
        });
    }
    let row: UserRow = (r.0, r.1, r.2, r.3, r.4, r.5);
    user_from(row).map(Some)
}

const TOKEN_COLS: &str = "t.id, t.user_id, u.username, t.name, t.created_at, t.last_used_at, \
                          t.expires_at, t.revoked, u.unit_id";

type TokenRow = (
    i64,
    i64,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    bool,
    // The owner's unit, to keep to the store's subtree.
    Option<i64>,
);

fn token_from(r: TokenRow) -> TokenInfo {
    TokenInfo {
        id: r.0,
        user_id: r.1,
        username: r.2,
        name: r.3,
        created_at: r.4,
        last_used_at: r.5,
        expires_at: r.6,
        revoked: r.7,
    }
}

/// The tokens of one account, newest first: for the account itself and
/// for administrators who see it.
pub async fn list_tokens(store: &Store, user_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
    let user = may_manage(store, user_id).await?;
    let sql = format!(
        "SELECT {TOKEN_COLS} FROM api_token t JOIN app_user u ON u.id = t.user_id \
         WHERE t.user_id = $1 ORDER BY t.id DESC"
    );
    let rows: Vec<TokenRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(user.id).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(token_from).collect())
}

/// Every token of the accounts of the acting store's subtree, newest
/// first: for administrators (and the server) only.
pub async fn list_all_tokens(store: &Store) -> Result<Vec<TokenInfo>, StoreError> {
    if store.actor().role.is_some_and(|r| r != Role::Admin) {
        return Err(StoreError::Forbidden(
            "chỉ quản trị viên xem được khoá API của mọi tài khoản".into(),
        ));
    }
    let sql = format!(
        "SELECT {TOKEN_COLS} FROM api_token t JOIN app_user u ON u.id = t.user_id \
         ORDER BY t.id DESC"
    );
    let rows: Vec<TokenRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    Ok(rows
        .into_iter()
        .filter(|r| store.scope().is_none() || r.8.is_some_and(|u| store.permits(u)))
        .map(token_from)
        .collect())
}

/// Revoke the token numbered `id` (as listed). Returns whether a live
/// token was revoked. Only its owner or an administrator who sees the
/// owner may; any other reader is told it does not exist.
pub async fn revoke_token_id(store: &Store, id: i64) -> Result<bool, StoreError> {
    let found: Option<(i64, bool)> = on_pool!(&store.pool, p => {
        sqlx::query_as("SELECT user_id, revoked FROM api_token WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    let not_found = || StoreError::NotFound(format!("khoá API số {id}"));
    let (user_id, revoked) = found.ok_or_else(not_found)?;
    let user = match may_manage(store, user_id).await {
        Ok(u) => u,
        Err(StoreError::Forbidden(_)) | Err(StoreError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(e),
    };
    if revoked {
        return Ok(false);
    }
    revoke(store, id, &user).await?;
    Ok(true)
}

/// Revoke an API token, given as it was handed out (a leaked token is
/// known by its text). Returns whether a live token was revoked. The
/// acting store must see the token's owner.
pub async fn revoke_token(store: &Store, token: &str) -> Result<bool, StoreError> {
    let Some(raw) = token.strip_prefix("dv_") else {
        return Ok(false);
    };
    let found: Option<(i64, i64)> = on_pool!(&store.pool, p => {
        sqlx::query_as("SELECT id, user_id FROM api_token WHERE token_hash = $1 AND NOT revoked")
            .bind(token_hash(raw))
            .fetch_optional(p)
            .await?
    });
    let Some((id, user_id)) = found else {
        return Ok(false);
    };
    let user = may_manage(store, user_id).await?;
    revoke(store, id, &user).await?;
    Ok(true)
}

async fn revoke(store: &Store, id: i64, user: &User) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        sqlx::query("UPDATE api_token SET revoked = TRUE WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    let mut change = Change::new(Action::Revoke, "api_token", id)
        .before(&serde_json::json!({ "user_id": user.id }));
    if let Some(u) = user.unit_id {
        change = change.unit(u);
    }
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}
