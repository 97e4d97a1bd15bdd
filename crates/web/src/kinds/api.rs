//! The JSON API every record kind can have, written once: create one
//! record or a list (all or nothing), read one with its version as the
//! `ETag`, replace it under `If-Match`, delete it, under
//! `/api/<tag>` where `<tag>` is the kind's API tag in the registry. The
//! OpenAPI paths are described here too ([`KindPaths`]), from the same
//! registry, so a kind gets its API and its documentation with one line.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::records::kind::RecordKind;
use danvan_store::table::{self, Table};
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::{ContentBuilder, PathItem, Ref, RefOr, ResponseBuilder, Schema};
use utoipa::{Modify, PartialSchema, ToSchema};

use crate::api_petitions::{ApiError, Body, one_or_many};
use crate::api_version::{IfMatch, json_tagged};
use crate::auth::Ctx;
use crate::openapi::Created;
use crate::routes::Routes;

/// A record kind with the generic API: its record is its JSON body.
pub trait KindApi: Table + DeserializeOwned + ToSchema {
    /// The name of the record beside its number in an answer:
    /// `{"id": 3, "record": {…}}`.
    const FIELD: &'static str = "record";
}

/// A record with its number, as the API answers (a record of core's
/// plain fields always serialises).
fn read<K: KindApi>(id: i64, record: &K) -> Value {
    let field = K::FIELD;
    serde_json::json!({ "id": id, field: record })
}

fn tag<K: KindApi>() -> &'static str {
    K::KIND
        .def()
        .api_tag
        .expect("a kind with an API has a tag in the registry")
}

/// The kind's API routes.
pub fn routes<K: KindApi>(r: Routes) -> Routes {
    let base = format!("/api/{}", tag::<K>());
    r.post(base.clone(), create::<K>)
        .get(format!("{base}/{{id}}"), one::<K>)
        .put(format!("{base}/{{id}}"), update::<K>)
        .delete(format!("{base}/{{id}}"), remove::<K>)
}

async fn create<K: KindApi>(
    Ctx { store, .. }: Ctx,
    Body(v): Body<Value>,
) -> Result<Response, ApiError> {
    let (records, list): (Vec<K>, bool) = one_or_many(v)?;
    let ids = table::insert_many(&store, &records).await?;
    let body = if list {
        Created::Many { ids }
    } else {
        let id = ids[0];
        let record: K = table::get(&store, id).await?;
        Created::One(read(id, &record))
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn one<K: KindApi>(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let (record, version) = table::get_for_edit::<K>(&store, id).await?;
    Ok(json_tagged(read(id, &record), version))
}

async fn update<K: KindApi>(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
    if_match: IfMatch,
    Body(r): Body<K>,
) -> Result<Response, ApiError> {
    let version = if_match.required(table::get::<K>(&store, id)).await?;
    table::update(&store, id, &r, version).await?;
    let (record, version) = table::get_for_edit::<K>(&store, id).await?;
    Ok(json_tagged(read(id, &record), version))
}

async fn remove<K: KindApi>(
    Ctx { store, .. }: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    table::delete::<K>(&store, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The OpenAPI paths of the generic API of kind `K`, its record's schema
/// and a read schema (`{id, record}`), added to the document.
pub struct KindPaths<K>(std::marker::PhantomData<K>);

impl<K> Default for KindPaths<K> {
    fn default() -> Self {
        KindPaths(std::marker::PhantomData)
    }
}

fn json(schema: RefOr<Schema>) -> utoipa::openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn id_param(noun: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(utoipa::openapi::Required::True)
        .description(Some(format!("Số {noun}")))
        .schema(Some(i64::schema()))
        .build()
}

impl<K: KindApi> Modify for KindPaths<K> {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let kind: RecordKind = K::KIND;
        let (t, noun) = (tag::<K>(), kind.def().noun);
        let record = K::name().to_string();
        let read = format!("{record}Read");
        let components = doc.components.get_or_insert_with(Default::default);
        components.schemas.insert(record.clone(), K::schema());
        // The schemas the record refers to (its vocabularies).
        let mut nested = Vec::new();
        K::schemas(&mut nested);
        components.schemas.extend(nested);
        components.schemas.insert(
            read.clone(),
            utoipa::openapi::ObjectBuilder::new()
                .property("id", i64::schema())
                .property(K::FIELD, Ref::from_schema_name(&record))
                .required("id")
                .required(K::FIELD)
                .into(),
        );
        let body = |d: String| {
            RequestBodyBuilder::new()
                .description(Some(d))
                .content(
                    "application/json",
                    json(Ref::from_schema_name(&record).into()),
                )
                .required(Some(utoipa::openapi::Required::True))
                .build()
        };
        let answer = |d: &str| {
            ResponseBuilder::new()
                .description(d)
                .content(
                    "application/json",
                    json(Ref::from_schema_name(&read).into()),
                )
                .build()
        };
        let op = |id: &str| {
            OperationBuilder::new()
                .tag(t)
                .operation_id(Some(format!("{t}_{id}")))
        };
        let create = op("create")
            .request_body(Some(body(format!(
                "Một {noun}, hoặc danh sách (ghi tất cả hoặc không ghi gì)."
            ))))
            .response("201", answer("Đã ghi; với danh sách: các số."))
            .build();
        let get = op("get")
            .parameter(id_param(noun))
            .response("200", answer("Bản ghi; ETag là phiên bản của nó."))
            .build();
        let put = op("update")
            .parameter(id_param(noun))
            .parameter(
                ParameterBuilder::new()
                    .name("If-Match")
                    .parameter_in(ParameterIn::Header)
                    .required(utoipa::openapi::Required::True)
                    .description(Some("ETag nhận được khi đọc bản ghi"))
                    .schema(Some(String::schema()))
                    .build(),
            )
            .request_body(Some(body(format!("{noun} sau khi sửa"))))
            .response("200", answer("Bản ghi sau khi sửa."))
            .response(
                "412",
                ResponseBuilder::new()
                    .description("Bản ghi đã được người khác thay đổi sau khi đọc.")
                    .build(),
            )
            .response(
                "428",
                ResponseBuilder::new()
                    .description("Thiếu If-Match.")
                    .build(),
            )
            .build();
        let delete = op("delete")
            .parameter(id_param(noun))
            .response("204", ResponseBuilder::new().description("Đã xoá.").build())
            .build();
        let base = format!("/api/{t}");
        doc.paths
            .paths
            .insert(base, PathItem::new(HttpMethod::Post, create));
        let mut item = PathItem::new(HttpMethod::Get, get);
        item.put = Some(put);
        item.delete = Some(delete);
        doc.paths.paths.insert(format!("/api/{t}/{{id}}"), item);
    }
}
