//! Units (đơn vị): the tree, its history, and how users name units.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::text::fold;
use danvan_core::unit::{UnitKind, full_name};
use serde::Serialize;
use sqlx::Row;

use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError};

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

/// All units, in id order. Units are few (tens of thousands at most) and
/// change rarely, so whole-tree work is done in memory.
pub async fn all(store: &Store) -> Result<Vec<Unit>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM unit ORDER BY id");
    on_pool!(&store.pool, p => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?;
        rows.iter().map(unit_from_row).collect()
    })
}

pub async fn by_id(store: &Store, id: i64) -> Result<Option<Unit>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = $1");
    on_pool!(&store.pool, p => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?;
        row.as_ref().map(unit_from_row).transpose()
    })
}

pub(crate) async fn by_id_tx(tx: &mut Tx, id: i64) -> Result<Option<Unit>, StoreError> {
    let sql = format!("SELECT {UNIT_COLUMNS} FROM unit WHERE id = $1");
    on_tx!(tx, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        row.as_ref().map(unit_from_row).transpose()
    })
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
    on_pool!(&store.pool, p => {
        let n: Option<i64> = sqlx::query_scalar(
            "SELECT unit_id FROM unit_path WHERE unit_id = $1 AND ancestor_id = $2",
        )
        .bind(unit)
        .bind(ancestor)
        .fetch_optional(p)
        .await?;
        Ok(n.is_some())
    })
}

/// Find the unit a user means by a code or a name. Names are matched with
/// diacritics and case ignored, with or without the kind word ("huyện Đam
/// Rông", "dam rong", "TP Quảng Ngãi"). When several units share the name:
/// those that existed during `during` are preferred, then the highest in the
/// tree (people say "Kon Tum" for the province), then the one valid now;
/// if that still leaves several, the error lists them.
pub async fn find(
    store: &Store,
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
) -> Result<Unit, StoreError> {
    let units = all(store).await?;
    find_in(&units, query, during, chrono::Local::now().date_naive())
}

pub fn find_in(
    units: &[Unit],
    query: &str,
    during: Option<(NaiveDate, NaiveDate)>,
    today: NaiveDate,
) -> Result<Unit, StoreError> {
    let q = query.trim();
    if let Some(u) = units.iter().find(|u| u.code == q) {
        return Ok(u.clone());
    }
    if is_country_name(q) {
        return Ok(Unit::country());
    }
    let (kind, bare) = split_kind(&fold(q));
    let mut cands: Vec<&Unit> = units
        .iter()
        .filter(|u| fold(&u.name) == bare && kind.is_none_or(|k| k == u.kind))
        .collect();
    if cands.is_empty() {
        return Err(DomainError::new(
            "unit.not_found",
            format!("không tìm thấy đơn vị «{q}» (theo mã hoặc tên)"),
        )
        .into());
    }
    if let Some((from, to)) = during {
        let live: Vec<&Unit> = cands
            .iter()
            .copied()
            .filter(|u| u.overlaps(from, to))
            .collect();
        if !live.is_empty() {
            cands = live;
        }
    }
    let top = cands.iter().map(|u| u.depth).min().unwrap_or(0);
    cands.retain(|u| u.depth == top);
    if cands.len() > 1 {
        let now: Vec<&Unit> = cands
            .iter()
            .copied()
            .filter(|u| u.valid_on(today))
            .collect();
        if now.len() == 1 {
            cands = now;
        }
    }
    match cands.as_slice() {
        [one] => Ok((*one).clone()),
        many => {
            let list: Vec<String> = many.iter().map(|u| u.describe()).collect();
            Err(DomainError::new(
                "unit.ambiguous",
                format!(
                    "tên «{q}» ứng với nhiều đơn vị: {}; hãy dùng mã đơn vị",
                    list.join("; ")
                ),
            )
            .into())
        }
    }
}

/// "cả nước", "toàn quốc", "Việt Nam" or the code "ca-nuoc": the whole
/// country, diacritics optional.
pub fn is_country_name(q: &str) -> bool {
    let f = fold(q.trim()).replace('-', " ");
    matches!(f.as_str(), "ca nuoc" | "toan quoc" | "viet nam" | "vn")
}

/// Split a folded name into an optional leading kind word and the bare name.
fn split_kind(folded: &str) -> (Option<UnitKind>, String) {
    const ABBREVIATIONS: [(&str, &str); 4] = [
        ("tp. ", "thanh pho "),
        ("tp ", "thanh pho "),
        ("tx ", "thi xa "),
        ("tt ", "thi tran "),
    ];
    let mut s = folded.to_string();
    for (abbr, full) in ABBREVIATIONS {
        if let Some(rest) = s.strip_prefix(abbr) {
            s = format!("{full}{rest}");
            break;
        }
    }
    // Longest kind word first, so "thi tran" wins over a shorter prefix.
    let mut kinds: Vec<UnitKind> = UnitKind::ALL.to_vec();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.label().len()));
    for k in kinds {
        let word = fold(k.label());
        if let Some(rest) = s.strip_prefix(&word)
            && let Some(rest) = rest.strip_prefix(' ')
            && !rest.is_empty()
        {
            return (Some(k), rest.to_string());
        }
    }
    (None, s)
}

