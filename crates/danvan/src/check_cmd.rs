//! `danvan check FILE`: flag the figures of a finished report that do not
//! add up. Exit status 1 when any error (lỗi) is found, 0 otherwise.

use std::path::Path;
use std::process::ExitCode;

pub fn run(file: &Path, json: bool, verbose: bool) -> anyhow::Result<ExitCode> {
    let report = danvan_check::check_file(file)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json(verbose))?
        );
    } else {
        print!("{}", report.render_text(verbose));
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
