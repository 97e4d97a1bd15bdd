//! `danvan import petitions FILE.csv` and `danvan import receptions FILE.csv`:
//! all rows or none (column layout in docs/import.md). A progress bar counts
//! the rows checked; every bad row is reported by line, in Vietnamese.

use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::Context;
use danvan_store::{Store, record_import};
use indicatif::{ProgressBar, ProgressStyle};

/// What kind of records a file holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Petitions,
    Receptions,
}

fn count_rows(file: &Path) -> anyhow::Result<u64> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let lines = BufReader::new(f).lines().count() as u64;
    Ok(lines.saturating_sub(1))
}

pub async fn import(store: &Store, kind: Kind, file: &Path) -> anyhow::Result<()> {
    let total = count_rows(file)?;
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} dòng ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Kiểm tra");
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let input = BufReader::new(f);
    let tick = || bar.inc(1);
    let result = match kind {
        Kind::Petitions => record_import::import_petitions(store, input, tick).await,
        Kind::Receptions => record_import::import_receptions(store, input, tick).await,
    };
    bar.finish_and_clear();
    let n = result?;
    let what = match kind {
        Kind::Petitions => "đơn thư",
        Kind::Receptions => "lượt tiếp công dân",
    };
    println!(
        "Đã nhập {} {what} từ {}.",
        danvan_core::number::int(n as i64),
        file.display()
    );
    Ok(())
}
