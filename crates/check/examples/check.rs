//! `cargo run -p danvan-check --example check -- FILE [-v] [--json]`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "-v");
    let as_json = args.iter().any(|a| a == "--json");
    let Some(path) = args.iter().find(|a| !a.starts_with('-')) else {
        eprintln!("cách dùng: check TỆP [-v] [--json]");
        std::process::exit(2);
    };
    match danvan_check::check_file(std::path::Path::new(path)) {
        Ok(r) => {
            if as_json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&r.to_json(verbose)).unwrap_or_default()
                );
            } else {
                print!("{}", r.render_text(verbose));
            }
            std::process::exit(i32::from(r.has_errors()));
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
}
