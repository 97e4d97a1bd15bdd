//! Correcting and deleting a petition (đơn thư). The store allows both in
//! every state, provided the corrected petition's lifecycle still holds
//! (dates in order, a second instance only for a complaint…), so the page
//! offers them whenever the user's role may change petitions. The form
//! corrects what was entered when the petition came in; its lifecycle
//! stays as stored and moves only through the steps of its page.
//!
//! **Denouncer secrecy.** A user who reads a denunciation's sender as
//! `***` gets neither the sender fields nor the kind: the sender they never
//! saw is kept as stored (the store keeps it when given `***`), and the
//! kind stays a denunciation, since a denunciation turned into a complaint
//! would show its sender to everyone.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::records::petition::{MASK, Petition};
use danvan_store::petitions;

use super::records::{self, Actions, RecordType, dmy};
use crate::auth::Ctx;
use crate::forms::{Field, Submitted};
use crate::state::AppState;

const TYPE: RecordType = RecordType {
    base: "/don-thu",
    entity: "petition",
    noun: "đơn",
};

/// The fields a user who reads the sender masked neither sees nor changes.
const SECRET: [&str; 4] = ["kind", "sender_name", "sender_address", "sender_phone"];

const MASKED_NOTE: &str = "Đơn tố cáo: danh tính người tố cáo được giữ bí mật. \
     Người gửi và loại đơn không sửa ở đây và được giữ nguyên như đã lưu.";

/// The edit and delete buttons of a petition's page (by role only: the
/// store allows both in every state).
pub fn actions(ctx: &Ctx, id: i64) -> Actions {
    TYPE.actions(ctx, id, true, true)
}

/// The fields the form shows: all of them, or without [`SECRET`].
fn shown(fields: &[Field], masked: bool) -> Vec<Field> {
    fields
        .iter()
        .filter(|f| !(masked && SECRET.contains(&f.name)))
        .cloned()
        .collect()
}

fn page(id: i64, fields: &[Field], masked: bool) -> records::FormPage<'_> {
    let mut page = TYPE.edit_form(id, vec![("", fields)]);
    page.note = masked.then_some(MASKED_NOTE);
    page
}

/// A stored petition's intake as the form shows it (its sender as the
/// user may read it).
fn values(p: &Petition) -> Submitted {
    records::filled([
        ("unit_id", p.unit_id.to_string()),
        ("received_on", dmy(p.received_on)),
        ("channel", p.channel.code().to_string()),
        ("kind", p.kind.code().to_string()),
        ("instance", p.instance.code().to_string()),
        ("field", p.field.code().to_string()),
        ("senders", p.senders.to_string()),
        ("sender_name", p.sender.name.clone()),
        ("sender_address", p.sender.address.clone()),
        ("sender_phone", p.sender.phone.clone()),
        ("summary", p.summary.clone()),
    ])
}

/// The stored petition with the form's intake; its lifecycle unchanged.
fn corrected(stored: &Petition, form: Petition) -> Petition {
    Petition {
        unit_id: form.unit_id,
        received_on: form.received_on,
        channel: form.channel,
        kind: form.kind,
        instance: form.instance,
        field: form.field,
        senders: form.senders,
        sender: form.sender,
        summary: form.summary,
        ..stored.clone()
    }
}

pub async fn edit_form(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let got = tokio::try_join!(
        petitions::get_for_edit(&ctx.store, id, ctx.viewer()),
        super::petitions::new_fields(&ctx)
    );
    let ((sp, v), fields) = match got {
        Ok(got) => got,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let fields = shown(&fields, sp.identity_masked);
    let page = page(id, &fields, sp.identity_masked);
    let s = records::with_version(values(&sp.petition), v);
    records::render_form(&app, &ctx, &page, &s, StatusCode::OK)
}

pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    // Out of reach or gone: not found, whatever the form says.
    let got = tokio::try_join!(
        petitions::get(&ctx.store, id, ctx.viewer()),
        super::petitions::new_fields(&ctx)
    );
    let (sp, fields) = match got {
        Ok(got) => got,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let masked = sp.identity_masked;
    let mut s = Submitted::new(values);
    if masked {
        // Whatever was posted: the stored kind, and the mask the store
        // reads as "keep the stored sender".
        s.values
            .insert("kind".into(), sp.petition.kind.code().to_string());
        for name in &SECRET[1..] {
            s.values.insert((*name).into(), MASK.into());
        }
    }
    let visible = shown(&fields, masked);
    let page = page(id, &visible, masked);
    let read = records::version_of(&mut s);
    let (Some(form), Some(read)) = (super::petitions::intake(&fields, &mut s), read) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let next = corrected(&sp.petition, form);
    let saved = petitions::update(&ctx.store, id, &next, ctx.viewer(), read).await;
    TYPE.updated(&app, &ctx, &page, &mut s, id, saved)
}

pub async fn delete(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    TYPE.deleted(&app, &ctx, petitions::delete(&ctx.store, id).await)
}
