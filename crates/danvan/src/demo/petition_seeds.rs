//! Demo petitions whose figures are those of seeds 000 and 002, written
//! through the ordinary petition lifecycle (receipt, classification,
//! handling, resolution) and batch insert.

use chrono::{Duration, NaiveDate};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType, Sender,
};
use danvan_store::units::Unit;
use danvan_store::{Store, petitions};

use super::{date, unit};

/// `n` dates spread evenly over `from..=to`.
fn spread(n: usize, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let days = (to - from).num_days().max(1);
    (0..n)
        .map(|i| from + Duration::days(days * i as i64 / n.max(1) as i64))
        .collect()
}

fn received(u: &Unit, on: NaiveDate, kind: PetitionType, i: usize) -> Petition {
    Petition {
        sender: Sender {
            name: format!("Công dân {i}"),
            address: "Thôn 1".into(),
            phone: String::new(),
        },
        ..Petition::received(
            u.id,
            on,
            PetitionChannel::ALL[i % PetitionChannel::ALL.len()],
            kind,
            PetitionField::ALL[i % PetitionField::ALL.len()],
        )
    }
}

fn step(p: Petition, e: Event) -> anyhow::Result<Petition> {
    Ok(p.apply(&e)?)
}

fn classify(p: Petition, eligibility: Eligibility) -> anyhow::Result<Petition> {
    let on = p.received_on + Duration::days(2);
    step(p, Event::Classify { on, eligibility })
}

fn handle(p: Petition, handling: Handling, on: NaiveDate) -> anyhow::Result<Petition> {
    step(
        p,
        Event::Handle {
            on,
            handling,
            complex: false,
            remote: false,
        },
    )
}

fn accept(p: Petition, on: NaiveDate) -> anyhow::Result<Petition> {
    handle(classify(p, Eligibility::Eligible)?, Handling::Accepted, on)
}

fn resolve(p: Petition, on: NaiveDate) -> anyhow::Result<Petition> {
    let outcome = match p.kind {
        PetitionType::Recommendation => Outcome::Settled,
        _ => Outcome::PartlyRight,
    };
    step(p, Event::Resolve { on, outcome })
}

/// Seed 000 — the district of Đam Rông handles 75 petitions in 2020-H1 (54
/// new, 21 carried over from 2019), 59 within its competence, 31 resolved;
/// its 8 communes receive 63, resolve 52.
pub async fn seed_000(store: &Store, out: &mut Vec<Petition>) -> anyhow::Result<()> {
    let district = unit(store, "674").await?;
    let mut i = 0;
    let mut n = || {
        i += 1;
        i
    };
    // 2019: 15 accepted and still being resolved at the year's end, 6
    // received in December and not yet handled: 21 carried over.
    let mut carried = Vec::new();
    for on in spread(15, date(2019, 10, 1), date(2019, 12, 10)) {
        carried.push(accept(
            received(&district, on, PetitionType::Complaint, n()),
            on + Duration::days(10),
        )?);
    }
    for (j, on) in spread(6, date(2019, 12, 16), date(2019, 12, 27))
        .into_iter()
        .enumerate()
    {
        let p = classify(
            received(&district, on, PetitionType::Recommendation, n()),
            Eligibility::Eligible,
        )?;
        let h = date(2020, 1, 8);
        carried.push(if j < 4 {
            handle(p, Handling::Accepted, h)?
        } else {
            handle(p, Handling::Transferred, h)?
        });
    }
    // Resolved in 2020-H1: the 15 from 2019, 2 of the 4 accepted in January.
    for (j, p) in carried.into_iter().enumerate() {
        out.push(match j {
            0..15 => resolve(p, date(2020, 1, 20))?,
            15 | 16 => resolve(p, date(2020, 2, 3))?,
            _ => p,
        });
    }
    // 54 new in 2020-H1: 40 accepted (14 resolved in the half year), 8
    // transferred, 4 returned with guidance, 2 not eligible.
    for (j, on) in spread(54, date(2020, 1, 6), date(2020, 5, 29))
        .into_iter()
        .enumerate()
    {
        let p = received(&district, on, PetitionType::ALL[j % 3], n());
        let h = on + Duration::days(7);
        out.push(match j {
            0..14 => resolve(accept(p, h)?, h + Duration::days(25))?,
            14..40 => accept(p, h)?,
            40..48 => handle(
                classify(p, Eligibility::Eligible)?,
                Handling::Transferred,
                h,
            )?,
            48..52 => handle(classify(p, Eligibility::Eligible)?, Handling::Returned, h)?,
            _ => handle(
                classify(p, Eligibility::Ineligible(IneligibleReason::Duplicate))?,
                Handling::Archived,
                h,
            )?,
        });
    }
    // The communes: 63 received and accepted, 52 resolved by 30/06/2020.
    let communes = [
        "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
    ];
    for (j, on) in spread(63, date(2020, 1, 6), date(2020, 5, 20))
        .into_iter()
        .enumerate()
    {
        let c = unit(store, communes[j % communes.len()]).await?;
        let h = on + Duration::days(3);
        let p = accept(received(&c, on, PetitionType::Recommendation, n()), h)?;
        out.push(if j < 52 {
            resolve(p, h + Duration::days(20))?
        } else {
            p
        });
    }
    Ok(())
}

