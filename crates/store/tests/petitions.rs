//! Petitions on both engines: the seed reports' figures read back through
//! facts, deadlines computed from rules and schedules stored as data,
//! denouncer secrecy, due lists, and invalid input that writes nothing.

mod common;

use danvan_testkit::correct;

use chrono::{Datelike, Duration, NaiveDate};
use danvan_core::calendar::deadline::{DayCounting, DeadlineRule, DueStatus, Extension, Procedure};
use danvan_core::calendar::workdays::{DayKind, DayOverride, official_schedule_2026};
use danvan_core::number;
use danvan_core::period::{DateRange, Period};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Instance, MASK, Outcome, Petition,
    PetitionChannel, PetitionField, PetitionStatus, PetitionType, Sender, keys,
};
use danvan_store::facts::{self, Detail, FactTable, Scope};
use danvan_store::petitions::{self, DeadlineKind, DueFilter, Filter, Viewer};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, accounts, deadlines, record_import};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const NOBODY: Viewer = Viewer { official_id: 0 };

async fn setup(store: &Store) {
    danvan_testkit::units::load(store).await;
}

async fn unit(store: &Store, code: &str) -> Unit {
    units::find(store, code, None).await.unwrap()
}

/// The sender of petition `id` as `viewer` reads it.
async fn sender_seen(store: &Store, id: i64, viewer: Viewer) -> Sender {
    petitions::get(store, id, viewer)
        .await
        .unwrap()
        .petition
        .sender
}

/// The fixture loaded: xã Đam Rông 1 and its province, Lâm Đồng.
async fn commune_and_province(store: &Store) -> (Unit, Unit) {
    setup(store).await;
    (
        unit(store, "24886-2025").await,
        unit(store, "68-2025").await,
    )
}

/// `n` working-week dates spread evenly over `from..=to`.
fn spread(n: usize, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let days = (to - from).num_days().max(1);
    let offset = |i: usize| Duration::days(days * i as i64 / n.max(1) as i64);
    (0..n).map(|i| from + offset(i)).collect()
}

fn received(unit: &Unit, on: NaiveDate, kind: PetitionType, i: usize) -> Petition {
    let channels = PetitionChannel::ALL;
    let fields = PetitionField::ALL;
    let channel = channels[i % channels.len()];
    let mut p = Petition::received(unit.id, on, channel, kind, fields[i % fields.len()]);
    p.sender = Sender {
        name: format!("Công dân {i}"),
        address: "Thôn 1".into(),
        phone: String::new(),
    };
    p
}

fn step(p: Petition, e: Event) -> Petition {
    p.apply(&e).unwrap()
}

fn classify(p: Petition, eligibility: Eligibility) -> Petition {
    let on = p.received_on + Duration::days(2);
    step(p, Event::Classify { on, eligibility })
}

fn handle(p: Petition, handling: Handling, on: NaiveDate) -> Petition {
    let e = Event::Handle {
        handling,
        on,
        remote: false,
        complex: false,
    };
    step(p, e)
}

fn resolve(p: Petition, on: NaiveDate) -> Petition {
    let outcome = match p.kind {
        PetitionType::Recommendation => Outcome::Settled,
        _ => [Outcome::Right, Outcome::Wrong, Outcome::PartlyRight]
            [p.received_on.ordinal0() as usize % 3],
    };
    step(p, Event::Resolve { on, outcome })
}

async fn read(store: &Store, u: &Unit, range: DateRange) -> FactTable {
    facts::read(store, Scope::of(u), keys::ALL, range, Detail::Breakdowns)
        .await
        .unwrap()
}

/// Seed 002: Quảng Ngãi city 2021–2023, all at the city (UBND thành phố).
async fn seed_002(store: &Store) {
    let city = unit(store, "522").await;
    let mut recs = Vec::new();
    let dates = spread(3848, d(2021, 1, 4), d(2023, 11, 30));
    let mut next = 0usize;
    let mut take = || {
        next += 1;
        (next - 1, dates[next - 1])
    };
    // 916 not eligible, archived, for each of the five reasons.
    for _ in 0..916 {
        let (i, on) = take();
        let reason = IneligibleReason::ALL[i % 5];
        let p = classify(
            received(&city, on, PetitionType::Recommendation, i),
            Eligibility::Ineligible(reason),
        );
        let h = p.received_on + Duration::days(4);
        recs.push(handle(p, Handling::Archived, h));
    }
    // 1.270 transferred, 66 urged, 179 returned with guidance.
    for (handling, n) in [
        (Handling::Transferred, 1270),
        (Handling::Urged, 66),
        (Handling::Returned, 179),
    ] {
        for _ in 0..n {
            let (i, on) = take();
            let kind = PetitionType::ALL[i % 3];
            let p = classify(received(&city, on, kind, i), Eligibility::Eligible);
            let h = p.received_on + Duration::days(5);
            recs.push(handle(p, handling, h));
        }
    }
    // 1.417 accepted: 163 complaints (162 resolved), 70 denunciations (all
    // resolved), 1.184 recommendations.
    for (kind, n, resolved) in [
        (PetitionType::Complaint, 163, 162),
        (PetitionType::Denunciation, 70, 70),
        (PetitionType::Recommendation, 1184, 1100),
    ] {
        for j in 0..n {
            let (i, on) = take();
            let p = classify(received(&city, on, kind, i), Eligibility::Eligible);
            let h = p.received_on + Duration::days(5);
            let p = handle(p, Handling::Accepted, h);
            recs.push(if j < resolved {
                resolve(p, h + Duration::days(21))
            } else {
                p
            });
        }
    }
    assert_eq!(next, 3848);
    // Seven complex, crowd or prolonged cases, four resolved in the period;
    // and one ordinary case that must not count.
    let mut case_ids = Vec::new();
    for (i, (complex, crowd, prolonged, resolved)) in [
        (true, false, false, Some(d(2022, 5, 10))),
        (false, true, false, Some(d(2021, 11, 2))),
        (false, false, true, None),
        (true, true, false, Some(d(2023, 6, 20))),
        (true, false, true, None),
        (false, true, true, Some(d(2023, 9, 1))),
        (true, true, true, None),
        (false, false, false, Some(d(2022, 1, 15))),
    ]
    .into_iter()
    .enumerate()
    {
        let c = Case {
            opened_on: d(2021, 2, 1) + Duration::days(30 * i as i64),
            title: format!("Vụ việc {}", i + 1),
            resolved_on: resolved,
            complex,
            crowd,
            prolonged,
            ..danvan_testkit::seed::case(city.id)
        };
        case_ids.push(petitions::insert_case(store, &c).await.unwrap());
    }
    // A few accepted complaints belong to the cases.
    for (n, p) in recs
        .iter_mut()
        .filter(|p| p.kind == PetitionType::Complaint)
        .take(16)
        .enumerate()
    {
        p.case_id = Some(case_ids[n % case_ids.len()]);
    }
    petitions::insert_many(store, &recs).await.unwrap();
}

