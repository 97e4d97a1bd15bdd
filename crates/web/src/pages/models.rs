//! Mô hình "Dân vận khéo": the recent models of the user's subtree with
//! their latest year, a form for a new model with its first year's
//! result, and a model's page where a year's result is recorded.

use danvan_store::listing::IdCursor;
use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_store::{StoreError, models};
use minijinja::context;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, Table, dmy, field, refused,
};
use super::ser;
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/mo-hinh";
const ENTITY: &str = "model";

fn year_label(y: &ModelYear) -> String {
    let mut s = format!("{}: {}", y.year, y.status.label());
    if y.recognised {
        s.push_str(", được công nhận");
    }
    if !y.award.is_empty() {
        s.push_str(&format!(", {}", y.award));
    }
    s
}

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let mut cursor = q.cursor();
    let (got, next, previous) = loop {
        let got = match models::list_page(&ctx.store, q.unit(), records::PAGE + 1, cursor).await {
            Ok(g) => g,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
        match records::paged(got, |r| r.0, cursor) {
            Some(p) => break p,
            // Nothing newer left: the first page, whole.
            None => cursor = IdCursor::First,
        }
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, m, latest)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                id.to_string(),
                m.name,
                names.get(&m.unit_id).cloned().unwrap_or_default(),
                m.level.label().to_string(),
                m.field.label().to_string(),
                latest.as_ref().map(year_label).unwrap_or_default(),
            ],
        })
        .collect();
    let page = ListPage {
        title: "Mô hình «Dân vận khéo»",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số",
            "Tên mô hình",
            "Đơn vị",
            "Cấp",
            "Lĩnh vực",
            "Năm gần nhất",
        ],
        rows,
        next,
        previous,
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

/// The fields of a year's result, on the new-model form and the model's page.
fn year_fields() -> Vec<Field> {
    vec![
        Field::new("year", "Năm", Kind::Int).required(),
        Field::new("recorded_on", "Ngày ghi nhận", Kind::Date)
            .required()
            .help("Ngày đăng ký hoặc đánh giá, trong năm đó."),
        Field::new("status", "Tình trạng", choices!(ModelStatus)).required(),
        Field::new("recognised", "Được công nhận", Kind::Bool),
        Field::new("award", "Khen thưởng", Kind::Text).help("Ví dụ: Bằng khen UBND tỉnh"),
    ]
}

async fn model_fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
    Ok(vec![
        Field::new("unit_id", "Đơn vị", forms::unit_choice(&ctx.store).await?).required(),
        Field::new("name", "Tên mô hình", Kind::Text).required(),
        Field::new("level", "Cấp", choices!(ModelLevel)).required(),
        Field::new("field", "Lĩnh vực", choices!(ModelField)).required(),
    ])
}

fn form_page<'a>(model: &'a [Field], year: &'a [Field]) -> FormPage<'a> {
    FormPage::new(
        "Ghi nhận mô hình «Dân vận khéo»",
        BASE,
        vec![("", model), ("Kết quả năm", year)],
    )
}

/// This year and today, the defaults of a year's result.
fn year_defaults(s: &mut Submitted) {
    let today = chrono::Local::now().date_naive();
    s.values.insert("year".into(), today.year().to_string());
    s.values.insert("recorded_on".into(), dmy(today));
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let model = match model_fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let year = year_fields();
    let mut s = records::defaults(&ctx, &[]);
    year_defaults(&mut s);
    records::render_form(&app, &ctx, &form_page(&model, &year), &s, StatusCode::OK)
}

