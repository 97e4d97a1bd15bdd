//! The two engines hold the same schema: one code base runs the same SQL on
//! SQLite and PostgreSQL, so every table and column must exist on both.
//! Each engine's migrations are applied in file-name order (CREATE TABLE,
//! ALTER TABLE ADD/DROP/RENAME, DROP TABLE) and the results compared.
//! Types, keys and indexes may differ; names may not.

use std::collections::BTreeMap;

use crate::{SourceFile, Violation, finish, is_ident};

/// Where a table or column was made: file and line.
type Origin = (String, usize);

/// Table name → (origin, column name → origin).
pub type Schema = BTreeMap<String, (Origin, BTreeMap<String, Origin>)>;

/// Item keywords of a CREATE TABLE list that are constraints, not columns.
const CONSTRAINTS: &[&str] = &[
    "constraint",
    "primary",
    "unique",
    "foreign",
    "check",
    "exclude",
    "like",
];

/// Violations: tables and columns on one engine and not the other.
pub fn migrations(sqlite: &[SourceFile], postgres: &[SourceFile]) -> Vec<Violation> {
    let (a, b) = (schema(sqlite), schema(postgres));
    let mut out = Vec::new();
    missing(&a, &b, "SQLite", "PostgreSQL", &mut out);
    missing(&b, &a, "PostgreSQL", "SQLite", &mut out);
    finish(out)
}

fn missing(have: &Schema, other: &Schema, this: &str, that: &str, out: &mut Vec<Violation>) {
    for (table, ((path, line), columns)) in have {
        let Some((_, other_columns)) = other.get(table) else {
            out.push(Violation::new(
                path,
                *line,
                format!("table `{table}` exists on {this} but not on {that}"),
            ));
            continue;
        };
        for (column, (path, line)) in columns {
            if !other_columns.contains_key(column) {
                out.push(Violation::new(
                    path,
                    *line,
                    format!("column `{table}.{column}` exists on {this} but not on {that}"),
                ));
            }
        }
    }
}

/// The schema after applying `files` in file-name order.
pub fn schema(files: &[SourceFile]) -> Schema {
    let mut files: Vec<&SourceFile> = files.iter().collect();
    files.sort_by_key(|f| f.path.rsplit('/').next().unwrap_or(&f.path).to_string());
    let mut s = Schema::new();
    for f in files {
        apply(&mut s, &f.path, &tokens(&f.text));
    }
    s
}

/// An SQL token: text (unquoted identifiers and keywords lower-cased) and
/// line. Literals are `'`, so no string can look like a keyword.
#[derive(Debug, Clone)]
struct Tok {
    text: String,
    line: usize,
}

fn apply(s: &mut Schema, path: &str, t: &[Tok]) {
    let at = |k: usize| t.get(k).map_or("", |t| t.text.as_str());
    let origin = |k: usize| (path.to_string(), t.get(k).map_or(0, |t| t.line));
    let mut k = 0;
    while k < t.len() {
        // CREATE [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name ( … )
        if at(k) == "create" {
            let mut j = k + 1;
            if matches!(at(j), "temp" | "temporary" | "unlogged") {
                j += 1;
            }
            if at(j) == "table" {
                let (mut j, exists) = skip_if(t, j + 1, &["if", "not", "exists"]);
                let (name, next) = name(t, j);
                j = next;
                if at(j) == "(" && !(exists && s.contains_key(&name)) {
                    let (columns, end) = columns(t, j, path);
                    s.insert(name, (origin(k), columns));
                    k = end;
                    continue;
                }
            }
        }
        // ALTER TABLE [IF EXISTS] [ONLY] name action, action … ;
        if at(k) == "alter" && at(k + 1) == "table" {
            let (mut j, _) = skip_if(t, k + 2, &["if", "exists"]);
            if at(j) == "only" {
                j += 1;
            }
            let (mut table, next) = name(t, j);
            j = next;
            while j < t.len() && at(j) != ";" {
                let end = action_end(t, j);
                table = alter(s, &table, &t[j..end], path);
                j = if at(end) == "," { end + 1 } else { end };
            }
            k = j;
            continue;
        }
        // DROP TABLE [IF EXISTS] name, name … ;
        if at(k) == "drop" && at(k + 1) == "table" {
            let (mut j, _) = skip_if(t, k + 2, &["if", "exists"]);
            loop {
                let (table, next) = name(t, j);
                s.remove(&table);
                j = next;
                if at(j) != "," {
                    break;
                }
                j += 1;
            }
            k = j;
            continue;
        }
        k += 1;
    }
}

