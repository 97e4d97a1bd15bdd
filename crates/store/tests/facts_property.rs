//! The live fact store equals a recount from raw records after thousands of
//! random inserts, batch inserts, updates, moves and deletes — including
//! invalid ones, which must change nothing — on SQLite and PostgreSQL. And
//! every read (any subtree, calendar and cut-off periods, ragged date
//! ranges) equals a brute-force sum over the raw rows.

mod common;

use danvan_testkit::correct;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::period::{DateRange, Period};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome, keys,
};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, reception, unit_import};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Two provinces before the reform (one with a district level), merged
/// into a new province on 1 July 2025, and a province that never changed.
const TREE: &str = include_str!("common/merger_tree.csv");

#[derive(Debug, Clone)]
enum Op {
    Insert(Reception),
    InsertMany(Vec<Reception>),
    Update(usize, Reception),
    Delete(usize),
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 11, 1).unwrap()
}

/// Records at any unit (by index into the unit list) on any date from
/// Nov 2024 to mid 2026; some are invalid (a new unit before it existed, or
/// zero turns) and must be refused.
fn reception(n_units: usize) -> impl Strategy<Value = (usize, Reception)> {
    (
        0..n_units,
        0i64..600,
        0usize..3,
        0usize..4,
        0usize..3,
        0i64..4,
        0i64..3,
        0i64..2,
    )
        .prop_map(|(u, d, k, c, o, turns, extra, deleg)| {
            (
                u,
                Reception {
                    unit_id: 0,
                    received_on: day0() + Duration::days(d),
                    official: String::new(),
                    position: String::new(),
                    kind: ReceptionKind::ALL[k],
                    content: ReceptionContent::ALL[c],
                    outcome: ReceptionOutcome::ALL[o],
                    turns,
                    persons: turns + extra,
                    delegations: deleg,
                    delegation_persons: deleg * turns,
                    petition_id: None,
                    note: String::new(),
                },
            )
        })
}

/// A raw operation: its kind, a record index, and placed records.
type RawOp = (u8, usize, Vec<(usize, Reception)>);

fn ops(n_units: usize) -> impl Strategy<Value = Vec<RawOp>> {
    prop::collection::vec(
        (
            0u8..10,
            0usize..1000,
            prop::collection::vec(reception(n_units), 1..6),
        ),
        20..120,
    )
}

fn to_op(units: &[Unit], (kind, idx, recs): RawOp) -> Op {
    let place = |(u, r): &(usize, Reception)| Reception {
        unit_id: units[*u].id,
        ..r.clone()
    };
    match kind {
        0..=3 => Op::Insert(place(&recs[0])),
        4..=5 => Op::InsertMany(recs.iter().map(place).collect()),
        6..=8 => Op::Update(idx, place(&recs[0])),
        _ => Op::Delete(idx),
    }
}

async fn apply(store: &Store, op: Op, ids: &mut Vec<i64>) {
    match op {
        Op::Insert(r) => {
            if let Ok(id) = reception::insert(store, &r).await {
                ids.push(id);
            }
        }
        Op::InsertMany(rs) => {
            if let Ok(new) = reception::insert_many(store, &rs).await {
                ids.extend(new);
            }
        }
        Op::Update(i, r) if !ids.is_empty() => {
            let _ = correct::reception(store, ids[i % ids.len()], &r).await;
        }
        Op::Delete(i) if !ids.is_empty() => {
            let id = ids.remove(i % ids.len());
            reception::delete(store, id)
                .await
                .unwrap_or_else(|e| panic!("delete {id}: {e}"));
        }
        _ => {}
    }
}

/// Brute force, independent of the fact code: the unit answering for a
/// record on its date, then whether the scope is on its path upwards.
fn raw_sum(
    units: &HashMap<i64, Unit>,
    recs: &[(i64, Reception)],
    scope: Option<i64>,
    r: DateRange,
) -> i64 {
    recs.iter()
        .filter(|(_, x)| r.contains(x.received_on))
        .filter(|(_, x)| {
            let mut u = &units[&x.unit_id];
            while let (Some(t), Some(s)) = (u.valid_to, u.successor_id) {
                if x.received_on <= t {
                    break;
                }
                u = &units[&s];
            }
            let Some(scope) = scope else { return true };
            loop {
                if u.id == scope {
                    return true;
                }
                match u.parent_id {
                    Some(p) => u = &units[&p],
                    None => return false,
                }
            }
        })
        .map(|(_, x)| x.turns)
        .sum()
}

