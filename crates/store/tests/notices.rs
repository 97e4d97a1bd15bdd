//! Thông báo: a petition two working days from its deadline reaches the
//! official assigned to it, and nobody else's list; an unassigned one
//! reaches the unit's handlers; opinions left unanswered show after the
//! agreed time; each user's choices hold, and bad ones are refused.

mod common;

use chrono::NaiveDate;
use danvan_core::records::meeting::FollowUp;
use danvan_core::records::petition::PetitionType;
use danvan_store::accounts::{Role, User};
use danvan_store::notices::{self, Preferences};
use danvan_store::petitions::Viewer;
use danvan_store::{Store, deadlines, meetings, petitions};
use danvan_testkit::{seed, units, users};

/// `user`'s own store, as the web gives it to them.
async fn as_user(store: &Store, user: &User) -> Store {
    let s = store.acting_as(user.actor());
    match user.unit_id {
        Some(u) => s.within(u).await.unwrap(),
        None => s,
    }
}

/// The day `n` working days before `d`.
async fn working_days_before(store: &Store, d: NaiveDate, n: i64) -> NaiveDate {
    let cal = deadlines::calendar(store).await.unwrap();
    let mut t = d;
    while cal.working_days_between(t, d) < n {
        t = t.pred_opt().unwrap();
    }
    t
}

async fn ids(store: &Store, user: &User, today: NaiveDate) -> (Vec<i64>, Vec<i64>) {
    let n = notices::for_user(&as_user(store, user).await, user, today)
        .await
        .unwrap();
    let ids = |l: &[petitions::DueItem]| l.iter().map(|i| i.id).collect::<Vec<_>>();
    (ids(&n.overdue), ids(&n.due_soon))
}

async fn check(store: &Store) {
    let commune = units::load_and_find(store, "24853").await;
    let other = units::id(store, "24856").await;
    let mine = users::user(store, "xuly1", Role::Handler, Some(commune)).await;
    let colleague = users::user(store, "xuly2", Role::Handler, Some(commune)).await;
    let elsewhere = users::user(store, "xuly3", Role::Handler, Some(other)).await;
    let viewer = users::user(store, "lanhdao", Role::Viewer, Some(commune)).await;

    let assigned = petitions::insert(store, &seed::petition(commune, PetitionType::Complaint))
        .await
        .unwrap();
    let open = petitions::insert(store, &seed::petition(commune, PetitionType::Denunciation))
        .await
        .unwrap();
    petitions::assign(store, assigned, mine.id).await.unwrap();
    let system = Viewer { official_id: 0 };
    let deadline = petitions::get(store, assigned, system)
        .await
        .unwrap()
        .petition
        .processing_deadline
        .expect("a handling deadline");
    let today = working_days_before(store, deadline, 2).await;

    // Two working days ahead, within the default three.
    let (overdue, soon) = ids(store, &mine, today).await;
    assert!(overdue.is_empty(), "{overdue:?}");
    assert_eq!(soon, vec![assigned, open], "assigned to them, and nobody's");
    // A colleague is reminded of the one nobody has, not of another's.
    let (_, soon) = ids(store, &colleague, today).await;
    assert_eq!(soon, vec![open]);
    // Other communes and roles that do not handle petitions: nothing.
    assert_eq!(ids(store, &elsewhere, today).await, (vec![], vec![]));
    assert_eq!(ids(store, &viewer, today).await, (vec![], vec![]));
    // Once past the deadline, overdue.
    let later = deadline.succ_opt().unwrap();
    let (overdue, soon) = ids(store, &mine, later).await;
    assert_eq!((overdue, soon), (vec![assigned, open], vec![]));

    // One working day of warning: two days ahead is not yet due soon.
    let me = as_user(store, &mine).await;
    let one = Preferences {
        soon_days: 1,
        ..Preferences::default()
    };
    notices::set_preferences(&me, &one).await.unwrap();
    assert_eq!(ids(store, &mine, today).await, (vec![], vec![]));
    // Petitions turned off altogether.
    let off = Preferences {
        petitions: false,
        ..Preferences::default()
    };
    notices::set_preferences(&me, &off).await.unwrap();
    assert_eq!(ids(store, &mine, later).await, (vec![], vec![]));
    assert_eq!(notices::preferences(store, mine.id).await.unwrap(), off);
    // Others keep their own.
    let (overdue, _) = ids(store, &colleague, later).await;
    assert_eq!(overdue, vec![open]);

    // Bad choices are refused in Vietnamese and change nothing.
    for (bad, says) in [
        (
            Preferences {
                email: "không phải địa chỉ".into(),
                ..off.clone()
            },
            "không hợp lệ",
        ),
        (
            Preferences {
                digest: true,
                ..off.clone()
            },
            "phải ghi địa chỉ thư điện tử",
        ),
        (
            Preferences {
                soon_days: 400,
                ..off.clone()
            },
            "tối đa 60 ngày",
        ),
    ] {
        danvan_testkit::refused_saying(notices::set_preferences(&me, &bad).await, says);
    }
    assert_eq!(notices::preferences(store, mine.id).await.unwrap(), off);
    // The server acts for nobody: it has no choices to save.
    danvan_testkit::refused_saying(notices::set_preferences(store, &off).await, "đã đăng nhập");

    // An opinion raised on 7 March waits; 30 days later it is due an answer.
    let meeting = meetings::insert_many(store, &[seed::meeting(commune)])
        .await
        .unwrap()[0];
    let held = seed::day(3, 7);
    let before = held.checked_add_days(chrono::Days::new(29)).unwrap();
    let after = held.checked_add_days(chrono::Days::new(30)).unwrap();
    let opinions =
        |n: notices::Notices| n.opinions.iter().map(|o| o.meeting_id).collect::<Vec<_>>();
    let cs = as_user(store, &colleague).await;
    let n = notices::for_user(&cs, &colleague, before).await.unwrap();
    assert!(opinions(n).is_empty());
    let n = notices::for_user(&cs, &colleague, after).await.unwrap();
    assert_eq!(n.opinions[0].waiting, 30);
    assert_eq!(opinions(n), vec![meeting]);
    let n = notices::for_user(&as_user(store, &elsewhere).await, &elsewhere, after)
        .await
        .unwrap();
    assert!(opinions(n).is_empty(), "another commune's meeting");
    // Answered, it is gone.
    danvan_testkit::correct::follow_up(store, meeting, 0, FollowUp::AnsweredInWriting)
        .await
        .unwrap();
    let n = notices::for_user(&cs, &colleague, after).await.unwrap();
    assert!(opinions(n).is_empty());
}

#[test]
fn notices_reach_whom_they_concern_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            db.finish().await;
        }
    });
}
