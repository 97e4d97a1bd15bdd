use chrono::NaiveDate;

use super::columns::{Layout, canonical_header, parse_date};
use super::rate::{DossierFigures, OnTimeFormula};
use super::status::{carried_over, status_on};
use super::*;
use crate::period::DateRange;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn sample() -> Dossier {
    Dossier {
        code: "000.00.20.H36-200301-0001".into(),
        procedure_code: "1.001757".into(),
        procedure_name: "Đăng ký khai sinh".into(),
        unit_id: 7,
        channel: Channel::Online,
        inter_agency: false,
        received_on: d("2020-03-02"),
        due_on: d("2020-03-10"),
        resolved_on: None,
        returned_on: None,
        withdrawn_on: None,
    }
}

/// Sum of a dossier's contributions to `key` dated up to `on`.
fn stock(x: &Dossier, key: &str, status: &str, on: NaiveDate) -> i64 {
    let mut out = Vec::new();
    x.contributions(&mut out);
    out.iter()
        .filter(|c| {
            c.key == key && c.breakdown.ends_with(status) && DateRange::up_to(on).contains(c.date)
        })
        .map(|c| c.value)
        .sum()
}

#[test]
fn status_follows_the_dates() {
    let mut x = sample();
    assert_eq!(status_on(&x, d("2020-03-01")), DossierStatus::NotReceived);
    assert_eq!(
        status_on(&x, d("2020-03-05")),
        DossierStatus::Pending(PendingStatus::InTime)
    );
    assert_eq!(
        status_on(&x, d("2020-03-08")),
        DossierStatus::Pending(PendingStatus::NearlyDue)
    );
    assert_eq!(
        status_on(&x, d("2020-03-10")),
        DossierStatus::Pending(PendingStatus::NearlyDue)
    );
    assert_eq!(
        status_on(&x, d("2020-03-11")),
        DossierStatus::Pending(PendingStatus::Overdue)
    );
    x.resolved_on = Some(d("2020-03-09"));
    assert_eq!(
        status_on(&x, d("2020-04-01")),
        DossierStatus::Resolved(Timeliness::Early)
    );
    x.resolved_on = Some(d("2020-03-10"));
    assert_eq!(
        status_on(&x, d("2020-04-01")),
        DossierStatus::Resolved(Timeliness::OnTime)
    );
    x.resolved_on = Some(d("2020-03-12"));
    assert_eq!(
        status_on(&x, d("2020-04-01")),
        DossierStatus::Resolved(Timeliness::Late)
    );
    assert!(carried_over(&x, d("2020-03-11")));
    assert!(!carried_over(&x, d("2020-03-13")));
    assert!(!carried_over(&x, d("2020-03-02")));
    x.resolved_on = None;
    x.withdrawn_on = Some(d("2020-03-04"));
    assert_eq!(status_on(&x, d("2020-03-05")), DossierStatus::Withdrawn);
    x.withdrawn_on = None;
    x.returned_on = Some(d("2020-03-04"));
    assert_eq!(status_on(&x, d("2020-03-05")), DossierStatus::Returned);
}

#[test]
fn pending_stocks_agree_with_status_on_every_day() {
    let closings = [
        None,
        Some("2020-03-03"),
        Some("2020-03-09"),
        Some("2020-03-10"),
        Some("2020-03-20"),
    ];
    for close in closings {
        for due in ["2020-03-02", "2020-03-03", "2020-03-10"] {
            let x = Dossier {
                due_on: d(due),
                resolved_on: close.map(d),
                ..sample()
            };
            let mut day = d("2020-02-28");
            while day < d("2020-03-25") {
                let want = match status_on(&x, day) {
                    DossierStatus::Pending(p) => Some(p),
                    _ => None,
                };
                for p in PendingStatus::ALL {
                    let got = stock(&x, keys::PENDING, p.code(), day);
                    assert_eq!(
                        got,
                        i64::from(want == Some(*p)),
                        "{close:?} {due} {day} {p:?}"
                    );
                }
                day = day.succ_opt().unwrap();
            }
        }
    }
}

#[test]
fn events_land_on_their_own_dates() {
    let x = Dossier {
        resolved_on: Some(d("2020-03-12")),
        inter_agency: true,
        ..sample()
    };
    let mut out = Vec::new();
    x.contributions(&mut out);
    let find = |k: &str| out.iter().find(|c| c.key == k).unwrap();
    assert_eq!(find(keys::RECEIVED).date, d("2020-03-02"));
    assert_eq!(
        find(keys::RECEIVED).breakdown,
        "channel=online;route=inter_agency"
    );
    assert_eq!(find(keys::RESOLVED).date, d("2020-03-12"));
    assert_eq!(find(keys::RESOLVED).breakdown, "timeliness=late");
    assert_eq!(find(keys::FELL_DUE).date, d("2020-03-10"));
    assert_eq!(find(keys::FELL_DUE).breakdown, "outcome=late");
    let w = Dossier {
        withdrawn_on: Some(d("2020-03-05")),
        ..sample()
    };
    out.clear();
    w.contributions(&mut out);
    assert!(out.iter().all(|c| c.key != keys::FELL_DUE));
    assert_eq!(out.iter().filter(|c| c.key == keys::WITHDRAWN).count(), 1);
}

