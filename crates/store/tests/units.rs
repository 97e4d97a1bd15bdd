//! Unit import and lookup on both engines: the fixture, bad files that write
//! nothing, the old and new trees.

mod common;

use danvan_store::StoreError;
use danvan_store::unit_import::import_csv;
use danvan_store::units;

use danvan_testkit::units::FIXTURE;

const HEADER: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code\n";

fn d(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn bad_rows(e: StoreError) -> Vec<String> {
    match e {
        StoreError::InvalidRows(rows) => rows.iter().map(|r| r.to_string()).collect(),
        other => panic!("expected row errors, got {other}"),
    }
}

#[test]
fn fixture_imports_and_answers_for_old_and_new_trees() {
    common::block_on(async {
        for db in common::both().await {
            let s = import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            assert!(s.inserted > 200, "{s:?}");
            // Importing the same file again changes nothing.
            let again = import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            assert_eq!(again.inserted, 0);
            let all = units::all(&db.store).await.unwrap();
            let kt = units::find(
                &db.store,
                "tỉnh kon tum",
                Some((d("2016-01-01"), d("2016-12-31"))),
            )
            .await
            .unwrap();
            assert_eq!(kt.full_name(), "tỉnh Kon Tum");
            let on = "2016-06-30".parse().unwrap();
            let districts: Vec<_> = all
                .iter()
                .filter(|u| u.parent_id == Some(kt.id) && u.valid_on(on))
                .collect();
            assert_eq!(districts.len(), 10);
            let communes = all
                .iter()
                .filter(|u| u.depth == 2 && u.province_id == kt.id && u.valid_on(on))
                .count();
            assert_eq!(communes, 102);
            let city = units::find(&db.store, "thành phố Quảng Ngãi", None)
                .await
                .unwrap();
            assert_eq!(city.code, "522");
            let dam_rong = units::find(&db.store, "dam rong", None).await.unwrap();
            assert_eq!(dam_rong.full_name(), "huyện Đam Rông");
            let da_tong = units::find(&db.store, "da tong", None).await.unwrap();
            assert!(
                units::is_within(&db.store, da_tong.id, dam_rong.id)
                    .await
                    .unwrap()
            );
            // After 1 July 2025 Kon Tum's communes answer to the new Quảng Ngãi.
            let new_qn = units::find(&db.store, "51-2025", None).await.unwrap();
            assert_eq!(
                units::find(
                    &db.store,
                    "Quảng Ngãi",
                    Some((d("2026-01-01"), d("2026-06-30")))
                )
                .await
                .unwrap()
                .id,
                new_qn.id
            );
            assert_eq!(kt.successor_id, Some(new_qn.id));
            db.finish().await;
        }
    });
}

/// A name of several units is an error that lists them (kind, parent,
/// code); a code, the kind word or "name, parent" chooses exactly.
#[test]
fn ambiguous_names_fail_and_list_the_candidates() {
    common::block_on(async {
        for db in common::both().await {
            import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            let years = Some((d("2021-01-01"), d("2023-12-31")));
            let e = units::find(&db.store, "Quảng Ngãi", years)
                .await
                .unwrap_err()
                .to_string();
            assert!(e.contains("ứng với 2 đơn vị, chưa chọn đơn vị nào"), "{e}");
            assert!(
                e.contains("\n  - tỉnh Quảng Ngãi (mã 51, đến 30/06/2025)"),
                "{e}"
            );
            assert!(
                e.contains(
                    "\n  - thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522, đến 30/06/2025)"
                ),
                "{e}"
            );
            let listed = units::candidates(&db.store, "quang ngai", years)
                .await
                .unwrap();
            let codes: Vec<&str> = listed.iter().map(|u| u.code.as_str()).collect();
            assert_eq!(codes, ["51", "522"]);
            for exact in [
                "522",
                "thành phố Quảng Ngãi",
                "TP Quảng Ngãi",
                "Quảng Ngãi, tỉnh Quảng Ngãi",
                "quang ngai, 51",
            ] {
                let u = units::find(&db.store, exact, years).await.unwrap();
                assert_eq!(u.code, "522", "{exact}");
            }
            let u = units::find(&db.store, "tỉnh Quảng Ngãi", years)
                .await
                .unwrap();
            assert_eq!(u.code, "51");
            // Without a period every unit of the name is a candidate: the
            // new province of 2025 too.
            let e = units::find(&db.store, "Quảng Ngãi", None)
                .await
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("ứng với 3 đơn vị") && e.contains("(mã 51-2025, từ 01/07/2025)"),
                "{e}"
            );
            // A commune named below a district and a province, several levels up.
            let u = units::find(&db.store, "Đạ Tông, Lâm Đồng", years)
                .await
                .unwrap();
            assert_eq!(u.code, "24853");
            db.finish().await;
        }
    });
}

