//! `danvan import dossiers FILE.csv|xlsx`: reads a one-stop export in any
//! of the encodings such exports come in (UTF-8, UTF-16, Windows-1258) or
//! as a spreadsheet, shows progress, and reports every rejected row.

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::Context;
use danvan_core::DomainError;
use danvan_core::number;
use danvan_core::records::dossier::columns::Layout;
use danvan_input::{Format, Limits};
use danvan_store::dossiers::import::{
    CHUNK_ROWS, ImportOptions, ImportSummary, Importer, ParsedRow, import_csv,
};
use danvan_store::{Store, StoreError};
use indicatif::{ProgressBar, ProgressStyle};

/// Rejected rows printed on screen; `--errors FILE` gets them all.
const SHOWN: usize = 50;

pub async fn import(
    store: &Store,
    file: &Path,
    opts: ImportOptions,
    errors_file: Option<&Path>,
) -> anyhow::Result<ImportSummary> {
    let format = Format::of(&file.display().to_string())?;
    let t0 = std::time::Instant::now();
    let result = if format.is_spreadsheet() {
        import_sheet(store, file, format, opts).await
    } else {
        import_text(store, file, opts).await
    };
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            if let (Some(StoreError::InvalidRows(rows)), Some(path)) =
                (e.downcast_ref::<StoreError>(), errors_file)
            {
                write_errors(path, rows)?;
            }
            return Err(e);
        }
    };
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "Đã đọc {} dòng trong {:.1} giây ({} dòng/giây): thêm mới {}, cập nhật {}, không đổi {}, \
         liên thông đã tính tại nơi tiếp nhận {}, bị loại {}.",
        number::int(summary.rows as i64),
        secs,
        number::int((summary.rows as f64 / secs.max(1e-9)) as i64),
        number::int(summary.inserted as i64),
        number::int(summary.updated as i64),
        number::int(summary.unchanged as i64),
        number::int(summary.inter_agency_merged as i64),
        number::int(summary.rejected_count() as i64),
    );
    for e in summary.rejected.iter().take(SHOWN) {
        println!("  {e}");
    }
    if summary.rejected_count() > SHOWN {
        println!(
            "  … và {} dòng bị loại khác.",
            number::int((summary.rejected_count() - SHOWN) as i64)
        );
    }
    if let Some(path) = errors_file {
        write_errors(path, &summary.rejected)?;
    }
    Ok(summary)
}

fn write_errors(path: &Path, rows: &[DomainError]) -> anyhow::Result<()> {
    let text: String = rows.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(path, text).with_context(|| format!("không ghi được tệp {}", path.display()))?;
    println!("Danh sách dòng bị loại: {}", path.display());
    Ok(())
}

fn bar(len: u64, bytes: bool) -> ProgressBar {
    let template = if bytes {
        "{bar:40} {bytes}/{total_bytes} · {bytes_per_sec} · còn {eta}"
    } else {
        "{bar:40} {pos}/{len} dòng · {per_sec} · còn {eta}"
    };
    let b = ProgressBar::new(len);
    b.set_style(ProgressStyle::with_template(template).expect("valid template"));
    b
}

async fn import_text(
    store: &Store,
    file: &Path,
    opts: ImportOptions,
) -> anyhow::Result<ImportSummary> {
    let open = || {
        std::fs::File::open(file).with_context(|| format!("không mở được tệp {}", file.display()))
    };
    let mut head = vec![0u8; 64 * 1024];
    let n = open()?.read(&mut head)?;
    head.truncate(n);
    let size = std::fs::metadata(file)?.len();
    let pb = bar(size, true);
    let s = match danvan_input::text_encoding(&head) {
        None => {
            let input = pb.wrap_read(std::io::BufReader::with_capacity(1 << 20, open()?));
            import_csv(store, input, opts, |_| {}).await
        }
        Some(enc) => {
            let mut raw = Vec::with_capacity(size as usize);
            open()?.read_to_end(&mut raw)?;
            let (text, _, _) = enc.decode(&raw);
            pb.println(format!("Tệp mã hóa {}, đã chuyển sang UTF-8.", enc.name()));
            let input = pb.wrap_read(Cursor::new(text.into_owned().into_bytes()));
            import_csv(store, input, opts, |_| {}).await
        }
    };
    pb.finish_and_clear();
    Ok(s?)
}

/// A spreadsheet, read on a blocking thread (bounded by the input
/// limits) and handed over row by row: memory holds a few thousand rows,
/// whatever the sheet's size.
async fn import_sheet(
    store: &Store,
    file: &Path,
    format: Format,
    opts: ImportOptions,
) -> anyhow::Result<ImportSummary> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let name = file.display().to_string();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(usize, Vec<String>)>(4 * CHUNK_ROWS);
    let reader = tokio::task::spawn_blocking(move || {
        danvan_input::read_rows(
            std::io::BufReader::new(f),
            &name,
            format,
            &Limits::default(),
            |line, cells| tx.blocking_send((line, cells.to_vec())).is_ok(),
        )
    });
    let header = match rx.recv().await {
        Some((_, h)) => h,
        None => {
            reader.await??;
            anyhow::bail!("bảng tính {} không có dòng nào", file.display());
        }
    };
    let layout = Layout::from_headers(&header)?;
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {pos} dòng · {per_sec}").expect("valid template"),
    );
    let mut imp = Importer::begin(store, opts).await?;
    let mut chunk: Vec<ParsedRow> = Vec::with_capacity(CHUNK_ROWS);
    while let Some((line, cells)) = rx.recv().await {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        chunk.push(layout.parse_row(&cells, line).map(|(u, d)| (line, u, d)));
        if chunk.len() == CHUNK_ROWS {
            pb.inc(chunk.len() as u64);
            imp.push(std::mem::take(&mut chunk)).await?;
        }
    }
    // A file refused midway (a limit, a broken part): nothing is written,
    // the importer's transaction is dropped.
    reader.await??;
    pb.inc(chunk.len() as u64);
    imp.push(chunk).await?;
    pb.finish_and_clear();
    Ok(imp.finish().await?)
}
