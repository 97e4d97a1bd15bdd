//! `danvan user …`: accounts managed on the server — `add` (the way the
//! first administrator comes to exist), `list`, `deactivate`,
//! `reactivate`, `password` (reset), `token` (a new API key), `tokens`,
//! `revoke-token` and `purge`.
//! The store decides and logs each step, as for the web.

use danvan_store::accounts::{self, NewUser, Role};
use danvan_store::{Store, units};

#[derive(clap::Args)]
pub struct AddArgs {
    /// Tên đăng nhập (chữ không dấu, số, . _ -).
    #[arg(long)]
    pub username: String,
    /// Họ và tên.
    #[arg(long)]
    pub full_name: String,
    /// Vai trò: admin, officer, handler, viewer, front.
    #[arg(long, default_value = "admin")]
    pub role: String,
    /// Đơn vị (mã hoặc tên); bỏ trống chỉ với quản trị toàn quốc.
    #[arg(long)]
    pub unit: Option<String>,
    /// Mật khẩu (ít nhất 8 ký tự); nên truyền qua biến môi trường.
    #[arg(long, env = "DANVAN_PASSWORD", hide_env_values = true)]
    pub password: String,
}

pub async fn add(store: &Store, a: &AddArgs) -> anyhow::Result<()> {
    let role = Role::parse(&a.role)?;
    let unit_id = match &a.unit {
        Some(u) => Some(units::find(store, u, None).await?.id),
        None => None,
    };
    let user = accounts::create(
        store,
        &NewUser {
            username: a.username.clone(),
            full_name: a.full_name.clone(),
            password: a.password.clone(),
            role,
            unit_id,
        },
    )
    .await?;
    let unit = match user.unit_id {
        Some(id) => units::by_id(store, id)
            .await?
            .map_or(String::new(), |u| u.full_name()),
        None => "cả nước".into(),
    };
    println!(
        "Đã tạo tài khoản «{}» ({}, {}).",
        user.username,
        user.role.label(),
        unit
    );
    Ok(())
}

/// One step of an account's life, as parsed from the command line.
pub enum Lifecycle {
    Add(AddArgs),
    List,
    Active(String, bool),
    Password(String, String),
    Token(String, String),
    Tokens(Option<String>),
    Revoke(i64),
    Purge,
}

pub async fn run(store: &Store, step: Lifecycle) -> anyhow::Result<()> {
    match step {
        Lifecycle::Add(a) => add(store, &a).await?,
        Lifecycle::List => {
            for u in accounts::list(store).await? {
                println!(
                    "{:<20} {:<8} {} — {}",
                    u.username,
                    if u.active {
                        "hoạt động"
                    } else {
                        "đã khoá"
                    },
                    u.role.label(),
                    u.full_name
                );
            }
        }
        Lifecycle::Active(name, active) => {
            let u = accounts::by_username(store, &name).await?;
            let u = accounts::set_active(store, u.id, active).await?;
            if active {
                println!("Đã mở lại tài khoản «{}».", u.username);
            } else {
                println!(
                    "Đã khoá tài khoản «{}»: mọi phiên đăng nhập đã kết thúc, mọi khoá API đã bị thu hồi.",
                    u.username
                );
            }
        }
        Lifecycle::Password(name, password) => {
            let u = accounts::by_username(store, &name).await?;
            accounts::reset_password(store, u.id, &password).await?;
            println!(
                "Đã đặt lại mật khẩu của «{}»; mọi phiên đăng nhập của tài khoản này đã kết thúc.",
                u.username
            );
        }
        Lifecycle::Token(name, token_name) => {
            let u = accounts::by_username(store, &name).await?;
            // Alone on its line, so that a script can take it.
            println!(
                "{}",
                accounts::create_token(store, u.id, &token_name).await?
            );
        }
        Lifecycle::Tokens(name) => {
            let tokens = match name {
                Some(n) => {
                    let u = accounts::by_username(store, &n).await?;
                    accounts::list_tokens(store, u.id).await?
                }
                None => accounts::list_all_tokens(store).await?,
            };
            let day = |t: Option<chrono::NaiveDateTime>| {
                t.map_or("—".to_string(), |t| {
                    t.format("%d/%m/%Y %H:%M").to_string()
                })
            };
            for t in tokens {
                let state = if t.revoked {
                    "đã thu hồi"
                } else if t.live() {
                    "đang dùng"
                } else {
                    "hết hạn"
                };
                println!(
                    "{:>5}  {:<16} {:<11} tạo {}  dùng {}  hết hạn {}  «{}»",
                    t.id,
                    t.username,
                    state,
                    day(Some(t.created_at)),
                    day(t.last_used_at),
                    day(t.expires_at),
                    t.name
                );
            }
        }
        Lifecycle::Revoke(id) => {
            if accounts::revoke_token_id(store, id).await? {
                println!("Đã thu hồi khoá API số {id}.");
            } else {
                println!("Khoá API số {id} đã bị thu hồi từ trước.");
            }
        }
        Lifecycle::Purge => {
            let p = accounts::purge(store).await?;
            println!(
                "Đã xoá {} phiên đăng nhập hết hạn và {} dòng chống dò mật khẩu đã cũ.",
                p.sessions, p.throttle
            );
        }
    }
    Ok(())
}

/// The demo's accounts: one per role, on the seed reports' units.
pub const DEMO_PASSWORD: &str = "danvan-demo";

pub async fn demo_accounts(store: &Store) -> anyhow::Result<()> {
    let wanted: [(&str, &str, Role, Option<&str>); 8] = [
        ("admin", "Quản trị hệ thống", Role::Admin, None),
        (
            "damrong",
            "Cán bộ huyện Đam Rông",
            Role::Officer,
            Some("674"),
        ),
        (
            "datong",
            "Cán bộ xử lý đơn xã Đạ Tông",
            Role::Handler,
            Some("Đạ Tông"),
        ),
        (
            "damrong4",
            "Cán bộ xử lý đơn xã Đam Rông 4",
            Role::Handler,
            Some("24853-2025"),
        ),
        (
            "datong.lanhdao",
            "Lãnh đạo UBND xã Đạ Tông",
            Role::Viewer,
            Some("Đạ Tông"),
        ),
        ("kontum", "Quản trị tỉnh Kon Tum", Role::Admin, Some("62")),
        (
            "quangngai",
            "Lãnh đạo thành phố Quảng Ngãi",
            Role::Viewer,
            Some("522"),
        ),
        (
            "mattran",
            "Mặt trận huyện Đam Rông",
            Role::Front,
            Some("674"),
        ),
    ];
    if accounts::count(store).await? == 0 {
        for (username, full_name, role, unit) in wanted {
            let unit_id = match unit {
                Some(u) => Some(units::find(store, u, None).await?.id),
                None => None,
            };
            accounts::create(
                store,
                &NewUser {
                    username: username.into(),
                    full_name: full_name.into(),
                    password: DEMO_PASSWORD.into(),
                    role,
                    unit_id,
                },
            )
            .await?;
        }
    }
    println!("Tài khoản mẫu (mật khẩu {DEMO_PASSWORD}):");
    for (username, full_name, role, unit) in wanted {
        println!(
            "  {username:<10} {} — {full_name}{}",
            role.label(),
            unit.map_or(" (cả nước)".to_string(), |_| String::new())
        );
    }
    Ok(())
}