#[test]
fn validation_speaks_vietnamese() {
    let x = Dossier {
        due_on: d("2020-03-01"),
        ..sample()
    };
    assert!(
        x.validate()
            .unwrap_err()
            .to_string()
            .contains("hạn giải quyết 01/03/2020 trước ngày tiếp nhận 02/03/2020")
    );
    let x = Dossier {
        resolved_on: Some(d("2020-03-04")),
        withdrawn_on: Some(d("2020-03-04")),
        ..sample()
    };
    assert!(
        x.validate()
            .unwrap_err()
            .to_string()
            .contains("chỉ có một kết thúc")
    );
    let x = Dossier {
        code: " ".into(),
        ..sample()
    };
    assert!(
        x.validate()
            .unwrap_err()
            .to_string()
            .contains("thiếu mã hồ sơ")
    );
}

#[test]
fn seed_000_rates() {
    let district = DossierFigures {
        received_direct: 1022,
        resolved_on_time: 787,
        resolved_late: 15,
        ..Default::default()
    };
    let f = OnTimeFormula::default();
    assert_eq!(district.on_time_rate(f, 1), Some(981));
    assert_eq!(district.late_rate(1), Some(19));
    let communes = DossierFigures {
        resolved_early: 4000,
        resolved_on_time: 667,
        resolved_late: 64,
        ..Default::default()
    };
    assert_eq!(communes.on_time_rate(f, 1), Some(986));
    assert_eq!(communes.late_rate(1), Some(14));
    // 100% − 15/1.022 = 98,5%.
    assert_eq!(
        district.on_time_rate(OnTimeFormula::HundredMinusLateOverAll, 1),
        Some(985)
    );
    let due = DossierFigures {
        fell_due: 900,
        fell_due_in_time: 880,
        ..Default::default()
    };
    assert_eq!(
        due.on_time_rate(OnTimeFormula::OnTimeOverFallenDue, 1),
        Some(978)
    );
    assert_eq!(DossierFigures::default().on_time_rate(f, 1), None);
}

#[test]
fn layout_accepts_vietnamese_headers_in_any_order() {
    let h = [
        "STT",
        "Số hồ sơ",
        "Tên thủ tục",
        "Ngày nhận",
        "Ngày hẹn trả",
        "Kênh tiếp nhận",
        "Mã đơn vị",
        "Ngày có kết quả",
        "Liên thông",
    ];
    let l = Layout::from_headers(&h).unwrap();
    let row = [
        "1",
        "HS-1",
        "Khai sinh",
        "02/03/2020 08:15",
        "2020-03-10",
        "Trực tuyến",
        "24853",
        "",
        "có",
    ];
    let (unit, x) = l.parse_row(&row, 2).unwrap();
    assert_eq!(unit, "24853");
    assert_eq!(x.code, "HS-1");
    assert_eq!(x.received_on, d("2020-03-02"));
    assert!(x.inter_agency);
    assert_eq!(x.channel, Channel::Online);
    let bad = [
        "2",
        "HS-2",
        "Khai sinh",
        "31/02/2020",
        "2020-03-10",
        "trực tiếp",
        "24853",
        "",
        "",
    ];
    assert_eq!(
        l.parse_row(&bad, 3).unwrap_err().to_string(),
        "Dòng 3, cột «ngay_tiep_nhan»: ngày «31/02/2020» không hợp lệ; dùng dạng 31/12/2020 hoặc 2020-12-31"
    );
    let e = Layout::from_headers(&["Mã hồ sơ", "Số hồ sơ"]).unwrap_err();
    assert!(e.to_string().contains("cùng là ma_ho_so"), "{e}");
    let e = Layout::from_headers(&["Mã hồ sơ"]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("Dòng 1: thiếu cột ma_don_vi, kenh, ngay_tiep_nhan, han_giai_quyet"),
        "{e}"
    );
    assert!(Layout::from_headers(&canonical_header()).is_ok());
    assert_eq!(parse_date("1/2/2020"), Some(d("2020-02-01")));
    assert_eq!(parse_date("2020-02-30"), None);
    assert_eq!(parse_date("43892"), Some(d("2020-03-02")));
}
