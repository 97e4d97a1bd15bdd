//! Due lists: pending petitions against their running deadline, read
//! through the partial index of pending petitions.

use chrono::NaiveDate;
use danvan_core::calendar::deadline::{DueStatus, due_status};
use danvan_core::records::petition::{PetitionStatus, PetitionType};
use serde::Serialize;
use sqlx::QueryBuilder;

use crate::db::on_pool;
use crate::{Store, StoreError, units};

/// Which deadline a pending petition is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Xử lý đơn: not handled yet.
    Processing,
    /// Giải quyết: accepted, not resolved yet.
    Resolution,
}

impl DeadlineKind {
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Processing => "thời hạn xử lý đơn",
            DeadlineKind::Resolution => "thời hạn giải quyết",
        }
    }
}

/// A pending petition and where it stands against its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub id: i64,
    pub unit_id: i64,
    pub kind: PetitionType,
    pub received_on: NaiveDate,
    pub status: PetitionStatus,
    pub deadline_kind: DeadlineKind,
    pub deadline: NaiveDate,
    pub due: DueStatus,
}

/// Which pending petitions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Past their deadline on `today`.
    Overdue,
    /// Due within the next `n` days (today included), not yet overdue.
    DueWithin(u32),
}

/// Pending petitions of a unit's subtree with a running deadline, most
/// urgent first: unhandled ones against the handling deadline, accepted
/// unresolved ones against the resolution deadline. A petition belongs to
/// the unit that answers for its receiving unit on `today`, so one still
/// pending at a commune abolished by a merger shows under its successor.
/// Only petitions of the store's subtree are listed; a unit outside it is
/// not found.
pub async fn due_list(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    which: DueFilter,
) -> Result<Vec<DueItem>, StoreError> {
    let soon = match which {
        DueFilter::Overdue => 0,
        DueFilter::DueWithin(n) => n,
    };
    let items = running(store, unit_id, today, soon).await?;
    Ok(items
        .into_iter()
        .filter(|i| match which {
            DueFilter::Overdue => matches!(i.due, DueStatus::Overdue(_)),
            DueFilter::DueWithin(_) => matches!(i.due, DueStatus::DueSoon(_)),
        })
        .collect())
}

/// The due lists as a dashboard shows them: how many petitions of the
/// subtree are overdue and due within the soon days, and the first few of
/// each, most urgent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DueSummary {
    pub overdue_count: usize,
    pub soon_count: usize,
    /// The first `limit` of [`due_list`] for [`DueFilter::Overdue`].
    pub overdue: Vec<DueItem>,
    /// The first `limit` of [`due_list`] for [`DueFilter::DueWithin`].
    pub soon: Vec<DueItem>,
}

/// [`due_list`] for [`DueFilter::Overdue`] and [`DueFilter::DueWithin`]
/// at once, counted and cut to `limit` in the database: a backlog of
/// thousands costs what `limit` rows cost, not thousands of rows read.
pub async fn due_summary(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    soon_days: u32,
    limit: usize,
) -> Result<DueSummary, StoreError> {
    let members = due_members(store, unit_id, today).await?;
    let cutoff = soon_cutoff(today, soon_days);
    let overdue_until = today.pred_opt().unwrap_or(today);
    let mut out = DueSummary::default();
    for chunk in members.chunks(500) {
        let (overdue, all): (i64, i64) = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("SELECT COALESCE(SUM(CASE WHEN ");
            qb.push(RUNNING_DEADLINE)
                .push(" < ")
                .push_bind(today)
                .push(" THEN 1 ELSE 0 END), 0), COUNT(*)");
            push_due_from(&mut qb, None, cutoff, chunk);
            qb.build_query_as().fetch_one(p).await?
        });
        out.overdue_count += usize::try_from(overdue).unwrap_or(0);
        out.soon_count += usize::try_from(all - overdue).unwrap_or(0);
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        for (from, until, list) in [
            (None, overdue_until, &mut out.overdue),
            (Some(today), cutoff, &mut out.soon),
        ] {
            if from.is_none() && overdue_until >= today {
                continue; // no day before `today`
            }
            let rows: Vec<DueRow> = on_pool!(&store.pool, p => {
                let mut qb = QueryBuilder::new(DUE_COLUMNS);
                push_due_from(&mut qb, from, until, chunk);
                qb.push(" ORDER BY ")
                    .push(RUNNING_DEADLINE)
                    .push(", id LIMIT ")
                    .push_bind(n);
                qb.build_query_as().fetch_all(p).await?
            });
            for r in rows {
                list.push(due_item(r, today, soon_days)?);
            }
        }
    }
    for list in [&mut out.overdue, &mut out.soon] {
        list.sort_by_key(|i| (i.deadline, i.id));
        list.truncate(limit);
    }
    Ok(out)
}

