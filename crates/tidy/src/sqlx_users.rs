//! Only `crates/store` speaks SQL, so only it may depend on or name sqlx.
//! Checked: the `[dependencies]` of every other crate's Cargo.toml, and the
//! Rust code (not comments, not strings) of its `src/` and `tests/`.

use crate::lex::{Kind, lex};
use crate::{SourceFile, Violation, finish};

/// Violations among `files` (Cargo.toml files and `.rs` files, by path);
/// files outside the rule's scope are ignored.
pub fn sqlx_users(files: &[SourceFile]) -> Vec<Violation> {
    let mut out = Vec::new();
    for f in files {
        let Some(rest) = f.path.strip_prefix("crates/") else {
            continue;
        };
        let Some((krate, inner)) = rest.split_once('/') else {
            continue;
        };
        if krate == "store" {
            continue;
        }
        if inner == "Cargo.toml" {
            manifest(f, &mut out);
        } else if (inner.starts_with("src/") || inner.starts_with("tests/"))
            && inner.ends_with(".rs")
        {
            rust(f, &mut out);
        }
    }
    finish(out)
}

/// Whether a TOML table header names a dependency table that ships with the
/// crate: `[dependencies]` or `[target.'…'.dependencies]`, and the same with
/// a dependency's own table (`[dependencies.sqlx]`). Returns the dependency
/// named in the header, if any.
fn dependency_table(header: &str) -> Option<Option<&str>> {
    if header == "dependencies"
        || header.starts_with("target.") && header.ends_with(".dependencies")
    {
        return Some(None);
    }
    let (table, dep) = header.rsplit_once('.')?;
    let dep = dep.trim().trim_matches('"');
    dependency_table(table).map(|_| Some(dep))
}

fn manifest(f: &SourceFile, out: &mut Vec<Violation>) {
    let mut in_deps = false;
    for (n, raw) in f.text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let header = header.trim();
            in_deps = false;
            match dependency_table(header) {
                Some(Some("sqlx")) => out.push(Violation::new(
                    &f.path,
                    n + 1,
                    "sqlx is a dependency of a crate other than crates/store",
                )),
                Some(None) => in_deps = true,
                _ => {}
            }
            continue;
        }
        if !in_deps {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().trim_matches('"');
        let name = key.split('.').next().unwrap_or("").trim().trim_matches('"');
        let renamed = value.contains("package") && value.contains("\"sqlx\"");
        if name == "sqlx" || renamed {
            out.push(Violation::new(
                &f.path,
                n + 1,
                "sqlx is a dependency of a crate other than crates/store",
            ));
        }
    }
}

fn rust(f: &SourceFile, out: &mut Vec<Violation>) {
    let tokens = lex(&f.text).tokens;
    for (k, t) in tokens.iter().enumerate() {
        if t.kind != Kind::Word || t.text != "sqlx" {
            continue;
        }
        let prev = k.checked_sub(1).map(|p| tokens[p].text.as_str());
        let path_head = tokens.get(k + 1).is_some_and(|t| t.text == ":")
            && tokens.get(k + 2).is_some_and(|t| t.text == ":");
        let imported = matches!(prev, Some("use" | "crate"))
            || prev == Some(":") && k >= 3 && tokens[k - 3].text == "use";
        if path_head || imported {
            out.push(Violation::new(
                &f.path,
                t.line,
                "sqlx used outside crates/store (only the store speaks SQL)",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[Violation]) -> Vec<(&str, usize)> {
        v.iter().map(|v| (v.path.as_str(), v.line)).collect()
    }

    #[test]
    fn a_dependency_on_sqlx_outside_the_store_is_reported() {
        let web = "[package]\nname = \"w\"\n\n[dependencies]\naxum.workspace = true\nsqlx.workspace = true\n\n[dev-dependencies]\nsqlx = \"0.9\"\n";
        let table = "[dependencies.sqlx]\nversion = \"0.9\"\n";
        let renamed = "[target.'cfg(unix)'.dependencies]\ndb = { package = \"sqlx\" }\n";
        let store = "[dependencies]\nsqlx.workspace = true\n";
        let v = sqlx_users(&[
            SourceFile::new("crates/web/Cargo.toml", web),
            SourceFile::new("crates/core/Cargo.toml", table),
            SourceFile::new("crates/check/Cargo.toml", renamed),
            SourceFile::new("crates/store/Cargo.toml", store),
        ]);
        assert_eq!(
            lines(&v),
            [
                ("crates/check/Cargo.toml", 2),
                ("crates/core/Cargo.toml", 1),
                ("crates/web/Cargo.toml", 6),
            ]
        );
    }

    #[test]
    fn sqlx_in_code_outside_the_store_is_reported() {
        let code = "use sqlx::Row;\n// sqlx::query in a comment\nlet m = \"sqlx::\";\nfn f() { sqlx::query(\"x\"); }\nlet sqlx_like = 1;\nextern crate sqlx;\n";
        let v = sqlx_users(&[
            SourceFile::new("crates/web/src/pages/x.rs", code),
            SourceFile::new(
                "crates/report/tests/common/mod.rs",
                "use sqlx::Connection;\n",
            ),
            SourceFile::new("crates/store/src/db.rs", code),
            SourceFile::new("crates/store/tests/facts.rs", code),
            SourceFile::new("crates/report/benches/x.rs", "use sqlx::Connection;\n"),
        ]);
        assert_eq!(
            lines(&v),
            [
                ("crates/report/tests/common/mod.rs", 1),
                ("crates/web/src/pages/x.rs", 1),
                ("crates/web/src/pages/x.rs", 4),
                ("crates/web/src/pages/x.rs", 6),
            ]
        );
    }
}
