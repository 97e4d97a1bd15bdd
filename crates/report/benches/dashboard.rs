//! How long a province dashboard takes to build: a generated province of
//! 100 communes with two years of receptions, petitions, one-stop dossiers,
//! mediation cases, meetings and models, then `dashboard::build` timed one
//! at a time and with 64 at once (the web load test's concurrency).
//!
//! `cargo bench -p danvan-report --bench dashboard` (SQLite in a temporary
//! file; PostgreSQL too when DANVAN_BENCH_PG is a server URL such as
//! postgres://postgres@127.0.0.1:5432/postgres, on a database it creates
//! and drops). Prints a table; asserts nothing.

use std::fmt::Write;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use danvan_core::period::Period;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{Meeting, MeetingKind};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::petition::{
    Eligibility, Event, Handling, Outcome, Petition, PetitionChannel, PetitionField, PetitionType,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_report::{chart, dashboard};
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, mediation, meetings, models, petitions, reception, unit_import};

const COMMUNES: usize = 100;
const RECEPTIONS: usize = 60_000;
const PETITIONS: usize = 6_000;
const DOSSIERS: usize = 200_000;
const ROUNDS: usize = 200;
const CLIENTS: usize = 64;

fn day(n: usize) -> NaiveDate {
    // Two years, 2024 and 2025, by a stride that visits every day.
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new((n * 7919 % 731) as u64)
}

fn tree() -> String {
    let mut s = String::from("code,name,kind,parent_code,valid_from,valid_to,successor_code\n");
    s.push_str("B,Thử Nghiệm,tỉnh,,,,\nC,Đối Chứng,tỉnh,,,,\nC-1,Một,xã,C,,,\n");
    for i in 1..=COMMUNES {
        writeln!(s, "B-{i:03},Xã Số {i},xã,B,,,").unwrap();
    }
    s
}

