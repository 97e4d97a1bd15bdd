//! Accounts: passwords, sessions, throttling, API tokens, and the role
//! checked on every change — on both engines.

mod common;

use chrono::NaiveDate;
use danvan_core::records::petition::{Petition, PetitionChannel, PetitionField, PetitionType};
use danvan_store::accounts::{self, LoginError, MAX_FAILURES, NewUser, Role};
use danvan_store::{StoreError, petitions, units};

fn new_user(username: &str, role: Role, unit_id: Option<i64>) -> NewUser {
    NewUser {
        username: username.into(),
        full_name: format!("Cán bộ {username}"),
        password: "mat-khau-du-dai".into(),
        role,
        unit_id,
    }
}

fn petition(unit: i64) -> Petition {
    Petition::received(
        unit,
        NaiveDate::from_ymd_opt(2024, 3, 4).unwrap(),
        PetitionChannel::InPerson,
        PetitionType::Complaint,
        PetitionField::Land,
    )
}

#[test]
fn login_sessions_tokens_and_throttling() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            danvan_testkit::units::load(s).await;
            let commune = units::find(s, "24853", None).await.unwrap();
            let u = accounts::create(s, &new_user("Tong.CanBo", Role::Officer, Some(commune.id)))
                .await
                .unwrap();
            assert_eq!(
                u.username, "tong.canbo",
                "user names are kept in lower case"
            );

            // A short password and a taken name are refused next to their field.
            let mut short = new_user("khac", Role::Officer, Some(commune.id));
            short.password = "ngan".into();
            let e = accounts::create(s, &short).await.unwrap_err();
            assert!(e.to_string().contains("ít nhất 8 ký tự"), "{e}");
            let e = accounts::create(s, &new_user("tong.canbo", Role::Viewer, Some(commune.id)))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("đã có người dùng"), "{e}");
            // Only an administrator may be bound to no unit.
            let e = accounts::create(s, &new_user("vo.donvi", Role::Officer, None))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("phải gắn với một đơn vị"), "{e}");

            // The stored hash is Argon2id, never the password.
            let ok = accounts::login(s, "TONG.CANBO", "mat-khau-du-dai", "203.0.113.7", 1)
                .await
                .unwrap()
                .unwrap();
            let (who, csrf) = accounts::session(s, &ok.token).await.unwrap().unwrap();
            assert_eq!((who.id, csrf), (u.id, ok.csrf.clone()));
            accounts::logout(s, &ok.token).await.unwrap();
            assert!(accounts::session(s, &ok.token).await.unwrap().is_none());

            // Throttling: after MAX_FAILURES wrong passwords even the right
            // one is refused for a while.
            for _ in 0..MAX_FAILURES {
                let r = accounts::login(s, "tong.canbo", "sai-mat-khau", "203.0.113.7", 1)
                    .await
                    .unwrap();
                assert_eq!(r.unwrap_err(), LoginError::Wrong);
            }
            let r = accounts::login(s, "tong.canbo", "mat-khau-du-dai", "203.0.113.7", 1)
                .await
                .unwrap();
            assert!(matches!(r, Err(LoginError::Throttled { .. })), "{r:?}");
            assert!(r.unwrap_err().message().contains("thử lại sau"));

            // API tokens act as their user; an unknown one is nobody.
            let token = accounts::create_token(s, u.id, "Hệ thống một cửa")
                .await
                .unwrap();
            assert_eq!(
                accounts::token_user(s, &token).await.unwrap().unwrap().id,
                u.id
            );
            assert!(
                accounts::token_user(s, "dv_khong_co")
                    .await
                    .unwrap()
                    .is_none()
            );
            db.finish().await;
        }
    })
}

#[test]
fn a_role_changes_only_its_kinds_of_records() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            danvan_testkit::units::load(s).await;
            let commune = units::find(s, "24853", None).await.unwrap();
            let viewer = accounts::create(s, &new_user("lanh.dao", Role::Viewer, Some(commune.id)))
                .await
                .unwrap();
            let handler = accounts::create(s, &new_user("xu.ly", Role::Handler, Some(commune.id)))
                .await
                .unwrap();
            let as_viewer = s
                .acting_as(viewer.actor())
                .within(commune.id)
                .await
                .unwrap();
            let before =
                petitions::list(s, &Default::default(), petitions::Viewer { official_id: 0 })
                    .await
                    .unwrap()
                    .len();
            match petitions::insert(&as_viewer, &petition(commune.id)).await {
                Err(StoreError::Forbidden(m)) => assert!(m.contains("Lãnh đạo"), "{m}"),
                r => panic!("a viewer must not write: {r:?}"),
            }
            let after =
                petitions::list(s, &Default::default(), petitions::Viewer { official_id: 0 })
                    .await
                    .unwrap()
                    .len();
            assert_eq!(before, after, "a refused change writes nothing");

            let as_handler = s
                .acting_as(handler.actor())
                .within(commune.id)
                .await
                .unwrap();
            let id = petitions::insert(&as_handler, &petition(commune.id))
                .await
                .unwrap();
            // A handler may not create accounts.
            let e = accounts::create(
                &as_handler,
                &new_user("them", Role::Viewer, Some(commune.id)),
            )
            .await
            .unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
            // The change is logged with who made it.
            let log = danvan_testkit::audit::history(s, "petition", id).await;
            assert_eq!(log.len(), 1);
            assert_eq!(log[0].user_id, Some(handler.id));
            assert!(log[0].actor.contains("xu.ly"), "{}", log[0].actor);
            db.finish().await;
        }
    })
}