/// One ALTER TABLE action on `table`; returns the table's name after it.
fn alter(s: &mut Schema, table: &str, a: &[Tok], path: &str) -> String {
    let at = |k: usize| a.get(k).map_or("", |t| t.text.as_str());
    let word = |k: usize| !at(k).is_empty() && at(k).chars().all(is_ident);
    match at(0) {
        "add" if !CONSTRAINTS.contains(&at(1)) => {
            let k = if at(1) == "column" { 2 } else { 1 };
            let (k, _) = skip_if(a, k, &["if", "not", "exists"]);
            if word(k)
                && let Some((_, columns)) = s.get_mut(table)
            {
                columns.insert(at(k).to_string(), (path.to_string(), a[k].line));
            }
        }
        "drop" if at(1) != "constraint" => {
            let k = if at(1) == "column" { 2 } else { 1 };
            let (k, _) = skip_if(a, k, &["if", "exists"]);
            if let Some((_, columns)) = s.get_mut(table) {
                columns.remove(at(k));
            }
        }
        "rename" if at(1) == "to" => {
            if let Some(entry) = s.remove(table) {
                s.insert(at(2).to_string(), entry);
                return at(2).to_string();
            }
        }
        "rename" if at(1) != "constraint" => {
            let k = if at(1) == "column" { 2 } else { 1 };
            if at(k + 1) == "to"
                && let Some((_, columns)) = s.get_mut(table)
                && let Some(origin) = columns.remove(at(k))
            {
                columns.insert(at(k + 2).to_string(), origin);
            }
        }
        _ => {}
    }
    table.to_string()
}

/// The end of an ALTER TABLE action: the next `,` or `;` outside brackets.
fn action_end(t: &[Tok], from: usize) -> usize {
    let mut depth = 0;
    for (k, tok) in t.iter().enumerate().skip(from) {
        match tok.text.as_str() {
            "(" => depth += 1,
            ")" => depth -= 1,
            "," | ";" if depth == 0 => return k,
            _ => {}
        }
    }
    t.len()
}

/// Skip `words` at `k` if all are there; returns (next, whether skipped).
fn skip_if(t: &[Tok], k: usize, words: &[&str]) -> (usize, bool) {
    let there = words
        .iter()
        .enumerate()
        .all(|(i, w)| t.get(k + i).is_some_and(|t| t.text == *w));
    if there {
        (k + words.len(), true)
    } else {
        (k, false)
    }
}

/// A possibly schema-qualified name at `k` (`public.unit` → `unit`).
fn name(t: &[Tok], mut k: usize) -> (String, usize) {
    let mut name = t.get(k).map_or(String::new(), |t| t.text.clone());
    k += 1;
    while t.get(k).is_some_and(|t| t.text == ".") {
        name = t.get(k + 1).map_or(String::new(), |t| t.text.clone());
        k += 2;
    }
    (name, k)
}

/// Columns of the list opening at `open`, and the token after its `)`.
fn columns(t: &[Tok], open: usize, path: &str) -> (BTreeMap<String, Origin>, usize) {
    let mut columns = BTreeMap::new();
    let mut depth = 0;
    let mut item_start = true;
    for (k, tok) in t.iter().enumerate().skip(open) {
        match tok.text.as_str() {
            "(" => {
                depth += 1;
                continue;
            }
            ")" => {
                depth -= 1;
                if depth == 0 {
                    return (columns, k + 1);
                }
                continue;
            }
            "," if depth == 1 => {
                item_start = true;
                continue;
            }
            _ => {}
        }
        if depth == 1 && item_start {
            item_start = false;
            if !CONSTRAINTS.contains(&tok.text.as_str()) {
                columns.insert(tok.text.clone(), (path.to_string(), tok.line));
            }
        }
    }
    (columns, t.len())
}

