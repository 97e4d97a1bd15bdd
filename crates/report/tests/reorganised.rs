//! Figures across the reorganisation of 1 July 2025, on both engines, on
//! the national tree: records at old communes in 2025-H1 and at new ones
//! after; "cùng kỳ" of a new commune formed from three whole communes, of
//! one that received part of a divided commune, and the 2025 annual of the
//! new Quảng Ngãi province.

mod common;

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_core::records::reception::{Reception, ReceptionKind, keys};
use danvan_report::figures::Figures;
use danvan_report::{Catalogue, Request};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::unit_import::national;
use danvan_store::units::{self, Unit};
use danvan_store::{Store, reception};
use danvan_testkit::seed::{counted, official_of};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn unit(store: &Store, code: &str) -> Unit {
    units::find(store, code, None).await.unwrap()
}

/// `n` turns at `u` on `on`.
fn turns(u: &Unit, on: &str, n: i64) -> Reception {
    counted(u.id, d(on), ReceptionKind::Regular, n, n)
}

async fn figures(store: &Store, u: &Unit, period: &str) -> Figures {
    let p = Period::parse(period, false).unwrap();
    Figures::compute(store, Catalogue::shipped(), u, &p, true)
        .await
        .unwrap()
}

async fn recorded(store: &Store, u: &Unit, period: &str) -> i64 {
    let p = Period::parse(period, false).unwrap();
    facts::read(
        store,
        Scope::of(u),
        &[keys::TURNS],
        p.range(),
        Detail::Totals,
    )
    .await
    .unwrap()
    .total(keys::TURNS)
}

