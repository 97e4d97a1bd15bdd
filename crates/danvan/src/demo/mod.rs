//! `danvan demo`: the units of the seed reports within the whole
//! country's tree, and records whose figures reproduce those reports,
//! written through the same code paths as real data (unit import, record
//! inserts, live facts).

use chrono::{Datelike, Duration, NaiveDate};
use danvan_core::number;
use danvan_core::period::Period;
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome, keys,
};
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, petitions, reception, unit_import};

mod chain;
mod petition_seeds;
mod recent;
mod scoring;
mod work_seeds;

/// The unit fixture shipped with danvan (see fixtures/README.md).
pub const UNITS_CSV: &str = include_str!("../../../../fixtures/units.csv");

pub async fn load(store: &Store) -> anyhow::Result<()> {
    let s = unit_import::import_csv(store, UNITS_CSV.as_bytes()).await?;
    println!("Đơn vị: nhập mới {}, đã có {}.", s.inserted, s.unchanged);
    // Then the whole country around them, so the demo's unit pickers look
    // like the real ones; the seed units keep their longer history.
    let n = unit_import::national::import(store).await?;
    println!(
        "Đơn vị hành chính cả nước: nhập mới {}, đã có {}.",
        number::int(n.inserted as i64),
        number::int(n.present as i64)
    );
    if reception::all(store).await?.is_empty() {
        let records = receptions(store).await?;
        reception::insert_many(store, &records).await?;
        println!("Tiếp công dân: nạp {} bản ghi mẫu.", records.len());
        let mut recs = Vec::new();
        petition_seeds::seed_000(store, &mut recs).await?;
        petition_seeds::seed_002(store, &mut recs).await?;
        petitions::insert_many(store, &recs).await?;
        println!("Đơn thư: nạp {} bản ghi mẫu.", recs.len());
        println!(
            "Hồ sơ một cửa: nạp {} hồ sơ mẫu.",
            work_seeds::dossiers(store).await?
        );
        println!(
            "Hòa giải: nạp {} vụ việc mẫu.",
            work_seeds::mediation_cases(store).await?
        );
        println!(
            "Tiếp xúc cử tri: nạp {} cuộc mẫu.",
            work_seeds::voter_contact(store).await?
        );
        println!(
            "Mô hình Dân vận khéo: nạp {} mô hình mẫu.",
            work_seeds::dan_van_kheo(store).await?
        );
        work_seeds::inspections(store).await?;
        println!("Bộ chỉ tiêu thanh tra, kiểm tra: nhập số liệu năm 2016 của tỉnh Kon Tum.");
        let today = chrono::Local::now().date_naive();
        let r = recent::fill(store, today).await?;
        println!(
            "Số liệu gần đây (đến {}): {} lượt tiếp, {} đơn, {} vụ hòa giải, {} hồ sơ một cửa ở 8 xã của Đam Rông.",
            today.format("%d/%m/%Y"),
            number::int(r.receptions as i64),
            number::int(r.petitions as i64),
            number::int(r.mediation as i64),
            number::int(r.dossiers as i64)
        );
        println!(
            "Gửi báo cáo: huyện Đam Rông yêu cầu 8 xã báo cáo 6 tháng đầu năm 2020; {} xã đã gửi.",
            chain::play(store).await?
        );
        println!(
            "Đánh giá, phân loại: huyện Đam Rông chấm thử công tác dân vận năm 2020 của {} xã theo Nghị định 335/2025/NĐ-CP, đã phê duyệt.",
            scoring::play(store).await?
        );
    } else {
        println!("Cơ sở dữ liệu đã có số liệu tiếp công dân; không nạp lại.");
    }
    for (code, period) in [
        ("674", "2020-H1"),
        ("522", "2021..2023"),
        ("62", "2016"),
        ("62", "2015"),
    ] {
        let u = units::find(store, code, None).await?;
        let p = Period::parse(period, false)?;
        let t = facts::read(
            store,
            Scope::of(&u),
            &[keys::TURNS, keys::PERSONS],
            p.range(),
            Detail::Totals,
        )
        .await?;
        println!(
            "  {} {}: tiếp {} lượt/{} người",
            u.full_name(),
            p,
            number::int(t.total(keys::TURNS)),
            number::int(t.total(keys::PERSONS))
        );
    }
    Ok(())
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

/// `n` dates spread evenly over `from..=to`, on weekdays.
fn spread_dates(n: usize, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let days = (to - from).num_days().max(1);
    (0..n)
        .map(|i| {
            let mut d = from + Duration::days(days * i as i64 / n.max(1) as i64);
            while d.weekday().number_from_monday() > 5 {
                d += Duration::days(1);
            }
            d.min(to)
        })
        .collect()
}

fn rec(
    unit: &Unit,
    on: NaiveDate,
    kind: ReceptionKind,
    turns: i64,
    persons: i64,
    i: usize,
) -> Reception {
    const CONTENTS: [ReceptionContent; 4] = [
        ReceptionContent::Recommendation,
        ReceptionContent::Complaint,
        ReceptionContent::Reflection,
        ReceptionContent::Denunciation,
    ];
    let leader = unit.depth < 2 && kind == ReceptionKind::Periodic;
    Reception {
        unit_id: unit.id,
        received_on: on,
        official: String::new(),
        position: if leader {
            format!("Chủ tịch UBND {}", unit.full_name())
        } else {
            "Cán bộ tiếp công dân".into()
        },
        kind,
        content: CONTENTS[i % 4],
        outcome: if i.is_multiple_of(3) {
            ReceptionOutcome::Explained
        } else {
            ReceptionOutcome::Guided
        },
        turns,
        persons,
        delegations: 0,
        delegation_persons: 0,
        petition_id: None,
        note: String::new(),
    }
}

pub(crate) async fn unit(store: &Store, code: &str) -> anyhow::Result<Unit> {
    Ok(units::find(store, code, None).await?)
}

async fn receptions(store: &Store) -> anyhow::Result<Vec<Reception>> {
    let mut out = Vec::new();

    // Seed 000 — Đam Rông, first 6 months of 2020: the district People's
    // Committee received 32 turns/48 persons (periodic 13/29, regular
    // 19/19); the 8 communes 38 turns. Dates fall inside both the calendar
    // and the cut-off half year.
    let district = unit(store, "674").await?;
    let periodic = [(3, 7), (2, 5), (2, 5), (2, 4), (2, 4), (2, 4)];
    for (i, ((t, p), d)) in periodic
        .iter()
        .zip(spread_dates(6, date(2020, 1, 6), date(2020, 6, 12)))
        .enumerate()
    {
        out.push(rec(&district, d, ReceptionKind::Periodic, *t, *p, i));
    }
    for (i, d) in spread_dates(19, date(2020, 1, 6), date(2020, 6, 12))
        .into_iter()
        .enumerate()
    {
        out.push(rec(&district, d, ReceptionKind::Regular, 1, 1, i));
    }
    let communes = [
        "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
    ];
    let per_commune = [5, 5, 5, 5, 5, 5, 4, 4];
    for (c, n) in communes.iter().zip(per_commune) {
        let u = unit(store, c).await?;
        for (i, d) in spread_dates(n, date(2020, 1, 8), date(2020, 6, 10))
            .into_iter()
            .enumerate()
        {
            out.push(rec(&u, d, ReceptionKind::Regular, 1, 1 + (i % 2) as i64, i));
        }
    }

    // Seed 002 — Quảng Ngãi city, 2021–2023: 37 periodic sessions with 127
    // persons, and one unscheduled session with one crowd delegation of 29.
    let city = unit(store, "522").await?;
    for (i, d) in spread_dates(37, date(2021, 1, 15), date(2023, 12, 12))
        .into_iter()
        .enumerate()
    {
        let n = if i < 16 { 4 } else { 3 };
        out.push(rec(&city, d, ReceptionKind::Periodic, n, n, i));
    }
    out.push(Reception {
        delegations: 1,
        delegation_persons: 29,
        note: "Tiểu thương Chợ đêm Sông Trà, phường Lê Hồng Phong".into(),
        ..rec(
            &city,
            date(2022, 9, 20),
            ReceptionKind::Unscheduled,
            1,
            29,
            0,
        )
    });

    // Seed 004 — Kon Tum province: 289 turns/307 persons in 2016 (139
    // guided, 150 explained), 541 turns in 2015.
    let kt = [
        "62", "608", "610", "611", "612", "613", "614", "615", "616", "617", "618",
    ];
    let kt_units: Vec<Unit> = {
        let mut v = Vec::new();
        for c in kt {
            v.push(unit(store, c).await?);
        }
        v
    };
    for (i, d) in spread_dates(289, date(2016, 1, 4), date(2016, 12, 9))
        .into_iter()
        .enumerate()
    {
        let u = &kt_units[i % kt_units.len()];
        let mut r = rec(
            u,
            d,
            ReceptionKind::Regular,
            1,
            if i < 18 { 2 } else { 1 },
            i,
        );
        r.outcome = if i < 139 {
            ReceptionOutcome::Guided
        } else {
            ReceptionOutcome::Explained
        };
        out.push(r);
    }
    for (i, d) in spread_dates(541, date(2015, 1, 5), date(2015, 12, 10))
        .into_iter()
        .enumerate()
    {
        let u = &kt_units[i % kt_units.len()];
        out.push(rec(
            u,
            d,
            ReceptionKind::Regular,
            1,
            1 + i64::from(i.is_multiple_of(13)),
            i,
        ));
    }
    Ok(out)
}
