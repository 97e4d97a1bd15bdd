//! `danvan bench`: a national-scale tree (34 provinces, ~3,300 communes) and
//! millions of reception records written through the ordinary batch path,
//! then indicator reads from facts timed against the same figure computed
//! by scanning raw records.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::Args;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome, keys,
};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, reception, unit_import};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: Option<BenchWhat>,
    #[command(flatten)]
    data: DataArgs,
    /// Số lần lặp mỗi phép đọc.
    #[arg(long, default_value_t = 30)]
    repeat: usize,
}

/// The national-scale data set: where it is kept and how large it is.
#[derive(Args)]
pub struct DataArgs {
    /// Cơ sở dữ liệu dùng để đo (tệp SQLite hoặc URL postgres://…).
    #[arg(long, default_value = "danvan-bench.db")]
    pub db: String,
    /// Số bản ghi sinh ra.
    #[arg(long, default_value_t = 10_000_000)]
    pub records: usize,
    #[arg(long, default_value_t = 34)]
    pub provinces: usize,
    #[arg(long, default_value_t = 3300)]
    pub communes: usize,
    /// Số bản ghi mỗi lô ghi.
    #[arg(long, default_value_t = 200_000)]
    pub batch: usize,
}

/// Other measurements than the default read benchmark.
#[derive(clap::Subcommand)]
enum BenchWhat {
    /// Đo tốc độ `danvan import dossiers` trên tệp sinh ra (mặc định 1.000.000 dòng).
    ImportDossiers(crate::bench_dossiers::ImportBenchArgs),
    /// Đo thời gian lập báo cáo DOCX cả năm của cả nước trên dữ liệu quy mô quốc gia.
    Report(crate::bench_report::ReportBenchArgs),
    /// Sinh dữ liệu một tỉnh (100 xã, hai năm) và tài khoản để đo bảng điều khiển
    /// qua `danvan serve` (xem scripts/bench-dashboard.sh).
    Dashboard(crate::bench_dashboard::DashboardBenchArgs),
    /// Đo phép đọc số liệu năm 2025 của tỉnh Quảng Ngãi mới theo đơn vị sau sắp xếp
    /// (cây đơn vị cả nước, bản ghi trước và sau 01/07/2025).
    Reorganised(crate::bench_reorganised::ReorganisedBenchArgs),
    /// Đo danh sách đơn thư theo trang (trang đầu, trang sâu; lọc, tìm) trên
    /// dữ liệu quy mô quốc gia (mặc định 1.000.000 đơn).
    Petitions(crate::bench_petitions::PetitionBenchArgs),
}

const YEAR: i32 = 2025;

pub async fn run(a: BenchArgs) -> anyhow::Result<()> {
    match a.what {
        Some(BenchWhat::ImportDossiers(args)) => return crate::bench_dossiers::run(args).await,
        Some(BenchWhat::Report(args)) => return crate::bench_report::run(args).await,
        Some(BenchWhat::Dashboard(args)) => return crate::bench_dashboard::run(args).await,
        Some(BenchWhat::Reorganised(args)) => return crate::bench_reorganised::run(args).await,
        Some(BenchWhat::Petitions(args)) => return crate::bench_petitions::run(args).await,
        None => {}
    }
    let store = Store::open(&a.data.db).await?;
    ensure_data(&store, &a.data).await?;
    let all = units::all(&store).await?;
    let province = all
        .iter()
        .find(|u| u.code == "B01")
        .expect("generated")
        .clone();
    let commune = all
        .iter()
        .find(|u| u.code == "B01-0001")
        .expect("generated")
        .clone();
    let n: i64 = reception::scan_turns(&store, None, day(1900, 1, 1), day(2100, 1, 1)).await?;
    println!(
        "\nĐo trên {} ({} đơn vị, tổng {} lượt)\n",
        a.data.db,
        all.len(),
        n
    );
    println!("| phạm vi | kỳ | đọc từ facts (trung vị) | quét bản ghi | tỷ lệ | số liệu |");
    println!("|---|---|---|---|---|---|");
    for (label, scope, ancestor) in [
        ("toàn quốc", Scope::Country, None),
        ("một tỉnh", Scope::of(&province), Some(province.id)),
        ("một xã", Scope::of(&commune), Some(commune.id)),
    ] {
        for cutoff in [false, true] {
            let p = Period::parse(&YEAR.to_string(), cutoff)?;
            let r = p.range();
            let (fact_time, fact_value) = time_read(&store, scope, r, a.repeat).await?;
            let t0 = Instant::now();
            let raw = reception::scan_turns(&store, ancestor, r.start, r.end).await?;
            let raw_time = t0.elapsed();
            anyhow::ensure!(
                raw == fact_value,
                "facts {fact_value} ≠ quét {raw} ({label}, {p})"
            );
            println!(
                "| {label} | {}{} | {} | {} | {:.0}× | {} |",
                p,
                if cutoff {
                    " (chốt 15/12–14/12)"
                } else {
                    ""
                },
                ms(fact_time),
                ms(raw_time),
                raw_time.as_secs_f64() / fact_time.as_secs_f64(),
                fact_value
            );
        }
    }
    store.close().await;
    Ok(())
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

async fn time_read(
    store: &Store,
    scope: Scope,
    r: DateRange,
    repeat: usize,
) -> anyhow::Result<(Duration, i64)> {
    let mut times = Vec::with_capacity(repeat);
    let mut value = 0;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let t = facts::read(store, scope, &[keys::TURNS], r, Detail::Totals).await?;
        times.push(t0.elapsed());
        value = t.total(keys::TURNS);
    }
    times.sort();
    Ok((times[times.len() / 2], value))
}

