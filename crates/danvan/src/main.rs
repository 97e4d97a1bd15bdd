//! `danvan`: one binary for the command line, the web server, the demo and
//! the benchmark. The command line is parsed here, once, into typed
//! arguments; each subcommand lives in its own module.

mod backup_cmd;
mod bench;
mod bench_dashboard;
mod bench_dossiers;
mod bench_petitions;
mod bench_reorganised;
mod bench_report;
mod catalogue_cmd;
mod check_cmd;
mod demo;
mod digest_cmd;
mod dossiers_cmd;
mod import_cmd;
mod open311_cmd;
mod report_cmd;
mod units_cmd;
mod user_cmd;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// mimalloc: rows made on one thread and freed on another cost glibc's
/// allocator far more (see the dependency's note in Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use danvan_core::records::kind::RecordKind;
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
pub(crate) struct DbArg {
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
        /// Cho phép cookie phiên qua HTTP thường (mạng nội bộ chưa có HTTPS);
        /// mặc định cookie chỉ gửi qua HTTPS hoặc địa chỉ máy cục bộ.
        #[arg(long)]
        insecure_cookies: bool,
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
    /// Quản lý tài khoản người dùng.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Chỉ số, quy tắc kiểm tra và phần báo cáo tự định nghĩa.
    Catalogue {
        #[command(subcommand)]
        command: catalogue_cmd::CatalogueCommand,
    },
    /// Quản lý khoá của các ứng dụng gửi ý kiến qua Open311 GeoReport v2.
    Open311 {
        #[command(subcommand)]
        command: open311_cmd::Open311Command,
    },
    /// Quản lý đơn vị.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Lập báo cáo cho một đơn vị và kỳ báo cáo.
    Report {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        args: report_cmd::ReportArgs,
    },
    /// Kiểm tra số liệu của một báo cáo đã viết (.txt, .md, .docx).
    Check {
        file: PathBuf,
        /// In kết quả dạng JSON.
        #[arg(long)]
        json: bool,
        /// In cả các quan hệ đã kiểm tra và khớp.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Nhập bản ghi từ tệp CSV hoặc bảng tính: tất cả các dòng hoặc không dòng nào (xem docs/import.md).
    Import(ImportArgs),
    /// Sao lưu toàn bộ cơ sở dữ liệu vào một tệp, được cả khi máy chủ đang chạy
    /// và ghi (xem docs/operations.md).
    Backup {
        #[command(flatten)]
        db: DbArg,
        /// Tệp sao lưu sẽ ghi.
        file: PathBuf,
    },
    /// Phục hồi cơ sở dữ liệu từ một tệp sao lưu: tất cả hoặc không gì.
    Restore {
        #[command(flatten)]
        db: DbArg,
        /// Tệp sao lưu đã tạo bằng `danvan backup`.
        file: PathBuf,
        /// Thay cơ sở dữ liệu đã có dữ liệu (mặc định: từ chối).
        #[arg(long)]
        force: bool,
    },
    /// Gửi thư tổng hợp thông báo hằng ngày cho những người đã chọn nhận
    /// (qua một máy chủ SMTP; xem docs/operations.md).
    Digest {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        args: digest_cmd::DigestArgs,
    },
    /// Đo tốc độ đọc số liệu trên dữ liệu quy mô toàn quốc
    /// (`danvan bench import-dossiers`: đo tốc độ nhập hồ sơ một cửa;
    /// `danvan bench dashboard`: dữ liệu để đo bảng điều khiển qua web).
    Bench(bench::BenchArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Tạo tài khoản (ví dụ quản trị viên đầu tiên).
    Add {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        args: user_cmd::AddArgs,
    },
    /// Liệt kê các tài khoản.
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Khoá tài khoản: không đăng nhập được nữa; mọi phiên kết thúc, mọi khoá API bị thu hồi.
    Deactivate {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Mở lại tài khoản đã khoá.
    Reactivate {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Đặt lại mật khẩu (mọi phiên đăng nhập của tài khoản kết thúc).
    Password {
        #[command(flatten)]
        db: DbArg,
        username: String,
        /// Mật khẩu mới (ít nhất 8 ký tự); nên truyền qua biến môi trường.
        #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Tạo khoá API cho một tài khoản (dùng cho chương trình gọi API);
    /// khoá chỉ được in ra một lần.
    Token {
        #[command(flatten)]
        db: DbArg,
        username: String,
        /// Tên khoá, để nhận ra khi liệt kê hay thu hồi.
        #[arg(long)]
        name: String,
    },
    /// Liệt kê khoá API (của một tài khoản, hoặc của mọi tài khoản).
    Tokens {
        #[command(flatten)]
        db: DbArg,
        username: Option<String>,
    },
    /// Thu hồi khoá API theo số thứ tự (xem `danvan user tokens`).
    RevokeToken {
        #[command(flatten)]
        db: DbArg,
        id: i64,
    },
    /// Xoá phiên đăng nhập hết hạn và dữ liệu chống dò mật khẩu đã cũ.
    Purge {
        #[command(flatten)]
        db: DbArg,
    },
}

/// `danvan import KIND FILE`: the kinds are those of the record registry
/// that have a file import (`RecordKind::def().import`).
#[derive(Args)]
struct ImportArgs {
    #[command(flatten)]
    db: DbArg,
    /// Loại bản ghi trong tệp.
    #[arg(value_parser = import_kinds())]
    kind: String,
    file: PathBuf,
    /// Chỉ với hồ sơ một cửa: ghi các dòng hợp lệ và bỏ qua dòng lỗi
    /// (mặc định: có dòng lỗi thì không ghi gì).
    #[arg(long)]
    skip_invalid: bool,
    /// Chỉ với hồ sơ một cửa: ghi danh sách dòng bị loại vào tệp này.
    #[arg(long)]
    errors: Option<PathBuf>,
}

/// The import names of the registry, each with its kind's title as help.
fn import_kinds() -> clap::builder::PossibleValuesParser {
    RecordKind::importable()
        .filter_map(|k| {
            k.def()
                .import
                .map(|name| clap::builder::PossibleValue::new(name).help(k.title()))
        })
        .collect::<Vec<_>>()
        .into()
}

#[derive(Subcommand)]
enum UnitsCommand {
    /// Nhập đơn vị từ tệp CSV (code,name,kind,parent_code,valid_from,valid_to,successor_code),
    /// hoặc toàn bộ đơn vị hành chính cả nước trước và sau 01/07/2025 (--national).
    Import {
        #[command(flatten)]
        db: DbArg,
        #[arg(required_unless_present_any = ["national", "shares"], conflicts_with_all = ["national", "shares"])]
        file: Option<PathBuf>,
        /// Nhập danh mục đơn vị hành chính cả nước có sẵn trong danvan (mã Tổng cục Thống kê),
        /// gộp với các đơn vị đã có; chạy lại không thay đổi gì.
        #[arg(long, conflicts_with = "shares")]
        national: bool,
        /// Đặt tỷ lệ chia của đơn vị bị chia từ tệp CSV (code,successor_code,area_km2,share),
        /// thay tỷ lệ đã có.
        #[arg(long, value_name = "FILE")]
        shares: Option<PathBuf>,
    },
    /// Nhập đặc điểm tình hình của đơn vị theo năm từ tệp CSV
    /// (code,year,thon,to_dan_pho,dan_so,dan_so_dtts,ho_ngheo,co_quan,don_vi_su_nghiep).
    Profile {
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
        Command::Serve {
            db,
            addr,
            insecure_cookies,
        } => {
            let store = db.open().await?;
            let mut state = danvan_web::AppState::new(store);
            state.secure_cookies = !insecure_cookies;
            println!("danvan đang chạy tại http://{addr}/ (Ctrl-C hoặc SIGTERM để dừng)");
            danvan_web::serve(state, addr).await?;
        }
        Command::User { command } => user(command).await?,
        Command::Open311 { command } => open311_cmd::run(command).await?,
        Command::Catalogue { command } => catalogue_cmd::run(command).await?,
        Command::Demo { db, no_serve, addr } => {
            let store = db.open().await?;
            demo::load(&store).await?;
            user_cmd::demo_accounts(&store).await?;
            if no_serve {
                store.close().await;
            } else {
                println!("danvan đang chạy tại http://{addr}/ (Ctrl-C hoặc SIGTERM để dừng)");
                danvan_web::serve(danvan_web::AppState::new(store), addr).await?;
            }
        }
        Command::Units { command } => match command {
            UnitsCommand::Import {
                db,
                file,
                national,
                shares,
            } => {
                let store = db.open().await?;
                match (file, shares) {
                    (Some(file), _) if !national => units_cmd::import(&store, &file).await?,
                    (_, Some(shares)) => units_cmd::shares(&store, &shares).await?,
                    _ => units_cmd::national(&store).await?,
                }
                store.close().await;
            }
            UnitsCommand::Profile { db, file } => {
                let store = db.open().await?;
                units_cmd::profile(&store, &file).await?;
                store.close().await;
            }
            UnitsCommand::Tree { db, unit, at } => {
                let store = db.open().await?;
                units_cmd::tree(&store, unit.as_deref(), at.as_deref()).await?;
                store.close().await;
            }
        },
        Command::Report { db, args } => {
            let store = db.open().await?;
            report_cmd::run(&store, args).await?;
            store.close().await;
        }
        Command::Check {
            file,
            json,
            verbose,
        } => return check_cmd::run(&file, json, verbose),
        Command::Import(args) => import(args).await?,
        Command::Backup { db, file } => backup_cmd::backup(&db.db, &file).await?,
        Command::Restore { db, file, force } => backup_cmd::restore(&db.db, &file, force).await?,
        Command::Digest { db, args } => {
            let store = db.open().await?;
            let done = digest_cmd::run(&store, &args).await;
            store.close().await;
            let done = done?;
            println!(
                "Đã gửi {} thư tổng hợp; {} người không có việc cần lưu ý.",
                done.sent, done.nothing
            );
        }
        Command::Bench(args) => bench::run(args).await?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `danvan user …`: each subcommand on its own opened store.
async fn user(command: UserCommand) -> anyhow::Result<()> {
    use user_cmd::Lifecycle;
    let (db, step) = match command {
        UserCommand::Add { db, args } => (db, Lifecycle::Add(args)),
        UserCommand::List { db } => (db, Lifecycle::List),
        UserCommand::Deactivate { db, username } => (db, Lifecycle::Active(username, false)),
        UserCommand::Reactivate { db, username } => (db, Lifecycle::Active(username, true)),
        UserCommand::Password {
            db,
            username,
            password,
        } => (db, Lifecycle::Password(username, password)),
        UserCommand::Token { db, username, name } => (db, Lifecycle::Token(username, name)),
        UserCommand::Tokens { db, username } => (db, Lifecycle::Tokens(username)),
        UserCommand::RevokeToken { db, id } => (db, Lifecycle::Revoke(id)),
        UserCommand::Purge { db } => (db, Lifecycle::Purge),
    };
    let store = db.open().await?;
    let result = user_cmd::run(&store, step).await;
    store.close().await;
    result
}

/// `danvan import KIND FILE`: one-stop exports through their streaming
/// importer, every other kind all rows or none.
async fn import(args: ImportArgs) -> anyhow::Result<()> {
    let kind = RecordKind::from_import(&args.kind)
        .ok_or_else(|| anyhow::anyhow!("không có loại dữ liệu «{}»", args.kind))?;
    if kind != RecordKind::Dossier && (args.skip_invalid || args.errors.is_some()) {
        anyhow::bail!("--skip-invalid và --errors chỉ dùng khi nhập hồ sơ một cửa (dossiers)");
    }
    let store = args.db.open().await?;
    let result = if kind == RecordKind::Dossier {
        let opts = danvan_store::dossiers::import::ImportOptions {
            skip_invalid: args.skip_invalid,
        };
        dossiers_cmd::import(&store, &args.file, opts, args.errors.as_deref())
            .await
            .map(|_| ())
    } else {
        import_cmd::import(&store, kind, &args.file).await
    };
    store.close().await;
    result
}
