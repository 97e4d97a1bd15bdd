//! `danvan bench import-dossiers --rows N`: writes a one-stop export of N
//! generated dossiers (CSV, Vietnamese headers) and times `danvan import
//! dossiers` on it into a fresh SQLite file, then once more (the
//! idempotent re-import).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use chrono::{Days, NaiveDate};
use clap::Args;
use danvan_core::number;
use danvan_core::records::dossier::keys;
use danvan_store::dossiers::import::ImportOptions;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::{Store, unit_import, units};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Args, Clone)]
pub struct ImportBenchArgs {
    /// Số hồ sơ sinh ra.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Thư mục chứa tệp CSV và cơ sở dữ liệu đo.
    #[arg(long, default_value = "danvan-bench-dossiers")]
    dir: PathBuf,
    /// Chỉ sinh tệp hồ sơ (ho-so-N.csv) và tệp đơn vị (don-vi.csv) vào
    /// thư mục, không đo (để kiểm thử nhập trên cơ sở dữ liệu khác).
    #[arg(long)]
    generate_only: bool,
}

const DISTRICTS: usize = 10;
const COMMUNES_PER_DISTRICT: usize = 20;

pub async fn run(a: ImportBenchArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&a.dir)
        .with_context(|| format!("không tạo được thư mục {}", a.dir.display()))?;
    let csv = a.dir.join(format!("ho-so-{}.csv", a.rows));
    let db = a.dir.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let t0 = Instant::now();
    let codes = generate(&csv, a.rows)?;
    println!(
        "Sinh {} ({} hồ sơ, {} MB) trong {:.1} giây.",
        csv.display(),
        number::int(a.rows as i64),
        std::fs::metadata(&csv)?.len() / 1_000_000,
        t0.elapsed().as_secs_f64()
    );
    if a.generate_only {
        let units = a.dir.join("don-vi.csv");
        std::fs::write(&units, units_csv(&codes))
            .with_context(|| format!("không ghi được {}", units.display()))?;
        println!("Đơn vị: {}", units.display());
        return Ok(());
    }
    let store = Store::open(&db.display().to_string()).await?;
    unit_import::import_csv(&store, units_csv(&codes).as_bytes()).await?;
    println!("Lần nhập đầu:");
    let t0 = Instant::now();
    let s = crate::dossiers_cmd::import(&store, &csv, ImportOptions::default(), None).await?;
    let first = a.rows as f64 / t0.elapsed().as_secs_f64();
    anyhow::ensure!(s.inserted == a.rows, "chỉ nhập được {} hồ sơ", s.inserted);
    println!("Nhập lại cùng tệp:");
    let t0 = Instant::now();
    let again = crate::dossiers_cmd::import(&store, &csv, ImportOptions::default(), None).await?;
    let second = a.rows as f64 / t0.elapsed().as_secs_f64();
    anyhow::ensure!(again.unchanged == a.rows, "nhập lại đã thay đổi dữ liệu");
    let root = units::find(&store, "BD", None).await?;
    let year = danvan_core::period::Period::parse("2000..2100", false)?.range();
    let t = facts::read(
        &store,
        Scope::of(&root),
        &[keys::RECEIVED],
        year,
        Detail::Totals,
    )
    .await?;
    anyhow::ensure!(
        t.total(keys::RECEIVED) == a.rows as i64,
        "facts không khớp số hồ sơ"
    );
    println!(
        "\nKết quả: nhập lần đầu {} dòng/giây; nhập lại {} dòng/giây (SQLite, {}).",
        number::int(first as i64),
        number::int(second as i64),
        db.display()
    );
    store.close().await;
    Ok(())
}

fn commune_codes() -> Vec<String> {
    (1..=DISTRICTS)
        .flat_map(|d| (1..=COMMUNES_PER_DISTRICT).map(move |c| format!("BD-{d:02}-{c:02}")))
        .collect()
}

fn units_csv(communes: &[String]) -> String {
    let mut s = String::from(
        "code,name,kind,parent_code,valid_from,valid_to,successor_code\nBD,Tỉnh đo,tỉnh,,,,\n",
    );
    for d in 1..=DISTRICTS {
        s.push_str(&format!("BD-{d:02},Huyện đo {d:02},huyện,BD,,,\n"));
    }
    for c in communes {
        s.push_str(&format!("{c},Xã đo {c},xã,{},,,\n", &c[..5]));
    }
    s
}

/// The export: received over 2024–2025, due 3–20 days later; most
/// resolved (early, on time, late), some pending, returned or withdrawn.
fn generate(path: &PathBuf, rows: usize) -> anyhow::Result<Vec<String>> {
    let codes = commune_codes();
    let f = std::fs::File::create(path)
        .with_context(|| format!("không tạo được {}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    writeln!(
        w,
        "STT,Mã hồ sơ,Mã thủ tục,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày tiếp nhận,Hạn giải quyết,Ngày có kết quả,Ngày trả lại,Ngày rút"
    )?;
    let mut rng = StdRng::seed_from_u64(4);
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date");
    let channels = ["Trực tiếp", "Trực tuyến", "Bưu chính"];
    let fmt = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for n in 0..rows {
        let unit = &codes[rng.random_range(0..codes.len())];
        let received = start + Days::new(rng.random_range(0..700));
        let due = received + Days::new(rng.random_range(3..21));
        let (mut resolved, mut returned, mut withdrawn) =
            (String::new(), String::new(), String::new());
        match rng.random_range(0..100) {
            0..60 => {
                resolved =
                    fmt(received
                        + Days::new(rng.random_range(0..(due - received).num_days() as u64)))
            }
            60..80 => resolved = fmt(due),
            80..88 => resolved = fmt(due + Days::new(rng.random_range(1..15))),
            88..92 => returned = fmt(received + Days::new(1)),
            92..94 => withdrawn = fmt(received + Days::new(2)),
            _ => {}
        }
        let p = rng.random_range(0..400);
        writeln!(
            w,
            "{},000.00.{unit}-{n:08},1.{p:06},Thủ tục hành chính số {p},{unit},{},{},{},{},{resolved},{returned},{withdrawn}",
            n + 1,
            channels[rng.random_range(0..3)],
            if rng.random_range(0..20) == 0 {
                "có"
            } else {
                ""
            },
            fmt(received),
            due.format("%Y-%m-%d"),
        )?;
    }
    w.flush()?;
    Ok(codes)
}
