//! The router driven as signed-in officials of two communes (cookie and
//! CSRF token), with answers read as the user reads them.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use danvan_store::accounts::{self, Role};
use danvan_store::{Store, directives, mediation, meetings, models, oversight, reception};

use super::Env;
use crate::users::PASSWORD;

/// A signed-in official: the account's id, the session cookie and its
/// CSRF token.
pub struct Official {
    pub id: i64,
    pub cookie: String,
    pub csrf: String,
}

/// [`Env`] (its store, router and commune) with two signed-in officials.
pub struct Pages {
    pub env: Env,
    /// The official of Đam Rông 1 (24886-2025), `env.commune`.
    pub me: Official,
    /// An official of Đam Rông 4 (24853-2025), another commune.
    pub other: Official,
}

impl std::ops::Deref for Pages {
    type Target = Env;
    fn deref(&self) -> &Env {
        &self.env
    }
}

/// A page's answer: status, `Location` and the body with the HTML escapes
/// of minijinja undone, so assertions read as the user reads.
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub body: String,
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Answer {
    /// The error shown next to field `name`.
    pub fn error_at(&self, name: &str) -> String {
        let marker = format!("id=\"err-{name}\">");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no error next to {name}:\n{}", self.body))
            + marker.len();
        let end = self.body[start..].find("</div>").unwrap() + start;
        self.body[start..end].to_string()
    }

    /// The id at the end of the redirect after a save.
    pub fn saved_id(&self) -> String {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "{}", self.body);
        self.location.rsplit('/').next().unwrap().to_string()
    }
}

/// The table with this id in `body`, as HTML.
pub fn table(body: &str, id: &str) -> String {
    let marker = format!("<table id=\"{id}\">");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no table {id}:\n{body}"));
    let end = body[start..].find("</table>").unwrap() + start;
    body[start..end].to_string()
}

/// The page holding the form that posts to `uri`, for the changes of a
/// stored record: its edit page, or the record's page.
fn form_page_of(uri: &str) -> Option<String> {
    if uri.ends_with("/sua") {
        return Some(uri.to_string());
    }
    ["/y-kien", "/nam"]
        .iter()
        .find_map(|s| uri.strip_suffix(s))
        .map(str::to_string)
}

/// The value of a page's `_version` hidden field.
pub fn version_of(html: &str) -> Option<String> {
    let key = "name=\"_version\" value=\"";
    let at = html.find(key)? + key.len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// A new account of `unit` with `role`, signed in.
pub async fn official(store: &Store, username: &str, role: Role, unit: i64) -> Official {
    account(store, username, role, Some(unit)).await
}

/// An administrator bound to no unit: the whole country.
pub async fn national_admin(store: &Store, username: &str) -> Official {
    account(store, username, Role::Admin, None).await
}

async fn account(store: &Store, username: &str, role: Role, unit: Option<i64>) -> Official {
    let user = crate::users::user(store, username, role, unit).await;
    let s = accounts::login(store, username, PASSWORD, "127.0.0.1", 8)
        .await
        .unwrap()
        .unwrap();
    Official {
        id: user.id,
        cookie: format!("danvan_phien={}", s.token),
        csrf: s.csrf,
    }
}

impl Pages {
    pub async fn new(name: &str) -> Pages {
        let env = Env::new(&format!("pages_{name}")).await;
        let other_commune = crate::units::id(&env.store, "24853-2025").await;
        let me = official(&env.store, "phi.lieng", Role::Officer, env.commune).await;
        let other = official(&env.store, "da.tong", Role::Officer, other_commune).await;
        Pages { env, me, other }
    }

    /// A request as it is, its answer read as the user reads it.
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let r = self.env.send(req).await;
        Answer {
            status: r.status,
            location: r
                .headers
                .get(header::LOCATION)
                .map_or(String::new(), |v| v.to_str().unwrap().to_string()),
            body: unescape(&r.text()),
        }
    }

    pub async fn get_as(&self, who: &Official, uri: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, &who.cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.get_as(&self.me, uri).await
    }

    /// A page that must answer 200.
    pub async fn page(&self, uri: &str) -> String {
        let a = self.get(uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        a.body
    }

    pub async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_as(&self.me, uri, fields).await
    }

    /// A form post as `who`, with their CSRF token. A change of a stored
    /// record carries the version its form showed, as a browser's post
    /// does: read from the page the form is on, unless `fields` give one.
    pub async fn post_as(&self, who: &Official, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let version = match form_page_of(uri) {
            Some(page) if !fields.iter().any(|(k, _)| *k == "_version") => {
                version_of(&self.get_as(who, &page).await.body)
            }
            _ => None,
        };
        let mut all = vec![("_csrf", who.csrf.as_str())];
        if let Some(v) = &version {
            all.push(("_version", v.as_str()));
        }
        all.extend_from_slice(fields);
        let req = Request::post(uri)
            .header(header::COOKIE, &who.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap();
        self.send(req).await
    }

    /// A form post that must be refused with 422 and save nothing.
    pub async fn refused(&self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let a = self.post(uri, fields).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
        assert!(a.body.contains("id=\"form-errors\""), "{}", a.body);
        a
    }

    pub async fn upload(&self, kind: &str, file_name: &str, content: &str) -> Answer {
        let boundary = "ranh-gioi-7MA4YWxkTrZu0gW";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"loai\"\r\n\r\n{kind}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{file_name}\"\r\n\
             Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
        );
        let req = Request::post(format!("/nhap-tep?_csrf={}", self.me.csrf))
            .header(header::COOKIE, &self.me.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// The job's page once the import has finished.
    pub async fn finished_job(&self, uri: &str) -> String {
        for _ in 0..500 {
            let body = self.page(uri).await;
            if !body.contains("http-equiv=\"refresh\"") {
                return body;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("import {uri} did not finish");
    }

    /// Every record of the commune's store: what the tests count.
    pub async fn counts(&self) -> [usize; 6] {
        let s = &self.store;
        [
            reception::list(s, None, 1000).await.unwrap().len(),
            mediation::list(s, None, 1000).await.unwrap().len(),
            meetings::list(s, None, 1000).await.unwrap().len(),
            models::list(s, None, 1000).await.unwrap().len(),
            oversight::list(s, None, 1000).await.unwrap().len(),
            directives::search_in(s, "", None).await.unwrap().len(),
        ]
    }

    pub async fn close(self) {
        self.env.close().await;
    }
}

/// `fields` with one value replaced.
pub fn with<'a>(
    fields: &[(&'a str, &'a str)],
    key: &str,
    value: &'a str,
) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|&(k, v)| if k == key { (k, value) } else { (k, v) })
        .collect()
}

/// What a form says of the date 31/02/2026.
pub const BAD_DATE: &str = "ngày «31/02/2026» không hợp lệ";

/// A reception of the commune `unit` as its form is filled in.
pub fn reception_form(unit: &str) -> [(&str, &str); 13] {
    [
        ("unit_id", unit),
        ("received_on", "15/09/2025"),
        ("official", "Nguyễn Thị Lan"),
        ("position", "Chủ tịch UBND xã"),
        ("kind", "periodic"),
        ("content", "complaint"),
        ("outcome", "guided"),
        ("turns", "2"),
        ("persons", "3"),
        ("delegations", "0"),
        ("delegation_persons", "0"),
        ("petition_id", ""),
        ("note", "Hỏi về đất rừng"),
    ]
}
