//! The sending form of a unit and what it posts: a multipart form read
//! within limits (files counted as they stream, refused past their size),
//! the honeypot and the stamp checked, then the store records it.

use std::collections::HashMap;

use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::portal::{MAX_FILE_BYTES, MAX_FILES, PortalKind};
use danvan_core::records::petition::{PetitionField, Sender};
use danvan_store::portal::{self, Submission, Upload};
use danvan_store::{StoreError, units};
use minijinja::{Value, context};
use serde::Deserialize;

use super::guard::unix_now;
use super::{dmy, error_page, render, store};
use crate::state::AppState;

/// The most a form may weigh: three files at their limit and the text.
pub const MAX_BODY: usize = MAX_FILES * MAX_FILE_BYTES + 256 * 1024;

/// The honeypot: a field hidden from people, which only a robot fills.
const HONEYPOT: &str = "trang_web";

/// A form as posted: its text fields and its files.
#[derive(Default)]
pub(super) struct Posted {
    pub text: HashMap<String, String>,
    pub files: Vec<Upload>,
}

impl Posted {
    pub fn get(&self, k: &str) -> &str {
        self.text.get(k).map_or("", String::as_str)
    }
}

/// Why a posted form could not be read: its status and Vietnamese words.
pub(super) struct Refusal(pub StatusCode, pub String);

fn too_large() -> Refusal {
    Refusal(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "Tệp gửi kèm quá lớn: mỗi tệp tối đa {} MB, tối đa {MAX_FILES} tệp. \
             Hãy chụp ảnh với độ phân giải thấp hơn hoặc gửi bớt tệp. Nội dung chưa được ghi nhận.",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
}

fn unreadable(e: &MultipartError) -> Refusal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Refusal(
            StatusCode::BAD_REQUEST,
            "Không đọc được biểu mẫu đã gửi. Hãy mở lại trang và gửi lại.".into(),
        )
    }
}