async fn check_002(store: &Store) {
    let city = unit(store, "522").await;
    let p = Period::parse("2021..2023", false).unwrap().range();
    let before = DateRange::up_to(p.start - Duration::days(1));
    let t = read(store, &city, p).await;
    let b = read(store, &city, before).await;
    assert_eq!(t.total(keys::RECEIVED), 3848);
    assert_eq!(b.total(keys::OPEN), 0, "nothing carried over");
    assert_eq!(t.total(keys::ELIGIBLE), 2932);
    assert_eq!(t.total(keys::INELIGIBLE), 916);
    let handled = t.by(keys::HANDLED, "handling");
    assert_eq!(handled["transferred"], 1270);
    assert_eq!(handled["urged"], 66);
    assert_eq!(handled["returned"], 179);
    assert_eq!(handled["accepted"], 1417);
    assert_eq!(handled["archived"], 916);
    assert_eq!(t.total(keys::ACCEPTED), 1417);
    let reasons = t.by(keys::INELIGIBLE, "reason");
    assert_eq!(reasons.values().sum::<i64>(), 916);
    assert_eq!(reasons.len(), 5);
    // Within competence = pending at the start + accepted in the period.
    let of = |ty: &str| {
        b.total_where(keys::IN_RESOLUTION, &[("type", ty)])
            + t.total_where(keys::ACCEPTED, &[("type", ty)])
    };
    let resolved = |ty: &str| t.total_where(keys::RESOLVED, &[("type", ty)]);
    let phrase = format!(
        "Đã giải quyết xong {}/{} đơn khiếu nại (đạt tỷ lệ {}), {}/{} đơn tố cáo (đạt tỷ lệ {})",
        resolved("complaint"),
        of("complaint"),
        number::percent(resolved("complaint"), of("complaint"), 1).unwrap(),
        resolved("denunciation"),
        of("denunciation"),
        number::percent(resolved("denunciation"), of("denunciation"), 0).unwrap(),
    );
    assert_eq!(
        phrase,
        "Đã giải quyết xong 162/163 đơn khiếu nại (đạt tỷ lệ 99,4%), 70/70 đơn tố cáo (đạt tỷ lệ 100%)"
    );
    assert_eq!(
        format!(
            "{} đơn đủ điều kiện xử lý (chiếm {} tổng đơn)",
            number::int(t.total(keys::ELIGIBLE)),
            number::percent(t.total(keys::ELIGIBLE), t.total(keys::RECEIVED), 1).unwrap()
        ),
        "2.932 đơn đủ điều kiện xử lý (chiếm 76,2% tổng đơn)"
    );
    // Every resolved complaint and denunciation was within its deadline.
    assert_eq!(t.total(keys::RESOLVED_ON_TIME), 232);
    assert_eq!(t.total(keys::RESOLVED_LATE), 0);
    let flagged = [("flagged", "yes")];
    let cases =
        b.total_where(keys::CASE_OPEN, &flagged) + t.total_where(keys::CASE_OPENED, &flagged);
    let done = t.total_where(keys::CASE_RESOLVED, &flagged);
    assert_eq!(
        format!(
            "đã giải quyết được {}/{} vụ việc, đạt tỷ lệ {}",
            number::padded(done),
            number::padded(cases),
            number::percent(done, cases, 1).unwrap()
        ),
        "đã giải quyết được 04/07 vụ việc, đạt tỷ lệ 57,1%"
    );
    // Each case's petitions can be listed.
    let c1 = petitions::list(
        store,
        &Filter {
            case_id: Some(petitions::all_cases(store).await.unwrap()[0].0),
            ..Filter::default()
        },
        NOBODY,
    )
    .await
    .unwrap();
    assert_eq!(c1.len(), 2);
}

/// Seed 000: district Đam Rông, 2020-H1. The district's own petitions (75
/// = 54 new + 21 carried over) and the communes' (63).
async fn seed_000(store: &Store) {
    let district = unit(store, "674").await;
    let mut recs = Vec::new();
    let mut i = 0usize;
    let mut next_i = || {
        i += 1;
        i
    };
    // 2019-H2: ten received and resolved within 2019 (not carried over)…
    for on in spread(10, d(2019, 7, 1), d(2019, 10, 31)) {
        let p = classify(
            received(&district, on, PetitionType::Complaint, next_i()),
            Eligibility::Eligible,
        );
        let p = handle(p, Handling::Accepted, on + Duration::days(5));
        recs.push(resolve(p, on + Duration::days(30)));
    }
    // …15 accepted in 2019 and still being resolved on 31/12/2019…
    let carried_accepted: Vec<Petition> = spread(15, d(2019, 10, 1), d(2019, 12, 10))
        .into_iter()
        .map(|on| {
            let p = classify(
                received(&district, on, PetitionType::Complaint, next_i()),
                Eligibility::Eligible,
            );
            handle(p, Handling::Accepted, on + Duration::days(10))
        })
        .collect();
    // …and 6 received late in 2019, not yet handled on 31/12/2019: in
    // 2020 four are accepted and two transferred.
    let carried_unhandled: Vec<Petition> = spread(6, d(2019, 12, 16), d(2019, 12, 27))
        .into_iter()
        .enumerate()
        .map(|(j, on)| {
            let p = received(&district, on, PetitionType::Recommendation, next_i());
            let p = classify(p, Eligibility::Eligible);
            let h = d(2020, 1, 8);
            if j < 4 {
                handle(p, Handling::Accepted, h)
            } else {
                handle(p, Handling::Transferred, h)
            }
        })
        .collect();
    // 54 new in 2020-H1: 40 accepted; 8 transferred, 4 returned, 2 not
    // eligible and archived.
    let mut new = Vec::new();
    for (j, on) in spread(54, d(2020, 1, 6), d(2020, 5, 29))
        .into_iter()
        .enumerate()
    {
        let kind = PetitionType::ALL[j % 3];
        let p = received(&district, on, kind, next_i());
        let h = on + Duration::days(7);
        new.push(match j {
            0..40 => handle(classify(p, Eligibility::Eligible), Handling::Accepted, h),
            40..48 => handle(classify(p, Eligibility::Eligible), Handling::Transferred, h),
            48..52 => handle(classify(p, Eligibility::Eligible), Handling::Returned, h),
            _ => handle(
                classify(p, Eligibility::Ineligible(IneligibleReason::Duplicate)),
                Handling::Archived,
                h,
            ),
        });
    }
    // 31 resolved in 2020-H1: the 15 accepted in 2019, 2 of the 4 accepted
    // in January, 14 of the 40 new; one more is resolved in July.
    let mut resolved_h1 = 0;
    for p in carried_accepted {
        recs.push(resolve(p, d(2020, 1, 20)));
        resolved_h1 += 1;
    }
    for (j, p) in carried_unhandled.into_iter().enumerate() {
        recs.push(if j < 2 { resolve(p, d(2020, 2, 3)) } else { p });
        resolved_h1 += usize::from(j < 2);
    }
    for (j, p) in new.into_iter().enumerate() {
        recs.push(match j {
            0..14 => {
                let on = p.handled_on.unwrap() + Duration::days(25);
                resolved_h1 += 1;
                resolve(p, on)
            }
            14 => resolve(p, d(2020, 7, 15)),
            _ => p,
        });
    }
    assert_eq!(resolved_h1, 31);
    // Received after the period: not counted.
    for on in spread(5, d(2020, 7, 1), d(2020, 8, 31)) {
        recs.push(received(&district, on, PetitionType::Complaint, next_i()));
    }
    // Communes: 63 received in 2020-H1, all within their competence, 52
    // resolved and 11 still pending on 30/06/2020.
    let communes = [
        "24853", "24856", "24859", "24874", "24875", "24877", "24886", "24889",
    ];
    for (j, on) in spread(63, d(2020, 1, 6), d(2020, 5, 20))
        .into_iter()
        .enumerate()
    {
        let c = unit(store, communes[j % communes.len()]).await;
        let p = classify(
            received(&c, on, PetitionType::Recommendation, next_i()),
            Eligibility::Eligible,
        );
        let h = on + Duration::days(3);
        let p = handle(p, Handling::Accepted, h);
        recs.push(if j < 52 {
            resolve(p, h + Duration::days(20))
        } else {
            p
        });
    }
    petitions::insert_many(store, &recs).await.unwrap();
}

