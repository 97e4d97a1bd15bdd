//! The national units on both engines: the whole country before and after
//! 1 July 2025, imported twice without change, merged with the demo's
//! units without duplicates and with their history kept; divided communes
//! with their shares.

mod common;

use chrono::NaiveDate;
use danvan_store::unit_import::merge::{merge_csv, set_shares};
use danvan_store::unit_import::{import_csv, national};
use danvan_store::units::{self, UnitTree, WHOLE};
use danvan_store::{Store, StoreError};
use danvan_testkit::units::FIXTURE;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Commune-level units below `root` valid on `on`, counted through units
/// valid that day.
fn communes_under(tree: &UnitTree, root: i64, on: NaiveDate) -> usize {
    tree.all()
        .iter()
        .filter(|u| u.parent_id == Some(root) && u.valid_on(on))
        .map(|u| {
            if u.kind.is_commune_level() {
                1
            } else {
                communes_under(tree, u.id, on)
            }
        })
        .sum()
}

/// A unit's successors with their shares.
fn shares_of(tree: &UnitTree, id: i64) -> Vec<(i64, u32)> {
    tree.successors(id)
        .iter()
        .map(|s| (s.unit_id, s.share))
        .collect()
}

async fn count_under(store: &Store, name: &str, on: &str) -> usize {
    let on = d(on);
    let u = units::find(store, name, Some((on, on))).await.unwrap();
    communes_under(&units::tree(store).await.unwrap(), u.id, on)
}

#[test]
fn the_whole_country_before_and_after_the_reorganisation() {
    common::block_on(async {
        for db in common::both().await {
            let s = national::import(&db.store).await.unwrap();
            assert_eq!(s.inserted, 14_149, "{s:?}");
            assert_eq!((s.present, s.divided), (0, 471), "{s:?}");
            assert!(s.kept.is_empty(), "{:?}", s.kept);
            let tree = units::tree(&db.store).await.unwrap();
            let roots = |on: &str| -> Vec<i64> {
                tree.all()
                    .iter()
                    .filter(|u| u.parent_id.is_none() && u.valid_on(d(on)))
                    .map(|u| u.id)
                    .collect()
            };
            assert_eq!(roots("2026-01-01").len(), 34);
            let communes = |on: &str| -> usize {
                roots(on)
                    .into_iter()
                    .map(|r| communes_under(&tree, r, d(on)))
                    .sum()
            };
            assert_eq!(communes("2026-01-01"), 3_321);
            assert_eq!(roots("2025-06-30").len(), 63);
            assert_eq!(communes("2025-06-30"), 10_035);
            assert_eq!(
                count_under(&db.store, "tỉnh Quảng Ngãi", "2026-01-01").await,
                96
            );
            assert_eq!(
                count_under(&db.store, "tỉnh Lâm Đồng", "2026-01-01").await,
                124
            );
            assert_eq!(
                count_under(&db.store, "huyện Quỳ Hợp", "2025-06-30").await,
                21
            );
            // Paths and provinces are those of the tree.
            let phuc_xa = units::find(&db.store, "00001", None).await.unwrap();
            let hanoi = units::find(&db.store, "01", None).await.unwrap();
            assert_eq!(phuc_xa.province_id, hanoi.id);
            assert_eq!(phuc_xa.depth, 2);
            assert!(
                units::is_within(&db.store, phuc_xa.id, hanoi.id)
                    .await
                    .unwrap()
            );
            let new_hanoi = units::find(&db.store, "01-2025", None).await.unwrap();
            assert_eq!(hanoi.successor_id, Some(new_hanoi.id));
            assert_eq!(new_hanoi.province_id, new_hanoi.id);

            // A divided commune: phường Cống Vị (00007) went to Ngọc Hà
            // (00008) and Giảng Võ (00025), by their areas.
            let cong_vi = units::find(&db.store, "00007", None).await.unwrap();
            let ngoc_ha = units::find(&db.store, "00008-2025", None).await.unwrap();
            let giang_vo = units::find(&db.store, "00025-2025", None).await.unwrap();
            let shares = tree.successors(cong_vi.id);
            let got: Vec<(i64, u32)> = shares.iter().map(|s| (s.unit_id, s.share)).collect();
            assert_eq!(got, vec![(ngoc_ha.id, 5076), (giang_vo.id, 4924)]);
            assert!(shares.iter().all(|s| s.is_part()));
            assert!(
                got.iter().any(|(id, _)| Some(*id) == cong_vi.successor_id),
                "the answering successor is one of the shares"
            );
            assert!(
                tree.predecessors(giang_vo.id)
                    .iter()
                    .any(|p| p.unit_id == cong_vi.id && p.share == 4924)
            );
            // Every divided commune's shares add up to the whole.
            let divided = tree
                .all()
                .iter()
                .filter(|u| tree.successors(u.id).iter().any(|s| s.is_part()))
                .count();
            assert_eq!(divided, 471);
            // The new Quảng Ngãi took over two whole provinces, not their
            // districts as well; Lý Sơn's đặc khu took over the district.
            let qn = units::find(&db.store, "51-2025", None).await.unwrap();
            let mut preds: Vec<String> = tree
                .predecessors(qn.id)
                .iter()
                .map(|p| format!("{}:{}", tree.get(p.unit_id).unwrap().code, p.share))
                .collect();
            preds.sort();
            assert_eq!(preds, ["51:10000", "62:10000"]);
            let ly_son = units::find(&db.store, "đặc khu Lý Sơn", None)
                .await
                .unwrap();
            let p = tree.predecessors(ly_son.id);
            assert_eq!(p.len(), 1);
            assert_eq!(tree.get(p[0].unit_id).unwrap().full_name(), "huyện Lý Sơn");
            assert_eq!(p[0].share, WHOLE);

            // A second run changes nothing.
            let before = tree.all().len();
            let again = national::import(&db.store).await.unwrap();
            assert_eq!(
                (again.inserted, again.linked, again.divided),
                (0, 0, 0),
                "{again:?}"
            );
            assert_eq!(again.present, 14_149);
            assert!(again.kept.is_empty(), "{:?}", again.kept);
            let tree = units::tree(&db.store).await.unwrap();
            assert_eq!(tree.all().len(), before);
            assert_eq!(tree.successors(cong_vi.id).len(), 2);
            db.finish().await;
        }
    });
}

