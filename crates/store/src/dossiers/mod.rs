//! One-stop dossiers: the bulk import (see [`import`]), reading one
//! dossier back, the per-province on-time formula, and the customary
//! statistics read from facts.

pub mod import;
mod parse;

use chrono::{Days, NaiveDate};
use danvan_core::DomainError;
use danvan_core::period::DateRange;
use danvan_core::records::dossier::rate::{DossierFigures, OnTimeFormula};
use danvan_core::records::dossier::{Channel, Dossier, keys};

use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::facts::{self, Detail, FactTable, Scope};
use crate::{Store, StoreError};

pub(crate) type Row = (
    String,
    i64,
    String,
    String,
    bool,
    NaiveDate,
    NaiveDate,
    Option<NaiveDate>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

pub(crate) const COLUMNS: &str = "code, unit_id, procedure_code, channel, inter_agency, \
                                  received_on, due_on, resolved_on, returned_on, withdrawn_on";

/// A stored row as a dossier; the procedure name is filled by the caller.
pub(crate) fn from_row(r: Row) -> Result<Dossier, StoreError> {
    Ok(Dossier {
        code: r.0,
        unit_id: r.1,
        procedure_code: r.2,
        procedure_name: String::new(),
        channel: Channel::parse(&r.3)?,
        inter_agency: r.4,
        received_on: r.5,
        due_on: r.6,
        resolved_on: r.7,
        returned_on: r.8,
        withdrawn_on: r.9,
    })
}

/// One dossier by its code, with its procedure's name; outside the
/// store's subtree, not found.
pub async fn get(store: &Store, code: &str) -> Result<Dossier, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM dossier WHERE code = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(p).await?
    });
    let not_found = || format!("hồ sơ «{code}»");
    let mut d = from_row(row.ok_or_else(|| StoreError::NotFound(not_found()))?)?;
    store.check_read(d.unit_id, not_found)?;
    let name: Option<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT name FROM onestop_procedure WHERE code = $1")
            .bind(d.procedure_code.as_str())
            .fetch_optional(p)
            .await?
    });
    d.procedure_name = name.unwrap_or_default();
    Ok(d)
}

/// Every dossier stored, without procedure names, for recounts (a crash
/// test reads a whole import back in one query). The whole table: for
/// the server's own checks, not for users.
pub async fn all(store: &Store) -> Result<Vec<Dossier>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM dossier ORDER BY code");
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    rows.into_iter().map(from_row).collect()
}

/// Number of dossiers stored (for import reports and tests), in the
/// store's subtree when it is limited to one.
pub async fn count(store: &Store) -> Result<i64, StoreError> {
    let root = store.read_root(None)?;
    on_pool!(&store.pool, p => {
        Ok(match root {
            Some(u) => sqlx::query_scalar(
                "SELECT COUNT(*) FROM dossier d JOIN unit_path up ON up.unit_id = d.unit_id \
                 WHERE up.ancestor_id = $1",
            )
            .bind(u)
            .fetch_one(p)
            .await?,
            None => sqlx::query_scalar("SELECT COUNT(*) FROM dossier").fetch_one(p).await?,
        })
    })
}

/// The on-time formula a province uses; the default when it set none.
pub async fn formula(store: &Store, province_id: i64) -> Result<OnTimeFormula, StoreError> {
    let code: Option<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT on_time_formula FROM onestop_setting WHERE province_id = $1")
            .bind(province_id)
            .fetch_optional(p)
            .await?
    });
    Ok(match code {
        Some(c) => OnTimeFormula::parse(&c)?,
        None => OnTimeFormula::default(),
    })
}

