//! Tài khoản: an administrator lists, creates, deactivates and
//! reactivates the accounts of their subtree and resets their passwords;
//! every user makes, lists and revokes their own API tokens (an
//! administrator those of every account). The store decides who may.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDateTime;
use danvan_store::StoreError;
use danvan_store::accounts::{self, NewUser, Role, TokenInfo};
use minijinja::context;

use super::ser;
use serde::Serialize;

use crate::auth::Ctx;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

async fn fields(ctx: &Ctx) -> Result<Vec<Field>, danvan_store::StoreError> {
    Ok(vec![
        Field::new("username", "Tên đăng nhập", Kind::Text).required(),
        Field::new("full_name", "Họ và tên", Kind::Text).required(),
        Field::new("password", "Mật khẩu (ít nhất 8 ký tự)", Kind::Password).required(),
        Field::new(
            "role",
            "Vai trò",
            Kind::Choice(
                Role::ALL
                    .iter()
                    .map(|r| (r.code().to_string(), r.label().to_string()))
                    .collect(),
            ),
        )
        .required(),
        Field::new("unit_id", "Đơn vị", forms::unit_choice(&ctx.store).await?)
            .help("Người dùng chỉ đọc và ghi dữ liệu của đơn vị này và các đơn vị trực thuộc."),
    ])
}

#[derive(Serialize)]
struct Row {
    id: i64,
    me: bool,
    username: String,
    full_name: String,
    role: &'static str,
    unit: String,
    active: bool,
}

/// A token as listed: dates the Vietnamese way.
#[derive(Serialize)]
struct TokenRow {
    id: i64,
    username: String,
    name: String,
    created: String,
    last_used: String,
    expires: String,
    state: &'static str,
    live: bool,
}

fn when(t: Option<NaiveDateTime>) -> String {
    t.map_or("—".into(), |t| t.format("%d/%m/%Y %H:%M").to_string())
}

fn token_rows(tokens: Vec<TokenInfo>) -> Vec<TokenRow> {
    tokens
        .into_iter()
        .map(|t| TokenRow {
            live: t.live(),
            state: if t.revoked {
                "đã thu hồi"
            } else if t.live() {
                "đang dùng"
            } else {
                "hết hạn"
            },
            id: t.id,
            username: t.username,
            name: t.name,
            created: when(Some(t.created_at)),
            last_used: when(t.last_used_at),
            expires: when(t.expires_at),
        })
        .collect()
}

/// The terms a new token may be given, in days.
const TOKEN_TERMS: [(i64, &str); 4] = [
    (30, "30 ngày"),
    (90, "90 ngày"),
    (180, "180 ngày"),
    (365, "1 năm"),
];

/// What the page shows besides the form: a new token (once) and a notice.
#[derive(Default)]
struct Shown {
    token: Option<String>,
    notice: Option<String>,
}

/// The page again, with what was wrong in the form.
async fn invalid_form(app: &AppState, ctx: &Ctx, s: &Submitted) -> Response {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(app, ctx, s, Shown::default(), status).await
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    s: &Submitted,
    shown: Shown,
    status: StatusCode,
) -> Response {
    let fields = match fields(ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let names: HashMap<i64, String> = danvan_store::units::all(&ctx.store)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| (u.id, u.full_name()))
        .collect();
    // The store lists accounts to administrators only; others see none.
    let rows: Vec<Row> = accounts::list(&ctx.store)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|u| Row {
            unit: u
                .unit_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "Cả nước".into()),
            id: u.id,
            me: u.id == ctx.user.id,
            username: u.username,
            full_name: u.full_name,
            role: u.role.label(),
            active: u.active,
        })
        .collect();
    let mine = accounts::list_tokens(&ctx.store, ctx.user.id)
        .await
        .map(token_rows)
        .unwrap_or_default();
    // Every account's tokens: the store gives them to administrators only.
    let all = accounts::list_all_tokens(&ctx.store)
        .await
        .map(token_rows)
        .unwrap_or_default();
    super::render_as(
        status,
        app,
        ctx,
        "users.html",
        context! {
            rows => ser(&rows),
            fields => ser(&forms::view(&fields, s)),
            general => s.general.clone(),
            admin => ctx.may_manage_accounts(),
            token => shown.token,
            notice => shown.notice,
            mine => ser(&mine),
            all => ser(&all),
            terms => ser(&TOKEN_TERMS.to_vec()),
            default_term => accounts::TOKEN_DAYS,
        },
    )
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    let mut s = Submitted::default();
    if let Some(root) = ctx.store.scope() {
        s.values.insert("unit_id".into(), root.root.to_string());
    }
    s.values.insert("role".into(), "officer".into());
    show(&app, &ctx, &s, Shown::default(), StatusCode::OK).await
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fs = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = Submitted::new(values);
    let f = |n: &str| fs.iter().find(|f| f.name == n).expect("listed above");
    let username = s.text(f("username"));
    let full_name = s.text(f("full_name"));
    let password = s.text(f("password"));
    let role = s.choice(f("role"), Role::parse);
    let unit_id = s.int(f("unit_id"));
    let (true, Some(role)) = (s.ok(), role) else {
        s.values.remove("password");
        return invalid_form(&app, &ctx, &s).await;
    };
    let u = NewUser {
        username,
        full_name,
        password,
        role,
        unit_id,
    };
    match accounts::create(&ctx.store, &u).await {
        Ok(_) => axum::response::Redirect::to("/nguoi-dung").into_response(),
        Err(e) => {
            s.store_error(&e);
            s.values.remove("password");
            let status = match e {
                danvan_store::StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            show(&app, &ctx, &s, Shown::default(), status).await
        }
    }
}