/// Figures of a subtree over a period: received (new), carried over,
/// within competence, resolved, pending.
#[derive(Debug, Default, PartialEq, Eq, Clone, Copy)]
struct Figures {
    new: i64,
    carried: i64,
    competence: i64,
    resolved: i64,
    pending: i64,
}

impl std::ops::Sub for Figures {
    type Output = Figures;
    fn sub(self, o: Figures) -> Figures {
        Figures {
            new: self.new - o.new,
            carried: self.carried - o.carried,
            competence: self.competence - o.competence,
            resolved: self.resolved - o.resolved,
            pending: self.pending - o.pending,
        }
    }
}

impl std::ops::Add for Figures {
    type Output = Figures;
    fn add(self, o: Figures) -> Figures {
        Figures {
            new: self.new + o.new,
            carried: self.carried + o.carried,
            competence: self.competence + o.competence,
            resolved: self.resolved + o.resolved,
            pending: self.pending + o.pending,
        }
    }
}

async fn figures(store: &Store, u: &Unit, p: DateRange) -> Figures {
    let before = read(store, u, DateRange::up_to(p.start - Duration::days(1))).await;
    let during = read(store, u, p).await;
    let end = read(store, u, DateRange::up_to(p.end)).await;
    Figures {
        new: during.total(keys::RECEIVED),
        carried: before.total(keys::OPEN),
        competence: before.total(keys::IN_RESOLUTION) + during.total(keys::ACCEPTED),
        resolved: during.total(keys::RESOLVED),
        pending: end.total(keys::IN_RESOLUTION),
    }
}

async fn check_000(store: &Store) {
    let district = unit(store, "674").await;
    let h1 = Period::parse("2020-H1", false).unwrap().range();
    let all = units::all(store).await.unwrap();
    let mut communes = Figures::default();
    for c in all.iter().filter(|u| u.parent_id == Some(district.id)) {
        communes = communes + figures(store, c, h1).await;
    }
    let own = figures(store, &district, h1).await - communes;
    let phrase = format!(
        "tiếp nhận {} đơn, trong đó tiếp nhận mới {} đơn, kỳ trước chuyển sang {} đơn; qua phân loại có {} \
         đơn thuộc thẩm quyền giải quyết, đã giải quyết dứt điểm {} đơn, còn {} đơn đang tiếp tục xem xét \
         giải quyết (đạt tỷ lệ {})",
        own.new + own.carried,
        own.new,
        own.carried,
        own.competence,
        own.resolved,
        own.pending,
        number::percent(own.resolved, own.competence, 2).unwrap()
    );
    assert_eq!(
        phrase,
        "tiếp nhận 75 đơn, trong đó tiếp nhận mới 54 đơn, kỳ trước chuyển sang 21 đơn; qua phân loại có 59 \
         đơn thuộc thẩm quyền giải quyết, đã giải quyết dứt điểm 31 đơn, còn 28 đơn đang tiếp tục xem xét \
         giải quyết (đạt tỷ lệ 52,54%)"
    );
    assert_eq!(
        (
            communes.new + communes.carried,
            communes.resolved,
            communes.pending
        ),
        (63, 52, 11)
    );
    // The seed prints 82,53% (truncated); rounding half away from zero gives:
    assert_eq!(number::percent(communes.resolved, 63, 2).unwrap(), "82,54%");
    // Pending at the end of H1 is what H2 carries over.
    let h2 = Period::parse("2020-H2", false).unwrap().range();
    let next = figures(store, &district, h2).await - {
        let mut c = Figures::default();
        for u in all.iter().filter(|u| u.parent_id == Some(district.id)) {
            c = c + figures(store, u, h2).await;
        }
        c
    };
    assert_eq!(next.carried, 28);
    assert_eq!(next.competence, 28);
    assert_eq!(next.resolved, 1);
    assert_eq!(next.new, 5);
}

#[test]
fn seed_002_quang_ngai_city_2021_2023() {
    common::block_on(async {
        for db in common::both().await {
            setup(&db.store).await;
            seed_002(&db.store).await;
            check_002(&db.store).await;
            db.finish().await;
        }
    });
}

#[test]
fn seed_000_dam_rong_2020_h1() {
    common::block_on(async {
        for db in common::both().await {
            setup(&db.store).await;
            seed_000(&db.store).await;
            check_000(&db.store).await;
            db.finish().await;
        }
    });
}

/// A petition received on `on` at `u`, not yet classified.
fn fresh(u: &Unit, on: NaiveDate, kind: PetitionType) -> Petition {
    received(u, on, kind, 1)
}

