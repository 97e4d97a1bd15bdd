//! Yearly scoring end to end, on both engines: a district opens a round
//! for 2020 on the national sheet (a trial) for three communes; they
//! assess themselves with the automatic items read from their figures;
//! the district adjusts with a reason and approves. A disciplined leader
//! caps a grade whatever the points; an approved result does not move
//! when 2020's records change; re-scoring is a new version with its
//! reason; bad input is refused in Vietnamese and writes nothing; the
//! XLSX and the DOCX annex open in LibreOffice.

mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use common::*;
use danvan_core::access::Role;
use danvan_core::period::Period;
use danvan_core::records::model::ModelYear;
use danvan_core::scoring::{Answer, ItemKind, Sheet};
use danvan_report::figures::Value;
use danvan_report::{Catalogue, Figures, scoring, scoring_files};
use danvan_store::chain::requests::Target;
use danvan_store::scoring::assessments::{self, Status};
use danvan_store::scoring::rounds::{self, NewRound};
use danvan_store::{Store, StoreError, models};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

async fn as_user(store: &Store, name: &str, role: Role, unit: i64) -> Store {
    let u = users::user(store, name, role, Some(unit)).await;
    store.acting_as(u.actor()).within(unit).await.unwrap()
}

const COMMUNES: [&str; 3] = ["24853", "24856", "24859"];

/// A model of `unit` recognised in 2020, recorded on `on`.
async fn recognised_model(store: &Store, unit: i64, on: NaiveDate) {
    let (m, _) = seed::model(unit);
    let year = ModelYear {
        year: 2020,
        recorded_on: on,
        recognised: true,
        ..seed::model_year(danvan_core::records::model::ModelStatus::ALL[0])
    };
    models::insert_many(store, &[(m, vec![year])])
        .await
        .unwrap();
}

/// Every manual item answered in full; `disciplined` records one case on
/// the deduction the sheet's grade cap names.
fn full(sheet: &Sheet, disciplined: bool) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for (_, i) in sheet.items() {
        let a = match i.kind {
            ItemKind::Auto { .. } => continue,
            ItemKind::YesNo => Answer {
                yes: Some(true),
                document: "12/KH-UBND".into(),
                ..Default::default()
            },
            ItemKind::Reviewer => Answer {
                points: Some(i.max),
                ..Default::default()
            },
            ItemKind::Deduction { .. } => {
                let case = disciplined && sheet.caps.iter().any(|c| c.item == i.code);
                Answer {
                    cases: Some(i64::from(case)),
                    document: if case {
                        "3/QĐ-KL".into()
                    } else {
                        String::new()
                    },
                    ..Default::default()
                }
            }
        };
        out.insert(i.code.clone(), a);
    }
    out
}

