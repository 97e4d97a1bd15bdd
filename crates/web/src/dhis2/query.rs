//! The query string of a DHIS2 request, where keys repeat (`filter=…&
//! filter=…`, `dimension=…`, `orgUnit=…`), with DHIS2's paging (`page`,
//! `pageSize`, `paging=false`) and object filters (`filter=level:eq:3`,
//! `parent.id:eq:…`, `name:ilike:…`), evaluated over each object's JSON.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use danvan_core::text::fold;
use serde_json::{Value, json};

use super::error::Dhis2Error;

/// Every `key=value` pair of the query string, in order.
#[derive(Debug, Clone, Default)]
pub struct Query(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Query {
    type Rejection = Dhis2Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Query, Dhis2Error> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q).map(Query).map_err(|_| {
            Dhis2Error::conflict(
                "dhis2.bad_query",
                "chuỗi tham số của địa chỉ không đọc được",
            )
        })
    }
}

impl Query {
    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `key`, in order.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// A `true`/`false` parameter.
    pub fn flag(&self, key: &str, default: bool) -> Result<bool, Dhis2Error> {
        match self.get(key) {
            None | Some("") => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(Dhis2Error::conflict(
                "dhis2.bad_query",
                format!("tham số {key} phải là true hoặc false, không phải «{v}»"),
            )),
        }
    }

    /// A positive whole number parameter.
    pub fn number(&self, key: &str, default: usize) -> Result<usize, Dhis2Error> {
        match self.get(key) {
            None | Some("") => Ok(default),
            Some(v) => v.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                Dhis2Error::conflict(
                    "dhis2.bad_query",
                    format!("tham số {key} phải là số nguyên dương, không phải «{v}»"),
                )
            }),
        }
    }
}

/// Largest page served.
pub const MAX_PAGE_SIZE: usize = 10_000;

/// One page of `items` (all of them with `paging=false`), under `key`,
/// with DHIS2's `pager` when paged.
pub fn page(q: &Query, key: &str, items: Vec<Value>) -> Result<Value, Dhis2Error> {
    if !q.flag("paging", true)? {
        return Ok(json!({ key: items }));
    }
    let size = q.number("pageSize", 50)?.min(MAX_PAGE_SIZE);
    let page = q.number("page", 1)?;
    let total = items.len();
    let count = total.div_ceil(size).max(1);
    let shown: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * size)
        .take(size)
        .collect();
    Ok(json!({
        "pager": { "page": page, "pageCount": count, "total": total, "pageSize": size },
        key: shown,
    }))
}

/// One `filter=property:operator:value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    path: Vec<String>,
    op: Op,
    value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Like,
    NotLike,
    StartsWith,
    EndsWith,
    In,
    NotIn,
    Gt,
    Ge,
    Lt,
    Le,
    Null,
    NotNull,
}

impl Filter {
    pub fn parse(s: &str) -> Result<Filter, Dhis2Error> {
        let bad = |why: &str| {
            Dhis2Error::conflict(
                "dhis2.bad_filter",
                format!("bộ lọc «{s}» không hợp lệ: {why}"),
            )
        };
        let mut parts = s.splitn(3, ':');
        let path = parts.next().unwrap_or("").trim();
        let op = parts.next().unwrap_or("").trim();
        let value = parts.next().unwrap_or("").to_string();
        if path.is_empty() {
            return Err(bad(
                "thiếu tên thuộc tính (dạng thuộc_tính:phép_so:giá_trị)",
            ));
        }
        let op = match op {
            "eq" | "ieq" => Op::Eq,
            "!eq" | "ne" | "neq" | "!ieq" => Op::Ne,
            "like" | "ilike" | "token" => Op::Like,
            "!like" | "!ilike" | "!token" => Op::NotLike,
            "$like" | "$ilike" => Op::StartsWith,
            "like$" | "ilike$" => Op::EndsWith,
            "in" => Op::In,
            "!in" => Op::NotIn,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            "null" | "empty" => Op::Null,
            "!null" | "!empty" => Op::NotNull,
            "" => return Err(bad("thiếu phép so (eq, ilike, in…)")),
            other => return Err(bad(&format!("không có phép so «{other}»"))),
        };
        if value.is_empty() && !matches!(op, Op::Null | Op::NotNull) {
            return Err(bad("thiếu giá trị để so"));
        }
        Ok(Filter {
            path: path.split('.').map(str::to_string).collect(),
            op,
            value,
        })
    }

