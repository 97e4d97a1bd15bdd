//! The portal's store on both engines: a submission is a petition with
//! channel trực tuyến at the unit that answers today, counted in the facts
//! in the same transaction; a repeat within a day is linked; a refused
//! submission writes nothing; the tracking view and «Hỏi – đáp» carry no
//! sender; a further message joins the petition.

use danvan_core::portal::PortalKind;
use danvan_core::records::petition::{PetitionChannel, PetitionField, Sender};
use danvan_store::petitions::{self, Filter, Viewer};
use danvan_store::portal::{self, Answer, Submission, Upload};
use danvan_store::{Store, StoreError, facts, units};

const NOBODY: Viewer = Viewer { official_id: 0 };

fn submission(unit_id: i64, kind: PortalKind) -> Submission {
    Submission {
        unit_id,
        kind,
        field: PetitionField::Land,
        content: "Tôi là Đỗ Văn Gửi, đề nghị xem xét việc san lấp ao làng".into(),
        sender: Sender {
            name: "Đỗ Văn Gửi".into(),
            address: "thôn Ao Sen".into(),
            phone: "0911222333".into(),
        },
        consent: true,
        files: vec![Upload {
            name: "anh.png".into(),
            bytes: b"\x89PNG\r\n\x1a\nrest".to_vec(),
        }],
    }
}

async fn received(store: &Store, unit: i64) -> i64 {
    facts::dump(store)
        .await
        .unwrap()
        .into_iter()
        .filter(|(k, _)| {
            k.unit_id == unit && k.key == "petition.received" && k.breakdown.is_empty()
        })
        .map(|(_, v)| v)
        .max()
        .unwrap_or(0)
}

async fn count(store: &Store, unit: i64) -> usize {
    petitions::list(
        store,
        &Filter {
            unit: Some(unit),
            ..Default::default()
        },
        NOBODY,
    )
    .await
    .unwrap()
    .len()
}

async fn run(store: &Store) {
    danvan_testkit::units::load(store).await;
    let citizen = store.acting_as(portal::citizen());
    let old = units::find(store, "24853", None).await.unwrap().id;
    let now = units::find(store, "24853-2025", None).await.unwrap().id;

    // Sent to xã Đạ Tông, gone since 1 July 2025: received by Đam Rông 4.
    let r = portal::submit(&citizen, &submission(old, PortalKind::Feedback))
        .await
        .unwrap();
    assert_eq!(r.unit_id, now);
    assert!(!r.linked);
    let p = petitions::get(store, r.petition_id, NOBODY).await.unwrap();
    assert_eq!(p.petition.channel, PetitionChannel::Online);
    assert_eq!(p.petition.unit_id, now);
    assert!(p.petition.processing_deadline.is_some());
    assert_eq!(received(store, now).await, 1);

    // The same words, spaced and cased otherwise: linked, not doubled.
    let mut again = submission(now, PortalKind::Feedback);
    again.content = format!("  {}  ", again.content.to_uppercase());
    let r2 = portal::submit(&citizen, &again).await.unwrap();
    assert!(r2.linked);
    assert_eq!(r2.petition_id, r.petition_id);
    assert_ne!(r2.code, r.code);
    assert_eq!(count(store, now).await, 1);
    assert_eq!(received(store, now).await, 1);

    // Refused: nothing written.
    let mut fake = submission(now, PortalKind::Recommendation);
    fake.content = "một nội dung khác hẳn để không bị coi là trùng".into();
    fake.files[0].bytes = b"khong phai anh".to_vec();
    let e = portal::submit(&citizen, &fake).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e}");
    fake.files.clear();
    fake.consent = false;
    assert!(portal::submit(&citizen, &fake).await.is_err());
    assert_eq!(count(store, now).await, 1);

    // Tracking: status in plain words, no sender anywhere.
    portal::add_message(
        &citizen,
        &r.code.to_lowercase(),
        "Bổ sung: Đỗ Văn Gửi ở thôn Ao Sen",
        &[],
    )
    .await
    .unwrap();
    let t = portal::track(&citizen, &r.code).await.unwrap();
    assert_eq!(t.status_words, "Đã tiếp nhận, đang xem xét để phân loại");
    let shown = serde_json::to_string(&t).unwrap();
    for s in ["Đỗ Văn Gửi", "thôn Ao Sen", "0911222333"] {
        assert!(!shown.contains(s), "{shown}");
    }
    assert_eq!(t.messages.len(), 1);
    // Both submissions sent an image to the petition; each code counts
    // its own.
    assert_eq!(t.files, 1);
    // The other code does not see the first one's message.
    assert!(
        portal::track(&citizen, &r2.code)
            .await
            .unwrap()
            .messages
            .is_empty()
    );
    assert!(matches!(
        portal::track(&citizen, "ABCD-EFGH-JKMN").await,
        Err(StoreError::NotFound(_))
    ));

    // A public answer, on «Hỏi – đáp» without the sender.
    portal::answer(
        store,
        r.petition_id,
        &Answer {
            question: "Ông Đỗ Văn Gửi hỏi về việc san lấp ao".into(),
            body: "Xã đã kiểm tra, việc san lấp đúng quy hoạch.".into(),
            public: true,
            answered_on: store.today(),
        },
    )
    .await
    .unwrap();
    let qa = portal::qa(store, now).await.unwrap();
    assert_eq!(qa.len(), 1);
    assert_eq!(qa[0].question, "Ông *** hỏi về việc san lấp ao");
    assert!(portal::qa(store, old).await.unwrap().is_empty());
    let t = portal::track(&citizen, &r.code).await.unwrap();
    assert_eq!(
        t.answer.as_deref(),
        Some("Xã đã kiểm tra, việc san lấp đúng quy hoạch.")
    );

    // A petition deleted takes its portal rows with it.
    petitions::delete(store, r.petition_id).await.unwrap();
    assert!(portal::track(&citizen, &r.code).await.is_err());
    assert!(portal::qa(store, now).await.unwrap().is_empty());
}

#[tokio::test]
async fn portal_on_sqlite() {
    let db = danvan_testkit::sqlite().await;
    run(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn portal_on_postgres() {
    if let Some(db) = danvan_testkit::postgres().await {
        run(&db.store).await;
        db.finish().await;
    }
}
