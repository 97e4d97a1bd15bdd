//! Gửi báo cáo (the reporting chain, in pages): the requests a unit has
//! received and made; one request with the table of who has reported and
//! the accepted reports re-added against live figures; one unit's report,
//! its versions, its frozen documents and the review steps. The same store
//! functions as `/api/requests` and `/api/submissions`.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_core::period_choice::KINDS;
use danvan_report::Catalogue;
use danvan_store::chain::completeness;
use danvan_store::chain::locks;
use danvan_store::chain::requests::{self, NewRequest, Target};
use danvan_store::chain::submissions::{self, Document, Status};
use danvan_store::{StoreError, units};
use minijinja::context;
use serde::Deserialize;

use super::period_picker::{self, Picker};
use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

pub const BASE: &str = "/bao-cao/yeu-cau";

/// Which unit the list is of: the one named, else the user's own.
#[derive(Debug, Deserialize, Default)]
pub struct Which {
    pub don_vi: Option<i64>,
}

fn unit_of(ctx: &Ctx, asked: Option<i64>) -> Option<i64> {
    asked.or(ctx.user.unit_id)
}

/// A request as the lists show it.
fn request_view(
    r: &requests::Request,
    today: chrono::NaiveDate,
    names: &HashMap<i64, String>,
) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "unit": names.get(&r.unit_id).cloned().unwrap_or_default(),
        "title": r.title,
        "document": r.document,
        "period": r.period.to_string(),
        "due": r.due_label(),
        "days_left": r.days_left(today),
        "targets": r.targets.len(),
        "template": r.template,
    })
}

async fn names(ctx: &Ctx) -> Result<HashMap<i64, String>, StoreError> {
    let tree = units::tree(&ctx.store).await?;
    Ok(tree.all().iter().map(|u| (u.id, u.full_name())).collect())
}

async fn list_page(
    app: &AppState,
    ctx: &Ctx,
    unit: Option<i64>,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, StoreError> {
    let today = ctx.store.today();
    let names = names(ctx).await?;
    let (incoming, outgoing) = match unit {
        Some(u) => {
            let mut incoming = Vec::new();
            for r in requests::addressed_to(&ctx.store, u).await? {
                let mut v = request_view(&r, today, &names);
                let mine = submissions::versions(&ctx.store, r.id, u).await?;
                let last = mine.last();
                v["status"] =
                    serde_json::json!(last.map_or("chưa thực hiện", |s| s.status.label()));
                v["submission"] = serde_json::json!(last.map(|s| s.id));
                incoming.push(v);
            }
            let mut outgoing = Vec::new();
            for r in requests::made_by(&ctx.store, u).await? {
                let c = completeness::of(&ctx.store, r.id).await?;
                let mut v = request_view(&r, today, &names);
                v["summary"] = serde_json::json!(c.summary());
                outgoing.push(v);
            }
            (incoming, outgoing)
        }
        None => (Vec::new(), Vec::new()),
    };
    let templates: Vec<(&str, &str)> = danvan_report::prose::BUILTIN
        .iter()
        .map(|(n, d, _)| (*n, *d))
        .collect();
    let targets: Vec<(&str, &str)> = Target::ALL.iter().map(|t| (t.code(), t.label())).collect();
    let vars = context! {
        unit => unit,
        unit_name => unit.and_then(|u| names.get(&u).cloned()),
        incoming => ser(&incoming),
        outgoing => ser(&outgoing),
        templates => templates,
        targets => targets,
        kinds => KINDS.to_vec(),
        months => (1..=12).collect::<Vec<u32>>(),
        picker => ser(&period_picker::shown(None, today)),
        choice => context! { ky => "" },
        due => (today + chrono::Days::new(14)).format("%Y-%m-%d").to_string(),
        error => error,
    };
    Ok(super::render_as(
        status,
        app,
        ctx,
        "chain_requests.html",
        vars,
    ))
}

/// `GET /bao-cao/yeu-cau`: requests received and made by the unit.
pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(w): Query<Which>) -> Response {
    let unit = unit_of(&ctx, w.don_vi);
    match list_page(&app, &ctx, unit, StatusCode::OK, None).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// The request form as sent.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    /// Text, as every field of a form with a flattened part must be.
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    mau: String,
    #[serde(default)]
    ky: Option<String>,
    #[serde(default)]
    cat: Option<String>,
    #[serde(default)]
    han: String,
    #[serde(default)]
    van_ban: String,
    #[serde(default)]
    tieu_de: String,
    #[serde(default)]
    doi_tuong: String,
    #[serde(default)]
    chon: String,
    #[serde(flatten)]
    picker: Picker,
}

