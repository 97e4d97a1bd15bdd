//! The portal's part of a petition's page: the answer to the citizen
//! (public or not), their further messages and files, and the file
//! download. What a reader may see is decided by the store.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::portal::FileType;
use danvan_store::portal::{self, Answer};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::auth::Ctx;
use crate::forms;
use crate::state::AppState;

/// What the petition page shows of the portal: the answer form and, for a
/// handler, the citizen's messages and files.
pub async fn panel(ctx: &Ctx, id: i64, error: &Option<String>) -> Value {
    let Ok(v) = portal::official_view(&ctx.store, id, ctx.viewer()).await else {
        return Value::from(());
    };
    let d = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    let files: Option<Vec<Value>> = v.files.map(|fs| {
        fs.iter()
            .enumerate()
            .map(|(i, f)| {
                let kind = FileType::from_mime(&f.content_type)
                    .map_or("tệp", |t| if t == FileType::Pdf { "PDF" } else { "ảnh" });
                context! {
                    href => format!("/don-thu/{id}/tep/{}", f.name),
                    label => format!("Tệp {} ({kind}, {} KB)", i + 1, danvan_core::number::int((f.size + 1023) / 1024)),
                }
            })
            .collect()
    });
    let messages: Option<Vec<Value>> = v.messages.map(|ms| {
        ms.iter()
            .map(|m| context! { body => m.body.clone(), sent => m.sent_at.format("%d/%m/%Y %H:%M").to_string() })
            .collect()
    });
    context! {
        online => v.online,
        codes => v.codes,
        consent_at => v.consent_at.map(|t| t.format("%d/%m/%Y %H:%M").to_string()),
        answer => v.answer.as_ref().map(|a| context! {
            question => a.question.clone(), body => a.body.clone(), public => a.public, answered_on => d(a.answered_on),
        }),
        may_answer => ctx.user.role.may_write("petition"),
        erasures => portal::erasures(&ctx.store, id).await.unwrap_or(0),
        messages => messages,
        files => files,
        error => error,
        today => d(ctx.store.today()),
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    cau_hoi: String,
    #[serde(default)]
    tra_loi: String,
    #[serde(default)]
    cong_khai: Option<String>,
    #[serde(default)]
    ngay: String,
}

/// `POST /don-thu/{id}/tra-loi`: answer the citizen; a public answer is
/// listed on the unit's «Hỏi – đáp».
pub async fn answer(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Response {
    let Some(on) = forms::parse_date(&f.ngay) else {
        let msg = format!(
            "ngày trả lời «{}» không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026",
            f.ngay.trim()
        );
        return super::petitions::show_with(
            &app,
            &ctx,
            id,
            None,
            Some(msg),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let a = Answer {
        question: f.cau_hoi,
        body: f.tra_loi,
        public: f.cong_khai.is_some(),
        answered_on: on,
    };
    match portal::answer(&ctx.store, id, &a).await {
        Ok(()) => Redirect::to(&format!("/don-thu/{id}#tra-loi")).into_response(),
        Err(danvan_store::StoreError::Invalid(d)) => {
            super::petitions::show_with(
                &app,
                &ctx,
                id,
                None,
                Some(d.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// `GET /don-thu/{id}/tep/{name}`: a file the citizen attached, for an
/// official who handles the petition; served as a download under a name
/// of ours, with the type read from its content when it was received.
pub async fn file(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((id, name)): Path<(i64, String)>,
) -> Response {
    match portal::attachment(&ctx.store, id, &name, ctx.viewer()).await {
        Ok(a) => {
            let ext = FileType::from_mime(&a.content_type).map_or("bin", FileType::extension);
            let disposition = format!(
                "attachment; filename=\"don-{id}-{}.{ext}\"",
                &name[..8.min(name.len())]
            );
            let mut resp = a.bytes.into_response();
            let h = resp.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&a.content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            resp
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
