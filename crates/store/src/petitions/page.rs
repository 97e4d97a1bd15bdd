//! The petition list a page at a time, filtered, searched and sorted by
//! the database, so a list of the whole country costs what one page
//! costs. Pages are walked by key (keyset pagination), never by offset:
//! newest received first, then highest number, and a page link carries
//! the key of the row it continues from, so a deep page is as cheap as
//! the first and a petition recorded meanwhile neither repeats nor hides
//! a row.
//!
//! Denouncer secrecy holds in the search too: a sender's name and address
//! are searched only where the reader may see them (not a denunciation,
//! or the reader is assigned to it); rows come back masked as every read.

use std::fmt::Write;

use chrono::NaiveDate;
use danvan_core::records::petition::{Handling, Petition, PetitionStatus, PetitionType};
use danvan_core::text::search_patterns;

use super::access::{assigned_of, masked};
use super::read::{Bind, Filter, extensions_of};
use super::row::{COLUMNS, row_to_petition};
use super::{StoredPetition, Viewer};
use crate::db::on_pool;
use crate::{Store, StoreError};

/// Most rows one page holds.
pub const MAX_PAGE: usize = 500;

/// A count stops here: past it a list says "more than".
pub const COUNT_CAP: i64 = 10_000;

/// A row's place in the list's order: its received day, then its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageKey {
    pub received_on: NaiveDate,
    pub id: i64,
}

impl PageKey {
    fn of(id: i64, p: &Petition) -> PageKey {
        PageKey {
            received_on: p.received_on,
            id,
        }
    }

    /// As a page link carries it: `2025-09-10.123`.
    pub fn param(&self) -> String {
        format!("{}.{}", self.received_on.format("%Y-%m-%d"), self.id)
    }

