//! `crates/core` does no I/O: everything there is a pure function of its
//! inputs. Test code (`#[cfg(test)]` items, and modules declared by them)
//! may do what it likes.

use std::collections::BTreeMap;

use crate::lex::lex;
use crate::{SourceFile, Violation, find_word, finish, line_at};

const SCOPE: &str = "crates/core/src/";

/// Paths that mean I/O. Matched on code only (comments and literals
/// blanked), never as part of a longer identifier.
const IO: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    "io::stdin",
    "io::stdout",
    "io::stderr",
    "tokio",
    "File::",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "dbg!",
];

/// Violations among `files`; files outside `crates/core/src` are ignored.
pub fn core_io(files: &[SourceFile]) -> Vec<Violation> {
    let files: Vec<&SourceFile> = files.iter().filter(|f| f.path.starts_with(SCOPE)).collect();
    let mut test_only = Vec::new();
    let mut lexed = Vec::new();
    for f in &files {
        let code = lex(&f.text).code;
        let (spans, modules) = test_items(&code);
        for m in modules {
            test_only.push(child_module(&f.path, &m));
        }
        lexed.push((f, code, spans));
    }
    let mut out = Vec::new();
    for (f, code, spans) in lexed {
        let stem = f.path.trim_end_matches(".rs").trim_end_matches("/mod");
        if test_only
            .iter()
            .any(|t| stem == t || stem.starts_with(&format!("{t}/")))
        {
            continue;
        }
        // One finding per line: `std::fs::File::open` is one use of I/O.
        let mut by_line = BTreeMap::new();
        for (at, what) in hits(&code) {
            if !spans.iter().any(|(a, b)| (*a..*b).contains(&at)) {
                by_line.entry(line_at(&code, at)).or_insert(what);
            }
        }
        for (line, what) in by_line {
            out.push(Violation::new(
                &f.path,
                line,
                format!("`{what}` in crates/core, which must do no I/O"),
            ));
        }
    }
    finish(out)
}

/// Byte offsets and patterns of every I/O path in `code`, including those
/// named through a grouped import (`use std::{env, fs}`).
fn hits(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for pat in IO {
        let word = pat.trim_end_matches(['!', ':']);
        for (at, _) in code.match_indices(pat) {
            let before = code[..at].chars().next_back();
            let after = code[at + word.len()..].chars().next();
            if before.is_some_and(crate::is_ident) || after.is_some_and(crate::is_ident) {
                continue;
            }
            out.push((at, pat.to_string()));
        }
    }
    for at in find_word(code, "use") {
        let end = code[at..].find(';').map_or(code.len(), |e| at + e);
        let tree = squeeze(&code[at + 3..end]);
        for path in expand(tree.trim_start_matches("::")) {
            if let Some(pat) = IO
                .iter()
                .find(|p| p.contains("::") && !p.ends_with(':') && path_starts_with(&path, p))
            {
                out.push((at, (*pat).to_string()));
            }
        }
    }
    out
}

/// A use tree without whitespace and without renames (`as x`).
fn squeeze(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    let mut k = 0;
    while k < words.len() {
        if words[k] == "as" {
            k += 2;
            continue;
        }
        out.push_str(words[k]);
        k += 1;
    }
    out
}

fn path_starts_with(path: &str, prefix: &str) -> bool {
    path == prefix || path.starts_with(&format!("{prefix}::"))
}

/// The full paths of a use tree without whitespace:
/// `std::{env,io::{self,stdin}}` → `std::env`, `std::io`, `std::io::stdin`.
fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let mut items = Vec::new();
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    for item in items.into_iter().filter(|i| !i.is_empty()) {
        for sub in expand(item) {
            let full = match (prefix.is_empty(), sub.as_str()) {
                (true, _) => sub.clone(),
                (false, "self") => prefix.to_string(),
                (false, _) => format!("{prefix}::{sub}"),
            };
            out.push(full);
        }
    }
    out
}

