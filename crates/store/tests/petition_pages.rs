//! The petition list a page at a time, on both engines: walking every
//! page forward (and back) returns each matching petition exactly once,
//! in the list's order; filters, the status read from the columns and
//! the search hold; a deep page opened from its key alone works; and a
//! denouncer's name is neither shown nor found by an unassigned reader.

mod common;

use std::collections::HashSet;

use chrono::NaiveDate;
use danvan_core::records::petition::{
    Eligibility, IneligibleReason, PetitionStatus, PetitionType, Sender,
};
use danvan_core::text::fold;
use danvan_store::accounts::{self, Role};
use danvan_store::petitions::{self, Cursor, Filter, PageKey, StoredPetition, Viewer};
use danvan_store::{Store, units};
use danvan_testkit::seed;

const NOBODY: Viewer = Viewer { official_id: 0 };
const DENOUNCER: &str = "Trần Tố Giác";

/// 61 petitions over two communes, several on each day (so the order's
/// tie on the day is broken by number), of every type and of three
/// statuses; every seventh a denunciation by [`DENOUNCER`].
async fn fill(s: &Store, a: i64, b: i64) -> Vec<i64> {
    let mut all = Vec::new();
    for i in 0..61u32 {
        let kind = if i % 7 == 0 {
            PetitionType::Denunciation
        } else {
            PetitionType::ALL[i as usize % PetitionType::ALL.len()]
        };
        let mut p = seed::petition(if i % 2 == 0 { a } else { b }, kind);
        p.received_on = NaiveDate::from_ymd_opt(2024, 1 + i % 5, 1 + i % 4).unwrap();
        p.summary = format!("Đơn số {i} về đường liên thôn");
        if kind == PetitionType::Denunciation {
            p.sender = Sender {
                name: DENOUNCER.into(),
                address: "Thôn Bí Mật".into(),
                phone: "0900000000".into(),
            };
        }
        match i % 3 {
            1 => {
                p.classified_on = Some(p.received_on);
                p.eligibility = Some(Eligibility::Eligible);
            }
            2 => {
                p.classified_on = Some(p.received_on);
                p.eligibility = Some(Eligibility::Ineligible(IneligibleReason::ALL[0]));
            }
            _ => {}
        }
        all.push(p);
    }
    petitions::insert_many(s, &all).await.unwrap()
}

/// Every page from the first, forward: the rows, and the keys walked.
async fn walk(
    s: &Store,
    f: &Filter,
    words: Option<&str>,
    size: usize,
    v: Viewer,
) -> Vec<StoredPetition> {
    let mut out = Vec::new();
    let mut cursor = Cursor::First;
    let mut pages = 0;
    loop {
        let page = petitions::page(s, f, words, cursor, size, v).await.unwrap();
        assert!(page.rows.len() <= size);
        if pages > 0 {
            assert!(page.previous.is_some(), "a later page links back");
        }
        out.extend(page.rows);
        pages += 1;
        assert!(pages < 1000, "the pages never end");
        match page.next {
            Some(k) => cursor = Cursor::After(k),
            None => return out,
        }
    }
}

fn key(p: &StoredPetition) -> PageKey {
    PageKey {
        received_on: p.petition.received_on,
        id: p.id,
    }
}

/// What the list must hold: every petition `list` gives, newest received
/// first, then highest number.
async fn expected(s: &Store, f: &Filter, v: Viewer) -> Vec<i64> {
    let mut all = petitions::list(s, f, v).await.unwrap();
    all.sort_by_key(|p| std::cmp::Reverse(key(p)));
    all.iter().map(|p| p.id).collect()
}

