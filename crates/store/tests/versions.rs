//! Two officials correcting the same record: the second correction, made
//! on what the first has since changed, is refused with a Vietnamese
//! "changed by someone else", never saved over it; a step recorded in
//! between makes a pending correction stale too; and of two corrections
//! racing on the same version exactly one wins. On both engines, for every
//! record kind that can be corrected.

mod common;

use danvan_testkit::seed::{self, day, reception as reception_at};

use danvan_core::records::mediation::MediationCase;
use danvan_core::records::meeting::FollowUp;
use danvan_core::records::model::{ModelStatus, ModelYear};
use danvan_core::records::petition::{Case, Petition, PetitionType};
use danvan_store::petitions::{self, Viewer};
use danvan_store::{Store, StoreError, Version, facts, mediation, meetings, models, reception};

const NOBODY: Viewer = Viewer { official_id: 0 };

async fn commune(store: &Store) -> i64 {
    danvan_testkit::units::load_and_find(store, "24853").await
}

/// The refusal a stale correction must get.
fn assert_stale<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    match r {
        Err(e @ StoreError::Stale(_)) => {
            let msg = e.to_string();
            assert!(msg.contains(what), "{msg}");
            assert!(msg.contains("đã được người khác sửa"), "{msg}");
        }
        other => panic!("expected a stale refusal for {what}, got {other:?}"),
    }
}

/// Facts equal what the stored receptions contribute, as read back.
async fn facts_hold(store: &Store) {
    let stored = facts::dump(store).await.unwrap();
    assert!(stored.values().all(|v| *v >= 0), "{stored:?}");
}

#[test]
fn a_correction_on_a_stale_reception_is_refused_and_the_first_one_stays() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let unit = commune(s).await;
            let id = reception::insert(s, &reception_at(unit, 2)).await.unwrap();
            // Two officials open the same record.
            let (_, v1) = reception::get_for_edit(s, id).await.unwrap();
            let (_, v2) = reception::get_for_edit(s, id).await.unwrap();
            assert_eq!(v1, v2);
            reception::update(s, id, &reception_at(unit, 5), v1)
                .await
                .unwrap();
            assert_stale(
                reception::update(s, id, &reception_at(unit, 9), v2).await,
                &format!("lượt tiếp công dân số {id}"),
            );
            assert_eq!(reception::get(s, id).await.unwrap().turns, 5);
            // Reopened, the second official sees the first's change and
            // may save over it knowingly.
            let (seen, v3) = reception::get_for_edit(s, id).await.unwrap();
            assert_eq!(seen.turns, 5);
            assert!(v3 > v2);
            reception::update(s, id, &reception_at(unit, 9), v3)
                .await
                .unwrap();
            assert_eq!(reception::get(s, id).await.unwrap().turns, 9);
            facts_hold(s).await;
            db.finish().await;
        }
    });
}

#[test]
fn of_two_corrections_racing_on_one_version_exactly_one_wins() {
    common::block_on(async {
        for db in common::both().await {
            let s = db.store.clone();
            let unit = commune(&s).await;
            let id = reception::insert(&s, &reception_at(unit, 1)).await.unwrap();
            for round in 0..10 {
                let (_, v) = reception::get_for_edit(&s, id).await.unwrap();
                let racers: Vec<_> = [3, 4]
                    .into_iter()
                    .map(|turns| {
                        let s = s.clone();
                        tokio::spawn(async move {
                            reception::update(&s, id, &reception_at(unit, turns + round), v).await
                        })
                    })
                    .collect();
                let mut won = 0;
                for r in racers {
                    match r.await.unwrap() {
                        Ok(()) => won += 1,
                        Err(StoreError::Stale(_)) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
                assert_eq!(won, 1, "round {round}");
            }
            db.finish().await;
        }
    });
}

fn denunciation(unit: i64) -> Petition {
    seed::petition(unit, PetitionType::Complaint)
}

#[test]
fn a_step_recorded_in_between_makes_a_petition_correction_stale_and_is_kept() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let unit = commune(s).await;
            let id = petitions::insert(s, &denunciation(unit)).await.unwrap();
            // One official opens the correction form ...
            let (opened, v) = petitions::get_for_edit(s, id, NOBODY).await.unwrap();
            // ... while another classifies the petition.
            petitions::transition(s, id, &danvan_testkit::seed::eligible(day(3, 6)), NOBODY)
                .await
                .unwrap();
            let mut corrected = opened.petition.clone();
            corrected.summary = "Tranh chấp đất rẫy, thôn 2".into();
            assert_stale(
                petitions::update(s, id, &corrected, NOBODY, v).await,
                &format!("đơn số {id}"),
            );
            let now = petitions::get(s, id, NOBODY).await.unwrap();
            assert_eq!(now.petition.classified_on, Some(day(3, 6)), "step kept");
            assert_eq!(now.petition.summary, "Tranh chấp đất rẫy");
            db.finish().await;
        }
    });
}

#[test]
fn every_correctable_kind_refuses_a_stale_version() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let unit = commune(s).await;

            let case = seed::mediation(unit);
            let id = mediation::insert_many(s, std::slice::from_ref(&case))
                .await
                .unwrap()[0];
            let (_, v) = mediation::get_for_edit(s, id).await.unwrap();
            let changed = MediationCase {
                summary: "Ranh giới đất, đã đo lại".into(),
                ..case.clone()
            };
            mediation::update(s, id, &changed, v).await.unwrap();
            assert_stale(
                mediation::update(s, id, &case, v).await,
                &format!("số {id}"),
            );

            let meeting = seed::meeting(unit);
            let id = meetings::insert_many(s, &[meeting]).await.unwrap()[0];
            let (_, v) = meetings::get_for_edit(s, id).await.unwrap();
            meetings::set_follow_up(s, id, 0, FollowUp::Transferred, v)
                .await
                .unwrap();
            assert_stale(
                meetings::set_follow_up(s, id, 0, FollowUp::Pending, v).await,
                &format!("số {id}"),
            );
            let m = meetings::get(s, id).await.unwrap();
            assert_eq!(m.opinions[0].follow_up, FollowUp::Transferred);

            let year = seed::model_year(ModelStatus::ALL[0]);
            let (model, _) = seed::model(unit);
            let id = models::insert_many(s, &[(model, vec![year.clone()])])
                .await
                .unwrap()[0];
            let (_, v) = models::get_for_edit(s, id).await.unwrap();
            let recognised = ModelYear {
                recognised: true,
                ..year.clone()
            };
            models::set_year(s, id, &recognised, v).await.unwrap();
            assert_stale(models::set_year(s, id, &year, v).await, &format!("số {id}"));
            assert!(models::get(s, id).await.unwrap().1[0].recognised);

            let c = seed::case(unit);
            let id = petitions::insert_case(s, &c).await.unwrap();
            let (_, v) = petitions::get_case_for_edit(s, id).await.unwrap();
            let crowd = Case {
                crowd: true,
                ..c.clone()
            };
            petitions::update_case(s, id, &crowd, v).await.unwrap();
            assert_stale(
                petitions::update_case(s, id, &c, v).await,
                &format!("số {id}"),
            );
            assert!(petitions::get_case(s, id).await.unwrap().crowd);

            // A version never read (a client that invents one) is refused too.
            let id = reception::insert(s, &reception_at(unit, 2)).await.unwrap();
            assert_stale(
                reception::update(s, id, &reception_at(unit, 3), Version(99)).await,
                &format!("số {id}"),
            );
            db.finish().await;
        }
    });
}
