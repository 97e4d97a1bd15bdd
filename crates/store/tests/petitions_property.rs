//! Random petition lifecycles on SQLite and PostgreSQL: inserts at any
//! step, batch inserts, transitions (legal or not), whole updates, deletes
//! and cases — the live facts always equal a recount from the stored
//! records, and a refused operation changes no fact.

mod common;

use danvan_testkit::correct;

use chrono::{Duration, NaiveDate};
use danvan_core::calendar::deadline::Extension;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::period::DateRange;
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType, Sender, keys,
};
use danvan_store::Store;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::petitions::{self, Filter, Viewer};
use danvan_store::units::{self, Unit};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Two provinces merged on 1 July 2025 and one that never changed.
const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P1,Cũ Một,tỉnh,,,2025-06-30,PN
D1,Huyện Một,huyện,P1,,2025-06-30,PN
C1,Xã Một,xã,D1,,2025-06-30,N1
C2,Xã Hai,xã,D1,,2025-06-30,N1
PN,Mới,tỉnh,,2025-07-01,,
N1,Xã Mới Một,xã,PN,2025-07-01,,
Q,Không Đổi,tỉnh,,,,
Q1,Xã Bốn,xã,Q,,,
";

const NOBODY: Viewer = Viewer { official_id: 0 };

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 11, 1).unwrap()
}

/// The raw material of a random petition.
#[derive(Debug, Clone)]
struct Life {
    unit: usize,
    day: i64,
    kind: usize,
    channel: usize,
    steps: u8,
    eligible: bool,
    reason: usize,
    handling: usize,
    gaps: [i64; 3],
    outcome: usize,
    complex: bool,
    /// Tamper with the dates so validation must refuse it.
    bad: bool,
}

fn life(n_units: usize) -> impl Strategy<Value = Life> {
    (
        (
            0..n_units,
            0i64..640,
            0usize..3,
            0usize..4,
            0u8..4,
            any::<bool>(),
        ),
        (
            0usize..5,
            0usize..5,
            [0i64..40, 0i64..40, 0i64..60],
            0usize..4,
        ),
        (any::<bool>(), 0u8..12),
    )
        .prop_map(
            |(
                (unit, day, kind, channel, steps, eligible),
                (reason, handling, gaps, outcome),
                (complex, bad),
            )| {
                Life {
                    unit,
                    day,
                    kind,
                    channel,
                    steps,
                    eligible,
                    reason,
                    handling,
                    gaps,
                    outcome,
                    complex,
                    bad: bad == 0,
                }
            },
        )
}

fn outcome_for(kind: PetitionType, i: usize) -> Outcome {
    if kind == PetitionType::Recommendation {
        Outcome::Settled
    } else {
        [Outcome::Right, Outcome::Wrong, Outcome::PartlyRight][i % 3]
    }
}

/// Build the petition by walking the state machine as far as `steps`.
fn build(units: &[Unit], l: &Life) -> Petition {
    let kind = PetitionType::ALL[l.kind];
    let mut p = Petition::received(
        units[l.unit].id,
        day0() + Duration::days(l.day),
        PetitionChannel::ALL[l.channel],
        kind,
        PetitionField::ALL[l.day as usize % PetitionField::ALL.len()],
    );
    let mut on = p.received_on;
    if l.steps >= 1 {
        on += Duration::days(l.gaps[0]);
        let eligibility = if l.eligible {
            Eligibility::Eligible
        } else {
            Eligibility::Ineligible(IneligibleReason::ALL[l.reason])
        };
        p = p.apply(&Event::Classify { on, eligibility }).unwrap();
    }
    if l.steps >= 2 {
        on += Duration::days(l.gaps[1]);
        let handling = if l.eligible {
            Handling::ALL[l.handling]
        } else {
            Handling::Archived
        };
        let accepted = handling == Handling::Accepted;
        p = p
            .apply(&Event::Handle {
                on,
                handling,
                complex: accepted && l.complex,
                remote: accepted && l.day % 7 == 0,
            })
            .unwrap();
    }
    if l.steps >= 3 && p.handling == Some(Handling::Accepted) {
        on += Duration::days(l.gaps[2]);
        p = p
            .apply(&Event::Resolve {
                on,
                outcome: outcome_for(kind, l.outcome),
            })
            .unwrap();
    }
    if l.bad {
        // Resolution recorded before receipt, or a step without its date.
        if p.resolved_on.is_some() {
            p.resolved_on = Some(p.received_on - Duration::days(1));
        } else {
            p.classified_on = None;
            p.eligibility = Some(Eligibility::Eligible);
        }
    }
    p
}

