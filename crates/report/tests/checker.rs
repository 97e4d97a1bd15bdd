//! danvan's own reports through the report checker. A random data set of
//! every record kind over a three-level and a two-level province gives a
//! report for every unit, period, template and comparison; each must be
//! consistent to the checker (no lỗi, no cảnh báo), every rate it states
//! must be read by a relation, and — the mutation test — every figure of
//! every relation the checker reads, changed by one typing slip (last
//! digit ±1, two digits swapped, thousands dots dropped), must be flagged
//! at its sentence. A slip that leaves the relation holding (a rate to one
//! decimal that does not move) is an equivalent mutant, counted apart.

mod common;

use chrono::{Datelike, Days, NaiveDate};
use danvan_check::mutate::{Slip, slips};
use danvan_check::{CheckReport, FigureRole, Finding, RelationKind, Severity, check_text};
use danvan_core::period::Period;
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType,
};
use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_report::{Catalogue, Request};
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::units::{self, Unit};
use danvan_store::{
    Store, cases, directives, mediation, meetings, models, oversight, petitions, reception,
    unit_import,
};

/// A three-level province (a district of three communes, a city of a ward
/// and a commune) and a two-level one.
const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Thử,tỉnh,,,,
H1,Một,huyện,P,,,
X11,Một Một,xã,H1,,,
X12,Một Hai,xã,H1,,,
X13,Một Ba,thị trấn,H1,,,
H2,Hai,thành phố,P,,,
X21,Hai Một,phường,H2,,,
X22,Hai Hai,xã,H2,,,
Q,Mới,tỉnh,,,,
Q1,Q Một,xã,Q,,,
Q2,Q Hai,phường,Q,,,
";

/// A small deterministic random source (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<T: Copy>(&mut self, all: &[T]) -> T {
        all[self.below(all.len() as u64) as usize]
    }

    /// A day of 2019–2021.
    fn day(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 1, 1).unwrap() + Days::new(self.below(3 * 365))
    }
}

fn petition(rng: &mut Rng, unit: i64) -> Petition {
    let on = rng.day();
    let kind = rng.pick(PetitionType::ALL);
    let p = Petition::received(
        unit,
        on,
        rng.pick(PetitionChannel::ALL),
        kind,
        rng.pick(PetitionField::ALL),
    );
    let c = on + Days::new(2);
    match rng.below(10) {
        0 => p,
        1 => p
            .apply(&Event::Classify {
                on: c,
                eligibility: Eligibility::Ineligible(rng.pick(IneligibleReason::ALL)),
            })
            .and_then(|p| {
                p.apply(&Event::Handle {
                    on: c,
                    handling: Handling::Archived,
                    complex: false,
                    remote: false,
                })
            })
            .unwrap(),
        2 | 3 => p
            .apply(&Event::Classify {
                on: c,
                eligibility: Eligibility::Eligible,
            })
            .and_then(|p| {
                p.apply(&Event::Handle {
                    on: c + Days::new(1),
                    handling: rng.pick(&[
                        Handling::Transferred,
                        Handling::Urged,
                        Handling::Returned,
                    ]),
                    complex: false,
                    remote: false,
                })
            })
            .unwrap(),
        n => {
            let p = p
                .apply(&Event::Classify {
                    on: c,
                    eligibility: Eligibility::Eligible,
                })
                .and_then(|p| {
                    p.apply(&Event::Handle {
                        on: c + Days::new(1),
                        handling: Handling::Accepted,
                        complex: false,
                        remote: false,
                    })
                })
                .unwrap();
            if n < 6 {
                return p;
            }
            let outcome = if kind == PetitionType::Recommendation {
                Outcome::Settled
            } else {
                rng.pick(&[Outcome::Right, Outcome::Wrong, Outcome::PartlyRight])
            };
            p.apply(&Event::Resolve {
                on: c + Days::new(5 + rng.below(60)),
                outcome,
            })
            .unwrap()
        }
    }
}