async fn generate(store: &Store) {
    unit_import::import_csv(store, tree().as_bytes())
        .await
        .unwrap();
    let all = units::all(store).await.unwrap();
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
        reception::insert_many(store, chunk).await.unwrap();
    }

    let pets: Vec<Petition> = (0..PETITIONS)
        .map(|i| {
            let on = day(i);
            let p = Petition::received(
                at(i).id,
                on,
                PetitionChannel::ALL[i % PetitionChannel::ALL.len()],
                PetitionType::ALL[i % 3],
                PetitionField::ALL[i % PetitionField::ALL.len()],
            );
            if i % 10 == 0 {
                return p; // pending, unhandled
            }
            let c = on + chrono::Days::new(2);
            let p = p
                .apply(&Event::Classify {
                    on: c,
                    eligibility: Eligibility::Eligible,
                })
                .unwrap();
            let p = p
                .apply(&Event::Handle {
                    on: c + chrono::Days::new(2),
                    handling: Handling::Accepted,
                    complex: false,
                    remote: false,
                })
                .unwrap();
            if i % 10 == 1 {
                return p; // accepted, in resolution
            }
            let outcome = if p.kind == PetitionType::Recommendation {
                Outcome::Settled
            } else {
                Outcome::Right
            };
            p.apply(&Event::Resolve {
                on: c + chrono::Days::new(10 + (i % 50) as u64),
                outcome,
            })
            .unwrap()
        })
        .collect();
    for chunk in pets.chunks(2_000) {
        petitions::insert_many(store, chunk).await.unwrap();
    }

    let cases: Vec<MediationCase> = (0..3_000)
        .map(|i| MediationCase {
            unit_id: at(i).id,
            team: "Tổ hòa giải".into(),
            received_on: day(i),
            field: MediationField::ALL[i % MediationField::ALL.len()],
            result: MediationResult::ALL[i % MediationResult::ALL.len()],
            summary: String::new(),
        })
        .collect();
    mediation::insert_many(store, &cases).await.unwrap();
    let ms: Vec<Meeting> = (0..600)
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
    meetings::insert_many(store, &ms).await.unwrap();
    let mods: Vec<(Model, Vec<ModelYear>)> = (0..400)
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
    models::insert_many(store, &mods).await.unwrap();

    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for i in 0..DOSSIERS {
        let received = day(i);
        let due = received + chrono::Days::new(10);
        let done = match i % 20 {
            0 => None,
            1 => Some(due + chrono::Days::new(3)),
            n => Some(received + chrono::Days::new(n as u64 % 10)),
        }
        .filter(|d| *d <= NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        let channel = ["Trực tiếp", "Trực tuyến", "Bưu chính"][i % 3];
        writeln!(
            csv,
            "{i},B-{i:07},1.00{k},Thủ tục {k},{},{channel},,{},{},{},,",
            at(i).code,
            f(received),
            f(due),
            done.map(f).unwrap_or_default(),
            k = i % 7
        )
        .unwrap();
    }
    import_csv(
        store,
        std::io::Cursor::new(csv.into_bytes()),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn measure(label: &str, store: &Store) {
    let t0 = Instant::now();
    generate(store).await;
    println!(
        "{label}: sinh dữ liệu trong {:.1} giây",
        t0.elapsed().as_secs_f64()
    );
    let province = units::find(store, "B", None).await.unwrap();
    let period = Period::parse("2025", false).unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 12, 20).unwrap();
    let d = dashboard::build(store, &province, &period, today)
        .await
        .unwrap();
    println!(
        "  {} dòng theo đơn vị, {} đơn quá hạn, {} đơn sắp đến hạn, {}",
        d.on_time_by_unit.len(),
        d.petitions_due.overdue_count,
        d.petitions_due.soon_count,
        d.dossier_backlog.text
    );
    for h in &d.headline {
        println!(
            "  {}: {} (cùng kỳ {})",
            h.label,
            h.current.text(),
            h.previous.text()
        );
    }

    let mut one = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let t = Instant::now();
        dashboard::build(store, &province, &period, today)
            .await
            .unwrap();
        one.push(t.elapsed());
    }
    one.sort();

    let t = Instant::now();
    let charts = 50;
    for _ in 0..charts {
        chart::on_time_by_unit_svg(&d.on_time_by_unit);
        chart::models_by_field_svg(&d.models_by_field);
        chart::headline_comparison_svg(&d.headline, &d.period_label, &d.previous_label);
    }
    let svg = t.elapsed() / charts;

    let per_client = ROUNDS / 4;
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let store = store.clone();
        let province = province.clone();
        tasks.push(tokio::spawn(async move {
            let mut v = Vec::with_capacity(per_client);
            for _ in 0..per_client {
                let t = Instant::now();
                dashboard::build(&store, &province, &period, today)
                    .await
                    .unwrap();
                v.push(t.elapsed());
            }
            v
        }));
    }
    let mut many = Vec::new();
    for t in tasks {
        many.extend(t.await.unwrap());
    }
    let wall = t.elapsed();
    many.sort();
    println!(
        "| {label} | tuần tự: trung vị {} · p99 {} | {CLIENTS} đồng thời: trung vị {} · p99 {} · {:.0} bảng/giây | 3 biểu đồ SVG: {} |",
        ms(pct(&one, 0.5)),
        ms(pct(&one, 0.99)),
        ms(pct(&many, 0.5)),
        ms(pct(&many, 0.99)),
        many.len() as f64 / wall.as_secs_f64(),
        ms(svg),
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; nothing to list.
    }
    let path =
        std::env::temp_dir().join(format!("danvan-dashboard-bench-{}.db", std::process::id()));
    let url = path.display().to_string();
    let store = Store::open(&url).await.unwrap();
    measure("SQLite", &store).await;
    store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{url}{suffix}"));
    }

    if let Ok(admin) = std::env::var("DANVAN_BENCH_PG") {
        use sqlx::Connection;
        let name = format!("danvan_dashboard_bench_{}", std::process::id());
        let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut c)
            .await
            .unwrap();
        let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
        let store = Store::open(&url).await.unwrap();
        measure("PostgreSQL", &store).await;
        store.close().await;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await
        .unwrap();
    }
}
