//! Tổng quan: the dashboard of a subtree and period — headline indicators
//! beside the same period of the previous year, overdue and soon-due
//! petitions, the one-stop backlog, the on-time rate by unit and models by
//! field, with charts drawn on the server as SVG. Every figure is a read of
//! facts (`danvan_report::dashboard`). A computed dashboard and its charts
//! are kept until the data changes ([`Cache`]); the page around them (the
//! user's name, the CSRF token, the unit picker) is rendered per request.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use danvan_core::period::Period;
use danvan_report::chart;
use danvan_report::dashboard::Dashboard;
use danvan_report::dashboard_cache::DashboardCache;
use danvan_store::{facts, units};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

/// What the page keeps of a computed dashboard: the data as the template
/// reads it and the charts, drawn once per dashboard rather than per view.
/// Nothing of the reader is in it.
pub struct DashboardView {
    d: Value,
    charts: Value,
    show_units_chart: bool,
    show_models_chart: bool,
}

/// The dashboards kept for the page (see
/// [`danvan_report::dashboard_cache`]).
pub type Cache = DashboardCache<Arc<DashboardView>>;

/// How many dashboards the page keeps: a few per unit and period in use,
/// each some tens of kilobytes with its charts.
pub const CACHED: usize = 256;

fn view(d: Dashboard) -> Arc<DashboardView> {
    let chart = |title: &str, svg: String| {
        Value::from(vec![Value::from(title), Value::from_safe_string(svg)])
    };
    let charts = Value::from(vec![
        chart(
            "Tỷ lệ hồ sơ một cửa giải quyết đúng hạn theo đơn vị",
            chart::on_time_by_unit_svg(&d.on_time_by_unit),
        ),
        chart(
            "Mô hình “Dân vận khéo” theo lĩnh vực",
            chart::models_by_field_svg(&d.models_by_field),
        ),
    ]);
    Arc::new(DashboardView {
        show_units_chart: !d.on_time_by_unit.is_empty(),
        show_models_chart: !d.models_by_field.is_empty(),
        d: ser(&d),
        charts,
    })
}

/// The flows whose latest year the dashboard opens on: what each record
/// kind counts first.
const OPENING_KEYS: &[&str] = &[
    danvan_core::records::reception::keys::TURNS,
    danvan_core::records::petition::keys::RECEIVED,
    danvan_core::records::dossier::keys::RECEIVED,
    danvan_core::records::mediation::keys::CASES,
    danvan_core::records::meeting::keys::SESSIONS,
    danvan_core::records::model::keys::ENTRIES,
    danvan_core::records::oversight::keys::ACTIVITIES,
    danvan_core::records::directive::keys::ISSUED,
    danvan_core::records::petition::keys::CASE_OPENED,
];

/// For a user of the whole country: the first province, in tree order,
/// with figures (the whole country holds dozens without any); the first
/// unit when none has any.
async fn first_with_figures(
    ctx: &Ctx,
    visible: &[(usize, danvan_store::units::Unit)],
    this_year: i32,
) -> Option<i64> {
    for (_, u) in visible.iter().filter(|(d, _)| *d == 0) {
        let scope = facts::Scope::of(u);
        if let Ok(Some(_)) = facts::latest_year(&ctx.store, scope, OPENING_KEYS, this_year).await {
            return Some(u.id);
        }
    }
    visible.first().map(|(_, u)| u.id)
}

#[derive(Deserialize, Default)]
pub struct DashQuery {
    pub don_vi: Option<String>,
    pub ky: Option<String>,
}

/// `/`: a signed-in official's dashboard; anyone else is a citizen, led
/// to the public portal (whose page links to the login).
pub async fn root(
    State(app): State<AppState>,
    ctx: Result<Ctx, Response>,
    q: Query<DashQuery>,
) -> Response {
    match ctx {
        Ok(ctx) => page(State(app), ctx, q).await,
        Err(_) => axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            crate::public::PREFIX,
        )),
    }
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(q): Query<DashQuery>) -> Response {
    let today = chrono::Local::now().date_naive();
    let visible = match super::units::visible(&ctx.store).await {
        Ok(v) => v,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let asked = q
        .don_vi
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or(ctx.store.scope().map(|s| s.root));
    let chosen = match asked {
        Some(id) => Some(id),
        None => first_with_figures(&ctx, &visible, today.year()).await,
    };
    let Some(unit) = chosen.and_then(|id| {
        visible
            .iter()
            .find(|(_, u)| u.id == id)
            .map(|(_, u)| u.clone())
    }) else {
        return super::not_found(&app, Some(&ctx));
    };
    // Without a period the page opens on the latest year with figures, not
    // on an empty current year.
    let label = match q.ky.clone().filter(|s| !s.trim().is_empty()) {
        Some(k) => k,
        None => {
            let this_year = today.year();
            facts::latest_year(&ctx.store, facts::Scope::of(&unit), OPENING_KEYS, this_year)
                .await
                .ok()
                .flatten()
                .unwrap_or(this_year)
                .to_string()
        }
    };
    let period = match Period::parse(&label, false) {
        Ok(p) => p,
        Err(e) => return super::error_page(&app, Some(&ctx), &e.into()),
    };
    // The unit was found among those the user may see; the cache checks
    // the store's scope again before it looks anything up.
    let v = match app
        .dashboards
        .get(&ctx.store, &unit, &period, today, view)
        .await
    {
        Ok(v) => v,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    // Reports asked of this unit and not sent, with the days left.
    let asked = danvan_store::chain::reminders::of_unit(&ctx.store, unit.id, ctx.store.today())
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| {
            use danvan_store::chain::reminders::Reason;
            matches!(r.reason, Reason::Due | Reason::Overdue | Reason::Returned)
        })
        .map(|r| {
            let when = match r.days_left {
                d if d > 0 => format!("còn {d} ngày"),
                0 => "hạn hôm nay".to_string(),
                d => format!("quá hạn {} ngày", -d),
            };
            (
                r.request_id,
                r.title,
                r.due_on.format("%d/%m/%Y").to_string(),
                when,
            )
        })
        .collect::<Vec<_>>();
    let parent = match unit.parent_id {
        Some(p) if ctx.store.permits(p) => units::by_id(&ctx.store, p).await.ok().flatten(),
        _ => None,
    };
    super::render(
        &app,
        Some(&ctx),
        "dashboard.html",
        context! {
            d => v.d.clone(),
            charts => v.charts.clone(),
            show_units_chart => v.show_units_chart,
            show_models_chart => v.show_models_chart,
            unit_id => unit.id,
            parent => parent.map(|p| (p.id, p.full_name())),
            period_input => label,
            asked => asked,
            units => visible.iter().take(2000).map(|(d, u)| (u.id, format!("{}{}", "— ".repeat(*d), u.full_name()))).collect::<Vec<_>>(),
        },
    )
}