#[derive(Debug, Clone)]
enum Op {
    Insert(Life),
    InsertMany(Vec<Life>),
    Step(usize, u8, Life),
    Update(usize, Life),
    Delete(usize),
    Case(Life),
}

fn ops(n_units: usize) -> impl Strategy<Value = Vec<Op>> {
    let one = (
        0u8..12,
        0usize..1000,
        prop::collection::vec(life(n_units), 1..5),
    )
        .prop_map(|(k, i, mut lives)| match k {
            0..=2 => Op::Insert(lives.remove(0)),
            3 => Op::InsertMany(lives),
            4..=7 => Op::Step(i, (i % 4) as u8, lives.remove(0)),
            8 => Op::Update(i, lives.remove(0)),
            9 => Op::Delete(i),
            _ => Op::Case(lives.remove(0)),
        });
    prop::collection::vec(one, 15..50)
}

/// A next step for a stored petition, legal or not.
fn event(p: &Petition, which: u8, l: &Life) -> Event {
    let last = danvan_testkit::seed::last_step(p);
    // Sometimes a date before the last step, which must be refused.
    let on = if l.bad {
        last - Duration::days(3)
    } else {
        last + Duration::days(l.gaps[0])
    };
    match which {
        0 => Event::Classify {
            on,
            eligibility: if l.eligible {
                Eligibility::Eligible
            } else {
                Eligibility::Ineligible(IneligibleReason::ALL[l.reason])
            },
        },
        1 => Event::Handle {
            on,
            handling: Handling::ALL[l.handling],
            complex: l.complex && l.handling == 3,
            remote: false,
        },
        2 => Event::Extend(Extension {
            decided_on: on,
            days: 10 + l.gaps[1] as u32,
            decision_no: format!("{}/QĐ", l.day),
        }),
        _ => Event::Resolve {
            on,
            outcome: outcome_for(p.kind, l.outcome),
        },
    }
}

async fn ids(store: &Store) -> Vec<i64> {
    petitions::list(store, &Filter::default(), NOBODY)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect()
}

/// Run one operation; when it is refused, no fact may have changed.
async fn apply(store: &Store, units: &[Unit], op: Op) -> (usize, usize) {
    let before = facts::dump(store).await.unwrap();
    let ok = match op {
        Op::Insert(l) => petitions::insert(store, &build(units, &l)).await.is_ok(),
        Op::InsertMany(ls) => {
            let ps: Vec<Petition> = ls.iter().map(|l| build(units, l)).collect();
            petitions::insert_many(store, &ps).await.is_ok()
        }
        Op::Step(i, which, l) => {
            let ids = ids(store).await;
            if ids.is_empty() {
                return (0, 0);
            }
            let id = ids[i % ids.len()];
            let p = petitions::get(store, id, NOBODY).await.unwrap().petition;
            petitions::transition(store, id, &event(&p, which, &l), NOBODY)
                .await
                .is_ok()
        }
        Op::Update(i, l) => {
            let ids = ids(store).await;
            if ids.is_empty() {
                return (0, 0);
            }
            // Sent as an unassigned reader reads it: the identity masked.
            let p = Petition {
                sender: Sender::masked(),
                ..build(units, &l)
            };
            correct::petition(store, ids[i % ids.len()], &p, NOBODY)
                .await
                .is_ok()
        }
        Op::Delete(i) => {
            let ids = ids(store).await;
            if ids.is_empty() {
                return (0, 0);
            }
            petitions::delete(store, ids[i % ids.len()]).await.unwrap();
            true
        }
        Op::Case(l) => {
            let c = Case {
                unit_id: units[l.unit].id,
                opened_on: day0() + Duration::days(l.day),
                title: format!("Vụ việc {}", l.day),
                complex: l.complex,
                crowd: l.eligible,
                prolonged: l.reason == 0,
                resolved_on: (l.steps >= 2).then(|| {
                    let d = day0() + Duration::days(l.day + l.gaps[2]);
                    if l.bad { d - Duration::days(90) } else { d }
                }),
            };
            let cases = petitions::all_cases(store).await.unwrap();
            if l.handling == 0 && !cases.is_empty() {
                let (id, _) = cases[l.outcome % cases.len()];
                correct::case(store, id, &c).await.is_ok()
            } else {
                petitions::insert_case(store, &c).await.is_ok()
            }
        }
    };
    if !ok {
        assert_eq!(
            facts::dump(store).await.unwrap(),
            before,
            "a refused operation changed facts"
        );
    }
    (usize::from(ok), usize::from(!ok))
}

