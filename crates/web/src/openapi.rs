//! The OpenAPI document of the JSON API, served at `GET /api/openapi.json`
//! without login, so another system can read it before it has a token.
//!
//! Paths come from the `#[utoipa::path]` notes beside the handlers; a test
//! checks them against the route table both ways, so the document cannot
//! drift from the router. Error responses are the same for every path and
//! are added here once.

use std::sync::OnceLock;

use axum::Json;
use axum::response::{IntoResponse, Response};
use danvan_core::Where;
use danvan_core::records::kind::RecordKind;
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::{
    api_assignments, api_chain, api_datasets, api_directives, api_figures, api_meetings,
    api_models, api_petitions, api_scores, pages,
};

/// One record, or a list written all or nothing (a record that does not
/// fit names its position in the list).
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // described, never built: bodies are read by `one_or_many`
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

/// What a create answers: the record read back for one record, the new
/// numbers in order for a list.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum Created<T> {
    One(T),
    Many { ids: Vec<i64> },
}

/// The body of every API error.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built: see `api_petitions::error_body`
pub struct ApiErrorBody {
    /// Mã ổn định cho máy đọc. Mã chung: `unauthorized` (401), `csrf`,
    /// `forbidden` (403), `not_found` (404), `json.invalid`,
    /// `query.invalid`, `date.invalid`, `invalid_rows` (422), `database`
    /// (500); còn lại là mã của quy tắc nghiệp vụ, ví dụ
    /// `petition.illegal_transition`, `record.unknown_unit`,
    /// `PetitionType.unknown`.
    #[schema(example = "not_found")]
    pub code: String,
    /// Thông báo tiếng Việt cho người đọc.
    #[schema(example = "không tìm thấy đơn số 12")]
    pub message: String,
    /// Chỗ sai trong dữ liệu gửi lên (`{"kind": "nowhere"}` nếu không có).
    pub at: Where,
    /// Chỉ với `invalid_rows`: lỗi của từng bản ghi.
    pub errors: Option<Vec<RowError>>,
}

/// The error of one record of a refused list.
#[derive(ToSchema)]
#[allow(dead_code)] // described, never built
pub struct RowError {
    pub code: String,
    pub message: String,
    pub at: Where,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dân vận — API",
        description = "Ghi nhận và tra cứu đơn thư, hòa giải, hội nghị, mô hình «Dân vận khéo», giám sát, văn bản chỉ đạo và số liệu tổng hợp. \
Mỗi tài khoản chỉ đọc và ghi dữ liệu của đơn vị mình và các đơn vị trực thuộc: bản ghi ngoài phạm vi đó trả 404, ghi vào đó trả 403. \
Lỗi luôn là JSON `{code, message, at}` với `code` ổn định."
    ),
    paths(
        openapi_json,
        pages::units::api_search,
        api_petitions::create,
        api_petitions::list,
        api_petitions::due,
        api_petitions::one,
        api_petitions::update,
        api_petitions::transition,
        api_assignments::list,
        api_assignments::assign,
        api_assignments::unassign,
        api_meetings::create,
        api_meetings::one,
        api_meetings::remove,
        api_meetings::follow_up,
        api_models::create,
        api_models::one,
        api_models::set_year,
        api_datasets::define_element,
        api_datasets::define_set,
        api_datasets::one_set,
        api_datasets::enter,
        api_datasets::value,
        api_directives::create,
        api_directives::search,
        api_figures::figures,
        api_scores::scores,
        api_chain::create_request,
        api_chain::one_request,
        api_chain::completeness_of,
        api_chain::prepare,
        api_chain::one,
        api_chain::submit,
        api_chain::accept,
        api_chain::return_it,
        api_chain::unaccept,
        api_chain::docx,
        api_chain::pdf,
    ),
    components(schemas(ApiErrorBody, RowError)),
    modifiers(&KindApis, &Security, &Errors, &KindTags),
    tags(
        (name = "meta", description = "Tài liệu API"),
        (name = "units", description = "Đơn vị hành chính"),
        (name = "figures", description = "Số liệu báo cáo"),
        (name = "scores", description = "Đánh giá, phân loại công tác dân vận"),
        (name = "chain", description = "Chuỗi báo cáo: yêu cầu, gửi, duyệt, trả lại, khóa số liệu"),
    )
)]
pub struct ApiDoc;

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}