#[test]
fn processing_deadline_across_tet_2026_from_the_stored_schedule() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s).await;
            let commune = unit(s, "24886-2025").await;
            deadlines::put_days(s, &official_schedule_2026())
                .await
                .unwrap();
            let id =
                petitions::insert(s, &fresh(&commune, d(2026, 2, 10), PetitionType::Complaint))
                    .await
                    .unwrap();
            let got = petitions::get(s, id, NOBODY).await.unwrap();
            // 11, 12, 13 Feb; off 14–22 Feb; 23–27 Feb; 2, 3 Mar.
            assert_eq!(got.petition.processing_deadline, Some(d(2026, 3, 3)));
            // One more official day off, loaded as data, moves it a day.
            deadlines::put_days(
                s,
                &[DayOverride {
                    date: d(2026, 2, 23),
                    kind: DayKind::DayOff,
                    note: "Nghỉ thêm (giả định)".into(),
                }],
            )
            .await
            .unwrap();
            let id2 =
                petitions::insert(s, &fresh(&commune, d(2026, 2, 10), PetitionType::Complaint))
                    .await
                    .unwrap();
            let got2 = petitions::get(s, id2, NOBODY).await.unwrap();
            assert_eq!(got2.petition.processing_deadline, Some(d(2026, 3, 4)));
            // A provincial rule, valid for March 2026 only: 7 working days.
            let mut rule = DeadlineRule {
                id: "lđ-xld-7".into(),
                procedure: Procedure::PetitionProcessing,
                days: 7,
                counting: DayCounting::Working,
                complex: false,
                remote_area: false,
                province: Some("68-2025".into()),
                valid_from: d(2026, 3, 1),
                valid_to: Some(d(2026, 3, 31)),
                legal_basis: "Quyết định của UBND tỉnh (giả định)".into(),
                max_extensions: 0,
            };
            deadlines::put_rule(s, &rule).await.unwrap();
            let in_march =
                petitions::insert(s, &fresh(&commune, d(2026, 3, 12), PetitionType::Complaint))
                    .await
                    .unwrap();
            let after =
                petitions::insert(s, &fresh(&commune, d(2026, 4, 2), PetitionType::Complaint))
                    .await
                    .unwrap();
            let get = |id| async move {
                petitions::get(s, id, NOBODY)
                    .await
                    .unwrap()
                    .petition
                    .processing_deadline
            };
            assert_eq!(get(in_march).await, Some(d(2026, 3, 23)));
            assert_eq!(get(after).await, Some(d(2026, 4, 16)));
            // A bad rule is refused in Vietnamese.
            rule.province = Some("không-có".into());
            let e = deadlines::put_rule(s, &rule).await.unwrap_err();
            assert!(e.to_string().contains("không có tỉnh, thành phố mã"), "{e}");
            // Unhandled petitions are overdue on 10 March.
            let overdue = petitions::due_list(s, commune.id, d(2026, 3, 10), DueFilter::Overdue)
                .await
                .unwrap();
            let ids: Vec<i64> = overdue.iter().map(|i| i.id).collect();
            assert_eq!(ids, vec![id, id2]);
            assert_eq!(overdue[0].due, DueStatus::Overdue(7));
            assert_eq!(overdue[0].deadline_kind, DeadlineKind::Processing);
            assert_eq!(overdue[0].status, PetitionStatus::Received);
            // Pending at a commune abolished on 1 July 2025: listed under the
            // old district before the merger, under the new province after.
            let old = unit(s, "24886").await;
            let district = unit(s, "674").await;
            let id_old =
                petitions::insert(s, &fresh(&old, d(2025, 6, 20), PetitionType::Complaint))
                    .await
                    .unwrap();
            let june =
                petitions::due_list(s, district.id, d(2025, 6, 27), DueFilter::DueWithin(10))
                    .await
                    .unwrap();
            assert_eq!(june.iter().map(|i| i.id).collect::<Vec<_>>(), vec![id_old]);
            let province = unit(s, "68-2025").await;
            let august = petitions::due_list(s, province.id, d(2025, 8, 1), DueFilter::Overdue)
                .await
                .unwrap();
            assert_eq!(
                august.iter().map(|i| i.id).collect::<Vec<_>>(),
                vec![id_old]
            );
            assert!(
                petitions::due_list(s, district.id, d(2025, 8, 1), DueFilter::Overdue)
                    .await
                    .unwrap()
                    .is_empty()
            );
            // The dashboard's summary: the same counts, the lists cut.
            for (u, on, soon) in [
                (&district, d(2025, 6, 27), 10),
                (&province, d(2025, 8, 1), 5),
                (&commune, d(2026, 3, 10), 5),
                (&province, d(2026, 3, 1), 30),
                (&province, d(2026, 4, 20), 5),
            ] {
                summary_matches(s, u, on, soon).await;
            }
            db.finish().await;
        }
    });
}

/// `due_summary` counts what `due_list` lists and keeps its first items.
async fn summary_matches(s: &Store, u: &Unit, today: NaiveDate, soon: u32) {
    let overdue = petitions::due_list(s, u.id, today, DueFilter::Overdue)
        .await
        .unwrap();
    let within = petitions::due_list(s, u.id, today, DueFilter::DueWithin(soon))
        .await
        .unwrap();
    for limit in [1, 100] {
        let got = petitions::due_summary(s, u.id, today, soon, limit)
            .await
            .unwrap();
        let at = format!("{} on {today}, {soon} days, {limit}", u.code);
        assert_eq!(got.overdue_count, overdue.len(), "{at}");
        assert_eq!(got.soon_count, within.len(), "{at}");
        assert_eq!(got.overdue, overdue[..overdue.len().min(limit)], "{at}");
        assert_eq!(got.soon, within[..within.len().min(limit)], "{at}");
    }
}

