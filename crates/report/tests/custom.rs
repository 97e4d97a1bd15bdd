//! Indicators, rules and report sections defined at run time, on both
//! engines: a definition is in the next report at once; a bad one — an
//! unknown fact key or indicator, a template that loops forever, builds a
//! huge string or reads a file — is refused with a Vietnamese message and
//! nothing saved; each save is a version, a stale edit is refused, and
//! what a section uses cannot be taken away from under it.

mod common;

use danvan_core::period::Period;
use danvan_core::records::dataset::{DataSet, DataValue, PeriodType};
use danvan_report::custom::{self, Draft};
use danvan_report::{Catalogue, Figures};
use danvan_store::catalogue_entries::{self, EntryKind};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, datasets, unit_import};
use danvan_testkit::seed::{counted_element, define_data};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
68,Lâm Đồng,tỉnh,,,,
681,Đam Rông,huyện,68,,,
";

const INDICATOR: &str = r#"code = "cchc_cuoc"
label = "Số cuộc kiểm tra cải cách hành chính"
value = "data.cchc_kiem_tra"
"#;

const SECTION: &str = r#"code = "cchc"
title = "Công tác cải cách hành chính"
template = """
{% if all.cchc_cuoc %}Trong {{ period.label }}, toàn {{ unit.kind_label }} tổ chức {{ all.cchc_cuoc | so }} cuộc kiểm tra cải cách hành chính.{% endif %}"""
"#;

async fn setup(store: &Store) -> Unit {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let e = counted_element(
        "cchc_kiem_tra",
        "Số cuộc kiểm tra cải cách hành chính",
        "cuộc",
    );
    let set = DataSet {
        code: "cchc".into(),
        name: "Cải cách hành chính".into(),
        period_type: PeriodType::Year,
        elements: vec![e.code.clone()],
    };
    define_data(store, &[e], &set).await;
    let u = units::find(store, "Đam Rông", None).await.unwrap();
    let v = DataValue {
        unit_id: u.id,
        element: "cchc_kiem_tra".into(),
        period: "2020".into(),
        option: String::new(),
        value: 1022,
    };
    datasets::enter(store, "cchc", &[v]).await.unwrap();
    u
}

async fn save(store: &Store, kind: EntryKind, source: &str) -> Result<i64, StoreError> {
    let d = Draft {
        kind,
        source,
        read: None,
    };
    custom::save(store, &[d]).await.map(|v| v[0].2)
}

fn refused(r: Result<i64, StoreError>, words: &str) {
    match r {
        Err(StoreError::Invalid(e)) => assert!(e.message.contains(words), "{e}"),
        other => panic!("expected a refusal naming «{words}», got {other:?}"),
    }
}

async fn text(store: &Store, u: &Unit) -> String {
    common::report(store, u, "2020", None).await.to_txt()
}

