//! `danvan catalogue …`: indicators, validation rules and report sections
//! defined at run time (docs/reports.md), from a file in the shipped
//! catalogue's format, checked together and saved together.

use anyhow::Context;
use danvan_report::custom;
use danvan_store::Store;
use danvan_store::catalogue_entries;

#[derive(clap::Subcommand)]
pub enum CatalogueCommand {
    /// Nạp tệp TOML gồm các bảng [[indicator]], [[rule]], [[section]]:
    /// kiểm tra tất cả, lưu thành phiên bản mới của từng định nghĩa.
    Load {
        #[command(flatten)]
        db: crate::DbArg,
        file: std::path::PathBuf,
    },
    /// Liệt kê các định nghĩa đang dùng.
    List {
        #[command(flatten)]
        db: crate::DbArg,
    },
}

pub async fn run(command: CatalogueCommand) -> anyhow::Result<()> {
    let (store, done) = match command {
        CatalogueCommand::Load { db, file } => {
            let store = db.open().await?;
            let r = load(&store, &file).await;
            (store, r)
        }
        CatalogueCommand::List { db } => {
            let store = db.open().await?;
            let r = list(&store).await;
            (store, r)
        }
    };
    store.close().await;
    done
}

async fn load(store: &Store, file: &std::path::Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được {}", file.display()))?;
    // Windows-1258 and UTF-16 files are read as well as UTF-8.
    let text = String::from_utf8(danvan_input::to_utf8(bytes))
        .context("tệp định nghĩa không phải văn bản")?;
    for (kind, code, version) in custom::save_file(store, &text).await? {
        println!("Đã lưu {} «{code}», phiên bản {version}.", kind.label());
    }
    Ok(())
}

async fn list(store: &Store) -> anyhow::Result<()> {
    let entries = catalogue_entries::listed(store).await?;
    if entries.is_empty() {
        println!("Chưa có định nghĩa nào ngoài danh mục có sẵn.");
    }
    for e in entries {
        println!(
            "{}\t{}\tphiên bản {}\t{}",
            e.kind.code(),
            e.code,
            e.version,
            custom::heading(&e.source)
        );
    }
    Ok(())
}
