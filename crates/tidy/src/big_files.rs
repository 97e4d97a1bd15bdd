//! Source files stay small enough to read: no `.rs` file under
//! `crates/*/src` has more than [`MAX_LINES`] lines.

use crate::{SourceFile, Violation, finish};

pub const MAX_LINES: usize = 800;

/// Violations among `files`; files outside `crates/*/src` are ignored.
pub fn big_files(files: &[SourceFile], max: usize) -> Vec<Violation> {
    let mut out = Vec::new();
    for f in files {
        let in_src = f
            .path
            .strip_prefix("crates/")
            .and_then(|p| p.split_once('/'))
            .is_some_and(|(_, inner)| inner.starts_with("src/"));
        let lines = f.text.lines().count();
        if in_src && f.path.ends_with(".rs") && lines > max {
            out.push(Violation::new(
                &f.path,
                max + 1,
                format!("{lines} lines, more than {max}: split the file"),
            ));
        }
    }
    finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_reported() {
        let long = "x\n".repeat(MAX_LINES + 1);
        let ok = "x\n".repeat(MAX_LINES);
        let v = big_files(
            &[
                SourceFile::new("crates/store/src/petitions.rs", &long),
                SourceFile::new("crates/store/src/ok.rs", &ok),
                SourceFile::new("crates/store/tests/petitions.rs", &long),
                SourceFile::new("crates/report/catalogue.toml", &long),
            ],
            MAX_LINES,
        );
        let found: Vec<String> = v.iter().map(|v| v.to_string()).collect();
        assert_eq!(
            found,
            ["crates/store/src/petitions.rs:801: 801 lines, more than 800: split the file"]
        );
    }
}
