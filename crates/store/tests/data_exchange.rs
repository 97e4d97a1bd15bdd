//! What the DHIS2 exchange asks of the store, on both engines: entered
//! values counted as new or replacing, values read by unit, subtree and
//! days (never outside the reader's subtree), the units a reader sees, and
//! password checks without a session.

mod common;

use chrono::NaiveDate;
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, PeriodType, ValueType,
};
use danvan_store::accounts::{self, LoginError, Role};
use danvan_store::datasets::{self, Entered, ValueFilter};
use danvan_store::{StoreError, units};

fn value(unit_id: i64, period: &str, value: i64) -> DataValue {
    DataValue {
        unit_id,
        element: "so_cuoc".into(),
        period: period.into(),
        option: String::new(),
        value,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn values_are_counted_read_by_subtree_and_days_and_kept_in_scope() {
    common::block_on(async {
        for db in common::both().await {
            let sys = &db.store;
            common::units::load(sys).await;
            let (datong, dalong, district) = (
                common::units::id(sys, "24853").await,
                common::units::id(sys, "24856").await,
                common::units::id(sys, "674").await,
            );
            datasets::define_element(
                sys,
                &DataElement {
                    code: "so_cuoc".into(),
                    label: "Số cuộc".into(),
                    measure: "cuộc".into(),
                    value_type: ValueType::Integer,
                    scale: 0,
                    aggregation: Aggregation::Sum,
                    options: vec![],
                },
            )
            .await
            .unwrap();
            datasets::define_set(
                sys,
                &DataSet {
                    code: "thu".into(),
                    name: "Thử".into(),
                    period_type: PeriodType::Half,
                    elements: vec!["so_cuoc".into()],
                },
            )
            .await
            .unwrap();
            let first = [
                value(datong, "2020-H1", 1),
                value(dalong, "2020-H1", 2),
                value(district, "2020-H2", 3),
            ];
            let rows: Vec<(&str, &DataValue)> = first.iter().map(|v| ("thu", v)).collect();
            assert_eq!(
                datasets::enter_counted(sys, &rows).await.unwrap(),
                Entered {
                    created: 3,
                    updated: 0
                }
            );
            let again = [value(datong, "2020-H1", 5), value(datong, "2021-H1", 6)];
            let rows: Vec<(&str, &DataValue)> = again.iter().map(|v| ("thu", v)).collect();
            assert_eq!(
                datasets::enter_counted(sys, &rows).await.unwrap(),
                Entered {
                    created: 1,
                    updated: 1
                }
            );

            let read = |unit, subtree, from, to| ValueFilter {
                elements: vec!["so_cuoc".into()],
                unit,
                subtree,
                from,
                to,
            };
            let got = |vs: Vec<DataValue>| -> Vec<(i64, String, i64)> {
                vs.into_iter()
                    .map(|v| (v.unit_id, v.period, v.value))
                    .collect()
            };
            let all = datasets::values_where(sys, &read(district, true, None, None))
                .await
                .unwrap();
            assert_eq!(all.len(), 4, "{all:?}");
            let own = datasets::values_where(sys, &read(district, false, None, None))
                .await
                .unwrap();
            assert_eq!(got(own), vec![(district, "2020-H2".into(), 3)]);
            let first_half = read(
                district,
                true,
                Some(day(2020, 1, 1)),
                Some(day(2020, 6, 30)),
            );
            let mut h1 = got(datasets::values_where(sys, &first_half).await.unwrap());
            h1.sort();
            let mut want = vec![
                (datong, "2020-H1".to_string(), 5),
                (dalong, "2020-H1".into(), 2),
            ];
            want.sort();
            assert_eq!(h1, want);
            let none = ValueFilter {
                elements: vec![],
                ..read(district, true, None, None)
            };
            assert!(datasets::values_where(sys, &none).await.unwrap().is_empty());

            // A commune's store: its own values and units only.
            let user = common::users::user(sys, "canbo.datong", Role::Officer, Some(datong)).await;
            let scoped = sys.acting_as(user.actor()).within(datong).await.unwrap();
            let mine = datasets::values_where(&scoped, &read(datong, true, None, None))
                .await
                .unwrap();
            assert_eq!(mine.len(), 2, "{mine:?}");
            for outside in [dalong, district] {
                let r = datasets::values_where(&scoped, &read(outside, true, None, None)).await;
                assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
            }
            let seen: Vec<i64> = units::visible(&scoped)
                .await
                .unwrap()
                .iter()
                .map(|u| u.id)
                .collect();
            assert_eq!(seen, vec![datong]);
            let everyone = units::visible(sys).await.unwrap();
            assert_eq!(everyone.len(), units::all(sys).await.unwrap().len());
            let first_id = everyone[0].id;
            assert!(
                everyone[0].parent_id.is_none(),
                "tree order starts at a top unit"
            );
            assert!(everyone.iter().any(|u| u.parent_id == Some(first_id)));

            // Password checks for clients that send them with each request.
            let ok =
                accounts::credentials(sys, "canbo.datong", common::users::PASSWORD, "10.0.0.1")
                    .await
                    .unwrap()
                    .unwrap();
            assert_eq!(ok.id, user.id);
            let wrong = accounts::credentials(sys, "canbo.datong", "sai", "10.0.0.1")
                .await
                .unwrap();
            assert!(matches!(wrong, Err(LoginError::Wrong)), "{wrong:?}");
            db.finish().await;
        }
    });
}
