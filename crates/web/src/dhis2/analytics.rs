//! `GET /api/analytics`: catalogue indicators and summed data elements
//! for units and periods, in DHIS2's `headers`/`rows`/`metaData` shape,
//! answered from facts at the moment of asking (DHIS2 answers from
//! analytics tables rebuilt in batches, stale in between). Each value is
//! the report crate's: a ratio is rounded as danvan's reports round it.
//!
//! Dimensions: `dx` (indicator or element ids, `element.optionCombo` for
//! one option), `pe` (DHIS2 period ids, `YYYYMMDD_YYYYMMDD` for any
//! half-month-aligned range), `ou` (unit ids, `LEVEL-n` within them,
//! `USER_ORGUNIT`, `USER_ORGUNIT_CHILDREN`). A dimension given as
//! `filter=` with one item narrows without a column. Without `pe`,
//! `startDate`/`endDate` give the days.

use axum::Json;
use axum::response::{IntoResponse, Response};
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dataset::Aggregation;
use danvan_report::catalogue::Formula;
use danvan_report::figures::{Needs, Value as Figure, value_of};
use danvan_store::facts::{self, Detail, FactTable, Read, Scope};
use danvan_store::units::Unit;
use serde_json::{Map, Value, json};

use super::auth::Caller;
use super::error::Dhis2Error;
use super::index::UnitIndex;
use super::meta::{Dx, Meta};
use super::query::Query;
use super::{number as plain, periods, uid};

/// The dimensions of a request: `dimension=` ones get a column.
struct Dims {
    dx: (Vec<String>, bool),
    pe: (Vec<String>, bool),
    ou: (Vec<String>, bool),
}

fn dims(q: &Query) -> Result<Dims, Dhis2Error> {
    let mut d = Dims {
        dx: (Vec::new(), false),
        pe: (Vec::new(), false),
        ou: (Vec::new(), false),
    };
    for (key, column) in [("dimension", true), ("filter", false)] {
        for v in q.all(key) {
            let (name, items) = v.split_once(':').ok_or_else(|| {
                Dhis2Error::conflict(
                    "dhis2.bad_dimension",
                    format!("chiều «{v}» không hợp lệ; dạng dx:…, pe:… hoặc ou:…"),
                )
            })?;
            let slot = match name {
                "dx" => &mut d.dx,
                "pe" => &mut d.pe,
                "ou" => &mut d.ou,
                other => {
                    return Err(Dhis2Error::conflict(
                        "dhis2.bad_dimension",
                        format!("danvan chỉ có các chiều dx, pe và ou, không có «{other}»"),
                    ));
                }
            };
            let items: Vec<String> = items
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            if !column && items.len() > 1 {
                return Err(Dhis2Error::conflict(
                    "dhis2.bad_filter",
                    format!("bộ lọc «{v}» chỉ được có một mục; hãy dùng dimension để có từng mục"),
                ));
            }
            slot.0.extend(items);
            slot.1 |= column;
        }
    }
    if d.dx.0.is_empty() || d.ou.0.is_empty() {
        return Err(Dhis2Error::conflict(
            "dhis2.bad_dimension",
            "cần chiều dx (chỉ tiêu) và chiều ou (đơn vị)",
        ));
    }
    Ok(d)
}

/// The periods asked: each with its DHIS2 id.
fn periods_of(q: &Query, d: &Dims) -> Result<Vec<(String, Period)>, Dhis2Error> {
    if !d.pe.0.is_empty() {
        return d
            .pe
            .0
            .iter()
            .map(|p| {
                periods::parse(p).map(|x| (p.clone(), x)).map_err(|_| {
                    Dhis2Error::conflict(
                        "dhis2.bad_period",
                        format!(
                            "kỳ «{p}» không dùng được; dùng 2020, 2020S1, 2020Q2, 202003, 2020Nov \
                             hoặc khoảng ngày 20191215_20200614 (danvan không có kỳ tương đối như LAST_YEAR)"
                        ),
                    )
                })
            })
            .collect();
    }
    match (q.get("startDate"), q.get("endDate")) {
        (Some(s), Some(e)) => {
            let p = Period::parse(&format!("{s}..{e}"), false)?;
            Ok(vec![(periods::name(&p).unwrap_or_default(), p)])
        }
        _ => Err(Dhis2Error::conflict(
            "dhis2.no_period",
            "cần chiều pe (kỳ) hoặc cả startDate và endDate",
        )),
    }
}

