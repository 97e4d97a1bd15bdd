//! Tổng quan: the dashboard of a subtree and period — headline figures
//! beside the same period of the previous year, overdue and soon-due
//! petitions. Every figure is a read of facts.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Response;
use danvan_core::number;
use danvan_core::period::Period;
use danvan_core::records::petition::keys;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::petitions::{self, DueFilter};
use danvan_store::units;
use minijinja::context;

use super::ser;
use serde::{Deserialize, Serialize};

use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct DashQuery {
    pub don_vi: Option<String>,
    pub ky: Option<String>,
}

#[derive(Serialize)]
struct Headline {
    label: &'static str,
    value: String,
    previous: String,
}

#[derive(Serialize)]
struct Due {
    id: i64,
    unit: String,
    kind: &'static str,
    received_on: String,
    deadline_kind: &'static str,
    deadline: String,
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
    let range = period.range();
    let prev = range.previous_year();
    let wanted = [
        keys::RECEIVED,
        keys::ACCEPTED,
        keys::RESOLVED,
        keys::RESOLVED_ON_TIME,
    ];
    let now = facts::read(&ctx.store, Scope::of(&unit), &wanted, range, Detail::Totals).await;
    let before = facts::read(&ctx.store, Scope::of(&unit), &wanted, prev, Detail::Totals).await;
    let (now, before) = match (now, before) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return super::error_page(&app, Some(&ctx), &e),
    };
    let headline: Vec<Headline> = [
        (keys::RECEIVED, "Đơn thư tiếp nhận"),
        (keys::ACCEPTED, "Đơn thụ lý giải quyết"),
        (keys::RESOLVED, "Đơn giải quyết xong"),
        (keys::RESOLVED_ON_TIME, "Giải quyết đúng hạn"),
    ]
    .into_iter()
    .map(|(k, label)| Headline {
        label,
        value: number::int(now.total(k)),
        previous: number::int(before.total(k)),
    })
    .collect();
    let names: HashMap<i64, String> = visible.iter().map(|(_, u)| (u.id, u.full_name())).collect();
    let due = |items: Vec<petitions::DueItem>| -> Vec<Due> {
        items
            .into_iter()
            .take(50)
            .map(|d| Due {
                id: d.id,
                unit: names.get(&d.unit_id).cloned().unwrap_or_default(),
                kind: d.kind.label(),
                received_on: d.received_on.format("%d/%m/%Y").to_string(),
                deadline_kind: d.deadline_kind.label(),
                deadline: d.deadline.format("%d/%m/%Y").to_string(),
            })
            .collect()
    };
    let overdue = petitions::due_list(&ctx.store, unit.id, today, DueFilter::Overdue)
        .await
        .map(due)
        .unwrap_or_default();
    let soon = petitions::due_list(&ctx.store, unit.id, today, DueFilter::DueWithin(5))
        .await
        .map(due)
        .unwrap_or_default();
    let parent = match unit.parent_id {
        Some(p) if ctx.store.permits(p) => units::by_id(&ctx.store, p).await.ok().flatten(),
        _ => None,
    };
    super::render(
        &app,
        Some(&ctx),
        "dashboard.html",
        context! {
            unit => unit.full_name(),
            unit_id => unit.id,
            parent => parent.map(|p| (p.id, p.full_name())),
            period => period.to_string(),
            period_input => label,
            previous_year => prev.start.format("%Y").to_string(),
            headline => ser(&headline),
            overdue => ser(&overdue),
            soon => ser(&soon),
            units => visible.iter().take(2000).map(|(d, u)| (u.id, format!("{}{}", "— ".repeat(*d), u.full_name()))).collect::<Vec<_>>(),
        },
    )
}
