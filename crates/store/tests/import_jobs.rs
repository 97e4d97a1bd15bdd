//! Import jobs kept in the database, on both engines: a job is read back
//! by its starter only, with its progress and outcome, through any store
//! opened on the database; a running job whose server stopped beating
//! reads as interrupted.

mod common;

use danvan_store::accounts::Role;
use danvan_store::import_jobs::{self, JobState};
use danvan_store::{Store, StoreError};

async fn set_beat_back(db: &common::TestDb, id: i64) {
    // The heartbeat two minutes ago: what a killed server leaves.
    let sql = "UPDATE import_job SET beat_at = $1 WHERE id = $2";
    let old = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(2);
    if db.url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        sqlx::query(sql)
            .bind(old)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    } else {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.url))
            .await
            .unwrap();
        sqlx::query(sql)
            .bind(old)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
}

#[test]
fn jobs_are_kept_in_the_database_for_their_starter() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let commune = danvan_testkit::units::load_and_find(s, "24853").await;
            let me = danvan_testkit::users::user(s, "nhap.tep", Role::Officer, Some(commune)).await;
            let other =
                danvan_testkit::users::user(s, "nguoi.khac", Role::Officer, Some(commune)).await;
            let mine = s.acting_as(me.actor());
            let theirs = s.acting_as(other.actor());

            // The system (no user) starts no web job.
            assert!(matches!(
                import_jobs::start(s, "receptions", "a.csv", 2).await,
                Err(StoreError::Forbidden(_))
            ));
            let done = import_jobs::start(&mine, "receptions", "a.csv", 2)
                .await
                .unwrap();
            let refused = import_jobs::start(&mine, "petitions", "b.csv", 5)
                .await
                .unwrap();
            let cut = import_jobs::start(&mine, "dossiers", "c.csv", 9)
                .await
                .unwrap();
            import_jobs::progress(&mine, done, 2).await.unwrap();
            import_jobs::finish(&mine, done, Ok("Đã nhập 2 lượt.".into()))
                .await
                .unwrap();
            import_jobs::finish(&mine, refused, Err(vec!["Dòng 3: sai ngày".into()]))
                .await
                .unwrap();
            import_jobs::progress(&mine, cut, 4).await.unwrap();

            // Read through another store on the same database: another
            // server, or this one after a restart.
            let again = Store::open(&db.url).await.unwrap();
            let mine_again = again.acting_as(me.actor());
            let j = import_jobs::get(&mine_again, done).await.unwrap().unwrap();
            assert_eq!(j.state, JobState::Done);
            assert!(j.finished);
            assert_eq!((j.rows_done, j.rows_total), (2, 2));
            assert_eq!(j.summary.as_deref(), Some("Đã nhập 2 lượt."));
            let j = import_jobs::get(&mine_again, refused)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(j.state, JobState::Rejected);
            assert_eq!(j.errors, vec!["Dòng 3: sai ngày".to_string()]);
            let j = import_jobs::get(&mine_again, cut).await.unwrap().unwrap();
            assert_eq!(j.state, JobState::Running);
            assert!(!j.finished);
            assert_eq!(j.rows_done, 4);

            // Newest first, and only the starter's.
            let ids: Vec<i64> = import_jobs::of_user(&mine_again, 10)
                .await
                .unwrap()
                .iter()
                .map(|j| j.id)
                .collect();
            assert_eq!(ids, vec![cut, refused, done]);
            assert!(import_jobs::get(&theirs, done).await.unwrap().is_none());
            assert!(import_jobs::of_user(&theirs, 10).await.unwrap().is_empty());
            assert!(import_jobs::get(s, done).await.unwrap().is_none());

            // The server running `cut` stops beating: interrupted.
            set_beat_back(&db, cut).await;
            let j = import_jobs::get(&mine_again, cut).await.unwrap().unwrap();
            assert_eq!(j.state, JobState::Interrupted);
            assert!(j.finished);
            again.close().await;
            db.finish().await;
        }
    });
}
