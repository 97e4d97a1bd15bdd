//! Counts are bounded by the domain, and facts are integers that refuse
//! overflow, on both engines: an absurd count is refused by name; a sum
//! that would leave the range of a fact is refused and writes nothing,
//! where SQLite alone would silently have turned it into a REAL.

mod common;

use chrono::NaiveDate;
use danvan_core::records::reception::Reception;
use danvan_store::{StoreError, facts, reception, units};

/// The key the latest-year reads ask of.
const KEYS: &[&str] = &[danvan_core::records::reception::keys::TURNS];

fn reception_at(unit: i64, turns: i64) -> Reception {
    Reception {
        received_on: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
        ..danvan_testkit::seed::reception(unit, turns)
    }
}

#[test]
fn absurd_counts_and_overflowing_sums_are_refused() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            danvan_testkit::units::load(s).await;
            let commune = units::find(s, "24886-2025", None).await.unwrap().id;

            let e = reception::insert(s, &reception_at(commune, i64::MAX))
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::Invalid(_)), "{e}");
            assert!(e.to_string().contains("số lượt"), "{e}");
            assert!(facts::dump(s).await.unwrap().is_empty());

            // A fact one step from the top of its range, then a record that
            // would carry it over: refused, nothing written.
            reception::insert(s, &reception_at(commune, 1))
                .await
                .unwrap();
            let near = i64::MAX - 10;
            let sql = "UPDATE fact SET value = $1 WHERE key = 'reception.turns'";
            match &db.url {
                u if u.starts_with("postgres") => {
                    let pool = sqlx::PgPool::connect(u).await.unwrap();
                    sqlx::query(sql).bind(near).execute(&pool).await.unwrap();
                    pool.close().await;
                }
                u => {
                    let pool = sqlx::SqlitePool::connect(u).await.unwrap();
                    sqlx::query(sql).bind(near).execute(&pool).await.unwrap();
                    pool.close().await;
                }
            }
            let before = facts::dump(s).await.unwrap();
            let e = reception::insert(s, &reception_at(commune, 100))
                .await
                .unwrap_err();
            match &e {
                StoreError::Invalid(d) => assert_eq!(d.code, "fact.overflow", "{e}"),
                other => panic!("{}: {other}", db.url),
            }
            assert_eq!(facts::dump(s).await.unwrap(), before, "{}", db.url);
            assert_eq!(reception::list(s, None, 10).await.unwrap().len(), 1);
            db.finish().await;
        }
    });
}

/// The latest year with figures, on both engines: none before anything is
/// recorded, the record's year after, never a year past the one asked,
/// only of the keys asked, and refused outside the store's subtree.
#[test]
fn the_latest_year_with_figures() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            danvan_testkit::units::load(s).await;
            let commune = units::find(s, "24886-2025", None).await.unwrap();
            let province = units::by_id(s, commune.parent_id.unwrap())
                .await
                .unwrap()
                .unwrap();
            for u in [&commune, &province] {
                let got = facts::latest_year(s, facts::Scope::of(u), KEYS, 2026)
                    .await
                    .unwrap();
                assert_eq!(got, None, "{}", u.code);
            }
            reception::insert(s, &reception_at(commune.id, 2))
                .await
                .unwrap();
            for u in [&commune, &province] {
                let got = facts::latest_year(s, facts::Scope::of(u), KEYS, 2026)
                    .await
                    .unwrap();
                assert_eq!(got, Some(2026), "{}", u.code);
            }
            assert_eq!(
                facts::latest_year(s, facts::Scope::of(&province), KEYS, 2025)
                    .await
                    .unwrap(),
                None
            );
            // A key with no figure: no year.
            assert_eq!(
                facts::latest_year(s, facts::Scope::of(&province), &["mediation.cases"], 2026)
                    .await
                    .unwrap(),
                None
            );
            // Another province's reader asks of this one: refused.
            let other = danvan_testkit::units::id(s, "62").await;
            let outsider = s.within(other).await.unwrap();
            assert!(
                facts::latest_year(&outsider, facts::Scope::of(&province), KEYS, 2026)
                    .await
                    .is_err()
            );
            let country = units::Unit::country();
            assert_eq!(
                facts::latest_year(s, facts::Scope::of(&country), KEYS, 2026)
                    .await
                    .unwrap(),
                Some(2026)
            );
            db.finish().await;
        }
    });
}