async fn text(store: &Store, u: &Unit, period: &str) -> String {
    let req = Request::new(u, Period::parse(period, false).unwrap()).compare(true);
    let r = danvan_report::build(store, Catalogue::shipped(), req)
        .await
        .unwrap();
    r.text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn comparisons_cross_the_reorganisation() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            national::import(s).await.unwrap();
            // xã Bình Minh (new) ← Bình Khương, Bình An, Bình Minh, whole.
            let (a, b, c) = (
                unit(s, "21058").await,
                unit(s, "21064").await,
                unit(s, "21085").await,
            );
            let binh_minh = unit(s, "21085-2025").await;
            // xã Trà Bùi was divided: 46,54% to Cà Đam, 53,46% to Tây Trà Bồng.
            let tra_tan = unit(s, "21136").await;
            let tra_bui = unit(s, "21142").await;
            let ca_dam = unit(s, "21136-2025").await;
            let tay_tra_bong = unit(s, "21157-2025").await;
            let duy_tan = unit(s, "23284").await; // Kon Tum
            let records = vec![
                turns(&a, "2025-03-10", 5),
                turns(&b, "2025-03-10", 7),
                turns(&c, "2025-06-16", 11),
                turns(&tra_tan, "2025-03-10", 10),
                turns(&tra_bui, "2025-03-10", 100),
                turns(&duy_tan, "2025-04-14", 9),
                turns(&binh_minh, "2025-09-15", 6),
                turns(&binh_minh, "2026-03-10", 4),
                turns(&ca_dam, "2026-02-02", 3),
            ];
            reception::insert_many(s, &records).await.unwrap();

            // Three whole communes: their 2025-H1 sum is the cùng kỳ.
            let f = figures(s, &binh_minh, "2026-H1").await;
            assert_eq!(f.all.count("reception_turns"), 4);
            assert_eq!(f.prev.as_ref().unwrap().count("reception_turns"), 23);
            assert!(f.reorganised.is_none(), "2026-H1 itself is as recorded");
            let note = f.prev_reorganised.as_ref().unwrap();
            assert_eq!(note.whole, ["xã Bình Khương", "xã Bình An", "xã Bình Minh"]);
            assert!(note.estimated.is_empty());
            // As recorded, the new commune had nothing in 2025-H1.
            assert_eq!(recorded(s, &binh_minh, "2025-H1").await, 0);
            let t = text(s, &binh_minh, "2026-H1").await;
            assert!(t.contains("so với cùng kỳ năm 2025 (4/23 lượt)"), "{t}");
            assert!(
                t.contains(
                    "Số liệu cùng kỳ năm 2025 được tính từ xã Bình Khương, xã Bình An, xã Bình Minh."
                ),
                "{t}"
            );

            // An official of the new commune reads its history the same
            // way; units it did not take over stay out of reach.
            let official = official_of(s, binh_minh.id).await;
            let f = figures(&official, &binh_minh, "2026-H1").await;
            assert_eq!(f.prev.as_ref().unwrap().count("reception_turns"), 23);
            let p = Period::parse("2025-H1", false).unwrap();
            let other = facts::read(
                &official,
                Scope::of(&tra_tan),
                &[keys::TURNS],
                p.range(),
                Detail::Totals,
            )
            .await;
            assert!(other.is_err(), "{other:?}");

            // Part of a divided commune: its share, marked as an estimate.
            let f = figures(s, &ca_dam, "2026-H1").await;
            assert_eq!(f.prev.as_ref().unwrap().count("reception_turns"), 10 + 47);
            let note = f.prev_reorganised.as_ref().unwrap();
            assert_eq!(note.whole, ["xã Trà Tân"]);
            assert_eq!(note.estimated, ["xã Trà Bùi (46,54%)"]);
            let t = text(s, &ca_dam, "2026-H1").await;
            assert!(
                t.contains(
                    "xã Trà Tân và một phần của xã Trà Bùi (46,54%) (số ước tính theo tỷ lệ)"
                ),
                "{t}"
            );
            let f = figures(s, &tay_tra_bong, "2026-H1").await;
            assert_eq!(f.prev.as_ref().unwrap().count("reception_turns"), 53);

            // The 2025 annual of the new Quảng Ngãi: old Quảng Ngãi and Kon
            // Tum's January–June plus its own July–December.
            let new_qn = unit(s, "51-2025").await;
            let (old_qn, kon_tum) = (unit(s, "51").await, unit(s, "62").await);
            let want = recorded(s, &old_qn, "2025-H1").await
                + recorded(s, &kon_tum, "2025-H1").await
                + recorded(s, &new_qn, "2025-H2").await;
            assert_eq!(want, 5 + 7 + 11 + 10 + 100 + 9 + 6);
            let f = figures(s, &new_qn, "2025").await;
            assert_eq!(f.all.count("reception_turns"), want);
            assert_eq!(recorded(s, &new_qn, "2025").await, 6, "as recorded");
            let note = f.reorganised.as_ref().unwrap();
            assert_eq!(note.since, "01/07/2025");
            assert_eq!(note.whole, ["tỉnh Quảng Ngãi", "tỉnh Kon Tum"]);
            // Its levels still add up to the whole.
            let levels: i64 = f
                .levels
                .iter()
                .map(|l| l.values.count("reception_turns"))
                .sum();
            assert_eq!(f.own.count("reception_turns") + levels, want);
            // The communes' level holds every commune's record, the part of
            // Trà Bùi in both of its successors.
            assert_eq!(levels, want);
            let t = text(s, &new_qn, "2025").await;
            assert!(
                t.contains("tỉnh Quảng Ngãi được thành lập từ ngày 01/07/2025; số liệu trước ngày này được tính từ tỉnh Quảng Ngãi, tỉnh Kon Tum."),
                "{t}"
            );

            // No reorganisation involved: as recorded, and no footnote.
            let f = figures(s, &old_qn, "2025-H1").await;
            assert_eq!(f.all.count("reception_turns"), 5 + 7 + 11 + 10 + 100);
            assert!(f.reorganised.is_none() && f.prev_reorganised.is_none());
            assert!(!text(s, &old_qn, "2025-H1").await.contains("Ghi chú:"));
            db.finish().await;
        }
    });
}