/// `GET /api/openapi.json`.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", operation_id = "openapi",
    security(()),
    responses((status = 200, description = "Tài liệu OpenAPI 3.1 của API này.", content_type = "application/json")))]
pub async fn openapi_json() -> Response {
    Json(document()).into_response()
}

/// The two ways to sign in: an API token, or a login session (whose
/// changes also need the session's CSRF token).
struct Security;

/// The paths of the kinds whose API is [`crate::kinds::api`].
pub struct KindApis;

impl Modify for KindApis {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        crate::kinds::openapi(doc);
    }
}

/// The tags of the record kinds' routes, named and described by the
/// record registry (the rest are in the `tags(...)` above).
struct KindTags;

impl Modify for KindTags {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let tags = doc.tags.get_or_insert_with(Vec::new);
        for k in RecordKind::ALL {
            if let Some(name) = k.def().api_tag {
                tags.push(
                    utoipa::openapi::tag::TagBuilder::new()
                        .name(name)
                        .description(Some(k.title()))
                        .build(),
                );
            }
        }
    }
}

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "khoa_api",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("dv_…")
                    .description(Some(
                        "Khoá API tạo ở trang Tài khoản (hoặc `danvan user token`), gửi trong `Authorization: Bearer dv_…`. Khoá bị thu hồi trả 401.",
                    ))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "phien",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::COOKIE,
                "Phiên đăng nhập của trang web. Yêu cầu thay đổi dữ liệu còn cần mã chống giả mạo trong tiêu đề `X-CSRF-Token`; thiếu hoặc sai trả 403 `csrf`.",
            ))),
        );
        doc.security = Some(vec![
            SecurityRequirement::new("khoa_api", Vec::<String>::new()),
            SecurityRequirement::new("phien", Vec::<String>::new()),
        ]);
    }
}

/// The error responses every path may give, added to each operation.
struct Errors;

const ERRORS: [(&str, &str, &str); 5] = [
    (
        "401",
        "Unauthorized",
        "Chưa đăng nhập, hoặc khoá API không hợp lệ hay đã bị thu hồi (`unauthorized`).",
    ),
    (
        "403",
        "Forbidden",
        "Ghi vào đơn vị ngoài phạm vi của tài khoản, vai trò không được ghi loại dữ liệu này (`forbidden`), hoặc thiếu mã chống giả mạo (`csrf`).",
    ),
    (
        "404",
        "NotFound",
        "Không có bản ghi này, hoặc bản ghi thuộc đơn vị ngoài phạm vi của tài khoản (`not_found`).",
    ),
    (
        "422",
        "Invalid",
        "Dữ liệu gửi lên không hợp lệ; `code` nói quy tắc nào, `at` nói trường hay dòng nào.",
    ),
    ("500", "ServerError", "Lỗi cơ sở dữ liệu (`database`)."),
];

fn operations(p: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut p.get,
        &mut p.put,
        &mut p.post,
        &mut p.delete,
        &mut p.patch,
        &mut p.head,
        &mut p.options,
        &mut p.trace,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

impl Modify for Errors {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let c = doc.components.get_or_insert_with(Default::default);
        for (_, name, description) in ERRORS {
            c.responses.insert(
                name.to_string(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ApiErrorBody")))
                                .build(),
                        )
                        .build(),
                ),
            );
        }
        for item in doc.paths.paths.values_mut() {
            for op in operations(item) {
                // An empty requirement marks a public path: it has no 401.
                let public = op.security.as_ref().is_some_and(|s| {
                    s.iter()
                        .any(|r| serde_json::to_value(r).is_ok_and(|v| v == serde_json::json!({})))
                });
                for (status, name, _) in ERRORS {
                    if public && status != "500" {
                        continue;
                    }
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
                }
            }
        }
    }
}
