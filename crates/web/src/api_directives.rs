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
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_petitions::{ApiError, Body, Params, one_or_many};
use crate::auth::Ctx;
use crate::routes::Routes;

pub fn routes(r: Routes) -> Routes {
    r.post("/api/directives", create)
        .get("/api/directives", search)
}

/// A document as posted: the number as written.
#[derive(Debug, Deserialize)]
struct DirectiveBody {
    unit_id: i64,
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
        json!({ "ids": ids })
    } else {
        json!({ "id": ids[0], "directive": docs[0] })
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Query of `GET /api/directives`: words to find and the subtree's unit.
#[derive(Debug, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
    within: i64,
}

async fn search(
    Ctx { store, .. }: Ctx,
    Params(q): Params<SearchQuery>,
) -> Result<Response, ApiError> {
    let found = directives::search(&store, &q.q, q.within).await?;
    let rows: Vec<_> = found
        .into_iter()
        .map(|(id, d)| json!({ "id": id, "directive": d }))
        .collect();
    Ok(Json(json!({ "directives": rows })).into_response())
}
