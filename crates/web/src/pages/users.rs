//! Tài khoản: an administrator lists and creates the accounts of their
//! subtree; every user can make an API token for another system.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_store::accounts::{self, NewUser, Role};
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
        Field::new("password", "Mật khẩu (ít nhất 8 ký tự)", Kind::Text).required(),
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
    username: String,
    full_name: String,
    role: &'static str,
    unit: String,
    active: bool,
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    s: &Submitted,
    token: Option<String>,
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
            username: u.username,
            full_name: u.full_name,
            role: u.role.label(),
            active: u.active,
        })
        .collect();
    (
        status,
        super::render(
            app,
            Some(ctx),
            "users.html",
            context! {
                rows => ser(&rows),
                fields => ser(&forms::view(&fields, s)),
                general => s.general.clone(),
                admin => ctx.may_manage_accounts(),
                token => token,
            },
        ),
    )
        .into_response()
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    let mut s = Submitted::default();
    if let Some(root) = ctx.store.scope() {
        s.values.insert("unit_id".into(), root.root.to_string());
    }
    s.values.insert("role".into(), "officer".into());
    show(&app, &ctx, &s, None, StatusCode::OK).await
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
        return show(&app, &ctx, &s, None, StatusCode::UNPROCESSABLE_ENTITY).await;
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
            show(&app, &ctx, &s, None, status).await
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
    match accounts::create_token(&ctx.store, ctx.user.id, &name).await {
        Ok(t) => show(&app, &ctx, &s, Some(t), StatusCode::OK).await,
        Err(e) => {
            s.store_error(&e);
            show(&app, &ctx, &s, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
