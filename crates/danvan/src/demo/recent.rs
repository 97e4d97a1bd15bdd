//! Demo records that live: the eight communes of the former huyện Đam
//! Rông from the start of the year two years back (never before 2024, so
//! the seed periods keep their figures) up to the day the demo is loaded.
//! After 1 July 2025 each commune's records go to the commune that took it
//! over, as real ones do.
//!
//! The communes differ (some busier, some slower to resolve), the months
//! too (more before Tết and at harvest), a few petitions are overdue and a
//! few are due in the coming days. Citizens' names and what they ask come
//! from a small vocabulary: plausible, and marked as sample data.

use std::fmt::Write;

use chrono::{Datelike, Duration, NaiveDate};
use danvan_core::records::consultation::{Consultation, ConsultationSubject, Stance};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::petition::{
    Eligibility, Event, Handling, Outcome, Petition, PetitionChannel, PetitionField, PetitionType,
    Sender,
};
use danvan_core::records::rating::{RatedService, Rating, Satisfaction};
use danvan_core::records::reception::ReceptionKind;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::units::{self, UnitTree};
use danvan_store::{Store, consultations, mediation, petitions, ratings, reception};

use super::{date, rec, unit};

/// The communes, and how busy each is (in tenths of the usual).
const COMMUNES: [(&str, i64); 8] = [
    ("24853", 10),
    ("24856", 7),
    ("24859", 12),
    ("24874", 9),
    ("24875", 14),
    ("24877", 8),
    ("24886", 11),
    ("24889", 6),
];

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "K'", "Ka", "Điểu", "Hoàng"];
const GIVEN: [&str; 10] = [
    "Văn An",
    "Thị Bình",
    "Văn Cường",
    "Thị Dung",
    "Minh Đức",
    "Thị Hoa",
    "Văn Hùng",
    "Thị Lan",
    "Ngọc Sơn",
    "Thị Yến",
];

/// What citizens ask, by the kind of petition it is.
const ASKS: [(PetitionType, PetitionField, &str); 8] = [
    (
        PetitionType::Recommendation,
        PetitionField::ALL[0],
        "đề nghị sửa đường liên thôn bị sạt lở",
    ),
    (
        PetitionType::Complaint,
        PetitionField::ALL[0],
        "khiếu nại mức bồi thường khi thu hồi đất làm đường",
    ),
    (
        PetitionType::Recommendation,
        PetitionField::ALL[1],
        "phản ánh mùi hôi từ trại chăn nuôi gần khu dân cư",
    ),
    (
        PetitionType::Recommendation,
        PetitionField::ALL[0],
        "đề nghị cấp giấy chứng nhận quyền sử dụng đất",
    ),
    (
        PetitionType::Complaint,
        PetitionField::ALL[0],
        "tranh chấp ranh giới đất rẫy với hộ liền kề",
    ),
    (
        PetitionType::Recommendation,
        PetitionField::ALL[2],
        "đề nghị xét hỗ trợ hộ nghèo",
    ),
    (
        PetitionType::Denunciation,
        PetitionField::ALL[0],
        "tố cáo khai thác cát trái phép ven suối",
    ),
    (
        PetitionType::Complaint,
        PetitionField::ALL[2],
        "khiếu nại quyết định xử phạt vi phạm hành chính",
    ),
];

/// A month's weight in tenths: more before Tết (January, February) and at
/// harvest (September, October).
fn season(month: u32) -> i64 {
    match month {
        1 | 2 => 16,
        9 | 10 => 13,
        _ => 10,
    }
}

/// A small deterministic mix of the numbers given (the demo is the same
/// every time it is loaded on the same day).
fn mix(a: i64, b: i64, c: i64) -> i64 {
    let x = (a * 7_919 + b * 104_729 + c * 1_299_709).rem_euclid(1_000_003);
    (x * 2_654_435_761_i64.rem_euclid(1_000_003)).rem_euclid(1_000_003)
}

/// The months from the first to today's, each with its first day.
fn months(from: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= today {
        out.push(m);
        m = m
            .checked_add_months(chrono::Months::new(1))
            .expect("a month later");
    }
    out
}

/// The day `day` of month `m` (clamped to the month, and to today).
fn day_of(m: NaiveDate, day: i64, today: NaiveDate) -> NaiveDate {
    let last = m
        .checked_add_months(chrono::Months::new(1))
        .expect("next month")
        - Duration::days(1);
    (m + Duration::days(day % 28)).min(last).min(today)
}

