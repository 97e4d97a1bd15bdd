//! DHIS2's error shape (a "web message"): `httpStatus`, `httpStatusCode`,
//! `status: "ERROR"`, a message (in Vietnamese here) and, for imports, the
//! import summary under `response`. DHIS2 clients read these fields, not
//! danvan's `{code, message, at}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_store::StoreError;
use serde_json::{Value, json};

/// An error answered in DHIS2's shape.
#[derive(Debug)]
pub struct Dhis2Error {
    pub status: StatusCode,
    pub message: String,
    /// danvan's stable error code, kept as DHIS2's `errorCode`.
    pub code: String,
    /// DHIS2's `response` object (an import summary), if any.
    pub response: Option<Value>,
}

impl Dhis2Error {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Dhis2Error {
        Dhis2Error {
            status,
            message: message.into(),
            code: code.to_string(),
            response: None,
        }
    }

    /// A request DHIS2 would refuse as malformed (HTTP 409, as DHIS2 does
    /// for bad query parameters and payloads).
    pub fn conflict(code: &str, message: impl Into<String>) -> Dhis2Error {
        Dhis2Error::new(StatusCode::CONFLICT, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Dhis2Error {
        Dhis2Error::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Dhis2Error {
        Dhis2Error::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
}

/// The web message of any status: `{httpStatus, httpStatusCode, status,
/// message}`, `status` being "OK" below 400 and "ERROR" from it.
pub fn web_message(status: StatusCode, message: &str) -> Value {
    json!({
        "httpStatus": status.canonical_reason().unwrap_or(""),
        "httpStatusCode": status.as_u16(),
        "status": if status.as_u16() < 400 { "OK" } else { "ERROR" },
        "message": message,
    })
}

impl IntoResponse for Dhis2Error {
    fn into_response(self) -> Response {
        let mut body = web_message(self.status, &self.message);
        body["errorCode"] = Value::String(self.code);
        if let Some(r) = self.response {
            body["response"] = r;
        }
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for Dhis2Error {
    fn from(e: StoreError) -> Dhis2Error {
        let message = e.to_string();
        match &e {
            StoreError::Invalid(d) => Dhis2Error::conflict(d.code, message),
            StoreError::InvalidRows(_) => Dhis2Error::conflict("invalid_rows", message),
            StoreError::NotFound(_) => Dhis2Error::not_found(message),
            StoreError::Forbidden(_) => {
                Dhis2Error::new(StatusCode::FORBIDDEN, "forbidden", message)
            }
            StoreError::Stale(_) => Dhis2Error::conflict("stale", message),
            StoreError::Locked(_) => Dhis2Error::conflict("period_locked", message),
            StoreError::Connect(..) | StoreError::Db(_) | StoreError::Sqlite(_) => {
                Dhis2Error::new(StatusCode::INTERNAL_SERVER_ERROR, "server", message)
            }
        }
    }
}

impl From<DomainError> for Dhis2Error {
    fn from(e: DomainError) -> Dhis2Error {
        Dhis2Error::conflict(e.code, e.to_string())
    }
}