/// Seed 002 — Quảng Ngãi city, 2021–2023: 3.848 petitions; 2.932 eligible
/// (1.270 transferred, 66 urged, 179 returned with guidance, 1.417 accepted)
/// and 916 not; complaints resolved 162 of 163, denunciations 70 of 70;
/// complex, crowd and prolonged cases resolved 4 of 7.
pub async fn seed_002(store: &Store, out: &mut Vec<Petition>) -> anyhow::Result<()> {
    let city = unit(store, "522").await?;
    let dates = spread(3848, date(2021, 1, 4), date(2023, 11, 30));
    let mut next = 0;
    let mut take = || {
        next += 1;
        (next - 1, dates[next - 1])
    };
    let mut recs = Vec::new();
    for _ in 0..916 {
        let (i, on) = take();
        let p = received(&city, on, PetitionType::Recommendation, i);
        let p = classify(
            p,
            Eligibility::Ineligible(IneligibleReason::ALL[i % IneligibleReason::ALL.len()]),
        )?;
        recs.push(handle(p, Handling::Archived, on + Duration::days(4))?);
    }
    for (handling, count) in [
        (Handling::Transferred, 1270),
        (Handling::Urged, 66),
        (Handling::Returned, 179),
    ] {
        for _ in 0..count {
            let (i, on) = take();
            let p = classify(
                received(&city, on, PetitionType::ALL[i % 3], i),
                Eligibility::Eligible,
            )?;
            recs.push(handle(p, handling, on + Duration::days(5))?);
        }
    }
    for (kind, count, resolved) in [
        (PetitionType::Complaint, 163, 162),
        (PetitionType::Denunciation, 70, 70),
        (PetitionType::Recommendation, 1184, 1100),
    ] {
        for j in 0..count {
            let (i, on) = take();
            let h = on + Duration::days(5);
            let p = accept(received(&city, on, kind, i), h)?;
            recs.push(if j < resolved {
                resolve(p, h + Duration::days(21))?
            } else {
                p
            });
        }
    }
    let mut case_ids = Vec::new();
    for (i, (complex, crowd, prolonged, resolved)) in [
        (true, false, false, Some(date(2022, 5, 10))),
        (false, true, false, Some(date(2021, 11, 2))),
        (false, false, true, None),
        (true, true, false, Some(date(2023, 6, 20))),
        (true, false, true, None),
        (false, true, true, Some(date(2023, 9, 1))),
        (true, true, true, None),
    ]
    .into_iter()
    .enumerate()
    {
        let c = Case {
            unit_id: city.id,
            opened_on: date(2021, 2, 1) + Duration::days(30 * i as i64),
            title: format!("Vụ việc khiếu kiện {}", i + 1),
            complex,
            crowd,
            prolonged,
            resolved_on: resolved,
        };
        case_ids.push(petitions::insert_case(store, &c).await?);
    }
    for (k, p) in recs
        .iter_mut()
        .filter(|p| p.kind == PetitionType::Complaint)
        .take(14)
        .enumerate()
    {
        p.case_id = Some(case_ids[k % case_ids.len()]);
    }
    out.extend(recs);
    Ok(())
}
