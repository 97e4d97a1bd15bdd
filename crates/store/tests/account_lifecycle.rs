//! An account's life on both engines: deactivation ends sessions and
//! tokens at once, password changes and resets end sessions, tokens are
//! listed, revoked and expire, expired sessions and throttle rows are
//! purged — each step decided by the store and logged.

mod common;

use danvan_testkit::audit::actions;
use danvan_testkit::users::{PASSWORD, user};

use danvan_store::accounts::{self, PasswordError, Role, User};
use danvan_store::{Store, StoreError, units};

const ADDRESS: &str = "203.0.113.7";

async fn session(s: &Store, name: &str, password: &str) -> Option<String> {
    accounts::login(s, name, password, ADDRESS, 1)
        .await
        .unwrap()
        .ok()
        .map(|n| n.token)
}

/// Change the database behind the store's back (to age a token or a
/// throttle window), as another process would.
async fn sql(db: &common::TestDb, sql: &'static str) {
    use sqlx::Connection;
    if db.url.starts_with("postgres://") {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.url))
            .await
            .unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    }
}

async fn live(s: &Store, token: &str) -> bool {
    accounts::session(s, token).await.unwrap().is_some()
}

/// A commune with an administrator of its district, an officer and a
/// viewer.
struct Cast {
    admin: User,
    officer: User,
    viewer: User,
}

async fn cast(s: &Store) -> Cast {
    danvan_testkit::units::load(s).await;
    let commune = units::find(s, "24853", None).await.unwrap().id;
    Cast {
        admin: user(s, "quantri", Role::Admin, None).await,
        officer: user(s, "canbo", Role::Officer, Some(commune)).await,
        viewer: user(s, "lanhdao", Role::Viewer, Some(commune)).await,
    }
}

#[test]
fn a_deactivated_account_loses_its_sessions_and_tokens_at_once() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let c = cast(s).await;
            let as_admin = s.acting_as(c.admin.actor());
            let token = session(s, "canbo", PASSWORD).await.unwrap();
            let api = accounts::create_token(s, c.officer.id, "một cửa")
                .await
                .unwrap();
            // Only an administrator decides; nobody locks themself out.
            let as_viewer = s.acting_as(c.viewer.actor());
            let e = accounts::set_active(&as_viewer, c.officer.id, false)
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
            let e = accounts::set_active(&as_admin, c.admin.id, false)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("tự khoá"), "{e}");

            let u = accounts::set_active(&as_admin, c.officer.id, false)
                .await
                .unwrap();
            assert!(!u.active);
            assert!(!live(s, &token).await, "the session ends at once");
            assert!(accounts::token_user(s, &api).await.unwrap().is_none());
            assert!(session(s, "canbo", PASSWORD).await.is_none());
            // Reactivated, the user signs in again; the old token stays dead.
            accounts::set_active(&as_admin, c.officer.id, true)
                .await
                .unwrap();
            assert!(session(s, "canbo", PASSWORD).await.is_some());
            assert!(accounts::token_user(s, &api).await.unwrap().is_none());
            let log = actions(s, "user", c.officer.id).await;
            for want in ["deactivate", "reactivate"] {
                assert!(log.iter().any(|a| a == want), "{want} not in {log:?}");
            }
            db.finish().await;
        }
    })
}

#[test]
fn passwords_are_changed_with_the_current_one_and_reset_by_an_administrator() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let c = cast(s).await;
            let here = session(s, "canbo", PASSWORD).await.unwrap();
            let there = session(s, "canbo", PASSWORD).await.unwrap();
            let me = s.acting_as(c.officer.actor());

            let r = accounts::change_password(&me, "sai-mat-khau", "mat-khau-moi-1", Some(&here))
                .await
                .unwrap();
            assert_eq!(r.unwrap_err(), PasswordError::WrongCurrent);
            let e = accounts::change_password(&me, PASSWORD, "ngan", Some(&here))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("ít nhất 8 ký tự"), "{e}");
            assert!(live(s, &there).await, "a refused change ends nothing");

            accounts::change_password(&me, PASSWORD, "mat-khau-moi-1", Some(&here))
                .await
                .unwrap()
                .unwrap();
            assert!(live(s, &here).await, "the session that changed it stays");
            assert!(!live(s, &there).await, "every other session ends");
            assert!(session(s, "canbo", PASSWORD).await.is_none());
            assert!(session(s, "canbo", "mat-khau-moi-1").await.is_some());

            // Wrong current passwords are throttled like logins.
            for _ in 0..5 {
                let _ = accounts::change_password(&me, "sai", "mat-khau-moi-2", None).await;
            }
            let r = accounts::change_password(&me, "mat-khau-moi-1", "mat-khau-moi-2", None)
                .await
                .unwrap();
            assert!(matches!(r, Err(PasswordError::Throttled { .. })), "{r:?}");

            // A reset is an administrator's; it ends every session.
            let e = accounts::reset_password(&me, c.viewer.id, "mat-khau-cua-toi")
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
            let as_admin = s.acting_as(c.admin.actor());
            accounts::reset_password(&as_admin, c.officer.id, "mat-khau-dat-lai")
                .await
                .unwrap();
            assert!(!live(s, &here).await);
            assert!(session(s, "canbo", "mat-khau-dat-lai").await.is_some());
            let log = actions(s, "user", c.officer.id).await;
            for want in ["password_change", "password_reset"] {
                assert!(log.iter().any(|a| a == want), "{want} not in {log:?}");
            }
            db.finish().await;
        }
    })
}

