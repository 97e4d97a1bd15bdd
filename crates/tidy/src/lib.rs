//! Architecture tests in the manner of rust-analyzer's tidy: each check is a
//! pure function from source text to violations, so it can be shown to fail
//! on a small deliberate violation (its unit tests) and run on the real tree
//! (`tests/tidy.rs`). No dependencies, so it builds in seconds.

pub mod big_files;
pub mod core_io;
pub mod lex;
pub mod migrations;
pub mod report_indicators;
pub mod route_walk;
pub mod sqlx_users;
pub mod web_access;
pub mod web_sql;

use std::fmt;
use std::path::{Path, PathBuf};

/// A file of the workspace: its path relative to the root, with `/`
/// separators (`crates/web/src/lib.rs`), and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        }
    }
}

/// One broken rule, at a file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub path: String,
    pub line: usize,
    pub what: String,
}

impl Violation {
    pub fn new(path: &str, line: usize, what: impl Into<String>) -> Violation {
        Violation {
            path: path.to_string(),
            line,
            what: what.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.what)
    }
}

/// Sorted, without repeats: a line that breaks a rule twice is one finding.
pub fn finish(mut v: Vec<Violation>) -> Vec<Violation> {
    v.sort();
    v.dedup();
    v
}

/// The workspace root (this crate is `crates/tidy`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One file, by path relative to the root. Panics if it cannot be read: a
/// check that reads nothing proves nothing.
pub fn read(path: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(path))
        .unwrap_or_else(|e| panic!("tidy: cannot read {path}: {e}"));
    SourceFile::new(path, &text)
}

/// Every file under `dir` (relative to the root, searched recursively)
/// whose name ends with `suffix`, sorted by path. A missing directory gives
/// none.
pub fn walk(dir: &str, suffix: &str) -> Vec<SourceFile> {
    let mut paths = Vec::new();
    collect(
        &root().join(dir),
        dir.trim_end_matches('/'),
        suffix,
        &mut paths,
    );
    paths.sort();
    paths.iter().map(|p| read(p)).collect()
}

fn collect(abs: &Path, rel: &str, suffix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(abs) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{rel}/{name}");
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&entry.path(), &rel, suffix, out);
        } else if name.ends_with(suffix) {
            out.push(rel);
        }
    }
}

/// The crates of the workspace: `crates/<name>` directories with a
/// Cargo.toml, sorted.
pub fn crate_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("crates"))
        .expect("tidy: cannot list crates/")
        .flatten()
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| format!("crates/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

/// Panics with every violation, one `file:line: what` per line.
pub fn assert_clean(check: &str, violations: &[Violation]) {
    if violations.is_empty() {
        return;
    }
    let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
    panic!(
        "tidy: {check}: {} violation(s)\n{}\n",
        violations.len(),
        list.join("\n")
    );
}

/// 1-based line of byte offset `at` in `text`.
pub fn line_at(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Whether `c` can be part of an identifier (Rust, SQL, Jinja).
pub fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offsets of `word` in `text` where it is not part of a longer
/// identifier on either side.
pub fn find_word(text: &str, word: &str) -> Vec<usize> {
    text.match_indices(word)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .map(|(at, _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_whole_identifiers() {
        assert_eq!(find_word("sqlx::x sqlx_y my_sqlx (sqlx)", "sqlx"), [0, 24]);
        assert_eq!(line_at("a\nb\nc", 4), 3);
    }

    #[test]
    fn violations_are_sorted_and_unique() {
        let v = finish(vec![
            Violation::new("b", 1, "x"),
            Violation::new("a", 2, "x"),
            Violation::new("b", 1, "x"),
        ]);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].to_string(), "a:2: x");
    }

    #[test]
    #[should_panic(expected = "a.rs:3: bad")]
    fn a_violation_fails_the_test() {
        assert_clean("demo", &[Violation::new("a.rs", 3, "bad")]);
    }
}
