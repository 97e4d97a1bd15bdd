//! Table access shared by every record kind: insert many, get, update,
//! delete, list and read all, each in one transaction with the store's
//! scope, the facts the record contributes, the audit log and the version
//! check of corrections. A kind says only what is its own ([`Table`]): its
//! table and columns, how a row becomes a record and back, and what it
//! checks beyond its own validation. Its module then exposes the usual
//! functions with one line, [`record_functions!`].

use std::collections::HashSet;
use std::future::Future;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::kind::RecordKind;
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, FromRow, QueryBuilder};

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::listing;
use crate::placing::{at_position, place};
use crate::version;
use crate::{Store, StoreError, Version};

/// One column's value as the kind writes it, bound on either engine.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Int(i64),
    OptInt(Option<i64>),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
    Text(&'a str),
    /// Text built from the record: a search column, a list joined by lines.
    Derived(String),
    Bool(bool),
    OptBool(Option<bool>),
    OptText(Option<&'a str>),
    Small(i16),
}

/// Bind a [`Value`] with `$push` (`push_bind` of a query builder's
/// separated list or of the builder itself): expanded once per engine.
macro_rules! push_value {
    ($b:expr, $v:expr) => {
        match $v {
            Value::Int(x) => $b.push_bind(x),
            Value::OptInt(x) => $b.push_bind(x),
            Value::Date(x) => $b.push_bind(x),
            Value::OptDate(x) => $b.push_bind(x),
            Value::Text(x) => $b.push_bind(x),
            Value::Derived(x) => $b.push_bind(x),
            Value::Bool(x) => $b.push_bind(x),
            Value::OptBool(x) => $b.push_bind(x),
            Value::OptText(x) => $b.push_bind(x),
            Value::Small(x) => $b.push_bind(x),
        }
    };
}

/// What a record kind's table is: the rest of this module is generic over
/// it. Its table has `id`, `province_id` (the distribution key, which
/// [`Table::check`] gives), `version`, `unit_id` and [`Table::COLUMNS`].
pub trait Table: FactSource + Serialize + Sized + Send + Sync + 'static {
    /// Its entry in the registry: the audit log's entity, its noun.
    const KIND: RecordKind;
    const TABLE: &'static str;
    /// The columns [`Table::values`] gives, in that order (`unit_id`
    /// first); a row reads back `id` and then these.
    const COLUMNS: &'static [&'static str];
    /// A row as read: `id` and then [`Table::COLUMNS`].
    type Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin + 'static;

    fn from_row(row: Self::Row) -> Result<(i64, Self), StoreError>;
    fn values(&self) -> Vec<Value<'_>>;
    fn unit_id(&self) -> i64;

    /// The record's own validation (its `validate` in core).
    const VALIDATE: fn(&Self) -> Result<(), DomainError>;

    /// The day that places the record in the unit tree, and how its form
    /// names that day (label, field): its unit must have existed then,
    /// and the day must not be in the future.
    fn placed(&self) -> (NaiveDate, &'static str, &'static str);

    /// The column of the day that places a record in a period (the one
    /// [`Table::placed`] reads): lists keep to a period by it.
    const DAY: &'static str;

    /// What the kind checks beyond its validation and its place (a link
    /// to another record, a uniqueness); nothing by default. `this` is the
    /// row a correction replaces.
    fn check_more(
        &self,
        _tx: &mut Tx,
        _store: &Store,
        _this: Option<i64>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }

    /// Validate the record and place it: the province the row belongs
    /// to. A kind with checks of its own overrides [`Table::check_more`]
    /// (or, to place itself, this).
    fn check(
        &self,
        tx: &mut Tx,
        store: &Store,
        cache: &mut UnitCache,
        this: Option<i64>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send {
        async move {
            Self::VALIDATE(self)?;
            let (day, label, field) = self.placed();
            let province = place(tx, cache, self.unit_id(), day, label, field).await?;
            self.check_more(tx, store, this).await?;
            Ok(province)
        }
    }

    /// A key no two records of the kind may share (`None`: the kind has
    /// none). [`Table::check`] compares a record with the stored ones; a
    /// batch that repeats a key is refused at the repeat with
    /// [`Table::repeated`].
    fn unique_key(&self) -> Option<String> {
        None
    }

    /// Why a record repeating an earlier record's key is refused.
    fn repeated(&self) -> DomainError {
        DomainError::new(
            "record.duplicate",
            format!("{} này trùng với một dòng trước", Self::KIND.def().noun),
        )
    }

    /// Refuse a deletion that would leave other rows pointing at nothing
    /// (a case that still groups petitions).
    fn before_delete(
        _tx: &mut Tx,
        _id: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }

    /// The record as a message names it: "vụ việc hòa giải số 12".
    fn what(id: i64) -> String {
        format!("{} số {id}", Self::KIND.def().noun)
    }
}

