//! Nhật ký thay đổi (audit log): every change to a record is written in the
//! same transaction as the change, with who made it, when, and the record
//! before and after as JSON. The table refuses updates and deletes (see
//! migration 0006), so the log cannot be edited, even by the application.
//!
//! Records are logged as their readers see them: a denouncer's identity is
//! masked in `before`/`after` and left out of the searchable text, so
//! neither reading nor searching the log reveals who denounced. The
//! identity is kept beside the entry (`restricted`), which [`list`] never
//! returns: only the petitions module reads it back, for a viewer assigned
//! to the petition (Luật Tố cáo 2018, art. 47).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use danvan_core::text::fold;
use danvan_core::unit::{UnitKind, full_name};
use serde::Serialize;
use serde_json::Value;
use sqlx::QueryBuilder;

use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

/// What kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Delete,
    /// A lifecycle step of a petition.
    Transition,
    /// A file imported as a whole (large imports log one entry per file).
    Import,
    Assign,
    Unassign,
    Login,
    Logout,
    /// An account deactivated: it can no longer sign in or use its tokens.
    Deactivate,
    Reactivate,
    /// A user changed their own password (giving the current one).
    ChangePassword,
    /// An administrator set a new password for an account.
    ResetPassword,
    /// An API token revoked.
    Revoke,
    /// Expired sessions and throttle rows removed.
    Purge,
    /// A report sent up the chain.
    Submit,
    /// A report accepted by the unit that asked for it.
    Accept,
    /// A report returned for correction.
    Return,
    /// An acceptance withdrawn by the reviewer's superior.
    Unaccept,
    /// A change to a period an accepted report locked.
    LateCorrection,
    /// A sender's personal data erased on their request.
    Erase,
}

impl Action {
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Transition => "transition",
            Action::Import => "import",
            Action::Assign => "assign",
            Action::Unassign => "unassign",
            Action::Login => "login",
            Action::Logout => "logout",
            Action::Deactivate => "deactivate",
            Action::Reactivate => "reactivate",
            Action::ChangePassword => "password_change",
            Action::ResetPassword => "password_reset",
            Action::Revoke => "revoke",
            Action::Purge => "purge",
            Action::Submit => "submit",
            Action::Accept => "accept",
            Action::Return => "return",
            Action::Unaccept => "unaccept",
            Action::LateCorrection => "late_correction",
            Action::Erase => "erase",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "create" => "tạo mới",
            "update" => "sửa",
            "delete" => "xoá",
            "transition" => "chuyển bước xử lý",
            "import" => "nhập tệp",
            "assign" => "phân công",
            "unassign" => "thôi phân công",
            "login" => "đăng nhập",
            "logout" => "đăng xuất",
            "deactivate" => "khoá tài khoản",
            "reactivate" => "mở lại tài khoản",
            "password_change" => "đổi mật khẩu",
            "password_reset" => "đặt lại mật khẩu",
            "revoke" => "thu hồi",
            "purge" => "dọn phiên hết hạn",
            "submit" => "gửi báo cáo",
            "accept" => "duyệt báo cáo",
            "return" => "trả lại báo cáo",
            "unaccept" => "huỷ duyệt báo cáo",
            "late_correction" => "sửa số liệu sau duyệt",
            "erase" => "xoá dữ liệu cá nhân theo yêu cầu",
            _ => "thay đổi",
        }
    }
}

/// One change to log.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: Action,
    /// The record type, as in the API paths: `petition`, `reception`, …
    pub entity: &'static str,
    pub entity_id: String,
    /// The unit the record belongs to (its new unit after an update), so an
    /// administrator of a subtree sees the changes of that subtree.
    pub unit_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// What only some readers may see (a denouncer's identity): stored, not
    /// searchable, never listed.
    pub restricted: Option<Value>,
}

impl Change {
    pub fn new(action: Action, entity: &'static str, entity_id: impl ToString) -> Change {
        Change {
            action,
            entity,
            entity_id: entity_id.to_string(),
            unit_id: None,
            before: None,
            after: None,
            restricted: None,
        }
    }

    pub fn restricted(mut self, v: Value) -> Change {
        self.restricted = Some(v);
        self
    }

    pub fn unit(mut self, unit_id: i64) -> Change {
        self.unit_id = Some(unit_id);
        self
    }

    pub fn before(mut self, v: &impl Serialize) -> Change {
        self.before = serde_json::to_value(v).ok();
        self
    }

    pub fn after(mut self, v: &impl Serialize) -> Change {
        self.after = serde_json::to_value(v).ok();
        self
    }
}

