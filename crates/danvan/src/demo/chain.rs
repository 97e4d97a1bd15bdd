//! The reporting chain in the demo: huyện Đam Rông asked its eight
//! communes for their reports of 6 tháng đầu năm 2020, due 05/07/2020.
//! Five sent on time, one late, two never; the district accepted four and
//! returned one. Played through with the store's clock set to those days,
//! through the same functions as the web and the API.

use chrono::NaiveDateTime;
use danvan_core::period::Period;
use danvan_report::Catalogue;
use danvan_store::Store;
use danvan_store::chain::requests::{self, NewRequest, Target};
use danvan_store::chain::submissions;

use super::{date, unit};

fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    date(2020, m, d)
        .and_hms_opt(h, 0, 0)
        .expect("a time of day")
}

/// The communes in the order they answer: four sent on time and
/// accepted, xã Đạ Tông on time and returned, xã Rô Men late and waiting
/// for review; xã Phi Liêng and xã Đạ K'Nàng have not sent theirs.
const COMMUNES: [&str; 6] = ["24856", "24859", "24874", "24875", "24853", "24877"];

/// Play the request through; the number of reports sent.
pub async fn play(store: &Store) -> anyhow::Result<usize> {
    let district = unit(store, "674").await?;
    store.set_clock(Some(at(6, 22, 8)));
    let request = requests::create(
        store,
        &NewRequest {
            unit_id: district.id,
            template: "bao-cao-6-thang".into(),
            period: Period::parse("2020-H1", false)?,
            due_on: date(2020, 7, 5),
            document: "38-CV/BDVHU".into(),
            title: "Báo cáo kết quả công tác dân vận chính quyền 6 tháng đầu năm 2020".into(),
            target: Target::Communes,
            chosen: vec![],
        },
    )
    .await?;
    let cat = Catalogue::shipped();
    let mut sent = Vec::new();
    // Five on time (1–3 July), one late (8 July), two not at all.
    let days = [(7, 1), (7, 2), (7, 2), (7, 3), (7, 3), (7, 8)];
    for (i, (m, d)) in days.into_iter().enumerate() {
        let c = unit(store, COMMUNES[i]).await?;
        store.set_clock(Some(at(m, d, 9 + i as u32)));
        let draft = submissions::prepare(store, request, c.id).await?;
        let number = format!("{}/BC-UBND", 41 + i);
        let day = Some(date(2020, m, d));
        let s = danvan_report::chain::submit(store, cat, draft.id, &number, day, None).await?;
        sent.push(s.id);
    }
    // The district reviews on 10 July.
    store.set_clock(Some(at(7, 10, 14)));
    for id in &sent[..4] {
        submissions::accept(store, *id, None).await?;
    }
    submissions::return_for_correction(
        store,
        sent[4],
        "Bổ sung kết quả hòa giải ở cơ sở và số liệu tiếp xúc cử tri",
    )
    .await?;
    store.set_clock(None);
    Ok(sent.len())
}
