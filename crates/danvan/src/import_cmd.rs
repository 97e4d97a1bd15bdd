//! `danvan import KIND FILE` for every kind of the record registry with a
//! file import but one-stop dossiers (`dossiers_cmd`), where
//! FILE is CSV (UTF-8, UTF-16 or Windows-1258) or a spreadsheet (XLSX,
//! XLSB: its first sheet, same columns): all rows or none (column layout in docs/import.md). A progress
//! bar counts the rows checked; every bad row is reported by line (the
//! spreadsheet's row number), in Vietnamese.

use std::io::Cursor;
use std::path::Path;

use anyhow::Context;
use danvan_core::records::kind::RecordKind;
use danvan_store::{Store, record_import};
use indicatif::{ProgressBar, ProgressStyle};

/// The file as UTF-8 CSV (a spreadsheet's first sheet, or text in any of
/// the encodings exports come in), read within the input limits.
fn read_csv(file: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes =
        std::fs::read(file).with_context(|| format!("không mở được tệp {}", file.display()))?;
    Ok(danvan_input::to_csv(
        &file.display().to_string(),
        bytes,
        &danvan_input::Limits::default(),
    )?)
}

pub async fn import(store: &Store, kind: RecordKind, file: &Path) -> anyhow::Result<()> {
    let csv = read_csv(file)?;
    let lines = csv.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count() as u64;
    let (input, total) = (Cursor::new(csv), lines.saturating_sub(1));
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} dòng ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message("Kiểm tra");
    let tick = || bar.inc(1);
    let result = record_import::import_kind(store, kind, input, tick).await;
    bar.finish_and_clear();
    let n = match result {
        // Run again after it was written (a command killed after its
        // commit): the job is done, nothing is written twice.
        Err(danvan_store::StoreError::Invalid(d)) if d.code == record_import::ALREADY_IMPORTED => {
            println!("Không ghi thêm: {}.", d.message);
            return Ok(());
        }
        r => r?,
    };
    let what = kind.def().noun;
    println!(
        "Đã nhập {} {what} từ {}.",
        danvan_core::number::int(n as i64),
        file.display()
    );
    Ok(())
}