/// A record with its id, as logged: `{"id": 7, …its fields}`.
#[derive(Serialize)]
pub(crate) struct WithId<'a, T: Serialize> {
    pub id: i64,
    #[serde(flatten)]
    pub record: &'a T,
}

/// Audit rows per statement (12 arguments each): under SQLite's bound.
const LOG_ROWS: usize = 1000;

/// Write `change` as made by the store's actor, inside the change's own
/// transaction: if the change rolls back, so does its log entry.
///
/// Every change passes here, so this is also where the actor's role is
/// checked against the kind of record: a refused change returns
/// `Forbidden` and its transaction is dropped, writing nothing.
pub(crate) async fn log(tx: &mut Tx, store: &Store, change: Change) -> Result<(), StoreError> {
    log_many(tx, store, vec![change]).await
}

/// [`log`] for a batch (one entry per record of an import), written in
/// multi-row statements. The unit's name goes into the searchable text, so
/// "da tong" finds the changes of xã Đạ Tông.
pub(crate) async fn log_many(
    tx: &mut Tx,
    store: &Store,
    changes: Vec<Change>,
) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut unit_ids: Vec<i64> = changes.iter().filter_map(|c| c.unit_id).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let mut units: HashMap<i64, (i64, String)> = HashMap::with_capacity(unit_ids.len());
    for chunk in unit_ids.chunks(LOG_ROWS) {
        let rows: Vec<(i64, i64, String, String)> = on_tx!(tx, c => {
            let mut qb = QueryBuilder::new("SELECT id, province_id, kind, name FROM unit WHERE id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        });
        for (id, province, kind, name) in rows {
            let full = UnitKind::parse(&kind).map_or(name.clone(), |k| full_name(k, &name));
            units.insert(id, (province, full));
        }
    }
    let actor = store.actor();
    if let Some(role) = actor.role {
        for change in &changes {
            // A user's own sign-in, sign-out and password change are
            // decided by the accounts module (only ever for the actor).
            if !matches!(
                change.action,
                Action::Login | Action::Logout | Action::ChangePassword
            ) && !role.may_write(change.entity)
            {
                return Err(StoreError::Forbidden(format!(
                    "vai trò «{}» không được thay đổi dữ liệu loại này ({})",
                    role.label(),
                    change.entity
                )));
            }
        }
    }
    crate::record_import::file_ledger::enter(tx, store).await?;
    let at = store.now();
    let rows: Vec<Pending> = changes
        .into_iter()
        .map(|change| {
            let (province, unit_name) = change
                .unit_id
                .and_then(|u| units.get(&u))
                .map_or((0, ""), |(p, n)| (*p, n.as_str()));
            let before = change.before.as_ref().map(Value::to_string);
            let after = change.after.as_ref().map(Value::to_string);
            let restricted = change.restricted.as_ref().map(Value::to_string);
            let search = search_text(
                [
                    &actor.name,
                    change.entity,
                    &change.entity_id,
                    change.action.code(),
                    unit_name,
                ],
                [before.as_deref(), after.as_deref()],
            );
            Pending {
                province,
                search,
                before,
                after,
                restricted,
                change,
            }
        })
        .collect();
    for chunk in rows.chunks(LOG_ROWS) {
        on_tx!(tx, c => {
            let mut qb = QueryBuilder::new(
                "INSERT INTO audit_log (province_id, unit_id, at, user_id, actor, action, entity, entity_id, \
                 before, after, search, restricted) ",
            );
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(r.province)
                    .push_bind(r.change.unit_id)
                    .push_bind(at)
                    .push_bind(actor.user_id)
                    .push_bind(actor.name.as_str())
                    .push_bind(r.change.action.code())
                    .push_bind(r.change.entity)
                    .push_bind(r.change.entity_id.as_str())
                    .push_bind(r.before.as_deref())
                    .push_bind(r.after.as_deref())
                    .push_bind(r.search.as_str())
                    .push_bind(r.restricted.as_deref());
            });
            qb.build().execute(&mut *c).await?;
        });
    }
    Ok(())
}

/// The folded text an entry is searched by: who, what, which record, the
/// action, the unit's full name, and the start of each side's JSON.
fn search_text(
    [actor, entity, entity_id, action, unit_name]: [&str; 5],
    sides: [Option<&str>; 2],
) -> String {
    let mut search = format!(
        "{actor} {entity} {entity_id} {} {unit_name}",
        Action::label(action)
    );
    for v in sides.into_iter().flatten() {
        search.push(' ');
        search.push_str(&v.chars().take(2000).collect::<String>());
    }
    fold(&search)
}