async fn check_store(store: &Store) {
    let all = units::all(store).await.unwrap();
    let mut contributions: Vec<Contribution> = Vec::new();
    let stored = petitions::list(store, &Filter::default(), NOBODY)
        .await
        .unwrap();
    for p in &stored {
        p.petition.contributions(&mut contributions);
    }
    for (_, c) in petitions::all_cases(store).await.unwrap() {
        c.contributions(&mut contributions);
    }
    let expected = facts::recount(&all, &contributions);
    let got = facts::dump(store).await.unwrap();
    assert_eq!(got, expected, "facts differ from the recount");
    // The open stock at the end of time is the number of open petitions.
    let t = facts::read(
        store,
        Scope::Country,
        &[keys::OPEN, keys::IN_RESOLUTION, keys::RECEIVED],
        DateRange::up_to(NaiveDate::from_ymd_opt(2030, 12, 31).unwrap()),
        Detail::Totals,
    )
    .await
    .unwrap();
    let open = stored
        .iter()
        .filter(|p| p.petition.closed_on().is_none())
        .count() as i64;
    let in_resolution = stored
        .iter()
        .filter(|p| {
            p.petition.handling == Some(Handling::Accepted) && p.petition.resolved_on.is_none()
        })
        .count() as i64;
    assert_eq!(t.total(keys::OPEN), open);
    assert_eq!(t.total(keys::IN_RESOLUTION), in_resolution);
    assert_eq!(t.total(keys::RECEIVED), stored.len() as i64);
}

/// Runs on `rt`, the runtime the store was opened on: a PostgreSQL pool
/// keeps its connections on the runtime that made them.
fn run_property(rt: &tokio::runtime::Runtime, store: Store, cases: u32) {
    let all = rt.block_on(danvan_testkit::units::load_tree(&store, TREE));
    let mut runner = TestRunner::new(Config::with_cases(cases));
    let counts = std::cell::Cell::new((0usize, 0usize));
    runner
        .run(&ops(all.len()), |raw| {
            rt.block_on(async {
                for op in raw {
                    let (ok, refused) = apply(&store, &all, op).await;
                    let (a, b) = counts.get();
                    counts.set((a + ok, b + refused));
                }
                check_store(&store).await;
            });
            Ok(())
        })
        .unwrap();
    let (ok, refused) = counts.get();
    eprintln!("{ok} petition operations applied, {refused} refused, facts checked");
    assert!(
        ok >= 100 && refused >= 20,
        "{ok} applied, {refused} refused"
    );
}

#[test]
fn petition_facts_equal_recount_on_sqlite() {
    common::on_sqlite(|rt, store| run_property(rt, store, 24));
}

#[test]
fn petition_facts_equal_recount_on_postgres() {
    common::on_postgres(|rt, store| run_property(rt, store, 12));
}
