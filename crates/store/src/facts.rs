//! The live fact store.
//!
//! Records say what they contribute ([`Contribution`]); this module turns a
//! batch of signed contributions into fact updates, aggregated in memory
//! first, and applies them in the caller's transaction, so facts are always
//! exactly as fresh as the records. Each contribution lands in half-month,
//! month and year buckets at its unit and at every ancestor, under its own
//! breakdown and under the total breakdown `""`.
//!
//! Reading an indicator for any subtree and any reporting period is then a
//! few index seeks into one unit's rows (see [`read`]), never a scan of
//! records. Half-months are the finest grain: every calendar and cut-off
//! period is made of them; other date ranges are refused.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, dimension};
use danvan_core::period::{BucketRun, DateRange, Grain};
use serde::Serialize;
use sqlx::QueryBuilder;

use crate::db::{Tx, on_pool, on_tx, values_sql};
use crate::fast_hash::FxMap;
use crate::units::{self, Unit};
use crate::{Store, StoreError};

/// The primary key of a fact row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FactKey {
    pub province_id: i64,
    pub unit_id: i64,
    pub key: String,
    pub grain: i16,
    pub bucket: i32,
    pub breakdown: String,
}

/// Units met while expanding contributions: their rows and ancestor paths,
/// loaded once per batch.
#[derive(Default)]
pub struct UnitCache {
    units: HashMap<i64, Unit>,
    paths: HashMap<i64, Vec<(i64, i64)>>,
}

impl UnitCache {
    /// A cache that already knows every unit (for recounts in memory).
    pub(crate) fn from_units(all: &[Unit]) -> UnitCache {
        let units: HashMap<i64, Unit> = all.iter().map(|u| (u.id, u.clone())).collect();
        let mut paths = HashMap::new();
        for u in all {
            let mut path = Vec::new();
            let mut cur = Some(u.id);
            while let Some(id) = cur {
                let x = &units[&id];
                path.push((x.id, x.province_id));
                cur = x.parent_id;
            }
            paths.insert(u.id, path);
        }
        UnitCache { units, paths }
    }

