//! Chỉ số và phần báo cáo: a national administrator defines indicators,
//! validation rules and report sections at run time — by form, or by
//! pasting a file in the shipped catalogue's format — edits one (a new
//! version, refused when someone saved in between), reads its versions and
//! takes it out of force. The report crate checks each before it is saved;
//! the store decides who may. `danvan catalogue …` does the same on the
//! command line.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_report::Catalogue;
use danvan_report::custom::{self, Draft};
use danvan_store::StoreError;
use danvan_store::catalogue_entries::{self, Entry, EntryKind};
use minijinja::context;
use serde::Serialize;

use super::{error_page, render_as, ser};
use crate::auth::Ctx;
use crate::state::AppState;

const PAGE: &str = "/bao-cao/chi-so";

/// An entry as listed: its heading taken from its TOML.
#[derive(Serialize)]
struct Row {
    kind: &'static str,
    kind_label: &'static str,
    code: String,
    title: String,
    version: i64,
    saved: String,
    actor: String,
}

fn row(e: &Entry) -> Row {
    let title = custom::heading(&e.source);
    Row {
        kind: e.kind.code(),
        kind_label: e.kind.label(),
        code: e.code.clone(),
        title,
        version: e.version,
        saved: e.saved_at.format("%d/%m/%Y %H:%M").to_string(),
        actor: e.actor.clone(),
    }
}

/// What the page shows besides the entries.
struct Shown {
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    /// The form sent back with what was wrong in it.
    form: HashMap<String, String>,
}

async fn show(app: &AppState, ctx: &Ctx, s: Shown) -> Response {
    let entries = match catalogue_entries::listed(&ctx.store).await {
        Ok(e) => e,
        Err(e) => return error_page(app, Some(ctx), &e),
    };
    let keys = match custom::known_keys(&ctx.store).await {
        Ok(k) => k,
        Err(e) => return error_page(app, Some(ctx), &e),
    };
    let shipped: Vec<(String, String)> = Catalogue::shipped()
        .indicators
        .values()
        .map(|i| (i.code.clone(), i.label.clone()))
        .collect();
    let rows: Vec<Row> = entries.iter().map(row).collect();
    render_as(
        s.status,
        app,
        ctx,
        "catalogue_entries.html",
        context! {
            entries => ser(&rows),
            keys => ser(&keys),
            shipped => ser(&shipped),
            notice => s.notice,
            error => s.error,
            form => ser(&s.form),
        },
    )
}

/// `GET /bao-cao/chi-so`.
pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    let shown = Shown {
        status: StatusCode::OK,
        notice: None,
        error: None,
        form: HashMap::new(),
    };
    show(&app, &ctx, shown).await
}

async fn refused(
    app: &AppState,
    ctx: &Ctx,
    e: StoreError,
    form: HashMap<String, String>,
) -> Response {
    let status = match &e {
        StoreError::Invalid(_) | StoreError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
        StoreError::Stale(_) => StatusCode::CONFLICT,
        _ => return error_page(app, Some(ctx), &e),
    };
    let shown = Shown {
        status,
        notice: None,
        error: Some(e.to_string()),
        form,
    };
    show(app, ctx, shown).await
}

fn saved_notice(saved: &[(EntryKind, String, i64)]) -> String {
    let list: Vec<String> = saved
        .iter()
        .map(|(k, c, v)| format!("{} «{c}» (phiên bản {v})", k.label()))
        .collect();
    format!(
        "Đã lưu {}. Báo cáo lập từ bây giờ dùng ngay định nghĩa mới.",
        list.join(", ")
    )
}

/// `POST /bao-cao/chi-so`: a new entry from the form, or one pasted file
/// of entries (`tep`).
pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let file = f.get("tep").map_or("", |s| s.trim());
    let result = if file.is_empty() {
        let kind = match EntryKind::parse(f.get("loai").map_or("", String::as_str)) {
            Ok(k) => k,
            Err(e) => return refused(&app, &ctx, e.into(), f).await,
        };
        let source = custom::source_from_form(kind, &f);
        let draft = Draft {
            kind,
            source: &source,
            read: Some(0),
        };
        custom::save(&ctx.store, &[draft]).await
    } else {
        custom::save_file(&ctx.store, file).await
    };
    match result {
        Ok(saved) => {
            let shown = Shown {
                status: StatusCode::OK,
                notice: Some(saved_notice(&saved)),
                error: None,
                form: HashMap::new(),
            };
            show(&app, &ctx, shown).await
        }
        Err(e) => refused(&app, &ctx, e, f).await,
    }
}

