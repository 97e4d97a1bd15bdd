//! One-stop dossiers on both engines: seed 000's figures rebuilt from an
//! imported export and read back through facts; idempotent re-import;
//! updates; bad files that name every bad line and write nothing.

mod common;

use std::fmt::Write;

use chrono::{Days, NaiveDate};
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::dossier::keys;
use danvan_core::records::dossier::rate::{DossierFigures, OnTimeFormula};
use danvan_store::dossiers::import::{ImportOptions, ImportSummary, import_csv};
use danvan_store::dossiers::{self, figures};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError};

const COMMUNES: [&str; 8] = [
    "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
];
const HEADER: &str = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn h1_2020() -> DateRange {
    Period::parse("2020-H1", false).unwrap().range()
}

/// How a generated dossier ends.
#[derive(Clone, Copy)]
enum End {
    /// Not resolved.
    Pending,
    /// Resolved three days before it was due.
    Early,
    /// Resolved on the day it was due.
    OnTime,
    /// Resolved four days late.
    Late,
}

impl End {
    /// When a dossier due on `due` was resolved, if it was.
    fn resolved(self, due: NaiveDate) -> Option<NaiveDate> {
        match self {
            End::Pending => None,
            End::Early => Some(due - Days::new(3)),
            End::OnTime => Some(due),
            End::Late => Some(due + Days::new(4)),
        }
    }
}

/// How dossiers reach the desk, in turn.
const CHANNELS: [&str; 3] = ["Trực tiếp", "Trực tuyến", "Bưu chính"];

/// A CSV export: for each unit code, dossiers with the given ends, received
/// on days spread over January–May 2020, due ten days later.
fn export(blocks: &[(&str, &[(End, usize)])]) -> String {
    let mut s = HEADER.to_string();
    let mut n = 0;
    for (unit, ends) in blocks {
        for &(end, count) in *ends {
            for _ in 0..count {
                n += 1;
                let received = d("2020-01-02") + Days::new((n % 140) as u64);
                let due = received + Days::new(10);
                let resolved = end.resolved(due);
                let channel = CHANNELS[n % CHANNELS.len()];
                writeln!(
                    s,
                    "{n},HS-{unit}-{n:06},1.00{},Thủ tục {},{unit},{channel},,{},{},{},,",
                    n % 7,
                    n % 7,
                    received.format("%d/%m/%Y"),
                    due.format("%Y-%m-%d"),
                    resolved.map_or(String::new(), |r| r.format("%d/%m/%Y").to_string()),
                )
                .unwrap();
            }
        }
    }
    s
}

/// Seed 000: the district desk 1.022 received, 787 on time and 15 late of
/// 802 resolved; the 8 communes 5.085 received, 4.667 on time, 64 late.
fn seed_000() -> String {
    use End::*;
    let district: &[(End, usize)] = &[(Early, 500), (OnTime, 287), (Late, 15), (Pending, 220)];
    let mut blocks: Vec<(&str, &[(End, usize)])> = vec![("674", district)];
    // 5.085 = 7 × 636 + 633; on time 4.667 = 7 × 583 + 586; late 64 = 8 × 8.
    const FULL: &[(End, usize)] = &[(Early, 300), (OnTime, 283), (Late, 8), (Pending, 45)];
    const LAST: &[(End, usize)] = &[(Early, 300), (OnTime, 286), (Late, 8), (Pending, 39)];
    for (i, c) in COMMUNES.iter().enumerate() {
        blocks.push((c, if i == 7 { LAST } else { FULL }));
    }
    export(&blocks)
}

async fn setup(store: &Store) -> Vec<Unit> {
    danvan_testkit::units::load(store).await;
    units::all(store).await.unwrap()
}

fn scope(all: &[Unit], code: &str) -> Scope {
    Scope::of(all.iter().find(|u| u.code == code).unwrap())
}

async fn import(
    store: &Store,
    csv: &str,
    opts: ImportOptions,
) -> Result<ImportSummary, StoreError> {
    import_csv(
        store,
        std::io::Cursor::new(csv.to_string().into_bytes()),
        opts,
        |_| {},
    )
    .await
}

/// The one-stop figures of huyện Đam Rông for the calendar period `p`.
async fn district_in(store: &Store, all: &[Unit], p: &str) -> DossierFigures {
    let range = Period::parse(p, false).unwrap().range();
    figures(store, scope(all, "674"), range).await.unwrap()
}

fn rate(v: Option<i64>) -> String {
    format!("{}%", number::decimal(v.unwrap(), 1))
}

