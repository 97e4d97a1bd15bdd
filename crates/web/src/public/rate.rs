//! Đánh giá mức độ hài lòng: a citizen rates a one-stop dossier (its code
//! and the day it was received, both on the receipt; a QR code on the
//! receipt opens this page with the code filled in) or a petition sent
//! online (its tracking code), once, without giving a name.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_core::records::rating::{RatedService, Satisfaction};
use danvan_store::StoreError;
use danvan_store::portal::{self, Rated};
use minijinja::context;

use super::guard::unix_now;
use super::{error_page, render, store};
use crate::state::AppState;

/// The honeypot of this form, as on the sending form.
const HONEYPOT: &str = "trang_web";

fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<minijinja::Value> {
    all.iter()
        .map(|&v| context! { code => code(v), label => label(v) })
        .collect()
}

fn page(
    app: &AppState,
    status: StatusCode,
    v: &HashMap<String, String>,
    error: Option<(String, String)>,
    done: bool,
) -> Response {
    let (error_field, error) = error.unzip();
    render(
        app,
        status,
        "public_rate.html",
        context! {
            v => v,
            levels => options(Satisfaction::ALL, Satisfaction::code, Satisfaction::label),
            stamp => app.portal.stamp(unix_now()),
            error => error,
            error_field => error_field,
            done => done,
        },
    )
}

/// `GET /cong-dan/danh-gia?ma=&dich_vu=`: the rating form, the code
/// filled in when a receipt's QR code led here.
pub async fn form(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut v: HashMap<String, String> = q
        .into_iter()
        .filter(|(k, _)| k == "ma" || k == "dich_vu")
        .collect();
    v.entry("dich_vu".into())
        .or_insert_with(|| RatedService::Dossier.code().into());
    page(&app, StatusCode::OK, &v, None, false)
}

/// `POST /cong-dan/danh-gia`: keep the rating, or say what is wrong.
pub async fn submit(
    State(app): State<AppState>,
    Form(v): Form<HashMap<String, String>>,
) -> Response {
    let get = |k: &str| v.get(k).map_or("", String::as_str);
    let refuse = |field: &str, msg: String| {
        page(
            &app,
            StatusCode::UNPROCESSABLE_ENTITY,
            &v,
            Some((field.to_string(), msg)),
            false,
        )
    };
    if !get(HONEYPOT).is_empty() {
        return refuse("", "Biểu mẫu không hợp lệ.".into());
    }
    if let Err(why) = app.portal.check_stamp(get("_t"), unix_now()) {
        return refuse("", why.into());
    }
    let level = match Satisfaction::parse(get("muc_do")) {
        Ok(l) => l,
        Err(_) => return refuse("muc_do", "hãy chọn mức độ hài lòng".into()),
    };
    let what = match get("dich_vu") {
        "petition" => Rated::Petition {
            code: get("ma").to_string(),
        },
        _ => {
            let typed = get("ngay_nhan").trim();
            let Some(received_on) = danvan_core::records::dossier::columns::parse_date(typed)
            else {
                return refuse(
                    "ngay_nhan",
                    if typed.is_empty() {
                        "hãy ghi ngày tiếp nhận hồ sơ (có trên giấy tiếp nhận)".into()
                    } else {
                        format!(
                            "ngày tiếp nhận «{typed}» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/09/2025"
                        )
                    },
                );
            };
            Rated::Dossier {
                code: get("ma").to_string(),
                received_on,
            }
        }
    };
    if get("y_kien").chars().count() > danvan_core::records::rating::COMMENT_MAX {
        return refuse(
            "y_kien",
            format!(
                "ý kiến dài quá {} ký tự",
                danvan_core::records::rating::COMMENT_MAX
            ),
        );
    }
    match portal::rate(&store(&app), &what, level, get("y_kien")).await {
        Ok(_) => page(&app, StatusCode::OK, &HashMap::new(), None, true),
        Err(StoreError::Invalid(d)) => {
            let field = match &d.at {
                danvan_core::Where::Field { field } if field == "subject" => "ma".to_string(),
                danvan_core::Where::Field { field } => field.clone(),
                _ => String::new(),
            };
            refuse(&field, d.message)
        }
        Err(e @ StoreError::NotFound(_)) => refuse(
            "ma",
            e.to_string().replace("không tìm thấy", "Không tìm thấy"),
        ),
        Err(e) => error_page(&app, &e),
    }
}
