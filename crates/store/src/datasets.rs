//! Aggregate data sets: element and set definitions, and values entered
//! per unit and period. A value of a "sum" element is a fact under
//! `data.<code>` (option as breakdown); re-entering a value replaces it and
//! corrects the facts. "Last value" and "none" elements are read with
//! [`value`].

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, ElementOption, PeriodType, SummedValue, ValueType,
};

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::placing::{at_position, place};
use crate::{Store, StoreError};

/// Options are stored as `code=label` lines.
fn options_text(o: &[ElementOption]) -> String {
    o.iter()
        .map(|o| format!("{}={}", o.code, o.label))
        .collect::<Vec<_>>()
        .join("\n")
}

fn options_parse(s: &str) -> Vec<ElementOption> {
    s.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(c, l)| ElementOption {
            code: c.to_string(),
            label: l.to_string(),
        })
        .collect()
}

type ElementRow = (i64, String, String, String, String, i32, String, String);

fn element_from(r: ElementRow) -> Result<(i64, DataElement), StoreError> {
    Ok((
        r.0,
        DataElement {
            code: r.1,
            label: r.2,
            measure: r.3,
            value_type: ValueType::parse(&r.4)?,
            scale: r.5 as u32,
            aggregation: Aggregation::parse(&r.6)?,
            options: options_parse(&r.7),
        },
    ))
}

async fn element_tx(tx: &mut Tx, code: &str) -> Result<Option<(i64, DataElement)>, StoreError> {
    let row: Option<ElementRow> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, code, label, measure, value_type, scale, aggregation, options FROM data_element WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *c)
        .await?
    });
    row.map(element_from).transpose()
}

/// Define an element, or relabel an existing one. How its values are
/// typed and aggregated can not change once values were entered. Elements
/// are shared by the whole country: a store limited to a subtree may not.
pub async fn define_element(store: &Store, e: &DataElement) -> Result<i64, StoreError> {
    e.validate()?;
    store.check_national("chỉ tiêu số liệu")?;
    let mut tx = store.begin().await?;
    let old = element_tx(&mut tx, &e.code).await?;
    if let Some((id, old)) = &old {
        let used: Option<i64> = on_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT element_id FROM data_value WHERE element_id = $1 LIMIT 1")
                .bind(*id)
                .fetch_optional(&mut *c)
                .await?
        });
        let kept = old.value_type == e.value_type
            && old.scale == e.scale
            && old.aggregation == e.aggregation
            && old
                .options
                .iter()
                .all(|o| e.options.iter().any(|n| n.code == o.code));
        if used.is_some() && !kept {
            return Err(DomainError::new(
                    "data.element_in_use",
                    format!(
                        "chỉ tiêu «{}» đã có số liệu: không đổi được kiểu giá trị, số chữ số thập phân, cách tổng hợp hay bỏ phân tổ",
                        e.label
                    ),
                )
                .into());
        }
    }
    // The code is the element's key: a definition given again replaces it.
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO data_element (code, label, measure, value_type, scale, aggregation, options) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO UPDATE SET label = excluded.label, \
             measure = excluded.measure, value_type = excluded.value_type, scale = excluded.scale, \
             aggregation = excluded.aggregation, options = excluded.options RETURNING id",
        )
        .bind(e.code.as_str())
        .bind(e.label.as_str())
        .bind(e.measure.as_str())
        .bind(e.value_type.code())
        .bind(e.scale as i32)
        .bind(e.aggregation.code())
        .bind(options_text(&e.options))
        .fetch_one(&mut *c)
        .await?
    });
    let change = match &old {
        Some((_, o)) => {
            Change::new(Action::Update, "data_element", id).before(&WithId { id, record: o })
        }
        None => Change::new(Action::Create, "data_element", id),
    };
    audit::log(&mut tx, store, change.after(&WithId { id, record: e })).await?;
    tx.commit().await?;
    Ok(id)
}

