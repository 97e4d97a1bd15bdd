//! Units (đơn vị): the tree, its history, and how users name units.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use danvan_core::text::fold;
use danvan_core::unit::{UnitKind, full_name};
use serde::Serialize;
use sqlx::Row;

use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError, Subtree};

mod names;
mod write;
pub use names::{candidates, candidates_in, describe_in, find, find_in, is_country_name};
pub(crate) use write::{
    NewUnit, delete_shares_tx, insert_many_tx, insert_shares_tx, insert_tx, set_successor_tx,
    set_successors_tx,
};

/// A unit as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    /// Root of the unit's tree; the distribution key of its records.
    pub province_id: i64,
    pub depth: i32,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub successor_id: Option<i64>,
}

/// A share of a unit counted to another: the part of a divided unit that
/// went to one successor, or the part of a predecessor a unit took over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The successor (in a unit's successors) or the predecessor (in its
    /// predecessors).
    pub unit_id: i64,
    /// In ten-thousandths: [`WHOLE`] for a unit taken over whole.
    pub share: u32,
}

/// The share of a unit taken over whole.
pub const WHOLE: u32 = 10_000;

impl Share {
    /// Whether only part of the unit is counted, by a share that is an
    /// estimate (of area, or set by an administrator), not a count.
    pub fn is_part(&self) -> bool {
        self.share < WHOLE
    }
}

/// What tells a cached unit tree that units or shares were added: the
/// largest ids of `unit` and `unit_successor`.
pub(crate) type TreeToken = (i64, i64);

/// Id of the whole country as a report subject; no stored unit has it.
pub const COUNTRY_ID: i64 = 0;

impl Unit {
    /// The whole country: every province below it. Never stored; national
    /// reports and figures take it as their subject (`Scope::Country`).
    pub fn country() -> Unit {
        Unit {
            id: COUNTRY_ID,
            code: "ca-nuoc".to_string(),
            name: "Việt Nam".to_string(),
            kind: UnitKind::Country,
            parent_id: None,
            province_id: COUNTRY_ID,
            depth: -1,
            valid_from: None,
            valid_to: None,
            successor_id: None,
        }
    }

    pub fn is_country(&self) -> bool {
        self.kind == UnitKind::Country
    }

    /// Whether `u` lies directly below this unit (the provinces, for the
    /// country).
    pub fn is_parent_of(&self, u: &Unit) -> bool {
        if self.is_country() {
            u.parent_id.is_none()
        } else {
            u.parent_id == Some(self.id)
        }
    }

    /// "xã Đạ Tông".
    pub fn full_name(&self) -> String {
        full_name(self.kind, &self.name)
    }

    pub fn valid_on(&self, d: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= d) && self.valid_to.is_none_or(|t| d <= t)
    }

    /// Whether the unit existed at some time within `from..=to`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= to) && self.valid_to.is_none_or(|t| from <= t)
    }

    /// "tỉnh Kon Tum (mã 62, đến 30/06/2025)" for lists of candidates.
    pub fn describe(&self) -> String {
        let mut s = format!("{} (mã {}", self.full_name(), self.code);
        if let Some(f) = self.valid_from {
            s.push_str(&format!(", từ {}", f.format("%d/%m/%Y")));
        }
        if let Some(t) = self.valid_to {
            s.push_str(&format!(", đến {}", t.format("%d/%m/%Y")));
        }
        s.push(')');
        s
    }
}

const UNIT_COLUMNS: &str =
    "id, code, name, kind, parent_id, province_id, depth, valid_from, valid_to, successor_id";

fn unit_from_row<R>(row: &R) -> Result<Unit, StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i32: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> NaiveDate: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let kind: String = row.try_get("kind")?;
    Ok(Unit {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        kind: UnitKind::parse(&kind)?,
        parent_id: row.try_get("parent_id")?,
        province_id: row.try_get("province_id")?,
        depth: row.try_get("depth")?,
        valid_from: row.try_get("valid_from")?,
        valid_to: row.try_get("valid_to")?,
        successor_id: row.try_get("successor_id")?,
    })
}

/// The whole unit tree, read once and shared by every clone of a store.
/// Units are few (tens of thousands at most) and change rarely, so
/// whole-tree work is done in memory; a dashboard request used to read
/// the table several times.
///
/// Units are only ever added (an import refuses to change a unit; a
/// merger adds the new units and names them as successors in the same
/// transaction), so the largest id tells whether the table changed.
pub struct UnitTree {
    /// The largest ids of the unit and share tables when they were read.
    token: TreeToken,
    /// [`crate::db::Shared::units_epoch`] when it was read.
    epoch: u64,
    units: Vec<Unit>,
    index: HashMap<i64, usize>,
    children: HashMap<i64, Vec<usize>>,
    /// Subtrees asked for so far (a user's scope), by root.
    subtrees: Mutex<HashMap<i64, Arc<Subtree>>>,
    /// See [`UnitTree::in_tree_order`]; made on first use.
    order: OnceLock<TreeOrder>,
    /// The successors of each divided unit, with their shares.
    shares: HashMap<i64, Vec<Share>>,
    /// See [`UnitTree::predecessors`]; made on first use.
    predecessors: OnceLock<HashMap<i64, Vec<Share>>>,
}

