//! Open311 GeoReport v2: the keys of the applications that send requests
//! for citizens, and the requests as anyone may read them.
//!
//! A request is a submission through the portal's form or an application
//! (see [`super::submit_via`]), under a random number of its own
//! (`service_request_id`), never the petition's. Petitions entered by
//! officials have none and are never listed. What is read here is public:
//! no sender, the sender's name, address and phone put out of sight in
//! every text, and nothing but the kind, unit, status and times of a tố
//! cáo.

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use danvan_core::portal::{PortalKind, is_closed, redact, status_words};
use danvan_core::records::petition::{Petition, PetitionStatus, PetitionType};
use rand::RngCore;
use serde::Serialize;

use super::{sha256, submit::Via};
use crate::accounts::Role;
use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::{Store, StoreError, petitions, units};

/// An application's key, as listed (never the key itself).
#[derive(Debug, Clone, Serialize)]
pub struct AppKey {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

const KEY_ENTITY: &str = "open311_key";

fn key_hash(key: &str) -> String {
    sha256(&format!("danvan-open311:{}", key.trim()))
}

/// Keys are good for every unit: only a national administrator (or the
/// command line) manages them.
fn require_admin(store: &Store) -> Result<(), StoreError> {
    if store
        .actor()
        .role
        .is_some_and(|r| r != Role::Admin || store.scope().is_some())
    {
        return Err(StoreError::Forbidden(
            "chỉ quản trị viên cấp cả nước quản lý được khoá Open311 của các ứng dụng, vì khoá dùng được cho mọi đơn vị".into(),
        ));
    }
    Ok(())
}

/// A new request number: 24 hex digits (96 random bits).
pub(super) fn new_request_id() -> String {
    let mut b = [0u8; 12];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// Make a key for the application `name`. The key is returned once: only
/// its hash is kept. For administrators (and the command line).
pub async fn key_new(store: &Store, name: &str) -> Result<(AppKey, String), StoreError> {
    require_admin(store)?;
    let name = name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        return Err(DomainError::new(
            "open311.key_name",
            "tên ứng dụng phải dài từ 2 đến 100 ký tự",
        )
        .at_field("name")
        .into());
    }
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    let key = format!("o311_{}", hex::encode(b));
    let now = store.now();
    let mut tx = store.begin().await?;
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO open311_key (name, key_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(key_hash(&key))
        .bind(now)
        .fetch_one(&mut *c)
        .await?
    });
    let change =
        Change::new(Action::Create, KEY_ENTITY, id).after(&serde_json::json!({ "name": name }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok((
        AppKey {
            id,
            name: name.to_string(),
            created_at: now,
            revoked_at: None,
        },
        key,
    ))
}

/// Revoke the key numbered `id`: the application is refused from now on.
/// Returns whether a live key was revoked.
pub async fn key_revoke(store: &Store, id: i64) -> Result<bool, StoreError> {
    require_admin(store)?;
    let mut tx = store.begin().await?;
    let found: Option<(String, Option<NaiveDateTime>)> = on_tx!(&mut tx, c => {
        sqlx::query_as("SELECT name, revoked_at FROM open311_key WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
    });
    let (name, revoked) =
        found.ok_or_else(|| StoreError::NotFound(format!("khoá Open311 số {id}")))?;
    if revoked.is_some() {
        return Ok(false);
    }
    on_tx!(&mut tx, c => {
        sqlx::query("UPDATE open311_key SET revoked_at = $1 WHERE id = $2")
            .bind(store.now())
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    let change = Change::new(Action::Update, KEY_ENTITY, id)
        .before(&serde_json::json!({ "name": name, "revoked": false }))
        .after(&serde_json::json!({ "name": name, "revoked": true }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(true)
}

/// Every key, newest first. For administrators.
pub async fn keys(store: &Store) -> Result<Vec<AppKey>, StoreError> {
    require_admin(store)?;
    let rows: Vec<(i64, String, NaiveDateTime, Option<NaiveDateTime>)> = on_pool!(&store.pool, p => {
        sqlx::query_as("SELECT id, name, created_at, revoked_at FROM open311_key ORDER BY id DESC")
            .fetch_all(p)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, name, created_at, revoked_at)| AppKey {
            id,
            name,
            created_at,
            revoked_at,
        })
        .collect())
}

/// The application a key belongs to, if the key is live.
pub async fn app_of(store: &Store, key: &str) -> Result<Option<AppKey>, StoreError> {
    if key.trim().is_empty() {
        return Ok(None);
    }
    let row: Option<(i64, String, NaiveDateTime)> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, name, created_at FROM open311_key WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash(key))
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(|(id, name, created_at)| AppKey {
        id,
        name,
        created_at,
        revoked_at: None,
    }))
}

fn invalid(code: &'static str, field: &str, msg: String) -> StoreError {
    DomainError::new(code, msg).at_field(field).into()
}

/// Check what an application adds: a place on Earth, a short address, a
/// web link.
pub(super) fn check_via(v: &Via) -> Result<(), StoreError> {
    if let Some(lat) = v.lat
        && !(lat.is_finite() && (-90.0..=90.0).contains(&lat))
    {
        return Err(invalid(
            "open311.lat",
            "lat",
            format!("vĩ độ (lat) {lat} không hợp lệ: phải từ -90 đến 90"),
        ));
    }
    if let Some(lon) = v.lon
        && !(lon.is_finite() && (-180.0..=180.0).contains(&lon))
    {
        return Err(invalid(
            "open311.long",
            "long",
            format!("kinh độ (long) {lon} không hợp lệ: phải từ -180 đến 180"),
        ));
    }
    if v.address.chars().count() > 300 {
        return Err(invalid(
            "open311.address",
            "address_string",
            "địa điểm (address_string) dài quá 300 ký tự".into(),
        ));
    }
    let url = v.media_url.trim();
    if url.chars().count() > 2000
        || !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://"))
    {
        return Err(invalid(
            "open311.media_url",
            "media_url",
            "đường dẫn ảnh (media_url) phải là một địa chỉ http:// hoặc https:// không quá 2.000 ký tự"
                .into(),
        ));
    }
    Ok(())
}

/// A request as anyone may read it.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub request_id: String,
    pub kind: PortalKind,
    pub status: PetitionStatus,
    pub closed: bool,
    /// The public answer, else the status in plain words (only the latter
    /// for a tố cáo).
    pub status_notes: String,
    /// The content with the sender out of sight; `None` for a tố cáo.
    pub description: Option<String>,
    pub agency: String,
    pub unit_code: String,
    pub requested_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub media_url: Option<String>,
}

/// Open or closed, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Open,
    Closed,
}

/// Which requests to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// These numbers only (the other conditions are then ignored).
    pub ids: Vec<String>,
    pub kind: Option<PortalKind>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub state: Option<State>,
    /// The unit (a unit merged since: the one answering for it today).
    pub unit: Option<i64>,
}

/// At most this many requests in a list.
pub const MAX_LIST: usize = 1000;

const EXTRA: &str = "r.request_id AS o_request_id, r.service_code AS o_service_code, \
     r.requested_at AS o_requested_at, r.lat AS o_lat, r.lon AS o_lon, \
     r.address_string AS o_address, r.media_url AS o_media_url, \
     (SELECT a.body FROM petition_answer a WHERE a.petition_id = p.id AND a.public = $1) AS o_answer, \
     (SELECT l.at FROM audit_log l WHERE l.entity = 'petition' AND l.entity_id = CAST(p.id AS TEXT) \
      ORDER BY l.id DESC LIMIT 1) AS o_updated";

fn closed_sql() -> String {
    let any: Vec<String> = PetitionStatus::ALL
        .iter()
        .filter(|s| is_closed(**s))
        .map(|s| format!("({})", petitions::status_sql(*s)))
        .collect();
    format!("(CASE WHEN {} THEN 1 ELSE 0 END)", any.join(" OR "))
}

type Extra = (
    String,
    String,
    NaiveDateTime,
    Option<f64>,
    Option<f64>,
    String,
    String,
    Option<String>,
    Option<NaiveDateTime>,
);

/// The requests `f` asks for, newest first, at most [`MAX_LIST`].
pub async fn list(store: &Store, f: &Filter) -> Result<Vec<Request>, StoreError> {
    let cols: Vec<String> = petitions::ROW_COLUMNS
        .split(',')
        .map(|c| format!("p.{}", c.trim()))
        .collect();
    let mut sql = format!(
        "SELECT {EXTRA}, {} FROM open311_request r JOIN petition p ON p.id = r.petition_id \
         WHERE ($2 IS NULL OR r.request_id = $2) AND ($3 IS NULL OR r.service_code = $3) \
         AND ($4 IS NULL OR r.requested_at >= $4) AND ($5 IS NULL OR r.requested_at <= $5) \
         AND ($6 IS NULL OR p.unit_id = $6)",
        cols.join(", ")
    );
    if let Some(s) = f.state {
        let want = if s == State::Closed { 1 } else { 0 };
        sql.push_str(&format!(" AND {} = {want}", closed_sql()));
    }
    sql.push_str(&format!(
        " ORDER BY r.requested_at DESC, r.id DESC LIMIT {MAX_LIST}"
    ));
    let mut rows: Vec<(Extra, Petition)> = Vec::new();
    let ids: Vec<Option<&str>> = if f.ids.is_empty() {
        vec![None]
    } else {
        f.ids
            .iter()
            .take(MAX_LIST)
            .map(|s| Some(s.as_str()))
            .collect()
    };
    for id in ids {
        let (kind, from, to, unit) = if id.is_some() {
            (None, None, None, None)
        } else {
            (f.kind.map(|k| k.code()), f.from, f.to, f.unit)
        };
        let sql = sql.clone();
        let got: Vec<(Extra, Petition)> = on_pool!(&store.pool, c => {
            let found = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(true)
                .bind(id)
                .bind(kind)
                .bind(from)
                .bind(to)
                .bind(unit)
                .fetch_all(c)
                .await?;
            let mut out = Vec::with_capacity(found.len());
            for row in &found {
                use sqlx::Row;
                let extra: Extra = (
                    row.try_get("o_request_id")?,
                    row.try_get("o_service_code")?,
                    row.try_get("o_requested_at")?,
                    row.try_get("o_lat")?,
                    row.try_get("o_lon")?,
                    row.try_get("o_address")?,
                    row.try_get("o_media_url")?,
                    row.try_get("o_answer")?,
                    row.try_get("o_updated")?,
                );
                let (_, _, p) = petitions::row_to_petition(row)?;
                out.push((extra, p));
            }
            out
        });
        rows.extend(got);
    }
    let tree = units::tree(store).await?;
    Ok(rows
        .into_iter()
        .take(MAX_LIST)
        .map(|(e, p)| {
            let (request_id, code, requested_at, lat, lon, address, media_url, answer, updated) = e;
            let kind = PortalKind::parse(&code).unwrap_or(PortalKind::Recommendation);
            // A petition reclassified as a denunciation is one.
            let secret = kind == PortalKind::Denunciation || p.kind == PetitionType::Denunciation;
            let hide = super::track::secrets(&p);
            let status = p.status();
            let unit = tree.get(p.unit_id);
            let text = |t: &str| (!secret && !t.trim().is_empty()).then(|| redact(t, &hide));
            Request {
                request_id,
                kind: if secret {
                    PortalKind::Denunciation
                } else {
                    kind
                },
                status,
                closed: is_closed(status),
                status_notes: match answer {
                    Some(a) if !secret => redact(&a, &hide),
                    _ => status_words(status).to_string(),
                },
                description: text(&p.summary),
                agency: unit.map_or_else(String::new, |u| u.full_name()),
                unit_code: unit.map_or_else(String::new, |u| u.code.clone()),
                requested_at,
                updated_at: updated.map_or(requested_at, |u| u.max(requested_at)),
                address: text(&address),
                lat: lat.filter(|_| !secret),
                lon: lon.filter(|_| !secret),
                media_url: text(&media_url),
            }
        })
        .collect())
}

/// The request numbered `id`.
pub async fn get(store: &Store, id: &str) -> Result<Request, StoreError> {
    let f = Filter {
        ids: vec![id.trim().to_string()],
        ..Default::default()
    };
    list(store, &f)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::NotFound(format!("yêu cầu mã {}", id.trim())))
}

/// The unit an application names by its code (`jurisdiction_id`), or the
/// one that answers for it today if it was merged since; `None` when no
/// unit that receives today has or had that code.
pub async fn unit_by_code(store: &Store, code: &str) -> Result<Option<i64>, StoreError> {
    let tree = units::tree(store).await?;
    let today = store.today();
    let code = code.trim();
    let Some(u) = tree.all().iter().find(|u| u.code == code) else {
        return Ok(None);
    };
    let now = tree.effective(u.id, today);
    Ok(tree
        .get(now)
        .filter(|u| u.valid_on(today) && !u.is_country())
        .map(|u| u.id))
}
