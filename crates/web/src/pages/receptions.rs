//! Tiếp công dân: the recent receptions of the user's subtree, a form for
//! a new one, a reception's page with its history, and its correction and
//! deletion.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_store::{StoreError, reception};
use minijinja::context;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, RecordType, dmy, field, opt, refused,
};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/tiep-cong-dan";
const ENTITY: &str = "reception";
const TYPE: RecordType = RecordType {
    base: BASE,
    entity: ENTITY,
    noun: "lượt tiếp công dân",
};

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let got = match reception::list(&ctx.store, q.unit(), records::PAGE).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, r)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                id.to_string(),
                dmy(r.received_on),
                names.get(&r.unit_id).cloned().unwrap_or_default(),
                r.official,
                r.kind.label().to_string(),
                r.content.label().to_string(),
                r.outcome.label().to_string(),
                format!("{} lượt / {} người", r.turns, r.persons),
            ],
        })
        .collect();
    let page = ListPage {
        title: "Tiếp công dân",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số",
            "Ngày tiếp",
            "Đơn vị",
            "Người tiếp",
            "Hình thức",
            "Nội dung",
            "Kết quả",
            "Lượt / người",
        ],
        rows,
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
    Ok(vec![
        Field::new(
            "unit_id",
            "Đơn vị tiếp",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("received_on", "Ngày tiếp", Kind::Date).required(),
        Field::new("official", "Người tiếp", Kind::Text),
        Field::new("position", "Chức vụ người tiếp", Kind::Text).help("Ví dụ: Chủ tịch UBND xã"),
        Field::new("kind", "Hình thức tiếp", choices!(ReceptionKind)).required(),
        Field::new("content", "Nội dung", choices!(ReceptionContent)).required(),
        Field::new("outcome", "Kết quả", choices!(ReceptionOutcome)).required(),
        Field::new("turns", "Số lượt", Kind::Int).required(),
        Field::new("persons", "Số người", Kind::Int).required(),
        Field::new("delegations", "Số đoàn đông người", Kind::Int),
        Field::new(
            "delegation_persons",
            "Số người trong đoàn đông người",
            Kind::Int,
        ),
        Field::new("petition_id", "Số đơn đã nhận", Kind::Int)
            .help("Chỉ ghi khi kết quả tiếp là «nhận đơn»."),
        Field::new("note", "Ghi chú", Kind::Area),
    ])
}

fn form_page(fields: &[Field]) -> FormPage<'_> {
    FormPage::new("Ghi nhận tiếp công dân", BASE, vec![("", fields)])
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, &["received_on"]);
    for (k, v) in [
        ("turns", "1"),
        ("persons", "1"),
        ("delegations", "0"),
        ("delegation_persons", "0"),
    ] {
        s.values.insert(k.into(), v.into());
    }
    records::render_form(&app, &ctx, &form_page(&fields), &s, StatusCode::OK)
}

/// The reception the form describes, or `None` with the errors noted.
fn parse(fields: &[Field], s: &mut Submitted) -> Option<Reception> {
    let f = |n| field(fields, n);
    let unit_id = s.int(f("unit_id"));
    let received_on = s.date(f("received_on"));
    let kind = s.choice(f("kind"), ReceptionKind::parse);
    let content = s.choice(f("content"), ReceptionContent::parse);
    let outcome = s.choice(f("outcome"), ReceptionOutcome::parse);
    let turns = s.int(f("turns"));
    let persons = s.int(f("persons"));
    let delegations = s.int(f("delegations"));
    let delegation_persons = s.int(f("delegation_persons"));
    let petition_id = s.int(f("petition_id"));
    let official = s.text(f("official"));
    let position = s.text(f("position"));
    let note = s.text(f("note"));
    if !s.ok() {
        return None;
    }
    Some(Reception {
        unit_id: unit_id?,
        received_on: received_on?,
        official,
        position,
        kind: kind?,
        content: content?,
        outcome: outcome?,
        turns: turns?,
        persons: persons?,
        delegations: delegations.unwrap_or(0),
        delegation_persons: delegation_persons.unwrap_or(0),
        petition_id,
        note,
    })
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let page = form_page(&fields);
    let mut s = Submitted::new(values);
    let Some(r) = parse(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match reception::insert(&ctx.store, &r).await {
        Ok(id) => Redirect::to(&format!("{BASE}/{id}")).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

/// A stored reception as its form shows it.
fn values(r: &Reception) -> Submitted {
    records::filled([
        ("unit_id", r.unit_id.to_string()),
        ("received_on", dmy(r.received_on)),
        ("official", r.official.clone()),
        ("position", r.position.clone()),
        ("kind", r.kind.code().to_string()),
        ("content", r.content.code().to_string()),
        ("outcome", r.outcome.code().to_string()),
        ("turns", r.turns.to_string()),
        ("persons", r.persons.to_string()),
        ("delegations", r.delegations.to_string()),
        ("delegation_persons", r.delegation_persons.to_string()),
        ("petition_id", opt(r.petition_id)),
        ("note", r.note.clone()),
    ])
}

pub async fn edit_form(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let ((r, v), fields) =
        match tokio::try_join!(reception::get_for_edit(&ctx.store, id), fields(&ctx)) {
            Ok(got) => got,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
    let page = TYPE.edit_form(id, vec![("", &fields)]);
    let s = records::with_version(values(&r), v);
    records::render_form(&app, &ctx, &page, &s, StatusCode::OK)
}

/// Save a corrected reception: the same checks as a new one, and the
/// store moves its figures in the same transaction.
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    // Out of reach or gone: not found, whatever the form says.
    let fields = match tokio::try_join!(reception::get(&ctx.store, id), fields(&ctx)) {
        Ok((_, f)) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let page = TYPE.edit_form(id, vec![("", &fields)]);
    let mut s = Submitted::new(values);
    let read = records::version_of(&mut s);
    let (Some(r), Some(read)) = (parse(&fields, &mut s), read) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let saved = reception::update(&ctx.store, id, &r, read).await;
    TYPE.updated(&app, &ctx, &page, &mut s, id, saved)
}

pub async fn delete(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    TYPE.deleted(&app, &ctx, reception::delete(&ctx.store, id).await)
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let r = match reception::get(&ctx.store, id).await {
        Ok(r) => r,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let mut rows = vec![
        (
            "Đơn vị tiếp",
            names.get(&r.unit_id).cloned().unwrap_or_default(),
        ),
        ("Ngày tiếp", dmy(r.received_on)),
        ("Người tiếp", format!("{} {}", r.official, r.position)),
        ("Hình thức tiếp", r.kind.label().into()),
        ("Nội dung", r.content.label().into()),
        ("Kết quả", r.outcome.label().into()),
        ("Số lượt", r.turns.to_string()),
        ("Số người", r.persons.to_string()),
        (
            "Đoàn đông người",
            format!("{} đoàn, {} người", r.delegations, r.delegation_persons),
        ),
    ];
    if let Some(p) = r.petition_id {
        rows.push(("Đơn đã nhận", format!("số {p}")));
    }
    rows.push(("Ghi chú", r.note.clone()));
    let page = DetailPage {
        template: "record.html",
        title: format!("Lượt tiếp công dân số {id}"),
        back: BASE,
        back_label: "Danh sách tiếp công dân",
        rows,
        tables: vec![],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: TYPE.actions(&ctx, id, true, true),
    };
    records::render_detail(&app, &ctx, page, context! {}, StatusCode::OK)
}
