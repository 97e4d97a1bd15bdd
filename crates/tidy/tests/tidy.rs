//! The architecture tests, run on the workspace as it is. Each check is a
//! pure function in `src/`, with a unit test showing that it fails on a
//! deliberate violation; here it reads the real files.

use danvan_tidy::{
    SourceFile, assert_clean, big_files, core_io, crate_dirs, migrations, read, report_indicators,
    route_walk, sqlx_users, walk, web_access, web_sql,
};

/// The `.rs` files under `dir` of every crate (`src`, `tests`).
fn crate_sources(dir: &str) -> Vec<SourceFile> {
    crate_dirs()
        .iter()
        .flat_map(|c| walk(&format!("{c}/{dir}"), ".rs"))
        .collect()
}

fn non_empty(what: &str, files: Vec<SourceFile>) -> Vec<SourceFile> {
    assert!(
        !files.is_empty(),
        "tidy: found no {what}: has the tree moved?"
    );
    files
}

#[test]
fn only_the_store_uses_sqlx() {
    let mut files: Vec<SourceFile> = crate_dirs()
        .iter()
        .map(|c| read(&format!("{c}/Cargo.toml")))
        .collect();
    files.extend(crate_sources("src"));
    files.extend(crate_sources("tests"));
    assert_clean(
        "only crates/store uses sqlx",
        &sqlx_users::sqlx_users(&files),
    );
}

#[test]
fn core_does_no_io() {
    let files = non_empty("core sources", walk("crates/core/src", ".rs"));
    assert_clean("crates/core does no I/O", &core_io::core_io(&files));
}

#[test]
fn web_handlers_run_no_sql() {
    let files = non_empty("web sources", walk("crates/web/src", ".rs"));
    assert_clean("the web crate runs no SQL", &web_sql::web_sql(&files));
}

#[test]
fn web_handlers_decide_no_access() {
    let files = non_empty("web sources", walk("crates/web/src", ".rs"));
    assert_clean(
        "the web crate decides no access (the store does)",
        &web_access::web_access(&files),
    );
}

#[test]
fn report_templates_name_catalogue_indicators() {
    let catalogue = read("crates/report/catalogue.toml");
    assert!(
        report_indicators::catalogue_codes(&catalogue.text).len() > 10,
        "tidy: no indicator codes read from the catalogue"
    );
    let templates: Vec<SourceFile> =
        non_empty("report templates", walk("crates/report/templates", ".j2"))
            .into_iter()
            .filter(|f| !f.path["crates/report/templates/".len()..].contains('/'))
            .collect();
    let uses: usize = templates
        .iter()
        .map(|t| report_indicators::indicator_uses(&t.text).len())
        .sum();
    assert!(uses > 10, "tidy: no indicator uses found in the templates");
    assert_clean(
        "report templates name only catalogue indicators",
        &report_indicators::report_indicators(&catalogue.text, &templates),
    );
}

#[test]
fn every_route_is_walked() {
    let sources: Vec<SourceFile> = walk("crates/web/src", ".rs")
        .into_iter()
        .filter(|f| {
            let name = f.path.trim_start_matches("crates/web/src/");
            name == "lib.rs" || name.starts_with("api_") && !name.contains('/')
        })
        .collect();
    let routes: usize = sources
        .iter()
        .map(|f| route_walk::registered(&f.text).len())
        .sum();
    assert!(routes > 10, "tidy: no routes found in crates/web/src");
    let walk_file = read("crates/web/tests/route_walk.rs");
    assert!(
        route_walk::walked(&walk_file.text).len() > 10,
        "tidy: no routes found in the walk's map"
    );
    assert_clean(
        "every route is in the route walk",
        &route_walk::route_walk(&sources, &walk_file),
    );
}

#[test]
fn both_engines_have_the_same_tables_and_columns() {
    let dir = "crates/store/src/migrations";
    let sqlite = non_empty("SQLite migrations", walk(&format!("{dir}/sqlite"), ".sql"));
    let postgres = non_empty(
        "PostgreSQL migrations",
        walk(&format!("{dir}/postgres"), ".sql"),
    );
    assert!(
        migrations::schema(&sqlite).len() > 5,
        "tidy: no tables read"
    );
    assert_clean(
        "SQLite and PostgreSQL migrations agree on tables and columns",
        &migrations::migrations(&sqlite, &postgres),
    );
}

#[test]
fn source_files_are_small() {
    assert_clean(
        "no .rs file under crates/*/src has more than 800 lines",
        &big_files::big_files(&crate_sources("src"), big_files::MAX_LINES),
    );
}