/// The pending petitions an official must act on by `until` (overdue
/// ones included): those assigned to them, wherever they are, and, below
/// `unit` when given, those nobody is assigned to yet. Most urgent first.
/// Only petitions of the store's subtree are listed.
pub async fn due_for_official(
    store: &Store,
    official_id: i64,
    unit: Option<i64>,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<DueItem>, StoreError> {
    let soon = u32::try_from((until - today).num_days().max(0)).unwrap_or(u32::MAX);
    let rows: Vec<DueRow> = on_pool!(&store.pool, p => {
        let mut qb = QueryBuilder::new(DUE_COLUMNS);
        qb.push(
            " FROM petition WHERE resolved_on IS NULL AND (handling IS NULL OR handling = 'accepted') \
             AND id IN (SELECT petition_id FROM petition_assignment WHERE official_id = ",
        )
        .push_bind(official_id)
        .push(") AND ")
        .push(RUNNING_DEADLINE)
        .push(" <= ")
        .push_bind(until);
        qb.build_query_as().fetch_all(p).await?
    });
    let mut out = Vec::new();
    for r in rows {
        let item = due_item(r, today, soon)?;
        if store.permits(item.unit_id) {
            out.push(item);
        }
    }
    if let Some(unit) = unit {
        let open = running(store, unit, today, soon).await?;
        let mut taken = std::collections::HashSet::new();
        let ids: Vec<i64> = open.iter().map(|i| i.id).collect();
        for chunk in ids.chunks(500) {
            let got: Vec<i64> = on_pool!(&store.pool, p => {
                let mut qb = QueryBuilder::new(
                    "SELECT DISTINCT petition_id FROM petition_assignment WHERE petition_id IN (",
                );
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_scalar().fetch_all(p).await?
            });
            taken.extend(got);
        }
        out.extend(open.into_iter().filter(|i| !taken.contains(&i.id)));
    }
    out.sort_by_key(|i| (i.deadline, i.id));
    out.dedup_by_key(|i| i.id);
    Ok(out)
}

/// Every pending petition of the subtree with a running deadline, classed
/// against `soon` days, most urgent first.
async fn running(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    soon: u32,
) -> Result<Vec<DueItem>, StoreError> {
    let members = due_members(store, unit_id, today).await?;
    // Both lists drop what is due later than `soon` days from now, so
    // only deadlines up to then are read.
    let cutoff = soon_cutoff(today, soon);
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let rows: Vec<DueRow> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(DUE_COLUMNS);
            push_due_from(&mut qb, None, cutoff, chunk);
            qb.build_query_as().fetch_all(p).await?
        });
        for r in rows {
            out.push(due_item(r, today, soon)?);
        }
    }
    out.sort_by_key(|i| (i.deadline, i.id));
    Ok(out)
}

/// The units whose pending petitions belong to `unit_id`'s subtree on
/// `today` (a merged unit's go to its successor), among those the store
/// may see, in id order.
async fn due_members(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
) -> Result<Vec<i64>, StoreError> {
    let tree = units::tree(store).await?;
    store.read_root(Some(unit_id))?;
    let Some(subtree) = tree.subtree(unit_id) else {
        return Err(StoreError::NotFound(format!("đơn vị có mã số {unit_id}")));
    };
    Ok(tree
        .all()
        .iter()
        .map(|u| u.id)
        .filter(|&id| store.permits(id) && subtree.contains(tree.effective(id, today)))
        .collect())
}

