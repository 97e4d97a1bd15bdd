//! Mutation testing on the corpus: for every relation a careful reader
//! finds consistent, each of its figures is changed by one typing slip at
//! a time (the last digit ±1, two digits swapped, the thousands dots
//! dropped), and the checker must report a lỗi or cảnh báo at that
//! figure or its sentence. A slip that leaves every relation holding (a
//! rate rounded to one decimal does not move when a count moves by one)
//! is an equivalent mutant and is counted apart; a dropped dot changes no
//! value but must be flagged as a figure written wrongly.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Relation, corpus, flagged_at, positions, verdict};
use danvan_check::mutate::{Slip, slips};

type Pos = BTreeMap<String, Vec<(usize, usize)>>;

/// The positions of a relation after the figure at `at` was replaced by
/// text `delta` bytes longer.
fn shifted(pos: &Pos, at: (usize, usize), new_len: usize) -> Pos {
    let delta = new_len as isize - (at.1 - at.0) as isize;
    pos.iter()
        .map(|(k, v)| {
            let v = v
                .iter()
                .map(|&(s, e)| {
                    if (s, e) == at {
                        (s, s + new_len)
                    } else if s >= at.1 {
                        ((s as isize + delta) as usize, (e as isize + delta) as usize)
                    } else {
                        (s, e)
                    }
                })
                .collect();
            (k.clone(), v)
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    detectable: usize,
    detected: usize,
    equivalent: usize,
    missed: Vec<String>,
}

#[test]
fn every_slip_in_a_consistent_relation_is_flagged_at_its_sentence() {
    let mut by_slip: BTreeMap<&'static str, Tally> = BTreeMap::new();
    let mut by_report: Vec<(String, usize, usize)> = Vec::new();
    for rep in corpus() {
        let held: Vec<(&Relation, Pos)> = rep
            .relations
            .iter()
            .filter(|r| r.verdict == "đúng")
            .map(|r| (r, positions(&rep.text, r)))
            .collect();
        let figures: BTreeSet<(usize, usize)> = held
            .iter()
            .flat_map(|(_, p)| p.values().flatten().copied())
            .collect();
        let (mut n, mut ok) = (0, 0);
        for at in figures {
            let written = &rep.text[at.0..at.1];
            for (slip, new) in slips(written) {
                let text = format!("{}{new}{}", &rep.text[..at.0], &rep.text[at.1..]);
                let breaks = slip == Slip::DropDots
                    || held.iter().any(|(rel, pos)| {
                        pos.values().flatten().any(|&p| p == at)
                            && verdict(&text, rel, &shifted(pos, at, new.len())) != "đúng"
                    });
                let t = by_slip.entry(slip.name()).or_default();
                if !breaks {
                    t.equivalent += 1;
                    continue;
                }
                t.detectable += 1;
                n += 1;
                let r = danvan_check::check_text(&text);
                if flagged_at(&r, at.0) {
                    t.detected += 1;
                    ok += 1;
                } else {
                    t.missed
                        .push(format!("{}: «{written}» → «{new}»", rep.file));
                }
            }
        }
        by_report.push((rep.file.clone(), ok, n));
    }
    let detectable: usize = by_slip.values().map(|t| t.detectable).sum();
    let detected: usize = by_slip.values().map(|t| t.detected).sum();
    let equivalent: usize = by_slip.values().map(|t| t.equivalent).sum();
    println!("| slip | flagged / detectable | equivalent |");
    println!("|---|---|---|");
    for (name, t) in &by_slip {
        println!(
            "| {name} | {}/{} | {} |",
            t.detected, t.detectable, t.equivalent
        );
    }
    let score = detected as f64 / detectable as f64;
    println!(
        "| **all** | {detected}/{detectable} = {:.1}% | {equivalent} |",
        score * 100.0
    );
    for (file, ok, n) in &by_report {
        println!("{file}: {ok}/{n}");
    }
    let missed: Vec<&String> = by_slip.values().flat_map(|t| &t.missed).collect();
    for m in &missed {
        println!("missed {m}");
    }
    assert!(score >= 0.95, "mutation score {score:.3}");
}
