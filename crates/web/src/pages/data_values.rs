//! Số liệu tổng hợp: values of a data set entered per unit and period.
//! The list shows, for the chosen set, the units and periods entered; the
//! form has one box per element (and option), typed the Vietnamese way
//! ("3.565", "1.234,5"); an entry's page shows its values and history.
//! Sets and elements are defined by an administrator through the API.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::number;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_store::{StoreError, audit, datasets};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::records::{self, DetailPage, ListPage, ListQuery, ListRow, Table, field, refused};
use super::ser;
use crate::auth::Ctx;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/so-lieu";
const ENTITY: &str = "data_value";

/// The form field of one value: `v.<element>` or `v.<element>.<option>`.
fn value_name(element: &str, option: &str) -> String {
    if option.is_empty() {
        format!("v.{element}")
    } else {
        format!("v.{element}.{option}")
    }
}

fn entry_url(set: &str, unit: i64, period: &str) -> String {
    format!("{BASE}/{set}/{unit}/{period}")
}

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let sets = match datasets::sets(&ctx.store).await {
        Ok(s) => s,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let chosen = records::nonempty(&q.bo)
        .and_then(|b| sets.iter().find(|s| s.code == b))
        .or(sets.first());
    let mut page = ListPage {
        title: "Số liệu tổng hợp",
        base: BASE,
        entity: ENTITY,
        columns: &["Kỳ", "Đơn vị"],
        sets: sets
            .iter()
            .map(|s| (s.code.clone(), s.name.clone()))
            .collect(),
        ..Default::default()
    };
    match chosen {
        None => {
            page.note = Some(
                "Chưa có bộ chỉ tiêu nào. Quản trị viên định nghĩa chỉ tiêu và bộ chỉ tiêu (qua API /api/datasets) trước khi nhập số liệu."
                    .into(),
            )
        }
        Some(set) => {
            let got = match datasets::entries(&ctx.store, &set.code, q.unit(), records::PAGE).await
            {
                Ok(g) => g,
                Err(e) => return super::error_page(&app, Some(&ctx), &e),
            };
            let names = records::unit_names(&ctx.store).await.unwrap_or_default();
            page.set = set.code.clone();
            page.rows = got
                .into_iter()
                .map(|(unit, period)| ListRow {
                    url: entry_url(&set.code, unit, &period),
                    cells: vec![
                        period.clone(),
                        names.get(&unit).cloned().unwrap_or_default(),
                    ],
                })
                .collect();
        }
    }
    records::render_list(&app, &ctx, page, &q).await
}

/// One value box of the form.
#[derive(Serialize)]
struct ValueBox {
    name: String,
    label: String,
    measure: String,
    value: String,
    error: Option<String>,
}

fn boxes(elements: &[DataElement], s: &Submitted) -> Vec<ValueBox> {
    let mut out = Vec::new();
    for e in elements {
        let options: Vec<(&str, &str)> = if e.options.is_empty() {
            vec![("", "")]
        } else {
            e.options
                .iter()
                .map(|o| (o.code.as_str(), o.label.as_str()))
                .collect()
        };
        for (code, label) in options {
            let name = value_name(&e.code, code);
            out.push(ValueBox {
                label: if label.is_empty() {
                    e.label.clone()
                } else {
                    format!("{} — {label}", e.label)
                },
                measure: e.measure.clone(),
                value: s.raw(&name).to_string(),
                error: s.errors.get(&name).cloned(),
                name,
            });
        }
    }
    out
}

async fn head_fields(ctx: &Ctx, set: &DataSet) -> Result<Vec<Field>, StoreError> {
    let help = match set.period_type.code() {
        "month" => "Kỳ tháng, ví dụ 2024-09",
        "quarter" => "Kỳ quý, ví dụ 2024-Q3",
        "half" => "Kỳ 6 tháng, ví dụ 2024-H1",
        _ => "Kỳ năm, ví dụ 2024",
    };
    Ok(vec![
        Field::new("unit_id", "Đơn vị", forms::unit_choice(&ctx.store).await?).required(),
        Field::new("period", "Kỳ số liệu", Kind::Text)
            .required()
            .help(help),
    ])
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    bo: Option<String>,
    don_vi: Option<String>,
    ky: Option<String>,
}

fn render_form(
    app: &AppState,
    ctx: &Ctx,
    set: &DataSet,
    elements: &[DataElement],
    head: &[Field],
    s: &Submitted,
    status: StatusCode,
) -> Response {
    let mut general = s.general.clone();
    let boxes = boxes(elements, s);
    for (name, msg) in &s.errors {
        if !head.iter().any(|f| f.name == name) && !boxes.iter().any(|b| &b.name == name) {
            general.push(msg.clone());
        }
    }
    super::render_as(
        status,
        app,
        ctx,
        "data_new.html",
        context! {
            set => set.code.clone(),
            set_name => set.name.clone(),
            head => ser(&forms::view(head, s)),
            boxes => ser(&boxes),
            general => general,
            has_errors => !s.errors.is_empty(),
        },
    )
}

