//! A sender's personal data on request (Nghị định 13/2023/NĐ-CP), on both
//! engines: a handler reads everything held about the sender; an erasure
//! takes the sender out of the petition, its texts, its search columns and
//! the audit log, deletes the sender's own files (not those of a citizen
//! whose repeat was linked), keeps every figure, and refuses what it must.

use danvan_core::portal::PortalKind;
use danvan_core::records::petition::Case;
use danvan_core::records::petition::{PetitionField, Sender};
use danvan_store::audit::{self, Filter as AuditFilter};
use danvan_store::petitions::{self, Cursor, Filter, Viewer};
use danvan_store::portal::{self, Answer, Submission, Upload};
use danvan_store::{Store, StoreError, cases, facts, units};
use danvan_testkit::TestDb;

mod common;
use common::raw_refused;

const NOBODY: Viewer = Viewer { official_id: 0 };
const SECRETS: [&str; 3] = ["Đỗ Văn Gửi", "thôn Ao Sen", "0911222333"];

fn submission(unit_id: i64, kind: PortalKind, content: &str, name: &str) -> Submission {
    Submission {
        unit_id,
        kind,
        field: PetitionField::Land,
        content: content.into(),
        sender: Sender {
            name: name.into(),
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

async fn figures(store: &Store) -> Vec<(String, i64)> {
    facts::dump(store)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, v)| (format!("{k:?}"), v))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn holds_no_secret(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} still holds «{s}»: {text}");
    }
}