/// Take `secrets` (a sender's name, address and phone) out of every entry
/// of one record, inside the erasure's transaction: each side's `sender`
/// is emptied, every text has them put out of sight, the part kept apart
/// for assigned handlers is dropped and the search text is rebuilt. Each
/// entry is stamped `erased_at`, the one change the log's trigger allows,
/// once. Returns how many entries were rewritten.
pub(crate) async fn erase(
    tx: &mut Tx,
    entity: &str,
    entity_id: &str,
    secrets: &[&str],
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    type Logged = (
        i64,
        Option<i64>,
        String,
        String,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Logged> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, unit_id, actor, action, before, after FROM audit_log \
             WHERE entity = $1 AND entity_id = $2 AND erased_at IS NULL ORDER BY id",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *c)
        .await?
    });
    let mut names: HashMap<i64, String> = HashMap::new();
    for (_, unit_id, ..) in &rows {
        let Some(u) = unit_id else { continue };
        if names.contains_key(u) {
            continue;
        }
        let row: Option<(String, String)> = on_tx!(tx, c => {
            sqlx::query_as("SELECT kind, name FROM unit WHERE id = $1")
                .bind(*u)
                .fetch_optional(&mut *c)
                .await?
        });
        let name = row.map_or(String::new(), |(kind, name)| {
            UnitKind::parse(&kind).map_or(name.clone(), |k| full_name(k, &name))
        });
        names.insert(*u, name);
    }
    let scrubbed = |side: Option<String>| {
        side.map(|text| match serde_json::from_str::<Value>(&text) {
            Ok(mut v) => {
                scrub(&mut v, secrets);
                v.to_string()
            }
            Err(_) => danvan_core::portal::redact(&text, secrets),
        })
    };
    let count = rows.len();
    for (id, unit_id, actor, action, before, after) in rows {
        let (before, after) = (scrubbed(before), scrubbed(after));
        let unit_name = unit_id
            .and_then(|u| names.get(&u))
            .map_or("", String::as_str);
        let search = search_text(
            [&actor, entity, entity_id, &action, unit_name],
            [before.as_deref(), after.as_deref()],
        );
        on_tx!(tx, c => {
            sqlx::query(
                "UPDATE audit_log SET before = $1, after = $2, restricted = NULL, search = $3, erased_at = $4 \
                 WHERE id = $5",
            )
            .bind(before.as_deref())
            .bind(after.as_deref())
            .bind(&search)
            .bind(at)
            .bind(id)
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(count)
}

/// Every sender a record's entries have held (names, addresses, phones,
/// masked ones left out), read inside an erasure's transaction: an erasure
/// takes out what the sender was before a correction too.
pub(crate) async fn logged_senders(
    tx: &mut Tx,
    entity: &str,
    entity_id: &str,
) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(Option<String>, Option<String>, Option<String>)> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT before, after, restricted FROM audit_log WHERE entity = $1 AND entity_id = $2",
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(&mut *c)
        .await?
    });
    let mut out = Vec::new();
    for (before, after, restricted) in rows {
        for side in [before, after].into_iter().flatten() {
            if let Ok(v) = serde_json::from_str::<Value>(&side) {
                collect_senders(&v, &mut out);
            }
        }
        // The part kept apart is `{"before": sender, "after": sender}`.
        if let Some(Ok(Value::Object(r))) = restricted.map(|r| serde_json::from_str::<Value>(&r)) {
            for sender in r.values() {
                sender_fields(sender, &mut out);
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn collect_senders(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Array(items) => items.iter().for_each(|x| collect_senders(x, out)),
        Value::Object(fields) => {
            for (key, x) in fields {
                if key == "sender" {
                    sender_fields(x, out);
                } else {
                    collect_senders(x, out);
                }
            }
        }
        _ => {}
    }
}

fn sender_fields(sender: &Value, out: &mut Vec<String>) {
    for f in ["name", "address", "phone"] {
        if let Some(s) = sender.get(f).and_then(Value::as_str) {
            let s = s.trim();
            if !s.is_empty() && s != danvan_core::records::petition::MASK {
                out.push(s.to_string());
            }
        }
    }
}

/// `v` without `secrets`: a `sender` object emptied, every text redacted.
fn scrub(v: &mut Value, secrets: &[&str]) {
    match v {
        Value::String(s) => *s = danvan_core::portal::redact(s, secrets),
        Value::Array(items) => items.iter_mut().for_each(|x| scrub(x, secrets)),
        Value::Object(fields) => {
            for (key, x) in fields.iter_mut() {
                if key == "sender" && x.is_object() {
                    *x = serde_json::json!({ "name": "", "address": "", "phone": "" });
                } else {
                    scrub(x, secrets);
                }
            }
        }
        _ => {}
    }
}

/// A change ready to write: its JSON and searchable text rendered.
struct Pending {
    change: Change,
    province: i64,
    before: Option<String>,
    after: Option<String>,
    restricted: Option<String>,
    search: String,
}

/// Log a change that has no record transaction of its own (a login).
pub async fn log_alone(store: &Store, change: Change) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    log(&mut tx, store, change).await?;
    tx.commit().await
}

/// One logged change, as read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Which entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub user_id: Option<i64>,
    /// Words anywhere in the entry, diacritics and case ignored.
    pub text: Option<String>,
    /// At most this many (default 200).
    pub limit: Option<i64>,
    /// Only entries numbered below this one: the next page of a list,
    /// walked by key (newest first).
    pub below: Option<i64>,
}