pub async fn new_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Response {
    let code = match records::nonempty(&q.bo) {
        Some(c) => c.to_string(),
        // No set named: the first one, or the list, which says none is defined.
        None => match datasets::sets(&ctx.store).await {
            Ok(sets) if !sets.is_empty() => sets[0].code.clone(),
            Ok(_) => return Redirect::to(BASE).into_response(),
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        },
    };
    let (set, elements) = match datasets::get_set(&ctx.store, &code).await {
        Ok(x) => x,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let head = match head_fields(&ctx, &set).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, &[]);
    // Opened from an entry's page: its values, to correct them.
    if let (Some(unit), Some(period)) = (
        records::nonempty(&q.don_vi).and_then(|u| u.parse::<i64>().ok()),
        records::nonempty(&q.ky),
    ) {
        let values = match datasets::values_of(&ctx.store, &set.code, unit, period).await {
            Ok(v) => v,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
        s.values.insert("unit_id".into(), unit.to_string());
        s.values.insert("period".into(), period.to_string());
        for v in values {
            let scale = elements
                .iter()
                .find(|e| e.code == v.element)
                .map_or(0, |e| e.scale);
            s.values.insert(
                value_name(&v.element, &v.option),
                number::decimal(v.value, scale),
            );
        }
    }
    render_form(&app, &ctx, &set, &elements, &head, &s, StatusCode::OK)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let code = values.get("bo").cloned().unwrap_or_default();
    let (set, elements) = match datasets::get_set(&ctx.store, code.trim()).await {
        Ok(x) => x,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let head = match head_fields(&ctx, &set).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = Submitted::new(values);
    let unit_id = s.int(field(&head, "unit_id"));
    let period = s.text(field(&head, "period"));
    let mut entered = Vec::new();
    for e in &elements {
        let options: Vec<&str> = if e.options.is_empty() {
            vec![""]
        } else {
            e.options.iter().map(|o| o.code.as_str()).collect()
        };
        for option in options {
            let name = value_name(&e.code, option);
            let raw = s.raw(&name).to_string();
            if raw.is_empty() {
                continue;
            }
            match e.parse_value(&raw) {
                Ok(value) => entered.push((e.code.clone(), option.to_string(), value)),
                Err(err) => s.error(&name, err.message),
            }
        }
    }
    if entered.is_empty() && s.ok() {
        s.general
            .push("chưa nhập giá trị nào; nhập ít nhất một chỉ tiêu".into());
    }
    let (Some(unit_id), true) = (unit_id, s.ok()) else {
        return render_form(
            &app,
            &ctx,
            &set,
            &elements,
            &head,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let values: Vec<DataValue> = entered
        .into_iter()
        .map(|(element, option, value)| DataValue {
            unit_id,
            element,
            period: period.clone(),
            option,
            value,
        })
        .collect();
    match datasets::enter(&ctx.store, &set.code, &values).await {
        Ok(()) => Redirect::to(&entry_url(&set.code, unit_id, &period)).into_response(),
        Err(e) => {
            s.store_error(&e);
            let status = refused(&e);
            render_form(&app, &ctx, &set, &elements, &head, &s, status)
        }
    }
}

pub async fn page(
    State(app): State<AppState>,
    ctx: Ctx,
    Path((set, unit, period)): Path<(String, i64, String)>,
) -> Response {
    let (ds, elements) = match datasets::get_set(&ctx.store, &set).await {
        Ok(x) => x,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let values = match datasets::values_of(&ctx.store, &set, unit, &period).await {
        Ok(v) if !v.is_empty() => v,
        Ok(_) => return super::not_found(&app, Some(&ctx)),
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let mut rows = Vec::with_capacity(values.len());
    let mut history = Vec::new();
    for v in &values {
        let Some(e) = elements.iter().find(|e| e.code == v.element) else {
            continue;
        };
        let option = e
            .options
            .iter()
            .find(|o| o.code == v.option)
            .map_or(String::new(), |o| o.label.clone());
        rows.push(vec![
            e.label.clone(),
            option,
            number::decimal(v.value, e.scale),
            e.measure.clone(),
        ]);
        let key = format!("{set}/{}/{unit}/{period}/{}", v.element, v.option);
        history.extend(
            audit::list(
                &ctx.store,
                &audit::Filter {
                    entity: Some(ENTITY.into()),
                    entity_id: Some(key),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_default(),
        );
    }
    history.sort_by_key(|e| std::cmp::Reverse(e.id));
    history.dedup_by_key(|e| e.id);
    let page = DetailPage {
        template: "data_entry.html",
        title: format!("{} — kỳ {period}", ds.name),
        back: BASE,
        back_label: "Danh sách số liệu",
        rows: vec![
            ("Bộ chỉ tiêu", ds.name.clone()),
            ("Đơn vị", names.get(&unit).cloned().unwrap_or_default()),
            ("Kỳ", period.clone()),
        ],
        tables: vec![Table {
            id: "values",
            title: "Giá trị đã nhập".into(),
            columns: vec!["Chỉ tiêu", "Phân tổ", "Giá trị", "Đơn vị tính"],
            rows,
        }],
        history: records::history_rows(history),
        actions: records::Actions::default(),
    };
    let extra = context! {
        may_write => ctx.user.role.may_write(ENTITY),
        edit => format!("{BASE}/moi?bo={set}&don_vi={unit}&ky={period}"),
    };
    records::render_detail(&app, &ctx, page, extra, StatusCode::OK)
}
