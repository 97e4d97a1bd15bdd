//! Kiểm tra số liệu: upload a finished report (.docx, .txt, .md) and see
//! its text with every finding marked at its sentence, the Vietnamese
//! explanation of each, and the findings as JSON to download. Uploads are
//! bounded: the file's size, and the XML a DOCX expands to (a zip bomb is
//! refused); a refusal is a Vietnamese message, never a dropped server.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_check::{CheckReport, Finding, Severity};
use minijinja::context;
use serde::Serialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

/// The largest file accepted.
pub const MAX_UPLOAD: usize = 20 << 20;

/// The request body limit: the file, the form's fields and some slack;
/// past it the upload is cut off and refused.
pub const MAX_BODY: usize = MAX_UPLOAD + (64 << 10);

/// The most XML a DOCX may expand to.
pub const MAX_EXPANDED: u64 = 64 << 20;

#[derive(Serialize)]
struct Kept {
    id: u64,
    file_name: String,
    errors: usize,
    warnings: usize,
}

fn show_form(app: &AppState, ctx: &Ctx, error: Option<String>, status: StatusCode) -> Response {
    let kept: Vec<Kept> = app
        .checks
        .of_user(ctx.user.id)
        .iter()
        .map(|c| Kept {
            id: c.id,
            file_name: c.file_name.clone(),
            errors: c.report.count(Severity::Error),
            warnings: c.report.count(Severity::Warning),
        })
        .collect();
    super::render_as(
        status,
        app,
        ctx,
        "check.html",
        context! {
            error => error,
            kept => ser(&kept),
            max_mb => MAX_UPLOAD >> 20,
        },
    )
}

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    show_form(&app, &ctx, None, StatusCode::OK)
}

/// Why an upload could not be read.
enum Refused {
    TooLarge,
    Unreadable(String),
}

