//! `danvan bench report`: the whole country's annual report as DOCX on the
//! national-scale data of `danvan bench`, timed from the request to the
//! finished bytes (figures from facts, validation, prose, DOCX), and checked
//! against the same figure counted from the raw records.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use danvan_core::period::Period;
use danvan_report::{Catalogue, Request};
use danvan_store::units::Unit;
use danvan_store::{Store, reception};

use crate::bench::{DataArgs, ensure_data};

#[derive(Args)]
pub struct ReportBenchArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Năm báo cáo (dữ liệu sinh ra nằm trong năm 2025).
    #[arg(long, default_value = "2025")]
    period: String,
    /// Số lần lập báo cáo.
    #[arg(long, default_value_t = 10)]
    repeat: usize,
    /// Ghi bản DOCX cuối cùng ra tệp này để mở xem.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(a: ReportBenchArgs) -> anyhow::Result<()> {
    let store = Store::open(&a.data.db).await?;
    ensure_data(&store, &a.data).await?;
    let period = Period::parse(&a.period, false)?;
    let country = Unit::country();
    let catalogue = Catalogue::builtin();
    let today = chrono::Local::now().date_naive();
    let mut times: Vec<Duration> = Vec::with_capacity(a.repeat);
    let mut last = None;
    for _ in 0..a.repeat.max(1) {
        let t0 = Instant::now();
        let report = danvan_report::build(
            &store,
            &catalogue,
            Request::new(&country, period).compare(true),
        )
        .await?;
        let docx = report.to_docx(&store, &country, today).await?;
        times.push(t0.elapsed());
        last = Some((report, docx));
    }
    let (report, docx) = last.expect("at least one run");
    let r = period.range();
    let raw = reception::scan_turns(&store, None, r.start, r.end).await?;
    let turns = report.figures.all.count("reception_turns");
    anyhow::ensure!(
        turns == raw,
        "báo cáo ghi {turns} lượt tiếp công dân nhưng đếm bản ghi được {raw}"
    );
    if let Some(out) = &a.out {
        std::fs::write(out, &docx)?;
    }
    times.sort();
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    println!(
        "Báo cáo DOCX {} của cả nước ({} tỉnh): {} lần, trung vị {}, nhanh nhất {}, chậm nhất {}; \
         {} byte; {} lượt tiếp công dân, khớp với đếm bản ghi.",
        period,
        report.below_ids.len(),
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        docx.len(),
        turns
    );
    store.close().await;
    Ok(())
}