/// Set a province's on-time formula. Only a province (a root unit) may,
/// through a store that holds the province; the change is logged.
pub async fn set_formula(
    store: &Store,
    province_id: i64,
    f: OnTimeFormula,
) -> Result<(), StoreError> {
    let u = crate::units::by_id(store, province_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã số {province_id}")))?;
    if u.parent_id.is_some() {
        return Err(DomainError::new(
            "dossier.formula_not_province",
            format!(
                "công thức tỷ lệ đúng hạn do cấp tỉnh quy định; {} không phải cấp tỉnh",
                u.full_name()
            ),
        )
        .into());
    }
    store.check_write(province_id)?;
    let mut tx = store.begin().await?;
    let old: Option<String> = on_tx!(&mut tx, c => {
        let old = sqlx::query_scalar("SELECT on_time_formula FROM onestop_setting WHERE province_id = $1")
            .bind(province_id)
            .fetch_optional(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO onestop_setting (province_id, on_time_formula) VALUES ($1, $2) \
             ON CONFLICT (province_id) DO UPDATE SET on_time_formula = excluded.on_time_formula",
        )
        .bind(province_id)
        .bind(f.code())
        .execute(&mut *c)
        .await?;
        old
    });
    let setting = |code: &str| serde_json::json!({ "on_time_formula": code });
    let change = match old {
        Some(o) => Change::new(Action::Update, "onestop_setting", province_id).before(&setting(&o)),
        None => Change::new(Action::Create, "onestop_setting", province_id),
    };
    let change = change.unit(province_id).after(&setting(f.code()));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

fn stock(t: &FactTable, status: &str) -> i64 {
    t.total_where(keys::PENDING, &[("status", status)])
}

/// The flow keys of the one-stop table (read over the period, with
/// breakdowns); [`keys::PENDING`] is the stock.
pub const FLOW_KEYS: [&str; 5] = [
    keys::RECEIVED,
    keys::RESOLVED,
    keys::RETURNED,
    keys::WITHDRAWN,
    keys::FELL_DUE,
];

/// The customary one-stop table of a subtree over a period, from facts:
/// flows over the range, pending stocks up to its end and up to the day
/// before it (carried over).
pub async fn figures(
    store: &Store,
    scope: Scope,
    range: DateRange,
) -> Result<DossierFigures, StoreError> {
    let flows = facts::read(store, scope, &FLOW_KEYS, range, Detail::Breakdowns).await?;
    let end = facts::read(
        store,
        scope,
        &[keys::PENDING],
        DateRange::up_to(range.end),
        Detail::Breakdowns,
    )
    .await?;
    let eve = range.start - Days::new(1);
    let before = facts::read(
        store,
        scope,
        &[keys::PENDING],
        DateRange::up_to(eve),
        Detail::Totals,
    )
    .await?;
    Ok(figures_from(&flows, &end, &before))
}

/// The one-stop table from facts already read: `flows` holds
/// [`FLOW_KEYS`] over the period with breakdowns, `end` the pending stock
/// up to its last day with breakdowns, `before` the pending stock up to
/// the day before it (its total is enough). For callers that batch their
/// reads (dashboards).
pub fn figures_from(flows: &FactTable, end: &FactTable, before: &FactTable) -> DossierFigures {
    let received = flows.by(keys::RECEIVED, "channel");
    let resolved = flows.by(keys::RESOLVED, "timeliness");
    let due = flows.by(keys::FELL_DUE, "outcome");
    let get = |m: &std::collections::BTreeMap<String, i64>, k: &str| m.get(k).copied().unwrap_or(0);
    DossierFigures {
        carried_over: before.total(keys::PENDING),
        received_direct: get(&received, Channel::Direct.code()),
        received_online: get(&received, Channel::Online.code()),
        received_post: get(&received, Channel::Post.code()),
        received_inter_agency: flows.total_where(keys::RECEIVED, &[("route", "inter_agency")]),
        resolved_early: get(&resolved, "early"),
        resolved_on_time: get(&resolved, "on_time"),
        resolved_late: get(&resolved, "late"),
        pending_in_time: stock(end, "in_time"),
        pending_nearly_due: stock(end, "nearly_due"),
        pending_overdue: stock(end, "overdue"),
        returned: flows.total(keys::RETURNED),
        withdrawn: flows.total(keys::WITHDRAWN),
        fell_due: flows.total(keys::FELL_DUE),
        fell_due_in_time: get(&due, "in_time"),
    }
}
