//! How long a province dashboard takes to build: a generated province of
//! 100 communes with two years of receptions, petitions, one-stop dossiers,
//! mediation cases, meetings and models (`danvan_report::sample`, the same
//! data `danvan bench dashboard` serves to wrk), then `dashboard::build` timed one
//! at a time and with 64 at once (the web load test's concurrency).
//!
//! `cargo bench -p danvan-report --bench dashboard` (SQLite in a temporary
//! file; PostgreSQL too when DANVAN_BENCH_PG is a server URL such as
//! postgres://postgres@127.0.0.1:5432/postgres, on a database it creates
//! and drops). Prints a table; asserts nothing.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_report::{chart, dashboard, sample};
use danvan_store::Store;
use danvan_store::units;

const ROUNDS: usize = 200;
const CLIENTS: usize = 64;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn measure(label: &str, store: &Store) {
    let t0 = Instant::now();
    sample::generate(store).await.unwrap();
    println!(
        "{label}: sinh dữ liệu trong {:.1} giây",
        t0.elapsed().as_secs_f64()
    );
    let province = units::find(store, sample::PROVINCE, None).await.unwrap();
    let period = Period::parse("2025", false).unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
    let d = dashboard::build(store, &province, &period, today)
        .await
        .unwrap();
    println!(
        "  {} dòng theo đơn vị, {} đơn quá hạn, {} đơn sắp đến hạn, {}",
        d.on_time_by_unit.len(),
        d.petitions_due.overdue_count,
        d.petitions_due.soon_count,
        d.dossier_backlog.text
    );
    for h in &d.headline {
        println!(
            "  {}: {} (cùng kỳ {})",
            h.label,
            h.current.text(),
            h.previous.text()
        );
    }

    let mut one = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        dashboard::build(store, &province, &period, today)
            .await
            .unwrap();
        one.push(t.elapsed());
    }
    one.sort();

    let t = Instant::now();
    let charts = 50;
    for _ in 0..charts {
        chart::on_time_by_unit_svg(&d.on_time_by_unit);
        chart::models_by_field_svg(&d.models_by_field);
        chart::headline_comparison_svg(&d.headline, &d.period_label, &d.previous_label);
    }
    let svg = t.elapsed() / charts;

    let per_client = ROUNDS / 4;
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let store = store.clone();
        let province = province.clone();
        tasks.push(tokio::spawn(async move {
            let mut v = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let t = Instant::now();
                dashboard::build(&store, &province, &period, today)
                    .await
                    .unwrap();
                v.push(t.elapsed());
            }
            v
        }));
    }
    let mut many = Vec::new();
    for t in tasks {
        many.extend(t.await.unwrap());
    }
    let wall = t.elapsed();
    many.sort();
    println!(
        "| {label} | tuần tự: trung vị {} · p99 {} | {CLIENTS} đồng thời: trung vị {} · p99 {} · {:.0} bảng/giây | 3 biểu đồ SVG: {} |",
        ms(pct(&one, 0.5)),
        ms(pct(&one, 0.99)),
        ms(pct(&many, 0.5)),
        ms(pct(&many, 0.99)),
        many.len() as f64 / wall.as_secs_f64(),
        ms(svg),
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; nothing to list.
    }
    let path =
        std::env::temp_dir().join(format!("danvan-dashboard-bench-{}.db", std::process::id()));
    let url = path.display().to_string();
    let store = Store::open(&url).await.unwrap();
    measure("SQLite", &store).await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{url}{suffix}"));
    }

    if let Ok(admin) = std::env::var("DANVAN_BENCH_PG") {
        let name = format!("danvan_dashboard_bench_{}", std::process::id());
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        danvan_store::create_postgres_database(&url).await.unwrap();
        let store = Store::open(&url).await.unwrap();
        measure("PostgreSQL", &store).await;
        store.close().await;
        danvan_store::drop_postgres_database(&url).await.unwrap();
    }
}
