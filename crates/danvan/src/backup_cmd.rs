//! `danvan backup FILE` and `danvan restore FILE`: the store does the work
//! (see `danvan_store::backup`); this says what was done.

use std::path::Path;

use danvan_core::number::int;
use danvan_store::backup;

pub async fn backup(db: &str, file: &Path) -> anyhow::Result<()> {
    let s = backup::backup(db, file).await?;
    println!(
        "Đã sao lưu {db} vào {}: {} bảng, {} dòng, lược đồ phiên bản {}.",
        file.display(),
        int(s.tables as i64),
        int(s.rows as i64),
        s.schema_version
    );
    Ok(())
}

pub async fn restore(db: &str, file: &Path, force: bool) -> anyhow::Result<()> {
    let s = backup::restore(db, file, force).await?;
    let upgraded = if s.upgraded_to > s.schema_version {
        format!(
            ", đã nâng lược đồ từ phiên bản {} lên {}",
            s.schema_version, s.upgraded_to
        )
    } else {
        format!(", lược đồ phiên bản {}", s.schema_version)
    };
    println!(
        "Đã phục hồi {db} từ {}: {} bảng, {} dòng{upgraded}.",
        file.display(),
        int(s.tables as i64),
        int(s.rows as i64),
    );
    Ok(())
}
