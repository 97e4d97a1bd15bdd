//! The inspection sector's statistical forms on a generated tree, on both
//! engines: a province's forms have a row for its own body and one per
//! district, a commune's only its own; every relation holds, the total is
//! the sum of the rows and the report's figures, and the workbook holds the
//! totals as SUM formulas with those figures cached.

mod common;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_core::records::petition::{Eligibility, Event, Handling, Petition, PetitionType};
use danvan_core::records::reception::ReceptionKind;
use danvan_report::inspection_forms::{self as forms, Forms};
use danvan_report::{Catalogue, Figures};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, petitions, reception, unit_import};
use danvan_testkit::seed;

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Thử,tỉnh,,,,
H1,Một,huyện,P,,,
X11,Một Một,xã,H1,,,
H2,Hai,thành phố,P,,,
X21,Hai Một,phường,H2,,,
";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A petition received on `on`, classified two days later and handled
/// (`handling`) a week later, or left waiting.
fn petition(u: &Unit, kind: PetitionType, on: NaiveDate, handling: Option<Handling>) -> Petition {
    let p = Petition {
        received_on: on,
        ..seed::petition(u.id, kind)
    };
    let Some(h) = handling else { return p };
    let p = p
        .apply(&Event::Classify {
            on: on + chrono::Duration::days(2),
            eligibility: Eligibility::Eligible,
        })
        .unwrap();
    p.apply(&Event::Handle {
        on: on + chrono::Duration::days(7),
        handling: h,
        complex: false,
        remote: false,
    })
    .unwrap()
}

async fn fill(store: &Store, unit: &Unit) -> Forms<'static> {
    let period = Period::parse("2020-H1", false).unwrap();
    let chosen = forms::pick(forms::shipped(), "").unwrap();
    forms::fill(store, unit, &period, &chosen).await.unwrap()
}

/// Every relation holds on every row, and each column's total is the sum
/// of its rows.
fn consistent(f: &Forms) {
    assert!(f.violations().is_empty(), "{:?}", f.violations());
    for filled in &f.filled {
        for (i, c) in filled.total.cells.iter().enumerate() {
            let sum: i64 = filled.rows.iter().map(|r| r.cells[i].unwrap_or(0)).sum();
            assert_eq!(c.unwrap_or(0), sum, "{} ({})", filled.form.code, i + 1);
        }
    }
}

async fn check(store: &Store) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let (p, h1, x11, h2, x21) = (
        u("P").await,
        u("H1").await,
        u("X11").await,
        u("H2").await,
        u("X21").await,
    );
    let on = d(2020, 3, 5);
    reception::insert_many(
        store,
        &[
            seed::counted(p.id, on, ReceptionKind::Regular, 7, 9),
            seed::counted(h1.id, on, ReceptionKind::Periodic, 3, 3),
            seed::counted(x11.id, on, ReceptionKind::Unscheduled, 5, 6),
            seed::counted(x21.id, on, ReceptionKind::Regular, 6, 6),
        ],
    )
    .await
    .unwrap();
    use Handling as H;
    use PetitionType as T;
    petitions::insert_many(
        store,
        &[
            // Carried over from 2019 unhandled, handled in January.
            petition(&p, T::Complaint, d(2019, 12, 28), Some(H::Returned)),
            petition(&x11, T::Complaint, d(2020, 3, 4), Some(H::Accepted)),
            petition(&x11, T::Denunciation, d(2020, 4, 1), Some(H::Transferred)),
            petition(&h2, T::Recommendation, d(2020, 6, 20), None),
            petition(&x21, T::Recommendation, d(2020, 2, 3), Some(H::Urged)),
        ],
    )
    .await
    .unwrap();

    let period = Period::parse("2020-H1", false).unwrap();
    let figures = Figures::compute(store, Catalogue::shipped(), &p, &period, false)
        .await
        .unwrap();
    let f = fill(store, &p).await;
    consistent(&f);
    let (tcd, xld) = (&f.filled[0], &f.filled[1]);
    let labels: Vec<&str> = tcd.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Tỉnh Thử (cấp mình)", "Huyện Một", "Thành phố Hai"]
    );
    // The rows read each subtree: the district's own 3 turns and its
    // commune's 5; the province's own 7.
    assert_eq!(tcd.rows[0].get(1), 7);
    assert_eq!(tcd.rows[1].get(1), 8);
    assert_eq!(tcd.rows[1].get(13), 8);
    assert_eq!(tcd.rows[2].get(4), 6);
    assert_eq!(tcd.total.get(1), figures.all.count("reception_turns"));
    assert_eq!(tcd.total.get(2), figures.all.count("reception_persons"));
    assert_eq!(tcd.total.get(1), 21);
    assert_eq!(tcd.total.cells[2], None, "(3) is not recorded");
    // 01/XLD: 1 carried over + 4 received; 4 handled, 1 waiting.
    assert_eq!([1, 2, 3, 4, 5].map(|n| xld.total.get(n)), [5, 1, 4, 4, 1]);
    assert_eq!(xld.total.get(3), figures.all.count("petition_new"));
    assert_eq!(xld.total.get(14), figures.all.count("petition_accepted"));
    assert_eq!(
        [19, 20, 21].map(|n| xld.total.get(n)),
        [
            figures.all.count("petition_returned"),
            figures.all.count("petition_transferred"),
            figures.all.count("petition_urged"),
        ]
    );
    assert_eq!(xld.rows[0].get(19), 1, "the province returned its own");
    assert_eq!(xld.rows[2].get(5), 1, "the city's petition waits");

    // The workbook: totals as SUM formulas, their results cached.
    let bytes = forms::workbook(&f).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), ["01-TCD", "01-XLD", "Kiểm tra"]);
    let values = wb.worksheet_range("01-XLD").unwrap();
    let formulas = wb.worksheet_formula("01-XLD").unwrap();
    let total_row = (0..values.height() as u32)
        .find(|r| values.get_value((*r, 0)) == Some(&Data::String("Tổng cộng".into())))
        .expect("a total row");
    let first = total_row - 3;
    assert_eq!(
        formulas.get_value((total_row, 1)).map(String::as_str),
        Some(format!("SUM(B{}:B{})", first + 1, total_row).as_str())
    );
    assert_eq!(
        formulas.get_value((first, 1)).map(String::as_str),
        Some(format!("C{0}+D{0}", first + 1).as_str())
    );
    let cached = |r: u32, c: u32| match values.get_value((r, c)) {
        Some(Data::Float(v)) => *v as i64,
        Some(Data::Int(v)) => *v,
        other => panic!("({r}, {c}): {other:?}"),
    };
    assert_eq!(cached(total_row, 1), 5);
    assert_eq!(cached(total_row, 3), figures.all.count("petition_new"));
    let check = wb.worksheet_range("Kiểm tra").unwrap();
    let summary = check.get_value((1, 0)).unwrap().to_string();
    assert!(summary.contains("phép kiểm tra đều đúng"), "{summary}");

    // A commune: its own row only.
    let f = fill(store, &x11).await;
    consistent(&f);
    let xld = &f.filled[1];
    assert_eq!(xld.rows.len(), 1);
    assert_eq!(xld.rows[0].label, "Xã Một Một");
    assert_eq!([3, 14, 15, 20].map(|n| xld.total.get(n)), [2, 1, 1, 1]);
}

#[test]
fn forms_of_a_province_and_a_commune_on_sqlite() {
    common::on_sqlite(|rt, store| rt.block_on(check(&store)));
}

#[test]
fn forms_of_a_province_and_a_commune_on_postgres() {
    common::on_postgres(|rt, store| rt.block_on(check(&store)));
}