#[test]
fn denunciation_extended_twice_then_refused() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let (commune, province) = commune_and_province(s).await;
            let p = fresh(&commune, d(2026, 2, 25), PetitionType::Denunciation);
            let id = petitions::insert(s, &p).await.unwrap();
            let officer = Viewer { official_id: 42 };
            petitions::transition(
                s,
                id,
                &danvan_testkit::seed::eligible(d(2026, 2, 27)),
                officer,
            )
            .await
            .unwrap();
            let got = petitions::transition(
                s,
                id,
                &Event::Handle {
                    on: d(2026, 3, 2),
                    handling: Handling::Accepted,
                    complex: true,
                    remote: false,
                },
                officer,
            )
            .await
            .unwrap();
            // Base: 2 Mar + 30 days = 1 Apr.
            assert_eq!(got.petition.deadline, Some(d(2026, 4, 1)));
            assert_eq!(got.status, PetitionStatus::InResolution);
            let ext = |on, no: &str| {
                Event::Extend(Extension {
                    decided_on: on,
                    days: 30,
                    decision_no: no.into(),
                })
            };
            let got = petitions::transition(s, id, &ext(d(2026, 3, 30), "15/QĐ-UBND"), officer)
                .await
                .unwrap();
            // 1 Apr + 30 = 1 May (holiday) → 4 May.
            assert_eq!(got.petition.deadline, Some(d(2026, 5, 4)));
            let got = petitions::transition(s, id, &ext(d(2026, 4, 28), "22/QĐ-UBND"), officer)
                .await
                .unwrap();
            assert_eq!(got.petition.deadline, Some(d(2026, 6, 3)));
            assert_eq!(got.petition.extensions.len(), 2);
            // Due within 5 days on 30 May; overdue on 10 June.
            let soon = petitions::due_list(s, province.id, d(2026, 5, 30), DueFilter::DueWithin(5))
                .await
                .unwrap();
            assert_eq!(soon.len(), 1);
            assert_eq!(soon[0].due, DueStatus::DueSoon(4));
            assert_eq!(soon[0].deadline_kind, DeadlineKind::Resolution);
            assert!(
                petitions::due_list(s, province.id, d(2026, 5, 20), DueFilter::DueWithin(5))
                    .await
                    .unwrap()
                    .is_empty()
            );
            let late = petitions::due_list(s, province.id, d(2026, 6, 10), DueFilter::Overdue)
                .await
                .unwrap();
            assert_eq!(late[0].due, DueStatus::Overdue(7));
            // A third extension is refused and changes nothing.
            let before_facts = facts::dump(s).await.unwrap();
            let before = petitions::get(s, id, officer).await.unwrap();
            let e = petitions::transition(s, id, &ext(d(2026, 6, 1), "30/QĐ-UBND"), officer)
                .await
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                "Chỉ được gia hạn giải quyết tố cáo tối đa 2 lần theo Luật Tố cáo 2018, \
                 Điều 30; không thể gia hạn lần thứ 3 (quyết định số 30/QĐ-UBND)"
            );
            assert_eq!(petitions::get(s, id, officer).await.unwrap(), before);
            assert_eq!(facts::dump(s).await.unwrap(), before_facts);
            // Resolved before the extended deadline: on time.
            petitions::transition(
                s,
                id,
                &Event::Resolve {
                    on: d(2026, 5, 25),
                    outcome: Outcome::PartlyRight,
                },
                officer,
            )
            .await
            .unwrap();
            let t = read(s, &province, Period::parse("2026", false).unwrap().range()).await;
            assert_eq!(
                t.total_where(keys::RESOLVED_ON_TIME, &[("type", "denunciation")]),
                1
            );
            assert_eq!(t.total(keys::RESOLVED_LATE), 0);
            let end = read(s, &province, DateRange::up_to(d(2026, 6, 30))).await;
            assert_eq!(end.total(keys::IN_RESOLUTION), 0);
            assert_eq!(end.total(keys::OPEN), 0);
            db.finish().await;
        }
    });
}

#[test]
fn denouncer_identity_only_for_assigned_officials() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let (commune, province) = commune_and_province(s).await;
            let secret = Sender {
                name: "Nguyễn Văn Tố".into(),
                address: "Thôn 3, xã Đam Rông 1".into(),
                phone: "0912345678".into(),
            };
            let denunciation = Petition {
                sender: secret.clone(),
                ..fresh(&commune, d(2026, 3, 2), PetitionType::Denunciation)
            };
            let complaint = Petition {
                sender: secret.clone(),
                ..fresh(&commune, d(2026, 3, 2), PetitionType::Complaint)
            };
            let ids = petitions::insert_many(s, &[denunciation, complaint])
                .await
                .unwrap();
            let handler = Viewer {
                official_id: accounts::create(
                    s,
                    &accounts::NewUser {
                        username: "xuly".into(),
                        full_name: "Cán bộ xử lý đơn".into(),
                        password: "mat-khau-du-dai".into(),
                        role: accounts::Role::Handler,
                        unit_id: Some(commune.id),
                    },
                )
                .await
                .unwrap()
                .id,
            };
            let superior = Viewer { official_id: 999 };
            petitions::assign(s, ids[0], handler.official_id)
                .await
                .unwrap();
            let seen = petitions::get(s, ids[0], handler).await.unwrap();
            assert_eq!(seen.petition.sender, secret);
            assert!(!seen.identity_masked);
            let hidden = petitions::get(s, ids[0], superior).await.unwrap();
            assert_eq!(hidden.petition.sender.name, MASK);
            assert_eq!(hidden.petition.sender.address, MASK);
            assert_eq!(hidden.petition.sender.phone, MASK);
            assert!(hidden.identity_masked);
            // Lists of the superior's subtree mask it too; a complaint's
            // sender is not secret.
            let listed = petitions::list(
                s,
                &Filter {
                    unit: Some(province.id),
                    ..Filter::default()
                },
                superior,
            )
            .await
            .unwrap();
            assert_eq!(listed.len(), 2);
            assert_eq!(listed[0].petition.sender.name, MASK);
            assert_eq!(listed[1].petition.sender.name, "Nguyễn Văn Tố");
            let mine = petitions::list(s, &Filter::default(), handler)
                .await
                .unwrap();
            assert_eq!(mine[0].petition.sender.name, "Nguyễn Văn Tố");
            // A transition returns the masked view too.
            let after = petitions::transition(
                s,
                ids[0],
                &danvan_testkit::seed::eligible(d(2026, 3, 3)),
                superior,
            )
            .await
            .unwrap();
            assert_eq!(after.petition.sender.name, MASK);
            // Saving what the superior read keeps the real identity.
            correct::petition(s, ids[0], &after.petition, superior)
                .await
                .unwrap();
            assert_eq!(sender_seen(s, ids[0], handler).await, secret);
            // Turning the masked denunciation into a complaint would unmask
            // it: refused. A half-masked sender keeps the hidden fields.
            let e = correct::petition(
                s,
                ids[0],
                &Petition {
                    kind: PetitionType::Complaint,
                    ..after.petition.clone()
                },
                superior,
            )
            .await
            .unwrap_err();
            assert!(e.to_string().contains("không đổi được loại đơn"), "{e}");
            // Only the assigned handler changes the identity, even in part.
            let mut half = after.petition.clone();
            half.sender.phone = "0909".into();
            let e = correct::petition(s, ids[0], &half, superior)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("danh tính người tố cáo"), "{e}");
            correct::petition(s, ids[0], &half, handler).await.unwrap();
            let now = petitions::get(s, ids[0], handler).await.unwrap().petition;
            assert_eq!(now.sender.name, secret.name);
            assert_eq!(now.sender.address, secret.address);
            assert_eq!(now.sender.phone, "0909");
            // Withdrawn assignment: masked again.
            petitions::unassign(s, ids[0], handler.official_id)
                .await
                .unwrap();
            assert_eq!(sender_seen(s, ids[0], handler).await.name, MASK);
            db.finish().await;
        }
    });
}