/// Every unit in tree order with its depth, and where each unit stands in
/// it: a subtree is the run that starts at its root.
struct TreeOrder {
    rows: Vec<(usize, usize)>,
    position: HashMap<i64, usize>,
}

impl UnitTree {
    pub(crate) fn new(
        token: TreeToken,
        epoch: u64,
        units: Vec<Unit>,
        shares: HashMap<i64, Vec<Share>>,
    ) -> UnitTree {
        let index = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(i);
            }
        }
        UnitTree {
            token,
            epoch,
            units,
            index,
            children,
            subtrees: Mutex::default(),
            order: OnceLock::new(),
            shares,
            predecessors: OnceLock::new(),
        }
    }

    /// The units that took `id` over, each with its share: the shares of
    /// a divided unit, else its one successor, whole; none for a unit that
    /// still exists.
    pub fn successors(&self, id: i64) -> Vec<Share> {
        if let Some(s) = self.shares.get(&id) {
            return s.clone();
        }
        self.get(id)
            .and_then(|u| u.successor_id)
            .map(|s| {
                vec![Share {
                    unit_id: s,
                    share: WHOLE,
                }]
            })
            .unwrap_or_default()
    }

    /// The units `id` took over, each with the share of it counted here,
    /// in id order. A unit whose unit above went whole to `id` is left
    /// out: the unit above holds its facts already (a district of a
    /// province that was merged whole), so reading both would count twice.
    pub fn predecessors(&self, id: i64) -> &[Share] {
        let index = self.predecessors.get_or_init(|| {
            let mut index: HashMap<i64, Vec<Share>> = HashMap::new();
            for u in &self.units {
                let parent_went = |to: i64| {
                    u.parent_id.is_some_and(|p| {
                        self.successors(p)
                            .iter()
                            .any(|s| s.unit_id == to && !s.is_part())
                    })
                };
                for s in self.successors(u.id) {
                    if !parent_went(s.unit_id) {
                        index.entry(s.unit_id).or_default().push(Share {
                            unit_id: u.id,
                            share: s.share,
                        });
                    }
                }
            }
            index
        });
        index.get(&id).map_or(&[], |v| v.as_slice())
    }

    /// The units of `root`'s subtree (`None`: every tree) in tree order —
    /// parents before children, units of one parent by name with
    /// diacritics and case ignored — each with its depth below the root.
    /// The order is worked out once per tree, not for every page that
    /// lists units.
    pub fn in_tree_order(&self, root: Option<i64>) -> Vec<(usize, &Unit)> {
        let order = self.order.get_or_init(|| self.tree_order());
        let (start, end) = match root {
            None => (0, order.rows.len()),
            Some(id) => {
                let Some(&start) = order.position.get(&id) else {
                    return Vec::new();
                };
                let base = order.rows[start].0;
                let len = order.rows[start + 1..]
                    .iter()
                    .take_while(|(d, _)| *d > base)
                    .count();
                (start, start + 1 + len)
            }
        };
        let base = order.rows.get(start).map_or(0, |r| r.0);
        order.rows[start..end]
            .iter()
            .map(|&(d, i)| (d - base, &self.units[i]))
            .collect()
    }

    fn tree_order(&self) -> TreeOrder {
        let folded: Vec<String> = self.units.iter().map(|u| fold(&u.name)).collect();
        // Stable sorts: units of the same name stay in id order.
        let by_name = |mut v: Vec<usize>| {
            v.sort_by(|&a, &b| folded[a].cmp(&folded[b]));
            v
        };
        let roots = by_name(
            (0..self.units.len())
                .filter(|&i| self.units[i].parent_id.is_none())
                .collect(),
        );
        let mut rows = Vec::with_capacity(self.units.len());
        let mut stack: Vec<(usize, usize)> = roots.into_iter().rev().map(|i| (0, i)).collect();
        while let Some((d, i)) = stack.pop() {
            rows.push((d, i));
            if let Some(kids) = self.children.get(&self.units[i].id) {
                stack.extend(by_name(kids.clone()).into_iter().rev().map(|k| (d + 1, k)));
            }
        }
        let position = rows
            .iter()
            .enumerate()
            .map(|(p, &(_, i))| (self.units[i].id, p))
            .collect();
        TreeOrder { rows, position }
    }

    /// Every unit, in id order.
    pub fn all(&self) -> &[Unit] {
        &self.units
    }

    pub fn get(&self, id: i64) -> Option<&Unit> {
        self.index.get(&id).map(|&i| &self.units[i])
    }

    /// `id` and every unit below it; `None` for a unit that does not exist.
    pub fn subtree(&self, id: i64) -> Option<Arc<Subtree>> {
        let root = self.get(id)?;
        let mut cache = self.subtrees.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = cache.get(&id) {
            return Some(s.clone());
        }
        let mut ids = HashSet::new();
        let mut stack = vec![id];
        while let Some(u) = stack.pop() {
            if ids.insert(u) {
                for &c in self.children.get(&u).into_iter().flatten() {
                    stack.push(self.units[c].id);
                }
            }
        }
        let s = Arc::new(Subtree::new(id, root.full_name(), ids));
        cache.insert(id, s.clone());
        Some(s)
    }

    /// The unit that answers for `id` on `date` (see [`effective`]).
    pub fn effective(&self, id: i64, date: NaiveDate) -> i64 {
        effective_by(|i| self.get(i), id, date)
    }
}

