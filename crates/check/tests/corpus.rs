//! Recall and precision on real reports: the relations the checker reports
//! against those a careful reader checks (annotated by hand in
//! `tests/corpus/`). Recall: annotated relations the checker reports with
//! the right verdict ÷ annotated relations. Precision: reported relations
//! that are annotated with that verdict ÷ reported relations; and the same
//! for the findings alone (lỗi and cảnh báo).

mod common;

use common::{corpus, score};

#[test]
fn corpus_has_twenty_real_reports_with_sources() {
    let c = corpus();
    assert!(c.len() >= 20, "{} reports", c.len());
    for r in &c {
        assert!(r.source.starts_with("http"), "{}: no source", r.file);
        assert!(
            !r.title.is_empty() && !r.text.trim().is_empty(),
            "{}",
            r.file
        );
        for rel in &r.relations {
            // Every annotation names figures that exist, and its verdict is
            // what the arithmetic gives.
            let pos = common::positions(&r.text, rel);
            assert_eq!(
                common::verdict(&r.text, rel, &pos),
                rel.verdict,
                "{}: {rel:?}",
                r.file
            );
        }
    }
}

#[test]
fn recall_and_precision_on_the_corpus() {
    let mut t = (0, 0, 0, 0, 0, 0);
    let mut rows = Vec::new();
    for rep in corpus() {
        let r = danvan_check::check_text(&rep.text);
        let s = score(&rep, &r);
        rows.push(format!(
            "| {} | {}/{} | {}/{} | {}/{} |",
            rep.file.trim_end_matches(".toml"),
            s.0,
            s.1,
            s.2,
            s.3,
            s.4,
            s.5
        ));
        if s.0 < s.1 || s.2 < s.3 {
            eprintln!("--- {}\n{}", rep.file, r.render_text(true));
        }
        t = (
            t.0 + s.0,
            t.1 + s.1,
            t.2 + s.2,
            t.3 + s.3,
            t.4 + s.4,
            t.5 + s.5,
        );
    }
    let recall = t.0 as f64 / t.1 as f64;
    let precision = t.2 as f64 / t.3 as f64;
    let flagged = if t.5 == 0 {
        1.0
    } else {
        t.4 as f64 / t.5 as f64
    };
    println!("| report | recall | precision (all reported) | precision (lỗi, cảnh báo) |");
    println!("|---|---|---|---|");
    for row in &rows {
        println!("{row}");
    }
    println!(
        "| **total** | {}/{} = {:.1}% | {}/{} = {:.1}% | {}/{} = {:.1}% |",
        t.0,
        t.1,
        recall * 100.0,
        t.2,
        t.3,
        precision * 100.0,
        t.4,
        t.5,
        flagged * 100.0
    );
    assert!(recall >= 0.90, "recall {recall:.3}");
    assert!(precision >= 0.95, "precision {precision:.3}");
    assert!(flagged >= 0.95, "precision of findings {flagged:.3}");
}