#[test]
fn tokens_are_listed_revoked_and_expire() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let c = cast(s).await;
            let me = s.acting_as(c.officer.actor());
            let other = s.acting_as(c.viewer.actor());
            let as_admin = s.acting_as(c.admin.actor());
            let long = accounts::create_token_for(&me, c.officer.id, "báo cáo", 365)
                .await
                .unwrap();
            let short = accounts::create_token(&me, c.officer.id, "một cửa")
                .await
                .unwrap();
            let e = accounts::create_token_for(&me, c.officer.id, "quá hạn", 1000)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("thời hạn"), "{e}");
            // Nobody makes a token for someone else but an administrator.
            let e = accounts::create_token(&other, c.officer.id, "mượn")
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e}");

            let mine = accounts::list_tokens(&me, c.officer.id).await.unwrap();
            assert_eq!(mine.len(), 2);
            assert_eq!(mine[0].name, "một cửa");
            let days = |t: &accounts::TokenInfo| (t.expires_at.unwrap() - t.created_at).num_days();
            assert_eq!((days(&mine[0]), days(&mine[1])), (90, 365));
            assert!(mine.iter().all(|t| t.live() && t.last_used_at.is_none()));
            accounts::token_user(s, &short).await.unwrap().unwrap();
            let mine = accounts::list_tokens(&me, c.officer.id).await.unwrap();
            assert!(mine[0].last_used_at.is_some(), "use is recorded");

            // Another user neither lists nor revokes them; the
            // administrator does both.
            assert!(accounts::list_tokens(&other, c.officer.id).await.is_err());
            let e = accounts::revoke_token_id(&other, mine[0].id)
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::NotFound(_)), "{e}");
            assert!(accounts::list_all_tokens(&other).await.is_err());
            let all = accounts::list_all_tokens(&as_admin).await.unwrap();
            assert!(all.iter().any(|t| t.id == mine[0].id));
            assert!(
                accounts::revoke_token_id(&as_admin, mine[0].id)
                    .await
                    .unwrap()
            );
            assert!(accounts::token_user(s, &short).await.unwrap().is_none());
            // The owner revokes their own.
            assert!(accounts::revoke_token_id(&me, mine[1].id).await.unwrap());
            assert!(accounts::token_user(s, &long).await.unwrap().is_none());
            assert!(
                !accounts::revoke_token_id(&me, mine[1].id).await.unwrap(),
                "revoking twice changes nothing"
            );
            let log = actions(s, "api_token", mine[1].id).await;
            assert_eq!(log, ["revoke", "create"]);

            // An expired token is refused.
            let old = accounts::create_token_for(&me, c.officer.id, "cũ", 1)
                .await
                .unwrap();
            assert!(accounts::token_user(s, &old).await.unwrap().is_some());
            sql(
                &db,
                "UPDATE api_token SET expires_at = created_at WHERE name = 'cũ'",
            )
            .await;
            assert!(accounts::token_user(s, &old).await.unwrap().is_none());
            let listed = accounts::list_tokens(&me, c.officer.id).await.unwrap();
            assert!(!listed[0].live());
            db.finish().await;
        }
    })
}

#[test]
fn expired_sessions_and_old_throttle_rows_are_purged() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let c = cast(s).await;
            // A session of no hours is expired as it opens.
            let gone = accounts::login(s, "canbo", PASSWORD, ADDRESS, 0)
                .await
                .unwrap()
                .unwrap()
                .token;
            // (A new session of the same user would take the expired one
            // away itself: another user's stays.)
            let kept = session(s, "quantri", PASSWORD).await.unwrap();
            let _ = session(s, "lanhdao", "sai-mat-khau").await;
            sql(
                &db,
                "UPDATE login_throttle SET window_start = '2020-01-01 00:00:00'",
            )
            .await;
            let e = accounts::purge(&s.acting_as(c.viewer.actor()))
                .await
                .unwrap_err();
            assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
            let p = accounts::purge(s).await.unwrap();
            assert_eq!(p.sessions, 1);
            assert!(p.throttle >= 3, "{p:?}");
            assert!(!live(s, &gone).await);
            assert!(live(s, &kept).await);
            assert_eq!(accounts::purge(s).await.unwrap(), Default::default());
            assert_eq!(actions(s, "user", "expired").await, ["purge"]);
            db.finish().await;
        }
    })
}
