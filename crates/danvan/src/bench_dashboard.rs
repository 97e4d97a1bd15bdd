//! `danvan bench dashboard --db FILE`: the data set of the province
//! dashboard measurement (`danvan_report::sample`: one province of 100
//! communes, two years of records), two accounts of the province with an
//! API token each (a leader who reads the dashboard, an officer who writes
//! records during a run), and the cost of building the dashboard one at a
//! time in this process. `scripts/bench-dashboard.sh` then serves the
//! file and loads the page with wrk.
//!
//! The last lines printed are `NAME=value` for a shell to read: the
//! tokens and the dashboard's path.

use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use danvan_core::period::Period;
use danvan_report::{dashboard, sample};
use danvan_store::accounts::{self, NewUser, Role};
use danvan_store::{Store, units};

#[derive(Args, Clone)]
pub struct DashboardBenchArgs {
    /// Cơ sở dữ liệu (tệp SQLite hoặc URL postgres://…); dữ liệu được sinh nếu chưa có.
    #[arg(long, default_value = "danvan-bench-dashboard.db")]
    db: String,
    /// Kỳ báo cáo của bảng điều khiển.
    #[arg(long, default_value = "2025")]
    period: String,
    /// Số lần dựng bảng điều khiển để đo (tuần tự, không qua bộ nhớ đệm).
    #[arg(long, default_value_t = 200)]
    rounds: usize,
}

/// The accounts the measurement uses; the password is never typed, the
/// tokens are what the script uses.
const READER: &str = "bench-lanh-dao";
const WRITER: &str = "bench-can-bo";

pub async fn run(a: DashboardBenchArgs) -> anyhow::Result<()> {
    let store = Store::open(&a.db)
        .await
        .with_context(|| format!("không mở được {}", a.db))?;
    let province = match units::find(&store, sample::PROVINCE, None).await {
        Ok(u) => {
            println!("Dùng dữ liệu đã sinh trong {}.", a.db);
            u
        }
        Err(_) => {
            let t0 = Instant::now();
            sample::generate(&store).await?;
            println!(
                "Sinh dữ liệu ({} xã; {} lượt tiếp, {} đơn, {} hồ sơ một cửa, {} vụ hòa giải) trong {:.1} giây.",
                sample::COMMUNES,
                sample::RECEPTIONS,
                sample::PETITIONS,
                sample::DOSSIERS,
                sample::MEDIATION_CASES,
                t0.elapsed().as_secs_f64()
            );
            units::find(&store, sample::PROVINCE, None).await?
        }
    };
    let reader = account(
        &store,
        READER,
        "Lãnh đạo tỉnh (đo)",
        Role::Viewer,
        province.id,
    )
    .await?;
    let writer = account(
        &store,
        WRITER,
        "Cán bộ tỉnh (đo)",
        Role::Officer,
        province.id,
    )
    .await?;
    let read_token = accounts::create_token(&store, reader, "đo bảng điều khiển").await?;
    let write_token = accounts::create_token(&store, writer, "đo bảng điều khiển").await?;

    let period = Period::parse(&a.period, false)?;
    let today = chrono::Local::now().date_naive();
    let scoped = store.within(province.id).await?;
    let mut times: Vec<Duration> = Vec::with_capacity(a.rounds);
    let mut last = None;
    for _ in 0..a.rounds.max(1) {
        let t0 = Instant::now();
        last = Some(dashboard::build(&scoped, &province, &period, today).await?);
        times.push(t0.elapsed());
    }
    times.sort();
    let d = last.expect("at least one round");
    println!(
        "Dựng bảng điều khiển {} kỳ {} (không qua bộ nhớ đệm), {} lần tuần tự: trung vị {}, p90 {}, p99 {}.",
        d.unit.name,
        d.period_label,
        times.len(),
        ms(pct(&times, 0.5)),
        ms(pct(&times, 0.9)),
        ms(pct(&times, 0.99)),
    );
    println!(
        "  {} đơn quá hạn, {} đơn sắp đến hạn; {}",
        d.petitions_due.overdue_count, d.petitions_due.soon_count, d.dossier_backlog.text
    );
    store.close().await;
    println!("DANVAN_BENCH_READ_TOKEN={read_token}");
    println!("DANVAN_BENCH_WRITE_TOKEN={write_token}");
    println!("DANVAN_BENCH_UNIT={}", province.id);
    println!("DANVAN_BENCH_COMMUNE={}", first_commune(&d));
    println!(
        "DANVAN_BENCH_PATH=/?don_vi={}&ky={}",
        province.id,
        query_escape(&a.period)
    );
    Ok(())
}

/// The id of a commune of the province, for the records written during a run.
fn first_commune(d: &dashboard::Dashboard) -> i64 {
    d.on_time_by_unit.first().map_or(d.unit.id, |r| r.unit.id)
}

/// An account of the province, made once.
async fn account(
    store: &Store,
    username: &str,
    full_name: &str,
    role: Role,
    unit_id: i64,
) -> anyhow::Result<i64> {
    if let Some(u) = accounts::list(store)
        .await?
        .into_iter()
        .find(|u| u.username == username)
    {
        return Ok(u.id);
    }
    let u = accounts::create(
        store,
        &NewUser {
            username: username.into(),
            full_name: full_name.into(),
            password: format!("{username}-{}", std::process::id()),
            role,
            unit_id: Some(unit_id),
        },
    )
    .await?;
    Ok(u.id)
}

fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}