async fn snapshot(
    s: &Store,
) -> (
    std::collections::HashMap<facts::FactKey, i64>,
    Vec<petitions::StoredPetition>,
) {
    (
        facts::dump(s).await.unwrap(),
        petitions::list(s, &Filter::default(), NOBODY)
            .await
            .unwrap(),
    )
}

#[test]
fn invalid_input_is_refused_in_vietnamese_and_writes_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s).await;
            let commune = unit(s, "24886-2025").await;
            let good = fresh(&commune, d(2026, 3, 2), PetitionType::Complaint);
            let id = petitions::insert(s, &good).await.unwrap();
            let before = snapshot(s).await;

            // Unknown unit.
            common::refused_saying(
                petitions::insert(
                    s,
                    &Petition {
                        unit_id: 987_654,
                        ..good.clone()
                    },
                )
                .await,
                "không tìm thấy đơn vị (mã số 987654)",
            );
            // Resolution before receipt.
            let mut bad = good.clone();
            bad.classified_on = Some(d(2026, 3, 3));
            bad.eligibility = Some(Eligibility::Eligible);
            bad.handled_on = Some(d(2026, 3, 4));
            bad.handling = Some(Handling::Accepted);
            bad.resolved_on = Some(d(2026, 2, 20));
            bad.outcome = Some(Outcome::Right);
            let e = petitions::insert_many(s, &[good.clone(), bad])
                .await
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                "Dòng 2, cột «resolved_on»: ngày ghi nhận giải quyết xong (20/02/2026) trước ngày xử lý 04/03/2026 của đơn"
            );
            // Before the unit existed.
            let e = petitions::insert(s, &fresh(&commune, d(2025, 6, 2), PetitionType::Complaint))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("chỉ có từ ngày 01/07/2025"), "{e}");
            // Illegal transition through the store.
            let e = petitions::transition(
                s,
                id,
                &Event::Resolve {
                    on: d(2026, 3, 9),
                    outcome: Outcome::Right,
                },
                NOBODY,
            )
            .await
            .unwrap_err();
            assert!(
                matches!(&e, StoreError::Invalid(d) if d.code == "petition.illegal_transition"),
                "{e}"
            );
            assert_eq!(
                e.to_string(),
                "không thể ghi nhận giải quyết xong đơn đang ở trạng thái «mới tiếp nhận»: đơn phải được phân loại trước"
            );
            // Extension of a complaint.
            petitions::transition(
                s,
                id,
                &danvan_testkit::seed::eligible(d(2026, 3, 3)),
                NOBODY,
            )
            .await
            .unwrap();
            petitions::transition(
                s,
                id,
                &Event::Handle {
                    on: d(2026, 3, 4),
                    handling: Handling::Accepted,
                    complex: false,
                    remote: false,
                },
                NOBODY,
            )
            .await
            .unwrap();
            let mid = snapshot(s).await;
            assert_ne!(mid, before);
            let e = petitions::transition(
                s,
                id,
                &Event::Extend(Extension {
                    decided_on: d(2026, 3, 20),
                    days: 15,
                    decision_no: "9/QĐ-UBND".into(),
                }),
                NOBODY,
            )
            .await
            .unwrap_err();
            assert!(e.to_string().contains("chỉ đơn tố cáo được gia hạn"), "{e}");
            // Unknown case.
            common::refused_saying(
                petitions::insert(
                    s,
                    &Petition {
                        case_id: Some(4242),
                        ..good.clone()
                    },
                )
                .await,
                "không tìm thấy vụ việc số 4242",
            );
            // Malformed CSV rows: every bad line is named, nothing written.
            let header = record_import::PETITION_COLUMNS.join(",");
            let csv = format!(
                "{header}\n\
                 24886-2025,2026-03-02,trực tiếp,1,khiếu nại,đất đai,A,B,,Nội dung,,,,,,,,,,\n\
                 không-có-đơn-vị,2026-03-02,trực tiếp,1,khiếu nại,đất đai,A,B,,,,,,,,,,,,\n\
                 24886-2025,2026-02-30,bồ câu,1,khiếu nại,đất đai,A,B,,,,,,,,,,,,\n\
                 24886-2025,2026-03-02,bưu chính,1,tố cáo,đất đai,A,B,,,2026-03-03,đủ,,2026-03-04,thụ lý,,,2026-03-01,đúng,\n\
                 24886-2025,2026-03-02,bưu chính\n"
            );
            let e = record_import::import_petitions(s, csv.as_bytes(), || {})
                .await
                .unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.starts_with("Tệp có 5 lỗi, không ghi dữ liệu nào:"),
                "{msg}"
            );
            assert!(
                msg.contains("Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»"),
                "{msg}"
            );
            assert!(
                msg.contains("Dòng 4, cột «received_on»: ngày «2026-02-30» không hợp lệ"),
                "{msg}"
            );
            assert!(
                msg.contains("Dòng 4, cột «channel»: hình thức nhận đơn «bồ câu» không hợp lệ"),
                "{msg}"
            );
            assert!(
                msg.contains(
                    "Dòng 5, cột «resolved_on»: ngày ghi nhận giải quyết xong (01/03/2026) trước ngày xử lý"
                ),
                "{msg}"
            );
            assert!(
                msg.contains("Dòng 6: dòng có 3 cột, cần đúng 20 cột"),
                "{msg}"
            );
            // A file whose rows parse but fail against the store names the line.
            let csv = format!(
                "{header}\n\
                 24886-2025,2026-03-02,trực tiếp,1,khiếu nại,đất đai,A,B,,,,,,,,,,,,\n\
                 24886-2025,2026-03-02,trực tiếp,1,khiếu nại,đất đai,A,B,,,,,,,,,,,,77\n"
            );
            let e = record_import::import_petitions(s, csv.as_bytes(), || {})
                .await
                .unwrap_err();
            assert!(
                e.to_string()
                    .contains("Dòng 3, cột «case_id»: không tìm thấy vụ việc số 77"),
                "{e}"
            );
            assert_eq!(snapshot(s).await, mid);
            // And a good file is written whole.
            let csv = format!(
                "{header}\n\
                 24886-2025,02/03/2026,trực tiếp,2,khiếu nại,đất đai,A,B,,,03/03/2026,đủ,,2026-03-05,thụ lý,có,,2026-03-20,đúng một phần,\n\
                 Đam Rông 1,2026-03-02,trực tuyến,1,kiến nghị phản ánh,chính sách,,,,,2026-03-03,không đủ,nặc danh,2026-03-04,lưu đơn,,,,,\n"
            );
            let n = record_import::import_petitions(s, csv.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 2);
            let all = petitions::list(s, &Filter::default(), NOBODY)
                .await
                .unwrap();
            assert_eq!(all.len(), 3);
            assert_eq!(all[1].status, PetitionStatus::Resolved);
            assert_eq!(all[2].status, PetitionStatus::Archived);
            db.finish().await;
        }
    });
}

