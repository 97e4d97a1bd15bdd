//! How long a report takes to typeset as PDF: the first render in a process
//! (typst's standard library, the embedded fonts and the template are
//! loaded then), the same report again (typst reuses what it laid out),
//! and a different report each time (every paragraph changed).
//!
//! On the demo data, `danvan report --unit "Đam Rông" --period 2020-H1 >
//! dam-rong.txt`, then `DANVAN_BENCH_TEXT=dam-rong.txt cargo bench -p
//! danvan-report --bench pdf`. Without DANVAN_BENCH_TEXT a generated
//! three-page report is used. Prints a table; asserts only that each
//! output is a PDF.

use std::time::{Duration, Instant};

use danvan_report::{layout, pdf};
use danvan_testkit::report::{letterhead, long_text};

const ROUNDS: usize = 30;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median_p90(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[v.len() * 9 / 10])
}

fn main() {
    let (source, text) = match std::env::var("DANVAN_BENCH_TEXT") {
        Ok(p) => (
            p.clone(),
            std::fs::read_to_string(&p).expect("DANVAN_BENCH_TEXT names a readable file"),
        ),
        Err(_) => ("generated".into(), long_text(None)),
    };
    let l = letterhead(false);
    let doc = layout::parse(&text);
    let render = |d: &layout::Document| {
        let t = Instant::now();
        let bytes = pdf::render(d, &l).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        (t.elapsed(), bytes.len())
    };
    let (first, size) = render(&doc);
    let same: Vec<Duration> = (0..ROUNDS).map(|_| render(&doc).0).collect();
    let different: Vec<Duration> = (0..ROUNDS)
        .map(|i| {
            let mut d = doc.clone();
            for p in &mut d.paragraphs {
                p.text.push_str(&format!(" (lần {i})"));
            }
            render(&d).0
        })
        .collect();
    let (s50, s90) = median_p90(same);
    let (d50, d90) = median_p90(different);
    println!(
        "PDF of «{source}»: {} paragraphs, {} KiB",
        doc.paragraphs.len(),
        size / 1024
    );
    println!("| render | median | p90 |");
    println!("|---|---|---|");
    println!("| first in the process (with loading) | {} | |", ms(first));
    println!("| the same report again | {} | {} |", ms(s50), ms(s90));
    println!(
        "| a different report each time | {} | {} |",
        ms(d50),
        ms(d90)
    );
}
