//! JSON API for the directive register under `/api/directives`: register
//! one document or a list (all or nothing), and search a unit's subtree
//! without diacritics (`q=dan van kheo`).
//!
//! The number is sent as written ("57/KH-UBND") and checked here.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_store::directives;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::api_petitions::{ApiError, Body, Params, one_or_many};
use crate::auth::Ctx;
use crate::openapi::{Created, OneOrMany};
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/directives", create)
        .get("/api/directives", search)
}

/// A document as posted: the number as written.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DirectiveBody {
    unit_id: i64,
    /// Số, ký hiệu như trên văn bản.
    #[schema(example = "57/KH-UBND")]
    number: String,
    issued_on: NaiveDate,
    issuer: String,
    title: String,
}

fn directive(b: DirectiveBody) -> Result<Directive, DomainError> {
    Ok(Directive {
        unit_id: b.unit_id,
        number: DocumentNumber::parse(&b.number).map_err(|e| e.at_field("number"))?,
        issued_on: b.issued_on,
        issuer: b.issuer,
        title: b.title,
    })
}

/// A registered document with its number in the register.
#[derive(Serialize, ToSchema)]
pub struct DirectiveRead {
    pub id: i64,
    pub directive: Directive,
}

/// Body of `GET /api/directives`.
#[derive(Serialize, ToSchema)]
pub struct DirectiveList {
    pub directives: Vec<DirectiveRead>,
}

#[utoipa::path(post, path = "/api/directives", tag = "directives", operation_id = "directives_create",
    request_body(content = OneOrMany<DirectiveBody>, description = "Một văn bản, hoặc danh sách (ghi tất cả hoặc không ghi gì)."),
    responses((status = 201, description = "Văn bản đã vào sổ; với danh sách: các số.", body = Created<DirectiveRead>)))]
async fn create(Ctx { store, .. }: Ctx, Body(v): Body<Value>) -> Result<Response, ApiError> {
    let (items, list): (Vec<DirectiveBody>, bool) = one_or_many(v)?;
    let n = items.len();
    let docs = items
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            directive(b).map_err(|mut e| {
                if list {
                    e.message = format!("bản ghi thứ {}/{n}: {}", i + 1, e.message);
                }
                e
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ids = directives::insert_many(&store, &docs).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        let directive = docs.into_iter().next().expect("one document was posted");
        Created::One(DirectiveRead {
            id: ids[0],
            directive,
        })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Query of `GET /api/directives`: words to find and the subtree's unit.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// Từ cần tìm, có dấu hoặc không («dan van kheo»).
    #[serde(default)]
    q: String,
    /// Đơn vị (mã số): tìm trong đơn vị này và các đơn vị trực thuộc.
    within: i64,
}

#[utoipa::path(get, path = "/api/directives", tag = "directives", operation_id = "directives_search",
    params(SearchQuery),
    responses((status = 200, description = "Văn bản khớp mọi từ cần tìm.", body = DirectiveList)))]
async fn search(
    Ctx { store, .. }: Ctx,
    Params(q): Params<SearchQuery>,
) -> Result<Response, ApiError> {
    let found = directives::search(&store, &q.q, q.within).await?;
    let directives = found
        .into_iter()
        .map(|(id, directive)| DirectiveRead { id, directive })
        .collect();
    Ok(Json(DirectiveList { directives }).into_response())
}