/// The units asked, in the order given; `LEVEL-n` expands within the
/// units named beside it (else within the reader's top units) to those
/// that existed during some period asked.
fn units_of<'a>(
    ix: &'a UnitIndex,
    d: &Dims,
    during: DateRange,
) -> Result<Vec<&'a Unit>, Dhis2Error> {
    let tops: Vec<&Unit> = ix
        .visible
        .iter()
        .filter(|u| {
            u.parent_id
                .is_none_or(|p| ix.by_id(p).is_none_or(|p| !ix.is_visible(p)))
        })
        .collect();
    let mut named: Vec<&Unit> = Vec::new();
    let mut levels: Vec<usize> = Vec::new();
    for item in &d.ou.0 {
        match item.as_str() {
            "USER_ORGUNIT" => named.extend(tops.iter().copied()),
            "USER_ORGUNIT_CHILDREN" => {
                named.extend(tops.iter().flat_map(|t| ix.children(t)));
            }
            "USER_ORGUNIT_GRANDCHILDREN" => named.extend(
                tops.iter()
                    .flat_map(|t| ix.children(t))
                    .flat_map(|c| ix.children(c)),
            ),
            s if s.starts_with("LEVEL-") => {
                let n = s[6..]
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        Dhis2Error::conflict(
                            "dhis2.bad_level",
                            format!("«{s}» không hợp lệ; dùng LEVEL-1, LEVEL-2…"),
                        )
                    })?;
                levels.push(n);
            }
            s => named.push(ix.find(s)?),
        }
    }
    if levels.is_empty() {
        return Ok(named);
    }
    let within = if named.is_empty() { tops } else { named };
    let mut out = Vec::new();
    for root in within {
        for u in ix.subtree(root) {
            if levels.contains(&UnitIndex::level(u))
                && u.overlaps(during.start, during.end)
                && !out.iter().any(|o: &&Unit| o.id == u.id)
            {
                out.push(u);
            }
        }
    }
    Ok(out)
}

/// One `dx` item, resolved.
struct Item<'a> {
    id: String,
    name: String,
    dx: Dx<'a>,
}

fn item<'a>(meta: &'a Meta, key: &str) -> Result<Item<'a>, Dhis2Error> {
    let dx = meta.dx(key)?;
    let (id, name) = match &dx {
        Dx::Indicator(i) => (uid::indicator(&i.code), i.label.clone()),
        Dx::Element(e, None) => {
            if e.aggregation != Aggregation::Sum {
                return Err(Dhis2Error::conflict(
                    "dhis2.not_summed",
                    format!(
                        "chỉ tiêu «{}» không cộng dồn ({}) nên không có trong analytics; hãy đọc qua dataValueSets",
                        e.label,
                        e.aggregation.label()
                    ),
                ));
            }
            (uid::element(&e.code), e.label.clone())
        }
        Dx::Element(e, Some(o)) => (
            format!(
                "{}.{}",
                uid::element(&e.code),
                uid::option_combo(&e.code, o)
            ),
            format!(
                "{} — {}",
                e.label,
                e.options
                    .iter()
                    .find(|x| &x.code == o)
                    .map_or(o.as_str(), |x| x.label.as_str())
            ),
        ),
    };
    Ok(Item { id, name, dx })
}

/// The value of one item on the facts of one unit and period, as DHIS2
/// writes it; `None` where DHIS2 would show no row.
fn value(it: &Item, period: &FactTable, opening: &FactTable) -> Option<String> {
    match &it.dx {
        Dx::Indicator(i) => match value_of(i, period, opening) {
            Figure::Count(0) => None,
            Figure::Count(n) => Some(n.to_string()),
            Figure::Ratio { num, den, .. } => {
                let decimals = match &i.formula {
                    Formula::Ratio { decimals, .. } => *decimals,
                    Formula::Value(_) => 0,
                };
                number::rate_scaled(num, den, decimals).map(|v| plain::fixed(v, decimals))
            }
        },
        Dx::Element(e, option) => {
            let key = e.key();
            let v = match option {
                None => period.total(key),
                Some(o) => period.total_where(key, &[("option", o.as_str())]),
            };
            (v != 0).then(|| plain::format(e, v))
        }
    }
}

fn header(name: &str, column: &str, meta: bool) -> Value {
    json!({
        "name": name,
        "column": column,
        "valueType": if meta { "TEXT" } else { "NUMBER" },
        "type": if meta { "java.lang.String" } else { "java.lang.Double" },
        "hidden": false,
        "meta": meta,
    })
}