/// What was loaded.
pub struct Loaded {
    pub receptions: usize,
    pub petitions: usize,
    pub mediation: usize,
    pub dossiers: usize,
}

pub async fn fill(store: &Store, today: NaiveDate) -> anyhow::Result<Loaded> {
    let from = date(today.year() - 2, 1, 1).max(date(2024, 1, 1));
    if from > today {
        return Ok(Loaded {
            receptions: 0,
            petitions: 0,
            mediation: 0,
            dossiers: 0,
        });
    }
    let tree = units::tree(store).await?;
    let mut receptions = Vec::new();
    let mut asked = Vec::new();
    let mut cases = Vec::new();
    let mut rated = Vec::new();
    let mut csv = String::from(
        "Số hồ sơ,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Ngày nhận,Ngày hẹn trả,Ngày có kết quả\n",
    );
    let mut dossiers = 0;
    for (ci, (code, busy)) in COMMUNES.iter().enumerate() {
        let old = unit(store, code).await?;
        for (mi, m) in months(from, today).into_iter().enumerate() {
            let weight = busy * season(m.month());
            let at = |day: i64| day_of(m, day, today);
            let here = |d: NaiveDate| answering(&tree, old.id, d);
            // Reception turns: about three a month.
            for k in 0..(3 * weight / 100).max(1) {
                let on = at(mix(ci as i64, mi as i64, k) % 28);
                let u = tree.get(here(on)).cloned().unwrap_or_else(|| old.clone());
                let turns = 1 + mix(k, ci as i64, mi as i64) % 3;
                receptions.push(rec(&u, on, ReceptionKind::ALL[0], turns, turns, k as usize));
            }
            // Petitions: one or two a month, more in a busy commune.
            for k in 0..(15 * weight / 1000).max(1) {
                let on = at(3 + mix(mi as i64, k, ci as i64) % 24);
                let n = (ci * 1000 + mi * 10) as i64 + k;
                asked.push(petition(here(on), on, n, today)?);
            }
            // One mediation case a month.
            let on = at(10 + ci as i64);
            let result = match mix(ci as i64, mi as i64, 5) % 10 {
                0 => MediationResult::Failure,
                1 if on > today - Duration::days(60) => MediationResult::InProgress,
                _ => MediationResult::Success,
            };
            cases.push(MediationCase {
                unit_id: here(on),
                team: format!("Tổ hòa giải thôn {}", 1 + mix(ci as i64, mi as i64, 7) % 6),
                received_on: on,
                field: MediationField::ALL[(mi + ci) % MediationField::ALL.len()],
                result,
                summary: "dữ liệu mẫu".into(),
            });
            // One-stop dossiers: about forty a month, a few late, the
            // latest still open.
            let u = tree.get(here(at(1))).map(|u| u.code.clone());
            let Some(unit_code) = u else { continue };
            for k in 0..(40 * weight / 100) {
                let on = at(k % 28);
                let due = on + Duration::days(10);
                let late = mix(ci as i64, mi as i64, k) % 100 < 2 + ci as i64 % 3;
                let done = if late {
                    due + Duration::days(3)
                } else {
                    due - Duration::days(2)
                };
                let resolved = (done <= today).then_some(done);
                dossiers += 1;
                // One citizen in ten rates the dossier on the day of its
                // result: mostly satisfied, less so when it was late.
                if let Some(day) = resolved.filter(|_| k % 10 == 3) {
                    let roll = mix(ci as i64, mi as i64, k + 11) % 20;
                    let level = match (late, roll) {
                        (_, 0) | (true, 0..=9) => Satisfaction::NotSatisfied,
                        (_, 1..=6) => Satisfaction::Satisfied,
                        _ => Satisfaction::VerySatisfied,
                    };
                    rated.push(Rating {
                        unit_id: here(day),
                        service: RatedService::Dossier,
                        level,
                        rated_on: day,
                        subject: format!("MAU-{ci}-{unit_code}-{}-{k:03}", m.format("%Y%m")),
                        comment: String::new(),
                    });
                }
                writeln!(
                    csv,
                    "MAU-{ci}-{unit_code}-{}-{k:03},Thủ tục hành chính {},{unit_code},{},{},{},{}",
                    m.format("%Y%m"),
                    k % 7,
                    ["Trực tiếp", "Trực tuyến", "Bưu chính"][(k % 3) as usize],
                    on.format("%d/%m/%Y"),
                    due.format("%d/%m/%Y"),
                    resolved.map_or(String::new(), |r| r.format("%d/%m/%Y").to_string()),
                )?;
            }
        }
    }
    reception::insert_many(store, &receptions).await?;
    petitions::insert_many(store, &asked).await?;
    mediation::insert_many(store, &cases).await?;
    ratings::insert_many(store, &rated).await?;
    consultation(store, &tree, today).await?;
    import_csv(
        store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await?;
    Ok(Loaded {
        receptions: receptions.len(),
        petitions: asked.len(),
        mediation: cases.len(),
        dossiers,
    })
}

/// A land-recovery draft at the commune that took over Đạ Tông, open from
/// twenty days ago for forty days: paper forms and online answers so far.
async fn consultation(store: &Store, tree: &UnitTree, today: NaiveDate) -> anyhow::Result<()> {
    let opens_on = today - Duration::days(20);
    let old = unit(store, "24853").await?;
    let unit_id = answering(tree, old.id, opens_on);
    let id = consultations::insert(
        store,
        &Consultation {
            unit_id,
            subject: ConsultationSubject::LandRecovery,
            title: "Dự thảo phương án bồi thường, hỗ trợ mở rộng đường liên thôn (dữ liệu mẫu)"
                .into(),
            summary: "Mở rộng đường liên thôn 1 – thôn 3 lên 6 mét; 42 hộ bị ảnh hưởng.".into(),
            documents: "Tờ trình số 45/TTr-UBND (dữ liệu mẫu)\nBản đồ hiện trạng".into(),
            question: "Ông/bà có đồng ý với dự thảo phương án bồi thường, hỗ trợ?".into(),
            more_questions: vec![
                "Ông/bà có đồng ý với thời gian bàn giao mặt bằng trong 60 ngày?".into(),
            ],
            opens_on,
            closes_on: today + Duration::days(20),
            forms_issued: 300,
        },
    )
    .await?;
    consultations::add_paper(
        store,
        id,
        today - Duration::days(5),
        [212, 31, 18],
        &[[190, 52, 12]],
    )
    .await?;
    for i in 0..40 {
        let stance = match i % 10 {
            0 => Stance::Disagree,
            1 => Stance::Other,
            _ => Stance::Agree,
        };
        let comment = if i % 10 == 1 {
            "Đề nghị làm rõ mức hỗ trợ di dời cây trồng"
        } else {
            ""
        };
        let handover = if i % 4 == 0 {
            Stance::Disagree
        } else {
            Stance::Agree
        };
        consultations::answer_online(store, id, stance, &[handover], comment).await?;
    }
    Ok(())
}

/// The unit that answers for `old`'s records on `day`: itself, or after
/// 1 July 2025 the commune that took it over.
fn answering(tree: &UnitTree, old: i64, day: NaiveDate) -> i64 {
    tree.effective(old, day)
}

/// A petition received on `on`, taken as far through its lifecycle as
/// its age allows: the older ones resolved, a few left overdue, the
/// newest still waiting to be classified or handled.
fn petition(unit_id: i64, on: NaiveDate, n: i64, today: NaiveDate) -> anyhow::Result<Petition> {
    let (kind, field, ask) = ASKS[(n % ASKS.len() as i64) as usize];
    let name = format!(
        "{} {}",
        FAMILY[(n % 8) as usize],
        GIVEN[(n / 8 % 10) as usize]
    );
    let mut p = Petition {
        sender: Sender {
            name,
            address: format!("Thôn {} (dữ liệu mẫu)", 1 + n % 6),
            phone: String::new(),
        },
        summary: ask.to_string(),
        ..Petition::received(
            unit_id,
            on,
            PetitionChannel::ALL[(n % 4) as usize],
            kind,
            field,
        )
    };
    let age = (today - on).num_days();
    if age < 3 {
        return Ok(p);
    }
    let classified = on + Duration::days(2);
    p = p.apply(&Event::Classify {
        on: classified,
        eligibility: Eligibility::Eligible,
    })?;
    if age < 8 {
        return Ok(p);
    }
    p = p.apply(&Event::Handle {
        on: classified + Duration::days(3),
        handling: Handling::Accepted,
        complex: false,
        remote: false,
    })?;
    // One in nine is left unresolved, so a few run past their deadline.
    if n % 9 == 4 || age < 25 {
        return Ok(p);
    }
    let outcome = match kind {
        PetitionType::Recommendation => Outcome::Settled,
        _ => Outcome::PartlyRight,
    };
    let resolved = (classified + Duration::days(20 + n % 15)).min(today);
    p = p.apply(&Event::Resolve {
        on: resolved,
        outcome,
    })?;
    Ok(p)
}
