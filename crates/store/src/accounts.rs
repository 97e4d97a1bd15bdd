//! Accounts (tài khoản): users bound to a unit with a role, their login
//! sessions and API tokens, and login throttling. Passwords are kept as
//! Argon2id hashes; session and API tokens only as SHA-256 hashes, so a copy
//! of the database lets nobody in.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use chrono::{Duration, NaiveDateTime};
use danvan_core::DomainError;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::{Store, StoreError, units};

pub use danvan_core::access::{Entity, Role, Setting};

mod lifecycle;
pub mod throttle;
mod tokens;

pub use lifecycle::{
    PasswordError, Purged, by_username, change_password, purge, reset_password, set_active,
};
pub use tokens::{
    MAX_TOKEN_DAYS, TOKEN_DAYS, TokenInfo, create_token, create_token_for, list_all_tokens,
    list_tokens, revoke_token, revoke_token_id, token_user,
};

/// A user as the application sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// `None` only for a national administrator.
    pub unit_id: Option<i64>,
    pub active: bool,
}

impl User {
    /// The user as the author of changes.
    pub fn actor(&self) -> crate::Actor {
        crate::Actor {
            user_id: Some(self.id),
            name: format!("{} ({})", self.full_name, self.username),
            role: Some(self.role),
        }
    }
}

/// A new account.
#[derive(Debug, Clone, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub password: String,
    pub role: Role,
    pub unit_id: Option<i64>,
}

fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| {
            DomainError::new("user.password", format!("không băm được mật khẩu: {e}")).into()
        })
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash of no one's password, checked when a name is unknown, so an
/// unknown name costs the same Argon2 work as a wrong password and the
/// answer's timing does not tell which names exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let (random, _) = new_token();
        hash_password(&random).unwrap_or_default()
    })
}

/// Check `password` against `hash` (the dummy hash when there is none),
/// always with Argon2, off the async workers, and count the check.
pub(crate) async fn verify_password(store: &Store, password: &str, hash: Option<String>) -> bool {
    let real = hash.is_some();
    let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
    let password = password.to_string();
    store.shared.password_checks.fetch_add(1, Ordering::SeqCst);
    let matches = tokio::task::spawn_blocking(move || password_matches(&password, &hash))
        .await
        .unwrap_or(false);
    real && matches
}

/// A random token (256 bits, hex) and the hash that is stored.
fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn validate(u: &NewUser) -> Result<(), DomainError> {
    let name = u.username.trim();
    if name.len() < 3
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(DomainError::new(
            "user.username",
            "tên đăng nhập phải có ít nhất 3 ký tự, chỉ gồm chữ không dấu, số và . _ -",
        )
        .at_field("username"));
    }
    if u.full_name.trim().is_empty() {
        return Err(DomainError::new("user.full_name", "chưa nhập họ và tên").at_field("full_name"));
    }
    password_rules(&u.password)?;
    if u.unit_id.is_none() && u.role != Role::Admin {
        return Err(DomainError::new(
            "user.unit",
            "tài khoản phải gắn với một đơn vị (chỉ quản trị toàn quốc không gắn đơn vị)",
        )
        .at_field("unit_id"));
    }
    Ok(())
}

/// What a new password must be.
pub(crate) fn password_rules(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < 8 {
        return Err(
            DomainError::new("user.password", "mật khẩu phải có ít nhất 8 ký tự")
                .at_field("password"),
        );
    }
    Ok(())
}

type UserRow = (i64, String, String, String, Option<i64>, bool);

fn user_from(r: UserRow) -> Result<User, StoreError> {
    Ok(User {
        id: r.0,
        username: r.1,
        full_name: r.2,
        role: Role::parse(&r.3)?,
        unit_id: r.4,
        active: r.5,
    })
}

/// A user's columns and one secret beside them (a password hash, a
/// session's CSRF token).
type UserWithSecret = (i64, String, String, String, Option<i64>, bool, String);

const USER_COLS: &str = "id, username, full_name, role, unit_id, active";