    async fn load(&mut self, tx: &mut Tx, id: i64) -> Result<(), StoreError> {
        if self.units.contains_key(&id) {
            return Ok(());
        }
        let u = units::by_id_tx(tx, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã số {id}")))?;
        self.units.insert(id, u);
        Ok(())
    }

    /// The unit that answers for `id` on `date`, with its path loaded.
    pub(crate) async fn resolve(
        &mut self,
        tx: &mut Tx,
        id: i64,
        date: NaiveDate,
    ) -> Result<i64, StoreError> {
        self.load(tx, id).await?;
        // Successors are loaded on demand while following the chain.
        let mut cur = id;
        loop {
            let next = units::effective(&self.units, cur, date);
            if next == cur {
                break;
            }
            self.load(tx, next).await?;
            cur = next;
        }
        if !self.paths.contains_key(&cur) {
            let ids = units::path_tx(tx, cur).await?;
            let mut path = Vec::with_capacity(ids.len());
            for a in ids {
                self.load(tx, a).await?;
                path.push((a, self.units[&a].province_id));
            }
            self.paths.insert(cur, path);
        }
        Ok(cur)
    }

    pub(crate) fn get(&self, id: i64) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// The unit answering for `id` on `date`, among the units loaded.
    pub(crate) fn resolved_in_memory(&self, id: i64, date: NaiveDate) -> i64 {
        units::effective(&self.units, id, date)
    }
}

/// Fact rows per upsert statement (7 arguments each).
const FACT_ROWS: usize = 2000;

/// A fact row's key while summing: the indicator key is static and the
/// breakdown shared by the 18 rows one contribution expands to, so
/// summing allocates once per contribution, not once per row.
type DeltaKey = (i64, i64, &'static str, i16, i32, Arc<str>);

/// Signed fact changes of one batch, summed in memory before they are
/// written: a batch of a million records touches each fact row once.
#[derive(Default, Debug)]
pub struct FactDelta {
    map: FxMap<DeltaKey, i64>,
    /// A sum left the range of a fact: the batch must not be written.
    overflowed: bool,
}

/// The error of a sum that would overflow a fact: refused, nothing written.
pub(crate) fn overflow() -> StoreError {
    StoreError::Invalid(DomainError::new(
        "fact.overflow",
        "số liệu cộng dồn vượt quá giới hạn lưu trữ; không ghi dữ liệu nào, hãy kiểm tra các số đã nhập",
    ))
}

impl FactDelta {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Add `sign × c` at the resolved unit `at` whose ancestor path (self
    /// first) is `path`.
    fn add_expanded(&mut self, c: &Contribution, path: &[(i64, i64)], sign: i64) {
        let Some(v) = sign.checked_mul(c.value) else {
            self.overflowed = true;
            return;
        };
        if v == 0 {
            return;
        }
        let own: Arc<str> = Arc::from(c.breakdown.as_str());
        let total: Arc<str> = Arc::from("");
        let buckets = Grain::ROLLED_UP.map(|g| (g.as_i16(), g.bucket(c.date)));
        for &(unit_id, province_id) in path {
            for &(grain, bucket) in &buckets {
                let k = (province_id, unit_id, c.key, grain, bucket, own.clone());
                self.sum(k, v);
                if !c.breakdown.is_empty() {
                    let k = (province_id, unit_id, c.key, grain, bucket, total.clone());
                    self.sum(k, v);
                }
            }
        }
    }

    fn sum(&mut self, k: DeltaKey, v: i64) {
        let slot = self.map.entry(k).or_insert(0);
        match slot.checked_add(v) {
            Some(s) => *slot = s,
            None => self.overflowed = true,
        }
    }

    /// Add contributions (sign +1 for a new state, -1 for an old one).
    pub(crate) async fn add(
        &mut self,
        tx: &mut Tx,
        cache: &mut UnitCache,
        contributions: &[Contribution],
        sign: i64,
    ) -> Result<(), StoreError> {
        for c in contributions {
            let at = cache.resolve(tx, c.unit_id, c.date).await?;
            self.add_expanded(c, &cache.paths[&at], sign);
        }
        Ok(())
    }

    /// Write the changes: one multi-row upsert per chunk.
    pub(crate) async fn apply(self, tx: &mut Tx) -> Result<(), StoreError> {
        if self.overflowed {
            return Err(overflow());
        }
        let mut rows: Vec<(DeltaKey, i64)> =
            self.map.into_iter().filter(|(_, v)| *v != 0).collect();
        // A change to a period an accepted report locked shows in its
        // half-month rows at the locked unit.
        let half = Grain::Half.as_i16();
        let touched: std::collections::HashSet<(i64, i32)> = rows
            .iter()
            .filter(|((_, _, _, g, _, _), _)| *g == half)
            .map(|((_, u, _, _, b, _), _)| (*u, *b))
            .collect();
        crate::chain::locks::check_delta(tx, &touched).await?;
        // A stable order keeps concurrent writers from deadlocking on PostgreSQL.
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        match &mut tx.conn {
            crate::db::TxConn::Sqlite(c) => return apply_sqlite(c, &rows).await,
            crate::db::TxConn::Postgres(c) if rows.len() > COPY_FACT_ROWS => {
                return apply_postgres_bulk(c, &rows).await;
            }
            crate::db::TxConn::Postgres(_) => {}
        }
        // Each statement's arguments are built while the previous one runs.
        let sqlite = tx.is_sqlite();
        let sql = |n: usize| -> Arc<str> {
            Arc::from(format!(
                "INSERT INTO fact (province_id, unit_id, key, grain, bucket, breakdown, value) {} \
                 ON CONFLICT (province_id, unit_id, key, breakdown, grain, bucket) \
                 DO UPDATE SET value = fact.value + excluded.value",
                values_sql(sqlite, n, 7)
            ))
        };
        let full = sql(FACT_ROWS);
        on_tx!(tx, c => {
            let build = |chunk: &[(DeltaKey, i64)]| {
                let text = if chunk.len() == FACT_ROWS { full.clone() } else { sql(chunk.len()) };
                let mut q = sqlx::query(sqlx::AssertSqlSafe(text));
                for ((province_id, unit_id, key, grain, bucket, breakdown), v) in chunk {
                    q = q
                        .bind(*province_id)
                        .bind(*unit_id)
                        .bind(*key)
                        .bind(*grain)
                        .bind(*bucket)
                        .bind(&**breakdown)
                        .bind(*v);
                }
                q
            };
            let mut chunks = rows.chunks(FACT_ROWS);
            let mut next = chunks.next().map(build);
            while let Some(q) = next.take() {
                let following = chunks.next();
                let (done, built) = tokio::join!(q.execute(&mut *c), async { following.map(build) });
                done.map_err(overflow_or_db)?;
                next = built;
            }
        });
        Ok(())
    }
}

/// The fact rows' upsert on SQLite: one prepared statement stepped per
/// row on the connection's own handle (a bulk import writes hundreds of
/// thousands; see `sqlite_bulk`).
async fn apply_sqlite(
    c: &mut sqlx::SqliteConnection,
    rows: &[(DeltaKey, i64)],
) -> Result<(), StoreError> {
    let mut handle = c.lock_handle().await?;
    let mut st = crate::sqlite_bulk::Statement::prepare(
        &mut handle,
        "INSERT INTO fact (province_id, unit_id, key, grain, bucket, breakdown, value) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (province_id, unit_id, key, breakdown, grain, bucket) \
         DO UPDATE SET value = fact.value + excluded.value",
    )?;
    for ((province_id, unit_id, key, grain, bucket, breakdown), v) in rows {
        st.int(1, *province_id)?;
        st.int(2, *unit_id)?;
        st.text(3, key)?;
        st.int(4, i64::from(*grain))?;
        st.int(5, i64::from(*bucket))?;
        st.text(6, breakdown)?;
        st.int(7, *v)?;
        st.step().map_err(|e| match e {
            StoreError::Sqlite(m) if m.contains("danvan:fact_overflow") => overflow(),
            e => e,
        })?;
    }
    Ok(())
}

/// More fact rows than this go to PostgreSQL by binary `COPY` into a
/// staging table and one merging upsert (a bulk import's hundreds of
/// thousands); fewer, as multi-row statements.
const COPY_FACT_ROWS: usize = 10 * FACT_ROWS;

/// The fact rows' upsert on PostgreSQL for a bulk load.
async fn apply_postgres_bulk(
    c: &mut sqlx::PgConnection,
    rows: &[(DeltaKey, i64)],
) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TEMPORARY TABLE IF NOT EXISTS fact_load \
         (LIKE fact INCLUDING DEFAULTS) ON COMMIT DROP",
    )
    .execute(&mut *c)
    .await?;
    let mut copy = c
        .copy_in_raw(
            "COPY fact_load (province_id, unit_id, key, grain, bucket, breakdown, value) \
             FROM STDIN (FORMAT binary)",
        )
        .await?;
    let mut out = crate::pg_copy::BinaryRows::new();
    for ((province_id, unit_id, key, grain, bucket, breakdown), v) in rows {
        out.row(7);
        out.int8(*province_id);
        out.int8(*unit_id);
        out.text(key)?;
        out.int2(*grain);
        out.int4(*bucket);
        out.text(breakdown)?;
        out.int8(*v);
        if out.len() >= 4 << 20 {
            copy.send(out.take()).await?;
        }
    }
    copy.send(out.finish()).await?;
    copy.finish().await?;
    // In key order, as the multi-row statements: concurrent writers take
    // the rows' locks in one order and never deadlock.
    sqlx::query(
        "INSERT INTO fact (province_id, unit_id, key, grain, bucket, breakdown, value) \
         SELECT province_id, unit_id, key, grain, bucket, breakdown, value FROM fact_load \
         ORDER BY province_id, unit_id, key, grain, bucket, breakdown \
         ON CONFLICT (province_id, unit_id, key, breakdown, grain, bucket) \
         DO UPDATE SET value = fact.value + excluded.value",
    )
    .execute(&mut *c)
    .await
    .map_err(overflow_or_db)?;
    sqlx::query("TRUNCATE fact_load").execute(&mut *c).await?;
    Ok(())
}

/// Replace a record's contributions in the facts: `old` taken out, `new`
/// put in (either empty for an insert or a delete), in the caller's
/// transaction. The one step every update and delete of a record shares.
pub(crate) async fn replace(
    tx: &mut Tx,
    cache: &mut UnitCache,
    old: &[Contribution],
    new: &[Contribution],
) -> Result<(), StoreError> {
    let mut delta = FactDelta::new();
    delta.add(tx, cache, old, -1).await?;
    delta.add(tx, cache, new, 1).await?;
    delta.apply(tx).await
}

/// Recompute every fact from scratch, in memory, from the contributions of
/// all current records: the reference the live store must always equal.
pub fn recount(all_units: &[Unit], contributions: &[Contribution]) -> HashMap<FactKey, i64> {
    let cache = UnitCache::from_units(all_units);
    let mut delta = FactDelta::new();
    for c in contributions {
        let at = cache.resolved_in_memory(c.unit_id, c.date);
        delta.add_expanded(c, &cache.paths[&at], 1);
    }
    delta
        .map
        .into_iter()
        .filter(|(_, v)| *v != 0)
        .map(
            |((province_id, unit_id, key, grain, bucket, breakdown), v)| {
                let key = key.to_string();
                let breakdown = breakdown.to_string();
                (
                    FactKey {
                        province_id,
                        unit_id,
                        key,
                        grain,
                        bucket,
                        breakdown,
                    },
                    v,
                )
            },
        )
        .collect()
}

/// Every non-zero fact row as stored (of the store's subtree, when it is
/// limited to one).
pub async fn dump(store: &Store) -> Result<HashMap<FactKey, i64>, StoreError> {
    let all: HashMap<FactKey, i64> = on_pool!(&store.pool, p => {
        let rows: Vec<(i64, i64, String, i16, i32, String, i64)> = sqlx::query_as(
            "SELECT province_id, unit_id, key, grain, bucket, breakdown, value FROM fact WHERE value <> 0",
        )
        .fetch_all(p)
        .await?;
        rows
            .into_iter()
            .map(|(province_id, unit_id, key, grain, bucket, breakdown, value)| {
                (FactKey { province_id, unit_id, key, grain, bucket, breakdown }, value)
            })
            .collect()
    });
    Ok(match store.scope() {
        Some(_) => all
            .into_iter()
            .filter(|(k, _)| store.permits(k.unit_id))
            .collect(),
        None => all,
    })
}

/// Whose figures to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A unit and everything below it.
    Unit { id: i64, province_id: i64 },
    /// The whole country: every top-level unit.
    Country,
}

