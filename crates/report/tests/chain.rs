//! The reporting chain end to end, on both engines: a district asks its
//! eight communes for their 2020-H1 reports; five send on time, one late,
//! two never; the district accepts four and returns one, which is sent
//! again; accepted periods lock, except for a late correction, which the
//! accepted report shows as a difference; frozen documents never change.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use danvan_core::access::Role;
use danvan_core::period::Period;
use danvan_core::records::reception::Reception;
use danvan_report::Catalogue;
use danvan_report::chain;
use danvan_store::chain::completeness::{self, Standing};
use danvan_store::chain::requests::{self, NewRequest, Target};
use danvan_store::chain::submissions::{self, Document, Status};
use danvan_store::dossiers::{self, import::ImportOptions};
use danvan_store::{Store, StoreError, reception};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn day20(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, m, d).unwrap()
}

fn reception_on(unit: i64, turns: i64, on: NaiveDate) -> Reception {
    Reception {
        received_on: on,
        ..seed::reception(unit, turns)
    }
}

/// A signed-in user's store: `role` at `unit`.
async fn as_user(store: &Store, name: &str, role: Role, unit: i64) -> Store {
    let u = users::user(store, name, role, Some(unit)).await;
    store.acting_as(u.actor()).within(unit).await.unwrap()
}

const COMMUNES: [&str; 8] = [
    "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
];

fn row(c: &completeness::Completeness, unit: i64) -> &completeness::Row {
    c.rows
        .iter()
        .find(|r| r.unit_id == unit)
        .expect("a row of the unit")
}

