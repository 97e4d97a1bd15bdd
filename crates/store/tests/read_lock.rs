//! Reads take no write lock on SQLite: while another connection holds
//! the write lock (an import running in another process), a record, a
//! meeting, a model and a data set are still read at once, as they were
//! before the write began (WAL), and the database opens.

mod common;

use std::time::Duration;

use danvan_core::records::dataset::{DataSet, PeriodType};
use danvan_store::{datasets, meetings, models, reception};
use danvan_testkit::seed;
use sqlx::Connection;

/// Far below the store's busy timeout (30 s): a read that waited for the
/// write lock would run out of it.
const PATIENCE: Duration = Duration::from_secs(5);

#[test]
fn reads_go_on_while_another_connection_holds_the_write_lock() {
    common::block_on(async {
        let db = common::sqlite().await;
        let s = &db.store;
        let unit = danvan_testkit::units::load_and_find(s, "24853").await;
        let rec = reception::insert(s, &seed::reception(unit, 3))
            .await
            .unwrap();
        let meeting = meetings::insert_many(s, &[seed::meeting(unit)])
            .await
            .unwrap()[0];
        let (m, years) = seed::model(unit);
        let model = models::insert_many(s, &[(m, years)]).await.unwrap()[0];
        let set = DataSet {
            code: "dan_van".into(),
            name: "Công tác dân vận".into(),
            period_type: PeriodType::Year,
            elements: vec!["hop_dan".into()],
        };
        let element = seed::counted_element("hop_dan", "Số buổi họp dân", "buổi");
        seed::define_data(s, &[element], &set).await;

        // Another writer takes the write lock and keeps it.
        let mut writer = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.url))
            .await
            .unwrap();
        sqlx::raw_sql("BEGIN IMMEDIATE; UPDATE reception SET turns = 99")
            .execute(&mut writer)
            .await
            .unwrap();

        let got = tokio::time::timeout(PATIENCE, reception::get(s, rec))
            .await
            .expect("a record read must not wait for the write lock")
            .unwrap();
        assert_eq!(got.turns, 3, "the read sees the data before the write");
        tokio::time::timeout(PATIENCE, meetings::get(s, meeting))
            .await
            .expect("a meeting read must not wait for the write lock")
            .unwrap();
        tokio::time::timeout(PATIENCE, models::get(s, model))
            .await
            .expect("a model read must not wait for the write lock")
            .unwrap();
        tokio::time::timeout(PATIENCE, datasets::get_set(s, "dan_van"))
            .await
            .expect("a data set read must not wait for the write lock")
            .unwrap();
        let sets = tokio::time::timeout(PATIENCE, datasets::sets(s))
            .await
            .expect("the data sets read must not wait for the write lock")
            .unwrap();
        assert_eq!(sets.len(), 1);
        // Opening the up-to-date database (a report from the command line,
        // a second server) reads its migrations and rules, writes nothing.
        let opened = tokio::time::timeout(PATIENCE, danvan_store::Store::open(&db.url))
            .await
            .expect("opening an up-to-date database must not wait for the write lock")
            .unwrap();
        let again = tokio::time::timeout(PATIENCE, reception::get(&opened, rec))
            .await
            .expect("a read through the new store must not wait")
            .unwrap();
        assert_eq!(again.turns, 3);
        opened.close().await;

        sqlx::raw_sql("ROLLBACK")
            .execute(&mut writer)
            .await
            .unwrap();
        writer.close().await.unwrap();
        db.finish().await;
    });
}