async fn check_store(store: &Store) {
    let all = units::all(store).await.unwrap();
    let recs = reception::all(store).await.unwrap();
    let mut contributions: Vec<Contribution> = Vec::new();
    for (_, r) in &recs {
        r.contributions(&mut contributions);
    }
    let expected = facts::recount(&all, &contributions);
    let stored = facts::dump(store).await.unwrap();
    assert_eq!(stored.len(), expected.len(), "number of non-zero fact rows");
    assert_eq!(stored, expected, "facts differ from the recount");

    let by_id: HashMap<i64, Unit> = all.iter().map(|u| (u.id, u.clone())).collect();
    let mut ranges: Vec<DateRange> = Vec::new();
    for p in [
        "2025",
        "2025-H1",
        "2025-H2",
        "2025-Q3",
        "2025-07",
        "2024..2026",
        "2026-9M",
    ] {
        for cutoff in [false, true] {
            ranges.push(Period::parse(p, cutoff).unwrap().range());
        }
    }
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    for (a, b) in [
        ("2024-11-15", "2025-02-14"),
        ("2025-06-15", "2025-07-14"),
        ("2024-11-01", "2026-06-30"),
        ("2025-03-01", "2025-03-14"),
    ] {
        ranges.push(DateRange::new(d(a), d(b)));
    }
    let scopes: Vec<(Scope, Option<i64>)> = std::iter::once((Scope::Country, None))
        .chain(all.iter().map(|u| (Scope::of(u), Some(u.id))))
        .collect();
    for r in &ranges {
        for (scope, id) in &scopes {
            let t = facts::read(
                store,
                *scope,
                &[keys::TURNS, keys::PERSONS],
                *r,
                Detail::Totals,
            )
            .await
            .unwrap();
            assert_eq!(
                t.total(keys::TURNS),
                raw_sum(&by_id, &recs, *id, *r),
                "{scope:?} {r:?}"
            );
        }
        // Breakdowns add up to the total, per dimension.
        let (scope, _) = scopes[0];
        let t = facts::read(store, scope, &[keys::TURNS], *r, Detail::Breakdowns)
            .await
            .unwrap();
        for dim in ["kind", "content", "outcome"] {
            assert_eq!(
                t.by(keys::TURNS, dim).values().sum::<i64>(),
                t.total(keys::TURNS),
                "{dim}"
            );
        }
    }
    // A ragged range is refused, not answered by a scan.
    let ragged = DateRange::new(d("2025-03-03"), d("2025-03-20"));
    assert!(
        facts::read(
            store,
            Scope::Country,
            &[keys::TURNS],
            ragged,
            Detail::Totals
        )
        .await
        .is_err()
    );
}

/// Runs on `rt`, the runtime the store was opened on: a PostgreSQL pool
/// keeps its connections on the runtime that made them.
fn run_property(rt: &tokio::runtime::Runtime, store: Store, cases: u32) {
    let all = rt.block_on(danvan_testkit::units::load_tree(&store, TREE));
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let total_ops = std::cell::Cell::new(0usize);
    runner
        .run(&ops(all.len()), |raw| {
            total_ops.set(total_ops.get() + raw.len());
            rt.block_on(async {
                let mut ids: Vec<i64> = reception::all(&store)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect();
                for op in raw {
                    apply(&store, to_op(&all, op), &mut ids).await;
                }
                check_store(&store).await;
            });
            Ok(())
        })
        .unwrap();
    eprintln!("{} random record operations checked", total_ops.get());
    assert!(total_ops.get() >= 1000);
}

#[test]
fn facts_equal_recount_on_sqlite() {
    common::on_sqlite(|rt, store| run_property(rt, store, 40));
}

#[test]
fn facts_equal_recount_on_postgres() {
    common::on_postgres(|rt, store| run_property(rt, store, 25));
}

#[test]
fn a_bad_record_in_a_batch_writes_nothing() {
    common::block_on(async {
        for db in common::both().await {
            unit_import::import_csv(&db.store, TREE.as_bytes())
                .await
                .unwrap();
            let n1 = units::find(&db.store, "N1", None).await.unwrap();
            let good = Reception {
                unit_id: n1.id,
                received_on: NaiveDate::from_ymd_opt(2025, 8, 1).unwrap(),
                official: String::new(),
                position: String::new(),
                kind: ReceptionKind::Regular,
                content: ReceptionContent::Complaint,
                outcome: ReceptionOutcome::Guided,
                turns: 1,
                persons: 1,
                delegations: 0,
                delegation_persons: 0,
                petition_id: None,
                note: String::new(),
            };
            let early = Reception {
                received_on: NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
                ..good.clone()
            };
            let e = reception::insert_many(&db.store, &[good.clone(), early])
                .await
                .unwrap_err();
            assert!(
                e.to_string().contains("Dòng 2")
                    && e.to_string().contains("chỉ có từ ngày 01/07/2025"),
                "{e}"
            );
            let unknown = Reception {
                unit_id: 999_999,
                ..good.clone()
            };
            let e = reception::insert(&db.store, &unknown).await.unwrap_err();
            assert!(e.to_string().contains("không tìm thấy đơn vị"), "{e}");
            assert!(reception::all(&db.store).await.unwrap().is_empty());
            assert!(facts::dump(&db.store).await.unwrap().is_empty());
            db.finish().await;
        }
    });
}
