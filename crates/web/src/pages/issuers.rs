//! Cơ quan ban hành: the bodies in whose name a unit issues its reports,
//! with their letterhead, symbol, signer and recipients. The defaults come
//! from the unit's kind; a saved body replaces the default of its code, and
//! removing it brings the default back.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::DomainError;
use danvan_core::issuer::{IssuerKind, IssuingBody};
use danvan_store::units::{self, Unit};
use danvan_store::{StoreError, issuers};
use minijinja::context;
use serde::Deserialize;

use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Debug, Deserialize, Default)]
pub struct Which {
    pub don_vi: Option<String>,
}

/// The unit asked for, or the user's own; outside the scope it does not
/// exist.
async fn unit_of(ctx: &Ctx, id: Option<&str>) -> Result<Unit, StoreError> {
    let id = match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<i64>().map_err(|_| {
            StoreError::from(DomainError::new(
                "issuer.unit",
                format!("mã đơn vị «{s}» không hợp lệ"),
            ))
        })?,
        None => ctx.store.scope().map(|s| s.root).ok_or_else(|| {
            StoreError::from(DomainError::new(
                "issuer.unit",
                "hãy chọn đơn vị (tham số don_vi)",
            ))
        })?,
    };
    let missing = || StoreError::NotFound(format!("đơn vị mã số {id}"));
    if !ctx.store.permits(id) || id == units::COUNTRY_ID {
        return Err(missing());
    }
    units::by_id(&ctx.store, id).await?.ok_or_else(missing)
}

#[derive(serde::Serialize)]
struct BodyView {
    body: IssuingBody,
    recipients: String,
    kind_label: &'static str,
    saved: bool,
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    unit: &Unit,
    message: (Option<String>, Option<&str>),
) -> Response {
    let all = match danvan_report::issuer::of_unit(&ctx.store, unit).await {
        Ok(a) => a,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let saved = issuers::of_unit(&ctx.store, unit).await.unwrap_or_default();
    let views: Vec<BodyView> = all
        .into_iter()
        .map(|b| BodyView {
            recipients: b.recipients.join("\n"),
            kind_label: b.kind.label(),
            saved: saved.iter().any(|s| s.code == b.code),
            body: b,
        })
        .collect();
    let vars = context! {
        unit_id => unit.id,
        unit_name => unit.full_name(),
        bodies => super::ser(&views),
        kinds => IssuerKind::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>(),
        error => message.0,
        notice => message.1,
    };
    super::render_as(status, app, ctx, "issuers.html", vars)
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(w): Query<Which>) -> Response {
    match unit_of(&ctx, w.don_vi.as_deref()).await {
        Ok(u) => show(&app, &ctx, StatusCode::OK, &u, (None, None)).await,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// The body as the form sent it; a kind that is not one of ours is named.
fn body_from(v: &HashMap<String, String>) -> Result<IssuingBody, DomainError> {
    let get = |k: &str| v.get(k).map_or("", |s| s.as_str()).to_string();
    let kind = IssuerKind::parse(get("loai").trim()).ok_or_else(|| {
        DomainError::new(
            "issuer.kind",
            format!("loại cơ quan «{}» không có", get("loai")),
        )
        .at_field("loai")
    })?;
    Ok(IssuingBody {
        code: get("ma").trim().to_string(),
        kind,
        name: get("ten"),
        superior: get("cap_tren"),
        heading: get("tieu_de"),
        symbol: get("ky_hieu"),
        on_behalf: get("tham_quyen"),
        signer_title: get("chuc_danh"),
        signer_name: get("nguoi_ky"),
        recipients: get("noi_nhan").lines().map(str::to_string).collect(),
    })
}

pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let unit = match unit_of(&ctx, values.get("don_vi").map(String::as_str)).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let result = match body_from(&values) {
        Ok(b) => issuers::save(&ctx.store, &unit, &b).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => {
            let done = Some("Đã lưu cơ quan ban hành.");
            show(&app, &ctx, StatusCode::OK, &unit, (None, done)).await
        }
        Err(StoreError::Invalid(d)) => {
            show(&app, &ctx, refused, &unit, (Some(d.message), None)).await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

pub async fn delete(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let unit = match unit_of(&ctx, values.get("don_vi").map(String::as_str)).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let code = values.get("ma").map_or("", |s| s.trim());
    match issuers::delete(&ctx.store, &unit, code).await {
        Ok(()) => {
            let done = Some("Đã xóa; cơ quan mặc định (nếu có) được dùng lại.");
            show(&app, &ctx, StatusCode::OK, &unit, (None, done)).await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