async fn read_file(mut field: Field<'_>) -> Result<Vec<u8>, Refusal> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(&e))? {
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Read a posted multipart form: text fields (64 KB each at most) and
/// files (`tep`; a file input left empty sends a nameless empty part,
/// which is skipped). More than [`MAX_FILES`] files is refused by the store.
pub(super) async fn read(mut m: Multipart) -> Result<Posted, Refusal> {
    let mut out = Posted::default();
    while let Some(field) = m.next_field().await.map_err(|e| unreadable(&e))? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "tep" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let bytes = read_file(field).await?;
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if out.files.len() > MAX_FILES {
                continue;
            }
            out.files.push(Upload {
                name: if file_name.is_empty() {
                    "tệp".into()
                } else {
                    file_name
                },
                bytes,
            });
        } else {
            let text = field.text().await.map_err(|e| unreadable(&e))?;
            if text.len() > 64 * 1024 {
                return Err(Refusal(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "Nội dung quá dài. Hãy viết ngắn hơn.".into(),
                ));
            }
            out.text.insert(name, text);
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
pub struct FromUnit {
    /// The unit the citizen chose before it was merged.
    tu: Option<i64>,
}

/// The unit `id`, if it receives today; a merged one redirects.
enum Receiver {
    Open(danvan_store::units::Unit),
    Moved(i64),
}

async fn receiver(app: &AppState, id: i64) -> Result<Receiver, StoreError> {
    let store = store(app);
    let tree = units::tree(&store).await?;
    let today = store.today();
    let now = tree.effective(id, today);
    match tree.get(now) {
        Some(u) if u.valid_on(today) && !u.is_country() => Ok(if now == id {
            Receiver::Open(u.clone())
        } else {
            Receiver::Moved(now)
        }),
        _ => Err(StoreError::NotFound(format!(
            "đơn vị mã số {id} (hoặc đơn vị đã thay nó)"
        ))),
    }
}

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Value {
    all.iter()
        .map(|v| context! { code => code(*v), label => label(*v) })
        .collect::<Vec<_>>()
        .into()
}

/// The form page, with what was typed and what was wrong.
fn page(
    app: &AppState,
    status: StatusCode,
    unit: &danvan_store::units::Unit,
    former: Option<String>,
    posted: &Posted,
    error: Option<(String, String)>,
) -> Response {
    let (error_field, error) = error.unzip();
    render(
        app,
        status,
        "public_send.html",
        context! {
            unit => context! { id => unit.id, name => unit.full_name() },
            former => former,
            since => unit.valid_from.map(dmy),
            kinds => options(PortalKind::ALL, PortalKind::code, PortalKind::label),
            fields => options(PetitionField::ALL, PetitionField::code, PetitionField::label),
            v => posted.text.clone(),
            stamp => app.portal.stamp(unix_now()),
            consent_text => portal::CONSENT_TEXT,
            max_files => MAX_FILES,
            max_mb => MAX_FILE_BYTES / (1024 * 1024),
            error => error,
            error_field => error_field,
        },
    )
}

/// `GET /cong-dan/don-vi/{id}`: the sending form of a unit; a unit merged
/// since leads to the one that receives for it today.
pub async fn form(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    Query(f): Query<FromUnit>,
) -> Response {
    match receiver(&app, id).await {
        Ok(Receiver::Moved(now)) => {
            Redirect::to(&format!("/cong-dan/don-vi/{now}?tu={id}")).into_response()
        }
        Ok(Receiver::Open(u)) => {
            let former = match f.tu {
                Some(old) => units::tree(&store(&app))
                    .await
                    .ok()
                    .and_then(|t| t.get(old).map(|o| o.full_name())),
                None => None,
            };
            page(&app, StatusCode::OK, &u, former, &Posted::default(), None)
        }
        Err(e) => error_page(&app, &e),
    }
}

/// `POST /cong-dan/don-vi/{id}`: record what was sent, then show its
/// tracking page with the code.
pub async fn submit(State(app): State<AppState>, Path(id): Path<i64>, m: Multipart) -> Response {
    let posted = match read(m).await {
        Ok(p) => p,
        Err(Refusal(status, msg)) => {
            return render(
                &app,
                status,
                "public_message.html",
                context! { title => "Chưa gửi được", message => msg, back => format!("/cong-dan/don-vi/{id}") },
            );
        }
    };
    let unit = match receiver(&app, id).await {
        Ok(Receiver::Open(u)) => u,
        Ok(Receiver::Moved(now)) => match receiver(&app, now).await {
            Ok(Receiver::Open(u)) => u,
            _ => return error_page(&app, &StoreError::NotFound(format!("đơn vị mã số {id}"))),
        },
        Err(e) => return error_page(&app, &e),
    };
    let refuse = |field: &str, msg: String| {
        page(
            &app,
            StatusCode::UNPROCESSABLE_ENTITY,
            &unit,
            None,
            &posted,
            Some((field.to_string(), msg)),
        )
    };
    if !posted.get(HONEYPOT).is_empty() {
        return refuse("", "Biểu mẫu không hợp lệ.".into());
    }
    if let Err(why) = app.portal.check_stamp(posted.get("_t"), unix_now()) {
        return refuse("", why.into());
    }
    let kind = match PortalKind::parse(posted.get("loai")) {
        Ok(k) => k,
        Err(e) => return refuse("loai", e.message),
    };
    let field = PetitionField::parse(posted.get("linh_vuc")).unwrap_or(PetitionField::Other);
    let s = Submission {
        unit_id: unit.id,
        kind,
        field,
        content: posted.get("noi_dung").to_string(),
        sender: Sender {
            name: posted.get("ho_ten").to_string(),
            address: posted.get("dia_chi").to_string(),
            phone: posted.get("dien_thoai").to_string(),
        },
        consent: posted.get("dong_y") == "1",
        files: posted.files.clone(),
    };
    match portal::submit(&store(&app), &s).await {
        Ok(r) => {
            let linked = if r.linked { "&trung=1" } else { "" };
            Redirect::to(&format!("/cong-dan/theo-doi/{}?moi=1{linked}", r.code)).into_response()
        }
        Err(StoreError::Invalid(d)) => {
            let field = match &d.at {
                danvan_core::Where::Field { field } => field.clone(),
                _ => String::new(),
            };
            refuse(&field, d.message)
        }
        Err(e) => error_page(&app, &e),
    }
}