async fn run(db: &TestDb) {
    let store = &db.store;
    danvan_testkit::units::load(store).await;
    let citizen = store.acting_as(portal::citizen());
    let unit = units::find(store, "24853-2025", None).await.unwrap().id;
    let words = "Tôi là Đỗ Văn Gửi ở thôn Ao Sen, đề nghị xem xét việc san lấp ao làng";
    let first = portal::submit(
        &citizen,
        &submission(unit, PortalKind::Feedback, words, "Đỗ Văn Gửi"),
    )
    .await
    .unwrap();
    // Another citizen sends the same words: linked, their file kept apart.
    let second = portal::submit(
        &citizen,
        &submission(unit, PortalKind::Feedback, words, "Lê Thị Khác"),
    )
    .await
    .unwrap();
    assert!(second.linked);
    let id = first.petition_id;
    portal::add_message(&citizen, &first.code, "Gọi tôi qua số 0911222333", &[])
        .await
        .unwrap();
    portal::answer(
        store,
        id,
        &Answer {
            question: "Ông Đỗ Văn Gửi hỏi về việc san lấp ao".into(),
            body: "Xã đã kiểm tra, việc san lấp đúng quy hoạch.".into(),
            public: true,
            answered_on: store.today(),
        },
    )
    .await
    .unwrap();
    // A correction by an official, logged with the sender before and after.
    // Grouped into a case its officer titled after the sender.
    let case = cases::insert(
        store,
        &Case {
            unit_id: unit,
            opened_on: store.today(),
            title: "Vụ san lấp ao của ông Đỗ Văn Gửi".into(),
            complex: false,
            crowd: false,
            prolonged: false,
            resolved_on: None,
        },
    )
    .await
    .unwrap();
    let (mut edit, version) = petitions::get_for_edit(store, id, NOBODY).await.unwrap();
    edit.petition.case_id = Some(case);
    edit.petition.sender.address = "thôn Ao Sen, xã Đam Rông 4".into();
    petitions::update(store, id, &edit.petition, NOBODY, version)
        .await
        .unwrap();
    let (_, version) = petitions::get_for_edit(store, id, NOBODY).await.unwrap();

    // The copy: everything held, for a handler.
    let data = portal::personal_data(store, id, NOBODY).await.unwrap();
    assert_eq!(data.sender.name, "Đỗ Văn Gửi");
    assert_eq!(data.consents.len(), 2);
    assert_eq!(data.consents.iter().filter(|c| c.linked).count(), 1);
    assert_eq!(data.messages.len(), 1);
    assert_eq!(data.files.len(), 2);
    assert!(data.answer.is_some());
    assert!(data.audit_entries >= 4, "{}", data.audit_entries);

    // A tố cáo's sender is for its assigned handlers only.
    let denounced = portal::submit(
        &citizen,
        &submission(
            unit,
            PortalKind::Denunciation,
            "Tố cáo cán bộ địa chính nhận tiền",
            "Đỗ Văn Gửi",
        ),
    )
    .await
    .unwrap();
    for e in [
        portal::personal_data(store, denounced.petition_id, NOBODY)
            .await
            .unwrap_err(),
        portal::erase(
            store,
            denounced.petition_id,
            NOBODY,
            "Đơn yêu cầu ngày 05/01/2026",
            false,
        )
        .await
        .unwrap_err(),
    ] {
        assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    }

    // Refused without a basis: nothing changes.
    let before = figures(store).await;
    let e = portal::erase(store, id, NOBODY, "  yêu cầu ", true)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.code == "erasure.basis"),
        "{e}"
    );
    assert_eq!(
        portal::personal_data(store, id, NOBODY)
            .await
            .unwrap()
            .files
            .len(),
        2
    );

    let done = portal::erase(
        store,
        id,
        NOBODY,
        "Đơn yêu cầu ngày 05/01/2026 của ông Đỗ Văn Gửi, đã đối chiếu căn cước",
        true,
    )
    .await
    .unwrap();
    assert_eq!(done.files, 1, "only the sender's own file");
    assert!(done.audit_entries >= 4);

    // Gone from the petition and every text kept with it.
    let after = portal::personal_data(store, id, NOBODY).await.unwrap();
    assert_eq!(after.sender, Sender::default());
    assert_eq!(after.files.len(), 1);
    assert_eq!(after.erasures.len(), 1);
    holds_no_secret("the copy", &serde_json::to_string(&after).unwrap());
    assert_eq!(
        after.content,
        "Tôi là *** ở ***, đề nghị xem xét việc san lấp ao làng"
    );
    // From the petition list's search, which reads the folded columns.
    for words in ["do van gui", "thon ao sen"] {
        let found = petitions::page(
            store,
            &Filter {
                unit: Some(unit),
                ..Default::default()
            },
            Some(words),
            Cursor::First,
            50,
            NOBODY,
        )
        .await
        .unwrap();
        assert!(
            found.rows.iter().all(|p| p.id != id),
            "still found by «{words}»"
        );
    }
    // From the audit log, read and searched.
    let log = audit::list(
        store,
        &AuditFilter {
            entity: Some("petition".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    holds_no_secret("the audit log", &serde_json::to_string(&log).unwrap());
    assert_eq!(log[0].action, "erase");
    for text in ["do van gui", "0911222333"] {
        let hits = audit::list(
            store,
            &AuditFilter {
                text: Some(text.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let hits: Vec<_> = hits
            .iter()
            .filter(|e| e.entity_id == id.to_string())
            .collect();
        assert!(
            hits.is_empty(),
            "the log is still searched by «{text}»: {hits:?}"
        );
    }
    // From the case's title and its log.
    let c: Case = cases::get(store, case).await.unwrap();
    assert_eq!(c.title, "Vụ san lấp ao của ông ***");
    let log = audit::list(
        store,
        &AuditFilter {
            entity: Some("case".into()),
            entity_id: Some(case.to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(!log.is_empty());
    holds_no_secret("the case's log", &serde_json::to_string(&log).unwrap());
    // The tracking page and «Hỏi – đáp» still work, without the sender.
    let t = portal::track(&citizen, &first.code).await.unwrap();
    holds_no_secret("the tracking page", &serde_json::to_string(&t).unwrap());
    assert_eq!(
        portal::qa(store, unit).await.unwrap()[0].question,
        "Ông *** hỏi về việc san lấp ao"
    );
    // The other citizen's repeat still follows the petition.
    assert!(portal::track(&citizen, &second.code).await.is_ok());

    // Every figure as it was.
    assert_eq!(figures(store).await, before);

    // Nothing left to erase; an edit form opened before is stale.
    let e = portal::erase(store, id, NOBODY, "Đơn yêu cầu ngày 06/01/2026", true)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(d) if d.code == "erasure.nothing"),
        "{e}"
    );
    let e = petitions::update(store, id, &edit.petition, NOBODY, version)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Stale(_)), "{e}");

    // An erased entry cannot be rewritten again.
    let again = format!(
        "UPDATE audit_log SET before = NULL, erased_at = '2030-01-01 00:00:00' \
         WHERE entity = 'petition' AND entity_id = '{id}'"
    );
    assert!(
        raw_refused(db, &again).await,
        "an erased entry was rewritten"
    );
}

#[tokio::test]
async fn personal_data_on_sqlite() {
    let db = danvan_testkit::sqlite().await;
    run(&db).await;
    db.finish().await;
}

#[tokio::test]
async fn personal_data_on_postgres() {
    if let Some(db) = danvan_testkit::postgres().await {
        run(&db).await;
        db.finish().await;
    }
}
