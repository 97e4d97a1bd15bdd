//! Dữ liệu cá nhân của người gửi đơn (Nghị định 13/2023/NĐ-CP): what danvan
//! holds about a petition's sender, shown and downloadable for the citizen
//! who asks the unit for a copy, and erased on their request. Who may see
//! or erase is decided by the store (a handler; for a tố cáo, an assigned
//! one).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::StoreError;
use danvan_store::portal::{self, PersonalData};
use minijinja::context;
use serde::Deserialize;

use super::{error_page, render_as, ser};
use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    da_xoa: Option<String>,
}

/// `GET /don-thu/{id}/du-lieu-ca-nhan`.
pub async fn page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<Shown>,
) -> Response {
    let notice = q
        .da_xoa
        .is_some()
        .then_some("Đã xoá dữ liệu cá nhân của người gửi; việc xoá được ghi vào nhật ký.");
    show(&app, &ctx, id, notice, None, StatusCode::OK).await
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    notice: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let data = match portal::personal_data(&ctx.store, id, ctx.viewer()).await {
        Ok(d) => d,
        Err(e) => return error_page(app, Some(ctx), &e),
    };
    let t = |t: chrono::NaiveDateTime| t.format("%d/%m/%Y %H:%M").to_string();
    let consents: Vec<_> = data
        .consents
        .iter()
        .map(|c| context! { at => t(c.consent_at), text => c.consent_text.clone(), linked => c.linked })
        .collect();
    let messages: Vec<_> = data
        .messages
        .iter()
        .map(|m| context! { sent => t(m.sent_at), body => m.body.clone() })
        .collect();
    let files: Vec<_> = data
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            context! {
                href => format!("/don-thu/{id}/tep/{}", f.name),
                label => format!("Tệp {} ({}, {} KB, nhận lúc {})", i + 1, f.content_type,
                    danvan_core::number::int((f.size + 1023) / 1024), t(f.created_at)),
            }
        })
        .collect();
    let erasures: Vec<_> = data
        .erasures
        .iter()
        .map(|e| context! { at => t(e.erased_at), basis => e.basis.clone(), files => e.files })
        .collect();
    let s = &data.sender;
    let has_sender = [&s.name, &s.address, &s.phone]
        .iter()
        .any(|f| !f.trim().is_empty());
    render_as(
        status,
        app,
        ctx,
        "personal_data.html",
        context! {
            id => id,
            data => ser(&data),
            received_on => data.received_on.format("%d/%m/%Y").to_string(),
            consents => consents,
            messages => messages,
            files => files,
            erasures => erasures,
            has_sender => has_sender,
            notice => notice,
            error => error,
        },
    )
}

/// `GET /don-thu/{id}/du-lieu-ca-nhan/tai-ve`: the same data as a JSON
/// file, a structured copy to hand the citizen (art. 14).
pub async fn download(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match portal::personal_data(&ctx.store, id, ctx.viewer()).await {
        Ok(d) => json_file(id, &d),
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}

fn json_file(id: i64, d: &PersonalData) -> Response {
    let body = serde_json::to_string_pretty(d).unwrap_or_default();
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"du-lieu-ca-nhan-don-{id}.json\""
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    can_cu: String,
    #[serde(default)]
    xoa_tep: Option<String>,
    #[serde(default)]
    xac_minh: Option<String>,
}

/// `POST /don-thu/{id}/du-lieu-ca-nhan/xoa`: erase on the sender's request.
pub async fn erase(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<EraseForm>,
) -> Response {
    if f.xac_minh.is_none() {
        let msg = "hãy xác nhận đã kiểm tra giấy tờ của người yêu cầu: chỉ người gửi đơn mới \
                   được yêu cầu xoá dữ liệu của mình"
            .to_string();
        return show(
            &app,
            &ctx,
            id,
            None,
            Some(msg),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match portal::erase(&ctx.store, id, ctx.viewer(), &f.can_cu, f.xoa_tep.is_some()).await {
        Ok(_) => Redirect::to(&format!("/don-thu/{id}/du-lieu-ca-nhan?da_xoa=1")).into_response(),
        Err(StoreError::Invalid(d)) => {
            show(
                &app,
                &ctx,
                id,
                None,
                Some(d.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => error_page(&app, Some(&ctx), &e),
    }
}