fn merged(mut a: FactTable, b: FactTable) -> FactTable {
    a.values.extend(b.values);
    a
}

/// `GET /api/analytics`.
pub async fn analytics(Caller { store, .. }: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let d = dims(&q)?;
    let meta = Meta::load(&store).await?;
    let ix = UnitIndex::load(&store).await?;
    let items: Vec<Item> =
        d.dx.0
            .iter()
            .map(|k| item(&meta, k))
            .collect::<Result<_, _>>()?;
    let pes = periods_of(&q, &d)?;
    let during = DateRange::new(
        pes.iter()
            .map(|(_, p)| p.range().start)
            .min()
            .unwrap_or_default(),
        pes.iter()
            .map(|(_, p)| p.range().end)
            .max()
            .unwrap_or_default(),
    );
    let ous = units_of(&ix, &d, during)?;

    let mut needs = Needs::default();
    for it in &items {
        match &it.dx {
            Dx::Indicator(i) => needs.add(i),
            Dx::Element(e, o) => needs.add_key(e.key(), false, o.is_some()),
        }
    }
    let keys = [
        needs.keys(false, Detail::Totals),
        needs.keys(false, Detail::Breakdowns),
        needs.keys(true, Detail::Totals),
        needs.keys(true, Detail::Breakdowns),
    ];
    let mut reads = Vec::with_capacity(4 * pes.len() * ous.len());
    for (_, p) in &pes {
        let r = p.range();
        let before = DateRange::up_to(r.start.pred_opt().unwrap_or(r.start));
        for u in &ous {
            let scope = Scope::of(u);
            for (k, range, detail) in [
                (&keys[0], r, Detail::Totals),
                (&keys[1], r, Detail::Breakdowns),
                (&keys[2], before, Detail::Totals),
                (&keys[3], before, Detail::Breakdowns),
            ] {
                reads.push(Read {
                    scope,
                    keys: k,
                    range,
                    detail,
                });
            }
        }
    }
    let mut tables = facts::read_batch(&store, &reads).await?.into_iter();

    let mut rows = Vec::new();
    for (pe, _) in &pes {
        for u in &ous {
            let mut next = || tables.next().unwrap_or_default();
            let (pt, pb, ot, ob) = (next(), next(), next(), next());
            let (period, opening) = (merged(pt, pb), merged(ot, ob));
            for it in &items {
                let Some(v) = value(it, &period, &opening) else {
                    continue;
                };
                let mut row = Vec::new();
                if d.dx.1 {
                    row.push(json!(it.id));
                }
                if d.pe.1 {
                    row.push(json!(pe));
                }
                if d.ou.1 {
                    row.push(json!(ix.id(u)));
                }
                row.push(json!(v));
                rows.push(Value::Array(row));
            }
        }
    }
    // DHIS2's row order: by the dimensions as given (dx first here).
    if d.dx.1 {
        let order: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        rows.sort_by_key(|r| order.iter().position(|o| r[0] == *o));
    }

    let mut headers = Vec::new();
    if d.dx.1 {
        headers.push(header("dx", "Data", true));
    }
    if d.pe.1 {
        headers.push(header("pe", "Period", true));
    }
    if d.ou.1 {
        headers.push(header("ou", "Organisation unit", true));
    }
    headers.push(header("value", "Value", false));
    let mut names = Map::new();
    for it in &items {
        names.insert(it.id.clone(), json!({ "name": it.name }));
    }
    for (pe, p) in &pes {
        names.insert(pe.clone(), json!({ "name": p.to_string() }));
    }
    for u in &ous {
        names.insert(ix.id(u), json!({ "name": u.full_name(), "code": u.code }));
    }
    names.insert("dx".into(), json!({ "name": "Chỉ tiêu" }));
    names.insert("pe".into(), json!({ "name": "Kỳ" }));
    names.insert("ou".into(), json!({ "name": "Đơn vị" }));
    let (width, height) = (headers.len(), rows.len());
    let mut body = json!({
        "headers": headers,
        "rows": rows,
        "height": height,
        "width": width,
        "headerWidth": width,
    });
    if !q.flag("skipMeta", false)? {
        body["metaData"] = json!({
            "items": names,
            "dimensions": {
                "dx": items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
                "pe": pes.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
                "ou": ous.iter().map(|u| ix.id(u)).collect::<Vec<_>>(),
                "co": [],
            },
        });
    }
    Ok(Json(body).into_response())
}