#[test]
fn bad_files_name_every_bad_line_and_write_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let cases: Vec<(&str, String, &str)> = vec![
                (
                    "unknown parent",
                    format!("{HEADER}T1,Tỉnh A,tỉnh,,,,\nX1,Xã B,xã,T9,,,\n"),
                    "Dòng 3, cột «parent_code»: không tìm thấy đơn vị cấp trên «T9»",
                ),
                (
                    "duplicate code",
                    format!("{HEADER}T1,Tỉnh A,tỉnh,,,,\nT1,Tỉnh B,tỉnh,,,,\n"),
                    "Dòng 3, cột «code»: mã đơn vị «T1» trùng với dòng 2",
                ),
                (
                    "cycle",
                    format!("{HEADER}A,Huyện A,huyện,B,,,\nB,Huyện B,huyện,A,,,\n"),
                    "Dòng 2, cột «parent_code»: vòng lặp đơn vị cấp trên: A → B → A",
                ),
                (
                    "valid_to before valid_from",
                    format!("{HEADER}T1,Tỉnh A,tỉnh,,2020-01-01,2019-12-31,\n"),
                    "Dòng 2, cột «valid_to»: ngày hết hiệu lực 31/12/2019 trước ngày có hiệu lực 01/01/2020",
                ),
                (
                    "impossible date",
                    format!("{HEADER}T1,Tỉnh A,tỉnh,,2021-02-29,,\n"),
                    "Dòng 2, cột «valid_from»: ngày «2021-02-29» không hợp lệ",
                ),
                (
                    "unknown kind",
                    format!("{HEADER}T1,Tỉnh A,làng,,,,\n"),
                    "Dòng 2, cột «kind»: loại đơn vị «làng» không hợp lệ",
                ),
            ];
            for (what, csv, want) in cases {
                let before = units::all(&db.store).await.unwrap().len();
                let e = import_csv(&db.store, csv.as_bytes()).await.unwrap_err();
                let msgs = bad_rows(e);
                assert!(msgs.iter().any(|m| m.starts_with(want)), "{what}: {msgs:?}");
                assert_eq!(
                    units::all(&db.store).await.unwrap().len(),
                    before,
                    "{what}: something was written"
                );
            }
            // Several bad rows are all reported, good rows are not written.
            let csv = format!(
                "{HEADER}T1,Tỉnh A,tỉnh,,,,\nX1,Xã B,xã,T9,,,\nX2,Xã C,xóm,T1,,,\nX3,Xã D,xã,T1,,,\n"
            );
            let msgs = bad_rows(import_csv(&db.store, csv.as_bytes()).await.unwrap_err());
            assert_eq!(msgs.len(), 2, "{msgs:?}");
            assert!(
                msgs[0].starts_with("Dòng 3") && msgs[1].starts_with("Dòng 4"),
                "{msgs:?}"
            );
            assert!(units::all(&db.store).await.unwrap().is_empty());
            db.finish().await;
        }
    });
}