#[test]
fn receptions_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s).await;
            let header = record_import::RECEPTION_COLUMNS.join(",");
            let bad = format!(
                "{header}\n\
                 674,2020-03-02,Nguyễn Văn A,Chủ tịch UBND,định kỳ,khiếu nại,hướng dẫn,2,3,0,0,\n\
                 674,2020-03-03,,,thường xuyên,tố cáo,giải thích,2,1,0,0,\n"
            );
            let e = record_import::import_rows::<danvan_core::records::reception::Reception>(
                s,
                bad.as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert!(
                e.to_string()
                    .contains("Dòng 3, cột «persons»: số người (1) không thể ít hơn số lượt (2)"),
                "{e}"
            );
            assert!(facts::dump(s).await.unwrap().is_empty());
            let good = format!(
                "{header}\n\
                 674,2020-03-02,Nguyễn Văn A,Chủ tịch UBND,định kỳ,khiếu nại,hướng dẫn,2,3,0,0,\n\
                 huyện Đam Rông,2020-03-03,,,thường xuyên,tố cáo,giải thích,1,1,0,0,ghi chú\n"
            );
            let n = record_import::import_rows::<danvan_core::records::reception::Reception>(
                s,
                good.as_bytes(),
                || {},
            )
            .await
            .unwrap();
            assert_eq!(n, 2);
            let u = unit(s, "674").await;
            let t = facts::read(
                s,
                Scope::of(&u),
                &[danvan_core::records::reception::keys::TURNS],
                Period::parse("2020-H1", false).unwrap().range(),
                Detail::Totals,
            )
            .await
            .unwrap();
            assert_eq!(t.total(danvan_core::records::reception::keys::TURNS), 3);
            db.finish().await;
        }
    });
}

/// A complaint received on 2 March 2026 and accepted (thụ lý) on 5 March
/// with these flags, at lần `instance`.
fn accepted_complaint(u: &Unit, instance: Instance, complex: bool, remote: bool) -> Petition {
    let p = classify(
        Petition {
            instance,
            ..fresh(u, d(2026, 3, 2), PetitionType::Complaint)
        },
        Eligibility::Eligible,
    );
    step(
        p,
        Event::Handle {
            on: d(2026, 3, 5),
            handling: Handling::Accepted,
            complex,
            remote,
        },
    )
}

#[test]
fn second_instance_complaints_get_the_article_37_deadlines() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s).await;
            let commune = unit(s, "24886-2025").await;
            let accepted = d(2026, 3, 5);
            let cases = [
                // 45 calendar days end on Sunday 19 April: the next working day.
                (Instance::Second, false, false, d(2026, 4, 20), "qg-kn2"),
                (
                    Instance::Second,
                    true,
                    false,
                    accepted + Duration::days(60),
                    "qg-kn2-phuc-tap",
                ),
                (
                    Instance::Second,
                    true,
                    true,
                    accepted + Duration::days(70),
                    "qg-kn2-phuc-tap-vung-sau",
                ),
                // Lần đầu for comparison: 30 days, Saturday 4 April → Monday.
                (Instance::First, false, false, d(2026, 4, 6), "qg-kn1"),
            ];
            let mut ids = Vec::new();
            for (instance, complex, remote, deadline, rule) in cases {
                let p = accepted_complaint(&commune, instance, complex, remote);
                let id = petitions::insert(s, &p).await.unwrap();
                let got = petitions::get(s, id, NOBODY).await.unwrap().petition;
                assert_eq!(got.instance, instance);
                assert_eq!(
                    got.deadline,
                    Some(deadline),
                    "{instance} {complex} {remote}"
                );
                assert_eq!(got.rule_id.as_deref(), Some(rule));
                ids.push(id);
            }
            assert_eq!(d(2026, 5, 4), accepted + Duration::days(60));
            assert_eq!(d(2026, 5, 14), accepted + Duration::days(70));

            // Facts: totals as before, broken down by instance.
            let march = DateRange::new(d(2026, 3, 1), d(2026, 3, 31));
            let t = read(s, &commune, march).await;
            assert_eq!(t.total(keys::ACCEPTED), 4);
            assert_eq!(
                t.by(keys::ACCEPTED, "instance"),
                [("1".to_string(), 1), ("2".to_string(), 3)].into()
            );
            // Resolving one counts it under its instance.
            petitions::transition(
                s,
                ids[0],
                &Event::Resolve {
                    on: d(2026, 3, 30),
                    outcome: Outcome::Wrong,
                },
                NOBODY,
            )
            .await
            .unwrap();
            let t = read(s, &commune, march).await;
            assert_eq!(t.total(keys::RESOLVED), 1);
            assert_eq!(
                t.total_where(keys::RESOLVED, &[("instance", "2"), ("type", "complaint")]),
                1
            );
            assert_eq!(t.total(keys::RESOLVED_ON_TIME), 1);

            // A correction to lần hai moves the deadline and the facts.
            let first = petitions::get(s, ids[3], NOBODY).await.unwrap().petition;
            correct::petition(
                s,
                ids[3],
                &Petition {
                    instance: Instance::Second,
                    ..first
                },
                NOBODY,
            )
            .await
            .unwrap();
            let got = petitions::get(s, ids[3], NOBODY).await.unwrap().petition;
            assert_eq!(got.deadline, Some(d(2026, 4, 20)));
            let t = read(s, &commune, march).await;
            assert_eq!(t.total(keys::ACCEPTED), 4);
            assert_eq!(t.total_where(keys::ACCEPTED, &[("instance", "2")]), 4);
            assert_eq!(t.total_where(keys::ACCEPTED, &[("instance", "1")]), 0);

            // A denunciation marked lần hai is refused and writes nothing.
            let before = snapshot(s).await;
            let denunciation = Petition {
                instance: Instance::Second,
                ..fresh(&commune, d(2026, 3, 2), PetitionType::Denunciation)
            };
            let e = petitions::insert(s, &denunciation).await.unwrap_err();
            assert_eq!(
                e.to_string(),
                "Trường «instance»: chỉ đơn khiếu nại mới được giải quyết lần hai; \
                 đơn tố cáo chỉ giải quyết lần đầu"
            );
            let e = petitions::insert_many(
                s,
                &[
                    fresh(&commune, d(2026, 3, 2), PetitionType::Complaint),
                    denunciation.clone(),
                ],
            )
            .await
            .unwrap_err();
            assert!(e.to_string().starts_with("Dòng 2, cột «instance»"), "{e}");
            let stored = petitions::get(s, ids[0], NOBODY).await.unwrap().petition;
            let e = correct::petition(
                s,
                ids[0],
                &Petition {
                    kind: PetitionType::Denunciation,
                    ..stored
                },
                NOBODY,
            )
            .await
            .unwrap_err();
            assert!(e.to_string().contains("chỉ đơn khiếu nại"), "{e}");
            assert_eq!(snapshot(s).await, before);

            // Import: the optional column, by either name, as a number or a
            // label; a bad row and nothing is written.
            let header = record_import::PETITION_COLUMNS.join(",");
            let row = "24886-2025,2026-03-02,bưu chính,1,khiếu nại,đất đai,A,B,,,\
                       2026-03-03,đủ,,2026-03-05,thụ lý,có,,,,";
            let bad = format!(
                "{header},lan_giai_quyet\n\
                 {row},lần hai\n\
                 24886-2025,2026-03-02,bưu chính,1,tố cáo,đất đai,A,B,,,,,,,,,,,,,2\n\
                 {row},3\n"
            );
            let e = record_import::import_petitions(s, bad.as_bytes(), || {})
                .await
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("Dòng 3, cột «instance»: chỉ đơn khiếu nại mới được giải quyết lần hai"),
                "{e}"
            );
            assert!(
                e.contains("Dòng 4, cột «instance»: lần giải quyết «3» không hợp lệ"),
                "{e}"
            );
            let e = record_import::import_petitions(
                s,
                format!("{header},lan_giai_quyet,instance\n").as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert!(e.to_string().contains("có thể thêm ở cuối cột"), "{e}");
            assert_eq!(snapshot(s).await, before);
            for (name, value) in [("instance", "2"), ("lan_giai_quyet", "Lần hai")] {
                let good = format!("{header},{name}\n{row},{value}\n{row},\n");
                let n = record_import::import_petitions(s, good.as_bytes(), || {})
                    .await
                    .unwrap();
                assert_eq!(n, 2);
            }
            // Files without the column still import, as lần đầu.
            let n =
                record_import::import_petitions(s, format!("{header}\n{row}\n").as_bytes(), || {})
                    .await
                    .unwrap();
            assert_eq!(n, 1);
            let all = petitions::list(s, &Filter::default(), NOBODY)
                .await
                .unwrap();
            let imported: Vec<(Instance, Option<NaiveDate>)> = all[4..]
                .iter()
                .map(|p| (p.petition.instance, p.petition.deadline))
                .collect();
            // Lần hai, phức tạp: 60 days.
            let (second, first) = (
                (Instance::Second, Some(d(2026, 5, 4))),
                // Lần đầu, phức tạp: 45 days, Sunday → Monday.
                (Instance::First, Some(d(2026, 4, 20))),
            );
            assert_eq!(imported, vec![second, first, second, first, first]);
            db.finish().await;
        }
    });
}

