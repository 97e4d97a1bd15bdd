//! The disclosure board on both engines: an item's status (published,
//! missing, overdue) for a year; a district's overview of its communes;
//! what is up today for the public page; scope (a commune's officer writes
//! only its own board); bad input refused with nothing written.

use chrono::NaiveDate;
use danvan_core::disclosure::{Keep, Place, Publication, ScheduleSlot, Status};
use danvan_store::accounts::Role;
use danvan_store::disclosure;
use danvan_store::{Actor, Store, StoreError, units};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plan(on: NaiveDate) -> Publication {
    Publication {
        item: "ke-hoach-kt-xh".into(),
        title: "Kế hoạch phát triển kinh tế - xã hội năm 2025".into(),
        published_on: on,
        places: vec![Place::Web, Place::Noticeboard],
        keep: Keep::Days(30),
        link: "https://datong.lamdong.gov.vn/ke-hoach-2025".into(),
        document: "15/KH-UBND".into(),
        taken_down_on: None,
    }
}

fn status_of<'a>(lines: &'a [disclosure::BoardLine], code: &str) -> &'a Status {
    &lines.iter().find(|l| l.item.code == code).unwrap().status
}

async fn officer(sys: &Store, unit: i64) -> Store {
    sys.acting_as(Actor {
        user_id: Some(7),
        name: "Cán bộ xã".into(),
        role: Some(Role::Officer),
    })
    .within(unit)
    .await
    .unwrap()
}

async fn count(store: &Store, unit: i64) -> usize {
    disclosure::of_unit(store, unit).await.unwrap().len()
}

