//! Optimistic concurrency over HTTP, as RFC 9110 has it: reading one
//! record answers with its version as an `ETag`; a `PUT` must send that
//! tag back in `If-Match`. Without it the change is refused (428), so no
//! client overwrites a change it has not seen; with a tag someone else's
//! change has made stale, the store refuses it (412). A record that is
//! missing or out of reach is not found (404) whatever the headers say.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_store::{StoreError, Version};

use crate::api_petitions::{ApiError, json_error};

/// The version a client read, from `If-Match` (`None`: not sent).
pub struct IfMatch(Option<Version>);

impl IfMatch {
    /// The version the change was made on. Without one, `exists` is asked
    /// first, so a missing or unreachable record is still not found; an
    /// existing one is refused with 428.
    pub async fn required<T>(
        self,
        exists: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<Version, ApiError> {
        if let Some(v) = self.0 {
            return Ok(v);
        }
        exists.await?;
        Err(ApiError::Answer(Box::new(json_error(
            StatusCode::PRECONDITION_REQUIRED,
            "version.missing",
            "Thiếu tiêu đề If-Match: gửi lại ETag nhận được khi đọc bản ghi, để không ghi đè \
             thay đổi của người khác mà bạn chưa thấy",
        ))))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(raw) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        match raw.to_str().ok().and_then(Version::parse) {
            Some(v) => Ok(IfMatch(Some(v))),
            None => Err(json_error(
                StatusCode::BAD_REQUEST,
                "version.invalid",
                "Tiêu đề If-Match không hợp lệ: phải là ETag nhận được khi đọc bản ghi, ví dụ \"3\"",
            )),
        }
    }
}

/// `response` with the record's version as its `ETag`.
pub fn tagged(mut response: Response, v: Version) -> Response {
    if let Ok(tag) = HeaderValue::from_str(&v.etag()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// A JSON body with the record's version as its `ETag`.
pub fn json_tagged<T: serde::Serialize>(body: T, v: Version) -> Response {
    tagged(axum::Json(body).into_response(), v)
}