#[test]
fn reception_names_only_an_existing_petition_of_its_subtree() {
    use danvan_core::records::reception::{
        Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
    };
    use danvan_store::reception;
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            setup(s).await;
            let district = unit(s, "674").await;
            let commune = unit(s, "24853").await;
            let elsewhere = unit(s, "522").await;
            let on = d(2020, 3, 2);
            let at_commune = petitions::insert(s, &fresh(&commune, on, PetitionType::Complaint))
                .await
                .unwrap();
            let at_district = petitions::insert(s, &fresh(&district, on, PetitionType::Complaint))
                .await
                .unwrap();
            let outside = petitions::insert(s, &fresh(&elsewhere, on, PetitionType::Complaint))
                .await
                .unwrap();
            let taken_in = |u: &Unit, petition_id| Reception {
                unit_id: u.id,
                received_on: on,
                official: "Nguyễn Văn A".into(),
                position: "Chủ tịch UBND".into(),
                kind: ReceptionKind::Periodic,
                content: ReceptionContent::Complaint,
                outcome: ReceptionOutcome::PetitionReceived,
                turns: 1,
                persons: 1,
                delegations: 0,
                delegation_persons: 0,
                petition_id: Some(petition_id),
                note: String::new(),
            };
            // The district's reception may name a petition of its commune
            // or its own.
            let ok = reception::insert(s, &taken_in(&district, at_commune))
                .await
                .unwrap();
            reception::insert(s, &taken_in(&district, at_district))
                .await
                .unwrap();
            let before = (
                facts::dump(s).await.unwrap(),
                reception::all(s).await.unwrap(),
            );

            let e = reception::insert(s, &taken_in(&district, 987_654))
                .await
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                "Trường «petition_id»: không tìm thấy đơn số 987654"
            );
            let e = reception::insert(s, &taken_in(&district, outside))
                .await
                .unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "Trường «petition_id»: đơn số {outside} do thành phố Quảng Ngãi nhận, \
                     không thuộc huyện Đam Rông hay đơn vị trực thuộc"
                )
            );
            // A petition of the unit above is not the commune's either.
            let e = reception::insert(s, &taken_in(&commune, at_district))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("không thuộc xã Đạ Tông"), "{e}");
            // In a batch: the bad record's position, nothing written.
            let e = reception::insert_many(
                s,
                &[
                    taken_in(&district, at_commune),
                    taken_in(&district, outside),
                ],
            )
            .await
            .unwrap_err();
            assert!(
                e.to_string()
                    .starts_with("Dòng 2, cột «petition_id»: đơn số"),
                "{e}"
            );
            // An update to a petition outside is refused too.
            let e = correct::reception(s, ok, &taken_in(&district, outside))
                .await
                .unwrap_err();
            assert!(e.to_string().contains("không thuộc huyện Đam Rông"), "{e}");
            let e = correct::reception(s, ok, &taken_in(&district, 987_654))
                .await
                .unwrap_err();
            assert!(
                e.to_string().contains("không tìm thấy đơn số 987654"),
                "{e}"
            );
            assert_eq!(
                (
                    facts::dump(s).await.unwrap(),
                    reception::all(s).await.unwrap()
                ),
                before
            );
            // A valid relink goes through.
            correct::reception(s, ok, &taken_in(&district, at_district))
                .await
                .unwrap();
            assert_eq!(
                reception::get(s, ok).await.unwrap().petition_id,
                Some(at_district)
            );
            db.finish().await;
        }
    });
}
