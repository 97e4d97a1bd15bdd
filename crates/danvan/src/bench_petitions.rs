//! `danvan bench petitions`: petitions spread over a national-scale tree
//! (34 provinces, ~3,300 communes, through the ordinary batch write with
//! facts and audit log), then the petition list's pages as the web page
//! reads them — the first page and a deep page, of the whole country, of
//! one province and of one commune, unfiltered, filtered by type and
//! status, and searched — each timed (median, p99), beside the old way of
//! loading the whole filtered list to show one page.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use clap::Args;
use danvan_core::records::petition::{
    Eligibility, Petition, PetitionChannel, PetitionField, PetitionStatus, PetitionType, Sender,
};
use danvan_store::petitions::{self, Cursor, Filter, PageKey, Viewer};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, unit_import};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Args)]
pub struct PetitionBenchArgs {
    /// Cơ sở dữ liệu dùng để đo (tệp SQLite hoặc URL postgres://…).
    #[arg(long, default_value = "danvan-bench-petitions.db")]
    db: String,
    /// Số đơn sinh ra.
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,
    /// Số đơn mỗi lô ghi.
    #[arg(long, default_value_t = 20_000)]
    batch: usize,
    /// Số lần lặp mỗi phép đọc.
    #[arg(long, default_value_t = 50)]
    repeat: usize,
    /// Cũng đo cách cũ (đọc cả danh sách rồi cắt trang), một lần mỗi phép.
    #[arg(long)]
    full_load: bool,
}

/// The page size of the petition list page.
const PAGE: usize = 200;

