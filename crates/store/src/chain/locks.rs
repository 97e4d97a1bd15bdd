//! Khóa số liệu (locked periods). Once a superior accepts a unit's report,
//! the figures it accepted must not change under it: a record dated in the
//! report's period, at the unit or below, can no longer be created,
//! corrected or deleted. The refusal names the report that locks it.
//!
//! Two checks, both inside the writing transaction:
//! - every fact delta (the one path every record write takes to the
//!   figures: forms, the API, imports, lifecycle steps) is refused when it
//!   changes a half-month bucket of a locked period at the locked unit —
//!   roll-ups write a row at every ancestor, so a change anywhere below
//!   shows there;
//! - the record kinds of `store::table` also check the record's own day,
//!   so a correction that changes no figure (a directive's title, which
//!   the report's annex lists) is refused too.
//!
//! The exception is a late correction (sửa sau duyệt,
//! [`Store::late_correction`]) by a user of the reviewing unit or above,
//! with a reason: it goes through, is logged against each report it
//! touches, and the report shows the difference per figure; the frozen
//! snapshot stays as it was.

use std::collections::{BTreeSet, HashSet};

use chrono::NaiveDate;
use danvan_core::period::Grain;
use danvan_core::unit::UnitKind;
use sqlx::QueryBuilder;

use super::dmy;
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_tx};
use crate::{Store, StoreError};

/// An accepted report's hold on its unit and period.
#[derive(Debug, Clone)]
struct Lock {
    submission: i64,
    unit_id: i64,
    unit: String,
    start: NaiveDate,
    end: NaiveDate,
    number: Option<String>,
    version: i64,
    reviewed_at: Option<chrono::NaiveDateTime>,
    /// The unit that accepted it (asked for it).
    reviewer: i64,
    province: i64,
}

type LockRow = (
    i64,
    i64,
    String,
    String,
    NaiveDate,
    NaiveDate,
    Option<String>,
    i64,
    Option<chrono::NaiveDateTime>,
    i64,
    i64,
);

const SELECT: &str = "SELECT s.id, s.unit_id, u.kind, u.name, s.period_start, s.period_end, \
     s.number, s.version, s.reviewed_at, r.unit_id, s.province_id FROM report_submission s \
     JOIN unit u ON u.id = s.unit_id JOIN report_request r ON r.id = s.request_id ";

fn lock(r: LockRow) -> Lock {
    let (submission, unit_id, kind, name, start, end, number, version, reviewed_at, reviewer, p) =
        r;
    let unit =
        UnitKind::parse(&kind).map_or(name.clone(), |k| danvan_core::unit::full_name(k, &name));
    Lock {
        submission,
        unit_id,
        unit,
        start,
        end,
        number,
        version,
        reviewed_at,
        reviewer,
        province: p,
    }
}

/// Ids per statement: well under both engines' bind limits.
const CHUNK: usize = 500;

/// The accepted reports held by `units` themselves.
async fn held_by(tx: &mut Tx, units: &[i64]) -> Result<Vec<Lock>, StoreError> {
    let mut out = Vec::new();
    for chunk in units.chunks(CHUNK) {
        let rows: Vec<LockRow> = on_tx!(tx, c => {
            let mut qb = QueryBuilder::new(SELECT);
            qb.push("WHERE s.status = 'accepted' AND s.unit_id IN (");
            let mut sep = qb.separated(", ");
            for u in chunk {
                sep.push_bind(*u);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        });
        out.extend(rows.into_iter().map(lock));
    }
    Ok(out)
}

/// Refuse a fact delta that changes a locked period: `rows` are the
/// (unit, half-month bucket) of its non-zero half-month rows.
pub(crate) async fn check_delta(tx: &mut Tx, rows: &HashSet<(i64, i32)>) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let units: Vec<i64> = rows
        .iter()
        .map(|(u, _)| *u)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let locks = held_by(tx, &units).await?;
    let hit: Vec<Lock> = locks
        .into_iter()
        .filter(|l| {
            let (lo, hi) = (Grain::Half.bucket(l.start), Grain::Half.bucket(l.end));
            rows.iter()
                .any(|(u, b)| *u == l.unit_id && (lo..=hi).contains(b))
        })
        .collect();
    met(tx, hit).await
}

