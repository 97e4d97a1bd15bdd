//! Hòa giải ở cơ sở: the recent mediation cases of the user's subtree, a
//! form for a new case, a case's page with its history, and its correction
//! (e.g. a result known later) and deletion.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_store::{StoreError, mediation};
use minijinja::context;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, RecordType, dmy, field, refused,
};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/hoa-giai";
const ENTITY: &str = "mediation";
const TYPE: RecordType = RecordType {
    base: BASE,
    entity: ENTITY,
    noun: "vụ việc hòa giải",
};

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let got = match mediation::list(&ctx.store, q.unit(), records::PAGE).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, c)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                id.to_string(),
                dmy(c.received_on),
                names.get(&c.unit_id).cloned().unwrap_or_default(),
                c.team,
                c.field.label().to_string(),
                c.result.label().to_string(),
                c.summary,
            ],
        })
        .collect();
    let page = ListPage {
        title: "Hòa giải ở cơ sở",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số",
            "Ngày tiếp nhận",
            "Đơn vị",
            "Tổ hòa giải",
            "Lĩnh vực",
            "Kết quả",
            "Nội dung",
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
            "Đơn vị của tổ hòa giải",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("received_on", "Ngày tiếp nhận", Kind::Date).required(),
        Field::new("team", "Tổ hòa giải", Kind::Text)
            .required()
            .help("Ví dụ: Tổ hòa giải thôn 2"),
        Field::new("field", "Lĩnh vực", choices!(MediationField)).required(),
        Field::new("result", "Kết quả", choices!(MediationResult)).required(),
        Field::new("summary", "Nội dung vụ việc", Kind::Area),
    ])
}

fn form_page(fields: &[Field]) -> FormPage<'_> {
    FormPage::new("Ghi nhận vụ việc hòa giải", BASE, vec![("", fields)])
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, &["received_on"]);
    s.values
        .insert("field".into(), MediationField::Other.code().into());
    s.values
        .insert("result".into(), MediationResult::InProgress.code().into());
    records::render_form(&app, &ctx, &form_page(&fields), &s, StatusCode::OK)
}

/// The case the form describes, or `None` with the errors noted.
fn parse(fields: &[Field], s: &mut Submitted) -> Option<MediationCase> {
    let f = |n| field(fields, n);
    let unit_id = s.int(f("unit_id"));
    let received_on = s.date(f("received_on"));
    let team = s.text(f("team"));
    let mfield = s.choice(f("field"), MediationField::parse);
    let result = s.choice(f("result"), MediationResult::parse);
    let summary = s.text(f("summary"));
    if !s.ok() {
        return None;
    }
    Some(MediationCase {
        unit_id: unit_id?,
        team,
        received_on: received_on?,
        field: mfield?,
        result: result?,
        summary,
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
    let Some(c) = parse(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match mediation::insert_many(&ctx.store, std::slice::from_ref(&c)).await {
        Ok(ids) => Redirect::to(&format!("{BASE}/{}", ids[0])).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

/// A stored case as its form shows it.
fn values(c: &MediationCase) -> Submitted {
    records::filled([
        ("unit_id", c.unit_id.to_string()),
        ("received_on", dmy(c.received_on)),
        ("team", c.team.clone()),
        ("field", c.field.code().to_string()),
        ("result", c.result.code().to_string()),
        ("summary", c.summary.clone()),
    ])
}

pub async fn edit_form(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let ((c, v), fields) =
        match tokio::try_join!(mediation::get_for_edit(&ctx.store, id), fields(&ctx)) {
            Ok(got) => got,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
    let page = TYPE.edit_form(id, vec![("", &fields)]);
    let s = records::with_version(values(&c), v);
    records::render_form(&app, &ctx, &page, &s, StatusCode::OK)
}

/// Save a corrected case: the same checks as a new one; the store moves
/// its fact in the same transaction.
pub async fn update(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    // Out of reach or gone: not found, whatever the form says.
    let fields = match tokio::try_join!(mediation::get(&ctx.store, id), fields(&ctx)) {
        Ok((_, f)) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let page = TYPE.edit_form(id, vec![("", &fields)]);
    let mut s = Submitted::new(values);
    let read = records::version_of(&mut s);
    let (Some(c), Some(read)) = (parse(&fields, &mut s), read) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let saved = mediation::update(&ctx.store, id, &c, read).await;
    TYPE.updated(&app, &ctx, &page, &mut s, id, saved)
}

pub async fn delete(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    TYPE.deleted(&app, &ctx, mediation::delete(&ctx.store, id).await)
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let c = match mediation::get(&ctx.store, id).await {
        Ok(c) => c,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let page = DetailPage {
        template: "record.html",
        title: format!("Vụ việc hòa giải số {id}"),
        back: BASE,
        back_label: "Danh sách vụ việc hòa giải",
        rows: vec![
            ("Đơn vị", names.get(&c.unit_id).cloned().unwrap_or_default()),
            ("Tổ hòa giải", c.team.clone()),
            ("Ngày tiếp nhận", dmy(c.received_on)),
            ("Lĩnh vực", c.field.label().into()),
            ("Kết quả", c.result.label().into()),
            ("Nội dung", c.summary.clone()),
        ],
        tables: vec![],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: TYPE.actions(&ctx, id, true, true),
    };
    records::render_detail(&app, &ctx, page, context! {}, StatusCode::OK)
}
