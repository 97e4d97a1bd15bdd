//! `danvan bench reorganised`: the national tree (`units import
//! --national`), reception records at the old communes of Quảng Ngãi and
//! Kon Tum in January–June 2025 and at the new Quảng Ngãi's communes in
//! July–December, then the new province's 2025 read as reorganised, timed
//! beside the same read as recorded and checked against the old
//! provinces' first half plus the new one's second.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::Args;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome, keys,
};
use danvan_report::reorganised;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::unit_import::national;
use danvan_store::units::{self, Unit};
use danvan_store::{Store, reception};

#[derive(Args)]
pub struct ReorganisedBenchArgs {
    /// Cơ sở dữ liệu dùng để đo (tệp SQLite hoặc URL postgres://…).
    #[arg(long, default_value = "danvan-bench-reorganised.db")]
    db: String,
    /// Số bản ghi sinh ra (một nửa trước, một nửa sau 01/07/2025).
    #[arg(long, default_value_t = 200_000)]
    records: usize,
    /// Số lần lặp mỗi phép đọc.
    #[arg(long, default_value_t = 30)]
    repeat: usize,
}

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a valid date")
}

pub async fn run(a: ReorganisedBenchArgs) -> anyhow::Result<()> {
    let store = Store::open(&a.db).await?;
    let new_qn = if let Ok(u) = units::find(&store, "51-2025", None).await {
        println!("Dùng dữ liệu đã sinh trong {}.", a.db);
        u
    } else {
        generate(&store, a.records).await?
    };
    let year = Period::parse("2025", false)?.range();
    let half = |s: &str, e: &str| DateRange::new(day(s), day(e));
    let (h1, h2) = (
        half("2025-01-01", "2025-06-30"),
        half("2025-07-01", "2025-12-31"),
    );
    let old_qn = units::find(&store, "51", None).await?;
    let kon_tum = units::find(&store, "62", None).await?;
    let total = |u: &Unit, r| {
        let store = &store;
        let scope = Scope::of(u);
        async move {
            anyhow::Ok(
                facts::read(store, scope, &[keys::TURNS], r, Detail::Totals)
                    .await?
                    .total(keys::TURNS),
            )
        }
    };
    let want = total(&old_qn, h1).await? + total(&kon_tum, h1).await? + total(&new_qn, h2).await?;
    let mut recorded = Vec::new();
    let mut as_reorganised = Vec::new();
    let mut got = (0, 0);
    for _ in 0..a.repeat.max(1) {
        let t0 = Instant::now();
        got.0 = total(&new_qn, year).await?;
        recorded.push(t0.elapsed());
        let t0 = Instant::now();
        let (t, note) =
            reorganised::read(&store, &new_qn, &[keys::TURNS], year, Detail::Totals).await?;
        as_reorganised.push(t0.elapsed());
        anyhow::ensure!(
            note.is_some(),
            "đọc theo đơn vị sau sắp xếp phải có ghi chú"
        );
        got.1 = t.total(keys::TURNS);
    }
    anyhow::ensure!(
        got.1 == want,
        "đọc theo sắp xếp {} ≠ tỉnh cũ 6 tháng đầu năm cộng tỉnh mới 6 tháng cuối năm {want}",
        got.1
    );
    println!("| tỉnh Quảng Ngãi (mới), năm 2025 | trung vị | số liệu |");
    println!("|---|---|---|");
    println!("| như đã ghi nhận | {} | {} |", ms(median(recorded)), got.0);
    println!(
        "| theo đơn vị sau sắp xếp | {} | {} |",
        ms(median(as_reorganised)),
        got.1
    );
    store.close().await;
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The national tree and the records; the new province.
async fn generate(store: &Store, records: usize) -> anyhow::Result<Unit> {
    let t0 = Instant::now();
    national::import(store).await?;
    println!(
        "Nhập đơn vị cả nước trong {:.1} s.",
        t0.elapsed().as_secs_f64()
    );
    let tree = units::tree(store).await?;
    let new_qn = units::find(store, "51-2025", None).await?;
    let old: Vec<&Unit> = ["51", "62"]
        .iter()
        .filter_map(|c| tree.all().iter().find(|u| u.code == *c))
        .flat_map(|p| {
            tree.all()
                .iter()
                .filter(move |u| u.province_id == p.id && u.kind.is_commune_level())
        })
        .collect();
    let new: Vec<&Unit> = tree
        .all()
        .iter()
        .filter(|u| u.parent_id == Some(new_qn.id))
        .collect();
    let t0 = Instant::now();
    let batch: Vec<Reception> = (0..records)
        .map(|i| {
            let (list, start, span) = if i % 2 == 0 {
                (&old, day("2025-01-01"), 181)
            } else {
                (&new, day("2025-07-01"), 184)
            };
            let u = list[(i / 2) % list.len()];
            Reception {
                unit_id: u.id,
                received_on: start + chrono::Duration::days((i as i64 * 7) % span),
                official: String::new(),
                position: String::new(),
                kind: ReceptionKind::Regular,
                content: ReceptionContent::Recommendation,
                outcome: ReceptionOutcome::Guided,
                turns: 1 + (i % 3) as i64,
                persons: 1 + (i % 3) as i64,
                delegations: 0,
                delegation_persons: 0,
                petition_id: None,
                note: String::new(),
            }
        })
        .collect();
    for chunk in batch.chunks(50_000) {
        reception::insert_many(store, chunk).await?;
    }
    println!(
        "Ghi {records} bản ghi tại {} xã cũ và {} xã mới trong {:.1} s.",
        old.len(),
        new.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(new_qn)
}
