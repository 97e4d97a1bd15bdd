//! Open311 GeoReport v2 under `/open311/v2`: civic applications read the
//! kinds of request (services), send a citizen's request with their key,
//! and read requests back, in JSON or XML, as the specification writes
//! them (<http://wiki.open311.org/GeoReport_v2>).
//!
//! Like the portal's pages, these handlers take no session: they act
//! through the store as the portal (or as the application that sent), and
//! read only what [`danvan_store::portal::open311`] builds for the public,
//! without senders. A request sent here goes through the portal's own
//! path ([`portal::submit_via`]): a petition with channel «trực tuyến», its
//! facts and audit log in the same transaction, the consent kept.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use danvan_core::portal::PortalKind;
use danvan_core::records::petition::{PetitionField, Sender};
use danvan_store::portal::open311::{self, Filter, Request, State as Open};
use danvan_store::portal::{self, Submission, Via};
use danvan_store::{Actor, StoreError};
use serde_json::{Value, json};

use crate::routes::Routes;
use crate::state::AppState;

/// Where the API lives.
pub const PREFIX: &str = "/open311/v2";

/// Whether `path` is under the API.
pub fn is_open311(path: &str) -> bool {
    path.starts_with("/open311/")
}

/// The API's routes.
pub fn routes(r: Routes) -> Routes {
    r.get("/open311/v2/discovery.json", || discovery(Format::Json))
        .get("/open311/v2/discovery.xml", || discovery(Format::Xml))
        .get("/open311/v2/services.json", || services(Format::Json))
        .get("/open311/v2/services.xml", || services(Format::Xml))
        .get("/open311/v2/requests.json", |s, q| list(s, q, Format::Json))
        .get("/open311/v2/requests.xml", |s, q| list(s, q, Format::Xml))
        .post("/open311/v2/requests.json", |s, q, b| {
            create(s, q, b, Format::Json)
        })
        .post("/open311/v2/requests.xml", |s, q, b| {
            create(s, q, b, Format::Xml)
        })
        .get("/open311/v2/requests/{file}", one)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// The format a path asks for by its ending (`.xml`; else JSON).
    pub fn of(path: &str) -> Format {
        if path.ends_with(".xml") {
            Format::Xml
        } else {
            Format::Json
        }
    }
}

/// A value of an answer, written as JSON or XML.
enum V {
    S(String),
    F(f64),
    B(bool),
    Null,
    /// An element with children (a JSON object).
    Obj(Vec<(&'static str, V)>),
    /// A list whose XML items are each named by the first field.
    List(&'static str, Vec<V>),
}

fn s(v: impl Into<String>) -> V {
    V::S(v.into())
}

fn opt(v: Option<String>) -> V {
    v.map_or(V::Null, V::S)
}

impl V {
    fn json(&self) -> Value {
        match self {
            V::S(s) => json!(s),
            V::F(f) => json!(f),
            V::B(b) => json!(b),
            V::Null => Value::Null,
            V::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| ((*k).to_string(), v.json()))
                    .collect(),
            ),
            V::List(_, items) => Value::Array(items.iter().map(V::json).collect()),
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            V::Null => out.push_str(&format!("<{name}/>")),
            V::S(s) => out.push_str(&format!("<{name}>{}</{name}>", escape(s))),
            V::F(f) => out.push_str(&format!("<{name}>{f}</{name}>")),
            V::B(b) => out.push_str(&format!("<{name}>{b}</{name}>")),
            V::Obj(fields) => {
                out.push_str(&format!("<{name}>"));
                for (k, v) in fields {
                    v.xml(k, out);
                }
                out.push_str(&format!("</{name}>"));
            }
            V::List(item, items) => {
                out.push_str(&format!("<{name}>"));
                for v in items {
                    v.xml(item, out);
                }
                out.push_str(&format!("</{name}>"));
            }
        }
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An answer: `root` names the XML document (a list's element or the one
/// object's).
fn answer(status: StatusCode, format: Format, root: &str, v: V) -> Response {
    let (ctype, body) = match format {
        Format::Json => ("application/json; charset=utf-8", v.json().to_string()),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            v.xml(root, &mut out);
            ("text/xml; charset=utf-8", out)
        }
    };
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(ctype))],
        body,
    )
        .into_response()
}

