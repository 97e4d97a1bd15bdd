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
use danvan_store::import_jobs::{self, JobState};

/// The largest file accepted (a one-stop export of a province is large).
pub const MAX_UPLOAD: usize = 256 << 20;

#[derive(Serialize)]
struct KindOption {
    code: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct JobRow {
    id: i64,
    kind: &'static str,
    file_name: String,
    state: &'static str,
}

fn kind_label(code: &str) -> &'static str {
    RecordKind::from_import(code).map_or("", RecordKind::title)
}

/// The latest imports listed under the form.
const SHOWN_JOBS: i64 = 20;

async fn show_form(
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
    let jobs = match import_jobs::of_user(&ctx.store, SHOWN_JOBS).await {
        Ok(j) => j,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let jobs: Vec<JobRow> = jobs
        .into_iter()
        .map(|j| JobRow {
            id: j.id,
            kind: kind_label(&j.kind),
            file_name: j.file_name,
            state: match j.state {
                JobState::Running => "đang chạy",
                JobState::Done => "xong",
                JobState::Rejected => "bị từ chối, không ghi gì",
                JobState::Interrupted => "bị gián đoạn",
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
    show_form(&app, &ctx, "", None, StatusCode::OK).await
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
        return show_form(&app, &ctx, "", Some(msg), StatusCode::FORBIDDEN).await;
    }
    let u = match read_upload(mp).await {
        Ok(u) => u,
        Err(msg) => return show_form(&app, &ctx, "", Some(msg), StatusCode::BAD_REQUEST).await,
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
        return refuse("chưa chọn loại dữ liệu của tệp".into()).await;
    };
    if !role.may(Entity::Record(kind)) {
        let msg = format!(
            "vai trò «{}» không được nhập dữ liệu loại «{}»",
            role.label(),
            kind.title()
        );
        return show_form(&app, &ctx, &u.kind, Some(msg), StatusCode::FORBIDDEN).await;
    }
    if u.bytes.is_empty() {
        return refuse("chưa chọn tệp, hoặc tệp rỗng".into()).await;
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
        Ok(Err(e)) => return refuse(e.message).await,
        Err(_) => return refuse(format!("không đọc được tệp {file_name}")).await,
    };
    let lines = csv.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
    let import_name = kind.def().import.unwrap_or(kind.code());
    let total = lines.saturating_sub(1) as u64;
    let id = match import_jobs::start(&ctx.store, import_name, &file_name, total).await {
        Ok(id) => id,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    import_run::spawn(id, ctx.store.clone(), kind, file_name, csv);
    Redirect::to(&format!("/nhap-tep/{id}")).into_response()
}

pub async fn job(State(app): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let job = match id.parse::<i64>() {
        Ok(id) => match import_jobs::get(&ctx.store, id).await {
            Ok(j) => j,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        },
        Err(_) => None,
    };
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
