//! `danvan open311 …`: the keys of the applications that send citizens'
//! requests through Open311 GeoReport v2 (docs/portal.md). A key is
//! printed once, when made; the database keeps only its SHA-256.

use danvan_store::Store;
use danvan_store::portal::open311;

#[derive(clap::Subcommand)]
pub enum Open311Command {
    /// Cấp khoá API (api_key) cho một ứng dụng; khoá chỉ in ra một lần.
    KeyNew {
        #[command(flatten)]
        db: crate::DbArg,
        /// Tên ứng dụng, ví dụ "Ứng dụng Lâm Đồng trực tuyến".
        #[arg(long)]
        name: String,
    },
    /// Thu hồi khoá của một ứng dụng (theo số trong `danvan open311 keys`).
    KeyRevoke {
        #[command(flatten)]
        db: crate::DbArg,
        id: i64,
    },
    /// Liệt kê khoá đã cấp.
    Keys {
        #[command(flatten)]
        db: crate::DbArg,
    },
}

pub async fn run(command: Open311Command) -> anyhow::Result<()> {
    let (db, done) = match command {
        Open311Command::KeyNew { db, name } => {
            let store = db.open().await?;
            let r = key_new(&store, &name).await;
            (store, r)
        }
        Open311Command::KeyRevoke { db, id } => {
            let store = db.open().await?;
            let r = match open311::key_revoke(&store, id).await {
                Ok(true) => {
                    println!("Đã thu hồi khoá Open311 số {id}.");
                    Ok(())
                }
                Ok(false) => {
                    println!("Khoá Open311 số {id} đã bị thu hồi từ trước.");
                    Ok(())
                }
                Err(e) => Err(e.into()),
            };
            (store, r)
        }
        Open311Command::Keys { db } => {
            let store = db.open().await?;
            let r = keys(&store).await;
            (store, r)
        }
    };
    db.close().await;
    done
}

async fn key_new(store: &Store, name: &str) -> anyhow::Result<()> {
    let (k, key) = open311::key_new(store, name).await?;
    println!("Đã cấp khoá Open311 số {} cho «{}»:", k.id, k.name);
    println!("{key}");
    println!("Hãy chuyển khoá này cho ứng dụng ngay: danvan chỉ giữ mã băm, không hiện lại được.");
    Ok(())
}

async fn keys(store: &Store) -> anyhow::Result<()> {
    let all = open311::keys(store).await?;
    if all.is_empty() {
        println!("Chưa cấp khoá Open311 nào.");
    }
    for k in all {
        let state = match k.revoked_at {
            Some(t) => format!("đã thu hồi {}", t.format("%d/%m/%Y %H:%M")),
            None => "đang dùng".into(),
        };
        println!(
            "{:>4}  {}  cấp {}  {state}",
            k.id,
            k.name,
            k.created_at.format("%d/%m/%Y %H:%M")
        );
    }
    Ok(())
}