fn entity<T: Table>() -> &'static str {
    T::KIND.def().code
}

fn contributions<T: Table>(r: &T) -> Vec<Contribution> {
    let mut out = Vec::new();
    r.contributions(&mut out);
    out
}

/// `r.id, r.a, r.b, …`: the columns of a row, the table aliased `r`.
fn select_list<T: Table>() -> String {
    let mut s = String::from("r.id");
    for c in T::COLUMNS {
        s.push_str(", r.");
        s.push_str(c);
    }
    s
}

/// Insert records in one transaction, each checked, its facts summed in
/// memory and written once, each logged. One bad record (reported with its
/// position) or one outside the store's subtree, and nothing is written.
pub async fn insert_many<T: Table>(store: &Store, records: &[T]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut provinces = Vec::with_capacity(records.len());
    let mut keys = HashSet::new();
    for (i, r) in records.iter().enumerate() {
        store.check_write(r.unit_id())?;
        let p = async {
            if let Some(k) = r.unique_key()
                && !keys.insert(k)
            {
                return Err(r.repeated().into());
            }
            r.check(&mut tx, store, &mut cache, None).await
        }
        .await
        .map_err(|e| at_position(e, i, records.len()))?;
        provinces.push(p);
        delta.add(&mut tx, &mut cache, &contributions(r), 1).await?;
    }
    let days: Vec<(i64, NaiveDate)> = records
        .iter()
        .map(|r| (r.unit_id(), r.placed().0))
        .collect();
    crate::chain::locks::check_records(&mut tx, &days).await?;
    let rows = records.iter().zip(provinces).map(|(r, p)| (p, r.values()));
    let ids = insert_rows(&mut tx, T::TABLE, T::COLUMNS, rows.collect()).await?;
    delta.apply(&mut tx).await?;
    let created = ids.iter().zip(records).map(|(&id, r)| {
        Change::new(Action::Create, entity::<T>(), id)
            .unit(r.unit_id())
            .after(&WithId { id, record: r })
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Insert rows of `columns` (after `province_id`) into `table` and return
/// their ids, in order; as few statements as the engines' bind limits allow.
pub(crate) async fn insert_rows(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    rows: Vec<(i64, Vec<Value<'_>>)>,
) -> Result<Vec<i64>, StoreError> {
    let head = format!("INSERT INTO {table} (province_id, {}) ", columns.join(", "));
    let mut ids = Vec::with_capacity(rows.len());
    // A statement binds at most 32.766 values on SQLite.
    let per = (30_000 / (columns.len() + 1)).max(1);
    for chunk in rows.chunks(per) {
        let got: Vec<i64> = on_tx!(tx, c => {
            let mut qb = QueryBuilder::new(head.clone());
            qb.push_values(chunk, |mut b, (p, values)| {
                b.push_bind(*p);
                for v in values.iter().cloned() {
                    push_value!(b, v);
                }
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar().fetch_all(&mut *c).await?
        });
        ids.extend(got);
    }
    Ok(ids)
}

/// Overwrite row `id` of `table` with `values` of `columns`.
pub(crate) async fn update_row(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    id: i64,
    province: i64,
    values: Vec<Value<'_>>,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        let mut qb = QueryBuilder::new(format!("UPDATE {table} SET province_id = "));
        qb.push_bind(province);
        for (col, v) in columns.iter().zip(values.iter().cloned()) {
            qb.push(format_args!(", {col} = "));
            push_value!(qb, v);
        }
        qb.push(" WHERE id = ");
        qb.push_bind(id);
        qb.build().execute(&mut *c).await?;
    });
    Ok(())
}

/// Insert one record.
pub async fn insert<T: Table>(store: &Store, r: &T) -> Result<i64, StoreError> {
    Ok(insert_many(store, std::slice::from_ref(r)).await?[0])
}

/// A stored record inside a transaction; outside the store's subtree it is
/// not found, as for a read.
pub(crate) async fn get_tx<T: Table>(tx: &mut Tx, store: &Store, id: i64) -> Result<T, StoreError> {
    let sql = format!(
        "SELECT {} FROM {} r WHERE r.id = $1",
        select_list::<T>(),
        T::TABLE
    );
    let row: Option<T::Row> = on_tx!(tx, c => {
        sqlx::query_as(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?
    });
    let (_, r) = T::from_row(row.ok_or_else(|| StoreError::NotFound(T::what(id)))?)?;
    store.check_read(r.unit_id(), || T::what(id))?;
    Ok(r)
}

/// A stored record; outside the store's subtree it is not found.
pub async fn get<T: Table>(store: &Store, id: i64) -> Result<T, StoreError> {
    let mut tx = store.begin_read().await?;
    let r = get_tx(&mut tx, store, id).await?;
    tx.end_read().await?;
    Ok(r)
}

/// A record and its version, for a correction. The version is read
/// *before* the record, so a change in between makes the correction
/// stale, never lost.
pub async fn get_for_edit<T: Table>(store: &Store, id: i64) -> Result<(T, Version), StoreError> {
    let v = version::read(store, T::TABLE, id).await?;
    Ok((get(store, id).await?, v))
}

/// Replace a record: its old facts are taken out and the new ones put in,
/// the change logged. `read` is the version the correction was made on; a
/// later one refuses it with [`StoreError::Stale`].
pub async fn update<T: Table>(
    store: &Store,
    id: i64,
    r: &T,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old: T = get_tx(&mut tx, store, id).await?;
    store.check_write(r.unit_id())?;
    version::claim(&mut tx, T::TABLE, id, read, || T::what(id)).await?;
    let mut cache = UnitCache::default();
    let province = r.check(&mut tx, store, &mut cache, Some(id)).await?;
    let days = [(old.unit_id(), old.placed().0), (r.unit_id(), r.placed().0)];
    crate::chain::locks::check_records(&mut tx, &days).await?;
    facts::replace(&mut tx, &mut cache, &contributions(&old), &contributions(r)).await?;
    update_row(&mut tx, T::TABLE, T::COLUMNS, id, province, r.values()).await?;
    let change = Change::new(Action::Update, entity::<T>(), id)
        .unit(r.unit_id())
        .before(&WithId { id, record: &old })
        .after(&WithId { id, record: r });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Delete a record and its facts; logged.
pub async fn delete<T: Table>(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old: T = get_tx(&mut tx, store, id).await?;
    store.check_write(old.unit_id())?;
    T::before_delete(&mut tx, id).await?;
    crate::chain::locks::check_records(&mut tx, &[(old.unit_id(), old.placed().0)]).await?;
    let mut cache = UnitCache::default();
    facts::replace(&mut tx, &mut cache, &contributions(&old), &[]).await?;
    let sql = format!("DELETE FROM {} WHERE id = $1", T::TABLE);
    on_tx!(&mut tx, c => {
        sqlx::query(AssertSqlSafe(sql)).bind(id).execute(&mut *c).await?;
    });
    let change = Change::new(Action::Delete, entity::<T>(), id)
        .unit(old.unit_id())
        .before(&WithId { id, record: &old });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// The newest records of a unit's subtree (of the store's whole subtree
/// when `unit` is `None`), at most `limit`.
pub async fn list<T: Table>(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, T)>, StoreError> {
    list_within(store, unit, None, limit).await
}

/// [`list`], kept to the records whose day (the kind's [`Table::DAY`])
/// falls in `days` when given.
pub async fn list_within<T: Table>(
    store: &Store,
    unit: Option<i64>,
    days: Option<(NaiveDate, NaiveDate)>,
    limit: i64,
) -> Result<Vec<(i64, T)>, StoreError> {
    list_page(store, unit, days, limit, listing::IdCursor::First).await
}

/// [`list_within`], on the page `cursor` names (newest first, by
/// number): a later or an earlier page, by key.
pub async fn list_page<T: Table>(
    store: &Store,
    unit: Option<i64>,
    days: Option<(NaiveDate, NaiveDate)>,
    limit: i64,
    cursor: listing::IdCursor,
) -> Result<Vec<(i64, T)>, StoreError> {
    let from = format!("{} r", T::TABLE);
    let days = days.map(|(from, to)| listing::Within {
        column: T::DAY,
        from,
        to,
    });
    let q = listing::recent_within(store, &select_list::<T>(), &from, unit, days, limit, cursor)?;
    listing::fetch_recent!(store, q, T::Row)
        .into_iter()
        .map(T::from_row)
        .collect()
}

/// Every record with its id, in id order (for recounts and checks of a
/// restored database), of the store's subtree when it is limited to one.
pub async fn all<T: Table>(store: &Store) -> Result<Vec<(i64, T)>, StoreError> {
    let root = store.read_root(None)?;
    let cols = select_list::<T>();
    let sql = match root {
        Some(_) => format!(
            "SELECT {cols} FROM {} r JOIN unit_path up ON up.unit_id = r.unit_id \
             WHERE up.ancestor_id = $1 ORDER BY r.id",
            T::TABLE
        ),
        None => format!("SELECT {cols} FROM {} r ORDER BY r.id", T::TABLE),
    };
    let rows: Vec<T::Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql));
        if let Some(u) = root {
            q = q.bind(u);
        }
        q.fetch_all(p).await?
    });
    rows.into_iter().map(T::from_row).collect()
}

/// The usual functions of a kind's module (`insert_many`, `insert`, `get`,
/// `get_for_edit`, `update`, `delete`, `list`, `all`), for its [`Table`]
/// type: one line in the module instead of a copy of each.
macro_rules! record_functions {
    ($t:ty) => {
        /// Insert records in one transaction; see [`crate::table::insert_many`].
        pub async fn insert_many(
            store: &$crate::Store,
            records: &[$t],
        ) -> Result<Vec<i64>, $crate::StoreError> {
            $crate::table::insert_many(store, records).await
        }
        /// Insert one record.
        pub async fn insert(store: &$crate::Store, r: &$t) -> Result<i64, $crate::StoreError> {
            $crate::table::insert(store, r).await
        }
        /// One record; outside the store's subtree, not found.
        pub async fn get(store: &$crate::Store, id: i64) -> Result<$t, $crate::StoreError> {
            $crate::table::get(store, id).await
        }
        /// One record and its version, for a correction.
        pub async fn get_for_edit(
            store: &$crate::Store,
            id: i64,
        ) -> Result<($t, $crate::Version), $crate::StoreError> {
            $crate::table::get_for_edit(store, id).await
        }
        /// Correct a record made on version `read`; see [`crate::table::update`].
        pub async fn update(
            store: &$crate::Store,
            id: i64,
            r: &$t,
            read: $crate::Version,
        ) -> Result<(), $crate::StoreError> {
            $crate::table::update(store, id, r, read).await
        }
        /// Delete a record and its facts.
        pub async fn delete(store: &$crate::Store, id: i64) -> Result<(), $crate::StoreError> {
            $crate::table::delete::<$t>(store, id).await
        }
        /// The newest records of a subtree, at most `limit`.
        pub async fn list(
            store: &$crate::Store,
            unit: Option<i64>,
            limit: i64,
        ) -> Result<Vec<(i64, $t)>, $crate::StoreError> {
            $crate::table::list(store, unit, limit).await
        }
        /// Every record with its id, in id order.
        pub async fn all(store: &$crate::Store) -> Result<Vec<(i64, $t)>, $crate::StoreError> {
            $crate::table::all(store).await
        }
    };
}

pub(crate) use record_functions;
