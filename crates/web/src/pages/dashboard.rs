//! Tổng quan: the dashboard of a subtree and period — headline indicators
//! beside the same period of the previous year, overdue and soon-due
//! petitions, the one-stop backlog, the on-time rate by unit and models by
//! field, with charts drawn on the server as SVG. Every figure is a read of
//! facts (`danvan_report::dashboard`).

use axum::extract::{Query, State};
use axum::response::Response;
use danvan_core::period::Period;
use danvan_report::{chart, dashboard};
use danvan_store::units;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct DashQuery {
    pub don_vi: Option<String>,
    pub ky: Option<String>,
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(q): Query<DashQuery>) -> Response {
    let today = chrono::Local::now().date_naive();
    let visible = match super::units::visible(&ctx.store).await {
        Ok(v) => v,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let chosen = q
        .don_vi
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or(ctx.store.scope().map(|s| s.root))
        .or_else(|| visible.first().map(|(_, u)| u.id));
    let Some(unit) = chosen.and_then(|id| {
        visible
            .iter()
            .find(|(_, u)| u.id == id)
            .map(|(_, u)| u.clone())
    }) else {
        return super::not_found(&app, Some(&ctx));
    };
    let label =
        q.ky.clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| today.format("%Y").to_string());
    let period = match Period::parse(&label, false) {
        Ok(p) => p,
        Err(e) => return super::error_page(&app, Some(&ctx), &e.into()),
    };
    let d = match dashboard::build(&ctx.store, &unit, &period, today).await {
        Ok(d) => d,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let charts = vec![
        (
            "Tỷ lệ hồ sơ một cửa giải quyết đúng hạn theo đơn vị",
            Value::from_safe_string(chart::on_time_by_unit_svg(&d.on_time_by_unit)),
        ),
        (
            "Mô hình “Dân vận khéo” theo lĩnh vực",
            Value::from_safe_string(chart::models_by_field_svg(&d.models_by_field)),
        ),
    ];
    let parent = match unit.parent_id {
        Some(p) if ctx.store.permits(p) => units::by_id(&ctx.store, p).await.ok().flatten(),
        _ => None,
    };
    super::render(
        &app,
        Some(&ctx),
        "dashboard.html",
        context! {
            d => ser(&d),
            charts => charts,
            show_units_chart => !d.on_time_by_unit.is_empty(),
            show_models_chart => !d.models_by_field.is_empty(),
            unit_id => unit.id,
            parent => parent.map(|p| (p.id, p.full_name())),
            period_input => label,
            units => visible.iter().take(2000).map(|(d, u)| (u.id, format!("{}{}", "— ".repeat(*d), u.full_name()))).collect::<Vec<_>>(),
        },
    )
}