/// The unit tree is cached in the store: a unit imported through the
/// store, or through another store on the same database (another
/// process: `danvan units import` while `serve` runs), is seen by the
/// next read, by subtrees and by stores limited to a subtree.
#[test]
fn a_unit_change_is_seen_at_once() {
    common::block_on(async {
        for db in common::both().await {
            import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            let district = units::find(&db.store, "dam rong", None).await.unwrap();
            let scoped = db.store.within(district.id).await.unwrap();
            let before = units::all(&scoped).await.unwrap().len();
            assert!(units::find(&db.store, "99901", None).await.is_err());

            // Through the same store: the cached tree is dropped on commit,
            // even for a store that pinned it.
            let csv = format!("{HEADER}99901,Thử Một,xã,{},,2025-06-30,\n", district.code);
            import_csv(&db.store, csv.as_bytes()).await.unwrap();
            let new = units::find(&db.store, "99901", None).await.unwrap();
            assert_eq!(new.parent_id, Some(district.id));
            assert_eq!(units::all(&scoped).await.unwrap().len(), before + 1);
            assert_eq!(
                units::by_id(&scoped, new.id).await.unwrap(),
                Some(new.clone())
            );
            assert!(
                units::is_within(&db.store, new.id, district.id)
                    .await
                    .unwrap()
            );
            let again = db.store.within(district.id).await.unwrap();
            assert!(again.permits(new.id), "the new commune is in the subtree");
            assert!(
                !scoped.permits(new.id),
                "a scope is fixed when the store is made"
            );

            // Through another store on the same database.
            let other = danvan_store::Store::open(&db.url).await.unwrap();
            let csv = format!("{HEADER}99902,Thử Hai,xã,{},,2025-06-30,\n", district.code);
            import_csv(&other, csv.as_bytes()).await.unwrap();
            other.close().await;
            let second = units::find(&db.store, "99902", None).await.unwrap();
            assert_eq!(second.parent_id, Some(district.id));
            let pinned = db.store.within(district.id).await.unwrap();
            assert!(pinned.permits(second.id));
            assert_eq!(units::all(&pinned).await.unwrap().len(), before + 2);
            db.finish().await;
        }
    });
}

/// The data version a cache labels its results with moves with every
/// commit of this process at once, even for a store pinned earlier, and
/// with another process's writes as soon as it is read again.
/// Runs `attempt` until it reports its reads steady (nothing committed on
/// the server between them), at most 50 times.
async fn steady<T, F: std::future::Future<Output = (bool, T)>>(attempt: impl Fn() -> F) -> T {
    for _ in 0..50 {
        let (same, got) = attempt().await;
        if same {
            return got;
        }
    }
    panic!("the data version never stood still for two reads");
}

#[test]
fn data_versions_move_with_every_write() {
    common::block_on(async {
        for db in common::both().await {
            import_csv(&db.store, FIXTURE.as_bytes()).await.unwrap();
            let district = units::find(&db.store, "dam rong", None).await.unwrap();
            // On PostgreSQL the version is the server's snapshot, which other
            // tests' transactions on the shared server move at any moment:
            // an equality is asked of a pair read with nothing in between.
            let (request, v0) = steady(|| async {
                let r = db.store.within(district.id).await.unwrap();
                let v = db.store.data_version().await.unwrap();
                let same = r.pinned_version().unwrap() == v;
                (same, (r, v))
            })
            .await;
            assert!(db.store.pinned_version().is_none(), "never pinned");

            // A write of this process: seen by the pinned store too.
            let csv = format!("{HEADER}99911,Thử Ba,xã,{},,2025-06-30,\n", district.code);
            import_csv(&db.store, csv.as_bytes()).await.unwrap();
            let moved = request.pinned_version().unwrap();
            assert_ne!(moved, v0);
            let v1 = db.store.data_version().await.unwrap();
            assert_ne!(v1, v0);

            // Another process's write: seen when the version is read again.
            let other = danvan_store::Store::open(&db.url).await.unwrap();
            let csv = format!("{HEADER}99912,Thử Bốn,xã,{},,2025-06-30,\n", district.code);
            import_csv(&other, csv.as_bytes()).await.unwrap();
            other.close().await;
            let v2 = db.store.data_version().await.unwrap();
            assert_ne!(v2, v1);
            assert_eq!(
                request.pinned_version().unwrap(),
                moved,
                "as of the request"
            );
            // A new request is pinned at the version it reads.
            steady(|| async {
                let v = db.store.data_version().await.unwrap();
                let next = db.store.within(district.id).await.unwrap();
                let seen = next.pinned_version().unwrap();
                assert_ne!(seen, v1, "the other process's write is seen");
                (seen == v, ())
            })
            .await;
            db.finish().await;
        }
    });
}
