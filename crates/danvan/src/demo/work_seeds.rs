//! Demo records for the rest of the seed figures: one-stop dossiers (as a
//! one-stop export imported through `import_csv`), mediation cases, voter
//! contact meetings, "Dân vận khéo" models and the inspection data set.

use std::fmt::Write;

use chrono::{Duration, NaiveDate};
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, DataValue, ElementOption, PeriodType, ValueType,
};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::{Store, datasets, mediation, meetings, models};

use super::{date, unit};

const COMMUNES: [&str; 8] = [
    "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
];

/// How a demo dossier ends.
#[derive(Clone, Copy)]
enum End {
    Early,
    OnTime,
    Late,
    Pending,
}

/// Seed 000's one-stop figures as a one-stop system export: the district
/// desk 1.022 received, 787 resolved in time and 15 late; the 8 communes
/// 5.085 received, 4.667 in time, 64 late.
pub async fn dossiers(store: &Store) -> anyhow::Result<usize> {
    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let district: &[(End, usize)] = &[
        (End::Early, 500),
        (End::OnTime, 287),
        (End::Late, 15),
        (End::Pending, 220),
    ];
    // The communes differ as real ones do, their sums the seed's:
    // received 5.085, in time 4.667 (2.400 of them early), late 64; the
    // late share is the seed's everywhere, so each on-time rate is 98,x %.
    const RECEIVED: [usize; 8] = [812, 540, 700, 905, 468, 633, 517, 510];
    const LATE: [usize; 8] = [10, 6, 9, 12, 6, 8, 7, 6];
    const PENDING: [usize; 8] = [40, 66, 35, 52, 61, 38, 30, 32];
    let in_time: Vec<usize> = (0..8).map(|i| RECEIVED[i] - LATE[i] - PENDING[i]).collect();
    let mut early: Vec<usize> = in_time.iter().map(|t| t * 2400 / 4667).collect();
    early[7] += 2400 - early.iter().sum::<usize>();
    let communes: Vec<[(End, usize); 4]> = (0..8)
        .map(|i| {
            [
                (End::Early, early[i]),
                (End::OnTime, in_time[i] - early[i]),
                (End::Late, LATE[i]),
                (End::Pending, PENDING[i]),
            ]
        })
        .collect();
    let mut blocks: Vec<(&str, &[(End, usize)])> = vec![("674", district)];
    for (c, ends) in COMMUNES.iter().zip(&communes) {
        blocks.push((c, ends));
    }
    let mut n = 0;
    for (unit, ends) in blocks {
        for &(end, count) in ends {
            for _ in 0..count {
                n += 1;
                let received = date(2020, 1, 2) + Duration::days((n % 140) as i64);
                let due = received + Duration::days(10);
                let resolved = match end {
                    End::Early => Some(due - Duration::days(3)),
                    End::OnTime => Some(due),
                    End::Late => Some(due + Duration::days(4)),
                    End::Pending => None,
                };
                let channel = ["Trực tiếp", "Trực tuyến", "Bưu chính"][n % 3];
                writeln!(
                    csv,
                    "{n},DR-{unit}-{n:06},1.00{k},Thủ tục hành chính {k},{unit},{channel},,{},{},{},,",
                    received.format("%d/%m/%Y"),
                    due.format("%d/%m/%Y"),
                    resolved.map_or(String::new(), |r| r.format("%d/%m/%Y").to_string()),
                    k = n % 7,
                )?;
            }
        }
    }
    let s = import_csv(
        store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await?;
    Ok(s.inserted)
}

fn cases(
    units: &[i64],
    from: NaiveDate,
    days: i64,
    results: &[(MediationResult, usize)],
) -> Vec<MediationCase> {
    let mut out = Vec::new();
    for &(result, count) in results {
        for _ in 0..count {
            let n = out.len();
            out.push(MediationCase {
                unit_id: units[n % units.len()],
                team: format!("Tổ hòa giải thôn {}", n % 5 + 1),
                received_on: from + Duration::days((n as i64 * 7) % days),
                field: MediationField::ALL[n % MediationField::ALL.len()],
                result,
                summary: String::new(),
            });
        }
    }
    out
}

/// Seed 000: 45 of 53 mediated successfully in 2020-H1 in Đam Rông; seed
/// 002: 630 of 755 in Quảng Ngãi city over 2021–2023.
pub async fn mediation_cases(store: &Store) -> anyhow::Result<usize> {
    let mut dr = Vec::new();
    for c in COMMUNES {
        dr.push(unit(store, c).await?.id);
    }
    let mut all = cases(
        &dr,
        date(2020, 1, 6),
        150,
        &[
            (MediationResult::Success, 45),
            (MediationResult::Failure, 8),
        ],
    );
    let city = unit(store, "522").await?.id;
    all.extend(cases(
        &[city],
        date(2021, 1, 4),
        1060,
        &[
            (MediationResult::Success, 630),
            (MediationResult::Failure, 110),
            (MediationResult::Withdrawn, 15),
        ],
    ));
    mediation::insert_many(store, &all).await?;
    Ok(all.len())
}

fn meeting(unit_id: i64, held_on: NaiveDate, participants: i64, opinions: usize) -> Meeting {
    Meeting {
        unit_id,
        kind: MeetingKind::VoterContact,
        held_on,
        chair: String::new(),
        deputies: "Đại biểu Quốc hội khóa XIV, đại biểu HĐND các cấp".into(),
        participants,
        subject: "Tiếp xúc cử tri".into(),
        opinions: (0..opinions)
            .map(|j| Opinion {
                content: format!("Ý kiến, kiến nghị {}", j + 1),
                follow_up: if j == 0 {
                    FollowUp::AnsweredInWriting
                } else {
                    FollowUp::AnsweredAtMeeting
                },
            })
            .collect(),
    }
}

/// Seed 000, footnote 3: 10 voter-contact sessions at the district with 450
/// voters and 33 opinions; 33 sessions in the communes with 2.037 voters
/// and 256 opinions.
pub async fn voter_contact(store: &Store) -> anyhow::Result<usize> {
    let district = unit(store, "674").await?.id;
    let mut all: Vec<Meeting> = (0..10)
        .map(|i| {
            meeting(
                district,
                date(2020, 4, 1) + Duration::days(i * 3),
                45,
                if i < 3 { 4 } else { 3 },
            )
        })
        .collect();
    // 2.037 voters = 32 × 62 + 53; 256 opinions = 25 × 8 + 8 × 7.
    for i in 0..33 {
        let c = unit(store, COMMUNES[i % 8]).await?.id;
        let voters = if i < 32 { 62 } else { 53 };
        let opinions = if i < 25 { 8 } else { 7 };
        all.push(meeting(
            c,
            date(2020, 4, 2) + Duration::days(i as i64),
            voters,
            opinions,
        ));
    }
    meetings::insert_many(store, &all).await?;
    Ok(all.len())
}

fn models_of(
    unit_id: i64,
    level: ModelLevel,
    on: NaiveDate,
    spec: &[(ModelStatus, ModelField, usize)],
) -> Vec<(Model, Vec<ModelYear>)> {
    let mut out = Vec::new();
    for &(status, field, n) in spec {
        for i in 0..n {
            out.push((
                Model {
                    unit_id,
                    name: format!("Mô hình {} số {}", field.label(), i + 1),
                    level,
                    field,
                },
                vec![ModelYear {
                    year: on.format("%Y").to_string().parse().unwrap_or(2020),
                    recorded_on: on,
                    status,
                    recognised: i % 2 == 0,
                    award: if i == 0 {
                        "Giấy khen".into()
                    } else {
                        String::new()
                    },
                }],
            ));
        }
    }
    out
}

/// Seed 002's 47 models of Quảng Ngãi city (2021–2023) by status and
/// field; seed 004's 1.016 models of Kon Tum (2016) by field and level.
pub async fn dan_van_kheo(store: &Store) -> anyhow::Result<usize> {
    use ModelField::*;
    use ModelStatus::*;
    let city = unit(store, "522").await?.id;
    let mut all = Vec::new();
    for (k, spec) in [
        vec![
            (New, Economy, 1),
            (New, CultureSociety, 11),
            (New, DefenceSecurity, 4),
            (New, PoliticalSystem, 2),
        ],
        vec![
            (Replicated, CultureSociety, 5),
            (Replicated, DefenceSecurity, 6),
            (Replicated, PoliticalSystem, 2),
        ],
        vec![
            (Maintained, Economy, 2),
            (Maintained, CultureSociety, 7),
            (Maintained, DefenceSecurity, 5),
            (Maintained, PoliticalSystem, 2),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        all.extend(models_of(
            city,
            ModelLevel::District,
            date(2021 + k as i32, 3, 1),
            &spec,
        ));
    }
    // Kon Tum 2016: province 32, district 110, grassroots 874; by field
    // economy and culture–society 630, defence–security 172, political
    // system 214.
    let kt = unit(store, "62").await?.id;
    let district = unit(store, "608").await?.id;
    let commune = unit(store, "23281").await.map(|u| u.id).unwrap_or(district);
    let on = date(2016, 6, 1);
    all.extend(models_of(
        kt,
        ModelLevel::Province,
        on,
        &[(New, PoliticalSystem, 32)],
    ));
    all.extend(models_of(
        district,
        ModelLevel::District,
        on,
        &[(New, PoliticalSystem, 110)],
    ));
    all.extend(models_of(
        commune,
        ModelLevel::Grassroots,
        on,
        &[
            (New, Economy, 400),
            (New, CultureSociety, 230),
            (New, DefenceSecurity, 172),
            (New, PoliticalSystem, 72),
        ],
    ));
    models::insert_many(store, &all).await?;
    Ok(all.len())
}

fn element(code: &str, label: &str, measure: &str, options: &[(&str, &str)]) -> DataElement {
    DataElement {
        code: code.into(),
        label: label.into(),
        measure: measure.into(),
        value_type: ValueType::Integer,
        scale: 0,
        aggregation: Aggregation::Sum,
        options: options
            .iter()
            .map(|(c, l)| ElementOption {
                code: c.to_string(),
                label: l.to_string(),
            })
            .collect(),
    }
}

/// Seed 004's inspections as an aggregate data set entered for Kon Tum,
/// 2016: 53 inspections; violations found, recorded as their own figure
/// (7.553 million đồng: the seed prints 7.554, one more than its parts);
/// violations handled 3.565 + 419 + 3.569 million đồng by kind of
/// recovery; fines 212 million đồng.
pub async fn inspections(store: &Store) -> anyhow::Result<()> {
    let elements = [
        element("inspections", "Số cuộc thanh tra, kiểm tra", "cuộc", &[]),
        element(
            "violations_found",
            "Số tiền sai phạm phát hiện",
            "triệu đồng",
            &[],
        ),
        element(
            "violations_handled",
            "Số tiền sai phạm đã xử lý",
            "triệu đồng",
            &[
                ("state_budget", "Thu hồi nộp ngân sách nhà nước"),
                ("unit", "Thu hồi về cho đơn vị"),
                ("other", "Xử lý khác"),
            ],
        ),
        element("fines", "Xử phạt vi phạm hành chính", "triệu đồng", &[]),
    ];
    for e in &elements {
        datasets::define_element(store, e).await?;
    }
    datasets::define_set(
        store,
        &DataSet {
            code: "inspection".into(),
            name: "Kết quả thanh tra, kiểm tra".into(),
            period_type: PeriodType::Year,
            elements: elements.iter().map(|e| e.code.clone()).collect(),
        },
    )
    .await?;
    let kt = unit(store, "62").await?.id;
    let mut values = Vec::new();
    for (code, option, text) in [
        ("inspections", "", "53"),
        ("violations_found", "", "7.553"),
        ("violations_handled", "state_budget", "3.565"),
        ("violations_handled", "unit", "419"),
        ("violations_handled", "other", "3.569"),
        ("fines", "", "212"),
    ] {
        let e = elements
            .iter()
            .find(|e| e.code == code)
            .expect("defined above");
        values.push(DataValue {
            unit_id: kt,
            element: code.into(),
            period: "2016".into(),
            option: option.into(),
            value: e.parse_value(text)?,
        });
    }
    datasets::enter(store, "inspection", &values).await?;
    Ok(())
}
