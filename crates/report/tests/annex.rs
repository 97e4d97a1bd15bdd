//! Reports built on a small store: the prose drops empty sentences, the
//! validation runs, and the XLSX annex has a row per unit, a totals row
//! and a chart.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_core::records::reception::{Reception, ReceptionKind};
use danvan_report::{Catalogue, Request};
use danvan_store::{Store, reception, unit_import, units};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
H,Thử Nghiệm,huyện,,,,
X1,Một,xã,H,,,
X2,Hai,xã,H,,,
";

fn rec(unit: i64, d: (i32, u32, u32), kind: ReceptionKind, turns: i64, persons: i64) -> Reception {
    let on = NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap();
    danvan_testkit::seed::counted(unit, on, kind, turns, persons)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_text_and_annex_from_records() {
    let path = std::env::temp_dir().join(format!("danvan-annex-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    unit_import::import_csv(&store, TREE.as_bytes())
        .await
        .unwrap();
    let h = units::find(&store, "H", None).await.unwrap();
    let x1 = units::find(&store, "X1", None).await.unwrap();
    let x2 = units::find(&store, "X2", None).await.unwrap();
    reception::insert_many(
        &store,
        &[
            rec(h.id, (2020, 2, 3), ReceptionKind::Periodic, 3, 5),
            rec(h.id, (2020, 3, 3), ReceptionKind::Regular, 2, 2),
            rec(x1.id, (2020, 4, 3), ReceptionKind::Regular, 4, 4),
            rec(x2.id, (2020, 5, 3), ReceptionKind::Regular, 1, 1),
            rec(x2.id, (2020, 8, 3), ReceptionKind::Regular, 9, 9),
        ],
    )
    .await
    .unwrap();
    let catalogue = Catalogue::builtin();
    let req = Request::new(&h, Period::parse("2020-H1", false).unwrap())
        .template(Some("bao-cao-6-thang"));
    let r = danvan_report::build(&store, &catalogue, req).await.unwrap();
    let t = r.to_txt();
    assert!(t.contains("đã tiếp 10 lượt (UBND huyện tiếp 5 lượt/7 người; tiếp công dân định kỳ 3 lượt/5 người, tiếp dân thường xuyên 2 lượt/2 người)"), "{t}");
    assert!(
        t.contains("Ủy ban nhân dân các xã tiếp 5 lượt/5 người."),
        "{t}"
    );
    assert!(t.contains("mọi quy tắc kiểm tra đều đạt"), "{t}");

    let bytes = r.to_xlsx(&store, &catalogue, &h).await.unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert!(z.by_name("xl/charts/chart1.xml").is_ok(), "a chart");
    let mut shared = String::new();
    z.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut shared)
        .unwrap();
    for s in [
        "Tổng cộng",
        "xã Một",
        "xã Hai",
        "huyện Thử Nghiệm (cấp mình)",
        "Số lượt tiếp công dân",
    ] {
        assert!(shared.contains(s), "{s} in {shared}");
    }
    // The reception sheet: rows for the own level, X1, X2 and the total.
    let names: Vec<String> = z
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(String::from)
        .collect();
    let mut sheets = Vec::new();
    for n in &names {
        let mut s = String::new();
        z.by_name(n).unwrap().read_to_string(&mut s).unwrap();
        sheets.push(s);
    }
    assert!(
        sheets.iter().any(|s| s.contains("<v>10</v>")),
        "the total of turns"
    );
    let mut workbook = String::new();
    z.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut workbook)
        .unwrap();
    assert!(workbook.contains(r#"name="Tiếp công dân""#), "{workbook}");

    // A template that names an unknown indicator is refused before rendering.
    let bad = Request {
        custom_template: Some(("rieng".into(), "{{ all.khong_co }}".into())),
        ..Request::new(&h, Period::parse("2020-H1", false).unwrap())
    };
    let e = danvan_report::build(&store, &catalogue, bad)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("khong_co"), "{e}");
    store.close().await;
    let _ = std::fs::remove_file(&path);
}