/// The year's result the form describes, or `None` with the errors noted.
fn parse_year(fields: &[Field], s: &mut Submitted) -> Option<ModelYear> {
    let f = |n| field(fields, n);
    let year = s.int(f("year"));
    let recorded_on = s.date(f("recorded_on"));
    let status = s.choice(f("status"), ModelStatus::parse);
    let recognised = s.bool(f("recognised"));
    let award = s.text(f("award"));
    let year = match year.map(i32::try_from) {
        Some(Ok(y)) if (1945..=9999).contains(&y) => Some(y),
        Some(_) => {
            s.error("year", format!("năm «{}» không hợp lệ", s.raw("year")));
            None
        }
        None => None,
    };
    Some(ModelYear {
        year: year?,
        recorded_on: recorded_on?,
        status: status?,
        recognised,
        award,
    })
}

/// The model the form describes, or `None` with the errors noted.
fn parse_model(fields: &[Field], s: &mut Submitted) -> Option<Model> {
    let f = |n| field(fields, n);
    let unit_id = s.int(f("unit_id"));
    let name = s.text(f("name"));
    let level = s.choice(f("level"), ModelLevel::parse);
    let mfield = s.choice(f("field"), ModelField::parse);
    Some(Model {
        unit_id: unit_id?,
        name,
        level: level?,
        field: mfield?,
    })
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let model = match model_fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let year = year_fields();
    let page = form_page(&model, &year);
    let mut s = Submitted::new(values);
    let m = parse_model(&model, &mut s);
    let y = parse_year(&year, &mut s);
    let (Some(m), Some(y), true) = (m, y, s.ok()) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match models::insert_many(&ctx.store, &[(m, vec![y])]).await {
        Ok(ids) => Redirect::to(&format!("{BASE}/{}", ids[0])).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

async fn show(app: &AppState, ctx: &Ctx, id: i64, s: &Submitted, status: StatusCode) -> Response {
    let ((m, years), version) = match models::get_for_edit(&ctx.store, id).await {
        Ok(x) => x,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let table = Table {
        id: "years",
        title: "Kết quả theo năm".into(),
        columns: vec![
            "Năm",
            "Ngày ghi nhận",
            "Tình trạng",
            "Công nhận",
            "Khen thưởng",
        ],
        rows: years
            .iter()
            .map(|y| {
                vec![
                    y.year.to_string(),
                    dmy(y.recorded_on),
                    y.status.label().to_string(),
                    if y.recognised { "có" } else { "không" }.to_string(),
                    y.award.clone(),
                ]
            })
            .collect(),
    };
    let page = DetailPage {
        template: "model.html",
        title: format!("Mô hình số {id}: {}", m.name),
        back: BASE,
        back_label: "Danh sách mô hình",
        rows: vec![
            ("Tên mô hình", m.name.clone()),
            ("Đơn vị", names.get(&m.unit_id).cloned().unwrap_or_default()),
            ("Cấp", m.level.label().into()),
            ("Lĩnh vực", m.field.label().into()),
        ],
        tables: vec![table],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: records::Actions::default(),
    };
    let mut general = s.general.clone();
    let fields = year_fields();
    for (name, msg) in &s.errors {
        if !fields.iter().any(|f| f.name == name) {
            general.push(msg.clone());
        }
    }
    let extra = context! {
        id => id,
        may_write => ctx.user.role.may_write(ENTITY),
        year_fields => ser(&forms::view(&fields, s)),
        general => general,
        version => version.to_string(),
    };
    records::render_detail(app, ctx, page, extra, status)
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let mut s = Submitted::default();
    year_defaults(&mut s);
    show(&app, &ctx, id, &s, StatusCode::OK).await
}

pub async fn set_year(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = year_fields();
    let mut s = Submitted::new(values);
    let read = records::version_of(&mut s);
    let (Some(y), Some(read), true) = (parse_year(&fields, &mut s), read, s.ok()) else {
        return show(&app, &ctx, id, &s, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match models::set_year(&ctx.store, id, &y, read).await {
        Ok(()) => Redirect::to(&format!("{BASE}/{id}")).into_response(),
        Err(e @ StoreError::NotFound(_)) => super::error_page(&app, Some(&ctx), &e),
        Err(e) => {
            s.store_error(&e);
            show(&app, &ctx, id, &s, refused(&e)).await
        }
    }
}
