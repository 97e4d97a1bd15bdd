//! Chỉ tiêu và bộ chỉ tiêu: the definitions behind aggregate data entry
//! (like DHIS2's data elements and data sets). Shared by the whole country,
//! so only a national administrator defines them; the store refuses anyone
//! else, and everybody may read them.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, ElementOption, PeriodType, ValueType,
};
use danvan_store::datasets;

use super::records::{self, FormPage, ListPage, ListQuery, ListRow, field, refused};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{Field, Kind, Submitted};
use crate::state::AppState;

const ELEMENTS: &str = "/ghi-nhan/chi-tieu";
const SETS: &str = "/ghi-nhan/bo-chi-tieu";

pub async fn elements(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Response {
    let got = match datasets::elements(&ctx.store).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let rows = got
        .into_iter()
        .map(|e| ListRow {
            url: format!("{ELEMENTS}/moi?ma={}", e.code),
            cells: vec![
                e.code,
                e.label,
                e.measure,
                e.value_type.label().to_string(),
                e.aggregation.label().to_string(),
                e.options
                    .iter()
                    .map(|o| o.label.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ],
        })
        .collect();
    let page = ListPage {
        title: "Chỉ tiêu số liệu",
        base: ELEMENTS,
        entity: "data_element",
        columns: &[
            "Mã",
            "Tên chỉ tiêu",
            "Đơn vị tính",
            "Kiểu giá trị",
            "Cách tổng hợp",
            "Phân tổ",
        ],
        rows,
        note: Some(
            "Chỉ tiêu dùng chung cho cả nước; chỉ quản trị viên toàn quốc được định nghĩa. \
             Bấm vào một chỉ tiêu để sửa tên, đơn vị tính hoặc thêm phân tổ."
                .into(),
        ),
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

fn element_fields() -> Vec<Field> {
    vec![
        Field::new("code", "Mã chỉ tiêu", Kind::Text)
            .required()
            .help("Chữ thường không dấu, chữ số và «_», ví dụ so_cuoc_thanh_tra."),
        Field::new("label", "Tên chỉ tiêu", Kind::Text).required(),
        Field::new("measure", "Đơn vị tính", Kind::Text).help("Ví dụ: cuộc, người, triệu đồng."),
        Field::new("value_type", "Kiểu giá trị", choices!(ValueType)).required(),
        Field::new("scale", "Số chữ số thập phân", Kind::Int)
            .help("Chỉ với số thập phân; số nguyên để 0."),
        Field::new("aggregation", "Cách tổng hợp", choices!(Aggregation)).required(),
        Field::new("options", "Phân tổ", Kind::Area).help(
            "Mỗi dòng một phân tổ, dạng mã = tên, ví dụ: nam = Nam. Để trống nếu không phân tổ.",
        ),
    ]
}

fn element_page(fields: &[Field]) -> FormPage<'_> {
    FormPage {
        title: "Định nghĩa chỉ tiêu số liệu".into(),
        action: ELEMENTS.into(),
        submit: "Lưu chỉ tiêu",
        back: ELEMENTS.into(),
        sections: vec![("", fields)],
        note: None,
    }
}

#[derive(serde::Deserialize)]
pub struct Existing {
    ma: Option<String>,
}

/// The element form: empty, or filled with an element to redefine.
pub async fn element_form(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Existing>,
) -> Response {
    let fields = element_fields();
    let mut s = Submitted::new(HashMap::new());
    s.values.insert("scale".into(), "0".into());
    if let Some(code) = q.ma.as_deref() {
        let all = match datasets::elements(&ctx.store).await {
            Ok(a) => a,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
        if let Some(e) = all.into_iter().find(|e| e.code == code) {
            for (k, v) in [
                ("code", e.code),
                ("label", e.label),
                ("measure", e.measure),
                ("value_type", e.value_type.code().to_string()),
                ("scale", e.scale.to_string()),
                ("aggregation", e.aggregation.code().to_string()),
                (
                    "options",
                    e.options
                        .iter()
                        .map(|o| format!("{} = {}", o.code, o.label))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            ] {
                s.values.insert(k.into(), v);
            }
        }
    }
    records::render_form(&app, &ctx, &element_page(&fields), &s, StatusCode::OK)
}

/// The options typed one per line as `code = label`.
fn parse_options(s: &mut Submitted, f: &Field) -> Vec<ElementOption> {
    let text = s.text(f);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once('=') {
            Some((c, l)) if !c.trim().is_empty() && !l.trim().is_empty() => {
                out.push(ElementOption {
                    code: c.trim().to_string(),
                    label: l.trim().to_string(),
                })
            }
            _ => s.error(
                f.name,
                format!(
                    "dòng {} của phân tổ («{line}») phải có dạng mã = tên",
                    i + 1
                ),
            ),
        }
    }
    out
}

fn parse_element(fields: &[Field], s: &mut Submitted) -> Option<DataElement> {
    let f = |n| field(fields, n);
    let code = s.text(f("code"));
    let label = s.text(f("label"));
    let measure = s.text(f("measure"));
    let value_type = s.choice(f("value_type"), ValueType::parse);
    let scale = s.int(f("scale"));
    let aggregation = s.choice(f("aggregation"), Aggregation::parse);
    let options = parse_options(s, f("options"));
    let scale = match scale {
        Some(n) if n < 0 => {
            s.error("scale", "số chữ số thập phân không được âm");
            None
        }
        other => other,
    };
    if !s.ok() {
        return None;
    }
    Some(DataElement {
        code,
        label,
        measure,
        value_type: value_type?,
        scale: scale.unwrap_or(0) as u32,
        aggregation: aggregation?,
        options,
    })
}

pub async fn create_element(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = element_fields();
    let page = element_page(&fields);
    let mut s = Submitted::new(values);
    let Some(e) = parse_element(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match datasets::define_element(&ctx.store, &e).await {
        Ok(_) => Redirect::to(ELEMENTS).into_response(),
        Err(err) => {
            s.store_error(&err);
            records::render_form(&app, &ctx, &page, &s, refused(&err))
        }
    }
}

pub async fn sets(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let got = match datasets::sets(&ctx.store).await {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let rows = got
        .into_iter()
        .map(|set| ListRow {
            url: format!("/ghi-nhan/so-lieu?bo={}", set.code),
            cells: vec![
                set.code,
                set.name,
                set.period_type.label().to_string(),
                set.elements.join(", "),
            ],
        })
        .collect();
    let page = ListPage {
        title: "Bộ chỉ tiêu số liệu",
        base: SETS,
        entity: "data_set",
        columns: &["Mã", "Tên bộ chỉ tiêu", "Loại kỳ", "Các chỉ tiêu"],
        rows,
        note: Some(
            "Bộ chỉ tiêu gom các chỉ tiêu nhập cùng nhau theo một loại kỳ; \
             bấm vào một bộ để xem số liệu đã nhập."
                .into(),
        ),
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

fn set_fields() -> Vec<Field> {
    vec![
        Field::new("code", "Mã bộ chỉ tiêu", Kind::Text)
            .required()
            .help("Chữ thường không dấu, chữ số và «_»; nhập lại mã đã có để định nghĩa lại bộ."),
        Field::new("name", "Tên bộ chỉ tiêu", Kind::Text).required(),
        Field::new("period_type", "Loại kỳ", choices!(PeriodType)).required(),
        Field::new("elements", "Các chỉ tiêu", Kind::Area)
            .required()
            .help("Mã các chỉ tiêu đã định nghĩa, theo thứ tự nhập, cách nhau bởi dấu phẩy hoặc xuống dòng."),
    ]
}

fn set_page(fields: &[Field]) -> FormPage<'_> {
    FormPage {
        title: "Định nghĩa bộ chỉ tiêu số liệu".into(),
        action: SETS.into(),
        submit: "Lưu bộ chỉ tiêu",
        back: SETS.into(),
        sections: vec![("", fields)],
        note: None,
    }
}

pub async fn set_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = set_fields();
    let s = Submitted::new(HashMap::new());
    records::render_form(&app, &ctx, &set_page(&fields), &s, StatusCode::OK)
}

pub async fn create_set(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = set_fields();
    let page = set_page(&fields);
    let mut s = Submitted::new(values);
    let f = |n| field(&fields, n);
    let code = s.text(f("code"));
    let name = s.text(f("name"));
    let period_type = s.choice(f("period_type"), PeriodType::parse);
    let elements: Vec<String> = s
        .text(f("elements"))
        .split([',', '\n', ';'])
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    let (true, Some(period_type)) = (s.ok(), period_type) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let set = DataSet {
        code,
        name,
        period_type,
        elements,
    };
    match datasets::define_set(&ctx.store, &set).await {
        Ok(_) => Redirect::to(SETS).into_response(),
        Err(err) => {
            s.store_error(&err);
            records::render_form(&app, &ctx, &page, &s, refused(&err))
        }
    }
}