async fn check(store: &Store) {
    let u = setup(store).await;
    let before = text(store, &u).await;
    assert!(!before.contains("cải cách hành chính."), "{before}");

    // An indicator over a data element, and a section using it: the next
    // report has them, with the figure written the Vietnamese way.
    assert_eq!(
        save(store, EntryKind::Indicator, INDICATOR).await.unwrap(),
        1
    );
    assert_eq!(save(store, EntryKind::Section, SECTION).await.unwrap(), 1);
    let after = text(store, &u).await;
    assert!(
        after.contains("8. Công tác cải cách hành chính."),
        "{after}"
    );
    assert!(
        after.contains(
            "Trong năm 2020, toàn huyện tổ chức 1.022 cuộc kiểm tra cải cách hành chính."
        ),
        "{after}"
    );
    // … and the figures (what /api/figures reads) carry the indicator.
    let c = custom::load(store).await.unwrap();
    let f = Figures::compute(
        store,
        &c.catalogue,
        &u,
        &Period::parse("2020", false).unwrap(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(f.all.count("cchc_cuoc"), 1022);
    // A section with nothing to say for a period is left out.
    let h1 = common::report(store, &u, "2019", None).await.to_txt();
    assert!(!h1.contains("Công tác cải cách hành chính."), "{h1}");

    // A rule defined at run time is checked in the report.
    let rule = r#"code = "cchc_toi_da"
message = "Số cuộc kiểm tra cải cách hành chính vượt 1.000"
left = "data.cchc_kiem_tra"
op = "<="
right = "1000"
severity = "warning"
"#;
    save(store, EntryKind::Rule, rule).await.unwrap();
    let r = common::report(store, &u, "2020", None).await;
    assert!(
        r.figures
            .violations
            .iter()
            .any(|v| v.message.contains("vượt 1.000")),
        "{:?}",
        r.figures.violations
    );

    let in_force = catalogue_entries::in_force(store).await.unwrap().len();
    // Refused, each with what is wrong, and nothing saved.
    let unknown_key = INDICATOR
        .replace("cchc_cuoc", "x_1")
        .replace("data.cchc_kiem_tra", "reception.khong_co");
    refused(
        save(store, EntryKind::Indicator, &unknown_key).await,
        "reception.khong_co",
    );
    let taken = INDICATOR.replace("cchc_cuoc", "reception_turns");
    refused(save(store, EntryKind::Indicator, &taken).await, "có sẵn");
    let unknown_indicator = SECTION
        .replace("cchc\"", "x_2\"")
        .replace("all.cchc_cuoc", "all.khong_co");
    refused(
        save(store, EntryKind::Section, &unknown_indicator).await,
        "khong_co",
    );
    let looping = r#"code = "vong_lap"
title = "Vòng lặp"
template = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
"#;
    refused(
        save(store, EntryKind::Section, looping).await,
        "vượt giới hạn tính toán",
    );
    let huge = r#"code = "chuoi_lon"
title = "Chuỗi lớn"
template = "{{ 'x' * 4000000000 }}"
"#;
    refused(
        save(store, EntryKind::Section, huge).await,
        "vượt giới hạn tính toán",
    );
    let file = r#"code = "doc_tep"
title = "Đọc tệp"
template = "{% include '/etc/passwd' %}"
"#;
    refused(save(store, EntryKind::Section, file).await, "doc_tep");
    refused(
        save(
            store,
            EntryKind::Section,
            "code = \"cu_phap\"\ntitle = \"T\"\ntemplate = \"{% if %}\"\n",
        )
        .await,
        "cu_phap",
    );
    assert_eq!(
        catalogue_entries::in_force(store).await.unwrap().len(),
        in_force
    );

    // Versions: an edit is the next version; an edit made on the version
    // someone else has since replaced is refused as stale.
    let edited = INDICATOR.replace("Số cuộc", "Tổng số cuộc");
    let d = |read| Draft {
        kind: EntryKind::Indicator,
        source: &edited,
        read: Some(read),
    };
    assert_eq!(custom::save(store, &[d(1)]).await.unwrap()[0].2, 2);
    assert!(matches!(
        custom::save(store, &[d(1)]).await,
        Err(StoreError::Stale(_))
    ));
    let new_again = Draft {
        kind: EntryKind::Indicator,
        source: INDICATOR,
        read: Some(0),
    };
    assert!(matches!(
        custom::save(store, &[new_again]).await,
        Err(StoreError::Invalid(_))
    ));
    let h = catalogue_entries::history(store, EntryKind::Indicator, "cchc_cuoc")
        .await
        .unwrap();
    assert_eq!(h.iter().map(|e| e.version).collect::<Vec<_>>(), [2, 1]);

    // What a section uses cannot be retired from under it; the section can,
    // and then the indicator; the report is as it was.
    let e = custom::retire(store, EntryKind::Indicator, "cchc_cuoc", 2)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("còn dùng"), "{e}");
    custom::retire(store, EntryKind::Section, "cchc", 1)
        .await
        .unwrap();
    custom::retire(store, EntryKind::Indicator, "cchc_cuoc", 2)
        .await
        .unwrap();
    custom::retire(store, EntryKind::Rule, "cchc_toi_da", 1)
        .await
        .unwrap();
    assert_eq!(text(store, &u).await, before);

    // Every save and retirement is in the audit log.
    let logged = danvan_store::audit::list(store, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "catalogue_entry")
        .count();
    assert_eq!(logged, 7);

    // Only a national administrator defines: a unit's administrator is
    // refused, and so is any other role.
    for role in [
        danvan_store::accounts::Role::Admin,
        danvan_store::accounts::Role::Officer,
    ] {
        let name = format!("u_{}", role.code());
        let user = common::users::user(store, &name, role, Some(u.id)).await;
        let scoped = store.acting_as(user.actor()).within(u.id).await.unwrap();
        assert!(matches!(
            save(&scoped, EntryKind::Indicator, INDICATOR).await,
            Err(StoreError::Forbidden(_))
        ));
    }
    let _ = Catalogue::shipped();
}

/// A section whose loop depends on the data passes its trial on an empty
/// report but is stopped when a report would run it forever.
async fn stopped_at_render(store: &Store) {
    let u = units::find(store, "Đam Rông", None).await.unwrap();
    let src = r#"[[indicator]]
code = "cchc_cuoc_2"
label = "Số cuộc"
value = "data.cchc_kiem_tra"

[[section]]
code = "vong_lap_so_lieu"
title = "Vòng lặp theo số liệu"
template = "{% for i in range(all.cchc_cuoc_2 or 0) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
"#;
    custom::save_file(store, src).await.unwrap();
    let req = danvan_report::Request::new(&u, Period::parse("2020", false).unwrap());
    let e = danvan_report::build(store, Catalogue::shipped(), req)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("Vòng lặp theo số liệu") && e.to_string().contains("đã bị dừng"),
        "{e}"
    );
}

#[test]
fn definitions_made_at_run_time_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            stopped_at_render(&db.store).await;
            db.finish().await;
        }
    });
}
