//! Login throttling on both engines: counted before the password is
//! checked and in one statement, so parallel guesses cannot pass the
//! limit; per account and address, per account, and per address across
//! accounts; and the same work and answer whether or not a name exists.
//! Passwords checked are read from the store's own counter of Argon2
//! checks, and agree with the `Wrong` answers (a throttled answer checks
//! nothing).

mod common;

use danvan_store::accounts::{self, LoginError, MAX_FAILURES, NewUser, Role, throttle};
use danvan_store::{Store, units};

const PASSWORD: &str = "mat-khau-du-dai";

async fn setup(s: &Store, names: &[&str]) {
    danvan_testkit::units::load(s).await;
    let commune = units::find(s, "24853", None).await.unwrap();
    for name in names {
        accounts::create(
            s,
            &NewUser {
                username: (*name).into(),
                full_name: format!("Cán bộ {name}"),
                password: PASSWORD.into(),
                role: Role::Officer,
                unit_id: Some(commune.id),
            },
        )
        .await
        .unwrap();
    }
}

async fn login(s: &Store, name: &str, password: &str, address: &str) -> Result<(), LoginError> {
    accounts::login(s, name, password, address, 1)
        .await
        .unwrap()
        .map(|_| ())
}

#[test]
fn a_hundred_parallel_guesses_check_no_more_than_the_limit() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s, &["canbo"]).await;
            let before = s.password_checks();
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..100 {
                let s = s.clone();
                set.spawn(async move { login(&s, "canbo", "sai-mat-khau", "203.0.113.7").await });
            }
            let (mut wrong, mut throttled) = (0, 0);
            while let Some(r) = set.join_next().await {
                match r.unwrap() {
                    Err(LoginError::Wrong) => wrong += 1,
                    Err(LoginError::Throttled { .. }) => throttled += 1,
                    Ok(()) => panic!("a wrong password let someone in"),
                }
            }
            let checked = s.password_checks() - before;
            assert_eq!(
                (checked, wrong, throttled),
                (MAX_FAILURES as u64, MAX_FAILURES, 100 - MAX_FAILURES),
                "{:?}: passwords checked, wrong answers, throttled answers",
                s.engine()
            );
            db.finish().await;
        }
    })
}

#[test]
fn one_address_spraying_many_accounts_is_stopped() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s, &["canbo", "lanhdao"]).await;
            let before = s.password_checks();
            // One password tried on many names, real or not, once each.
            for i in 0..throttle::PER_ADDRESS.max + 10 {
                let _ = login(s, &format!("nguoi{i}"), "MatKhau@2025", "198.51.100.9").await;
            }
            let checked = s.password_checks() - before;
            assert_eq!(
                checked,
                throttle::PER_ADDRESS.max as u64,
                "{:?}",
                s.engine()
            );
            // The address is held back even with a right password…
            let r = login(s, "canbo", PASSWORD, "198.51.100.9").await;
            assert!(matches!(r, Err(LoginError::Throttled { .. })), "{r:?}");
            // …and no other address is.
            login(s, "lanhdao", PASSWORD, "192.0.2.44").await.unwrap();
            db.finish().await;
        }
    })
}

#[test]
fn the_owner_signs_in_from_another_address_during_an_attack() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s, &["canbo", "thuky"]).await;
            for _ in 0..50 {
                let _ = login(s, "canbo", "sai-mat-khau", "203.0.113.7").await;
            }
            let r = login(s, "canbo", PASSWORD, "203.0.113.7").await;
            assert!(matches!(r, Err(LoginError::Throttled { .. })), "{r:?}");
            // The guesser's refused attempts do not count against the
            // account, so its owner, elsewhere, gets in.
            login(s, "canbo", PASSWORD, "192.0.2.44").await.unwrap();

            // Guesses from many addresses meet the looser per-account
            // limit: together they check at most that many passwords.
            let before = s.password_checks();
            for a in 0..10 {
                for _ in 0..MAX_FAILURES {
                    let _ = login(s, "thuky", "sai", &format!("10.0.0.{a}")).await;
                }
            }
            let checked = s.password_checks() - before;
            assert_eq!(
                checked,
                throttle::PER_ACCOUNT.max as u64,
                "{:?}",
                s.engine()
            );
            db.finish().await;
        }
    })
}

#[test]
fn unknown_names_cost_and_answer_as_wrong_passwords() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s, &["canbo", "daxoa"]).await;
            let daxoa = accounts::by_username(s, "daxoa").await.unwrap();
            accounts::set_active(s, daxoa.id, false).await.unwrap();
            let mut answers = Vec::new();
            for (name, password) in [
                ("canbo", "sai-mat-khau"),
                ("khong.co.ai", "sai-mat-khau"),
                ("daxoa", PASSWORD),
            ] {
                let before = s.password_checks();
                let r = login(s, name, password, "203.0.113.7").await.unwrap_err();
                assert_eq!(
                    s.password_checks() - before,
                    1,
                    "{name}: Argon2 ran once ({:?})",
                    s.engine()
                );
                answers.push(r.message());
            }
            assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
            assert_eq!(answers[0], "Tên đăng nhập hoặc mật khẩu không đúng.");
            // Throttled, a real and an unknown name read the same.
            let mut throttled = Vec::new();
            for name in ["canbo", "khong.co.ai"] {
                for _ in 0..=MAX_FAILURES {
                    let _ = login(s, name, "sai-mat-khau", "192.0.2.1").await;
                }
                throttled.push(
                    login(s, name, "sai-mat-khau", "192.0.2.1")
                        .await
                        .unwrap_err()
                        .message(),
                );
            }
            assert_eq!(throttled[0], throttled[1]);
            assert!(
                throttled[0].contains("thử lại sau 15 phút"),
                "{throttled:?}"
            );
            db.finish().await;
        }
    })
}
