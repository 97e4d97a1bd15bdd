//! Random sequences of calls to the API and the pages, by random users of
//! every role at units of a small tree, on SQLite and PostgreSQL. After
//! every call:
//! (a) no answer shows a denouncer's identity to a user not assigned to
//!     the denunciation (each identity carries a tag, looked for in every
//!     body, JSON or HTML);
//! (b) no record, fact, account or log entry changed outside the caller's
//!     subtree, or of a kind the caller's role may not write; a refused
//!     call changed nothing;
//! (c) no answer is a 5xx;
//! and at the end (d) the facts equal a recount from the stored records.
//!
//! The router is called in-process; the seed is fixed, `PROPTEST_CASES`
//! changes the number of sequences.

#[path = "api_property/calls.rs"]
mod calls;
#[path = "api_property/world.rs"]
mod world;

use std::cell::RefCell;

use calls::{Payload, Req, Step};
use danvan_store::Store;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use world::Harness;

/// Calls per sequence.
const LEN: usize = 50;

fn cases(default: u32) -> (u32, bool) {
    match std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(n) => (n, true),
        None => (default, false),
    }
}

/// Runs on `rt`, the runtime the store was opened on.
fn run(rt: &tokio::runtime::Runtime, store: Store, default_cases: u32, minimum: usize) {
    let h = RefCell::new(rt.block_on(Harness::new(store)));
    let (cases, overridden) = cases(default_cases);
    let config = Config {
        cases,
        max_shrink_iters: 0,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let n_users = h.borrow().users.len();
    let result = runner.run(&calls::steps(n_users, LEN), |seq: Vec<Step>| {
        let mut h = h.borrow_mut();
        rt.block_on(async {
            for s in &seq {
                h.step(s).await;
                if let Some(f) = h.failures.first() {
                    return Err(TestCaseError::fail(f.clone()));
                }
            }
            Ok(())
        })
    });
    let mut h = h.into_inner();
    if let Err(e) = result {
        panic!(
            "after {} calls: {e}\n{} failure(s) in all:\n{}",
            h.calls,
            h.failures.len(),
            h.failures.join("\n")
        );
    }
    rt.block_on(h.finish());
    eprintln!(
        "{} random calls by {} users ({} succeeded, {} refused, {} page views): \
         no identity leaked, no change outside the caller's scope, no 5xx; \
         facts equal a recount",
        h.calls,
        h.users.len(),
        h.succeeded,
        h.refused,
        h.pages
    );
    if !overridden {
        assert!(
            h.calls >= minimum,
            "{} calls, fewer than {minimum}",
            h.calls
        );
    }
    assert!(h.succeeded * 10 >= h.calls, "too few calls succeeded");
    assert!(h.refused * 10 >= h.calls, "too few calls were refused");
}

#[test]
fn random_calls_keep_identities_and_scopes_on_sqlite() {
    let rt = danvan_testkit::runtime();
    let db = rt.block_on(danvan_testkit::sqlite());
    run(&rt, db.store.clone(), 200, 10_000);
    rt.block_on(db.finish());
}

#[test]
fn random_calls_keep_identities_and_scopes_on_postgres() {
    let rt = danvan_testkit::runtime();
    let Some(db) = rt.block_on(danvan_testkit::postgres()) else {
        return;
    };
    run(&rt, db.store.clone(), 40, 2_000);
    rt.block_on(db.finish());
}

/// The body of a request as text, to tell an echo of the caller's own
/// input (an identity they typed) from a leak.
fn sent_text(r: &Req) -> String {
    match &r.body {
        Payload::None => String::new(),
        Payload::Json(v) => v.to_string(),
        Payload::Form(f) => format!("{f:?}"),
    }
}