async fn play(store: Store) {
    units::load(&store).await;
    let province = units::id(&store, "68").await;
    let district = units::id(&store, "674").await;
    let mut communes = Vec::new();
    for code in COMMUNES {
        communes.push(units::id(&store, code).await);
    }
    // Each commune received some turns in the period.
    for (i, c) in communes.iter().enumerate() {
        reception::insert(&store, &reception_on(*c, 3 + i as i64, day20(3, 10)))
            .await
            .unwrap();
    }
    let district_officer = as_user(&store, "huyen", Role::Officer, district).await;
    let province_officer = as_user(&store, "tinh", Role::Officer, province).await;
    let mut leaders = Vec::new();
    for (i, c) in communes.iter().enumerate() {
        leaders.push(as_user(&store, &format!("xa{i}"), Role::Viewer, *c).await);
    }
    let commune_officer = as_user(&store, "canboxa", Role::Officer, communes[0]).await;

    // 1. The district asks its 8 communes, due 05/07/2020.
    store.set_clock(Some(at(2020, 6, 20)));
    let period = Period::parse("2020-H1", false).unwrap();
    let ask = NewRequest {
        unit_id: district,
        template: "bao-cao-6-thang".into(),
        period,
        due_on: day20(7, 5),
        document: "1027-CV/BDVHU".into(),
        title: String::new(),
        target: Target::Communes,
        chosen: vec![],
    };
    // A commune cannot ask its district.
    assert!(matches!(
        requests::create(
            &leaders[0],
            &NewRequest {
                unit_id: district,
                ..ask.clone()
            }
        )
        .await,
        Err(StoreError::Forbidden(_))
    ));
    let req = requests::create(&district_officer, &ask).await.unwrap();
    let r = requests::get(&leaders[3], req).await.unwrap();
    assert_eq!(r.targets.len(), 8);
    assert_eq!(r.days_left(day20(6, 20)), 15);
    assert_eq!(
        requests::addressed_to(&leaders[3], communes[3])
            .await
            .unwrap()
            .len(),
        1
    );

    // 2. Five send on time, one late, two never.
    store.set_clock(Some(at(2020, 7, 3)));
    let cat = Catalogue::shipped();
    let mut subs = Vec::new();
    for i in 0..5 {
        let s = submissions::prepare(&leaders[i], req, communes[i])
            .await
            .unwrap();
        assert_eq!(s.status, Status::Draft);
        let s = chain::submit(
            &leaders[i],
            cat,
            s.id,
            &format!("{}/BC-UBND", 10 + i),
            None,
            None,
        )
        .await
        .unwrap();
        assert_eq!(s.status, Status::Submitted);
        subs.push(s);
    }
    // A unit not asked, and a commune for another, are refused.
    assert!(
        submissions::prepare(&leaders[0], req, communes[1])
            .await
            .is_err()
    );
    store.set_clock(Some(at(2020, 7, 8)));
    let s = submissions::prepare(&leaders[5], req, communes[5])
        .await
        .unwrap();
    // Sent in the name of the commune's Front, chosen when sending; a
    // body the commune does not have (no Ban Dân vận at a commune) is
    // refused with those it has, and nothing is sent.
    let e = chain::submit(&leaders[5], cat, s.id, "15/BC-MTTQ", None, Some("bdv"))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("không có cơ quan ban hành mã «bdv»")
            && e.to_string().contains("mttq"),
        "{e}"
    );
    assert_eq!(
        submissions::get(&leaders[5], s.id).await.unwrap().status,
        Status::Draft
    );
    let sent = chain::submit(&leaders[5], cat, s.id, "15/BC-MTTQ", None, Some("mttq"))
        .await
        .unwrap();
    let letterhead = sent
        .letterhead
        .as_ref()
        .map(|l| l.to_string())
        .unwrap_or_default();
    assert!(letterhead.contains("ỦY BAN MTTQ VIỆT NAM"), "{letterhead}");
    assert!(!letterhead.contains("ỦY BAN NHÂN DÂN"), "{letterhead}");
    subs.push(sent);

    // 3. Completeness: 6/8, 5 on time.
    let c = completeness::of(&district_officer, req).await.unwrap();
    assert_eq!((c.total, c.sent, c.on_time), (8, 6, 5));
    assert_eq!(c.summary(), "6/8 đơn vị đã gửi, 5 đúng hạn");
    assert_eq!(row(&c, communes[5]).standing, Standing::SubmittedLate);
    assert_eq!(row(&c, communes[7]).standing, Standing::NotStarted);
    assert_eq!(row(&c, communes[0]).standing, Standing::SubmittedOnTime);
    // A commune sees only its own row.
    let own = completeness::of(&leaders[2], req).await.unwrap();
    assert_eq!(own.rows.len(), 1);

    // A commune cannot accept its own report, nor another commune's.
    assert!(matches!(
        submissions::accept(&leaders[0], subs[0].id, None).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        submissions::accept(&commune_officer, subs[0].id, None).await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        submissions::accept(&leaders[0], subs[1].id, None).await,
        Err(StoreError::NotFound(_))
    ));

    // 4. The district accepts four and returns one with a reason.
    store.set_clock(Some(at(2020, 7, 10)));
    for s in &subs[..4] {
        submissions::accept(&district_officer, s.id, None)
            .await
            .unwrap();
    }
    refused_saying(
        submissions::return_for_correction(&district_officer, subs[4].id, "").await,
        "ghi lý do",
    );
    submissions::return_for_correction(&district_officer, subs[4].id, "Thiếu số liệu hòa giải")
        .await
        .unwrap();
    let c = completeness::of(&district_officer, req).await.unwrap();
    assert_eq!((c.accepted, c.returned), (4, 1));
    assert_eq!(
        row(&c, communes[4]).reason.as_deref(),
        Some("Thiếu số liệu hòa giải")
    );

    // 5. The returned unit sends again, as version 2; both stay readable.
    let v2 = submissions::prepare(&leaders[4], req, communes[4])
        .await
        .unwrap();
    assert_eq!(v2.version, 2);
    chain::submit(&leaders[4], cat, v2.id, "14a/BC-UBND", None, None)
        .await
        .unwrap();
    let versions = submissions::versions(&leaders[4], req, communes[4])
        .await
        .unwrap();
    assert_eq!(
        versions.iter().map(|v| v.status).collect::<Vec<_>>(),
        [Status::Returned, Status::Submitted]
    );
    let c = completeness::of(&district_officer, req).await.unwrap();
    assert_eq!(
        row(&c, communes[4]).standing,
        Standing::SubmittedOnTime,
        "first sent on time"
    );

    // 6. Accepted periods lock; other periods and other units do not.
    let first = reception::list(&store, Some(communes[0]), 10)
        .await
        .unwrap()[0]
        .0;
    let (old, v) = reception::get_for_edit(&store, first).await.unwrap();
    let corrected = Reception {
        turns: old.turns + 5,
        persons: old.persons + 5,
        ..old.clone()
    };
    let e = reception::update(&district_officer, first, &corrected, v)
        .await
        .expect_err("locked");
    assert!(matches!(e, StoreError::Locked(_)), "{e}");
    let msg = e.to_string();
    assert!(
        msg.contains("đã khóa") && msg.contains("10/BC-UBND"),
        "{msg}"
    );
    assert!(matches!(
        reception::insert(&store, &reception_on(communes[0], 1, day20(5, 2))).await,
        Err(StoreError::Locked(_))
    ));
    assert!(matches!(
        reception::delete(&store, first).await,
        Err(StoreError::Locked(_))
    ));
    reception::insert(&store, &reception_on(communes[0], 1, day20(8, 2)))
        .await
        .unwrap();
    reception::insert(&store, &reception_on(communes[7], 1, day20(5, 2)))
        .await
        .unwrap();
    // A late correction: not by the commune, by the district with a reason.
    refused_saying(store.late_correction("x").map(|_| ()), "lý do");
    let e = reception::update(
        &commune_officer
            .late_correction("Sửa số lượt bị gõ nhầm")
            .unwrap(),
        first,
        &corrected,
        v,
    )
    .await
    .expect_err("not the reviewer");
    assert!(matches!(e, StoreError::Forbidden(_)), "{e}");
    reception::update(
        &district_officer
            .late_correction("Sửa số lượt bị gõ nhầm")
            .unwrap(),
        first,
        &corrected,
        v,
    )
    .await
    .unwrap();
    let accepted = submissions::get(&district_officer, subs[0].id)
        .await
        .unwrap();
    let r = requests::get(&district_officer, req).await.unwrap();
    let drift = chain::drift(&store, cat, &r, &accepted).await.unwrap();
    assert!(!drift.is_empty());
    assert!(
        drift
            .iter()
            .any(|d| d.live - d.frozen == 5 && d.change == "+5"),
        "{drift:?}"
    );
    let late = submissions::late_corrections(&district_officer, subs[0].id)
        .await
        .unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].reason, "Sửa số lượt bị gõ nhầm");
    let log = audit::actions(&store, "report_submission", subs[0].id).await;
    assert!(log.contains(&"late_correction".to_string()), "{log:?}");

    // 7. Every accepted report downloads with its original SHA-256, and
    // set again from what was frozen gives the same bytes.
    for s in &subs[..4] {
        let s = submissions::get(&district_officer, s.id).await.unwrap();
        let (docx, sha) = submissions::document(&district_officer, s.id, Document::Docx)
            .await
            .unwrap();
        assert_eq!(Some(&sha), s.docx_sha256.as_ref());
        assert_eq!(submissions::sha256(&docx), sha);
        assert_eq!(chain::rerender_docx(&s).unwrap(), docx);
        let (pdf, pdf_sha) = submissions::document(&district_officer, s.id, Document::Pdf)
            .await
            .unwrap();
        assert_eq!(submissions::sha256(&pdf), pdf_sha);
        assert_eq!(chain::rerender_pdf(&s).await.unwrap(), pdf);
        assert!(
            s.body
                .as_deref()
                .unwrap()
                .contains(s.number.as_deref().unwrap())
                || s.letterhead.is_some()
        );
    }

    // The district's consolidation shows the corrected commune apart.
    let district_unit = danvan_store::units::by_id(&store, district)
        .await
        .unwrap()
        .unwrap();
    let (rows, total) = chain::consolidation(&store, cat, &district_unit, &period)
        .await
        .unwrap();
    assert_eq!(rows.len(), 8);
    assert_eq!(rows.iter().filter(|r| r.submission_id.is_some()).count(), 4);
    let of = |u: i64| rows.iter().find(|r| r.unit_id == u).unwrap();
    assert!(!of(communes[0]).differences.is_empty());
    assert!(of(communes[1]).differences.is_empty());
    assert!(!total.is_empty());

    // Withdrawing an acceptance is for the district's superiors.
    assert!(matches!(
        submissions::unaccept(&district_officer, subs[1].id, "Cần xem lại số liệu").await,
        Err(StoreError::Forbidden(_))
    ));
    submissions::unaccept(&province_officer, subs[1].id, "Cần xem lại số liệu")
        .await
        .unwrap();
    reception::insert(&store, &reception_on(communes[1], 1, day20(5, 2)))
        .await
        .unwrap();
    let log = audit::actions(&store, "report_submission", subs[1].id).await;
    for step in ["create", "submit", "accept", "unaccept"] {
        assert!(log.contains(&step.to_string()), "{step}: {log:?}");
    }
}

