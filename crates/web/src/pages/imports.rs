//! Nhập tệp: upload a CSV or spreadsheet of one record type; the import
//! runs in the background and its page shows the rows checked, then the
//! summary or every rejected row with its line and reason. A job is seen
//! only by the user who started it.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Serialize;

use super::ser;
use crate::auth::Ctx;
use crate::import_run;
use crate::state::AppState;
use danvan_core::access::Entity;
use danvan_core::records::kind::RecordKind;

/// The largest file accepted (a one-stop export of a province is large).
pub const MAX_UPLOAD: usize = 256 << 20;

#[derive(Serialize)]
struct KindOption {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct JobRow {
    id: u64,
    kind: &'static str,
    file_name: String,
    state: &'static str,
}

fn kind_label(code: &str) -> &'static str {
    RecordKind::from_import(code).map_or("", RecordKind::title)
}

fn show_form(
    app: &AppState,
    ctx: &Ctx,
    chosen: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let kinds: Vec<KindOption> = RecordKind::importable()
        .filter_map(|k| {
            k.def().import.map(|code| KindOption {
                code,
                label: k.title(),
            })
        })
        .collect();
    let jobs: Vec<JobRow> = app
        .jobs
        .of_user(ctx.user.id)
        .into_iter()
        .map(|j| JobRow {
            id: j.id,
            kind: kind_label(&j.kind),
            file_name: j.file_name,
            state: match (j.finished, j.summary.is_some()) {
                (false, _) => "đang chạy",
                (true, true) => "xong",
                (true, false) => "bị từ chối, không ghi gì",
            },
        })
        .collect();
    super::render_as(
        status,
        app,
        ctx,
        "import.html",
        context! {
            kinds => ser(&kinds),
            chosen => chosen,
            error => error,
            jobs => ser(&jobs),
            max_mb => MAX_UPLOAD >> 20,
        },
    )
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    show_form(&app, &ctx, "", None, StatusCode::OK)
}

/// The upload: its record type and file.
#[derive(Default)]
struct Upload {
    kind: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut mp: Multipart) -> Result<Upload, String> {
    let mut u = Upload::default();
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        format!("không đọc được tệp tải lên: {}", e.body_text())
    };
    while let Some(field) = mp.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("loai") => u.kind = field.text().await.map_err(unreadable)?,
            Some("tep") => {
                u.file_name = field.file_name().unwrap_or("").to_string();
                u.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(u)
}

pub async fn start(State(app): State<AppState>, ctx: Ctx, mp: Multipart) -> Response {
    // A role that may import nothing is refused before the body is read.
    let role = ctx.user.role;
    if !RecordKind::importable().any(|k| role.may(Entity::Record(k))) {
        let msg = format!("vai trò «{}» không được nhập dữ liệu", role.label());
        return show_form(&app, &ctx, "", Some(msg), StatusCode::FORBIDDEN);
    }
    let u = match read_upload(mp).await {
        Ok(u) => u,
        Err(msg) => return show_form(&app, &ctx, "", Some(msg), StatusCode::BAD_REQUEST),
    };
    let refuse = |msg: String| {
        show_form(
            &app,
            &ctx,
            &u.kind,
            Some(msg),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(kind) = RecordKind::from_import(&u.kind) else {
        return refuse("chưa chọn loại dữ liệu của tệp".into());
    };
    if !role.may(Entity::Record(kind)) {
        let msg = format!(
            "vai trò «{}» không được nhập dữ liệu loại «{}»",
            role.label(),
            kind.title()
        );
        return show_form(&app, &ctx, &u.kind, Some(msg), StatusCode::FORBIDDEN);
    }
    if u.bytes.is_empty() {
        return refuse("chưa chọn tệp, hoặc tệp rỗng".into());
    }
    let file_name = if u.file_name.is_empty() {
        "tệp tải lên".to_string()
    } else {
        u.file_name.clone()
    };
    // Read off the async threads: a large spreadsheet takes seconds.
    let name = file_name.clone();
    let converted = tokio::task::spawn_blocking(move || {
        danvan_input::to_csv(&name, u.bytes, &danvan_input::Limits::default())
    })
    .await;
    let csv = match converted {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return refuse(e.message),
        Err(_) => return refuse(format!("không đọc được tệp {file_name}")),
    };
    let id = app.jobs.start(
        ctx.user.id,
        kind.def().import.unwrap_or(kind.code()),
        &file_name,
    );
    let lines = csv.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    app.jobs
        .update(id, |j| j.rows_total = lines.saturating_sub(1) as u64);
    import_run::spawn(
        app.jobs.clone(),
        id,
        ctx.store.clone(),
        kind,
        file_name,
        csv,
    );
    Redirect::to(&format!("/nhap-tep/{id}")).into_response()
}

pub async fn job(State(app): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let job = id
        .parse::<u64>()
        .ok()
        .and_then(|id| app.jobs.get(id))
        .filter(|j| j.user_id == ctx.user.id);
    let Some(job) = job else {
        return super::not_found(&app, Some(&ctx));
    };
    super::render(
        &app,
        Some(&ctx),
        "import_job.html",
        context! {
            job => ser(&job),
            kind => kind_label(&job.kind),
        },
    )
}
