//! Report drafts on both engines: the sections a unit writes come back for
//! the same unit, period and template and no other; saving again replaces
//! them and is logged with the text before and after; a commune cannot read
//! or write its district's draft; bad section names write nothing; the
//! whole country's draft belongs to national users only.

mod common;

use std::collections::BTreeMap;

use danvan_core::period::Period;
use danvan_store::units::{self, Unit};
use danvan_store::{Actor, Store, StoreError, drafts};

fn sections(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Save a draft that must be accepted.
async fn save(store: &Store, unit: &Unit, p: &Period, tpl: &str, s: &BTreeMap<String, String>) {
    drafts::save(store, unit, p, tpl, s).await.unwrap();
}

/// The sections of a draft that must be there.
async fn sections_of(
    store: &Store,
    unit: &Unit,
    p: &Period,
    tpl: &str,
) -> BTreeMap<String, String> {
    drafts::get(store, unit, p, tpl)
        .await
        .unwrap()
        .expect("a draft")
        .sections
}

async fn check(store: &Store) {
    danvan_testkit::units::load(store).await;
    let district = units::find(store, "674", None).await.unwrap();
    let commune = units::find(store, "24853", None).await.unwrap();
    let h1 = Period::parse("2020-H1", false).unwrap();
    let h1_cutoff = Period::parse("2020-H1", true).unwrap();
    let tpl = "bao-cao-6-thang";

    assert_eq!(drafts::get(store, &district, &h1, tpl).await.unwrap(), None);
    let first = sections(&[
        ("uu_diem", "Cấp ủy quan tâm lãnh đạo; #1 [sic] $5 *đậm*"),
        ("han_che", "  Một số xã chậm báo cáo.\r\n"),
        ("nhiem_vu", "   "),
    ]);
    save(store, &district, &h1, tpl, &first).await;
    let got = drafts::get(store, &district, &h1, tpl)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        got.sections,
        sections(&[
            ("uu_diem", "Cấp ủy quan tâm lãnh đạo; #1 [sic] $5 *đậm*"),
            ("han_che", "Một số xã chậm báo cáo."),
        ]),
        "text kept as written, trimmed, blank sections dropped"
    );
    // Another period, the cut-off convention or another template is another report.
    assert_eq!(
        drafts::get(store, &district, &h1_cutoff, tpl)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        drafts::get(store, &district, &h1, "so-ket-nhieu-nam")
            .await
            .unwrap(),
        None
    );
    assert_eq!(drafts::get(store, &commune, &h1, tpl).await.unwrap(), None);

    let second = sections(&[("uu_diem", "Đã sửa.")]);
    save(store, &district, &h1, tpl, &second).await;
    assert_eq!(sections_of(store, &district, &h1, tpl).await, second);
    let log = danvan_testkit::audit::of_entity(store, "report_draft").await;
    assert_eq!(log.len(), 2, "a creation and an update are logged");
    let update = log.iter().find(|e| e.action == "update").unwrap();
    assert!(
        update
            .before
            .as_ref()
            .unwrap()
            .to_string()
            .contains("chậm báo cáo")
    );
    assert!(
        update
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("Đã sửa")
    );

    // A bad section name is refused and changes nothing.
    let err = drafts::save(store, &district, &h1, tpl, &sections(&[("Ưu điểm", "x")]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Ưu điểm"), "{err}");
    assert_eq!(sections_of(store, &district, &h1, tpl).await, second);

    // A commune's officer sees no district draft and cannot write one.
    let officer = store
        .acting_as(Actor {
            user_id: Some(7),
            name: "Cán bộ xã".into(),
            role: None,
        })
        .within(commune.id)
        .await
        .unwrap();
    assert!(matches!(
        drafts::get(&officer, &district, &h1, tpl).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        drafts::save(&officer, &district, &h1, tpl, &second).await,
        Err(StoreError::Forbidden(_))
    ));
    save(&officer, &commune, &h1, tpl, &first).await;
    assert_eq!(
        drafts::get(&officer, &commune, &h1, tpl)
            .await
            .unwrap()
            .unwrap()
            .updated_by,
        Some(7)
    );

    // The country's draft: national users only.
    let country = Unit::country();
    save(store, &country, &h1, tpl, &second).await;
    assert_eq!(sections_of(store, &country, &h1, tpl).await, second);
    assert!(drafts::get(&officer, &country, &h1, tpl).await.is_err());

    // Emptying every section removes the draft.
    drafts::save(store, &district, &h1, tpl, &BTreeMap::new())
        .await
        .unwrap();
    assert_eq!(drafts::get(store, &district, &h1, tpl).await.unwrap(), None);
}

#[tokio::test]
async fn drafts_on_sqlite() {
    let db = common::sqlite().await;
    check(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn drafts_on_postgres() {
    let Some(db) = common::postgres().await else {
        return;
    };
    check(&db.store).await;
    db.finish().await;
}