    /// Read back from a page link; anything else is `None`.
    pub fn parse(s: &str) -> Option<PageKey> {
        let (day, id) = s.trim().split_once('.')?;
        Some(PageKey {
            received_on: NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Which page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The newest petitions.
    First,
    /// The page after the row with this key.
    After(PageKey),
    /// The page before the row with this key.
    Before(PageKey),
}

/// One page of the list.
#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<StoredPetition>,
    /// Where the next (older) page starts, when there is one.
    pub next: Option<PageKey>,
    /// Where the previous (newer) page ends, when this is not the first.
    pub previous: Option<PageKey>,
}

/// The `WHERE` text of a list and the values it binds, numbered from 1.
struct Conditions {
    from: String,
    binds: Vec<Bind>,
}

impl Conditions {
    fn bind(&mut self, b: Bind) -> usize {
        self.binds.push(b);
        self.binds.len()
    }
}

/// The condition that a petition is in `status`, as core's
/// [`Petition::status`] decides it from the stored columns.
pub(crate) fn status_sql(status: PetitionStatus) -> String {
    use PetitionStatus as S;
    let handled = |h: Handling| format!("p.eligible IS NOT NULL AND p.handling = '{}'", h.code());
    match status {
        S::Received => "p.eligible IS NULL".into(),
        S::Eligible => "p.eligible = TRUE AND p.handling IS NULL".into(),
        S::Ineligible => "p.eligible = FALSE AND p.handling IS NULL".into(),
        S::Transferred => handled(Handling::Transferred),
        S::Urged => handled(Handling::Urged),
        S::Returned => handled(Handling::Returned),
        S::Archived => handled(Handling::Archived),
        S::InResolution => format!("{} AND p.resolved_on IS NULL", handled(Handling::Accepted)),
        S::Resolved => format!(
            "{} AND p.resolved_on IS NOT NULL",
            handled(Handling::Accepted)
        ),
    }
}

/// `FROM petition p … WHERE …` for `filter` and the search `words`, as
/// `viewer` may search.
fn conditions(
    store: &Store,
    filter: &Filter,
    words: Option<&str>,
    viewer: Viewer,
) -> Result<Conditions, StoreError> {
    let mut c = Conditions {
        from: String::from(" FROM petition p"),
        binds: Vec::new(),
    };
    if let Some(u) = store.read_root(filter.unit)? {
        let n = c.bind(Bind::I(u));
        let _ = write!(
            c.from,
            " JOIN unit_path up ON up.unit_id = p.unit_id AND up.ancestor_id = ${n}"
        );
    }
    c.from.push_str(" WHERE 1 = 1");
    if let Some((a, b)) = filter.received {
        let (na, nb) = (c.bind(Bind::D(a)), c.bind(Bind::D(b)));
        let _ = write!(c.from, " AND p.received_on BETWEEN ${na} AND ${nb}");
    }
    if let Some(k) = filter.kind {
        let n = c.bind(Bind::S(k.code()));
        let _ = write!(c.from, " AND p.kind = ${n}");
    }
    if let Some(case) = filter.case_id {
        let n = c.bind(Bind::I(case));
        let _ = write!(c.from, " AND p.case_id = ${n}");
    }
    if let Some(s) = filter.status {
        let _ = write!(c.from, " AND {}", status_sql(s));
    }
    let patterns = match words {
        Some(w) => search_patterns(w)?,
        None => Vec::new(),
    };
    if !patterns.is_empty() {
        let official = c.bind(Bind::I(viewer.official_id));
        let denunciation = c.bind(Bind::S(PetitionType::Denunciation.code()));
        let sender_visible = format!(
            "(p.kind <> ${denunciation} OR EXISTS (SELECT 1 FROM petition_assignment a \
             WHERE a.petition_id = p.id AND a.official_id = ${official}))"
        );
        for w in patterns {
            let n = c.bind(Bind::T(w));
            let _ = write!(
                c.from,
                " AND (CAST(p.id AS TEXT) LIKE ${n} OR p.search_folded LIKE ${n} \
                 OR ({sender_visible} AND p.sender_folded LIKE ${n}))"
            );
        }
    }
    Ok(c)
}

/// Run `sql` with `binds` and read petitions.
async fn fetch(
    store: &Store,
    sql: String,
    binds: &[Bind],
) -> Result<Vec<(i64, Petition)>, StoreError> {
    Ok(on_pool!(&store.pool, p => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in binds {
            q = match b {
                Bind::I(v) => q.bind(*v),
                Bind::D(v) => q.bind(*v),
                Bind::S(v) => q.bind(*v),
                Bind::T(v) => q.bind(v.as_str()),
            };
        }
        let rows = q.fetch_all(p).await?;
        rows.iter()
            .map(|r| row_to_petition(r).map(|(id, _, p)| (id, p)))
            .collect::<Result<Vec<_>, StoreError>>()?
    }))
}

fn columns() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One page of at most `limit` petitions matching `filter` and the search
/// `words` (folded, every word found in the number, the summary or a
/// sender the viewer may see), newest received first, as `viewer` may
/// see them.
pub async fn page(
    store: &Store,
    filter: &Filter,
    words: Option<&str>,
    cursor: Cursor,
    limit: usize,
    viewer: Viewer,
) -> Result<Page, StoreError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut c = conditions(store, filter, words, viewer)?;
    let (key, order) = match cursor {
        Cursor::First => (None, "DESC"),
        Cursor::After(k) => (Some((k, "<")), "DESC"),
        Cursor::Before(k) => (Some((k, ">")), "ASC"),
    };
    let mut sql = format!("SELECT {}{}", columns(), c.from);
    if let Some((k, op)) = key {
        let (nd, ni) = (c.bind(Bind::D(k.received_on)), c.bind(Bind::I(k.id)));
        let _ = write!(sql, " AND (p.received_on, p.id) {op} (${nd}, ${ni})");
    }
    let _ = write!(
        sql,
        " ORDER BY p.received_on {order}, p.id {order} LIMIT {}",
        limit + 1
    );
    let mut rows = fetch(store, sql, &c.binds).await?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    let (next, previous) = match cursor {
        Cursor::Before(_) if !more => {
            // Back at the start: the first page, whole.
            return Box::pin(page(store, filter, words, Cursor::First, limit, viewer)).await;
        }
        Cursor::Before(_) => {
            rows.reverse();
            let next = rows.last().map(|(id, p)| PageKey::of(*id, p));
            (next, rows.first().map(|(id, p)| PageKey::of(*id, p)))
        }
        Cursor::First => (
            more.then(|| rows.last().map(|(id, p)| PageKey::of(*id, p)))
                .flatten(),
            None,
        ),
        Cursor::After(_) => (
            more.then(|| rows.last().map(|(id, p)| PageKey::of(*id, p)))
                .flatten(),
            rows.first().map(|(id, p)| PageKey::of(*id, p)),
        ),
    };
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let mut exts = extensions_of(store, &ids).await?;
    let assigned = assigned_of(store, &ids, viewer).await?;
    let rows = rows
        .into_iter()
        .map(|(id, mut p)| {
            p.extensions = exts.remove(&id).unwrap_or_default();
            masked(id, p, assigned.contains(&id))
        })
        .collect();
    Ok(Page {
        rows,
        next,
        previous,
    })
}

/// How many petitions match, counted up to [`COUNT_CAP`] (`None` past it).
pub async fn count(
    store: &Store,
    filter: &Filter,
    words: Option<&str>,
    viewer: Viewer,
) -> Result<Option<i64>, StoreError> {
    let c = conditions(store, filter, words, viewer)?;
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) t",
        c.from,
        COUNT_CAP + 1
    );
    let n: i64 = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        for b in &c.binds {
            q = match b {
                Bind::I(v) => q.bind(*v),
                Bind::D(v) => q.bind(*v),
                Bind::S(v) => q.bind(*v),
                Bind::T(v) => q.bind(v.as_str()),
            };
        }
        q.fetch_one(p).await?
    });
    Ok((n <= COUNT_CAP).then_some(n))
}