fn kind_of(s: &str) -> Result<EntryKind, StoreError> {
    EntryKind::parse(s).map_err(|_| StoreError::NotFound(format!("loại định nghĩa «{s}»")))
}

async fn entry_page(
    app: &AppState,
    ctx: &Ctx,
    kind: EntryKind,
    code: &str,
    status: StatusCode,
    error: Option<String>,
    draft: Option<String>,
) -> Response {
    let versions = match catalogue_entries::versions(&ctx.store, kind, code).await {
        Ok(v) if !v.is_empty() => v,
        Ok(_) => {
            let e = StoreError::NotFound(format!("{} «{code}»", kind.label()));
            return error_page(app, Some(ctx), &e);
        }
        Err(e) => return error_page(app, Some(ctx), &e),
    };
    let newest = &versions[0];
    let list: Vec<_> = versions
        .iter()
        .map(|e| {
            context! {
                version => e.version,
                saved => e.saved_at.format("%d/%m/%Y %H:%M").to_string(),
                actor => e.actor.clone(),
                retired => e.retired,
                source => e.source.clone(),
            }
        })
        .collect();
    render_as(
        status,
        app,
        ctx,
        "catalogue_entry.html",
        context! {
            kind => kind.code(),
            kind_label => kind.label(),
            code => code,
            version => newest.version,
            retired => newest.retired,
            source => draft.unwrap_or_else(|| newest.source.clone()),
            versions => list,
            error => error,
        },
    )
}

/// `GET /bao-cao/chi-so/{kind}/{code}`: its versions, and a form to edit it.
pub async fn entry(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((kind, code)): Path<(String, String)>,
) -> Response {
    match kind_of(&kind) {
        Ok(k) => entry_page(&app, &ctx, k, &code, StatusCode::OK, None, None).await,
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}

/// A stale edit is a conflict; anything else wrong with it, unprocessable.
fn refusal_status(e: &StoreError) -> StatusCode {
    if matches!(e, StoreError::Stale(_)) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn read_version(f: &HashMap<String, String>) -> i64 {
    f.get("phien_ban")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(-1)
}

/// `POST /bao-cao/chi-so/{kind}/{code}`: a new version of its TOML.
pub async fn edit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((kind, code)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(e) => return error_page(&app, Some(&ctx), &e),
    };
    let source = f
        .get("nguon")
        .map_or(String::new(), |s| s.replace("\r\n", "\n"));
    let draft = Draft {
        kind,
        source: &source,
        read: Some(read_version(&f)),
    };
    let result = match custom::save(&ctx.store, &[draft]).await {
        Ok(saved) if saved.iter().any(|(_, c, _)| *c != code) => {
            Err(StoreError::Invalid(danvan_core::DomainError::new(
                "catalogue_entry.code",
                format!(
                    "mã trong định nghĩa phải giữ là «{code}»; muốn mã khác hãy tạo định nghĩa mới"
                ),
            )))
        }
        other => other,
    };
    match result {
        Ok(_) => Redirect::to(&format!("{PAGE}/{}/{code}", kind.code())).into_response(),
        Err(e @ (StoreError::Invalid(_) | StoreError::Stale(_))) => {
            let status = refusal_status(&e);
            entry_page(
                &app,
                &ctx,
                kind,
                &code,
                status,
                Some(e.to_string()),
                Some(source),
            )
            .await
        }
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}

/// `POST /bao-cao/chi-so/{kind}/{code}/bo`: out of force from now on.
pub async fn retire(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((kind, code)): Path<(String, String)>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(e) => return error_page(&app, Some(&ctx), &e),
    };
    match custom::retire(&ctx.store, kind, &code, read_version(&f)).await {
        Ok(_) => Redirect::to(PAGE).into_response(),
        Err(e @ (StoreError::Invalid(_) | StoreError::Stale(_))) => {
            let status = refusal_status(&e);
            entry_page(&app, &ctx, kind, &code, status, Some(e.to_string()), None).await
        }
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}
