//! Open311 on both engines: an application's key is kept as a hash, found
//! while live and refused once revoked, and only administrators manage
//! keys; a request sent through an application or the portal has a random
//! number and is listed, a petition entered by officials never is; a
//! denunciation lists without its content; deleting the petition takes
//! the request with it.

use danvan_core::portal::PortalKind;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_store::accounts::Role;
use danvan_store::portal::open311::{self, Filter, State};
use danvan_store::portal::{self, Submission, Via};
use danvan_store::{Actor, Store, StoreError, petitions, units};

fn submission(unit_id: i64, kind: PortalKind, content: &str) -> Submission {
    Submission {
        unit_id,
        kind,
        field: PetitionField::Land,
        content: content.into(),
        sender: Sender {
            name: "Đỗ Văn Gửi".into(),
            address: String::new(),
            phone: "0911222333".into(),
        },
        consent: true,
        files: vec![],
    }
}

async fn run(store: &Store) {
    danvan_testkit::units::load(store).await;
    let now = units::find(store, "24853-2025", None).await.unwrap().id;

    // Keys: shown once, kept as a hash, refused once revoked.
    let (k, key) = open311::key_new(store, "Ứng dụng thử").await.unwrap();
    assert!(key.starts_with("o311_") && key.len() > 40);
    assert_eq!(
        open311::app_of(store, &key).await.unwrap().map(|a| a.id),
        Some(k.id)
    );
    assert!(open311::app_of(store, "o311_sai").await.unwrap().is_none());
    assert!(open311::app_of(store, "").await.unwrap().is_none());
    let listed = open311::keys(store).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!serde_json::to_string(&listed).unwrap().contains(&key));
    assert!(matches!(
        open311::key_new(store, "x").await,
        Err(StoreError::Invalid(_))
    ));
    let officer = store.acting_as(Actor {
        user_id: Some(99),
        name: "cán bộ".into(),
        role: Some(Role::Officer),
    });
    assert!(matches!(
        open311::key_new(&officer, "Ứng dụng khác").await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        open311::keys(&officer).await,
        Err(StoreError::Forbidden(_))
    ));

    // Through an application, with a place; and through the portal.
    let app = store.acting_as(portal::citizen());
    let via = Via {
        key_id: Some(k.id),
        lat: Some(11.94),
        lon: Some(108.45),
        address: "cầu thôn 2".into(),
        media_url: "https://example.vn/a.jpg".into(),
    };
    let a = portal::submit_via(
        &app,
        &submission(
            now,
            PortalKind::Feedback,
            "Cầu thôn 2 bị sạt lở, Đỗ Văn Gửi báo",
        ),
        &via,
    )
    .await
    .unwrap();
    let b = portal::submit(
        &app,
        &submission(
            now,
            PortalKind::Denunciation,
            "Tố cáo việc lấn chiếm đất công ở thôn 5",
        ),
    )
    .await
    .unwrap();
    assert_eq!(a.request_id.len(), 24);
    assert_ne!(a.request_id, b.request_id);
    // A place off the Earth is refused, and nothing written.
    let off = Via {
        lat: Some(91.0),
        ..via.clone()
    };
    assert!(matches!(
        portal::submit_via(
            &app,
            &submission(now, PortalKind::Feedback, "Nội dung khác hẳn ở đây"),
            &off
        )
        .await,
        Err(StoreError::Invalid(_))
    ));
    // Entered by officials: never listed.
    petitions::insert(
        store,
        &Petition::received(
            now,
            store.today(),
            PetitionChannel::Post,
            PetitionType::Complaint,
            PetitionField::Land,
        ),
    )
    .await
    .unwrap();
    let all = open311::list(store, &Filter::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    let got = open311::get(store, &a.request_id).await.unwrap();
    assert_eq!(
        got.description.as_deref(),
        Some("Cầu thôn 2 bị sạt lở, *** báo")
    );
    assert_eq!(got.lat, Some(11.94));
    assert_eq!(got.address.as_deref(), Some("cầu thôn 2"));
    assert!(!got.closed);
    let secret = open311::get(store, &b.request_id).await.unwrap();
    assert!(secret.description.is_none());
    let only = |f: Filter| async move { open311::list(store, &f).await.unwrap().len() };
    assert_eq!(
        only(Filter {
            kind: Some(PortalKind::Feedback),
            ..Default::default()
        })
        .await,
        1
    );
    assert_eq!(
        only(Filter {
            state: Some(State::Closed),
            ..Default::default()
        })
        .await,
        0
    );
    assert_eq!(
        only(Filter {
            state: Some(State::Open),
            unit: Some(now),
            ..Default::default()
        })
        .await,
        2
    );
    // A merged commune's code leads to the commune of today.
    assert_eq!(
        open311::unit_by_code(store, "24853").await.unwrap(),
        Some(now)
    );
    assert_eq!(
        open311::unit_by_code(store, "khong-co").await.unwrap(),
        None
    );

    // Revoked: refused from now on.
    assert!(open311::key_revoke(store, k.id).await.unwrap());
    assert!(!open311::key_revoke(store, k.id).await.unwrap());
    assert!(open311::app_of(store, &key).await.unwrap().is_none());

    // Deleting the petition takes its request with it.
    petitions::delete(store, a.petition_id).await.unwrap();
    assert!(matches!(
        open311::get(store, &a.request_id).await,
        Err(StoreError::NotFound(_))
    ));
}

#[tokio::test]
async fn open311_on_sqlite() {
    let db = danvan_testkit::sqlite().await;
    run(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn open311_on_postgres() {
    if let Some(db) = danvan_testkit::postgres().await {
        run(&db.store).await;
        db.finish().await;
    }
}