#[test]
fn the_chain_on_sqlite() {
    on_sqlite(|rt, store| rt.block_on(play(store)));
}

#[test]
fn the_chain_on_postgres() {
    on_postgres(|rt, store| rt.block_on(play(store)));
}

/// A commune's one-stop dossiers: `n` received in March 2020.
fn dossiers_csv(code: &str, prefix: &str, n: usize) -> String {
    let mut s = String::from("ma_ho_so,ten_thu_tuc,ma_don_vi,kenh,ngay_tiep_nhan,han_giai_quyet\n");
    for i in 0..n {
        s.push_str(&format!(
            "{prefix}-{i},Chứng thực bản sao,{code},trực tiếp,2020-03-{:02},2020-04-20\n",
            1 + i % 28
        ));
    }
    s
}

async fn outliers(store: Store) {
    units::load(&store).await;
    let cat = Catalogue::shipped();
    let period = Period::parse("2020-H1", false).unwrap();
    // Ordinary variation: 60 to 74 dossiers each.
    for (i, code) in COMMUNES.iter().enumerate() {
        let csv = dossiers_csv(code, &format!("HS{code}"), 60 + 2 * i);
        dossiers::import::import_csv(
            &store,
            std::io::Cursor::new(csv),
            ImportOptions::default(),
            |_| {},
        )
        .await
        .unwrap();
    }
    for code in COMMUNES {
        let id = units::id(&store, code).await;
        let u = danvan_store::units::by_id(&store, id)
            .await
            .unwrap()
            .unwrap();
        let f = danvan_report::Figures::compute(&store, cat, &u, &period, false)
            .await
            .unwrap();
        let flags = danvan_report::outliers::check(&store, cat, &u, &period, &f.all)
            .await
            .unwrap();
        assert!(flags.is_empty(), "{code}: {flags:?}");
    }
    // One commune receives ten times its usual.
    let code = COMMUNES[2];
    let csv = dossiers_csv(code, "THEM", 580);
    dossiers::import::import_csv(
        &store,
        std::io::Cursor::new(csv),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    let id = units::id(&store, code).await;
    let u = danvan_store::units::by_id(&store, id)
        .await
        .unwrap()
        .unwrap();
    let f = danvan_report::Figures::compute(&store, cat, &u, &period, false)
        .await
        .unwrap();
    let flags = danvan_report::outliers::check(&store, cat, &u, &period, &f.all)
        .await
        .unwrap();
    assert!(
        flags
            .iter()
            .any(|o| o.code.starts_with("dossier") && o.value == 644),
        "{flags:?}"
    );
    assert!(flags.iter().all(|o| o.message.contains("gấp")), "{flags:?}");
}

#[test]
fn ten_times_the_usual_is_flagged_and_ordinary_variation_is_not() {
    on_sqlite(|rt, store| rt.block_on(outliers(store)));
}
