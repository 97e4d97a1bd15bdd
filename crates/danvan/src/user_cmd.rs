//! `danvan user add`: create an account on the server — the way the first
//! administrator comes to exist.

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

/// The demo's accounts: one per role, on the seed reports' units.
pub const DEMO_PASSWORD: &str = "danvan-demo";

pub async fn demo_accounts(store: &Store) -> anyhow::Result<()> {
    let wanted: [(&str, &str, Role, Option<&str>); 6] = [
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