fn minus(a: DossierFigures, b: DossierFigures) -> DossierFigures {
    DossierFigures {
        carried_over: a.carried_over - b.carried_over,
        received_direct: a.received_direct - b.received_direct,
        received_online: a.received_online - b.received_online,
        received_post: a.received_post - b.received_post,
        received_inter_agency: a.received_inter_agency - b.received_inter_agency,
        resolved_early: a.resolved_early - b.resolved_early,
        resolved_on_time: a.resolved_on_time - b.resolved_on_time,
        resolved_late: a.resolved_late - b.resolved_late,
        pending_in_time: a.pending_in_time - b.pending_in_time,
        pending_nearly_due: a.pending_nearly_due - b.pending_nearly_due,
        pending_overdue: a.pending_overdue - b.pending_overdue,
        returned: a.returned - b.returned,
        withdrawn: a.withdrawn - b.withdrawn,
        fell_due: a.fell_due - b.fell_due,
        fell_due_in_time: a.fell_due_in_time - b.fell_due_in_time,
    }
}

#[test]
fn seed_000_one_stop_blocks_from_an_export() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let csv = seed_000();
            let s = import(&db.store, &csv, ImportOptions::default())
                .await
                .unwrap();
            assert_eq!((s.rows, s.inserted, s.rejected_count()), (6107, 6107, 0));
            let f = OnTimeFormula::default();
            let mut communes = DossierFigures::default();
            for c in COMMUNES {
                communes = minus(
                    communes,
                    minus(
                        DossierFigures::default(),
                        figures(&db.store, scope(&all, c), h1_2020()).await.unwrap(),
                    ),
                );
            }
            let whole = figures(&db.store, scope(&all, "674"), h1_2020())
                .await
                .unwrap();
            let district = minus(whole, communes);
            assert_eq!(number::int(district.received()), "1.022");
            assert_eq!(district.resolved(), 802);
            assert_eq!(district.resolved_in_time(), 787);
            assert_eq!(district.resolved_late, 15);
            assert_eq!(rate(district.on_time_rate(f, 1)), "98,1%");
            assert_eq!(rate(district.late_rate(1)), "1,9%");
            assert_eq!(district.pending(), 220);
            assert_eq!(number::int(communes.received()), "5.085");
            assert_eq!(number::int(communes.resolved_in_time()), "4.667");
            assert_eq!(communes.resolved_late, 64);
            assert_eq!(rate(communes.on_time_rate(f, 1)), "98,6%");
            assert_eq!(rate(communes.late_rate(1)), "1,4%");
            // The same totals straight from facts::read.
            let t = facts::read(
                &db.store,
                scope(&all, "674"),
                &[keys::RECEIVED, keys::RESOLVED],
                h1_2020(),
                Detail::Breakdowns,
            )
            .await
            .unwrap();
            assert_eq!(t.total(keys::RECEIVED), 6107);
            assert_eq!(t.total_where(keys::RESOLVED, &[("timeliness", "late")]), 79);
            let by_channel = t.by(keys::RECEIVED, "channel");
            assert_eq!(by_channel.values().sum::<i64>(), 6107);
            // Pending at the end of June are carried over into the second half.
            let h2 = district_in(&db.store, &all, "2020-H2").await;
            assert_eq!(h2.carried_over, whole.pending());
            assert_eq!(whole.pending(), 220 + 7 * 45 + 39);
            assert_eq!(whole.carried_over, 0);

            // Importing the same export again changes nothing.
            let before = facts::dump(&db.store).await.unwrap();
            let again = import(&db.store, &csv, ImportOptions::default())
                .await
                .unwrap();
            assert_eq!(
                (again.inserted, again.updated, again.unchanged),
                (0, 0, 6107)
            );
            assert_eq!(facts::dump(&db.store).await.unwrap(), before);
            assert_eq!(dossiers::count(&db.store).await.unwrap(), 6107);
            db.finish().await;
        }
    });
}