/// Generate the national data set into `store` unless it is there already.
pub async fn ensure_data(store: &Store, a: &DataArgs) -> anyhow::Result<()> {
    if units::all(store).await?.iter().any(|u| u.code == "B01") {
        println!("Dùng dữ liệu đã sinh trong {}.", a.db);
        Ok(())
    } else {
        generate(store, a).await
    }
}

async fn generate(store: &Store, a: &DataArgs) -> anyhow::Result<()> {
    // The tree goes in through the ordinary CSV import.
    let mut csv = String::from("code,name,kind,parent_code,valid_from,valid_to,successor_code\n");
    let per = a.communes / a.provinces;
    for p in 1..=a.provinces {
        csv.push_str(&format!("B{p:02},Tỉnh thử {p:02},tỉnh,,,,\n"));
        let extra = usize::from(p <= a.communes % a.provinces);
        for c in 1..=per + extra {
            csv.push_str(&format!(
                "B{p:02}-{c:04},Xã thử {p:02}-{c:04},xã,B{p:02},,,\n"
            ));
        }
    }
    let t0 = Instant::now();
    unit_import::import_csv(store, csv.as_bytes()).await?;
    let all: Vec<Unit> = units::all(store).await?;
    let communes: Vec<&Unit> = all
        .iter()
        .filter(|u| u.code.starts_with('B') && u.parent_id.is_some())
        .collect();
    println!(
        "Sinh {} tỉnh, {} xã trong {:.1} s.",
        a.provinces,
        communes.len(),
        t0.elapsed().as_secs_f64()
    );

    let bar = ProgressBar::new(a.records as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} bản ghi · {per_sec} · còn {eta}")
            .expect("valid template"),
    );
    let mut rng = StdRng::seed_from_u64(20261123);
    let first = day(YEAR - 1, 12, 1);
    let days = (day(YEAR, 12, 31) - first).num_days() + 1;
    let t0 = Instant::now();
    let mut done = 0;
    while done < a.records {
        let n = a.batch.min(a.records - done);
        let batch: Vec<Reception> = (0..n)
            .map(|_| {
                let u = communes[rng.random_range(0..communes.len())];
                let kind = match rng.random_range(0..100) {
                    0..70 => ReceptionKind::Regular,
                    70..95 => ReceptionKind::Periodic,
                    _ => ReceptionKind::Unscheduled,
                };
                let content = match rng.random_range(0..100) {
                    0..60 => ReceptionContent::Recommendation,
                    60..80 => ReceptionContent::Complaint,
                    80..95 => ReceptionContent::Reflection,
                    _ => ReceptionContent::Denunciation,
                };
                let outcome = match rng.random_range(0..100) {
                    0..60 => ReceptionOutcome::Guided,
                    60..95 => ReceptionOutcome::Explained,
                    _ => ReceptionOutcome::PetitionReceived,
                };
                let turns = rng.random_range(1..=3);
                Reception {
                    unit_id: u.id,
                    received_on: first + chrono::Duration::days(rng.random_range(0..days)),
                    official: String::new(),
                    position: String::new(),
                    kind,
                    content,
                    outcome,
                    turns,
                    persons: turns + rng.random_range(0..2),
                    delegations: 0,
                    delegation_persons: 0,
                    petition_id: None,
                    note: String::new(),
                }
            })
            .collect();
        reception::insert_many(store, &batch).await?;
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "Ghi {} bản ghi (kèm cập nhật facts) trong {:.1} s: {:.0} bản ghi/s.",
        a.records,
        secs,
        a.records as f64 / secs
    );
    Ok(())
}
