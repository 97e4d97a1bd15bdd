//! Lists the migrations: every `src/migrations/sqlite/NNNN_name.sql`, in
//! number order, with its PostgreSQL twin of the same name. A migration
//! without its twin, or two with one number, fails the build, so the
//! engines cannot drift apart; a new migration needs no line of code.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let dir = Path::new("src/migrations");
    println!("cargo:rerun-if-changed=src/migrations");
    let names = |engine: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.join(engine))
            .unwrap_or_else(|e| panic!("src/migrations/{engine}: {e}"))
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".sql").map(str::to_string))
            .collect();
        v.sort();
        v
    };
    let (sqlite, postgres) = (names("sqlite"), names("postgres"));
    assert_eq!(
        sqlite, postgres,
        "every migration needs the same file under sqlite/ and postgres/"
    );
    let mut out = String::from("&[\n");
    let mut last = 0;
    for name in &sqlite {
        let number: i64 = name
            .split('_')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("migration {name}: the name starts with its number"));
        assert!(number > last, "migration {name}: numbers rise");
        last = number;
        writeln!(out, "    migration!({number}, {name:?}),").unwrap();
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("migrations.rs");
    std::fs::write(target, out).unwrap();
}
