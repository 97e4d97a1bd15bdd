//! The tracking page of a code, and the citizen's further messages on it.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::portal::{MAX_FILE_BYTES, MAX_FILES, normalize_code};
use danvan_store::{StoreError, portal};
use minijinja::context;
use serde::Deserialize;

use super::guard::unix_now;
use super::send::{Refusal, read};
use super::{dmy, error_page, render, store};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Lookup {
    ma: Option<String>,
}

/// `GET /cong-dan/theo-doi?ma=`: the code typed in, to its page.
pub async fn lookup(State(app): State<AppState>, Query(l): Query<Lookup>) -> Response {
    let typed = l.ma.unwrap_or_default();
    if typed.trim().is_empty() {
        return render(
            &app,
            StatusCode::OK,
            "public_lookup.html",
            context! { ma => "" },
        );
    }
    match normalize_code(&typed) {
        Some(code) => Redirect::to(&format!("/cong-dan/theo-doi/{code}")).into_response(),
        None => render(
            &app,
            StatusCode::UNPROCESSABLE_ENTITY,
            "public_lookup.html",
            context! {
                ma => typed,
                error => "Mã theo dõi gồm 12 chữ và số, dạng ABCD-EFGH-JKMN. Hãy kiểm tra lại.",
            },
        ),
    }
}

#[derive(Deserialize)]
pub struct Shown {
    /// Just sent: show the code prominently.
    moi: Option<String>,
    /// Linked to a petition sent before with the same content.
    trung: Option<String>,
    /// A message was just added.
    gui: Option<String>,
}

fn tracking_page(
    app: &AppState,
    status: StatusCode,
    code: &str,
    shown: &Shown,
    error: Option<String>,
    draft: &str,
) -> impl std::future::Future<Output = Response> {
    let app = app.clone();
    let code = code.to_string();
    let (fresh, linked, sent) = (
        shown.moi.is_some(),
        shown.trung.is_some(),
        shown.gui.is_some(),
    );
    let draft = draft.to_string();
    async move {
        let t = match portal::track(&store(&app), &code).await {
            Ok(t) => t,
            Err(e) => return error_page(&app, &e),
        };
        let messages: Vec<_> = t
            .messages
            .iter()
            .map(|m| context! { body => m.body.clone(), sent_on => m.sent_at.format("%d/%m/%Y %H:%M").to_string() })
            .collect();
        render(
            &app,
            status,
            "public_track.html",
            context! {
                code => code,
                fresh => fresh,
                linked => linked || t.linked,
                sent => sent,
                t => context! {
                    unit_id => t.unit_id,
                    unit_name => t.unit_name,
                    kind => t.kind,
                    field => t.field,
                    submitted_on => t.submitted_at.format("%d/%m/%Y").to_string(),
                    status => t.status_words,
                    processing_deadline => t.processing_deadline.map(dmy),
                    deadline => t.deadline.map(dmy),
                    content => t.content,
                    answer => t.answer,
                    answered_on => t.answered_on.map(dmy),
                    files => t.files,
                },
                messages => messages,
                stamp => app.portal.stamp(unix_now()),
                max_files => MAX_FILES,
                max_mb => MAX_FILE_BYTES / (1024 * 1024),
                error => error,
                draft => draft,
            },
        )
    }
}

/// `GET /cong-dan/theo-doi/{code}`: where the petition stands.
pub async fn page(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    tracking_page(&app, StatusCode::OK, &code, &shown, None, "").await
}

/// `POST /cong-dan/theo-doi/{code}`: a further message, with files.
pub async fn message(
    State(app): State<AppState>,
    Path(code): Path<String>,
    m: Multipart,
) -> Response {
    let none = Shown {
        moi: None,
        trung: None,
        gui: None,
    };
    let posted = match read(m).await {
        Ok(p) => p,
        Err(Refusal(status, msg)) => {
            return tracking_page(&app, status, &code, &none, Some(msg), "").await;
        }
    };
    let draft = posted.get("noi_dung").to_string();
    let refuse = |msg: String| {
        tracking_page(
            &app,
            StatusCode::UNPROCESSABLE_ENTITY,
            &code,
            &none,
            Some(msg),
            &draft,
        )
    };
    if !posted.get("trang_web").is_empty() {
        return refuse("Biểu mẫu không hợp lệ.".into()).await;
    }
    if let Err(why) = app.portal.check_stamp(posted.get("_t"), unix_now()) {
        return refuse(why.into()).await;
    }
    match portal::add_message(&store(&app), &code, &draft, &posted.files).await {
        Ok(()) => {
            let code = normalize_code(&code).unwrap_or(code);
            Redirect::to(&format!("/cong-dan/theo-doi/{code}?gui=1")).into_response()
        }
        Err(StoreError::Invalid(d)) => refuse(d.message).await,
        Err(e) => error_page(&app, &e),
    }
}