#[test]
fn every_page_in_turn_holds_each_petition_once_and_filters_hold() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            danvan_testkit::units::load(s).await;
            let a = units::find(s, "24853", None).await.unwrap().id;
            let b = units::find(s, "24856", None).await.unwrap().id;
            let ids = fill(s, a, b).await;

            // Forward through every page, at several page sizes.
            let all = Filter::default();
            let want = expected(s, &all, NOBODY).await;
            assert_eq!(want.len(), ids.len());
            for size in [1, 7, 10, 61, 100] {
                let got: Vec<i64> = walk(s, &all, None, size, NOBODY)
                    .await
                    .iter()
                    .map(|p| p.id)
                    .collect();
                assert_eq!(got, want, "pages of {size}");
                let unique: HashSet<i64> = got.iter().copied().collect();
                assert_eq!(unique.len(), got.len(), "a petition repeated");
            }

            // Back from the last page to the first.
            let mut pages = Vec::new();
            let mut cursor = Cursor::First;
            loop {
                let p = petitions::page(s, &all, None, cursor, 10, NOBODY)
                    .await
                    .unwrap();
                pages.push(p.rows.iter().map(|r| r.id).collect::<Vec<_>>());
                match p.next {
                    Some(k) => cursor = Cursor::After(k),
                    None => break,
                }
            }
            let mut back = pages.len() - 1;
            let mut first_of = petitions::page(s, &all, None, cursor, 10, NOBODY)
                .await
                .unwrap()
                .previous;
            while let Some(k) = first_of {
                back -= 1;
                let p = petitions::page(s, &all, None, Cursor::Before(k), 10, NOBODY)
                    .await
                    .unwrap();
                assert_eq!(p.rows.iter().map(|r| r.id).collect::<Vec<_>>(), pages[back]);
                first_of = p.previous;
            }
            assert_eq!(back, 0, "walking back ends on the first page");

            // A deep page opened from its key alone.
            let k = PageKey::parse(
                &PageKey {
                    received_on: petitions::get(s, want[40], NOBODY)
                        .await
                        .unwrap()
                        .petition
                        .received_on,
                    id: want[40],
                }
                .param(),
            )
            .unwrap();
            let deep = petitions::page(s, &all, None, Cursor::After(k), 5, NOBODY)
                .await
                .unwrap();
            assert_eq!(
                deep.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
                want[41..46].to_vec()
            );

            // Filters: a unit's subtree, a type, each status, a search.
            let mut filters = vec![
                Filter {
                    unit: Some(a),
                    ..Default::default()
                },
                Filter {
                    kind: Some(PetitionType::Denunciation),
                    ..Default::default()
                },
                Filter {
                    unit: Some(b),
                    kind: Some(PetitionType::ALL[1]),
                    ..Default::default()
                },
            ];
            for st in PetitionStatus::ALL {
                filters.push(Filter {
                    status: Some(*st),
                    ..Default::default()
                });
            }
            for f in &filters {
                let want = expected(s, f, NOBODY).await;
                let got = walk(s, f, None, 4, NOBODY).await;
                assert_eq!(got.iter().map(|p| p.id).collect::<Vec<_>>(), want, "{f:?}");
                if let Some(st) = f.status {
                    assert!(got.iter().all(|p| p.petition.status() == st), "{f:?}");
                }
                let n = petitions::count(s, f, None, NOBODY).await.unwrap();
                assert_eq!(n, Some(want.len() as i64), "{f:?}");
            }
            let per_status: usize = {
                let mut n = 0;
                for st in PetitionStatus::ALL {
                    let f = Filter {
                        status: Some(*st),
                        ..Default::default()
                    };
                    n += walk(s, &f, None, 50, NOBODY).await.len();
                }
                n
            };
            assert_eq!(per_status, ids.len(), "each petition has one status");
            // A search: folded words, all of them, in the summary or number.
            let found = walk(s, &all, Some("DUONG lien thon so 1"), 3, NOBODY).await;
            let mut want: Vec<i64> = Vec::new();
            for p in petitions::list(s, &all, NOBODY).await.unwrap() {
                if fold(&p.petition.summary).contains('1') || p.id.to_string().contains('1') {
                    want.push(p.id);
                }
            }
            let mut got: Vec<i64> = found.iter().map(|p| p.id).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want);

            // A denouncer is not shown, nor found by name, for a reader not
            // assigned; the assigned handler finds and sees them.
            let handler = accounts::create(
                s,
                &accounts::NewUser {
                    username: "xuly.datong".into(),
                    full_name: "Cán bộ xử lý đơn".into(),
                    password: "mat-khau-du-dai".into(),
                    role: Role::Handler,
                    unit_id: Some(a),
                },
            )
            .await
            .unwrap()
            .id;
            let every = walk(s, &all, None, 9, NOBODY).await;
            assert!(
                every
                    .iter()
                    .all(|p| !p.petition.sender.name.contains("Tố Giác"))
            );
            assert!(
                every
                    .iter()
                    .filter(|p| p.petition.kind == PetitionType::Denunciation)
                    .all(|p| p.identity_masked)
            );
            assert!(walk(s, &all, Some("to giac"), 9, NOBODY).await.is_empty());
            assert!(walk(s, &all, Some("bi mat"), 9, NOBODY).await.is_empty());
            assert_eq!(
                petitions::count(s, &all, Some("to giac"), NOBODY)
                    .await
                    .unwrap(),
                Some(0)
            );
            let denounced = expected(
                s,
                &Filter {
                    unit: Some(a),
                    kind: Some(PetitionType::Denunciation),
                    ..Default::default()
                },
                NOBODY,
            )
            .await;
            petitions::assign(s, denounced[0], handler).await.unwrap();
            let me = Viewer {
                official_id: handler,
            };
            let found = walk(s, &all, Some("to giac"), 9, me).await;
            assert_eq!(
                found.iter().map(|p| p.id).collect::<Vec<_>>(),
                vec![denounced[0]]
            );
            assert_eq!(found[0].petition.sender.name, DENOUNCER);
            db.finish().await;
        }
    });
}