async fn audit_count(store: &Store) -> usize {
    danvan_store::audit::list(
        store,
        &danvan_store::audit::Filter {
            limit: Some(100_000),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .len()
}

fn round(unit: i64, year: i32, sheet: &str, trial: bool, chosen: &[i64]) -> NewRound {
    NewRound {
        unit_id: unit,
        year,
        sheet: sheet.into(),
        trial,
        title: String::new(),
        target: Target::Chosen,
        chosen: chosen.to_vec(),
    }
}

async fn play(store: Store) {
    units::load(&store).await;
    let district = units::id(&store, "674").await;
    let mut c = Vec::new();
    for code in COMMUNES {
        c.push(units::id(&store, code).await);
    }
    recognised_model(&store, c[1], NaiveDate::from_ymd_opt(2020, 9, 15).unwrap()).await;
    let district_officer = as_user(&store, "huyen", Role::Officer, district).await;
    let officer0 = as_user(&store, "xa0", Role::Officer, c[0]).await;
    let officer1 = as_user(&store, "xa1", Role::Officer, c[1]).await;
    store.set_clock(Some(at(2021, 1, 10)));
    let cat = Catalogue::shipped();

    // Bad rounds are refused in Vietnamese and write nothing.
    let before = audit_count(&store).await;
    refused_saying(
        rounds::open(&district_officer, &round(district, 2030, "nd335", true, &c)).await,
        "năm đánh giá 2030 phải từ 2000 đến 2021",
    );
    refused_saying(
        rounds::open(
            &district_officer,
            &round(district, 2020, "nd335", false, &c),
        )
        .await,
        "chỉ chấm thử được",
    );
    refused_saying(
        rounds::open(
            &district_officer,
            &round(district, 2020, "khong-co", true, &c),
        )
        .await,
        "không có bảng tiêu chí «khong-co»",
    );
    refused_saying(
        rounds::open(
            &district_officer,
            &round(district, 2021, "ben-tre", true, &c),
        )
        .await,
        "bản nháp",
    );
    let e = rounds::open(&officer0, &round(district, 2020, "nd335", true, &c)).await;
    assert!(matches!(e, Err(StoreError::Forbidden(_))), "{e:?}");
    refused_saying(
        rounds::open(
            &district_officer,
            &round(district, 2020, "nd335", true, &[district]),
        )
        .await,
        "chỉ đánh giá được các đơn vị cấp dưới",
    );
    assert!(rounds::list(&store).await.unwrap().is_empty());
    assert_eq!(audit_count(&store).await, before, "nothing logged");

    let rid = rounds::open(&district_officer, &round(district, 2020, "nd335", true, &c))
        .await
        .unwrap();
    refused_saying(
        rounds::open(&district_officer, &round(district, 2020, "nd335", true, &c)).await,
        "đã mở đợt đánh giá năm 2020",
    );
    let r = rounds::get(&store, rid).await.unwrap();
    assert!(r.trial);
    let sheet = r.sheet().unwrap();

    // Each commune starts: automatic items are the figures of its year.
    let mut ids = Vec::new();
    for (i, u) in c.iter().enumerate() {
        let me = as_user(&store, &format!("can-bo-{i}"), Role::Officer, *u).await;
        let a = scoring::start(&me, rid, *u).await.unwrap();
        assert_eq!((a.version, a.status), (1, Status::SelfAssessing));
        let unit = danvan_store::units::by_id(&store, *u)
            .await
            .unwrap()
            .unwrap();
        let f = Figures::compute(
            &store,
            cat,
            &unit,
            &Period::parse("2020", false).unwrap(),
            false,
        )
        .await
        .unwrap();
        for (_, item) in sheet.items() {
            if let ItemKind::Auto { indicator, .. } = &item.kind {
                let fig = a.answers[&item.code].figure.clone().unwrap();
                match &f.all.0[indicator] {
                    Value::Count(n) => assert_eq!((fig.num, fig.den), (*n, None)),
                    Value::Ratio { num, den, .. } => {
                        assert_eq!((fig.num, fig.den), (*num, Some(*den)))
                    }
                }
            }
        }
        ids.push(a.id);
    }
    // A sibling reads nothing of another commune's assessment.
    assert!(matches!(
        assessments::get(&officer1, ids[0]).await,
        Err(StoreError::NotFound(_))
    ));

    // An incomplete self-assessment is not sent; nothing changes.
    let before = assessments::get(&store, ids[0]).await.unwrap().1;
    refused_saying(
        scoring::submit(&officer0, ids[0], None).await,
        "còn tiêu chí chưa tự đánh giá",
    );
    let mut bad = full(sheet, false);
    let reviewer_item = sheet
        .items()
        .find(|(_, i)| matches!(i.kind, ItemKind::Reviewer))
        .unwrap()
        .1
        .clone();
    bad.get_mut(&reviewer_item.code).unwrap().points = Some(reviewer_item.max + 100);
    refused_saying(
        scoring::submit(&officer0, ids[0], Some(&bad)).await,
        "ngoài khoảng 0 đến",
    );
    let after = assessments::get(&store, ids[0]).await.unwrap().1;
    assert_eq!(before.answers, after.answers);
    assert_eq!(after.status, Status::SelfAssessing);

    // Send all three; commune 1 had its chairman disciplined.
    for (i, id) in ids.iter().enumerate() {
        let me = if i == 1 { &officer1 } else { &officer0 };
        let me = if i == 2 { &store } else { me };
        scoring::submit(me, *id, Some(&full(sheet, i == 1)))
            .await
            .unwrap();
    }
    // A commune neither adjusts nor approves; the reviewer cannot touch
    // an automatic item, nor adjust without a reason.
    let auto = sheet.items().find(|(_, i)| i.is_auto()).unwrap().1.clone();
    assert!(matches!(
        assessments::approve(&officer0, ids[0]).await,
        Err(StoreError::Forbidden(_))
    ));
    refused_saying(
        assessments::adjust(&district_officer, ids[0], &auto.code, 0, "số liệu sai").await,
        "tính tự động từ số liệu",
    );
    refused_saying(
        assessments::adjust(&district_officer, ids[0], &reviewer_item.code, 100, "x").await,
        "ghi lý do",
    );
    assessments::adjust(
        &district_officer,
        ids[0],
        &reviewer_item.code,
        reviewer_item.max - 200,
        "Chưa có sơ kết giữa năm",
    )
    .await
    .unwrap();
    for id in &ids {
        let a = assessments::approve(&district_officer, *id).await.unwrap();
        assert_eq!(a.status, Status::Approved);
    }
    refused_saying(
        assessments::approve(&district_officer, ids[0]).await,
        "chỉ phê duyệt được bản đã gửi",
    );

    // The disciplined leader caps commune 1's grade although its points
    // would make it "xuất sắc".
    let (_, a1) = assessments::get(&store, ids[1]).await.unwrap();
    let r1 = a1.result.clone().unwrap();
    assert_eq!(r1.total, 9500, "{r1:?}");
    assert_eq!(r1.grade, "tot");
    assert!(
        r1.capped
            .as_deref()
            .unwrap()
            .contains("Người đứng đầu bị xử lý kỷ luật")
    );
    // Commune 0 lost points only where the reviewer and the figures said.
    let (_, a0) = assessments::get(&store, ids[0]).await.unwrap();
    let r0 = a0.result.clone().unwrap();
    let adjusted = r0
        .items
        .iter()
        .find(|i| i.code == reviewer_item.code)
        .unwrap();
    assert!(adjusted.adjusted && adjusted.explanation.contains("Chưa có sơ kết giữa năm"));
    let models = r0.items.iter().find(|i| i.code == "II.3").unwrap();
    assert_eq!(models.points, 0);
    assert!(
        models.explanation.contains("chưa đạt"),
        "{}",
        models.explanation
    );

    // 2020's records change after approval: the figures move, the
    // approved scores do not.
    let scores_before = scoring::scores(&store, district, 2020, None).await.unwrap();
    recognised_model(&store, c[0], NaiveDate::from_ymd_opt(2020, 11, 20).unwrap()).await;
    let unit0 = danvan_store::units::by_id(&store, c[0])
        .await
        .unwrap()
        .unwrap();
    let f = Figures::compute(
        &store,
        cat,
        &unit0,
        &Period::parse("2020", false).unwrap(),
        false,
    )
    .await
    .unwrap();
    assert_eq!(f.all.count("model_recognised"), 1);
    let scores_after = scoring::scores(&store, district, 2020, None).await.unwrap();
    assert_eq!(
        serde_json::to_value(&scores_before).unwrap(),
        serde_json::to_value(&scores_after).unwrap()
    );
    assert_eq!(
        assessments::get(&store, ids[0])
            .await
            .unwrap()
            .1
            .result
            .unwrap(),
        r0
    );

    // A re-score is a new version, with its reason; without one, nothing.
    refused_saying(
        scoring::rescore(&district_officer, ids[0], "").await,
        "ghi lý do",
    );
    let r = rounds::get(&store, rid).await.unwrap();
    assert_eq!(
        assessments::versions(&store, &r, c[0]).await.unwrap().len(),
        1
    );
    let v2 = scoring::rescore(
        &district_officer,
        ids[0],
        "Bổ sung mô hình được công nhận tháng 11",
    )
    .await
    .unwrap();
    assert_eq!((v2.version, v2.status), (2, Status::Submitted));
    assert_eq!(
        v2.reason.as_deref(),
        Some("Bổ sung mô hình được công nhận tháng 11")
    );
    assert_eq!(v2.answers["II.3"].figure.as_ref().unwrap().num, 1);
    let versions = assessments::versions(&store, &r, c[0]).await.unwrap();
    assert_eq!(versions[0].status, Status::Superseded);
    assert_eq!(versions[0].result.as_ref().unwrap(), &r0);
    let v2 = assessments::approve(&district_officer, v2.id)
        .await
        .unwrap();
    assert_eq!(v2.result.unwrap().total, r0.total + 1000);

    // The ranked table and its files.
    let ranked = scoring::ranked(&store, rid).await.unwrap();
    assert_eq!(ranked.rows.len(), 3);
    assert_eq!(ranked.rows[0].rank, Some(1));
    assert!(ranked.rows.iter().all(|r| r.approved));
    let xlsx = scoring_files::xlsx(&ranked).unwrap();
    let docx = scoring_files::docx(&ranked);
    opens_in_libreoffice(&xlsx, "bang-xep-hang.xlsx");
    opens_in_libreoffice(&docx, "phu-luc.docx");
    let svg = scoring_files::distribution_svg(&ranked);
    assert!(svg.contains("Hoàn thành tốt nhiệm vụ (1)"), "{svg}");
    store.set_clock(None);
}

/// LibreOffice converts the file to PDF (skipped without LibreOffice
/// unless DANVAN_REQUIRE_LIBREOFFICE is set).
fn opens_in_libreoffice(bytes: &[u8], name: &str) {
    let soffice = ["soffice", "libreoffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let Some(soffice) = soffice else {
        assert!(
            std::env::var("DANVAN_REQUIRE_LIBREOFFICE").is_err(),
            "DANVAN_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed"
        );
        eprintln!("BỎ QUA: chưa cài LibreOffice (soffice)");
        return;
    };
    let dir = std::env::temp_dir().join(unique("danvan-scoring"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let o = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = name.rsplit_once('.').unwrap().0;
    let pdf = std::fs::read(dir.join(format!("{stem}.pdf"))).unwrap_or_else(|_| {
        panic!(
            "LibreOffice wrote no PDF for {name}: {}",
            String::from_utf8_lossy(&o.stdout)
        )
    });
    assert!(pdf.starts_with(b"%PDF"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_round_is_scored_approved_frozen_and_rescored_on_sqlite() {
    on_sqlite(|rt, store| rt.block_on(play(store)));
}

#[test]
fn a_round_is_scored_approved_frozen_and_rescored_on_postgres() {
    on_postgres(|rt, store| rt.block_on(play(store)));
}

#[test]
fn every_automatic_item_names_an_indicator_of_the_catalogue() {
    let cat = Catalogue::shipped();
    for s in danvan_core::scoring::shipped() {
        for (_, i) in s.items() {
            if let ItemKind::Auto { indicator, .. } = &i.kind {
                assert!(
                    cat.indicators.contains_key(indicator),
                    "{} {}: {indicator}",
                    s.id,
                    i.code
                );
            }
        }
    }
}
