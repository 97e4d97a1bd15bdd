//! A generated province for measuring the dashboard: 100 communes under
//! province `B` (plus a sibling province `C`) and two years (2024–2025) of
//! receptions, petitions, one-stop dossiers, mediation cases, meetings and
//! models, all written through the ordinary batch paths so the facts are
//! what real data would give. Shared by `cargo bench --bench dashboard` and
//! `danvan bench dashboard`, so the in-process and the served measurements
//! read the same data.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{Meeting, MeetingKind};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::petition::{
    Eligibility, Event, Handling, Outcome, Petition, PetitionChannel, PetitionField, PetitionType,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::units::{self, Unit};
use danvan_store::{
    Store, StoreError, mediation, meetings, models, petitions, reception, unit_import,
};

/// The generated province's code.
pub const PROVINCE: &str = "B";
pub const COMMUNES: usize = 100;
pub const RECEPTIONS: usize = 60_000;
pub const PETITIONS: usize = 6_000;
pub const DOSSIERS: usize = 200_000;
pub const MEDIATION_CASES: usize = 3_000;
pub const MEETINGS: usize = 600;
pub const MODELS: usize = 400;

/// The `n`-th day of 2024–2025, by a stride that visits every day.
fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date") + Days::new((n * 7919 % 731) as u64)
}

/// The unit tree as a `units import` CSV.
pub fn tree() -> String {
    let mut s = String::from("code,name,kind,parent_code,valid_from,valid_to,successor_code\n");
    s.push_str("B,Thử Nghiệm,tỉnh,,,,\nC,Đối Chứng,tỉnh,,,,\nC-1,Một,xã,C,,,\n");
    for i in 1..=COMMUNES {
        let _ = writeln!(s, "B-{i:03},Xã Số {i},xã,B,,,");
    }
    s
}

/// Write the tree and the records into an empty database.
pub async fn generate(store: &Store) -> Result<(), StoreError> {
    unit_import::import_csv(store, tree().as_bytes()).await?;
    let all = units::all(store).await?;
    let communes: Vec<&Unit> = all.iter().filter(|u| u.code.starts_with("B-")).collect();
    let at = |i: usize| communes[i % communes.len()];

    let recs: Vec<Reception> = (0..RECEPTIONS)
        .map(|i| Reception {
            unit_id: at(i).id,
            received_on: day(i),
            official: String::new(),
            position: String::new(),
            kind: ReceptionKind::ALL[i % 3],
            content: ReceptionContent::ALL[i % 4],
            outcome: ReceptionOutcome::ALL[i % 3],
            turns: 1 + (i % 3) as i64,
            persons: 2 + (i % 3) as i64,
            delegations: 0,
            delegation_persons: 0,
            petition_id: None,
            note: String::new(),
        })
        .collect();
    for chunk in recs.chunks(20_000) {
        reception::insert_many(store, chunk).await?;
    }

    let mut pets = Vec::with_capacity(PETITIONS);
    for i in 0..PETITIONS {
        pets.push(petition(i, at(i).id)?);
    }
    for chunk in pets.chunks(2_000) {
        petitions::insert_many(store, chunk).await?;
    }

    let cases: Vec<MediationCase> = (0..MEDIATION_CASES)
        .map(|i| MediationCase {
            unit_id: at(i).id,
            team: "Tổ hòa giải".into(),
            received_on: day(i),
            field: MediationField::ALL[i % MediationField::ALL.len()],
            result: MediationResult::ALL[i % MediationResult::ALL.len()],
            summary: String::new(),
        })
        .collect();
    mediation::insert_many(store, &cases).await?;
    let ms: Vec<Meeting> = (0..MEETINGS)
        .map(|i| Meeting {
            unit_id: at(i).id,
            kind: MeetingKind::ALL[i % 2],
            held_on: day(i),
            chair: "Chủ tịch UBND".into(),
            deputies: "Đại biểu HĐND".into(),
            participants: 50,
            subject: String::new(),
            opinions: Vec::new(),
        })
        .collect();
    meetings::insert_many(store, &ms).await?;
    let mods: Vec<(Model, Vec<ModelYear>)> = (0..MODELS)
        .map(|i| {
            (
                Model {
                    unit_id: at(i).id,
                    name: format!("Mô hình {i}"),
                    level: ModelLevel::Grassroots,
                    field: ModelField::ALL[i % 4],
                },
                vec![ModelYear {
                    year: day(i).year(),
                    recorded_on: day(i),
                    status: ModelStatus::ALL[i % 3],
                    recognised: true,
                    award: String::new(),
                }],
            )
        })
        .collect();
    models::insert_many(store, &mods).await?;

    let csv = dossiers_csv(|i| at(i).code.clone());
    import_csv(
        store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await?;
    Ok(())
}

/// Petition `i`: one in ten pending unhandled, one in ten accepted and in
/// resolution, the rest resolved.
fn petition(i: usize, unit_id: i64) -> Result<Petition, StoreError> {
    let on = day(i);
    let p = Petition::received(
        unit_id,
        on,
        PetitionChannel::ALL[i % PetitionChannel::ALL.len()],
        PetitionType::ALL[i % 3],
        PetitionField::ALL[i % PetitionField::ALL.len()],
    );
    if i.is_multiple_of(10) {
        return Ok(p);
    }
    let c = on + Days::new(2);
    let p = p
        .apply(&Event::Classify {
            on: c,
            eligibility: Eligibility::Eligible,
        })?
        .apply(&Event::Handle {
            on: c + Days::new(2),
            handling: Handling::Accepted,
            complex: false,
            remote: false,
        })?;
    if i % 10 == 1 {
        return Ok(p);
    }
    let outcome = if p.kind == PetitionType::Recommendation {
        Outcome::Settled
    } else {
        Outcome::Right
    };
    Ok(p.apply(&Event::Resolve {
        on: c + Days::new(10 + (i % 50) as u64),
        outcome,
    })?)
}

/// The one-stop export: 5% pending, 5% late, the rest resolved in time.
fn dossiers_csv(code: impl Fn(usize) -> String) -> String {
    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let last = NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
    let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for i in 0..DOSSIERS {
        let received = day(i);
        let due = received + Days::new(10);
        let done = match i % 20 {
            0 => None,
            1 => Some(due + Days::new(3)),
            n => Some(received + Days::new(n as u64 % 10)),
        }
        .filter(|d| *d <= last);
        let channel = ["Trực tiếp", "Trực tuyến", "Bưu chính"][i % 3];
        let _ = writeln!(
            csv,
            "{i},B-{i:07},1.00{k},Thủ tục {k},{},{channel},,{},{},{},,",
            code(i),
            f(received),
            f(due),
            done.map(f).unwrap_or_default(),
            k = i % 7
        );
    }
    csv
}