async fn run(sys: &Store) {
    danvan_testkit::units::load(sys).await;
    sys.set_clock(Some(d(2025, 6, 1).and_hms_opt(9, 0, 0).unwrap()));
    let da_tong = units::find(sys, "24853", None).await.unwrap().id;
    let da_long = units::find(sys, "24856", None).await.unwrap().id;
    let district = units::find(sys, "674", None).await.unwrap().id;
    let here = officer(sys, da_tong).await;

    // Nothing yet: every required item is missing.
    let board = disclosure::board(&here, da_tong, 2025).await.unwrap();
    assert_eq!(status_of(&board, "ke-hoach-kt-xh"), &Status::Missing);

    // Posted on 10 March, taken down on 1 April: before its 30 days.
    let early = disclosure::record(&here, da_tong, &plan(d(2025, 3, 10)))
        .await
        .unwrap();
    disclosure::take_down(&here, early, d(2025, 4, 1))
        .await
        .unwrap();
    let board = disclosure::board(&here, da_tong, 2025).await.unwrap();
    assert!(
        matches!(status_of(&board, "ke-hoach-kt-xh"), Status::Overdue { reason } if reason.contains("01/04/2025")),
        "{board:?}"
    );
    // Posted again on 2 April and still up: published until 1 May.
    disclosure::record(&here, da_tong, &plan(d(2025, 4, 2)))
        .await
        .unwrap();
    let board = disclosure::board(&here, da_tong, 2025).await.unwrap();
    assert_eq!(
        status_of(&board, "ke-hoach-kt-xh"),
        &Status::Published {
            published_on: d(2025, 4, 2),
            until: Some(d(2025, 5, 1)),
            taken_down_on: None
        }
    );
    // The schedule of leaders, on the same board.
    disclosure::add_slot(
        &here,
        da_tong,
        &ScheduleSlot {
            leader: "Nguyễn Văn Chủ".into(),
            position: "Chủ tịch UBND xã".into(),
            when: "Thứ Năm hằng tuần, 7 giờ 30 – 11 giờ".into(),
            place: "Phòng tiếp công dân, trụ sở UBND xã".into(),
        },
    )
    .await
    .unwrap();

    // The public page: only what is up today.
    let now = disclosure::public_now(sys, da_tong).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].publication.published_on, d(2025, 4, 2));
    assert_eq!(disclosure::schedule(sys, da_tong).await.unwrap().len(), 1);

    // The district sees which commune lacks what.
    let over = disclosure::overview(sys, district, 2025).await.unwrap();
    let mine = over.iter().find(|c| c.unit_id == da_tong).unwrap();
    let other = over.iter().find(|c| c.unit_id == da_long).unwrap();
    assert_eq!(mine.published, 1);
    assert!(
        !mine
            .missing
            .iter()
            .any(|m| m.starts_with("Kế hoạch phát triển"))
    );
    assert!(
        other
            .missing
            .iter()
            .any(|m| m.starts_with("Kế hoạch phát triển"))
    );
    assert!(over.iter().all(|c| c.unit_id != district));

    // Scope: the sibling's board is not the officer's to write or read.
    assert!(matches!(
        disclosure::record(&here, da_long, &plan(d(2025, 4, 2))).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        disclosure::board(&here, da_long, 2025).await,
        Err(StoreError::NotFound(_))
    ));
    let theirs = disclosure::record(sys, da_long, &plan(d(2025, 4, 2)))
        .await
        .unwrap();
    assert!(
        disclosure::take_down(&here, theirs, d(2025, 5, 2))
            .await
            .is_err()
    );
    assert_eq!(
        disclosure::get(sys, theirs)
            .await
            .unwrap()
            .publication
            .taken_down_on,
        None
    );
    assert!(matches!(
        disclosure::overview(&here, district, 2025).await,
        Err(StoreError::NotFound(_))
    ));

    // Bad input: named, and nothing written.
    let before = count(sys, da_tong).await;
    let history = danvan_testkit::audit::of_entity(sys, "disclosure")
        .await
        .len();
    let mut future = plan(d(2025, 6, 2));
    let e = disclosure::record(&here, da_tong, &future)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("chưa đến"), "{e}");
    future.published_on = d(2025, 5, 1);
    future.item = "khong-co".into();
    let e = disclosure::record(&here, da_tong, &future)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("không có trong danh mục"), "{e}");
    let mut backwards = plan(d(2025, 5, 10));
    backwards.taken_down_on = Some(d(2025, 5, 9));
    let e = disclosure::record(&here, da_tong, &backwards)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("trước ngày công khai"), "{e}");
    let e = disclosure::record(&here, district, &plan(d(2025, 5, 1)))
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    let e = disclosure::record(sys, district, &plan(d(2025, 5, 1)))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("không phải cấp xã"), "{e}");
    let up = disclosure::public_now(sys, da_tong).await.unwrap()[0].id;
    let e = disclosure::take_down(&here, up, d(2025, 4, 1))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("trước ngày công khai"), "{e}");
    let e = disclosure::take_down(&here, early, d(2025, 5, 1))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("đã được ghi gỡ xuống"), "{e}");
    assert!(
        disclosure::add_slot(
            &here,
            da_tong,
            &ScheduleSlot {
                leader: " ".into(),
                position: "Chủ tịch".into(),
                when: "Thứ Hai".into(),
                place: "Trụ sở".into(),
            },
        )
        .await
        .is_err()
    );
    assert_eq!(count(sys, da_tong).await, before);
    assert_eq!(disclosure::schedule(sys, da_tong).await.unwrap().len(), 1);
    assert_eq!(
        danvan_testkit::audit::of_entity(sys, "disclosure")
            .await
            .len(),
        history
    );
    assert_eq!(
        disclosure::get(sys, up)
            .await
            .unwrap()
            .publication
            .taken_down_on,
        None
    );
}

#[tokio::test]
async fn disclosure_on_sqlite() {
    let db = danvan_testkit::sqlite().await;
    run(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn disclosure_on_postgres() {
    if let Some(db) = danvan_testkit::postgres().await {
        run(&db.store).await;
        db.finish().await;
    }
}