/// An error as the specification writes it, with its HTTP status:
/// `[{"code":400,"description":"…"}]`, or `<errors><error>…`.
pub fn error(format: Format, status: StatusCode, description: &str) -> Response {
    if format == Format::Json {
        let body = json!([{ "code": status.as_u16(), "description": description }]);
        return (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            body.to_string(),
        )
            .into_response();
    }
    let e = V::Obj(vec![
        ("code", s(status.as_u16().to_string())),
        ("description", s(description)),
    ]);
    answer(status, format, "errors", V::List("error", vec![e]))
}

/// Past the public rate limit: 429 with how long to wait.
pub fn too_many(path: &str, wait: u64) -> Response {
    let mut r = error(
        Format::of(path),
        StatusCode::TOO_MANY_REQUESTS,
        &format!(
            "từ địa chỉ mạng này đã có quá nhiều lần gửi trong thời gian ngắn; hãy chờ khoảng {wait} giây rồi gửi lại (chưa ghi nhận gì)"
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// An unknown path under `/open311/`.
pub fn not_found(path: &str) -> Response {
    error(
        Format::of(path),
        StatusCode::NOT_FOUND,
        &format!("không có đường dẫn {path} trong Open311 GeoReport v2"),
    )
}

fn store_error(format: Format, e: &StoreError) -> Response {
    match e {
        StoreError::NotFound(_) => error(format, StatusCode::NOT_FOUND, &e.to_string()),
        StoreError::Invalid(d) => {
            let field = match &d.at {
                danvan_core::Where::Field { field } => format!(" (trường {field})"),
                _ => String::new(),
            };
            error(
                format,
                StatusCode::BAD_REQUEST,
                &format!("{}{field}", d.message),
            )
        }
        StoreError::InvalidRows(_) => error(format, StatusCode::BAD_REQUEST, &e.to_string()),
        _ => error(
            format,
            StatusCode::INTERNAL_SERVER_ERROR,
            &crate::pages::hidden_failure(e),
        ),
    }
}

/// `2026-03-05T08:15:30+07:00`: times are kept in Vietnam's time.
fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S+07:00").to_string()
}

fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| unreachable!("UTC+7 is a valid offset"))
}

/// A date-time as the specification writes it (with its offset), or a
/// day; in Vietnam's time. `end` takes a day to its last second.
fn parse_time(v: &str, end: bool) -> Option<NaiveDateTime> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&vietnam()).naive_local());
    }
    let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()?;
    if end {
        d.and_hms_opt(23, 59, 59)
    } else {
        d.and_hms_opt(0, 0, 0)
    }
}

fn service(k: PortalKind) -> V {
    let (description, keywords, group) = match k {
        PortalKind::Feedback => (
            "Phản ánh về vụ việc, hành vi, tình trạng cần cơ quan nhà nước biết và xử lý \
             (đường hỏng, rác thải, mất trật tự…)",
            "phản ánh,phan anh,feedback",
            "Phản ánh, kiến nghị",
        ),
        PortalKind::Recommendation => (
            "Kiến nghị về chủ trương, chính sách, quy định hoặc việc làm của cơ quan nhà nước",
            "kiến nghị,kien nghi,recommendation",
            "Phản ánh, kiến nghị",
        ),
        PortalKind::Complaint => (
            "Khiếu nại quyết định hành chính, hành vi hành chính (Luật Khiếu nại)",
            "khiếu nại,khieu nai,complaint",
            "Khiếu nại, tố cáo",
        ),
        PortalKind::Denunciation => (
            "Tố cáo hành vi vi phạm pháp luật (Luật Tố cáo); người tố cáo được giữ bí mật",
            "tố cáo,to cao,denunciation",
            "Khiếu nại, tố cáo",
        ),
    };
    V::Obj(vec![
        ("service_code", s(k.code())),
        ("service_name", s(k.label())),
        ("description", s(description)),
        ("metadata", V::B(false)),
        ("type", s("realtime")),
        ("keywords", s(keywords)),
        ("group", s(group)),
    ])
}