/// Create an account. The acting store's scope applies: an administrator
/// of a district creates accounts only inside that district.
pub async fn create(store: &Store, u: &NewUser) -> Result<User, StoreError> {
    validate(u)?;
    match (u.unit_id, store.scope()) {
        (Some(unit), _) => {
            if units::by_id(store, unit).await?.is_none() {
                return Err(DomainError::new(
                    "user.unit",
                    format!("không tìm thấy đơn vị mã số {unit}"),
                )
                .at_field("unit_id")
                .into());
            }
            store.check_write(unit)?;
        }
        (None, Some(s)) => {
            return Err(StoreError::Forbidden(format!(
                "chỉ tạo được tài khoản trong {} và các đơn vị trực thuộc",
                s.root_name
            )));
        }
        (None, None) => {}
    }
    let hash = hash_password(&u.password)?;
    let username = u.username.trim().to_lowercase();
    let mut tx = store.begin().await?;
    let taken: Option<i64> = on_tx!(&mut tx, c => {
        sqlx::query_scalar("SELECT id FROM app_user WHERE username = $1")
            .bind(username.as_str())
            .fetch_optional(&mut *c)
            .await?
    });
    if taken.is_some() {
        return Err(DomainError::new(
            "user.username_taken",
            format!("tên đăng nhập «{username}» đã có người dùng"),
        )
        .at_field("username")
        .into());
    }
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO app_user (username, full_name, password_hash, role, unit_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
        )
        .bind(username.as_str())
        .bind(u.full_name.trim())
        .bind(hash.as_str())
        .bind(u.role.code())
        .bind(u.unit_id)
        .bind(now())
        .fetch_one(&mut *c)
        .await?
    });
    let user = User {
        id,
        username,
        full_name: u.full_name.trim().to_string(),
        role: u.role,
        unit_id: u.unit_id,
        active: true,
    };
    let mut change = Change::new(Action::Create, "user", id).after(&user);
    if let Some(unit) = u.unit_id {
        change = change.unit(unit);
    }
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(user)
}

/// Every account of the acting store's subtree, by unit then name: for
/// administrators (and the server) only.
pub async fn list(store: &Store) -> Result<Vec<User>, StoreError> {
    if store.actor().role.is_some_and(|r| r != Role::Admin) {
        return Err(StoreError::Forbidden(
            "chỉ quản trị viên xem được danh sách tài khoản".into(),
        ));
    }
    list_visible(store).await
}

/// The accounts of the store's subtree, whoever asks: for the store's own
/// decisions (who can be assigned a petition).
pub(crate) async fn list_visible(store: &Store) -> Result<Vec<User>, StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM app_user ORDER BY unit_id, username");
    let rows: Vec<UserRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    rows.into_iter()
        .map(user_from)
        .filter(|u| match (u, store.scope()) {
            (Ok(u), Some(_)) => u.unit_id.is_some_and(|unit| store.permits(unit)),
            _ => true,
        })
        .collect()
}

pub async fn get(store: &Store, id: i64) -> Result<User, StoreError> {
    let sql = format!("SELECT {USER_COLS} FROM app_user WHERE id = $1");
    let row: Option<UserRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
    });
    let user = user_from(row.ok_or_else(|| StoreError::NotFound(format!("tài khoản số {id}")))?)?;
    if store.scope().is_some() && !user.unit_id.is_some_and(|u| store.permits(u)) {
        return Err(StoreError::NotFound(format!("tài khoản số {id}")));
    }
    Ok(user)
}

/// Why a login was refused. The message never says which of the name or
/// the password was wrong, nor whether the name exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    Wrong,
    Throttled { minutes: i64 },
}

impl LoginError {
    pub fn message(&self) -> String {
        match self {
            LoginError::Wrong => "Tên đăng nhập hoặc mật khẩu không đúng.".into(),
            LoginError::Throttled { minutes } => {
                format!("Đăng nhập sai quá nhiều lần; hãy thử lại sau {minutes} phút.")
            }
        }
    }
}

/// Wrong attempts allowed at one account from one address in
/// [`THROTTLE_MINUTES`] (the other limits are in [`throttle`]).
pub const MAX_FAILURES: i64 = throttle::PER_ACCOUNT_ADDRESS.max;
pub const THROTTLE_MINUTES: i64 = throttle::PER_ACCOUNT_ADDRESS.minutes;

