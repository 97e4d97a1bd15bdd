//! `organisationUnits`, `organisationUnits/{id}` and
//! `organisationUnitLevels`: danvan's unit tree as DHIS2 shows it. A user
//! bound to a unit sees that unit's subtree only; a unit above it appears
//! as a bare reference (`parent: {id}`, ids in `path`), never with its
//! name or other children.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use danvan_store::units::Unit;
use serde_json::{Map, Value, json};

use super::auth::Caller;
use super::error::Dhis2Error;
use super::fields::Fields;
use super::index::UnitIndex;
use super::query::{Filters, Query, page};
use super::uid;

/// Every property an organisation unit has here, in DHIS2's names.
const PROPERTIES: [&str; 12] = [
    "id",
    "code",
    "name",
    "displayName",
    "shortName",
    "level",
    "path",
    "leaf",
    "parent",
    "children",
    "openingDate",
    "closedDate",
];

fn date(d: Option<chrono::NaiveDate>) -> Value {
    d.map_or(Value::Null, |d| {
        Value::String(format!("{}T00:00:00.000", d.format("%Y-%m-%d")))
    })
}

/// A unit as DHIS2 sends it, with the fields asked for.
pub fn render(ix: &UnitIndex, u: &Unit, f: &Fields) -> Value {
    let mut out = Map::new();
    for p in PROPERTIES {
        if !f.wants(p) {
            continue;
        }
        let v = match p {
            "id" => json!(ix.id(u)),
            "code" => json!(u.code),
            "name" | "displayName" => json!(u.full_name()),
            "shortName" => json!(u.name),
            "level" => json!(UnitIndex::level(u)),
            "path" => json!(ix.path(u)),
            "leaf" => json!(ix.children(u).next().is_none()),
            "parent" => match u.parent_id.and_then(|p| ix.by_id(p)) {
                None => continue,
                Some(parent) if ix.is_visible(parent) => render(ix, parent, &f.inner(p)),
                Some(parent) => json!({ "id": ix.id(parent) }),
            },
            "children" => {
                let inner = f.inner(p);
                Value::Array(ix.children(u).map(|c| render(ix, c, &inner)).collect())
            }
            "openingDate" => date(u.valid_from),
            "closedDate" => date(u.valid_to),
            _ => continue,
        };
        if !v.is_null() {
            out.insert(p.to_string(), v);
        }
    }
    Value::Object(out)
}

/// What filters and ordering look at: every plain property, and the
/// parent's id and code.
fn view(ix: &UnitIndex, u: &Unit) -> Value {
    let f = Fields::Some(
        PROPERTIES
            .iter()
            .filter(|p| **p != "children")
            .map(|p| {
                let inner = (*p == "parent")
                    .then(|| Fields::Some(vec![("id".into(), None), ("code".into(), None)]));
                (p.to_string(), inner)
            })
            .collect(),
    );
    render(ix, u, &f)
}

fn ordered(ix: &UnitIndex, units: &mut Vec<&Unit>, order: Option<&str>) -> Result<(), Dhis2Error> {
    let Some(order) = order.filter(|o| !o.is_empty()) else {
        return Ok(());
    };
    let (prop, dir) = order.split_once(':').unwrap_or((order, "asc"));
    let desc = match dir.to_ascii_lowercase().as_str() {
        "asc" | "iasc" => false,
        "desc" | "idesc" => true,
        _ => {
            return Err(Dhis2Error::conflict(
                "dhis2.bad_order",
                format!("thứ tự «{order}» không hợp lệ; dùng thuộc_tính:asc hoặc thuộc_tính:desc"),
            ));
        }
    };
    let key = |u: &Unit| -> (i64, String) {
        match prop {
            "level" => (UnitIndex::level(u) as i64, String::new()),
            "code" => (0, u.code.clone()),
            "name" | "displayName" | "shortName" => {
                (0, danvan_core::text::fold(&u.name).to_lowercase())
            }
            "id" => (0, ix.id(u)),
            _ => (0, String::new()),
        }
    };
    units.sort_by_cached_key(|u| key(u));
    if desc {
        units.reverse();
    }
    Ok(())
}

/// `GET /api/organisationUnits`.
pub async fn list(Caller { store, .. }: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let ix = UnitIndex::load(&store).await?;
    let fields = Fields::parse(q.get("fields"), "id,displayName")?;
    let filters = Filters::of(&q)?;
    let level = q
        .get("level")
        .filter(|l| !l.is_empty())
        .map(|_| q.number("level", 1))
        .transpose()?;
    let max_level = q
        .get("maxLevel")
        .filter(|l| !l.is_empty())
        .map(|_| q.number("maxLevel", 1))
        .transpose()?;
    let search = q
        .get("query")
        .map(|s| danvan_core::text::fold(s).to_lowercase());
    let mut units: Vec<&Unit> = ix
        .visible
        .iter()
        .filter(|u| level.is_none_or(|l| UnitIndex::level(u) == l))
        .filter(|u| max_level.is_none_or(|l| UnitIndex::level(u) <= l))
        .filter(|u| {
            search.as_ref().is_none_or(|s| {
                u.code == *s
                    || ix.id(u) == *s
                    || danvan_core::text::fold(&u.full_name())
                        .to_lowercase()
                        .contains(s)
            })
        })
        .filter(|u| filters.holds(&view(&ix, u)))
        .collect();
    ordered(&ix, &mut units, q.get("order"))?;
    let items = units.iter().map(|u| render(&ix, u, &fields)).collect();
    Ok(Json(page(&q, "organisationUnits", items)?).into_response())
}

/// `GET /api/organisationUnits/{id}` (also `{id}.json`); with
/// `includeChildren=true` or `includeDescendants=true`, the unit and the
/// units below it as a list.
pub async fn one(
    Caller { store, .. }: Caller,
    Path(id): Path<String>,
    q: Query,
) -> Result<Response, Dhis2Error> {
    let ix = UnitIndex::load(&store).await?;
    let u = ix.find(id.trim_end_matches(".json"))?;
    let fields = Fields::parse(q.get("fields"), "*")?;
    let units: Vec<&Unit> = if q.flag("includeDescendants", false)? {
        ix.subtree(u)
    } else if q.flag("includeChildren", false)? {
        std::iter::once(u).chain(ix.children(u)).collect()
    } else {
        return Ok(Json(render(&ix, u, &fields)).into_response());
    };
    let items: Vec<Value> = units.iter().map(|u| render(&ix, u, &fields)).collect();
    Ok(Json(json!({ "organisationUnits": items })).into_response())
}

/// `GET /api/organisationUnitLevels`: each level of the visible tree,
/// named by the kinds of units on it ("huyện, thành phố, xã, phường").
pub async fn levels(Caller { store, .. }: Caller, q: Query) -> Result<Response, Dhis2Error> {
    let ix = UnitIndex::load(&store).await?;
    let fields = Fields::parse(q.get("fields"), "id,displayName,level")?;
    let mut kinds: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    for u in &ix.visible {
        let k = kinds.entry(UnitIndex::level(u)).or_default();
        if !k.contains(&u.kind.label()) {
            k.push(u.kind.label());
        }
    }
    let items: Vec<Value> = kinds
        .into_iter()
        .map(|(level, kinds)| {
            let name = format!("Cấp {level}: {}", kinds.join(", "));
            fields.apply(&json!({
                "id": uid::level(level),
                "level": level,
                "name": name,
                "displayName": name,
            }))
        })
        .collect();
    Ok(Json(page(&q, "organisationUnitLevels", items)?).into_response())
}
