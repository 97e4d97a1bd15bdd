//! One unit's assessment in a round (pages): the self-assessment form —
//! automatic items locked, with the figures and the rule that gave their
//! points; manual items with their evidence — and, for the reviewer, the
//! adjustment of an item with its reason, approval, and re-scoring as a
//! new version.

use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::DomainError;
use danvan_core::scoring::eval::Answer;
use danvan_core::scoring::{ItemKind, Sheet, points};
use danvan_store::StoreError;
use danvan_store::scoring::assessments::{self, Assessment, Status};
use danvan_store::scoring::rounds;
use danvan_store::units;
use minijinja::context;
use serde::Deserialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

const BASE: &str = "/danh-gia/bai";

#[derive(Debug, Deserialize)]
pub struct StartForm {
    don_vi: i64,
}

/// `POST /danh-gia/{id}/tu-danh-gia`: start (or open) a unit's assessment.
pub async fn start(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<StartForm>,
) -> Response {
    match danvan_report::scoring::start(&ctx.store, id, f.don_vi).await {
        Ok(a) => Redirect::to(&format!("{BASE}/{}", a.id)).into_response(),
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// Points as typed: "8", "8,5" or "8.5", at most two decimals.
pub fn parse_points(s: &str, field: &str) -> Result<i64, DomainError> {
    let t = s.trim().replace(',', ".");
    let bad = || {
        DomainError::new(
            "scoring.points",
            format!("«{}» không phải số điểm (ví dụ 8 hoặc 8,5)", s.trim()),
        )
        .at_field(field.to_string())
    };
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || whole.len() > 6
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    Ok(w * 100 + f)
}

/// The manual answers of the form: `co_` (yes/no), `diem_` (points),
/// `so_ca_` (cases), `minh_chung_`, `van_ban_` per item code.
fn answers_of(
    sheet: &Sheet,
    f: &HashMap<String, String>,
) -> Result<BTreeMap<String, Answer>, DomainError> {
    let mut out = BTreeMap::new();
    for (_, item) in sheet.items() {
        let get = |p: &str| {
            f.get(&format!("{p}{}", item.code))
                .map(|s| s.trim().to_string())
        };
        let mut a = Answer {
            evidence: get("minh_chung_").unwrap_or_default(),
            document: get("van_ban_").unwrap_or_default(),
            ..Default::default()
        };
        match item.kind {
            ItemKind::Auto { .. } => continue,
            ItemKind::YesNo => {
                a.yes = match get("co_").as_deref() {
                    Some("1") => Some(true),
                    Some("0") => Some(false),
                    _ => None,
                }
            }
            ItemKind::Reviewer => {
                a.points = match get("diem_") {
                    Some(s) if !s.is_empty() => {
                        Some(parse_points(&s, &format!("diem_{}", item.code))?)
                    }
                    _ => None,
                }
            }
            ItemKind::Deduction { .. } => {
                a.cases = match get("so_ca_") {
                    Some(s) if !s.is_empty() => Some(s.parse().map_err(|_| {
                        DomainError::new(
                            "scoring.cases",
                            format!("tiêu chí {}: số trường hợp «{s}» không phải số", item.code),
                        )
                        .at_field(format!("so_ca_{}", item.code))
                    })?),
                    _ => None,
                }
            }
        }
        out.insert(item.code.clone(), a);
    }
    Ok(out)
}

async fn page(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    status: StatusCode,
    error: Option<String>,
) -> Result<Response, StoreError> {
    let (round, a) = assessments::get(&ctx.store, id).await?;
    let sheet = round.sheet()?;
    let scored = assessments::result_of(sheet, &a)?;
    let versions = assessments::versions(&ctx.store, &round, a.unit_id).await?;
    let tree = units::tree(&ctx.store).await?;
    let unit = tree
        .get(a.unit_id)
        .map(|u| u.full_name())
        .unwrap_or_default();
    let unit_code = tree
        .get(a.unit_id)
        .map(|u| u.code.clone())
        .unwrap_or_default();
    let reviewer = rounds::may_review(&ctx.store, &round);
    let own = ctx.store.permits(a.unit_id);
    let editing = own && a.status == Status::SelfAssessing;
    let items: Vec<_> = sheet
        .items()
        .zip(&scored.items)
        .map(|((g, item), s)| {
            let ans = a.answers.get(&item.code).cloned().unwrap_or_default();
            context! {
                code => item.code.clone(), group => g.code.clone(), title => item.title.clone(),
                source => item.source.clone(), kind => item.kind_label(),
                auto => item.is_auto(), yes_no => matches!(item.kind, ItemKind::YesNo),
                reviewer_item => matches!(item.kind, ItemKind::Reviewer),
                deduction => item.is_deduction(),
                max => points(item.max), got => points(s.points), explanation => s.explanation.clone(),
                figure => s.figure.as_ref().map(|f| f.shown()), indicator => s.figure.as_ref().map(|f| f.indicator.clone()),
                yes => ans.yes, self_points => ans.points.map(points), cases => ans.cases,
                evidence => ans.evidence, document => ans.document, attachment => ans.attachment,
                adjusted => ans.adjusted.map(points), reason => ans.reason,
                lost => s.points < item.max && !item.is_deduction(),
            }
        })
        .collect();
    let vars = context! {
        a => ser(&a),
        unit => unit,
        unit_code => unit_code,
        round => ser(&round),
        sheet_title => sheet.title.clone(),
        sheet_source => sheet.source.clone(),
        status_label => a.status.label(),
        items => items,
        groups => scored.groups.iter().map(|g| context! { code => g.code.clone(), title => g.title.clone(), got => points(g.points), max => points(g.max) }).collect::<Vec<_>>(),
        deductions => points(scored.deductions),
        total => points(scored.total),
        grade => scored.grade_label.clone(),
        capped => scored.capped.clone(),
        approved => a.status == Status::Approved,
        submitted => a.status == Status::Submitted,
        editing => editing,
        reviewer => reviewer,
        versions => versions.iter().map(|v| context! {
            id => v.id, version => v.version, status => v.status.label(),
            total => v.total.map(points), grade => v.grade.clone(), reason => v.reason.clone(),
        }).collect::<Vec<_>>(),
        error => error,
    };
    Ok(super::render_as(
        status,
        app,
        ctx,
        "scoring_unit.html",
        vars,
    ))
}

/// `GET /danh-gia/bai/{id}`: one version of a unit's assessment.
pub async fn show(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    match page(&app, &ctx, id, StatusCode::OK, None).await {
        Ok(r) => r,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

async fn after(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    done: Result<Assessment, StoreError>,
) -> Response {
    match done {
        Ok(a) => Redirect::to(&format!("{BASE}/{}", a.id)).into_response(),
        Err(e @ StoreError::Invalid(_)) => {
            match page(
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

/// `POST /danh-gia/bai/{id}/luu`: save the manual answers; with `gui`,
/// send them to the reviewer.
pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let done = async {
        let (round, _) = assessments::get(&ctx.store, id).await?;
        let given = answers_of(round.sheet()?, &f)?;
        if f.contains_key("gui") {
            danvan_report::scoring::submit(&ctx.store, id, Some(&given)).await
        } else {
            danvan_report::scoring::save(&ctx.store, id, &given).await
        }
    };
    let done = done.await;
    after(&app, &ctx, id, done).await
}

#[derive(Debug, Deserialize)]
pub struct AdjustForm {
    #[serde(default)]
    tieu_chi: String,
    #[serde(default)]
    diem: String,
    #[serde(default)]
    ly_do: String,
}

/// `POST /danh-gia/bai/{id}/dieu-chinh`: the reviewer's points for an item.
pub async fn adjust(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<AdjustForm>,
) -> Response {
    let done = match parse_points(&f.diem, "diem") {
        Ok(p) => assessments::adjust(&ctx.store, id, f.tieu_chi.trim(), p, &f.ly_do).await,
        Err(e) => Err(e.into()),
    };
    after(&app, &ctx, id, done).await
}

/// `POST /danh-gia/bai/{id}/duyet`: approve and freeze.
pub async fn approve(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let done = assessments::approve(&ctx.store, id).await;
    after(&app, &ctx, id, done).await
}

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    ly_do: String,
}

/// `POST /danh-gia/bai/{id}/cham-lai`: re-score as a new version.
pub async fn rescore(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let done = danvan_report::scoring::rescore(&ctx.store, id, &f.ly_do).await;
    after(&app, &ctx, id, done).await
}

#[cfg(test)]
mod tests {
    use super::parse_points;

    #[test]
    fn points_are_read_with_a_comma_or_a_dot() {
        assert_eq!(parse_points("8", "d").unwrap(), 800);
        assert_eq!(parse_points("8,5", "d").unwrap(), 850);
        assert_eq!(parse_points(" 8.25 ", "d").unwrap(), 825);
        for bad in ["", "-1", "8,125", "tám", "1e3"] {
            let e = parse_points(bad, "d").unwrap_err();
            assert!(
                e.message.contains("không phải số điểm"),
                "{bad}: {}",
                e.message
            );
        }
    }
}