impl Scope {
    pub fn of(u: &Unit) -> Scope {
        if u.is_country() {
            return Scope::Country;
        }
        Scope::Unit {
            id: u.id,
            province_id: u.province_id,
        }
    }
}

/// Facts read for some keys over a range: sums per (key, breakdown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FactTable {
    pub values: BTreeMap<(String, String), i64>,
}

impl FactTable {
    /// The total of a key (its `""` breakdown row).
    pub fn total(&self, key: &str) -> i64 {
        self.values
            .get(&(key.to_string(), String::new()))
            .copied()
            .unwrap_or(0)
    }

    /// The total of a key where every `(dimension, value)` filter holds
    /// (needs a [`Detail::Breakdowns`] read).
    pub fn total_where(&self, key: &str, filters: &[(&str, &str)]) -> i64 {
        self.values
            .iter()
            .filter(|((k, b), _)| {
                k == key
                    && !b.is_empty()
                    && filters.iter().all(|(d, v)| dimension(b, d) == Some(*v))
            })
            .map(|(_, v)| v)
            .sum()
    }

    /// A key's totals per value of one dimension.
    pub fn by(&self, key: &str, dim: &str) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        for ((k, b), v) in &self.values {
            if k == key
                && let Some(x) = dimension(b, dim)
            {
                *out.entry(x.to_string()).or_insert(0) += v;
            }
        }
        out
    }
}

