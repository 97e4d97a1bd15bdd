//! DHIS2's `fields` parameter: which properties of each object to send,
//! nested with brackets (`id,name,parent[id,name],children[id]`). `*`,
//! `:all` and the other presets send every property; an object named
//! without brackets is sent as a reference, `{id}`, as DHIS2 does.

use serde_json::{Map, Value};

use super::error::Dhis2Error;

/// A parsed `fields` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fields {
    /// Every property.
    All,
    /// These properties, each with what to send of it when it is an object.
    Some(Vec<(String, Option<Fields>)>),
}

impl Fields {
    /// `id` only: what a reference to another object carries.
    pub fn reference() -> Fields {
        Fields::Some(vec![("id".into(), None)])
    }

    /// Parse a `fields` value; `default` when absent or empty.
    pub fn parse(s: Option<&str>, default: &str) -> Result<Fields, Dhis2Error> {
        let s = s
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(default);
        let mut chars = s.chars().peekable();
        let f = parse_list(&mut chars, s)?;
        if chars.next().is_some() {
            return Err(unbalanced(s));
        }
        Ok(f)
    }

    /// Whether property `name` is asked for.
    pub fn wants(&self, name: &str) -> bool {
        match self {
            Fields::All => true,
            Fields::Some(list) => list.iter().any(|(n, _)| n == name),
        }
    }

    /// What to send of property `name` when it is an object: its own
    /// fields when given in brackets, else a reference.
    pub fn inner(&self, name: &str) -> Fields {
        match self {
            Fields::All => Fields::reference(),
            Fields::Some(list) => list
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, f)| f.clone())
                .unwrap_or_else(Fields::reference),
        }
    }

    /// Keep of `v` (an object, or a list of objects) what is asked.
    pub fn apply(&self, v: &Value) -> Value {
        match v {
            Value::Array(items) => Value::Array(items.iter().map(|i| self.apply(i)).collect()),
            Value::Object(o) => {
                let Fields::Some(list) = self else {
                    return v.clone();
                };
                let mut out = Map::new();
                for (name, sub) in list {
                    if let Some(x) = o.get(name) {
                        let keep = match sub {
                            Some(inner) => inner.apply(x),
                            None => reference(x),
                        };
                        out.insert(name.clone(), keep);
                    }
                }
                Value::Object(out)
            }
            _ => v.clone(),
        }
    }
}

/// An object named without brackets: `{id}` when it has an id (a
/// reference to another object), else whole (a link such as a data set
/// element, which has none).
fn reference(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(reference).collect()),
        Value::Object(o) => match o.get("id") {
            Some(id) => serde_json::json!({ "id": id }),
            None => v.clone(),
        },
        _ => v.clone(),
    }
}

fn unbalanced(s: &str) -> Dhis2Error {
    Dhis2Error::conflict(
        "dhis2.bad_fields",
        format!("tham số fields «{s}» không hợp lệ: dấu ngoặc không khớp"),
    )
}

fn parse_list(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    whole: &str,
) -> Result<Fields, Dhis2Error> {
    let mut list: Vec<(String, Option<Fields>)> = Vec::new();
    let mut all = false;
    let mut name = String::new();
    let push = |name: &mut String,
                sub: Option<Fields>,
                list: &mut Vec<(String, Option<Fields>)>,
                all: &mut bool| {
        // A transformer (`name~rename(x)`) or an exclusion (`!name`)
        // changes nothing danvan sends.
        let n = name.split('~').next().unwrap_or("").trim().to_string();
        name.clear();
        if n.is_empty() || n.starts_with('!') {
            return;
        }
        if n == "*" || n.starts_with(':') {
            *all = true;
        } else {
            list.push((n, sub));
        }
    };
    while let Some(&c) = chars.peek() {
        match c {
            ',' => {
                chars.next();
                push(&mut name, None, &mut list, &mut all);
            }
            '[' | '(' => {
                chars.next();
                let sub = parse_list(chars, whole)?;
                match chars.next() {
                    Some(']') | Some(')') => {}
                    _ => return Err(unbalanced(whole)),
                }
                push(&mut name, Some(sub), &mut list, &mut all);
                if chars.peek() == Some(&',') {
                    chars.next();
                }
            }
            ']' | ')' => break,
            _ => {
                chars.next();
                name.push(c);
            }
        }
    }
    push(&mut name, None, &mut list, &mut all);
    Ok(if all { Fields::All } else { Fields::Some(list) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_fields_and_references() {
        let f = Fields::parse(Some("id,name,parent[id,name],children"), "").unwrap();
        let v = json!({
            "id": "a", "name": "A", "code": "1",
            "parent": {"id": "p", "name": "P", "code": "0"},
            "children": [{"id": "c", "name": "C"}],
        });
        assert_eq!(
            f.apply(&v),
            json!({"id": "a", "name": "A", "parent": {"id": "p", "name": "P"}, "children": [{"id": "c"}]})
        );
        assert_eq!(Fields::parse(Some("*"), "id").unwrap(), Fields::All);
        assert_eq!(Fields::parse(None, ":all").unwrap(), Fields::All);
        assert!(Fields::parse(Some("id,parent[id"), "").is_err());
        assert!(Fields::parse(Some("id]"), "").is_err());
        let f = Fields::parse(Some("id,displayName~rename(ten),!code"), "").unwrap();
        assert!(f.wants("displayName") && !f.wants("code"));
    }
}
