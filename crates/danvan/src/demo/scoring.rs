//! Đánh giá, phân loại in the demo: huyện Đam Rông scores its eight
//! communes' dân vận work of 2020 on the national sheet (a trial: the
//! decree applies from 2026), in January 2021. Each commune assesses
//! itself — the automatic items from its 2020 figures — and the district
//! adjusts one item and approves all eight. The commune with the most
//! automatic points had its chairman disciplined that year: its points
//! stay high, its grade is capped. Played through the same functions as
//! the web pages.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use danvan_core::scoring::{Answer, ItemKind};
use danvan_store::Store;
use danvan_store::chain::requests::Target;
use danvan_store::scoring::assessments;
use danvan_store::scoring::rounds::{self, NewRound};

use super::{date, unit};

fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
    date(2021, m, d)
        .and_hms_opt(h, 0, 0)
        .expect("a time of day")
}

/// The manual answers of the commune at `i` (0..8): plans and
/// co-ordination rules in place, the reviewer items a little lower for
/// each commune down the list; the disciplined commune scores itself
/// fully and records the discipline case.
fn answers(
    sheet: &danvan_core::scoring::Sheet,
    i: usize,
    disciplined: bool,
) -> BTreeMap<String, Answer> {
    let mut out = BTreeMap::new();
    for (_, item) in sheet.items() {
        let mut a = Answer::default();
        match item.kind {
            ItemKind::Auto { .. } => continue,
            ItemKind::YesNo => {
                let yes = disciplined || !(i + item.code.len()).is_multiple_of(5);
                a.yes = Some(yes);
                if yes {
                    a.document = format!("{}/KH-UBND", 10 + i);
                    a.evidence = format!("{} năm 2020 của UBND xã", item.title);
                }
            }
            ItemKind::Reviewer => {
                // 100%, 95%, 90%… of the maximum, in steps of 0,25 điểm.
                let share = if disciplined { 100 } else { 100 - 5 * i as i64 };
                a.points = Some((item.max * share / 100) / 25 * 25);
                a.evidence = "Theo báo cáo tổng kết công tác dân vận năm 2020".into();
            }
            ItemKind::Deduction { .. } => {
                let case = disciplined && sheet.caps.iter().any(|c| c.item == item.code);
                a.cases = Some(i64::from(case));
                if case {
                    a.document = "05/QĐ-KL".into();
                    a.evidence =
                        "Chủ tịch UBND xã bị khiển trách do vi phạm trong quản lý đất đai".into();
                }
            }
        }
        out.insert(item.code.clone(), a);
    }
    out
}

/// In November 2020 the district recognised one "Dân vận khéo" model in
/// each of the round's communes ("Năm dân vận khéo" 2020), recorded as any
/// model is.
async fn recognised_models(store: &Store, communes: &[i64]) -> anyhow::Result<()> {
    use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
    let all: Vec<(Model, Vec<ModelYear>)> = communes
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            (
                Model {
                    unit_id: c,
                    name: format!("Dân vận khéo trong xây dựng nông thôn mới số {}", i + 1),
                    level: ModelLevel::parse("co so").expect("a level"),
                    field: ModelField::ALL[i % ModelField::ALL.len()],
                },
                vec![ModelYear {
                    year: 2020,
                    recorded_on: date(2020, 11, 20),
                    status: ModelStatus::ALL[0],
                    recognised: true,
                    award: String::new(),
                }],
            )
        })
        .collect();
    danvan_store::models::insert_many(store, &all).await?;
    Ok(())
}

/// Play the round through; the number of communes approved.
pub async fn play(store: &Store) -> anyhow::Result<usize> {
    let district = unit(store, "674").await?;
    store.set_clock(Some(at(1, 11, 8)));
    let round_id = rounds::open(
        store,
        &NewRound {
            unit_id: district.id,
            year: 2020,
            sheet: "nd335".into(),
            trial: true,
            title: String::new(),
            target: Target::Communes,
            chosen: vec![],
        },
    )
    .await?;
    let round = rounds::get(store, round_id).await?;
    recognised_models(store, &round.targets).await?;
    let sheet = round.sheet()?;
    // The commune whose automatic items give the most points.
    let mut best = (i64::MIN, 0usize);
    let mut started = Vec::new();
    for (i, &u) in round.targets.iter().enumerate() {
        store.set_clock(Some(at(1, 12 + i as u32 % 3, 9)));
        let a = danvan_report::scoring::start(store, round_id, u).await?;
        let s = danvan_core::scoring::eval::evaluate(sheet, &a.answers)?;
        let auto: i64 = s.items.iter().filter(|x| x.locked).map(|x| x.points).sum();
        if auto > best.0 {
            best = (auto, i);
        }
        started.push(a.id);
    }
    for (i, id) in started.iter().enumerate() {
        store.set_clock(Some(at(1, 15 + i as u32 % 3, 10)));
        let given = answers(sheet, i, i == best.1);
        danvan_report::scoring::submit(store, *id, Some(&given)).await?;
    }
    // The district reviews on 25 January; one item lowered with its reason.
    store.set_clock(Some(at(1, 25, 14)));
    if let Some(reviewer_item) = sheet
        .items()
        .map(|(_, i)| i)
        .find(|i| matches!(i.kind, ItemKind::Reviewer))
    {
        let last = *started.last().expect("eight communes");
        assessments::adjust(
            store,
            last,
            &reviewer_item.code,
            reviewer_item.max / 2,
            "Kế hoạch có nhưng chưa tổ chức sơ kết; chấm một nửa số điểm",
        )
        .await?;
    }
    for id in &started {
        assessments::approve(store, *id).await?;
    }
    store.set_clock(None);
    Ok(started.len())
}