/// How much of each key to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Only totals: one index seek per key and bucket run.
    Totals,
    /// Totals and every breakdown.
    Breakdowns,
}

/// Read `keys` for a scope over a date range: for each top unit of the
/// scope and run of buckets, one index range seek per key, summed by the
/// database. The range must be made of half-months (every reporting
/// period is).
pub async fn read(
    store: &Store,
    scope: Scope,
    keys: &[&str],
    range: DateRange,
    detail: Detail,
) -> Result<FactTable, StoreError> {
    let mut tables = read_batch(
        store,
        &[Read {
            scope,
            keys,
            range,
            detail,
        }],
    )
    .await?;
    Ok(tables.pop().unwrap_or_default())
}

/// One read of a [`read_batch`].
#[derive(Debug, Clone, Copy)]
pub struct Read<'a> {
    pub scope: Scope,
    pub keys: &'a [&'a str],
    pub range: DateRange,
    pub detail: Detail,
}

/// The error for a range that is not made of half-months.
fn unaligned(range: DateRange) -> StoreError {
    DomainError::new(
        "period.unaligned",
        format!(
            "khoảng thời gian {} – {} phải bắt đầu vào ngày 01 hoặc 15 và kết thúc vào ngày 14 hoặc ngày cuối tháng",
            range.start.format("%d/%m/%Y"),
            range.end.format("%d/%m/%Y")
        ),
    )
    .into()
}