fn new_request(f: &RequestForm) -> Result<NewRequest, DomainError> {
    let code = f
        .picker
        .code()?
        .or_else(|| f.ky.clone().filter(|k| !k.trim().is_empty()))
        .ok_or_else(|| DomainError::new("period.missing", "chọn kỳ báo cáo").at_field("ky"))?;
    let period = Period::parse(&code, f.cat.is_some())?;
    let due_on = crate::forms::parse_date(&f.han).ok_or_else(|| {
        DomainError::new(
            "request.due",
            format!("hạn gửi «{}» không phải là ngày", f.han),
        )
        .at_field("han")
    })?;
    let chosen = f
        .chon
        .split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<i64>().map_err(|_| {
                DomainError::new("request.unit", format!("mã đơn vị «{s}» không phải là số"))
                    .at_field("chon")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let unit_id = f.don_vi.trim().parse().map_err(|_| {
        DomainError::new(
            "request.unit",
            format!("mã đơn vị «{}» không hợp lệ", f.don_vi),
        )
        .at_field("don_vi")
    })?;
    Ok(NewRequest {
        unit_id,
        template: f.mau.clone(),
        period,
        due_on,
        document: f.van_ban.clone(),
        title: f.tieu_de.clone(),
        target: Target::parse(&f.doi_tuong)?,
        chosen,
    })
}

/// `POST /bao-cao/yeu-cau`: make a request.
pub async fn create(State(app): State<AppState>, ctx: Ctx, Form(f): Form<RequestForm>) -> Response {
    let made = match new_request(&f) {
        Ok(r) => crate::api_chain::make_request(&ctx.store, r).await,
        Err(e) => Err(e.into()),
    };
    match made {
        Ok(id) => Redirect::to(&format!("{BASE}/{id}")).into_response(),
        Err(e @ (StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Forbidden(_))) => {
            let status = match &e {
                StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let unit = f.don_vi.trim().parse().ok();
            match list_page(&app, &ctx, unit, status, Some(e.to_string())).await {
                Ok(r) => r,
                Err(e) => super::error_page(&app, Some(&ctx), &e),
            }
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct RequestQuery {
    pub dinh_dang: Option<String>,
}

/// `GET /bao-cao/yeu-cau/{id}`: who has reported; `?dinh_dang=xlsx` as a
/// spreadsheet.
pub async fn request_page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<RequestQuery>,
) -> Response {
    match request_view_page(&app, &ctx, id, q.dinh_dang.as_deref()).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

async fn request_view_page(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    format: Option<&str>,
) -> Result<Response, StoreError> {
    let c = completeness::of(&ctx.store, id).await?;
    let names = names(ctx).await?;
    let asking = names.get(&c.request.unit_id).cloned().unwrap_or_default();
    if format == Some("xlsx") {
        return completeness_xlsx(&c, &asking);
    }
    let reviewer = requests::may_review(&ctx.store, &c.request);
    // The accepted reports of the units below, re-added against live
    // figures: for the asking unit, when it asked the units directly below.
    let consolidated = if reviewer {
        let unit = units::by_id(&ctx.store, c.request.unit_id).await?;
        match unit {
            Some(u) => {
                let (rows, total) = danvan_report::chain::consolidation(
                    &ctx.store,
                    Catalogue::shipped(),
                    &u,
                    &c.request.period,
                )
                .await?;
                Some(context! { rows => ser(&rows), total => ser(&total) })
            }
            None => None,
        }
    } else {
        None
    };
    let today = ctx.store.today();
    let vars = context! {
        r => ser(&request_view(&c.request, today, &names)),
        asking => asking,
        c => ser(&c),
        summary => c.summary(),
        reviewer => reviewer,
        mine => c.rows.iter().filter(|r| ctx.store.permits(r.unit_id)).map(|r| r.unit_id).collect::<Vec<_>>(),
        consolidated => consolidated,
    };
    Ok(super::render_as(
        StatusCode::OK,
        app,
        ctx,
        "chain_request.html",
        vars,
    ))
}

/// The completeness table as the page shows it, with its ratio below.
fn completeness_xlsx(c: &completeness::Completeness, asking: &str) -> Result<Response, StoreError> {
    let title = format!("Tình hình gửi báo cáo: {} ({asking})", c.request.title);
    let mut rows: Vec<Vec<String>> = c
        .rows
        .iter()
        .map(|r| {
            vec![
                r.unit.clone(),
                r.label.to_string(),
                r.version.map_or(String::new(), |v| v.to_string()),
                r.first_sent
                    .map_or(String::new(), |t| t.format("%d/%m/%Y %H:%M").to_string()),
                match r.on_time {
                    Some(true) => "đúng hạn".into(),
                    Some(false) => "muộn".into(),
                    None => String::new(),
                },
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    rows.push(vec![c.summary()]);
    let bytes = danvan_report::xlsx::list(
        &title,
        &[
            "Đơn vị",
            "Tình trạng",
            "Lần gửi",
            "Gửi lần đầu",
            "Thời hạn",
            "Lý do trả lại",
        ],
        &rows,
    )?;
    let mut r = (StatusCode::OK, bytes).into_response();
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!(
        "attachment; filename=\"tinh-hinh-gui-bao-cao-{}.xlsx\"",
        c.request.id
    )) {
        r.headers_mut()
            .insert(axum::http::header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct PrepareForm {
    don_vi: i64,
}

/// `POST /bao-cao/yeu-cau/{id}/soan`: start (or reopen) the unit's report.
pub async fn prepare(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PrepareForm>,
) -> Response {
    match submissions::prepare(&ctx.store, id, f.don_vi).await {
        Ok(s) => Redirect::to(&format!("/bao-cao/gui/{}", s.id)).into_response(),
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

async fn submission_page(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, StoreError> {
    let read = crate::api_chain::read(&ctx.store, id).await?;
    let s = submissions::get(&ctx.store, id).await?;
    let req = requests::get(&ctx.store, s.request_id).await?;
    let versions = submissions::versions(&ctx.store, s.request_id, s.unit_id).await?;
    let names = names(ctx).await?;
    let reviewer = requests::may_review(&ctx.store, &req)
        && ctx.store.scope().is_none_or(|sc| sc.root != s.unit_id);
    let superior = reviewer && ctx.store.scope().is_none_or(|sc| sc.root != req.unit_id);
    let own = ctx.store.permits(s.unit_id);
    // The bodies the unit's report may be issued by, for the send form.
    let bodies: Vec<(String, String)> = match units::by_id(&ctx.store, s.unit_id).await? {
        Some(u) if s.status == Status::Draft => danvan_report::issuer::of_unit(&ctx.store, &u)
            .await?
            .into_iter()
            .map(|b| (b.code, b.name))
            .collect(),
        _ => Vec::new(),
    };
    // What the report will say, for a draft: built now from live facts.
    let preview = if s.status == Status::Draft {
        let unit = units::by_id(&ctx.store, s.unit_id).await?;
        match unit {
            Some(u) => {
                let sections =
                    danvan_store::drafts::get(&ctx.store, &u, &req.period, &req.template)
                        .await?
                        .map(|d| d.sections)
                        .unwrap_or_default();
                let report = danvan_report::build(
                    &ctx.store,
                    Catalogue::shipped(),
                    danvan_report::Request::new(&u, req.period)
                        .template(Some(&req.template))
                        .sections(sections)
                        .compare(true),
                )
                .await?;
                Some(report.to_txt())
            }
            None => None,
        }
    } else {
        None
    };
    let builder = format!(
        "/bao-cao?don_vi={}&ky={}&mau={}{}",
        s.unit_id,
        req.period.code(),
        req.template,
        if req.period.cutoff { "&cat=1" } else { "" }
    );
    let vars = context! {
        s => ser(&read),
        status_label => s.status.label(),
        unit => names.get(&s.unit_id).cloned().unwrap_or_default(),
        r => ser(&request_view(&req, ctx.store.today(), &names)),
        versions => versions.iter().map(|v| context! {
            id => v.id, version => v.version, status => v.status.label(),
            submitted_at => v.submitted_at.map(|t| t.format("%d/%m/%Y %H:%M").to_string()),
            reason => v.reason.clone(), number => v.number.clone(),
        }).collect::<Vec<_>>(),
        own => own,
        reviewer => reviewer,
        superior => superior,
        may_correct => locks::may_correct_late(&ctx.store, req.unit_id),
        draft => s.status == Status::Draft,
        submitted => s.status == Status::Submitted,
        accepted => s.status == Status::Accepted,
        returned => s.status == Status::Returned,
        preview => preview,
        builder => builder,
        today => ctx.store.today().format("%Y-%m-%d").to_string(),
        bodies => bodies,
        error => error,
    };
    Ok(super::render_as(
        status,
        app,
        ctx,
        "chain_submission.html",
        vars,
    ))
}

/// `GET /bao-cao/gui/{id}`: one version of a unit's report.
pub async fn submission(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match submission_page(&app, &ctx, id, StatusCode::OK, None).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// A review step's outcome: back to the page, or the page with the
/// refusal when the input was wrong.
async fn after(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Result<submissions::Submission, StoreError>,
) -> Response {
    match done {
        Ok(s) => Redirect::to(&format!("/bao-cao/gui/{}", s.id)).into_response(),
        Err(e @ StoreError::Invalid(_)) => {
            match submission_page(
                app,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(e.to_string()),
            )
            .await
            {
                Ok(r) => r,
                Err(e) => super::error_page(app, Some(ctx), &e),
            }
        }
        Err(e) => super::error_page(app, Some(ctx), &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    so: String,
    #[serde(default)]
    ngay: String,
    /// The issuing body's code; empty: the template's default.
    #[serde(default)]
    co_quan: String,
}

/// `POST /bao-cao/gui/{id}/gui`: freeze and send.
pub async fn submit(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<SubmitForm>,
) -> Response {
    let date = match f.ngay.trim() {
        "" => Ok(None),
        d => crate::forms::parse_date(d).map(Some).ok_or_else(|| {
            StoreError::from(
                DomainError::new(
                    "submission.date",
                    format!("ngày báo cáo «{d}» không hợp lệ"),
                )
                .at_field("ngay"),
            )
        }),
    };
    let done = match date {
        Ok(date) => {
            let issuer = Some(f.co_quan.as_str()).filter(|c| !c.trim().is_empty());
            danvan_report::chain::submit(&ctx.store, Catalogue::shipped(), id, &f.so, date, issuer)
                .await
        }
        Err(e) => Err(e),
    };
    after(&app, &ctx, id, done).await
}

#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    y_kien: String,
}

/// `POST /bao-cao/gui/{id}/duyet`, with the reviewer's comment if any.
pub async fn accept(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AcceptForm>,
) -> Response {
    let comment = Some(f.y_kien.trim()).filter(|c| !c.is_empty());
    let done = submissions::accept(&ctx.store, id, comment).await;
    after(&app, &ctx, id, done).await
}

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    ly_do: String,
}

/// `POST /bao-cao/gui/{id}/tra-lai`.
pub async fn return_it(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let done = submissions::return_for_correction(&ctx.store, id, &f.ly_do).await;
    after(&app, &ctx, id, done).await
}

/// `POST /bao-cao/gui/{id}/huy-duyet`.
pub async fn unaccept(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let done = submissions::unaccept(&ctx.store, id, &f.ly_do).await;
    after(&app, &ctx, id, done).await
}

/// `GET /bao-cao/gui/{id}/docx`.
pub async fn docx(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match crate::api_chain::download(&ctx.store, id, Document::Docx).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// `GET /bao-cao/gui/{id}/pdf`.
pub async fn pdf(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match crate::api_chain::download(&ctx.store, id, Document::Pdf).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
