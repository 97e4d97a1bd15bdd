//! `danvan`: one binary for the command line, the web server, the demo and
//! the benchmark. The command line is parsed here, once, into typed
//! arguments; each subcommand lives in its own module.

mod bench;
mod bench_dossiers;
mod demo;
mod dossiers_cmd;
mod units_cmd;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use danvan_store::Store;

#[derive(Parser)]
#[command(
    name = "danvan",
    version,
    about = "Số liệu và báo cáo công tác dân vận chính quyền",
    long_about = "danvan ghi nhận mỗi sự việc một lần tại đơn vị nơi nó xảy ra và cho ra mọi \
                  số liệu, kiểm tra và báo cáo cho bất kỳ đơn vị và kỳ báo cáo nào."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives: a SQLite file (default) or a PostgreSQL URL.
#[derive(Args, Clone)]
struct DbArg {
    /// Cơ sở dữ liệu: tệp SQLite hoặc URL postgres://…
    #[arg(
        long,
        env = "DANVAN_DATABASE_URL",
        default_value = "danvan.db",
        global = true
    )]
    db: String,
}

impl DbArg {
    async fn open(&self) -> anyhow::Result<Store> {
        Ok(Store::open(&self.db).await?)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Tạo (hoặc nâng cấp) cơ sở dữ liệu.
    Init {
        #[command(flatten)]
        db: DbArg,
    },
    /// Chạy máy chủ web.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Địa chỉ lắng nghe.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Nạp dữ liệu mẫu (các đơn vị và số liệu của các báo cáo mẫu) rồi chạy web.
    Demo {
        #[command(flatten)]
        db: DbArg,
        /// Chỉ nạp dữ liệu, không chạy máy chủ web.
        #[arg(long)]
        no_serve: bool,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
    },
    /// Quản lý đơn vị.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Nhập dữ liệu từ tệp.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Đo tốc độ đọc số liệu trên dữ liệu quy mô toàn quốc
    /// (`danvan bench import-dossiers`: đo tốc độ nhập hồ sơ một cửa).
    Bench(bench::BenchArgs),
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Nhập hồ sơ thủ tục hành chính từ tệp xuất của hệ thống một cửa (CSV hoặc XLSX;
    /// xem docs/import-dossiers.md).
    Dossiers {
        #[command(flatten)]
        db: DbArg,
        file: PathBuf,
        /// Ghi các dòng hợp lệ và bỏ qua dòng lỗi (mặc định: có dòng lỗi thì không ghi gì).
        #[arg(long)]
        skip_invalid: bool,
        /// Ghi danh sách dòng bị loại vào tệp này.
        #[arg(long)]
        errors: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Nhập đơn vị từ tệp CSV (code,name,kind,parent_code,valid_from,valid_to,successor_code).
    Import {
        #[command(flatten)]
        db: DbArg,
        file: PathBuf,
    },
    /// In cây đơn vị.
    Tree {
        #[command(flatten)]
        db: DbArg,
        /// Đơn vị gốc: mã hoặc tên (không cần dấu).
        #[arg(long)]
        unit: Option<String>,
        /// Chỉ các đơn vị có hiệu lực vào ngày này (NNNN-TT-NN).
        #[arg(long)]
        at: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Lỗi: không khởi động được: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Init { db } => {
            let store = db.open().await?;
            println!("Đã khởi tạo cơ sở dữ liệu {}", db.db);
            store.close().await;
        }
        Command::Serve { db, addr } => {
            let store = db.open().await?;
            println!("danvan đang chạy tại http://{addr}/ (Ctrl-C để dừng)");
            danvan_web::serve(store, addr).await?;
        }
        Command::Demo { db, no_serve, addr } => {
            let store = db.open().await?;
            demo::load(&store).await?;
            if no_serve {
                store.close().await;
            } else {
                println!("danvan đang chạy tại http://{addr}/ (Ctrl-C để dừng)");
                danvan_web::serve(store, addr).await?;
            }
        }
        Command::Units { command } => match command {
            UnitsCommand::Import { db, file } => {
                let store = db.open().await?;
                units_cmd::import(&store, &file).await?;
                store.close().await;
            }
            UnitsCommand::Tree { db, unit, at } => {
                let store = db.open().await?;
                units_cmd::tree(&store, unit.as_deref(), at.as_deref()).await?;
                store.close().await;
            }
        },
        Command::Import { command } => match command {
            ImportCommand::Dossiers {
                db,
                file,
                skip_invalid,
                errors,
            } => {
                let store = db.open().await?;
                let opts = danvan_store::dossiers::import::ImportOptions { skip_invalid };
                let result = dossiers_cmd::import(&store, &file, opts, errors.as_deref()).await;
                store.close().await;
                result?;
            }
        },
        Command::Bench(args) => bench::run(args).await?,
    }
    Ok(ExitCode::SUCCESS)
}