#[test]
fn a_later_export_moves_a_dossier_from_pending_to_resolved() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let first = format!(
                "{HEADER}1,A-1,1.1,Khai sinh,24853,trực tiếp,,2020-06-20,2020-07-20,,,\n2,A-2,1.1,,24853,online,,2020-06-22,2020-06-30,,,\n"
            );
            import(&db.store, &first, ImportOptions::default())
                .await
                .unwrap();
            let h2 = Period::parse("2020-H2", false).unwrap().range();
            let f = figures(&db.store, scope(&all, "674"), h2).await.unwrap();
            assert_eq!((f.carried_over, f.pending_overdue, f.received()), (2, 2, 0));
            let june = district_in(&db.store, &all, "2020-06").await;
            assert_eq!((june.pending_in_time, june.pending_nearly_due), (1, 1));
            assert_eq!((june.fell_due, june.fell_due_in_time), (1, 0));
            let later = format!(
                "{HEADER}1,A-1,1.1,Khai sinh,24853,trực tiếp,,2020-06-20,2020-07-20,2020-07-10,,\n2,A-2,1.1,,24853,online,,2020-06-22,2020-06-30,,,2020-07-01\n"
            );
            let s = import(&db.store, &later, ImportOptions::default())
                .await
                .unwrap();
            assert_eq!((s.updated, s.unchanged), (2, 0));
            let f = figures(&db.store, scope(&all, "674"), h2).await.unwrap();
            assert_eq!(
                (f.carried_over, f.resolved_early, f.withdrawn, f.pending()),
                (2, 1, 1, 0)
            );
            // The withdrawn dossier no longer counts as fallen due.
            let june = district_in(&db.store, &all, "2020-06").await;
            assert_eq!(june.fell_due, 0);
            let x = dossiers::get(&db.store, "A-1").await.unwrap();
            assert_eq!(
                (x.procedure_name.as_str(), x.resolved_on),
                ("Khai sinh", Some(d("2020-07-10")))
            );
            // Facts equal a recount from scratch of the stored dossiers.
            let units = units::all(&db.store).await.unwrap();
            let mut contributions = Vec::new();
            for code in ["A-1", "A-2"] {
                use danvan_core::fact::FactSource;
                dossiers::get(&db.store, code)
                    .await
                    .unwrap()
                    .contributions(&mut contributions);
            }
            assert_eq!(
                facts::dump(&db.store).await.unwrap(),
                facts::recount(&units, &contributions)
            );
            db.finish().await;
        }
    });
}

#[test]
fn bad_rows_are_named_by_line_and_nothing_is_written() {
    common::block_on(async {
        for db in common::both().await {
            setup(&db.store).await;
            let csv = format!(
                "{HEADER}\
                 1,B-1,1.1,Khai sinh,24853,trực tiếp,,2020-03-02,2020-03-10,,,\n\
                 2,B-2,1.1,Khai sinh,99999,trực tiếp,,2020-03-02,2020-03-10,,,\n\
                 3,B-3,1.1,Khai sinh,24853,fax,,2020-03-02,2020-03-10,,,\n\
                 4,B-4,1.1,Khai sinh,24853,trực tiếp,,31/02/2020,2020-03-10,,,\n\
                 5,B-1,1.1,Khai sinh,24856,trực tiếp,,2020-03-02,2020-03-10,,,\n\
                 6,B-6,1.1,Khai sinh,24853,trực tiếp,,2020-03-12,2020-03-10,,,\n\
                 7,B-7,1.1,Khai sinh,24853,trực tiếp,,2020-03-02,2020-03-10,2020-03-05,,2020-03-04\n"
            );
            let e = import(&db.store, &csv, ImportOptions::default())
                .await
                .unwrap_err();
            let StoreError::InvalidRows(rows) = e else {
                panic!("expected row errors")
            };
            let got: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
            assert_eq!(
                got,
                vec![
                    "Dòng 3, cột «ma_don_vi»: không tìm thấy đơn vị mã «99999»",
                    "Dòng 4, cột «kenh»: kênh tiếp nhận «fax» không hợp lệ; dùng một trong: trực tiếp, trực tuyến, bưu chính",
                    "Dòng 5, cột «ngay_tiep_nhan»: ngày «31/02/2020» không hợp lệ; dùng dạng 31/12/2020 hoặc 2020-12-31",
                    "Dòng 6, cột «ma_ho_so»: mã hồ sơ «B-1» trùng với dòng 2",
                    "Dòng 7, cột «due_on»: hạn giải quyết 10/03/2020 trước ngày tiếp nhận 12/03/2020",
                    "Dòng 8, cột «resolved_on»: hồ sơ chỉ có một kết thúc: đã giải quyết, trả lại hoặc rút",
                ]
            );
            assert_eq!(dossiers::count(&db.store).await.unwrap(), 0);
            assert!(facts::dump(&db.store).await.unwrap().is_empty());
            // Skipping bad rows writes the good one and still reports the rest.
            let s = import(&db.store, &csv, ImportOptions { skip_invalid: true })
                .await
                .unwrap();
            assert_eq!((s.rows, s.inserted, s.rejected_count()), (7, 1, 6));
            assert_eq!(s.rejected[0].to_string(), got[0]);
            assert_eq!(dossiers::count(&db.store).await.unwrap(), 1);
            // A file without the needed columns is refused as a whole.
            let e = import(
                &db.store,
                "Mã hồ sơ,Ngày nhận\nX,2020-01-01\n",
                ImportOptions::default(),
            )
            .await
            .unwrap_err();
            assert_eq!(
                e.to_string(),
                "Dòng 1: thiếu cột ma_don_vi, kenh, han_giai_quyet (xem docs/import-dossiers.md về tên cột được chấp nhận)"
            );
            assert_eq!(dossiers::count(&db.store).await.unwrap(), 1);
            db.finish().await;
        }
    });
}

