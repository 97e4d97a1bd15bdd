//! Nhật ký thay đổi (audit log): every change to a record is written in the
//! same transaction as the change, with who made it, when, and the record
//! before and after as JSON. The table refuses updates and deletes (see
//! migration 0006), so the log cannot be edited, even by the application.

use chrono::NaiveDateTime;
use danvan_core::text::fold;
use serde::Serialize;
use serde_json::Value;

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
        }
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

fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Write `change` as made by the store's actor, inside the change's own
/// transaction: if the change rolls back, so does its log entry.
///
/// Every change passes here, so this is also where the actor's role is
/// checked against the kind of record: a refused change returns
/// `Forbidden` and its transaction is dropped, writing nothing.
pub(crate) async fn log(tx: &mut Tx, store: &Store, change: Change) -> Result<(), StoreError> {
    let actor = store.actor();
    if let Some(role) = actor.role
        && !matches!(change.action, Action::Login | Action::Logout)
        && !role.may_write(change.entity)
    {
        return Err(StoreError::Forbidden(format!(
            "vai trò «{}» không được thay đổi dữ liệu loại này ({})",
            role.label(),
            change.entity
        )));
    }
    let before = change.before.as_ref().map(Value::to_string);
    let after = change.after.as_ref().map(Value::to_string);
    let mut search = format!(
        "{} {} {} {}",
        actor.name,
        change.entity,
        change.entity_id,
        Action::label(change.action.code())
    );
    for v in [&before, &after].into_iter().flatten() {
        search.push(' ');
        search.push_str(&v.chars().take(2000).collect::<String>());
    }
    let search = fold(&search);
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit_log (province_id, unit_id, at, user_id, actor, action, entity, entity_id, \
             before, after, search) \
             VALUES (COALESCE((SELECT province_id FROM unit WHERE id = $1), 0), $1, $2, $3, $4, $5, $6, $7, \
             $8, $9, $10)",
        )
        .bind(change.unit_id)
        .bind(now())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .bind(change.action.code())
        .bind(change.entity)
        .bind(change.entity_id.as_str())
        .bind(before.as_deref())
        .bind(after.as_deref())
        .bind(search.as_str())
        .execute(&mut *c)
        .await?;
    });
    Ok(())
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
/// changes of that subtree's records.
pub async fn list(store: &Store, filter: &Filter) -> Result<Vec<Entry>, StoreError> {
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
        for word in fold(t).split_whitespace() {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            binds.push(Bind::S(format!("%{escaped}%")));
            conds.push(format!("a.search LIKE ${} ESCAPE '\\'", binds.len()));
        }
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