/// Records of every kind at every unit, a random number of each.
async fn generate(store: &Store, rng: &mut Rng) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let all: Vec<Unit> = units::all(store).await.unwrap();
    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let mut n = 0;
    for u in &all {
        // One commune with thousands, so that figures carry thousands dots.
        let big = if u.code == "X11" { 1_200 } else { 0 };
        let recs: Vec<Reception> = (0..big / 2 + rng.below(25))
            .map(|_| {
                let turns = 1 + rng.below(3) as i64;
                let delegations = i64::from(rng.below(8) == 0);
                let persons = turns + rng.below(3) as i64 + 6 * delegations;
                Reception {
                    unit_id: u.id,
                    received_on: rng.day(),
                    official: String::new(),
                    position: String::new(),
                    kind: rng.pick(ReceptionKind::ALL),
                    content: rng.pick(ReceptionContent::ALL),
                    outcome: rng.pick(ReceptionOutcome::ALL),
                    turns,
                    persons,
                    delegations,
                    delegation_persons: 6 * delegations,
                    petition_id: None,
                    note: String::new(),
                }
            })
            .collect();
        reception::insert_many(store, &recs).await.unwrap();
        let pets: Vec<Petition> = (0..rng.below(30)).map(|_| petition(rng, u.id)).collect();
        petitions::insert_many(store, &pets).await.unwrap();
        let med: Vec<MediationCase> = (0..rng.below(15))
            .map(|_| MediationCase {
                unit_id: u.id,
                team: "Tổ hòa giải".into(),
                received_on: rng.day(),
                field: rng.pick(MediationField::ALL),
                result: rng.pick(MediationResult::ALL),
                summary: String::new(),
            })
            .collect();
        mediation::insert_many(store, &med).await.unwrap();
        let ms: Vec<Meeting> = (0..rng.below(4))
            .map(|_| Meeting {
                unit_id: u.id,
                kind: rng.pick(MeetingKind::ALL),
                held_on: rng.day(),
                chair: "Chủ tịch UBND".into(),
                deputies: "Đại biểu HĐND".into(),
                participants: 10 + rng.below(80) as i64,
                subject: "Đối thoại".into(),
                opinions: (0..rng.below(4))
                    .map(|_| Opinion {
                        content: "Ý kiến".into(),
                        follow_up: rng.pick(FollowUp::ALL),
                    })
                    .collect(),
            })
            .collect();
        meetings::insert_many(store, &ms).await.unwrap();
        let mods: Vec<(Model, Vec<ModelYear>)> = (0..rng.below(5))
            .map(|i| {
                let on = rng.day();
                (
                    Model {
                        unit_id: u.id,
                        name: format!("Mô hình {} {i}", u.code),
                        level: rng.pick(ModelLevel::ALL),
                        field: rng.pick(ModelField::ALL),
                    },
                    vec![ModelYear {
                        year: on.year(),
                        recorded_on: on,
                        status: rng.pick(ModelStatus::ALL),
                        recognised: rng.below(2) == 0,
                        award: if rng.below(3) == 0 {
                            "Bằng khen".into()
                        } else {
                            String::new()
                        },
                    }],
                )
            })
            .collect();
        models::insert_many(store, &mods).await.unwrap();
        let ov: Vec<Oversight> = (0..rng.below(4))
            .map(|_| Oversight {
                unit_id: u.id,
                organisation: rng.pick(Organisation::ALL),
                kind: rng.pick(OversightKind::ALL),
                held_on: rng.day(),
                subject: "Quy chế dân chủ".into(),
                targets: "UBND".into(),
                recommendations: rng.below(4) as i64,
            })
            .collect();
        oversight::insert_many(store, &ov).await.unwrap();
        let cs: Vec<Case> = (0..rng.below(3))
            .map(|_| {
                let opened = rng.day();
                Case {
                    unit_id: u.id,
                    opened_on: opened,
                    title: "Khiếu kiện đông người".into(),
                    complex: true,
                    crowd: rng.below(2) == 0,
                    prolonged: false,
                    resolved_on: (rng.below(2) == 0).then(|| opened + Days::new(20)),
                }
            })
            .collect();
        cases::insert_many(store, &cs).await.unwrap();
        let ds: Vec<Directive> = (0..rng.below(2))
            .map(|i| Directive {
                unit_id: u.id,
                number: DocumentNumber::parse(&format!("{}/KH-UBND", 10 + i)).unwrap(),
                issued_on: rng.day(),
                issuer: "UBND".into(),
                title: "Kế hoạch công tác dân vận".into(),
            })
            .collect();
        directives::insert_many(store, &ds).await.unwrap();
        for _ in 0..big + rng.below(40) {
            n += 1;
            let received = rng.day();
            let due = received + Days::new(10);
            let done = match rng.below(10) {
                0 => None,
                1 => Some(due + Days::new(1 + rng.below(5))),
                _ => Some(received + Days::new(rng.below(10))),
            };
            let channel = rng.pick(&["Trực tiếp", "Trực tuyến", "Bưu chính"]);
            csv.push_str(&format!(
                "{n},G-{n:06},1.00{k},Thủ tục {k},{},{channel},{},{},{},{},,\n",
                u.code,
                if rng.below(6) == 0 { "x" } else { "" },
                f(received),
                f(due),
                done.map(f).unwrap_or_default(),
                k = n % 7
            ));
        }
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

/// Value of a number as written, times 10^4.
fn value(written: &str) -> i128 {
    danvan_check::parse_vn(written).map_or(i128::MIN, |d| d.scaled)
}

/// Whether the relation read by `f` still holds once the number at `at`
/// reads `new` (the independent arithmetic of its kind, from its roles).
fn holds_after(text: &str, f: &Finding, at: usize, new: &str) -> bool {
    let written = |r: &danvan_check::FigureRef| {
        if r.span.start == at {
            new.to_string()
        } else {
            text[r.span.start..r.span.end].to_string()
        }
    };
    let sum = |role: FigureRole| -> i128 {
        f.figures
            .iter()
            .filter(|r| r.role == role)
            .map(|r| value(&written(r)))
            .sum()
    };
    let one = |role: FigureRole| f.figures.iter().find(|r| r.role == role).map(written);
    let rate_ok = |num: i128, den: i128, pct: &str| -> bool {
        let d = pct.split_once(',').map_or(0, |(_, x)| x.len() as u32);
        if den == 0 {
            return false;
        }
        let want = value(pct) / 10i128.pow(4 - d);
        let n = num * 100 * 10i128.pow(d);
        let t = n / den;
        let r = if 2 * (n % den).abs() >= den.abs() {
            t + n.signum()
        } else {
            t
        };
        want == r
    };
    let down = f.stated.starts_with("giảm");
    match f.kind {
        RelationKind::Sum | RelationKind::Remaining => {
            sum(FigureRole::Total) == sum(FigureRole::Part)
        }
        RelationKind::Rate => {
            let pct = one(FigureRole::Rate).unwrap_or_default();
            rate_ok(
                sum(FigureRole::Numerator),
                sum(FigureRole::Denominator),
                &pct,
            )
        }
        RelationKind::Difference => {
            let (c, p) = (sum(FigureRole::Current), sum(FigureRole::Previous));
            let diff = if down { p - c } else { c - p };
            let change = one(FigureRole::Change).unwrap_or_default();
            if f.stated.ends_with('%') {
                rate_ok(diff, p, &change)
            } else {
                diff == value(&change)
            }
        }
        RelationKind::ChangePercent => {
            let (c, ch) = (sum(FigureRole::Current), sum(FigureRole::Change));
            let prev = if f.figures.iter().any(|r| r.role == FigureRole::Previous) {
                sum(FigureRole::Previous)
            } else if down {
                c + ch
            } else {
                c - ch
            };
            rate_ok(ch, prev, &one(FigureRole::Rate).unwrap_or_default())
        }
        RelationKind::PartOfWhole => sum(FigureRole::Numerator) <= sum(FigureRole::Denominator),
        RelationKind::SameFigure => sum(FigureRole::Current) == sum(FigureRole::Previous),
        RelationKind::ListCount | RelationKind::NumberFormat => {
            value(new) == value(&written(&f.figures[0]))
        }
    }
}

fn flagged_at(r: &CheckReport, pos: usize) -> bool {
    r.findings.iter().any(|f| {
        f.severity != Severity::Ok
            && (f.figures.iter().any(|x| x.span.start == pos)
                || f.sentence.start <= pos && pos < f.sentence.end)
    })
}

/// The rates a report states ("(đạt tỷ lệ 98,1%)", "(chiếm 76,2% …)"):
/// byte offsets of their numbers.
fn stated_rates(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for intro in ["đạt tỷ lệ ", "(chiếm ", ", đạt "] {
        let mut from = 0;
        while let Some(k) = text[from..].find(intro) {
            let at = from + k + intro.len();
            if text[at..].starts_with(|c: char| c.is_ascii_digit()) {
                out.push(at);
            }
            from = at;
        }
    }
    out
}

#[derive(Default)]
struct Tally {
    reports: usize,
    relations: usize,
    /// Reports whose figures were mutated.
    mutated: usize,
    detectable: usize,
    detected: usize,
    equivalent: usize,
    by_slip: std::collections::BTreeMap<&'static str, (usize, usize)>,
    missed: Vec<String>,
    /// Findings on a generated report (each should be none).
    inconsistent: Vec<String>,
    /// Stated rates no relation reads.
    unread: Vec<String>,
}

/// The heading of the annex of figures at the end of every report.
const ANNEX: &str = "PHỤ LỤC: SỐ LIỆU THEO CHỈ TIÊU";

async fn run(store: &Store) -> Tally {
    let mut rng = Rng(0x005E_ED15);
    generate(store, &mut rng).await;
    let all: Vec<Unit> = units::all(store).await.unwrap();
    let mut t = Tally::default();
    let mut k = 0usize;
    let all_reports = std::env::var_os("DANVAN_MUTATE_ALL").is_some();
    for u in &all {
        for period in ["2020-H1", "2020", "2021-Q3", "2020..2021"] {
            let period = Period::parse(period, false).unwrap();
            for template in [
                None,
                Some("bao-cao-6-thang"),
                Some("bao-cao-tinh-uy"),
                Some("so-ket-nhieu-nam"),
            ] {
                for compare in [false, true] {
                    let r = danvan_report::build(
                        store,
                        &Catalogue::builtin(),
                        Request::new(u, period).template(template).compare(compare),
                    )
                    .await
                    .unwrap();
                    let text = &r.text;
                    let c = check_text(text);
                    let what = format!(
                        "{} {} {template:?} so sánh={compare}",
                        u.code,
                        period.code()
                    );
                    for f in &c.findings {
                        t.inconsistent.push(format!(
                            "{what}: [{}] {} — {} / {} «{}»",
                            f.severity.label(),
                            f.kind.label(),
                            f.stated,
                            f.computed,
                            f.quote
                        ));
                    }
                    // Every rate the report states is read by a relation.
                    let read: Vec<usize> = c
                        .consistent
                        .iter()
                        .flat_map(|f| f.figures.iter().map(|r| r.span.start))
                        .collect();
                    for at in stated_rates(text) {
                        if !read.contains(&at) {
                            let line = text[..at].rfind('\n').map_or(0, |k| k + 1);
                            let end = text[at..].find('\n').map_or(text.len(), |k| at + k);
                            t.unread.push(format!("{what}: «{}»", &text[line..end]));
                        }
                    }
                    t.reports += 1;
                    t.relations += c.consistent.len();
                    // The mutation test on every third report (the others
                    // repeat the same sentences with other numbers), or on
                    // every report with DANVAN_MUTATE_ALL=1.
                    k += 1;
                    if !all_reports && !k.is_multiple_of(3) {
                        continue;
                    }
                    t.mutated += 1;
                    // The annex of figures says one sentence form per
                    // indicator ("label: total (part; part)"): its slips
                    // are tried on every thirty-sixth report, the body's on
                    // every third.
                    match text.find(ANNEX) {
                        Some(at) if !all_reports && !k.is_multiple_of(36) => {
                            let body = &text[..at];
                            mutate(body, &check_text(body), &what, &mut t);
                        }
                        _ => mutate(text, &c, &what, &mut t),
                    }
                }
            }
        }
    }
    t
}

fn mutate(text: &str, c: &CheckReport, what: &str, t: &mut Tally) {
    let mut done = std::collections::BTreeSet::new();
    for f in &c.consistent {
        for r in &f.figures {
            let (s, e) = (r.span.start, r.span.end);
            if !done.insert((s, e)) {
                continue;
            }
            for (slip, new) in slips(&text[s..e]) {
                let mutated = format!("{}{new}{}", &text[..s], &text[e..]);
                let breaks = slip == Slip::DropDots
                    || c.consistent.iter().any(|g| {
                        g.figures.iter().any(|x| x.span.start == s)
                            && !holds_after(text, g, s, &new)
                    });
                if !breaks {
                    t.equivalent += 1;
                    continue;
                }
                t.detectable += 1;
                let by = t.by_slip.entry(slip.name()).or_default();
                by.1 += 1;
                if flagged_at(&check_text(&mutated), s) {
                    t.detected += 1;
                    by.0 += 1;
                } else {
                    let line = text[..s].rfind('\n').map_or(0, |k| k + 1);
                    let end = text[s..].find('\n').map_or(text.len(), |k| s + k);
                    t.missed.push(format!(
                        "{what}: «{}» → «{new}» in «{}»",
                        &text[s..e],
                        &text[line..end]
                    ));
                }
            }
        }
    }
}

#[test]
fn generated_reports_are_consistent_and_every_slip_is_flagged() {
    common::block_on(async {
        let db = common::sqlite().await;
        let t = run(&db.store).await;
        db.finish().await;
        let score = t.detected as f64 / t.detectable.max(1) as f64;
        println!(
            "{} reports, {} relations; mutants of {} reports flagged {}/{} = {:.2}% ({} equivalent)",
            t.reports,
            t.relations,
            t.mutated,
            t.detected,
            t.detectable,
            score * 100.0,
            t.equivalent
        );
        for (slip, (ok, n)) in &t.by_slip {
            println!("  {slip}: {ok}/{n}");
        }
        for m in t.missed.iter().take(40) {
            println!("missed {m}");
        }
        for m in &t.inconsistent {
            println!("inconsistent {m}");
        }
        for m in t.unread.iter().take(20) {
            println!("unread {m}");
        }
        assert!(
            t.inconsistent.is_empty(),
            "{} findings on generated reports",
            t.inconsistent.len()
        );
        assert!(
            t.unread.is_empty(),
            "{} rates read by no relation",
            t.unread.len()
        );
        assert!(t.relations > 1000, "{} relations", t.relations);
        assert!(score >= 0.99, "mutation score {score:.4}");
    });
}
