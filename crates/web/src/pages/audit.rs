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
    /// The page after the entry with this number (older entries).
    sau: Option<String>,
}

/// Entries a page shows.
const PAGE: i64 = 300;

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
        // One more than a page: whether an older page follows.
        limit: Some(PAGE + 1),
        below: nonempty(&q.sau).and_then(|s| s.trim().parse().ok()),
    };
    let mut entries = match audit::list(&ctx.store, &filter).await {
        Ok(e) => e,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let more = entries.len() as i64 > PAGE;
    entries.truncate(PAGE as usize);
    let link = |below: Option<i64>| {
        let mut pairs = vec![
            ("q", q.q.clone().unwrap_or_default()),
            ("loai", q.loai.clone().unwrap_or_default()),
            ("so", q.so.clone().unwrap_or_default()),
        ];
        if let Some(k) = below {
            pairs.push(("sau", k.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    };
    let next = more
        .then(|| entries.last().map(|e| link(Some(e.id))))
        .flatten();
    let first_page = filter.below.is_some().then(|| link(None));
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
        context! {
            rows => ser(&rows),
            q => q.q,
            loai => q.loai,
            so => q.so,
            next => next,
            first_page => first_page,
        },
    )
}