/// The unit tree: the one the store handle pinned (a request), else the
/// shared one if the unit table has not changed since it was read, else
/// read now. Costs one small query (`MAX(id)`) when not pinned, so units
/// added by another process (`danvan units import` while `serve` runs)
/// are seen.
pub async fn tree(store: &Store) -> Result<Arc<UnitTree>, StoreError> {
    if let Some(t) = pinned(store) {
        return Ok(t);
    }
    let token = max_ids(store).await?;
    tree_checked(store, token).await
}

/// The handle's pinned tree, unless this process wrote units since.
fn pinned(store: &Store) -> Option<Arc<UnitTree>> {
    let epoch = store.shared.units_epoch.load(Ordering::SeqCst);
    store.units.clone().filter(|t| t.epoch == epoch)
}

/// [`tree`], the tables' largest ids being `token`.
pub(crate) async fn tree_checked(
    store: &Store,
    token: TreeToken,
) -> Result<Arc<UnitTree>, StoreError> {
    let shared = &store.shared;
    let epoch = shared.units_epoch.load(Ordering::SeqCst);
    let current = || {
        shared
            .units
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .filter(|t| t.token == token && t.epoch == epoch)
    };
    if let Some(t) = current() {
        return Ok(t);
    }
    let _loading = shared.units_loading.lock().await;
    if let Some(t) = current() {
        return Ok(t);
    }
    let sql = format!("SELECT {UNIT_COLUMNS} FROM unit ORDER BY id");
    let (units, share_rows): (Vec<Unit>, Vec<(i64, i64, i32)>) = on_pool!(&store.pool, p => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
        let shares = sqlx::query_as(
            "SELECT unit_id, successor_id, share FROM unit_successor ORDER BY id",
        )
        .fetch_all(p)
        .await?;
        (rows.iter().map(unit_from_row).collect::<Result<_, _>>()?, shares)
    });
    let mut shares: HashMap<i64, Vec<Share>> = HashMap::new();
    for (unit, successor, share) in share_rows {
        shares.entry(unit).or_default().push(Share {
            unit_id: successor,
            share: share.clamp(0, WHOLE as i32) as u32,
        });
    }
    let t = Arc::new(UnitTree::new(token, epoch, units, shares));
    // A commit that wrote units while this was read moved the epoch on:
    // keep the tree for this caller only.
    if shared.units_epoch.load(Ordering::SeqCst) == epoch {
        *shared.units.lock().unwrap_or_else(|e| e.into_inner()) = Some(t.clone());
    }
    Ok(t)
}

async fn max_ids(store: &Store) -> Result<TreeToken, StoreError> {
    on_pool!(&store.pool, p => {
        let (u, s): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT MAX(id) FROM unit), (SELECT MAX(id) FROM unit_successor)",
        )
        .fetch_one(p)
        .await?;
        Ok((u.unwrap_or(0), s.unwrap_or(0)))
    })
}

/// All units, in id order (a copy of [`tree`]'s).
pub async fn all(store: &Store) -> Result<Vec<Unit>, StoreError> {
    Ok(tree(store).await?.all().to_vec())
}

/// The units a store may read, in tree order (parents before children):
/// its scope's subtree, or every unit for a store of the whole country.
/// For listings that must show no unit outside the reader's subtree.
pub async fn visible(store: &Store) -> Result<Vec<Unit>, StoreError> {
    let tree = tree(store).await?;
    Ok(tree
        .in_tree_order(store.scope().map(|s| s.root))
        .into_iter()
        .map(|(_, u)| u.clone())
        .collect())
}

pub async fn by_id(store: &Store, id: i64) -> Result<Option<Unit>, StoreError> {
    Ok(tree(store).await?.get(id).cloned())
}