/// Define (or redefine) a data set from elements already defined. Like
/// elements, sets are shared by the whole country.
pub async fn define_set(store: &Store, s: &DataSet) -> Result<i64, StoreError> {
    s.validate()?;
    store.check_national("bộ chỉ tiêu số liệu")?;
    let mut tx = store.begin().await?;
    let old = set_tx(&mut tx, &s.code).await?;
    let mut ids = Vec::new();
    for code in &s.elements {
        let (id, _) = element_tx(&mut tx, code).await?.ok_or_else(|| {
            DomainError::new(
                "data.unknown_element",
                format!("chưa có chỉ tiêu mã «{code}»"),
            )
            .at_field("elements")
        })?;
        ids.push(id);
    }
    let id: i64 = on_tx!(&mut tx, c => {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO data_set (code, name, period_type) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, period_type = excluded.period_type RETURNING id",
        )
        .bind(s.code.as_str())
        .bind(s.name.as_str())
        .bind(s.period_type.code())
        .fetch_one(&mut *c)
        .await?;
        sqlx::query("DELETE FROM data_set_element WHERE data_set_id = $1").bind(id).execute(&mut *c).await?;
        for (pos, e) in ids.iter().enumerate() {
            sqlx::query("INSERT INTO data_set_element (data_set_id, element_id, position) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(*e)
                .bind(pos as i32)
                .execute(&mut *c)
                .await?;
        }
        id
    });
    let change = match &old {
        Some(o) => Change::new(Action::Update, "data_set", id).before(&WithId { id, record: o }),
        None => Change::new(Action::Create, "data_set", id),
    };
    audit::log(&mut tx, store, change.after(&WithId { id, record: s })).await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored data set (element codes in entry order), by its code.
async fn set_tx(tx: &mut Tx, code: &str) -> Result<Option<DataSet>, StoreError> {
    let row: Option<(i64, String, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT id, name, period_type FROM data_set WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *c)
            .await?
    });
    let Some((id, name, pt)) = row else {
        return Ok(None);
    };
    let codes: Vec<String> = on_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT e.code FROM data_set_element se JOIN data_element e ON e.id = se.element_id \
             WHERE se.data_set_id = $1 ORDER BY se.position",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    Ok(Some(DataSet {
        code: code.to_string(),
        name,
        period_type: PeriodType::parse(&pt)?,
        elements: codes,
    }))
}

/// A data set and its elements in entry order.
pub async fn get_set(store: &Store, code: &str) -> Result<(DataSet, Vec<DataElement>), StoreError> {
    let mut tx = store.begin_read().await?;
    let set = set_tx(&mut tx, code)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("bộ chỉ tiêu «{code}»")))?;
    let mut elements = Vec::new();
    for c in &set.elements {
        elements.extend(element_tx(&mut tx, c).await?.map(|x| x.1));
    }
    tx.end_read().await?;
    Ok((set, elements))
}

/// Enter values of one data set (one value per unit, period, element and
/// option). One bad value (reported with its position) and nothing is
/// written; a value entered again replaces the old one.
pub async fn enter(store: &Store, set: &str, values: &[DataValue]) -> Result<(), StoreError> {
    if values.is_empty() {
        get_set(store, set).await?;
        return Ok(());
    }
    let rows: Vec<(&str, &DataValue)> = values.iter().map(|v| (set, v)).collect();
    enter_many(store, &rows).await
}

/// Enter values of several data sets, each value with its set's code, in
/// one transaction, each logged: one bad value (reported with its position
/// in `values`), or one of a unit outside the store's subtree, and nothing
/// is written.
pub async fn enter_many(store: &Store, values: &[(&str, &DataValue)]) -> Result<(), StoreError> {
    enter_counted(store, values).await.map(|_| ())
}

/// What [`enter_counted`] wrote: values new to the database, and values
/// that replaced an earlier one (the same value entered again included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Entered {
    pub created: usize,
    pub updated: usize,
}

