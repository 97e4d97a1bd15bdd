//! `danvan import dossiers FILE.csv|xlsx`: reads a one-stop export in any
//! of the encodings such exports come in (UTF-8, UTF-16, Windows-1258) or
//! as a spreadsheet, shows progress, and reports every rejected row.

use std::io::{Cursor, Read};
use std::path::Path;

use anyhow::Context;
use calamine::{Data, DataType, Reader, open_workbook_auto};
use danvan_core::DomainError;
use danvan_core::number;
use danvan_core::records::dossier::columns::Layout;
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
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let t0 = std::time::Instant::now();
    let result = if matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        import_sheet(store, file, opts).await
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

/// The text's encoding: UTF-8 (with or without BOM) is read as it
/// streams; UTF-16 (by its BOM) and Windows-1258 (anything not UTF-8) are
/// decoded first.
pub fn decode(head: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(head) {
        return (enc != encoding_rs::UTF_8).then_some(enc);
    }
    match std::str::from_utf8(head) {
        Ok(_) => None,
        // Cut in the middle of a character at the end of the sample: UTF-8.
        Err(e) if e.error_len().is_none() => None,
        Err(_) => Some(encoding_rs::WINDOWS_1258),
    }
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
    let s = match decode(&head) {
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

/// A spreadsheet cell as the text the layout parses: dates as ISO dates,
/// whole numbers without ".0" (unit codes are often typed as numbers).
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "có" } else { "không" }.to_string(),
        Data::DateTime(_) | Data::DateTimeIso(_) => c
            .as_date()
            .map_or_else(|| c.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        other => other.to_string(),
    }
}

async fn import_sheet(
    store: &Store,
    file: &Path,
    opts: ImportOptions,
) -> anyhow::Result<ImportSummary> {
    let mut wb = open_workbook_auto(file)
        .with_context(|| format!("không mở được bảng tính {}", file.display()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| DomainError::new("dossier.empty_workbook", "bảng tính không có trang nào"))?
        .with_context(|| format!("không đọc được trang đầu của {}", file.display()))?;
    let first = range.start().map_or(0, |(r, _)| r as usize);
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(cell_text).collect())
        .unwrap_or_default();
    let layout = Layout::from_headers(&header)?;
    let pb = bar(range.height().saturating_sub(1) as u64, false);
    let mut imp = Importer::begin(store, opts).await?;
    let mut chunk: Vec<ParsedRow> = Vec::with_capacity(CHUNK_ROWS);
    for (i, r) in rows.enumerate() {
        let line = first + i + 2;
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        chunk.push(layout.parse_row(&cells, line).map(|(u, d)| (line, u, d)));
        if chunk.len() == CHUNK_ROWS {
            pb.inc(chunk.len() as u64);
            imp.push(std::mem::take(&mut chunk)).await?;
        }
    }
    pb.inc(chunk.len() as u64);
    imp.push(chunk).await?;
    pb.finish_and_clear();
    Ok(imp.finish().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_export_encodings() {
        assert_eq!(decode("Mã hồ sơ".as_bytes()), None);
        assert_eq!(decode(b"\xEF\xBB\xBFcode"), None);
        assert_eq!(decode(b"\xFF\xFEc\0o\0"), Some(encoding_rs::UTF_16LE));
        // "Mã" in Windows-1258.
        assert_eq!(decode(b"M\xE3 h\xF4"), Some(encoding_rs::WINDOWS_1258));
        let (text, _, _) = encoding_rs::WINDOWS_1258.decode(b"M\xE3 h\xF4 s\xF4");
        assert_eq!(danvan_core::text::fold(&text), "ma ho so");
        // A character cut at the end of the sample is still UTF-8.
        assert_eq!(decode(&"hồ".as_bytes()[..2]), None);
    }

    #[test]
    fn cells_become_layout_text() {
        assert_eq!(cell_text(&Data::Float(24853.0)), "24853");
        assert_eq!(cell_text(&Data::Bool(true)), "có");
        assert_eq!(cell_text(&Data::String("HS-1".into())), "HS-1");
    }
}