    /// Whether object `v` passes: a property reached through a list
    /// (`children.id`) passes when any item does.
    pub fn holds(&self, v: &Value) -> bool {
        let mut found = Vec::new();
        reach(v, &self.path, &mut found);
        match self.op {
            Op::Null => found.iter().all(|x| x.is_null()),
            Op::NotNull => found.iter().any(|x| !x.is_null()),
            Op::Ne | Op::NotLike | Op::NotIn => found.iter().all(|x| self.one(x)),
            _ => found.iter().any(|x| self.one(x)),
        }
    }

    fn one(&self, x: &Value) -> bool {
        let text = match x {
            Value::String(s) => s.clone(),
            Value::Null => return matches!(self.op, Op::Ne | Op::NotLike | Op::NotIn),
            other => other.to_string(),
        };
        let (a, b) = (fold(&text).to_lowercase(), fold(&self.value).to_lowercase());
        let order = || match (text.parse::<f64>(), self.value.parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y),
            _ => Some(text.as_str().cmp(self.value.as_str())),
        };
        let listed = || {
            self.value
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
                .any(|i| i.trim() == text)
        };
        match self.op {
            Op::Eq => text == self.value,
            Op::Ne => text != self.value,
            Op::Like => a.contains(&b),
            Op::NotLike => !a.contains(&b),
            Op::StartsWith => a.starts_with(&b),
            Op::EndsWith => a.ends_with(&b),
            Op::In => listed(),
            Op::NotIn => !listed(),
            Op::Gt => order() == Some(std::cmp::Ordering::Greater),
            Op::Ge => order().is_some_and(|o| o != std::cmp::Ordering::Less),
            Op::Lt => order() == Some(std::cmp::Ordering::Less),
            Op::Le => order().is_some_and(|o| o != std::cmp::Ordering::Greater),
            Op::Null | Op::NotNull => unreachable!("decided in holds"),
        }
    }
}

fn reach<'a>(v: &'a Value, path: &[String], out: &mut Vec<&'a Value>) {
    match (v, path.split_first()) {
        (Value::Array(items), _) => items.iter().for_each(|i| reach(i, path, out)),
        (_, None) => out.push(v),
        (Value::Object(o), Some((head, rest))) => match o.get(head) {
            Some(x) => reach(x, rest, out),
            None => out.push(&Value::Null),
        },
        _ => out.push(&Value::Null),
    }
}

/// The request's filters and how they combine (`rootJunction=OR`).
pub struct Filters {
    list: Vec<Filter>,
    any: bool,
}

impl Filters {
    pub fn of(q: &Query) -> Result<Filters, Dhis2Error> {
        Ok(Filters {
            list: q
                .all("filter")
                .iter()
                .map(|f| Filter::parse(f))
                .collect::<Result<_, _>>()?,
            any: q
                .get("rootJunction")
                .is_some_and(|j| j.eq_ignore_ascii_case("or")),
        })
    }

    pub fn holds(&self, v: &Value) -> bool {
        if self.list.is_empty() {
            return true;
        }
        if self.any {
            self.list.iter().any(|f| f.holds(v))
        } else {
            self.list.iter().all(|f| f.holds(v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_compare_like_dhis2() {
        let v = json!({"name": "Lâm Đồng", "level": 1, "parent": {"id": "p"}, "children": [{"id": "a"}, {"id": "b"}]});
        for (f, want) in [
            ("name:ilike:lam dong", true),
            ("name:ilike:LÂM", true),
            ("name:eq:Lâm Đồng", true),
            ("name:eq:lâm đồng", false),
            ("level:eq:1", true),
            ("level:gt:1", false),
            ("level:le:2", true),
            ("parent.id:eq:p", true),
            ("parent.id:!eq:p", false),
            ("children.id:eq:b", true),
            ("children.id:in:[x,a]", true),
            ("code:null", true),
            ("name:$ilike:lâm", true),
            ("name:like$:đồng", true),
        ] {
            assert_eq!(Filter::parse(f).unwrap().holds(&v), want, "{f}");
        }
        for bad in ["name", "name:zz:1", ":eq:1", "name:eq:"] {
            assert!(Filter::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_count_from_one() {
        let q = Query(vec![
            ("pageSize".into(), "2".into()),
            ("page".into(), "2".into()),
        ]);
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let p = page(&q, "x", items.clone()).unwrap();
        assert_eq!(p["x"], json!([2, 3]));
        assert_eq!(p["pager"]["pageCount"], 3);
        assert_eq!(p["pager"]["total"], 5);
        let all = Query(vec![("paging".into(), "false".into())]);
        assert_eq!(
            page(&all, "x", items).unwrap()["x"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        assert!(page(&Query(vec![("page".into(), "0".into())]), "x", vec![]).is_err());
    }
}