pub(crate) async fn by_id_tx(tx: &mut Tx, id: i64) -> Result<Option<Unit>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = $1");
    on_tx!(tx, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        row.as_ref().map(unit_from_row).transpose()
    })
}

/// Whether the store's scope took `id` over: one of the units `id` went
/// into (whole or in part), or one of theirs, lies in the scope. Such a
/// unit's facts are the scope's own history — a report of a commune formed
/// on 1 July 2025 reads its predecessors' first half-year — so they may be
/// read through the scope; records are not (`Store::check_read`). Three
/// reorganisations back at most.
pub(crate) async fn taken_over_by_scope(store: &Store, id: i64) -> Result<bool, StoreError> {
    let Some(scope) = store.scope() else {
        return Ok(true);
    };
    let tree = tree(store).await?;
    let mut units = vec![id];
    for _ in 0..3 {
        units = units
            .iter()
            .flat_map(|&u| tree.successors(u))
            .map(|s| s.unit_id)
            .collect();
        if units.iter().any(|&u| scope.contains(u)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Ancestors of a unit, nearest first, the unit itself included.
pub(crate) async fn path_tx(tx: &mut Tx, id: i64) -> Result<Vec<i64>, StoreError> {
    on_tx!(tx, c => {
        Ok(sqlx::query_scalar(
            "SELECT ancestor_id FROM unit_path WHERE unit_id = $1 ORDER BY distance",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?)
    })
}

/// Whether `unit` is `ancestor` or lies below it.
pub async fn is_within(store: &Store, unit: i64, ancestor: i64) -> Result<bool, StoreError> {
    Ok(tree(store)
        .await?
        .subtree(ancestor)
        .is_some_and(|s| s.contains(unit)))
}

/// The unit that answers for `unit` on `date`: itself while it exists,
/// then its successor (and the successor's successor…) after it ended.
/// Events of a merged unit dated after the merger roll up into the new
/// unit; earlier ones stay where they happened.
pub(crate) fn effective(units: &HashMap<i64, Unit>, id: i64, date: NaiveDate) -> i64 {
    effective_by(|i| units.get(&i), id, date)
}

pub(crate) fn effective_by<'a>(
    get: impl Fn(i64) -> Option<&'a Unit>,
    mut id: i64,
    date: NaiveDate,
) -> i64 {
    for _ in 0..64 {
        let Some(u) = get(id) else { break };
        match (u.valid_to, u.successor_id) {
            (Some(t), Some(s)) if date > t => id = s,
            _ => break,
        }
    }
    id
}

/// Children of each unit, in code order.
pub fn children_map(units: &[Unit]) -> HashMap<Option<i64>, Vec<&Unit>> {
    let mut m: HashMap<Option<i64>, Vec<&Unit>> = HashMap::new();
    for u in units {
        m.entry(u.parent_id).or_default().push(u);
    }
    for v in m.values_mut() {
        v.sort_by(|a, b| a.code.cmp(&b.code));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: i64, code: &str, name: &str, kind: UnitKind, depth: i32, to: Option<&str>) -> Unit {
        Unit {
            id,
            code: code.into(),
            name: name.into(),
            kind,
            parent_id: None,
            province_id: id,
            depth,
            valid_from: None,
            valid_to: to.map(|t| t.parse().unwrap()),
            successor_id: None,
        }
    }

    #[test]
    fn tree_order_puts_parents_first_and_siblings_by_name() {
        let mut units = vec![
            u(1, "P", "Tỉnh", UnitKind::Province, 0, None),
            u(2, "A", "Đạ Tông", UnitKind::Commune, 1, None),
            u(3, "B", "an bình", UnitKind::Commune, 1, None),
            u(4, "C", "Buôn Ma", UnitKind::Commune, 2, None),
            u(5, "Q", "Ấp", UnitKind::Province, 0, None),
        ];
        for (i, parent) in [(1, 1), (2, 1), (3, 2)] {
            units[i].parent_id = Some(parent);
        }
        let tree = UnitTree::new((5, 0), 0, units, HashMap::new());
        let names = |root| {
            tree.in_tree_order(root)
                .into_iter()
                .map(|(d, u)| format!("{d}{}", u.code))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // "an bình" < "ap" < "buon ma" < "da tong" < "tinh", diacritics ignored.
        assert_eq!(names(None), "0Q 0P 1B 1A 2C");
        assert_eq!(names(Some(1)), "0P 1B 1A 2C");
        assert_eq!(names(Some(2)), "0A 1C");
        assert_eq!(names(Some(4)), "0C");
        assert_eq!(names(Some(99)), "");
        assert_eq!(tree.subtree(2).map(|s| s.contains(4)), Some(true));
        assert_eq!(tree.subtree(2).map(|s| s.contains(3)), Some(false));
    }
}