/// Branches of one statement: SQLite allows 500 terms in a compound
/// SELECT, and both engines cap the number of bound values.
const BRANCHES: usize = 400;
const BINDS: usize = 20_000;

/// Several reads in as few statements as the engines allow (usually one):
/// a dashboard's subtree, its same period a year earlier and each of its
/// child units come back in one round trip. Each read's rows are tagged
/// with its position; the tables come back in the order of `reads`.
pub async fn read_batch(store: &Store, reads: &[Read<'_>]) -> Result<Vec<FactTable>, StoreError> {
    read_grouped(store, reads, reads.len()).await
}

/// Several reads summed by the database into `groups` tables: read `i`
/// goes into table `i % groups`. A report's level of thousands of communes
/// comes back as one table, not one per commune.
pub async fn read_summed(
    store: &Store,
    reads: &[Read<'_>],
    groups: usize,
) -> Result<Vec<FactTable>, StoreError> {
    read_grouped(store, reads, groups.max(1)).await
}

/// [`read_batch`] with read `i` summed into table `i % groups`.
async fn read_grouped(
    store: &Store,
    reads: &[Read<'_>],
    groups: usize,
) -> Result<Vec<FactTable>, StoreError> {
    let mut tables = vec![FactTable::default(); groups];
    let mut countries: Option<Vec<(i64, i64)>> = None;
    // (read, province, unit, run): one index seek per key listed.
    let mut branches: Vec<(usize, i64, i64, BucketRun)> = Vec::new();
    for (i, r) in reads.iter().enumerate() {
        let runs = r.range.decompose();
        if runs.iter().any(|run| run.grain == Grain::Day) {
            return Err(unaligned(r.range));
        }
        if r.keys.is_empty() || runs.is_empty() {
            continue;
        }
        let tops = match r.scope {
            Scope::Unit { id, province_id } => {
                // A unit the scope took over: its figures are the scope's
                // history, read as reorganised (its records stay apart).
                if !store.permits(id) && !units::taken_over_by_scope(store, id).await? {
                    store.check_read(id, || format!("đơn vị có mã số {id}"))?;
                }
                vec![(province_id, id)]
            }
            Scope::Country if store.scope().is_some() => {
                return Err(StoreError::Forbidden(format!(
                    "tài khoản chỉ được xem số liệu của {} và các đơn vị trực thuộc",
                    store.scope().map_or("", |s| s.root_name.as_str())
                )));
            }
            Scope::Country => match &countries {
                Some(t) => t.clone(),
                None => {
                    let t: Vec<(i64, i64)> = on_pool!(&store.pool, p => {
                        sqlx::query_as("SELECT province_id, id FROM unit WHERE parent_id IS NULL ORDER BY id")
                            .fetch_all(p)
                            .await?
                    });
                    countries = Some(t.clone());
                    t
                }
            },
        };
        for &(p, u) in &tops {
            for &run in &runs {
                branches.push((i, p, u, run));
            }
        }
    }
    let mut start = 0;
    while start < branches.len() {
        let mut end = start;
        let mut binds = 0;
        while end < branches.len() && end - start < BRANCHES {
            let n = 5 + reads[branches[end].0].keys.len();
            if end > start && binds + n > BINDS {
                break;
            }
            binds += n;
            end += 1;
        }
        let chunk = &branches[start..end];
        start = end;
        on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(
                "SELECT CAST(q AS BIGINT), key, breakdown, CAST(SUM(value) AS BIGINT) FROM (",
            );
            for (n, &(i, prov, unit, run)) in chunk.iter().enumerate() {
                let r = &reads[i];
                if n > 0 {
                    qb.push(" UNION ALL ");
                }
                // The tag is a position of ours, written as a literal.
                let q = i % groups;
                qb.push(format!("SELECT {q} AS q, key, breakdown, value FROM fact WHERE province_id = "))
                    .push_bind(prov)
                    .push(" AND unit_id = ")
                    .push_bind(unit)
                    .push(" AND key IN (");
                let mut keys = qb.separated(", ");
                for k in r.keys {
                    keys.push_bind(k.to_string());
                }
                qb.push(")");
                if r.detail == Detail::Totals {
                    qb.push(" AND breakdown = ''");
                }
                qb.push(" AND grain = ")
                    .push_bind(run.grain.as_i16())
                    .push(" AND bucket BETWEEN ")
                    .push_bind(run.from)
                    .push(" AND ")
                    .push_bind(run.to);
            }
            qb.push(") AS f GROUP BY q, key, breakdown");
            let rows: Vec<(i64, String, String, i64)> = qb.build_query_as().fetch_all(p).await?;
            for (q, k, b, v) in rows {
                *tables[q as usize].values.entry((k, b)).or_insert(0) += v;
            }
        });
    }
    Ok(tables)
}

/// A database error, or the overflow of a fact sum as the database reports
/// it: SQLite by the trigger of migration 0009, PostgreSQL as BIGINT out of
/// range (SQLSTATE 22003).
fn overflow_or_db(e: sqlx::Error) -> StoreError {
    let overflowed = e.as_database_error().is_some_and(|d| {
        d.code().as_deref() == Some("22003") || d.message().contains("danvan:fact_overflow")
    });
    if overflowed {
        overflow()
    } else {
        StoreError::Db(e)
    }
}

/// The latest year up to `up_to` in which `scope` has a figure of one of
/// `keys` (`None`: none yet): where a dashboard opens, so that data
/// recorded for past years is seen before anything is recorded this year.
/// One index seek per key and top unit (the yearly totals), never a scan
/// of a unit's facts.
pub async fn latest_year(
    store: &Store,
    scope: Scope,
    keys: &[&str],
    up_to: i32,
) -> Result<Option<i32>, StoreError> {
    let tops: Vec<(i64, i64)> = match scope {
        Scope::Unit { id, province_id } => {
            store.check_read(id, || format!("đơn vị có mã số {id}"))?;
            vec![(province_id, id)]
        }
        Scope::Country => {
            if let Some(s) = store.scope() {
                return Err(StoreError::Forbidden(format!(
                    "tài khoản chỉ được xem số liệu của {} và các đơn vị trực thuộc",
                    s.root_name
                )));
            }
            on_pool!(&store.pool, p => {
                sqlx::query_as("SELECT province_id, id FROM unit WHERE parent_id IS NULL ORDER BY id")
                    .fetch_all(p)
                    .await?
            })
        }
    };
    if tops.is_empty() || keys.is_empty() {
        return Ok(None);
    }
    let got: Option<i32> = on_pool!(&store.pool, p => {
        let mut qb = QueryBuilder::new("SELECT CAST(MAX(y) AS INTEGER) FROM (");
        let mut first = true;
        for &(province_id, unit_id) in &tops {
            for key in keys {
                if !first {
                    qb.push(" UNION ALL ");
                }
                first = false;
                qb.push("SELECT MAX(bucket) AS y FROM fact WHERE province_id = ")
                    .push_bind(province_id)
                    .push(" AND unit_id = ")
                    .push_bind(unit_id)
                    .push(" AND key = ")
                    .push_bind(key.to_string())
                    .push(" AND breakdown = '' AND grain = ")
                    .push_bind(Grain::Year.as_i16())
                    .push(" AND bucket <= ")
                    .push_bind(up_to)
                    .push(" AND value <> 0");
            }
        }
        qb.push(") t");
        qb.build_query_scalar().fetch_one(p).await?
    });
    Ok(got)
}