/// Refuse writing records of these (unit, day)s when an accepted report
/// of the unit or a unit above it covers the day.
pub(crate) async fn check_records(
    tx: &mut Tx,
    records: &[(i64, NaiveDate)],
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let units: Vec<i64> = records
        .iter()
        .map(|(u, _)| *u)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut hit: Vec<Lock> = Vec::new();
    for chunk in units.chunks(CHUNK) {
        let rows: Vec<(i64, i64)> = on_tx!(tx, c => {
            let mut qb = QueryBuilder::new(
                "SELECT p.unit_id, s.id FROM unit_path p \
                 JOIN report_submission s ON s.unit_id = p.ancestor_id \
                 WHERE s.status = 'accepted' AND p.unit_id IN (",
            );
            let mut sep = qb.separated(", ");
            for u in chunk {
                sep.push_bind(*u);
            }
            qb.push(")");
            qb.build_query_as().fetch_all(&mut *c).await?
        });
        if rows.is_empty() {
            continue;
        }
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.1)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let locks: Vec<Lock> = on_tx!(tx, c => {
            let mut qb = QueryBuilder::new(SELECT);
            qb.push("WHERE s.id IN (");
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            let rows: Vec<LockRow> = qb.build_query_as().fetch_all(&mut *c).await?;
            rows.into_iter().map(lock).collect()
        });
        for l in locks {
            let covered = rows.iter().any(|(u, s)| {
                *s == l.submission
                    && records
                        .iter()
                        .any(|(ru, d)| ru == u && (l.start..=l.end).contains(d))
            });
            if covered && !hit.iter().any(|h| h.submission == l.submission) {
                hit.push(l);
            }
        }
    }
    met(tx, hit).await
}

/// What meeting `locks` means: a refusal naming the first, or — for a late
/// correction by someone of the reviewing unit or above — a log entry
/// against each report touched.
async fn met(tx: &mut Tx, mut locks: Vec<Lock>) -> Result<(), StoreError> {
    if locks.is_empty() {
        return Ok(());
    }
    locks.sort_by_key(|l| l.submission);
    let store = tx.origin.clone();
    let Some(reason) = store.late_reason.clone() else {
        let l = &locks[0];
        let number = l
            .number
            .as_deref()
            .map_or(String::new(), |n| format!(" số {n}"));
        let when = l
            .reviewed_at
            .map_or(String::new(), |t| format!(" ngày {}", dmy(t.date())));
        return Err(StoreError::Locked(format!(
            "số liệu của {} từ {} đến {} đã khóa: báo cáo{number} (lần {}) đã được duyệt{when}. \
             Muốn sửa, cán bộ của đơn vị đã duyệt (hoặc cấp trên) chọn «sửa sau duyệt» và ghi lý do",
            l.unit,
            dmy(l.start),
            dmy(l.end),
            l.version
        )));
    };
    for l in &locks {
        let authorised = match (store.actor().role, store.scope()) {
            (None, _) => true,
            (Some(crate::accounts::Role::Admin), _) => true,
            (Some(crate::accounts::Role::Officer | crate::accounts::Role::Viewer), scope) => {
                scope.is_none_or(|s| s.contains(l.reviewer))
            }
            _ => false,
        };
        if !authorised {
            return Err(StoreError::Forbidden(format!(
                "chỉ cán bộ của đơn vị đã duyệt báo cáo của {} (hoặc cấp trên) được sửa số liệu \
                 sau duyệt",
                l.unit
            )));
        }
        if tx.late_logged.contains(&l.submission) {
            continue;
        }
        tx.late_logged.push(l.submission);
        let at = store.now();
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO late_correction (submission_id, province_id, at, user_id, actor, reason) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(l.submission)
            .bind(l.province)
            .bind(at)
            .bind(store.actor().user_id)
            .bind(&store.actor().name)
            .bind(&*reason)
            .execute(&mut *c)
            .await?;
        });
        let change = Change::new(Action::LateCorrection, "report_submission", l.submission)
            .unit(l.unit_id)
            .after(&serde_json::json!({"reason": &*reason}));
        audit::log(tx, &store, change).await?;
    }
    Ok(())
}

/// Whether `store` may make late corrections to what `reviewer` accepted.
pub fn may_correct_late(store: &Store, reviewer: i64) -> bool {
    match store.actor().role {
        None | Some(crate::accounts::Role::Admin) => true,
        Some(crate::accounts::Role::Officer | crate::accounts::Role::Viewer) => {
            store.permits(reviewer)
        }
        _ => false,
    }
}