/// `GET /open311/v2/discovery.{json,xml}`.
async fn discovery(format: Format) -> Response {
    let endpoint = V::Obj(vec![
        ("specification", s("http://wiki.open311.org/GeoReport_v2")),
        ("url", s(PREFIX)),
        ("changeset", s("2026-01-01T00:00:00+07:00")),
        ("type", s("production")),
        (
            "formats",
            V::List("format", vec![s("text/xml"), s("application/json")]),
        ),
    ]);
    let doc = V::Obj(vec![
        ("changeset", s("2026-01-01T00:00:00+07:00")),
        (
            "contact",
            s("Cơ quan quản lý hệ thống danvan (bộ phận tiếp công dân của đơn vị)"),
        ),
        (
            "key_service",
            s(
                "Khoá API (api_key) do quản trị viên hệ thống cấp cho từng ứng dụng: \
               danvan open311 key-new --name TEN_UNG_DUNG",
            ),
        ),
        ("endpoints", V::List("endpoint", vec![endpoint])),
    ]);
    answer(StatusCode::OK, format, "discovery", doc)
}

/// `GET /open311/v2/services.{json,xml}`.
async fn services(format: Format) -> Response {
    let all = PortalKind::ALL.iter().map(|k| service(*k)).collect();
    answer(StatusCode::OK, format, "services", V::List("service", all))
}

fn request(r: Request) -> V {
    V::Obj(vec![
        ("service_request_id", s(r.request_id)),
        ("status", s(if r.closed { "closed" } else { "open" })),
        ("status_notes", s(r.status_notes)),
        ("service_name", s(r.kind.label())),
        ("service_code", s(r.kind.code())),
        ("description", opt(r.description)),
        ("agency_responsible", s(r.agency)),
        ("service_notice", V::Null),
        ("requested_datetime", s(iso(r.requested_at))),
        ("updated_datetime", s(iso(r.updated_at))),
        ("expected_datetime", V::Null),
        ("address", opt(r.address)),
        ("address_id", V::Null),
        ("zipcode", V::Null),
        ("lat", r.lat.map_or(V::Null, V::F)),
        ("long", r.lon.map_or(V::Null, V::F)),
        ("media_url", opt(r.media_url)),
    ])
}

/// The fields of a query string or form, in order.
fn fields(raw: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw).unwrap_or_default()
}

fn field<'a>(all: &'a [(String, String)], name: &str) -> Option<&'a str> {
    all.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// `GET /open311/v2/requests.{json,xml}`: service_request_id (a comma
/// list), service_code, start_date, end_date, status, jurisdiction_id.
/// Without dates, the last 90 days; at most 1.000.
async fn list(State(app): State<AppState>, RawQuery(q): RawQuery, format: Format) -> Response {
    let q = fields(q.unwrap_or_default().as_bytes());
    let store = app.store.acting_as(portal::citizen());
    let mut f = Filter::default();
    if let Some(ids) = field(&q, "service_request_id") {
        f.ids = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    } else {
        if let Some(code) = field(&q, "service_code") {
            match PortalKind::parse(code.trim()) {
                Ok(k) => f.kind = Some(k),
                Err(_) => {
                    return error(format, StatusCode::BAD_REQUEST, &unknown_service(code));
                }
            }
        }
        for (name, end) in [("start_date", false), ("end_date", true)] {
            if let Some(v) = field(&q, name) {
                let Some(t) = parse_time(v, end) else {
                    return error(
                        format,
                        StatusCode::BAD_REQUEST,
                        &format!(
                            "{name} «{v}» không đúng dạng ngày giờ ISO 8601 có múi giờ, \
                             ví dụ 2026-03-05T08:00:00+07:00"
                        ),
                    );
                };
                if end {
                    f.to = Some(t);
                } else {
                    f.from = Some(t);
                }
            }
        }
        if f.from.is_none() && f.to.is_none() {
            f.from = Some(store.now() - chrono::Duration::days(90));
        }
        match field(&q, "status").map(str::trim) {
            None => {}
            Some("open") => f.state = Some(Open::Open),
            Some("closed") => f.state = Some(Open::Closed),
            Some(other) => {
                return error(
                    format,
                    StatusCode::BAD_REQUEST,
                    &format!("status «{other}» không hợp lệ: chỉ nhận open hoặc closed"),
                );
            }
        }
        if let Some(code) = field(&q, "jurisdiction_id") {
            match open311::unit_by_code(&store, code).await {
                Ok(Some(u)) => f.unit = Some(u),
                Ok(None) => {
                    return error(format, StatusCode::NOT_FOUND, &unknown_unit(code));
                }
                Err(e) => return store_error(format, &e),
            }
        }
    }
    match open311::list(&store, &f).await {
        Ok(rows) => answer(
            StatusCode::OK,
            format,
            "service_requests",
            V::List("request", rows.into_iter().map(request).collect()),
        ),
        Err(e) => store_error(format, &e),
    }
}