const NOBODY: Viewer = Viewer { official_id: 0 };

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub async fn run(a: PetitionBenchArgs) -> anyhow::Result<()> {
    let store = Store::open(&a.db).await?;
    if units::all(&store).await?.iter().any(|u| u.code == "P01") {
        println!("Dùng dữ liệu đã sinh trong {}.", a.db);
    } else {
        generate(&store, &a).await?;
    }
    let all = units::all(&store).await?;
    let province = all.iter().find(|u| u.code == "P01").expect("generated");
    let commune = all
        .iter()
        .find(|u| u.code == "P01-0001")
        .expect("generated");
    let total = petitions::count(&store, &Filter::default(), None, NOBODY).await?;
    println!(
        "\nĐo trên {} ({} đơn vị; {} đơn), trang {PAGE} đơn, {} lần mỗi phép\n",
        a.db,
        all.len(),
        total.map_or(format!("hơn {}", petitions::COUNT_CAP), |n| n.to_string()),
        a.repeat
    );
    println!("| phạm vi | lọc | trang | trung vị | p99 | số đơn | đọc cả danh sách |");
    println!("|---|---|---|---|---|---|---|");
    // A deep page: the key of a petition received mid-2025, as a page
    // link carries it after hundreds of pages.
    let deep = PageKey {
        received_on: day(2025, 6, 30),
        id: i64::MAX,
    };
    for (label, unit) in [
        ("toàn quốc", None),
        ("một tỉnh", Some(province.id)),
        ("một xã", Some(commune.id)),
    ] {
        for (filter_label, kind, status, words) in [
            ("không lọc", None, None, None),
            (
                "khiếu nại, đã thụ lý",
                Some(PetitionType::Complaint),
                Some(PetitionStatus::Eligible),
                None,
            ),
            ("tìm «đất rẫy»", None, None, Some("dat ray")),
        ] {
            let f = Filter {
                unit,
                kind,
                status,
                ..Default::default()
            };
            for (page_label, cursor) in [("đầu", Cursor::First), ("sâu", Cursor::After(deep))] {
                let (median, p99, n) = time_page(&store, &f, words, cursor, a.repeat).await?;
                let full = if a.full_load && cursor == Cursor::First && words.is_none() {
                    let t0 = Instant::now();
                    let all = petitions::list(&store, &f, NOBODY).await?;
                    format!("{} ({} đơn)", ms(t0.elapsed()), all.len())
                } else {
                    "—".to_string()
                };
                println!(
                    "| {label} | {filter_label} | {page_label} | {} | {} | {n} | {full} |",
                    ms(median),
                    ms(p99)
                );
            }
        }
    }
    store.close().await;
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// The page read `repeat` times with its count, as the page does: the
/// median, the 99th percentile and the rows of the page.
async fn time_page(
    store: &Store,
    f: &Filter,
    words: Option<&str>,
    cursor: Cursor,
    repeat: usize,
) -> anyhow::Result<(Duration, Duration, usize)> {
    let mut times = Vec::with_capacity(repeat);
    let mut n = 0;
    for _ in 0..repeat.max(1) {
        let t0 = Instant::now();
        let (page, _) = tokio::try_join!(
            petitions::page(store, f, words, cursor, PAGE, NOBODY),
            petitions::count(store, f, words, NOBODY),
        )?;
        times.push(t0.elapsed());
        n = page.rows.len();
    }
    times.sort();
    let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
    Ok((times[times.len() / 2], p99, n))
}

async fn generate(store: &Store, a: &PetitionBenchArgs) -> anyhow::Result<()> {
    let (provinces, communes) = (34, 3300);
    let mut csv = String::from("code,name,kind,parent_code,valid_from,valid_to,successor_code\n");
    for p in 1..=provinces {
        csv.push_str(&format!("P{p:02},Tỉnh đo {p:02},tỉnh,,,,\n"));
        let extra = usize::from(p <= communes % provinces);
        for c in 1..=communes / provinces + extra {
            csv.push_str(&format!(
                "P{p:02}-{c:04},Xã đo {p:02}-{c:04},xã,P{p:02},,,\n"
            ));
        }
    }
    unit_import::import_csv(store, csv.as_bytes()).await?;
    let all: Vec<Unit> = units::all(store).await?;
    let communes: Vec<&Unit> = all
        .iter()
        .filter(|u| u.code.starts_with('P') && u.parent_id.is_some())
        .collect();
    let bar = ProgressBar::new(a.records as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} đơn · {per_sec} · còn {eta}")
            .expect("valid template"),
    );
    let mut rng = StdRng::seed_from_u64(20261207);
    let first = day(2024, 1, 1);
    let days = (day(2025, 12, 31) - first).num_days() + 1;
    let summaries = [
        "Tranh chấp đất rẫy giữa hai hộ",
        "Đề nghị sửa đường liên thôn",
        "Phản ánh ô nhiễm từ cơ sở chăn nuôi",
        "Khiếu nại quyết định thu hồi đất",
    ];
    let t0 = Instant::now();
    let mut done = 0;
    while done < a.records {
        let n = a.batch.min(a.records - done);
        let batch: Vec<Petition> = (0..n)
            .map(|_| {
                let u = communes[rng.random_range(0..communes.len())];
                let kind = PetitionType::ALL[rng.random_range(0..PetitionType::ALL.len())];
                let received_on = first + chrono::Duration::days(rng.random_range(0..days));
                let mut p = Petition {
                    sender: Sender {
                        name: format!("Người gửi {}", rng.random_range(0..100_000)),
                        address: "Thôn 1".into(),
                        phone: String::new(),
                    },
                    summary: summaries[rng.random_range(0..summaries.len())].into(),
                    ..Petition::received(
                        u.id,
                        received_on,
                        PetitionChannel::ALL[0],
                        kind,
                        PetitionField::ALL[rng.random_range(0..PetitionField::ALL.len())],
                    )
                };
                if rng.random_range(0..2) == 0 {
                    p.classified_on = Some(received_on);
                    p.eligibility = Some(Eligibility::Eligible);
                }
                p
            })
            .collect();
        petitions::insert_many(store, &batch).await?;
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "Ghi {} đơn (kèm facts và nhật ký) trong {:.1} s: {:.0} đơn/s.",
        a.records,
        secs,
        a.records as f64 / secs
    );
    Ok(())
}