#[test]
fn merging_with_the_demo_keeps_its_history_and_adds_no_duplicate() {
    common::block_on(async {
        for db in common::both().await {
            import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            let demo = units::all(&db.store).await.unwrap();
            let s = national::import(&db.store).await.unwrap();
            // Every demo unit agrees with the national list.
            assert!(s.kept.is_empty(), "{:?}", s.kept);
            // The demo's units are found, not added again: three of its
            // units are history the national list does not hold (xã Nghĩa
            // An and Nghĩa Phú before An Phú was formed in 2025, xã Đắk
            // Long before Măng Đen in 2019).
            let all = units::all(&db.store).await.unwrap();
            assert_eq!(all.len(), 14_149 + 3);
            assert_eq!(s.present, demo.len() - 3, "{s:?}");
            for u in &demo {
                let now = all.iter().find(|a| a.id == u.id).unwrap();
                assert_eq!(now, u, "a demo unit is kept as it was");
            }
            // The history of thành phố Quảng Ngãi: 23 units in 2021–2023,
            // 22 by June 2025.
            assert_eq!(count_under(&db.store, "522", "2022-06-30").await, 23);
            assert_eq!(count_under(&db.store, "522", "2025-06-30").await, 22);
            assert_eq!(
                count_under(&db.store, "tỉnh Kon Tum", "2016-06-30").await,
                102
            );
            // …and the whole new provinces around the demo's communes.
            assert_eq!(
                count_under(&db.store, "tỉnh Quảng Ngãi", "2026-01-01").await,
                96
            );
            assert_eq!(
                count_under(&db.store, "tỉnh Lâm Đồng", "2026-01-01").await,
                124
            );
            // xã Đưng K'Nớ of Lạc Dương, not in the demo, now goes to the
            // demo's Đam Rông 4.
            let dr4 = units::find(&db.store, "24853-2025", None).await.unwrap();
            let tree = units::tree(&db.store).await.unwrap();
            let names: Vec<String> = tree
                .predecessors(dr4.id)
                .iter()
                .map(|p| tree.get(p.unit_id).unwrap().name.clone())
                .collect();
            assert_eq!(names.len(), 3, "{names:?}");
            // Again: nothing changes.
            let again = national::import(&db.store).await.unwrap();
            assert_eq!((again.inserted, again.linked, again.divided), (0, 0, 0));
            assert_eq!(units::all(&db.store).await.unwrap().len(), all.len());
            db.finish().await;
        }
    });
}

fn bad_rows(e: StoreError) -> Vec<String> {
    match e {
        StoreError::InvalidRows(rows) => rows.iter().map(|r| r.to_string()).collect(),
        other => panic!("expected row errors, got {other}"),
    }
}

const HEADER: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code\n";
const SHARES: &str = "code,successor_code,area_km2,share\n";