/// Tokens of SQL text, without comments and string literals (`'…'`,
/// `$tag$…$tag$`); `"quoted"` identifiers keep their case.
fn tokens(sql: &str) -> Vec<Tok> {
    let c: Vec<char> = sql.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let (mut out, mut k, mut line) = (Vec::new(), 0, 1);
    let skip_to = |k: &mut usize, line: &mut usize, end: usize| {
        *line += c[*k..end.min(c.len())]
            .iter()
            .filter(|&&ch| ch == '\n')
            .count();
        *k = end;
    };
    while k < c.len() {
        let ch = c[k];
        if ch == '-' && at(k + 1) == '-' {
            let end = (k..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
            skip_to(&mut k, &mut line, end);
        } else if ch == '/' && at(k + 1) == '*' {
            let end = (k + 2..c.len())
                .find(|&j| c[j] == '*' && at(j + 1) == '/')
                .map_or(c.len(), |j| j + 2);
            skip_to(&mut k, &mut line, end);
        } else if ch == '\'' {
            // '' inside a literal is a quote; the scan resumes after it.
            let mut j = k + 1;
            while j < c.len() && !(c[j] == '\'' && at(j + 1) != '\'') {
                j += if c[j] == '\'' { 2 } else { 1 };
            }
            skip_to(&mut k, &mut line, j + 1);
        } else if ch == '$' && (at(k + 1) == '$' || at(k + 1) == '_' || at(k + 1).is_alphabetic()) {
            let close = (k + 1..c.len()).find(|&j| c[j] == '$');
            match close {
                Some(close) if c[k + 1..close].iter().all(|&x| is_ident(x)) => {
                    let tag: String = c[k..=close].iter().collect();
                    let body: String = c[close + 1..].iter().collect();
                    let end = body.find(&tag).map_or(c.len(), |b| {
                        close + 1 + body[..b].chars().count() + tag.chars().count()
                    });
                    skip_to(&mut k, &mut line, end);
                }
                _ => {
                    out.push(Tok {
                        text: "$".into(),
                        line,
                    });
                    k += 1;
                }
            }
        } else if ch == '"' || ch == '`' {
            let end = (k + 1..c.len()).find(|&j| c[j] == ch).unwrap_or(c.len());
            let text: String = c[k + 1..end].iter().collect();
            out.push(Tok { text, line });
            skip_to(&mut k, &mut line, end + 1);
        } else if is_ident(ch) {
            let end = (k..c.len()).find(|&j| !is_ident(c[j])).unwrap_or(c.len());
            let text: String = c[k..end].iter().collect::<String>().to_lowercase();
            out.push(Tok { text, line });
            k = end;
        } else {
            if ch == '\n' {
                line += 1;
            } else if !ch.is_whitespace() {
                out.push(Tok {
                    text: ch.to_string(),
                    line,
                });
            }
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<SourceFile> {
        list.iter().map(|(p, t)| SourceFile::new(p, t)).collect()
    }

    const SQLITE_1: &str = "-- CREATE TABLE in_comment (x INTEGER);\nCREATE TABLE unit (\n    id INTEGER PRIMARY KEY,\n    code TEXT NOT NULL UNIQUE,\n    name TEXT NOT NULL DEFAULT 'a, b)',\n    PRIMARY KEY (id),\n    UNIQUE (code, name)\n) WITHOUT ROWID;\nCREATE TABLE gone (id INTEGER);\nCREATE TRIGGER t BEFORE UPDATE ON unit\nBEGIN\n    SELECT RAISE(ABORT, 'x; CREATE TABLE y (z)');\nEND;\n";
    const PG_1: &str = "CREATE TABLE IF NOT EXISTS unit (\n    id BIGINT GENERATED BY DEFAULT AS IDENTITY,\n    code TEXT NOT NULL,\n    name TEXT NOT NULL,\n    CONSTRAINT unit_code UNIQUE (code),\n    PRIMARY KEY (id)\n);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n    CREATE TABLE x (y int); RAISE EXCEPTION 'no';\nEND\n$$;\n";

    #[test]
    fn the_same_schema_in_different_words_passes() {
        let sqlite = files(&[
            ("m/sqlite/0001.sql", SQLITE_1),
            (
                "m/sqlite/0002.sql",
                "DROP TABLE gone;\nALTER TABLE unit ADD COLUMN kind TEXT;\n",
            ),
        ]);
        let pg = files(&[
            (
                "m/postgres/0002.sql",
                "ALTER TABLE ONLY public.unit ADD kind TEXT, ADD CONSTRAINT k CHECK (kind <> '');\n",
            ),
            ("m/postgres/0001.sql", PG_1),
        ]);
        assert_eq!(migrations(&sqlite, &pg), []);
        let pg = schema(&pg);
        let cols: Vec<&String> = pg["unit"].1.keys().collect();
        assert_eq!(cols, ["code", "id", "kind", "name"]);
    }

    #[test]
    fn a_table_or_column_on_one_engine_only_is_reported() {
        let sqlite = files(&[
            ("m/sqlite/0001.sql", SQLITE_1),
            (
                "m/sqlite/0002.sql",
                "ALTER TABLE unit ADD COLUMN kind TEXT;\nALTER TABLE unit RENAME COLUMN name TO title;\n",
            ),
        ]);
        let pg = files(&[
            ("m/postgres/0001.sql", PG_1),
            (
                "m/postgres/0002.sql",
                "ALTER TABLE unit DROP COLUMN code;\nALTER TABLE unit RENAME TO org;\n",
            ),
        ]);
        let v: Vec<String> = migrations(&sqlite, &pg)
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(
            v,
            [
                "m/postgres/0001.sql:1: table `org` exists on PostgreSQL but not on SQLite",
                "m/sqlite/0001.sql:2: table `unit` exists on SQLite but not on PostgreSQL",
                "m/sqlite/0001.sql:9: table `gone` exists on SQLite but not on PostgreSQL",
            ]
        );
        let pg = files(&[("m/postgres/0001.sql", PG_1)]);
        let sqlite = files(&[
            ("m/sqlite/0001.sql", SQLITE_1),
            (
                "m/sqlite/0002.sql",
                "DROP TABLE IF EXISTS gone;\nALTER TABLE unit ADD COLUMN kind TEXT;\nALTER TABLE unit RENAME COLUMN name TO title;\n",
            ),
        ]);
        let v: Vec<String> = migrations(&sqlite, &pg)
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(
            v,
            [
                "m/postgres/0001.sql:4: column `unit.name` exists on PostgreSQL but not on SQLite",
                "m/sqlite/0001.sql:5: column `unit.title` exists on SQLite but not on PostgreSQL",
                "m/sqlite/0002.sql:2: column `unit.kind` exists on SQLite but not on PostgreSQL",
            ]
        );
    }
}
