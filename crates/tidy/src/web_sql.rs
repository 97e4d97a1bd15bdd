//! Web handlers run no SQL: only the store speaks SQL, and handlers ask it
//! (or the report crate) for what they need. Checked in `crates/web/src`:
//! the identifier `sqlx` in code, and string literals that hold SQL.

use crate::lex::{Kind, lex};
use crate::{SourceFile, Violation, finish};

const SCOPE: &str = "crates/web/src/";

/// SQL statements, by their keywords (upper case, as this code base writes
/// SQL; whole words, whitespace collapsed). A pair means both must appear,
/// the second after the first.
const SQL: &[(&str, &str)] = &[
    ("SELECT ", ""),
    ("INSERT INTO ", ""),
    ("UPDATE ", " SET "),
    ("DELETE FROM ", ""),
    ("CREATE TABLE ", ""),
    ("ALTER TABLE ", ""),
    ("DROP TABLE ", ""),
];

/// Violations among `files`; files outside `crates/web/src` are ignored.
pub fn web_sql(files: &[SourceFile]) -> Vec<Violation> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with(SCOPE)) {
        for t in lex(&f.text).tokens {
            match t.kind {
                Kind::Word if t.text == "sqlx" => out.push(Violation::new(
                    &f.path,
                    t.line,
                    "sqlx in the web crate (only the store speaks SQL)",
                )),
                Kind::Str => {
                    if let Some(sql) = sql_in(&t.text) {
                        out.push(Violation::new(
                            &f.path,
                            t.line,
                            format!(
                                "string literal with SQL (`{sql}`) in the web crate: ask the store"
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    finish(out)
}

/// The first SQL keyword in a literal, if it holds SQL.
fn sql_in(literal: &str) -> Option<&'static str> {
    let text = collapse(literal);
    SQL.iter().find_map(|(first, then)| {
        let hit = crate::find_word(&text, first.trim_end())
            .into_iter()
            .map(|at| at + first.trim_end().len())
            .find(|end| {
                text[*end..].starts_with(' ') && (then.is_empty() || text[*end..].contains(then))
            });
        hit.map(|_| first.trim_end())
    })
}

/// Whitespace and escaped whitespace (`\n`, `\t`, a `\` line continuation)
/// as single spaces.
fn collapse(literal: &str) -> String {
    let spaced = literal
        .replace("\\\n", " ")
        .replace("\\n", " ")
        .replace("\\t", " ")
        .replace("\\r", " ");
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_and_sqlx_in_web_are_reported() {
        let src = r##"use sqlx::Row;
fn h() {
    let q = "SELECT id
             FROM petition WHERE id = ?";
    let u = "UPDATE petition\n SET kind = ?";
    let i = r#"INSERT INTO x (a) VALUES (1)"#;
    let d = "DELETE FROM x";
    // SELECT * FROM in a comment is fine
    let label = "Chọn (select) đơn vị; UPDATE later";
    let title = "SELECTED";
}
"##;
        let v = web_sql(&[
            SourceFile::new("crates/web/src/pages/p.rs", src),
            SourceFile::new("crates/store/src/p.rs", src),
        ]);
        let lines: Vec<usize> = v.iter().map(|v| v.line).collect();
        assert_eq!(lines, [1, 3, 5, 6, 7], "{v:?}");
        assert!(v[1].what.contains("SELECT"), "{v:?}");
    }

    #[test]
    fn plain_messages_are_not_sql() {
        for s in [
            "Cập nhật",
            "select a unit",
            "UPDATE",
            "SET",
            "DELETE",
            "SELECTION ",
        ] {
            assert_eq!(sql_in(s), None, "{s}");
        }
    }
}
