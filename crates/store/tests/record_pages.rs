//! The record lists a page at a time, by key, on both engines: walking
//! every page (and back) returns each record exactly once, newest first;
//! a period and a unit's subtree hold; a deep page opened from its key
//! alone works; the same for meetings, models and the audit log.

mod common;

use std::collections::HashSet;

use danvan_store::audit::{self, Filter as AuditFilter};
use danvan_store::listing::IdCursor;
use danvan_store::{Store, meetings, models, reception, table, units};
use danvan_testkit::seed;

/// Every page forward from the first, `size` a page, through `read`
/// (which gets one more than a page): the ids in order.
async fn walk<F, Fut>(size: usize, read: F) -> Vec<i64>
where
    F: Fn(IdCursor) -> Fut,
    Fut: std::future::Future<Output = Vec<i64>>,
{
    let mut out = Vec::new();
    let mut cursor = IdCursor::First;
    loop {
        let mut ids = read(cursor).await;
        let more = ids.len() > size;
        ids.truncate(size);
        out.extend(&ids);
        match (more, ids.last()) {
            (true, Some(&k)) => cursor = IdCursor::Below(k),
            _ => return out,
        }
        assert!(out.len() < 100_000, "the pages never end");
    }
}

fn newest_first(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_by(|a, b| b.cmp(a));
    ids
}

#[test]
fn every_page_holds_each_record_once() {
    common::block_on(async {
        for db in common::both().await {
            let s: &Store = &db.store;
            danvan_testkit::units::load(s).await;
            let a = units::find(s, "24853", None).await.unwrap().id;
            let b = units::find(s, "24856", None).await.unwrap().id;
            let district = units::find(s, "674", None).await.unwrap().id;
            let mut recs = Vec::new();
            for i in 0..47u32 {
                let mut r = seed::reception(if i % 3 == 0 { b } else { a }, 1);
                r.received_on = seed::day(1 + i % 6, 1 + i % 20);
                recs.push(r);
            }
            let ids = reception::insert_many(s, &recs).await.unwrap();

            let page = |unit: Option<i64>, days, size: usize| {
                move |c: IdCursor| async move {
                    table::list_page::<danvan_core::records::reception::Reception>(
                        s,
                        unit,
                        days,
                        size as i64 + 1,
                        c,
                    )
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect::<Vec<i64>>()
                }
            };
            for size in [1, 5, 46, 47, 100] {
                let got = walk(size, page(None, None, size)).await;
                assert_eq!(got, newest_first(ids.clone()), "pages of {size}");
                assert_eq!(got.iter().collect::<HashSet<_>>().len(), ids.len());
            }
            // A unit's subtree and a period.
            let in_b: Vec<i64> = ids
                .iter()
                .zip(&recs)
                .filter(|(_, r)| r.unit_id == b)
                .map(|(id, _)| *id)
                .collect();
            assert_eq!(walk(4, page(Some(b), None, 4)).await, newest_first(in_b));
            let march = (seed::day(3, 1), seed::day(3, 31));
            let in_march: Vec<i64> = ids
                .iter()
                .zip(&recs)
                .filter(|(_, r)| (march.0..=march.1).contains(&r.received_on))
                .map(|(id, _)| *id)
                .collect();
            assert!(!in_march.is_empty());
            assert_eq!(
                walk(2, page(Some(district), Some(march), 2)).await,
                newest_first(in_march)
            );
            // A deep page from its key alone, and a page back up from it.
            let all = newest_first(ids.clone());
            let deep = page(None, None, 5)(IdCursor::Below(all[30])).await;
            assert_eq!(deep[..5], all[31..36]);
            let up = page(None, None, 5)(IdCursor::Above(all[31])).await;
            assert_eq!(
                up,
                all[25..31].to_vec(),
                "newest first, one more than a page"
            );

            // Meetings and models, by the same keys.
            let mut m_ids = Vec::new();
            for _ in 0..9 {
                m_ids.extend(meetings::insert_many(s, &[seed::meeting(a)]).await.unwrap());
            }
            let got = walk(2, |c| async move {
                meetings::list_page(s, None, 3, c)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id)
                    .collect()
            })
            .await;
            assert_eq!(got, newest_first(m_ids));
            let mut model_ids = Vec::new();
            for _ in 0..7 {
                model_ids.extend(models::insert_many(s, &[seed::model(a)]).await.unwrap());
            }
            let got = walk(3, |c| async move {
                models::list_page(s, Some(a), 4, c)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|(id, _, _)| id)
                    .collect()
            })
            .await;
            assert_eq!(got, newest_first(model_ids));

            // The audit log, older entries below a key.
            let everything = audit::list(
                s,
                &AuditFilter {
                    limit: Some(10_000),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let got = walk(6, |c| async move {
                let below = match c {
                    IdCursor::Below(k) => Some(k),
                    _ => None,
                };
                audit::list(
                    s,
                    &AuditFilter {
                        limit: Some(7),
                        below,
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect()
            })
            .await;
            assert_eq!(got, everything.iter().map(|e| e.id).collect::<Vec<_>>());
            db.finish().await;
        }
    });
}