/// `GET /open311/v2/requests/{id}.{json,xml}`.
async fn one(State(app): State<AppState>, Path(file): Path<String>) -> Response {
    let format = Format::of(&file);
    let Some(id) = file
        .strip_suffix(".json")
        .or_else(|| file.strip_suffix(".xml"))
    else {
        return error(
            Format::Json,
            StatusCode::NOT_FOUND,
            &format!("«{file}» phải kết thúc bằng .json hoặc .xml"),
        );
    };
    let store = app.store.acting_as(portal::citizen());
    match open311::get(&store, id).await {
        Ok(r) => answer(
            StatusCode::OK,
            format,
            "service_requests",
            V::List("request", vec![request(r)]),
        ),
        Err(StoreError::NotFound(_)) => error(
            format,
            StatusCode::NOT_FOUND,
            &format!("không tìm thấy yêu cầu có service_request_id «{id}»"),
        ),
        Err(e) => store_error(format, &e),
    }
}

fn unknown_service(code: &str) -> String {
    let known: Vec<&str> = PortalKind::ALL.iter().map(|k| k.code()).collect();
    format!(
        "service_code «{code}» không có; các mã dịch vụ là: {}",
        known.join(", ")
    )
}

fn unknown_unit(code: &str) -> String {
    format!(
        "jurisdiction_id «{code}» không phải mã của đơn vị nào đang nhận ý kiến (hãy dùng mã đơn vị, \
         ví dụ mã xã)"
    )
}

/// The field in which an application states that it has collected the
/// citizen's consent (`attribute[consent]=1`, Nghị định 13/2023/NĐ-CP).
pub const CONSENT_ATTRIBUTE: &str = "attribute[consent]";

