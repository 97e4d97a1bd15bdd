//! Server-rendered pages: minijinja templates compiled into the binary,
//! one module per area. Every page extends `base.html` (navigation, the
//! signed-in user, the print style).

pub mod audit;
pub mod catalogue_entries;
pub mod chain;
pub mod check;
pub mod dashboard;
pub mod data_values;
pub mod definitions;
pub mod disclosure;
pub mod imports;
pub mod issuers;
pub mod login;
pub mod meetings;
pub mod models;
pub mod notices;
pub mod open311_keys;
pub mod password;
pub mod period_picker;
pub mod personal_data;
pub mod petition_answer;
pub mod petition_assign;
pub mod petition_edit;
pub mod petitions;
pub mod record_index;
pub mod records;
pub mod reports;
pub mod scoring;
pub mod scoring_unit;
pub mod units;
pub mod users;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use danvan_core::number;
use danvan_store::StoreError;
use minijinja::{Environment, Value, context};

use crate::auth::Ctx;
use crate::state::AppState;

macro_rules! templates {
    ($env:ident, $($name:literal),+ $(,)?) => {
        $($env
            .add_template($name, include_str!(concat!("../../templates/", $name)))
            .expect(concat!("template ", $name, " is checked by the tests"));)+
    };
}

/// The page templates, checked when the server starts (and by a test).
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.add_filter("so", |n: i64| number::int(n));
    env.add_filter("ngay", |s: String| vn_date(&s));
    templates!(
        env,
        "base.html",
        "macros.html",
        "error.html",
        "login.html",
        "dashboard.html",
        "units.html",
        "petitions.html",
        "petition.html",
        "petition_new.html",
        "audit.html",
        "users.html",
        "password.html",
        "notices.html",
        "issuers.html",
        "disclosure.html",
        "disclosure_overview.html",
        "public_disclosure.html",
        "guide.html",
        "report.html",
        "records.html",
        "record_list.html",
        "record_new.html",
        "record.html",
        "meeting.html",
        "model.html",
        "data_new.html",
        "data_entry.html",
        "import.html",
        "import_job.html",
        "period_picker.html",
        "chain_requests.html",
        "chain_request.html",
        "chain_submission.html",
        "check.html",
        "check_result.html",
        "petition_portal.html",
        "personal_data.html",
        "open311_keys.html",
        "catalogue_entries.html",
        "catalogue_entry.html",
        "public_base.html",
        "public_home.html",
        "public_units.html",
        "public_send.html",
        "public_track.html",
        "public_rate.html",
        "public_consultation.html",
        "public_consultations.html",
        "consultation.html",
        "public_lookup.html",
        "public_qa.html",
        "public_message.html",
        "scoring_rounds.html",
        "scoring_round.html",
        "scoring_unit.html",
    );
    env
}

/// `2020-01-05` → `05/01/2020`; anything else unchanged.
pub fn vn_date(s: &str) -> String {
    let head = s.get(..10).unwrap_or(s);
    // The usual ISO form ("2025-06-01") directly, without a format to
    // interpret: a dashboard writes a hundred dates per view.
    let b = head.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let (y, m, d) = (&head[..4], &head[5..7], &head[8..]);
        let valid = match (y.parse(), m.parse(), d.parse()) {
            (Ok(y), Ok(m), Ok(d)) => chrono::NaiveDate::from_ymd_opt(y, m, d).is_some(),
            _ => false,
        };
        if valid {
            return format!("{d}/{m}/{y}");
        }
    }
    match danvan_core::period::parse_date(head) {
        Some(d) => d.format("%d/%m/%Y").to_string(),
        None => s.to_string(),
    }
}

/// Render `name` with the signed-in user and CSRF token in the context.
/// Hướng dẫn: how to record, report and check, in a page.
pub async fn guide(
    axum::extract::State(app): axum::extract::State<AppState>,
    ctx: Ctx,
) -> Response {
    render(&app, Some(&ctx), "guide.html", context! {})
}

/// A signed-in user's page with its status (a form sent back with what
/// was wrong in it answers 422, not 200).
pub fn render_as(
    status: StatusCode,
    app: &AppState,
    ctx: &Ctx,
    name: &str,
    vars: Value,
) -> Response {
    let mut page = render(app, Some(ctx), name, vars);
    // A page that failed to render keeps its 500.
    if page.status().is_success() {
        *page.status_mut() = status;
    }
    page
}

pub fn render(app: &AppState, ctx: Option<&Ctx>, name: &str, vars: Value) -> Response {
    let user = ctx.map(|c| {
        context! {
            full_name => c.user.full_name.clone(),
            username => c.user.username.clone(),
            role => c.user.role.label(),
            admin => c.may_manage_accounts(),
            unit => c.store.scope().map_or("Cả nước".to_string(), |s| s.root_name.clone()),
        }
    });
    let csrf = ctx.map(|c| c.csrf.clone()).unwrap_or_default();
    let all = context! { user => user, csrf => csrf, ..vars };
    match app.pages.get_template(name).and_then(|t| t.render(all)) {
        Ok(html) => Html(html).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            plain_error(&format!("Lỗi hiển thị trang {name}: {e:#}")),
        )
            .into_response(),
    }
}

/// A minimal page for errors that happen before a template can run.
pub fn plain_error(msg: &str) -> Response {
    Html(format!(
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Lỗi</title><p>{}</p><p><a href=\"/\">Về trang chủ</a></p></html>",
        escape(msg)
    ))
    .into_response()
}

/// Any serializable value for a template context.
pub fn ser<T: serde::Serialize>(v: &T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A store error as a page: not found → 404, forbidden → 403.
pub fn error_page(app: &AppState, ctx: Option<&Ctx>, e: &StoreError) -> Response {
    let status = match e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        StoreError::Invalid(_) | StoreError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
        StoreError::Stale(_) | StoreError::Locked(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let title = match status {
        StatusCode::NOT_FOUND => "Không tìm thấy",
        StatusCode::FORBIDDEN => "Không có quyền",
        _ => "Lỗi",
    };
    let message = match status {
        StatusCode::INTERNAL_SERVER_ERROR => hidden_failure(e),
        _ => e.to_string(),
    };
    (
        status,
        render(
            app,
            ctx,
            "error.html",
            context! { title => title, message => message },
        ),
    )
        .into_response()
}

/// What a user reads of a failure of the server itself: the database's own
/// words (table names, SQL) are for the server's log, not for users.
pub fn hidden_failure(e: &StoreError) -> String {
    eprintln!("lỗi máy chủ: {e}");
    "Lỗi máy chủ khi đọc hoặc ghi dữ liệu; không có gì bị ghi dở. Hãy thử lại, hoặc báo quản trị viên.".into()
}

pub fn not_found(app: &AppState, ctx: Option<&Ctx>) -> Response {
    error_page(app, ctx, &StoreError::NotFound("trang này".into()))
}

#[cfg(test)]
mod tests {
    use super::vn_date;

    #[test]
    fn dates_read_the_vietnamese_way() {
        assert_eq!(vn_date("2025-06-01"), "01/06/2025");
        assert_eq!(vn_date("2025-06-01T08:30:00"), "01/06/2025");
        assert_eq!(vn_date("2024-02-29"), "29/02/2024");
        // Not a date: left as it is.
        assert_eq!(vn_date("2025-02-30"), "2025-02-30");
        assert_eq!(vn_date("không rõ"), "không rõ");
    }
}
