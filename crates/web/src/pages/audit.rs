//! Nhật ký thay đổi: the audit log, searchable by an administrator (of the
//! whole country, or of a subtree: the store shows only that subtree).

use axum::extract::{Query, State};
use axum::response::Response;
use danvan_store::audit::{self, Action, Filter};
use minijinja::context;

use super::ser;
use serde::{Deserialize, Serialize};

use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    q: Option<String>,
    loai: Option<String>,
    so: Option<String>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    at: String,
    actor: String,
    action: &'static str,
    entity: String,
    entity_id: String,
    before: String,
    after: String,
}

fn short(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map_or(String::new(), |v| {
        let s = v.to_string();
        if s.chars().count() > 400 {
            format!("{}…", s.chars().take(400).collect::<String>())
        } else {
            s
        }
    })
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(q): Query<AuditQuery>) -> Response {
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let filter = Filter {
        text: nonempty(&q.q),
        entity: nonempty(&q.loai),
        entity_id: nonempty(&q.so),
        user_id: None,
        limit: Some(300),
    };
    let entries = match audit::list(&ctx.store, &filter).await {
        Ok(e) => e,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let rows: Vec<Row> = entries
        .into_iter()
        .map(|e| Row {
            id: e.id,
            at: e.at.format("%d/%m/%Y %H:%M:%S").to_string(),
            actor: e.actor,
            action: Action::label(&e.action),
            before: short(&e.before),
            after: short(&e.after),
            entity: e.entity,
            entity_id: e.entity_id,
        })
        .collect();
    super::render(
        &app,
        Some(&ctx),
        "audit.html",
        context! { rows => ser(&rows), q => q.q, loai => q.loai, so => q.so },
    )
}
