//! Two officials correcting the same record: the second correction, made
//! on what the first has since changed, is refused with a Vietnamese
//! "changed by someone else", never saved over it; a step recorded in
//! between makes a pending correction stale too; and of two corrections
//! racing on the same version exactly one wins. On both engines, for every
//! record kind that can be corrected.

mod common;

use chrono::NaiveDate;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_store::petitions::{self, Viewer};
use danvan_store::{
    Store, StoreError, Version, facts, mediation, meetings, models, reception, unit_import, units,
};

const FIXTURE: &str = include_str!("../../../fixtures/units.csv");
const NOBODY: Viewer = Viewer { official_id: 0 };

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, m, d).unwrap()
}

async fn commune(store: &Store) -> i64 {
    unit_import::import_csv(store, FIXTURE.as_bytes())
        .await
        .unwrap();
    units::find(store, "24853", None).await.unwrap().id
}

fn reception_at(unit: i64, turns: i64) -> Reception {
    Reception {
        unit_id: unit,
        received_on: day(3, 5),
        official: "Nguyễn Văn A".into(),
        position: "Chủ tịch UBND".into(),
        kind: ReceptionKind::ALL[0],
        content: ReceptionContent::ALL[0],
        outcome: ReceptionOutcome::ALL[0],
        turns,
        persons: turns,
        delegations: 0,
        delegation_persons: 0,
        petition_id: None,
        note: String::new(),
    }
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
    Petition {
        sender: Sender {
            name: "Ka Điểu".into(),
            address: "Thôn 2".into(),
            phone: String::new(),
        },
        summary: "Tranh chấp đất rẫy".into(),
        ..Petition::received(
            unit,
            day(3, 4),
            PetitionChannel::ALL[0],
            PetitionType::Complaint,
            PetitionField::ALL[0],
        )
    }
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
            petitions::transition(
                s,
                id,
                &Event::Classify {
                    on: day(3, 6),
                    eligibility: Eligibility::Eligible,
                },
                NOBODY,
            )
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

            let case = MediationCase {
                unit_id: unit,
                received_on: day(3, 6),
                team: "Tổ hòa giải thôn 1".into(),
                field: MediationField::ALL[0],
                result: MediationResult::ALL[0],
                summary: "Ranh giới đất".into(),
            };
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

            let meeting = Meeting {
                unit_id: unit,
                kind: MeetingKind::ALL[0],
                held_on: day(3, 7),
                chair: "Chủ tịch UBND".into(),
                deputies: "Đại biểu HĐND".into(),
                participants: 40,
                subject: "Đường liên thôn".into(),
                opinions: vec![Opinion {
                    content: "Làm đường".into(),
                    follow_up: FollowUp::Pending,
                }],
            };
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

            let year = ModelYear {
                year: 2024,
                recorded_on: day(3, 8),
                status: ModelStatus::ALL[0],
                recognised: false,
                award: String::new(),
            };
            let model = Model {
                unit_id: unit,
                name: "Dân vận khéo trồng cà phê".into(),
                level: ModelLevel::ALL[0],
                field: ModelField::ALL[0],
            };
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

            let c = Case {
                unit_id: unit,
                opened_on: day(3, 1),
                title: "Tranh chấp đất rẫy thôn 2".into(),
                complex: false,
                crowd: false,
                prolonged: false,
                resolved_on: None,
            };
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