#[test]
fn inter_agency_dossiers_count_once_at_the_receiving_unit() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let csv = format!(
                "{HEADER}1,L-1,2.1,Đăng ký đất đai,24853,trực tiếp,có,2020-03-02,2020-03-20,,,\n\
                 2,L-1,2.1,Đăng ký đất đai,674,trực tiếp,có,2020-03-04,2020-03-20,,,\n"
            );
            let s = import(&db.store, &csv, ImportOptions::default())
                .await
                .unwrap();
            assert_eq!((s.inserted, s.inter_agency_merged), (1, 1));
            let f = figures(&db.store, scope(&all, "24853"), h1_2020())
                .await
                .unwrap();
            assert_eq!((f.received(), f.received_inter_agency), (1, 1));
            db.finish().await;
        }
    });
}

#[test]
fn the_on_time_formula_is_a_province_setting() {
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            let lam_dong = all.iter().find(|u| u.code == "68").unwrap().id;
            let dam_rong = all.iter().find(|u| u.code == "674").unwrap().id;
            assert_eq!(
                dossiers::formula(&db.store, lam_dong).await.unwrap(),
                OnTimeFormula::EarlyOrOnTimeOverResolved
            );
            dossiers::set_formula(&db.store, lam_dong, OnTimeFormula::OnTimeOverFallenDue)
                .await
                .unwrap();
            assert_eq!(
                dossiers::formula(&db.store, lam_dong).await.unwrap(),
                OnTimeFormula::OnTimeOverFallenDue
            );
            let e =
                dossiers::set_formula(&db.store, dam_rong, OnTimeFormula::HundredMinusLateOverAll)
                    .await
                    .unwrap_err();
            assert_eq!(
                e.to_string(),
                "công thức tỷ lệ đúng hạn do cấp tỉnh quy định; huyện Đam Rông không phải cấp tỉnh"
            );
            db.finish().await;
        }
    });
}

#[test]
fn spreadsheet_rows_go_through_the_same_importer() {
    use danvan_core::records::dossier::columns::Layout;
    use danvan_store::dossiers::import::Importer;
    common::block_on(async {
        for db in common::both().await {
            let all = setup(&db.store).await;
            // Cells as a spreadsheet gives them: dates already ISO, codes as numbers.
            let header = [
                "Mã hồ sơ",
                "Tên thủ tục",
                "Mã đơn vị",
                "Kênh",
                "Ngày nhận",
                "Hạn giải quyết",
                "Ngày có kết quả",
            ];
            let rows = [
                [
                    "X-1",
                    "Khai sinh",
                    "24853",
                    "Trực tiếp",
                    "2020-03-02",
                    "2020-03-10",
                    "2020-03-09",
                ],
                [
                    "X-2",
                    "Khai sinh",
                    "24856",
                    "Bưu chính",
                    "43893",
                    "2020-03-12",
                    "",
                ],
            ];
            let layout = Layout::from_headers(&header).unwrap();
            let mut imp = Importer::begin(&db.store, ImportOptions::default())
                .await
                .unwrap();
            let parsed = rows
                .iter()
                .enumerate()
                .map(|(i, r)| layout.parse_row(r, i + 2).map(|(u, d)| (i + 2, u, d)))
                .collect();
            imp.push(parsed).await.unwrap();
            let s = imp.finish().await.unwrap();
            assert_eq!((s.rows, s.inserted), (2, 2));
            let f = figures(&db.store, scope(&all, "674"), h1_2020())
                .await
                .unwrap();
            assert_eq!(
                (
                    f.received_direct,
                    f.received_post,
                    f.resolved_early,
                    f.pending()
                ),
                (1, 1, 1, 1)
            );
            assert_eq!(
                dossiers::get(&db.store, "X-2").await.unwrap().received_on,
                d("2020-03-03")
            );
            db.finish().await;
        }
    });
}
