//! Đánh giá, phân loại (pages): the rounds a user sees and the form to
//! open one; a round's ranked table with points per group, the grade,
//! last year beside it and the chart of grades; its XLSX and DOCX annex.
//! One unit's assessment is [`super::scoring_unit`]. The store decides
//! who sees and changes what; the report crate reads figures and writes
//! the files.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use danvan_core::DomainError;
use danvan_core::scoring::{self, points};
use danvan_report::scoring::{self as ranking, Ranked};
use danvan_report::scoring_files;
use danvan_store::StoreError;
use danvan_store::chain::requests::Target;
use danvan_store::scoring::rounds::{self, NewRound};
use danvan_store::units;
use minijinja::context;
use serde::Deserialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

pub const BASE: &str = "/danh-gia";

async fn list_page(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, StoreError> {
    let tree = units::tree(&ctx.store).await?;
    let name = |id: i64| tree.get(id).map(|u| u.full_name()).unwrap_or_default();
    let list: Vec<_> = rounds::list(&ctx.store)
        .await?
        .iter()
        .map(|r| {
            context! {
                id => r.id, year => r.year, title => r.title.clone(), unit => name(r.unit_id),
                sheet => r.sheet.clone(), trial => r.trial, units => r.targets.len(),
                reviewer => rounds::may_review(&ctx.store, r),
            }
        })
        .collect();
    let sheets: Vec<_> = scoring::shipped()
        .iter()
        .map(|s| {
            context! {
                id => s.id.clone(), title => s.title.clone(), source => s.source.clone(),
                from => s.applies_from, draft => s.draft, max => points(s.max),
            }
        })
        .collect();
    let targets: Vec<(&str, &str)> = Target::ALL.iter().map(|t| (t.code(), t.label())).collect();
    let vars = context! {
        rounds => list,
        sheets => sheets,
        targets => targets,
        unit => ctx.user.unit_id,
        unit_name => ctx.user.unit_id.map(name),
        year => ctx.store.today().year() - 1,
        error => error,
    };
    Ok(super::render_as(
        status,
        app,
        ctx,
        "scoring_rounds.html",
        vars,
    ))
}

/// `GET /danh-gia`: the rounds the user sees, and the form to open one.
pub async fn list(State(app): State<AppState>, ctx: Ctx) -> Response {
    match list_page(&app, &ctx, StatusCode::OK, None).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

#[derive(Debug, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    don_vi: String,
    #[serde(default)]
    nam: String,
    #[serde(default)]
    bang: String,
    #[serde(default)]
    cham_thu: Option<String>,
    #[serde(default)]
    ten: String,
    #[serde(default)]
    doi_tuong: String,
    #[serde(default)]
    chon: String,
}

fn new_round(f: &RoundForm) -> Result<NewRound, DomainError> {
    let unit_id = f.don_vi.trim().parse().map_err(|_| {
        DomainError::new(
            "scoring.unit",
            format!("mã đơn vị «{}» không hợp lệ", f.don_vi),
        )
        .at_field("don_vi")
    })?;
    let year = f.nam.trim().parse().map_err(|_| {
        DomainError::new("scoring.year", format!("năm «{}» không phải là số", f.nam))
            .at_field("nam")
    })?;
    let chosen = f
        .chon
        .split([',', ' ', ';'])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<i64>().map_err(|_| {
                DomainError::new("scoring.unit", format!("mã đơn vị «{s}» không phải là số"))
                    .at_field("chon")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewRound {
        unit_id,
        year,
        sheet: f.bang.trim().to_string(),
        trial: f.cham_thu.is_some(),
        title: f.ten.clone(),
        target: Target::parse(&f.doi_tuong)?,
        chosen,
    })
}

/// `POST /danh-gia`: open a round.
pub async fn create(State(app): State<AppState>, ctx: Ctx, Form(f): Form<RoundForm>) -> Response {
    let made = match new_round(&f) {
        Ok(r) => rounds::open(&ctx.store, &r).await,
        Err(e) => Err(e.into()),
    };
    match made {
        Ok(id) => Redirect::to(&format!("{BASE}/{id}")).into_response(),
        Err(e @ (StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Forbidden(_))) => {
            let status = match &e {
                StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            match list_page(&app, &ctx, status, Some(e.to_string())).await {
                Ok(r) => r,
                Err(e) => super::error_page(&app, Some(&ctx), &e),
            }
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// The ranked table as the page shows it.
fn table_view(r: &Ranked) -> minijinja::Value {
    let rows: Vec<_> = r
        .rows
        .iter()
        .zip(scoring_files::cells(r))
        .map(|(row, cells)| {
            let change = match (row.total, row.prev_total) {
                (Some(t), Some(p)) if row.approved => {
                    let d = t - p;
                    Some(if d > 0 {
                        format!("+{}", points(d))
                    } else {
                        points(d)
                    })
                }
                _ => None,
            };
            context! {
                unit_id => row.unit_id, assessment => row.assessment, cells => cells,
                approved => row.approved, capped => row.capped.clone(), change => change,
            }
        })
        .collect();
    context! { headings => scoring_files::headings(r), rows => rows }
}

async fn round_page(app: &AppState, ctx: &Ctx, id: i64) -> Result<Response, StoreError> {
    let r = ranking::ranked(&ctx.store, id).await?;
    let reviewer = rounds::may_review(&ctx.store, &r.round);
    let mine: Vec<i64> = r
        .round
        .targets
        .iter()
        .copied()
        .filter(|u| ctx.store.permits(*u))
        .collect();
    let vars = context! {
        round => ser(&r.round),
        title => scoring_files::title(&r),
        opener => r.opener.clone(),
        sheet_title => r.sheet_title.clone(),
        sheet_source => r.sheet_source.clone(),
        table => table_view(&r),
        distribution => r.distribution.clone(),
        chart => minijinja::Value::from_safe_string(scoring_files::distribution_svg(&r)),
        prev_year => r.prev_year,
        reviewer => reviewer,
        mine => mine,
        names => r.rows.iter().map(|x| (x.unit_id, x.unit.clone(), x.assessment)).collect::<Vec<_>>(),
    };
    Ok(super::render_as(
        StatusCode::OK,
        app,
        ctx,
        "scoring_round.html",
        vars,
    ))
}

/// `GET /danh-gia/{id}`: the ranked table, last year beside it, the chart.
pub async fn round(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match round_page(&app, &ctx, id).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

fn file(bytes: Vec<u8>, mime: &'static str, name: String) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// `GET /danh-gia/{id}/xlsx`: the ranked table as a spreadsheet.
pub async fn xlsx(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let done = async {
        let r = ranking::ranked(&ctx.store, id).await?;
        let bytes = scoring_files::xlsx(&r)?;
        Ok::<_, StoreError>(file(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("ket-qua-danh-gia-{}-{}.xlsx", r.round.year, r.round.id),
        ))
    };
    match done.await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// `GET /danh-gia/{id}/docx`: the annex to the decision.
pub async fn docx(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match ranking::ranked(&ctx.store, id).await {
        Ok(r) => file(
            scoring_files::docx(&r),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            format!(
                "phu-luc-ket-qua-danh-gia-{}-{}.docx",
                r.round.year, r.round.id
            ),
        ),
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