type Row = (
    i64,
    NaiveDateTime,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// Entries matching `filter`. A store limited to a subtree sees only the
/// changes of that subtree's records. Searching the log is for
/// administrators; the history of one record (its kind and number) is for
/// anyone who reads the record.
pub async fn list(store: &Store, filter: &Filter) -> Result<Vec<Entry>, StoreError> {
    let one_record = filter.entity.is_some() && filter.entity_id.is_some();
    let admin = store
        .actor()
        .role
        .is_none_or(|r| r == crate::accounts::Role::Admin);
    if !one_record && !admin {
        return Err(StoreError::Forbidden(
            "chỉ quản trị viên xem được nhật ký thay đổi".into(),
        ));
    }
    let mut sql = String::from(
        "SELECT a.id, a.at, a.user_id, a.actor, a.action, a.entity, a.entity_id, a.unit_id, a.before, a.after \
         FROM audit_log a",
    );
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(s) = store.scope() {
        binds.push(Bind::I(s.root));
        sql.push_str(&format!(
            " JOIN unit_path up ON up.unit_id = a.unit_id AND up.ancestor_id = ${}",
            binds.len()
        ));
    }
    if let Some(e) = &filter.entity {
        binds.push(Bind::S(e.clone()));
        conds.push(format!("a.entity = ${}", binds.len()));
    }
    if let Some(e) = &filter.entity_id {
        binds.push(Bind::S(e.clone()));
        conds.push(format!("a.entity_id = ${}", binds.len()));
    }
    if let Some(u) = filter.user_id {
        binds.push(Bind::I(u));
        conds.push(format!("a.user_id = ${}", binds.len()));
    }
    if let Some(t) = &filter.text {
        // Refused past the same bound as every search.
        danvan_core::text::search_patterns(t)?;
        for word in fold(t).split_whitespace() {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(Bind::S(format!("%{escaped}%")));
            conds.push(format!("a.search LIKE ${} ESCAPE '\\'", binds.len()));
        }
    }
    if let Some(k) = filter.below {
        binds.push(Bind::I(k));
        conds.push(format!("a.id < ${}", binds.len()));
    }
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    binds.push(Bind::I(filter.limit.unwrap_or(200).clamp(1, 10_000)));
    sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ${}", binds.len()));
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            q = match b {
                Bind::I(i) => q.bind(*i),
                Bind::S(s) => q.bind(s.as_str()),
            };
        }
        q.fetch_all(p).await?
    });
    // A record's history is for whoever reads the record: outside the
    // reader's scope it is not found, the same as a record that never was.
    if !admin && rows.is_empty() {
        return Err(StoreError::NotFound(
            "không có nhật ký của bản ghi này trong phạm vi của bạn".into(),
        ));
    }
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.0,
            at: r.1,
            user_id: r.2,
            actor: r.3,
            action: r.4,
            entity: r.5,
            entity_id: r.6,
            unit_id: r.7,
            before: r.8.and_then(|s| serde_json::from_str(&s).ok()),
            after: r.9.and_then(|s| serde_json::from_str(&s).ok()),
        })
        .collect())
}

enum Bind {
    I(i64),
    S(String),
}

/// An entry's restricted part, with what its reader must be checked
/// against: read only by the module that decides who may see it.
pub(crate) struct Restricted {
    pub entity: String,
    pub entity_id: String,
    pub unit_id: Option<i64>,
    pub value: Option<Value>,
}

pub(crate) async fn restricted(store: &Store, id: i64) -> Result<Option<Restricted>, StoreError> {
    let row: Option<(String, String, Option<i64>, Option<String>)> = on_pool!(&store.pool, p => {
        sqlx::query_as("SELECT entity, entity_id, unit_id, restricted FROM audit_log WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    Ok(row.map(|(entity, entity_id, unit_id, value)| Restricted {
        entity,
        entity_id,
        unit_id,
        value: value.and_then(|s| serde_json::from_str(&s).ok()),
    }))
}