/// A new login session: the cookie token (given once) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub user: User,
}

/// A random secret (256 bits, hex): for the login form's CSRF token.
pub fn new_secret() -> String {
    new_token().0
}

/// Check a user name and password from the client `address` (an IP
/// address as text; anything else counts as one unknown address) and open
/// a session of `hours`.
///
/// The attempt is counted first (see [`throttle`]); a refused attempt
/// checks no password. Otherwise the password is always checked with
/// Argon2 — against a dummy hash for an unknown name — so an unknown name,
/// a deactivated account and a wrong password take the same work and get
/// the same answer.
pub async fn login(
    store: &Store,
    username: &str,
    password: &str,
    address: &str,
    hours: i64,
) -> Result<Result<NewSession, LoginError>, StoreError> {
    let user = match credentials(store, username, password, address).await? {
        Ok(u) => u,
        Err(e) => return Ok(Err(e)),
    };
    let (token, hash) = new_token();
    let (csrf, _) = new_token();
    let at = now();
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        // The user's own expired sessions go as a new one comes.
        sqlx::query("DELETE FROM user_session WHERE user_id = $1 AND expires_at <= $2")
            .bind(user.id)
            .bind(at)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO user_session (token_hash, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash.as_str())
        .bind(user.id)
        .bind(csrf.as_str())
        .bind(at)
        .bind(at + Duration::hours(hours))
        .execute(&mut *c)
        .await?;
    });
    let actor = user.actor();
    let mut change = Change::new(Action::Login, "user", user.id);
    if let Some(u) = user.unit_id {
        change = change.unit(u);
    }
    audit::log(&mut tx, &store.acting_as(actor), change).await?;
    tx.commit().await?;
    Ok(Ok(NewSession { token, csrf, user }))
}

/// The active user a name and password belong to, counted by the login
/// throttle exactly as [`login`] counts (every attempt reserved before the
/// password is checked, a success given back), without opening a session:
/// for clients that send HTTP Basic credentials with every request.
pub async fn credentials(
    store: &Store,
    username: &str,
    password: &str,
    address: &str,
) -> Result<Result<User, LoginError>, StoreError> {
    let username = username.trim().to_lowercase();
    let keys = throttle::login_keys(&username, address);
    if let Some(minutes) = throttle::reserve(store, &keys).await? {
        return Ok(Err(LoginError::Throttled { minutes }));
    }
    let sql = format!("SELECT {USER_COLS}, password_hash FROM app_user WHERE username = $1");
    let row: Option<UserWithSecret> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username.as_str()).fetch_optional(p).await?
    });
    let hash = row.as_ref().map(|r| r.6.clone());
    let matches = verify_password(store, password, hash).await;
    let Some(r) = row.filter(|r| matches && r.5) else {
        return Ok(Err(LoginError::Wrong));
    };
    throttle::release(store, &keys).await?;
    Ok(Ok(user_from((r.0, r.1, r.2, r.3, r.4, r.5))?))
}

/// The user and CSRF token of a live session.
pub async fn session(store: &Store, token: &str) -> Result<Option<(User, String)>, StoreError> {
    let sql = String::from(
        "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, u.active, s.csrf \
         FROM user_session s JOIN app_user u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active",
    );
    let row: Option<UserWithSecret> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_hash(token))
            .bind(now())
            .fetch_optional(p)
            .await?
    });
    row.map(|r| Ok((user_from((r.0, r.1, r.2, r.3, r.4, r.5))?, r.6)))
        .transpose()
}

/// End a session.
pub async fn logout(store: &Store, token: &str) -> Result<(), StoreError> {
    on_pool!(&store.pool, p => {
        sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(p)
            .await?;
    });
    Ok(())
}

/// How many accounts exist (the first one must be created on the server).
pub async fn count(store: &Store) -> Result<i64, StoreError> {
    on_pool!(&store.pool, p => {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM app_user").fetch_one(p).await?)
    })
}