pub async fn create_token(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let name = values.get("name").map_or("", |s| s.trim()).to_string();
    let mut s = Submitted::default();
    let days = match values.get("days").map(|d| d.trim()) {
        None | Some("") => Some(accounts::TOKEN_DAYS),
        Some(d) => d.parse::<i64>().ok(),
    };
    let Some(days) = days else {
        s.general
            .push("thời hạn của khoá API phải là một số ngày".into());
        return invalid_form(&app, &ctx, &s).await;
    };
    match accounts::create_token_for(&ctx.store, ctx.user.id, &name, days).await {
        Ok(t) => {
            let shown = Shown {
                token: Some(t),
                notice: None,
            };
            show(&app, &ctx, &s, shown, StatusCode::OK).await
        }
        Err(e) => {
            // The token form is not the page's field list: say it above.
            match &e {
                StoreError::Invalid(d) => s.general.push(d.message.clone()),
                e => s.store_error(e),
            }
            show(&app, &ctx, &s, Shown::default(), status_of(&e)).await
        }
    }
}

fn status_of(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Invalid(_) | StoreError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The page again with the store's refusal, or the error page when the
/// account is not there at all.
async fn refused(app: &AppState, ctx: &Ctx, e: StoreError) -> Response {
    match e {
        StoreError::Invalid(ref d) => {
            // Said above the page: the refused action has no form field
            // of its own there.
            let mut s = Submitted::default();
            s.general.push(d.message.clone());
            show(app, ctx, &s, Shown::default(), status_of(&e)).await
        }
        e => super::error_page(app, Some(ctx), &e),
    }
}

/// Revoke one token (the user's own, or any an administrator sees).
pub async fn revoke_token(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match accounts::revoke_token_id(&ctx.store, id).await {
        Ok(_) => Redirect::to("/nguoi-dung").into_response(),
        Err(e) => refused(&app, &ctx, e).await,
    }
}

async fn set_active(app: AppState, ctx: Ctx, id: i64, active: bool) -> Response {
    match accounts::set_active(&ctx.store, id, active).await {
        Ok(u) => {
            let notice = if active {
                format!("Đã mở lại tài khoản «{}».", u.username)
            } else {
                format!(
                    "Đã khoá tài khoản «{}»: mọi phiên đăng nhập đã kết thúc và mọi khoá API đã bị thu hồi.",
                    u.username
                )
            };
            let shown = Shown {
                token: None,
                notice: Some(notice),
            };
            show(&app, &ctx, &Submitted::default(), shown, StatusCode::OK).await
        }
        Err(e) => refused(&app, &ctx, e).await,
    }
}

/// Deactivate an account: it can no longer sign in, and its sessions and
/// tokens stop working at once.
pub async fn deactivate(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    set_active(app, ctx, id, false).await
}

pub async fn reactivate(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    set_active(app, ctx, id, true).await
}

/// An administrator sets a new password for an account; its sessions end.
pub async fn reset_password(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let password = values.get("password").cloned().unwrap_or_default();
    match accounts::reset_password(&ctx.store, id, &password).await {
        Ok(u) => {
            let shown = Shown {
                token: None,
                notice: Some(format!(
                    "Đã đặt lại mật khẩu của «{}»; mọi phiên đăng nhập của tài khoản này đã kết thúc.",
                    u.username
                )),
            };
            show(&app, &ctx, &Submitted::default(), shown, StatusCode::OK).await
        }
        Err(e) => refused(&app, &ctx, e).await,
    }
}