/// `POST /open311/v2/requests.{json,xml}`, form-encoded: api_key,
/// service_code, jurisdiction_id (the unit's code), description,
/// first_name, last_name, phone, email, address_string, lat, long,
/// media_url, `attribute[consent]=1` (required) and `attribute[field]`
/// (lĩnh vực, optional).
async fn create(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
    body: Bytes,
    format: Format,
) -> Response {
    let mut all = fields(q.unwrap_or_default().as_bytes());
    all.extend(fields(&body));
    let bad = |msg: String| error(format, StatusCode::BAD_REQUEST, &msg);
    let key = field(&all, "api_key").unwrap_or_default();
    let key = match open311::app_of(&app.store, key).await {
        Ok(Some(k)) => k,
        Ok(None) => {
            return error(
                format,
                StatusCode::FORBIDDEN,
                if key.is_empty() {
                    "thiếu api_key: ứng dụng cần khoá do quản trị viên hệ thống cấp"
                } else {
                    "api_key không hợp lệ hoặc đã bị thu hồi"
                },
            );
        }
        Err(e) => return store_error(format, &e),
    };
    let Some(code) = field(&all, "service_code") else {
        return bad(
            "thiếu service_code (loại ý kiến: feedback, recommendation, complaint, denunciation)"
                .into(),
        );
    };
    let Ok(kind) = PortalKind::parse(code.trim()) else {
        return bad(unknown_service(code));
    };
    let Some(unit_code) = field(&all, "jurisdiction_id") else {
        return bad("thiếu jurisdiction_id: mã của đơn vị nhận ý kiến (ví dụ mã xã)".into());
    };
    let store = app.store.acting_as(Actor {
        user_id: None,
        name: format!("ứng dụng Open311 «{}»", key.name),
        role: None,
    });
    let unit_id = match open311::unit_by_code(&store, unit_code).await {
        Ok(Some(u)) => u,
        Ok(None) => return error(format, StatusCode::NOT_FOUND, &unknown_unit(unit_code)),
        Err(e) => return store_error(format, &e),
    };
    let Some(description) = field(&all, "description") else {
        return bad("thiếu description: nội dung ý kiến".into());
    };
    let consent =
        field(&all, CONSENT_ATTRIBUTE).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
    if !consent {
        return bad(format!(
            "thiếu {CONSENT_ATTRIBUTE}=1: ứng dụng phải hỏi và nhận sự đồng ý của người gửi cho cơ quan \
             dùng họ tên và thông tin liên hệ để xem xét, trả lời ý kiến (Nghị định 13/2023/NĐ-CP)"
        ));
    }
    let field_code = field(&all, "attribute[field]").unwrap_or("other");
    let Ok(petition_field) = PetitionField::parse(field_code.trim()) else {
        return bad(format!(
            "attribute[field] «{field_code}» không phải lĩnh vực nào"
        ));
    };
    // A coordinate as sent, or the words saying what is wrong with it.
    let number = |name: &str| -> Result<Option<f64>, String> {
        match field(&all, name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("{name} «{v}» không phải một số (ví dụ 11.9404)")),
        }
    };
    let (lat, lon) = match (number("lat"), number("long")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(why), _) | (_, Err(why)) => return bad(why),
    };
    if lat.is_some() != lon.is_some() {
        return bad("lat và long phải gửi cùng nhau".into());
    }
    let name = [field(&all, "first_name"), field(&all, "last_name")]
        .into_iter()
        .flatten()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ");
    let email = field(&all, "email").unwrap_or_default().trim();
    if !email.is_empty() && (!email.contains('@') || email.chars().count() > 200) {
        return bad(format!("email «{email}» không hợp lệ"));
    }
    let sub = Submission {
        unit_id,
        kind,
        field: petition_field,
        content: description.to_string(),
        sender: Sender {
            name,
            // The sender's fields are the petition's contact details, masked
            // for a denunciation: an e-mail address is kept there too.
            address: if email.is_empty() {
                String::new()
            } else {
                format!("thư điện tử: {email}")
            },
            phone: field(&all, "phone").unwrap_or_default().to_string(),
        },
        consent,
        files: Vec::new(),
    };
    let via = Via {
        key_id: Some(key.id),
        lat,
        lon,
        address: field(&all, "address_string")
            .unwrap_or_default()
            .to_string(),
        media_url: field(&all, "media_url").unwrap_or_default().to_string(),
    };
    match portal::submit_via(&store, &sub, &via).await {
        Ok(r) => {
            let notice = if r.linked {
                "Đã nhận. Ý kiến cùng nội dung đã được gửi đến đơn vị này trong ngày; yêu cầu này theo dõi ý kiến đó."
            } else {
                "Đã nhận. Ý kiến được ghi nhận là đơn thư gửi trực tuyến đến đơn vị; hạn xử lý đơn tính từ hôm nay."
            };
            let v = V::Obj(vec![
                ("service_request_id", s(r.request_id)),
                ("service_notice", s(notice)),
                ("account_id", V::Null),
            ]);
            answer(
                StatusCode::OK,
                format,
                "service_requests",
                V::List("request", vec![v]),
            )
        }
        Err(e) => store_error(format, &e),
    }
}
