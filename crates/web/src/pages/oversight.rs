//! Giám sát, phản biện xã hội của Mặt trận và các đoàn thể: the recent
//! activities of the user's subtree, a form for a new one, and an
//! activity's page with its history.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_store::{StoreError, oversight};
use minijinja::context;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, dmy, field, refused,
};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/giam-sat";
const ENTITY: &str = "oversight";

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let got = match oversight::list(&ctx.store, q.unit(), records::PAGE).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, o)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                id.to_string(),
                dmy(o.held_on),
                names.get(&o.unit_id).cloned().unwrap_or_default(),
                o.organisation.label().to_string(),
                o.kind.label().to_string(),
                o.subject,
                o.recommendations.to_string(),
            ],
        })
        .collect();
    let page = ListPage {
        title: "Giám sát, phản biện xã hội",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số",
            "Ngày",
            "Đơn vị",
            "Tổ chức",
            "Hình thức",
            "Nội dung",
            "Số kiến nghị",
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
            "Đơn vị tổ chức",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("organisation", "Tổ chức thực hiện", choices!(Organisation)).required(),
        Field::new("kind", "Hình thức", choices!(OversightKind)).required(),
        Field::new("held_on", "Ngày giám sát, phản biện", Kind::Date).required(),
        Field::new("subject", "Nội dung", Kind::Area).required(),
        Field::new("targets", "Đối tượng giám sát", Kind::Text),
        Field::new("recommendations", "Số kiến nghị sau giám sát", Kind::Int),
    ])
}

fn form_page(fields: &[Field]) -> FormPage<'_> {
    FormPage::new(
        "Ghi nhận giám sát, phản biện xã hội",
        BASE,
        vec![("", fields)],
    )
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, &["held_on"]);
    s.values.insert("recommendations".into(), "0".into());
    records::render_form(&app, &ctx, &form_page(&fields), &s, StatusCode::OK)
}

/// The activity the form describes, or `None` with the errors noted.
fn parse(fields: &[Field], s: &mut Submitted) -> Option<Oversight> {
    let f = |n| field(fields, n);
    let unit_id = s.int(f("unit_id"));
    let organisation = s.choice(f("organisation"), Organisation::parse);
    let kind = s.choice(f("kind"), OversightKind::parse);
    let held_on = s.date(f("held_on"));
    let subject = s.text(f("subject"));
    let targets = s.text(f("targets"));
    let recommendations = s.int(f("recommendations"));
    if !s.ok() {
        return None;
    }
    Some(Oversight {
        unit_id: unit_id?,
        organisation: organisation?,
        kind: kind?,
        held_on: held_on?,
        subject,
        targets,
        recommendations: recommendations.unwrap_or(0),
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
    let Some(o) = parse(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match oversight::insert_many(&ctx.store, std::slice::from_ref(&o)).await {
        Ok(ids) => Redirect::to(&format!("{BASE}/{}", ids[0])).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let o = match oversight::get(&ctx.store, id).await {
        Ok(o) => o,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let page = DetailPage {
        template: "record.html",
        title: format!("Giám sát, phản biện số {id}"),
        back: BASE,
        back_label: "Danh sách giám sát, phản biện",
        rows: vec![
            ("Đơn vị", names.get(&o.unit_id).cloned().unwrap_or_default()),
            ("Tổ chức thực hiện", o.organisation.label().into()),
            ("Hình thức", o.kind.label().into()),
            ("Ngày", dmy(o.held_on)),
            ("Nội dung", o.subject.clone()),
            ("Đối tượng giám sát", o.targets.clone()),
            ("Số kiến nghị", o.recommendations.to_string()),
        ],
        tables: vec![],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: records::Actions::default(),
    };
    records::render_detail(&app, &ctx, page, context! {}, StatusCode::OK)
}
