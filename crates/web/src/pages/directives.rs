//! Văn bản chỉ đạo: the register of the user's subtree with a search that
//! ignores diacritics ("dan van kheo" finds "Dân vận khéo"), a form for a
//! new document, and a document's page with its history.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_store::{StoreError, directives};
use minijinja::context;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, dmy, field, refused,
};
use crate::auth::Ctx;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/van-ban";
const ENTITY: &str = "directive";

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let got = match directives::search_in(&ctx.store, q.words(), q.unit()).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, d)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                d.number.text,
                dmy(d.issued_on),
                names.get(&d.unit_id).cloned().unwrap_or_default(),
                d.issuer,
                d.title,
            ],
        })
        .collect();
    let page = ListPage {
        title: "Văn bản chỉ đạo",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số, ký hiệu",
            "Ngày ban hành",
            "Đơn vị",
            "Cơ quan ban hành",
            "Trích yếu",
        ],
        rows,
        search: true,
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
    Ok(vec![
        Field::new(
            "unit_id",
            "Đơn vị ban hành",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("number", "Số, ký hiệu", Kind::Text)
            .required()
            .help("Ví dụ: 57/KH-UBND, 09/2019/NĐ-CP, 111-BC/TU"),
        Field::new("issued_on", "Ngày ban hành", Kind::Date).required(),
        Field::new("issuer", "Cơ quan ban hành", Kind::Text).help("Ví dụ: UBND huyện"),
        Field::new("title", "Trích yếu", Kind::Area).required(),
    ])
}

fn form_page(fields: &[Field]) -> FormPage<'_> {
    FormPage::new("Vào sổ văn bản chỉ đạo", BASE, vec![("", fields)])
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let s = records::defaults(&ctx, &["issued_on"]);
    records::render_form(&app, &ctx, &form_page(&fields), &s, StatusCode::OK)
}

/// The document the form describes, or `None` with the errors noted.
fn parse(fields: &[Field], s: &mut Submitted) -> Option<Directive> {
    let f = |n| field(fields, n);
    let unit_id = s.int(f("unit_id"));
    let number = s.choice(f("number"), DocumentNumber::parse);
    let issued_on = s.date(f("issued_on"));
    let issuer = s.text(f("issuer"));
    let title = s.text(f("title"));
    if !s.ok() {
        return None;
    }
    Some(Directive {
        unit_id: unit_id?,
        number: number?,
        issued_on: issued_on?,
        issuer,
        title,
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
    let Some(d) = parse(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match directives::insert_many(&ctx.store, std::slice::from_ref(&d)).await {
        Ok(ids) => Redirect::to(&format!("{BASE}/{}", ids[0])).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let d = match directives::get(&ctx.store, id).await {
        Ok(d) => d,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let page = DetailPage {
        template: "record.html",
        title: format!("Văn bản số {}", d.number.text),
        back: BASE,
        back_label: "Sổ văn bản chỉ đạo",
        rows: vec![
            ("Số, ký hiệu", d.number.text.clone()),
            ("Ngày ban hành", dmy(d.issued_on)),
            ("Đơn vị", names.get(&d.unit_id).cloned().unwrap_or_default()),
            ("Cơ quan ban hành", d.issuer.clone()),
            ("Trích yếu", d.title.clone()),
        ],
        tables: vec![],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: records::Actions::default(),
    };
    records::render_detail(&app, &ctx, page, context! {}, StatusCode::OK)
}
