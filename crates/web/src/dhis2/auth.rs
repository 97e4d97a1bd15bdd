//! Who is asking through `/dhis2`: HTTP Basic (a danvan account's name and
//! password, as DHIS2 clients send with every request) or a danvan API
//! token sent as `Authorization: ApiToken …` or `Bearer …`. The request's
//! store acts as that user and is limited to the user's unit subtree, as
//! everywhere else; no session cookie is read here, so no CSRF token is
//! needed either.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine as _;
use danvan_store::Store;
use danvan_store::accounts::{self, User};

use super::error::Dhis2Error;
use crate::state::AppState;

/// A signed-in DHIS2 request.
#[derive(Clone)]
pub struct Caller {
    /// Acts as the user, limited to the user's subtree.
    pub store: Store,
    pub user: User,
}

/// The credentials an `Authorization` header carries.
#[derive(Debug, PartialEq, Eq)]
enum Credentials {
    Basic { username: String, password: String },
    Token(String),
}

fn credentials(value: &str) -> Result<Credentials, Dhis2Error> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    match scheme.to_ascii_lowercase().as_str() {
        "basic" => {
            let bad = || {
                Dhis2Error::unauthorized(
                    "tiêu đề Authorization Basic không hợp lệ (cần base64 của «tên:mật khẩu»)",
                )
            };
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(rest)
                .map_err(|_| bad())?;
            let text = String::from_utf8(bytes).map_err(|_| bad())?;
            let (username, password) = text.split_once(':').ok_or_else(bad)?;
            Ok(Credentials::Basic {
                username: username.to_string(),
                password: password.to_string(),
            })
        }
        "apitoken" | "bearer" if !rest.is_empty() => Ok(Credentials::Token(rest.to_string())),
        _ => Err(Dhis2Error::unauthorized(
            "tiêu đề Authorization phải là Basic, ApiToken hoặc Bearer",
        )),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Dhis2Error;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Caller, Dhis2Error> {
        let Some(value) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(Dhis2Error::unauthorized(
                "cần đăng nhập: gửi tên và mật khẩu (HTTP Basic) hoặc khoá API (ApiToken/Bearer)",
            ));
        };
        let user = match credentials(value)? {
            Credentials::Token(t) => {
                accounts::token_user(&app.store, &t).await?.ok_or_else(|| {
                    Dhis2Error::unauthorized("khoá API không hợp lệ, đã hết hạn hoặc đã bị thu hồi")
                })?
            }
            Credentials::Basic { username, password } => {
                let address = parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or_else(|| "?".to_string(), |c| c.0.ip().to_string());
                accounts::credentials(&app.store, &username, &password, &address)
                    .await?
                    .map_err(|e| Dhis2Error::unauthorized(e.message()))?
            }
        };
        let store = app.store.acting_as(user.actor());
        let store = match user.unit_id {
            None => store.pin_units().await?,
            Some(u) => store.within(u).await?,
        };
        Ok(Caller { store, user })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_scheme() {
        let basic = base64::engine::general_purpose::STANDARD.encode("damrong:mat:khau");
        assert_eq!(
            credentials(&format!("Basic {basic}")).unwrap(),
            Credentials::Basic {
                username: "damrong".into(),
                password: "mat:khau".into()
            }
        );
        assert_eq!(
            credentials("ApiToken abc").unwrap(),
            Credentials::Token("abc".into())
        );
        assert_eq!(
            credentials("Bearer abc").unwrap(),
            Credentials::Token("abc".into())
        );
        for bad in ["Basic !!", "Digest x", "Bearer ", "ApiToken"] {
            let e = credentials(bad).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::UNAUTHORIZED, "{bad}");
        }
    }
}
