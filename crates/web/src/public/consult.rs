//! Lấy ý kiến Nhân dân on the portal: a unit's consultations, one draft
//! with its documents and questions, the answer form while it is open, the
//! answers counted so far (online and paper together) and the synthesis
//! once published. An answer keeps no name.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::consultation::{MORE_QUESTIONS_MAX, Stance};
use danvan_store::consultations;
use danvan_store::{StoreError, units};
use minijinja::context;

use super::guard::unix_now;
use super::{dmy, error_page, render, store};
use crate::state::AppState;

const HONEYPOT: &str = "trang_web";

/// `GET /cong-dan/don-vi/{id}/lay-y-kien`: the unit's consultations.
pub async fn list(State(app): State<AppState>, Path(unit): Path<i64>) -> Response {
    let s = store(&app);
    let today = s.now().date();
    let tree = match units::tree(&s).await {
        Ok(t) => t,
        Err(e) => return error_page(&app, &e),
    };
    let Some(u) = tree.get(unit) else {
        return error_page(&app, &StoreError::NotFound(format!("đơn vị mã số {unit}")));
    };
    let items = match consultations::of_unit(&s, unit).await {
        Ok(v) => v,
        Err(e) => return error_page(&app, &e),
    };
    let items: Vec<_> = items
        .into_iter()
        .map(|(id, c)| {
            context! {
                id => id,
                title => c.title.clone(),
                subject => c.subject.label(),
                opens_on => dmy(c.opens_on),
                closes_on => dmy(c.closes_on),
                open => c.open_on(today),
            }
        })
        .collect();
    render(
        &app,
        StatusCode::OK,
        "public_consultations.html",
        context! { unit_name => u.full_name(), items => items },
    )
}

#[derive(serde::Deserialize)]
pub struct Shown {
    gui: Option<String>,
}

async fn page(
    app: &AppState,
    id: i64,
    status: StatusCode,
    sent: bool,
    error: Option<String>,
) -> Response {
    let s = store(app);
    let p = match consultations::public(&s, id, s.now().date()).await {
        Ok(p) => p,
        Err(e) => return error_page(app, &e),
    };
    let stances: Vec<_> = Stance::ALL
        .iter()
        .enumerate()
        .map(|(i, st)| context! { code => st.code(), label => st.label(), total => p.tally.total[i] })
        .collect();
    let more = crate::kinds::consultations::further_questions(&p.tally);
    let documents: Vec<String> = p
        .consultation
        .documents
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    render(
        app,
        status,
        "public_consultation.html",
        context! {
            id => id,
            c => crate::pages::ser(&p.consultation),
            subject => p.consultation.subject.label(),
            unit_name => p.unit_name.clone(),
            opens_on => dmy(p.consultation.opens_on),
            closes_on => dmy(p.consultation.closes_on),
            documents => documents,
            open => p.open,
            tally => crate::pages::ser(&p.tally),
            stances => stances,
            more => more,
            synthesis => p.synthesis.clone(),
            synthesis_on => p.synthesis_on.map(dmy),
            stamp => app.portal.stamp(unix_now()),
            sent => sent,
            error => error,
        },
    )
}

/// `GET /cong-dan/lay-y-kien/{id}`.
pub async fn show(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<Shown>,
) -> Response {
    page(&app, id, StatusCode::OK, q.gui.is_some(), None).await
}

/// `POST /cong-dan/lay-y-kien/{id}`: a citizen's answer.
pub async fn answer(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Form(v): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let refuse = |msg: String| page(&app, id, StatusCode::UNPROCESSABLE_ENTITY, false, Some(msg));
    if !get(HONEYPOT).is_empty() {
        return refuse("Biểu mẫu không hợp lệ.".into()).await;
    }
    if let Err(why) = app.portal.check_stamp(get("_t"), unix_now()) {
        return refuse(why.into()).await;
    }
    let Ok(stance) = Stance::parse(get("y_kien_chon")) else {
        return refuse("hãy chọn đồng ý, không đồng ý hoặc ý kiến khác".into()).await;
    };
    // The further questions' choices, `cau_2`, `cau_3`…, in order, up to
    // the first one missing (the store names the question left out).
    let more: Vec<Stance> = (2..)
        .take(MORE_QUESTIONS_MAX + 1)
        .map_while(|k| Stance::parse(get(&format!("cau_{k}"))).ok())
        .collect();
    match consultations::answer_online(&store(&app), id, stance, &more, get("y_kien")).await {
        Ok(()) => Redirect::to(&format!("/cong-dan/lay-y-kien/{id}?gui=1")).into_response(),
        Err(StoreError::Invalid(d)) => refuse(d.message).await,
        Err(e) => error_page(&app, &e),
    }
}