#[test]
fn a_merge_that_cannot_be_done_writes_nothing() {
    common::block_on(async {
        for db in common::both().await {
            import_csv(
                &db.store,
                format!("{HEADER}T1,Tây,tỉnh,,,,\nX1,Đông,xã,T1,,,\n").as_bytes(),
            )
            .await
            .unwrap();
            let before = units::all(&db.store).await.unwrap();
            // A stored code used for a unit of another level, a parent and a
            // successor found nowhere, shares that name an unknown unit.
            let file = format!(
                "{HEADER}X1,Đông,tỉnh,,,2025-06-30,N1\nA,An,xã,Q9,,2025-06-30,N1\nN1,Mới,tỉnh,,2025-07-01,,\nB,Bình,xã,T1,,2025-06-30,Z9\n"
            );
            let e = merge_csv(&db.store, file.as_bytes(), SHARES.as_bytes())
                .await
                .unwrap_err();
            let rows = bad_rows(e);
            assert!(rows.iter().any(|r| r.contains("«Q9»")), "{rows:?}");
            assert!(rows.iter().any(|r| r.contains("«Z9»")), "{rows:?}");
            let file = format!("{HEADER}X1,Đông,tỉnh,,,2025-06-30,N1\nN1,Mới,tỉnh,,2025-07-01,,\n");
            let e = merge_csv(&db.store, file.as_bytes(), SHARES.as_bytes())
                .await
                .unwrap_err();
            let rows = bad_rows(e);
            assert!(
                rows.iter().any(|r| r.contains("đã dùng cho xã Đông")),
                "{rows:?}"
            );
            let shares = format!("{SHARES}X1,N1,1.5,0.5\nX1,W,,0.5\n");
            let file = format!("{HEADER}N1,Mới,tỉnh,,2025-07-01,,\n");
            let e = merge_csv(&db.store, file.as_bytes(), shares.as_bytes())
                .await
                .unwrap_err();
            let rows = bad_rows(e);
            assert!(rows.iter().any(|r| r.contains("«W»")), "{rows:?}");
            assert_eq!(units::all(&db.store).await.unwrap(), before);

            // Matched by name, kind and unit above where the codes differ:
            // the stored commune, which ended without a successor, gets the
            // one it lacked and its shares; nothing is added twice.
            import_csv(
                &db.store,
                format!("{HEADER}X3,Bắc,xã,T1,,2025-06-30,\n").as_bytes(),
            )
            .await
            .unwrap();
            let file = format!(
                "{HEADER}T1,Tây,tỉnh,,,,\n88,Bac,xã,T1,,2025-06-30,N2\nN1,Mới,tỉnh,,2025-07-01,,\nN2,Mới 2,xã,N1,2025-07-01,,\nN3,Mới 3,xã,N1,2025-07-01,,\n"
            );
            let shares = format!("{SHARES}88,N2,3,0.6\n88,N3,2,0.4\n");
            let s = merge_csv(&db.store, file.as_bytes(), shares.as_bytes())
                .await
                .unwrap();
            assert_eq!(
                (s.inserted, s.present, s.linked, s.divided),
                (3, 2, 1, 1),
                "{s:?}"
            );
            assert!(units::find(&db.store, "88", None).await.is_err());
            let x3 = units::find(&db.store, "X3", None).await.unwrap();
            let n2 = units::find(&db.store, "N2", None).await.unwrap();
            let n3 = units::find(&db.store, "N3", None).await.unwrap();
            assert_eq!(x3.successor_id, Some(n2.id));
            let tree = units::tree(&db.store).await.unwrap();
            let got: Vec<(i64, u32)> = shares_of(&tree, x3.id);
            assert_eq!(got, vec![(n2.id, 6000), (n3.id, 4000)]);
            let again = merge_csv(&db.store, file.as_bytes(), shares.as_bytes())
                .await
                .unwrap();
            assert_eq!(
                (again.inserted, again.present, again.linked, again.divided),
                (0, 5, 0, 0),
                "{again:?}"
            );
            assert!(again.kept.is_empty(), "{:?}", again.kept);

            // An administrator sets other shares: they replace the stored
            // ones. Shares for a unit that answers to none of the units
            // named, or for an unknown unit, are refused and change nothing.
            let s = set_shares(
                &db.store,
                format!("{SHARES}X3,N2,,70%\nX3,N3,,30%\n").as_bytes(),
            )
            .await
            .unwrap();
            assert_eq!(s.divided, 1);
            let tree = units::tree(&db.store).await.unwrap();
            let got: Vec<(i64, u32)> = shares_of(&tree, x3.id);
            assert_eq!(got, vec![(n2.id, 7000), (n3.id, 3000)]);
            for bad in [
                format!("{SHARES}X3,N3,,0.5\nX1,N2,,0.5\n"),
                format!("{SHARES}T1,N2,,0.5\nT1,N3,,0.5\n"),
                format!("{SHARES}X3,N3,,0.5\nX3,Q7,,0.5\n"),
            ] {
                assert!(
                    set_shares(&db.store, bad.as_bytes()).await.is_err(),
                    "{bad}"
                );
            }
            let after = units::tree(&db.store).await.unwrap();
            assert_eq!(after.successors(x3.id), tree.successors(x3.id));
            db.finish().await;
        }
    });
}