/// The unit that answers for `unit` on `date`: itself while it exists,
/// then its successor (and the successor's successor…) after it ended.
/// Events of a merged unit dated after the merger roll up into the new
/// unit; earlier ones stay where they happened.
pub(crate) fn effective(units: &HashMap<i64, Unit>, mut id: i64, date: NaiveDate) -> i64 {
    for _ in 0..64 {
        let Some(u) = units.get(&id) else { break };
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

pub(crate) async fn insert_tx(
    tx: &mut Tx,
    code: &str,
    name: &str,
    kind: UnitKind,
    parent: Option<&Unit>,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
) -> Result<Unit, StoreError> {
    let depth = parent.map_or(0, |p| p.depth + 1);
    let id: i64 = on_tx!(tx, c => {
        sqlx::query_scalar(
            "INSERT INTO unit (code, name, name_folded, kind, parent_id, province_id, depth, valid_from, valid_to)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(fold(name))
        .bind(kind.code())
        .bind(parent.map(|p| p.id))
        .bind(parent.map_or(0, |p| p.province_id))
        .bind(depth)
        .bind(valid_from)
        .bind(valid_to)
        .fetch_one(&mut *c)
        .await?
    });
    let province_id = parent.map_or(id, |p| p.province_id);
    on_tx!(tx, c => {
        sqlx::query("UPDATE unit SET province_id = $1 WHERE id = $2")
            .bind(province_id)
            .bind(id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO unit_path (unit_id, ancestor_id, distance)
             SELECT $1, ancestor_id, distance + 1 FROM unit_path WHERE unit_id = $2
             UNION ALL SELECT $1, $1, 0",
        )
        .bind(id)
        .bind(parent.map_or(-1, |p| p.id))
        .execute(&mut *c)
        .await?;
    });
    Ok(Unit {
        id,
        code: code.to_string(),
        name: name.to_string(),
        kind,
        parent_id: parent.map(|p| p.id),
        province_id,
        depth,
        valid_from,
        valid_to,
        successor_id: None,
    })
}

pub(crate) async fn set_successor_tx(
    tx: &mut Tx,
    id: i64,
    successor: i64,
) -> Result<(), StoreError> {
    on_tx!(tx, c => {
        sqlx::query("UPDATE unit SET successor_id = $1 WHERE id = $2")
            .bind(successor)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
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

    fn today() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    #[test]
    fn a_bare_name_means_the_highest_unit() {
        let units = vec![
            u(
                1,
                "62",
                "Kon Tum",
                UnitKind::Province,
                0,
                Some("2025-06-30"),
            ),
            u(2, "608", "Kon Tum", UnitKind::City, 1, Some("2025-06-30")),
            u(3, "23000", "Kon Tum", UnitKind::Ward, 1, None),
        ];
        assert_eq!(find_in(&units, "kon tum", None, today()).unwrap().id, 1);
        assert_eq!(
            find_in(&units, "thành phố Kon Tum", None, today())
                .unwrap()
                .id,
            2
        );
        assert_eq!(find_in(&units, "TP Kon Tum", None, today()).unwrap().id, 2);
        assert_eq!(
            find_in(&units, "phuong kon tum", None, today()).unwrap().id,
            3
        );
        assert_eq!(find_in(&units, "608", None, today()).unwrap().id, 2);
    }

    #[test]
    fn ties_prefer_the_unit_of_the_period_then_today() {
        let units = vec![
            u(
                1,
                "51",
                "Quảng Ngãi",
                UnitKind::Province,
                0,
                Some("2025-06-30"),
            ),
            Unit {
                valid_from: Some("2025-07-01".parse().unwrap()),
                ..u(2, "51-2025", "Quảng Ngãi", UnitKind::Province, 0, None)
            },
        ];
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(find_in(&units, "Quảng Ngãi", None, today()).unwrap().id, 2);
        let old = find_in(
            &units,
            "Quảng Ngãi",
            Some((d("2021-01-01"), d("2023-12-31"))),
            today(),
        );
        // Only the old province existed in 2021–2023.
        assert_eq!(old.unwrap().id, 1);
    }

    #[test]
    fn ambiguous_names_list_the_candidates() {
        let units = vec![
            u(1, "A", "Tân Phú", UnitKind::Commune, 2, None),
            u(2, "B", "Tân Phú", UnitKind::Commune, 2, None),
        ];
        let e = find_in(&units, "tan phu", None, today())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("xã Tân Phú (mã A)") && e.contains("xã Tân Phú (mã B)"),
            "{e}"
        );
        let e = find_in(&units, "không có", None, today())
            .unwrap_err()
            .to_string();
        assert!(e.contains("không tìm thấy đơn vị «không có»"), "{e}");
    }
}