/// The last day a petition due within `soon` days can be due.
fn soon_cutoff(today: NaiveDate, soon: u32) -> NaiveDate {
    today
        .checked_add_days(chrono::Days::new(u64::from(soon)))
        .unwrap_or(NaiveDate::MAX)
}

type DueRow = (
    i64,
    i64,
    String,
    NaiveDate,
    Option<String>,
    Option<bool>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

const DUE_COLUMNS: &str =
    "SELECT id, unit_id, kind, received_on, handling, eligible, processing_deadline, deadline";

/// The deadline that runs: handling until the petition is handled, then
/// resolution.
const RUNNING_DEADLINE: &str =
    "(CASE WHEN handling IS NULL THEN processing_deadline ELSE deadline END)";

fn due_item(r: DueRow, today: NaiveDate, soon: u32) -> Result<DueItem, StoreError> {
    let (id, unit_id, kind, received_on, handling, eligible, processing, deadline) = r;
    let (deadline_kind, deadline, status) = match handling {
        None => (
            DeadlineKind::Processing,
            processing.expect("filtered"),
            match eligible {
                None => PetitionStatus::Received,
                Some(true) => PetitionStatus::Eligible,
                Some(false) => PetitionStatus::Ineligible,
            },
        ),
        Some(_) => (
            DeadlineKind::Resolution,
            deadline.expect("filtered"),
            PetitionStatus::InResolution,
        ),
    };
    Ok(DueItem {
        id,
        unit_id,
        kind: PetitionType::parse(&kind)?,
        received_on,
        status,
        deadline_kind,
        deadline,
        due: due_status(deadline, today, soon),
    })
}

/// `FROM petition WHERE …`: the pending petitions of `units` whose running
/// deadline falls within `from..=until` (`from`: none, any day before).
/// The first two terms are the WHERE clause of the partial index
/// `petition_pending` (migration 0008), written the same way: SQLite uses
/// a partial index only when the query's terms imply the index's, and the
/// index covers every column read. A petition not yet handled has no
/// resolution, so the terms change nothing.
fn push_due_from<DB: sqlx::Database>(
    qb: &mut QueryBuilder<DB>,
    from: Option<NaiveDate>,
    until: NaiveDate,
    units: &[i64],
) where
    for<'t> NaiveDate: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push(
        " FROM petition WHERE resolved_on IS NULL AND (handling IS NULL OR handling = 'accepted') AND (",
    );
    for (n, (test, column)) in [
        ("handling IS NULL", "processing_deadline"),
        ("handling = 'accepted'", "deadline"),
    ]
    .into_iter()
    .enumerate()
    {
        if n > 0 {
            qb.push(" OR ");
        }
        qb.push(format!("({test} AND {column} <= "))
            .push_bind(until);
        if let Some(from) = from {
            qb.push(format!(" AND {column} >= ")).push_bind(from);
        }
        qb.push(")");
    }
    qb.push(") AND unit_id IN (");
    let mut sep = qb.separated(", ");
    for id in units {
        sep.push_bind(*id);
    }
    qb.push(")");
}

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;

    /// The due lists read the backlog through the partial index alone,
    /// never the petition table: the plan SQLite chooses for the query as
    /// `running` sends it.
    #[tokio::test]
    async fn due_query_uses_the_pending_index() {
        let path = std::env::temp_dir().join(format!("danvan-due-plan-{}.db", std::process::id()));
        let url = path.display().to_string();
        let store = Store::open(&url).await.unwrap();
        let plan: Vec<String> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("EXPLAIN QUERY PLAN ");
            qb.push(DUE_COLUMNS);
            let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
            push_due_from(&mut qb, Some(d(11, 30)), d(12, 5), &[1, 2, 3]);
            qb.push(" ORDER BY ").push(RUNNING_DEADLINE).push(", id LIMIT 50");
            let rows = qb.build().fetch_all(p).await.unwrap();
            rows.iter().map(|r| r.get::<String, _>("detail")).collect()
        });
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{url}{suffix}"));
        }
        let plan = plan.join("\n");
        assert!(
            plan.contains("USING COVERING INDEX petition_pending"),
            "{plan}"
        );
    }
}