/// [`enter_many`], telling how many values were new and how many replaced
/// an earlier value (an exchange's import summary counts them apart).
pub async fn enter_counted(
    store: &Store,
    values: &[(&str, &DataValue)],
) -> Result<Entered, StoreError> {
    let mut entered = Entered::default();
    let mut sets: std::collections::HashMap<&str, (DataSet, Vec<DataElement>)> =
        std::collections::HashMap::new();
    for (set, _) in values {
        if !sets.contains_key(set) {
            sets.insert(set, get_set(store, set).await?);
        }
    }
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut changes = Vec::with_capacity(values.len());
    for (i, &(set, v)) in values.iter().enumerate() {
        store.check_write(v.unit_id)?;
        let (ds, elements) = &sets[set];
        let checked: Result<(i64, i64, NaiveDate, &DataElement), StoreError> = async {
            let e = elements
                .iter()
                .find(|e| e.code == v.element)
                .ok_or_else(|| {
                    DomainError::new(
                        "data.not_in_set",
                        format!(
                            "chỉ tiêu «{}» không thuộc bộ chỉ tiêu «{}»",
                            v.element, ds.name
                        ),
                    )
                    .at_field("element")
                })?;
            e.check_option(&v.option)?;
            danvan_core::bounds::value("data.bad_value", "value", v.value)?;
            let start = ds.period_start(&v.period)?;
            let p = place(
                &mut tx,
                &mut cache,
                v.unit_id,
                start,
                "kỳ số liệu bắt đầu",
                "period",
            )
            .await?;
            let (id, _) = element_tx(&mut tx, &e.code)
                .await?
                .expect("element of the set");
            Ok((p, id, start, e))
        }
        .await;
        let (province, element_id, start, e) =
            checked.map_err(|err| at_position(err, i, values.len()))?;
        let old: Option<i64> = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "SELECT value FROM data_value WHERE province_id = $1 AND unit_id = $2 AND element_id = $3 \
                 AND period = $4 AND option = $5",
            )
            .bind(province)
            .bind(v.unit_id)
            .bind(element_id)
            .bind(v.period.as_str())
            .bind(v.option.as_str())
            .fetch_optional(&mut *c)
            .await?
        });
        if e.aggregation == Aggregation::Sum {
            let facts = |value: i64| -> Vec<Contribution> {
                let dv = DataValue { value, ..v.clone() };
                let mut out = Vec::new();
                SummedValue {
                    value: &dv,
                    period_start: start,
                }
                .contributions(&mut out);
                out
            };
            if let Some(o) = old {
                delta.add(&mut tx, &mut cache, &facts(o), -1).await?;
            }
            delta.add(&mut tx, &mut cache, &facts(v.value), 1).await?;
        }
        on_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO data_value (province_id, unit_id, element_id, period, period_start, option, value) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (province_id, unit_id, element_id, period, option) \
                 DO UPDATE SET value = excluded.value",
            )
            .bind(province)
            .bind(v.unit_id)
            .bind(element_id)
            .bind(v.period.as_str())
            .bind(start)
            .bind(v.option.as_str())
            .bind(v.value)
            .execute(&mut *c)
            .await?;
        });
        let key = format!(
            "{set}/{}/{}/{}/{}",
            v.element, v.unit_id, v.period, v.option
        );
        match old {
            Some(_) => entered.updated += 1,
            None => entered.created += 1,
        }
        let change = match old {
            Some(o) => Change::new(Action::Update, "data_value", key).before(&DataValue {
                value: o,
                ..v.clone()
            }),
            None => Change::new(Action::Create, "data_value", key),
        };
        changes.push(change.unit(v.unit_id).after(v));
    }
    delta.apply(&mut tx).await?;
    audit::log_many(&mut tx, store, changes).await?;
    tx.commit().await?;
    Ok(entered)
}

/// The value entered for a unit, element, period and option (any
/// aggregation), as the scaled integer. A unit outside the store's
/// subtree is not found.
pub async fn value(
    store: &Store,
    unit_id: i64,
    element: &str,
    period: &str,
    option: &str,
) -> Result<Option<i64>, StoreError> {
    store.read_root(Some(unit_id))?;
    on_pool!(&store.pool, p => {
        Ok(sqlx::query_scalar(
            "SELECT v.value FROM data_value v JOIN data_element e ON e.id = v.element_id \
             WHERE v.unit_id = $1 AND e.code = $2 AND v.period = $3 AND v.option = $4",
        )
        .bind(unit_id)
        .bind(element)
        .bind(period)
        .bind(option)
        .fetch_optional(p)
        .await?)
    })
}

/// Every data element defined, by code.
pub async fn elements(store: &Store) -> Result<Vec<DataElement>, StoreError> {
    let rows: Vec<ElementRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, code, label, measure, value_type, scale, aggregation, options \
             FROM data_element ORDER BY code",
        )
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|r| element_from(r).map(|(_, e)| e))
        .collect()
}

/// Every data set defined, by name, with its element codes in entry order.
pub async fn sets(store: &Store) -> Result<Vec<DataSet>, StoreError> {
    let codes: Vec<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT code FROM data_set ORDER BY name, code")
            .fetch_all(p)
            .await?
    });
    let mut tx = store.begin_read().await?;
    let mut out = Vec::with_capacity(codes.len());
    for c in &codes {
        out.extend(set_tx(&mut tx, c).await?);
    }
    tx.end_read().await?;
    Ok(out)
}