/// Reads the file of the form, counting its bytes as they come.
async fn read_file(mut mp: Multipart) -> Result<(String, Vec<u8>), Refused> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refused::TooLarge
        } else {
            Refused::Unreadable(format!("không đọc được tệp tải lên ({})", e.body_text()))
        }
    };
    let mut name = String::new();
    let mut bytes = Vec::new();
    while let Some(mut field) = mp.next_field().await.map_err(unreadable)? {
        if field.name() != Some("tep") {
            continue;
        }
        name = field.file_name().unwrap_or("").to_string();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > MAX_UPLOAD {
                return Err(Refused::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((name, bytes))
}

pub async fn submit(
    State(app): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    mp: Multipart,
) -> Response {
    let refuse = |msg: String, status: StatusCode| show_form(&app, &ctx, Some(msg), status);
    let too_large = || {
        refuse(
            format!(
                "Tệp quá lớn: chỉ kiểm tra được tệp tối đa {} MB.",
                MAX_UPLOAD >> 20
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
        )
    };
    // A declared length past the limit is refused before any byte is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return too_large();
    }
    let (name, bytes) = match read_file(mp).await {
        Ok(f) => f,
        Err(Refused::TooLarge) => return too_large(),
        Err(Refused::Unreadable(msg)) => return refuse(msg, StatusCode::BAD_REQUEST),
    };
    if bytes.is_empty() {
        return refuse(
            "Chưa chọn tệp, hoặc tệp rỗng.".into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let file_name = if name.is_empty() {
        "tệp tải lên".to_string()
    } else {
        name
    };
    // A large DOCX takes a while to read and check: off the async threads.
    let n = file_name.clone();
    let checked =
        tokio::task::spawn_blocking(move || danvan_check::check_bytes(&n, &bytes, MAX_EXPANDED))
            .await;
    let c = match checked {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return refuse(e.to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        Err(_) => {
            return refuse(
                format!("Không đọc được tệp {file_name}."),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let id = app.checks.keep(ctx.user.id, &file_name, c.text, c.report);
    Redirect::to(&format!("/kiem-tra/{id}")).into_response()
}

/// A piece of the text: plain, or a sentence with findings.
#[derive(Serialize)]
struct Piece {
    text: String,
    /// "loi", "canh-bao" (the worst finding) or "" for plain text.
    class: &'static str,
    /// Numbers of the findings at this sentence.
    findings: Vec<usize>,
}

#[derive(Serialize)]
struct Row {
    n: usize,
    severity: &'static str,
    class: &'static str,
    kind: &'static str,
    line: usize,
    stated: String,
    computed: String,
    explanation: String,
}

fn class_of(s: Severity) -> &'static str {
    match s {
        Severity::Error => "loi",
        Severity::Warning => "canh-bao",
        Severity::Ok => "",
    }
}

/// The text cut at the sentences of the findings.
fn pieces(text: &str, findings: &[Finding]) -> Vec<Piece> {
    // Sentences with findings, in text order, each once.
    let mut marks: Vec<(usize, usize, Severity, Vec<usize>)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let (s, e) = (f.sentence.start, f.sentence.end);
        if e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) || s >= e {
            continue;
        }
        match marks.iter_mut().find(|m| m.0 == s && m.1 == e) {
            Some(m) => {
                m.2 = m.2.min(f.severity);
                m.3.push(i + 1);
            }
            None => marks.push((s, e, f.severity, vec![i + 1])),
        }
    }
    marks.sort_by_key(|m| m.0);
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, severity, ns) in marks {
        if s < at {
            continue; // overlapping sentence: its findings are listed anyway
        }
        if s > at {
            out.push(Piece {
                text: text[at..s].to_string(),
                class: "",
                findings: vec![],
            });
        }
        out.push(Piece {
            text: text[s..e].to_string(),
            class: class_of(severity),
            findings: ns,
        });
        at = e;
    }
    if at < text.len() {
        out.push(Piece {
            text: text[at..].to_string(),
            class: "",
            findings: vec![],
        });
    }
    out
}

fn rows(report: &CheckReport) -> Vec<Row> {
    report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| Row {
            n: i + 1,
            severity: f.severity.label(),
            class: class_of(f.severity),
            kind: f.kind.label(),
            line: f.line,
            stated: f.stated.clone(),
            computed: f.computed.clone(),
            explanation: f.explanation.clone(),
        })
        .collect()
}

pub async fn result(State(app): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let Some(c) = id
        .parse::<u64>()
        .ok()
        .and_then(|id| app.checks.get(id, ctx.user.id))
    else {
        return super::not_found(&app, Some(&ctx));
    };
    let r = &c.report;
    super::render(
        &app,
        Some(&ctx),
        "check_result.html",
        context! {
            id => c.id,
            file_name => c.file_name.clone(),
            checked => r.checked(),
            errors => r.count(Severity::Error),
            warnings => r.count(Severity::Warning),
            consistent => r.consistent.len(),
            pieces => ser(&pieces(&c.text, &r.findings)),
            rows => ser(&rows(r)),
        },
    )
}

/// The findings as JSON, every relation checked included.
pub async fn json(State(app): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let Some(c) = id
        .parse::<u64>()
        .ok()
        .and_then(|id| app.checks.get(id, ctx.user.id))
    else {
        return super::not_found(&app, Some(&ctx));
    };
    let mut v = c.report.to_json(true);
    v["file"] = serde_json::Value::String(c.file_name.clone());
    let body = serde_json::to_vec_pretty(&v).unwrap_or_default();
    let disposition = format!("attachment; filename=\"kiem-tra-{}.json\"", c.id);
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_cut_at_the_sentences_of_findings() {
        let c = danvan_check::check_bytes(
            "a.txt",
            "Mở đầu.\n\nHòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%). Hết.".as_bytes(),
            1 << 20,
        )
        .unwrap();
        let p = pieces(&c.text, &c.report.findings);
        let marked: Vec<&Piece> = p.iter().filter(|x| !x.class.is_empty()).collect();
        assert_eq!(marked.len(), 1);
        assert_eq!(
            marked[0].text,
            "Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 85,9%)."
        );
        assert_eq!(marked[0].class, "loi");
        let all: String = p.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(all, c.text);
    }
}