/// Byte spans of `#[cfg(test)]` items in `code`, and the names of modules
/// such an item declares in another file (`#[cfg(test)] mod tests;`).
fn test_items(code: &str) -> (Vec<(usize, usize)>, Vec<String>) {
    let (mut spans, mut modules) = (Vec::new(), Vec::new());
    for (at, attr) in code.match_indices("#[cfg(test)]") {
        let bytes = code.as_bytes();
        let mut k = at + attr.len();
        let mut depth = 0i32;
        let end = loop {
            match bytes.get(k) {
                None => break code.len(),
                Some(b'(' | b'[') => depth += 1,
                Some(b')' | b']') => depth -= 1,
                Some(b';') if depth == 0 => {
                    let item: Vec<&str> = code[at + attr.len()..k].split_whitespace().collect();
                    if let Some(p) = item.iter().position(|w| *w == "mod")
                        && let Some(name) = item.get(p + 1)
                    {
                        modules.push(name.to_string());
                    }
                    break k + 1;
                }
                Some(b'{') if depth == 0 => break matching_brace(code, k),
                _ => {}
            }
            k += 1;
        };
        spans.push((at, end));
    }
    (spans, modules)
}

/// The byte just after the `}` that closes the `{` at `open`.
fn matching_brace(code: &str, open: usize) -> usize {
    let mut depth = 0;
    for (k, c) in code[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + k + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// The path stem (no `.rs`) of module `name` declared in file `parent`:
/// `a/mod.rs` + `tests` → `a/tests`; `a/b.rs` + `tests` → `a/b/tests`.
fn child_module(parent: &str, name: &str) -> String {
    let dir = match parent.rsplit_once('/') {
        Some((dir, "mod.rs" | "lib.rs" | "main.rs")) => dir.to_string(),
        _ => parent.trim_end_matches(".rs").to_string(),
    };
    format!("{dir}/{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(path: &str, src: &str) -> Vec<(usize, String)> {
        core_io(&[SourceFile::new(path, src)])
            .into_iter()
            .map(|v| (v.line, v.what))
            .collect()
    }

    #[test]
    fn io_in_core_is_reported() {
        let src = "use std::fs::File;\nuse std::{collections::BTreeMap, env};\n// std::fs in a comment\nfn f() { println!(\"std::net\"); }\nfn g() -> String { tokio::spawn(); String::new() }\nfn h() { let _ = File::open(\"x\"); eprintln!(\"x\"); }\nuse std::io::{self, Write};\nfn i() { io::stdout(); }\n";
        let v = found("crates/core/src/a.rs", src);
        let lines: Vec<usize> = v.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 2, 4, 5, 6, 8], "{v:?}");
        assert!(v[1].1.contains("std::env"), "{v:?}");
    }

    #[test]
    fn test_code_and_other_crates_are_not_checked() {
        let src = "fn pure() -> u8 { 1 }\n#[cfg(test)]\nmod tests {\n    use std::fs;\n    fn t() { println!(\"{}\", '{'); }\n}\nfn after() { println!(\"x\"); }\n#[cfg(test)]\nmod more;\n";
        let v = found("crates/core/src/a.rs", src);
        assert_eq!(v.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [7], "{v:?}");
        let more = core_io(&[
            SourceFile::new("crates/core/src/a.rs", src),
            SourceFile::new("crates/core/src/a/more.rs", "use std::fs;\n"),
            SourceFile::new("crates/core/src/b/mod.rs", "#[cfg(test)]\nmod tests;\n"),
            SourceFile::new("crates/core/src/b/tests.rs", "use std::env;\n"),
            SourceFile::new("crates/store/src/db.rs", "use std::fs;\n"),
            SourceFile::new(
                "crates/core/src/c.rs",
                "fn f(dfile: u8, profile: u8) { my_tokio(); }\n",
            ),
        ]);
        assert_eq!(more.len(), 1, "{more:?}");
    }
}