/// The units and periods for which values of data set `set` were entered,
/// in a unit's subtree (the store's whole subtree when `unit` is `None`),
/// latest period first, at most `limit`.
pub async fn entries(
    store: &Store,
    set: &str,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let root = store.read_root(unit)?;
    let mut sql = String::from(
        "SELECT DISTINCT v.unit_id, v.period, v.period_start FROM data_value v \
         JOIN data_set_element se ON se.element_id = v.element_id \
         JOIN data_set s ON s.id = se.data_set_id",
    );
    if root.is_some() {
        sql.push_str(" JOIN unit_path up ON up.unit_id = v.unit_id AND up.ancestor_id = $3");
    }
    sql.push_str(" WHERE s.code = $1 ORDER BY v.period_start DESC, v.unit_id, v.period LIMIT $2");
    let limit = limit.clamp(1, crate::listing::MAX_ROWS);
    let rows: Vec<(i64, String, NaiveDate)> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(set).bind(limit);
        if let Some(r) = root {
            q = q.bind(r);
        }
        q.fetch_all(p).await?
    });
    Ok(rows.into_iter().map(|(u, p, _)| (u, p)).collect())
}

/// Which entered values [`values_where`] reads.
#[derive(Debug, Clone, Default)]
pub struct ValueFilter {
    /// Element codes; values of other elements are left out.
    pub elements: Vec<String>,
    /// The unit whose values are read.
    pub unit: i64,
    /// Read the values of every unit below `unit` as well.
    pub subtree: bool,
    /// Only periods starting on or after this day.
    pub from: Option<NaiveDate>,
    /// Only periods starting on or before this day.
    pub to: Option<NaiveDate>,
}

/// Entered values of some elements at a unit (or in its subtree) whose
/// periods start within the days given, ordered by unit, period
/// start, element and option. A unit outside the store's subtree is not
/// found.
pub async fn values_where(store: &Store, f: &ValueFilter) -> Result<Vec<DataValue>, StoreError> {
    store.read_root(Some(f.unit))?;
    if f.elements.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from(
        "SELECT v.unit_id, e.code, v.period, v.option, v.value FROM data_value v \
         JOIN data_element e ON e.id = v.element_id",
    );
    let mut n = 1;
    let mut next = || {
        let p = format!("${n}");
        n += 1;
        p
    };
    if f.subtree {
        sql.push_str(&format!(
            " JOIN unit_path up ON up.unit_id = v.unit_id AND up.ancestor_id = {}",
            next()
        ));
    } else {
        sql.push_str(&format!(" WHERE v.unit_id = {}", next()));
    }
    sql.push_str(if f.subtree { " WHERE " } else { " AND " });
    let marks: Vec<String> = f.elements.iter().map(|_| next()).collect();
    sql.push_str(&format!("e.code IN ({})", marks.join(", ")));
    if f.from.is_some() {
        sql.push_str(&format!(" AND v.period_start >= {}", next()));
    }
    if f.to.is_some() {
        sql.push_str(&format!(" AND v.period_start <= {}", next()));
    }
    sql.push_str(" ORDER BY v.unit_id, v.period_start, v.period, e.code, v.option");
    let rows: Vec<(i64, String, String, String, i64)> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(f.unit);
        for e in &f.elements {
            q = q.bind(e.as_str());
        }
        if let Some(d) = f.from {
            q = q.bind(d);
        }
        if let Some(d) = f.to {
            q = q.bind(d);
        }
        q.fetch_all(p).await?
    });
    Ok(rows
        .into_iter()
        .map(|(unit_id, element, period, option, value)| DataValue {
            unit_id,
            element,
            period,
            option,
            value,
        })
        .collect())
}

/// The values of data set `set` entered for one unit and period, in the
/// set's element order (options by code). A unit outside the store's
/// subtree is not found.
pub async fn values_of(
    store: &Store,
    set: &str,
    unit_id: i64,
    period: &str,
) -> Result<Vec<DataValue>, StoreError> {
    store.read_root(Some(unit_id))?;
    let rows: Vec<(String, String, i64)> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT e.code, v.option, v.value FROM data_value v \
             JOIN data_element e ON e.id = v.element_id \
             JOIN data_set_element se ON se.element_id = v.element_id \
             JOIN data_set s ON s.id = se.data_set_id \
             WHERE s.code = $1 AND v.unit_id = $2 AND v.period = $3 \
             ORDER BY se.position, v.option",
        )
        .bind(set)
        .bind(unit_id)
        .bind(period)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(element, option, value)| DataValue {
            unit_id,
            element,
            period: period.to_string(),
            option,
            value,
        })
        .collect())
}
