//! The dashboard on a small Đam Rông store (the seed district's units),
//! on both engines: headline figures equal what was recorded and follow
//! a new record, the same period a year earlier is compared, the due
//! lists are the store's, each commune has its on-time row, the
//! province's on-time formula is used, and the charts are well-formed
//! SVG naming the units. The dashboard cache serves nothing stale.

mod common;

use chrono::NaiveDate;
use danvan_core::period::Period;
use danvan_core::records::dossier::rate::OnTimeFormula;
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{Meeting, MeetingKind};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::petition::{
    Eligibility, Event, Handling, Outcome, Petition, PetitionChannel, PetitionField, PetitionType,
};
use danvan_core::records::reception::{Reception, ReceptionKind};
use danvan_report::chart;
use danvan_report::dashboard::{self, Dashboard, Figure, Headline};
use danvan_report::dashboard_cache::DashboardCache;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::petitions::{self, DueFilter};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, dossiers, mediation, meetings, models, reception};
use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn unit(store: &Store, code: &str) -> Unit {
    units::find(store, code, None).await.unwrap()
}

fn turns(u: &Unit, on: NaiveDate, kind: ReceptionKind, turns: i64, persons: i64) -> Reception {
    danvan_testkit::seed::counted(u.id, on, kind, turns, persons)
}

fn petition(u: &Unit, on: NaiveDate, kind: PetitionType) -> Petition {
    Petition::received(
        u.id,
        on,
        PetitionChannel::ALL[0],
        kind,
        PetitionField::ALL[0],
    )
}

/// Accepted three days after receipt: the resolution deadline runs (30
/// days for complaints and denunciations).
fn accepted(p: Petition) -> Petition {
    let on = p.received_on + chrono::Duration::days(1);
    let p = p
        .apply(&Event::Classify {
            on,
            eligibility: Eligibility::Eligible,
        })
        .unwrap();
    p.apply(&Event::Handle {
        on: on + chrono::Duration::days(2),
        handling: Handling::Accepted,
        complex: false,
        remote: false,
    })
    .unwrap()
}

/// Accepted, then resolved on `resolved`.
fn resolved(p: Petition, resolved: NaiveDate) -> Petition {
    accepted(p)
        .apply(&Event::Resolve {
            on: resolved,
            outcome: Outcome::Right,
        })
        .unwrap()
}

fn case(u: &Unit, on: NaiveDate, result: MediationResult) -> MediationCase {
    MediationCase {
        unit_id: u.id,
        team: "Tổ hòa giải thôn 1".into(),
        received_on: on,
        field: MediationField::Land,
        result,
        summary: String::new(),
    }
}

fn meeting(u: &Unit, on: NaiveDate, kind: MeetingKind) -> Meeting {
    Meeting {
        unit_id: u.id,
        kind,
        held_on: on,
        chair: "Chủ tịch UBND".into(),
        deputies: "Đại biểu HĐND".into(),
        participants: 40,
        subject: String::new(),
        opinions: Vec::new(),
    }
}

fn model(u: &Unit, field: ModelField, year: i32, on: NaiveDate) -> (Model, Vec<ModelYear>) {
    (
        Model {
            unit_id: u.id,
            name: format!("Mô hình {}", field.label()),
            level: ModelLevel::Grassroots,
            field,
        },
        vec![ModelYear {
            year,
            recorded_on: on,
            status: ModelStatus::New,
            recognised: true,
            award: String::new(),
        }],
    )
}

/// One-stop export rows: (unit code, received, due, resolved).
async fn dossiers_csv(store: &Store, rows: &[(&str, NaiveDate, NaiveDate, Option<NaiveDate>)]) {
    let mut csv = String::from(
        "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút\n",
    );
    let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    for (n, (code, received, due, done)) in rows.iter().enumerate() {
        csv.push_str(&format!(
            "{n},T-{code}-{n},1.001,Thủ tục 1,{code},Trực tiếp,,{},{},{},,\n",
            f(*received),
            f(*due),
            done.map(f).unwrap_or_default()
        ));
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

/// Đam Rông: the district, Đạ Tông, Phi Liêng and Rô Men record in
/// 2020-H1 and a little in 2019-H1; two petitions are still in
/// resolution (handling deadlines start with Thông tư 05/2021).
async fn load(store: &Store) {
    danvan_testkit::units::load(store).await;
    let district = unit(store, "674").await;
    let da_tong = unit(store, "24853").await;
    let phi_lieng = unit(store, "24886").await;
    let ro_men = unit(store, "24877").await;
    reception::insert_many(
        store,
        &[
            turns(&district, d(2020, 2, 3), ReceptionKind::Periodic, 5, 7),
            turns(&da_tong, d(2020, 3, 9), ReceptionKind::Regular, 4, 4),
            turns(&phi_lieng, d(2020, 5, 11), ReceptionKind::Regular, 2, 3),
            turns(&district, d(2020, 8, 3), ReceptionKind::Regular, 9, 9),
            turns(&district, d(2019, 4, 1), ReceptionKind::Periodic, 3, 3),
        ],
    )
    .await
    .unwrap();
    petitions::insert_many(
        store,
        &[
            resolved(
                petition(&da_tong, d(2020, 3, 2), PetitionType::Complaint),
                d(2020, 3, 20),
            ),
            resolved(
                petition(&district, d(2020, 2, 3), PetitionType::Denunciation),
                d(2020, 5, 29),
            ),
            // Due 01/06/2020 and 22/06/2020: overdue and soon due on 20/06.
            accepted(petition(
                &phi_lieng,
                d(2020, 4, 27),
                PetitionType::Denunciation,
            )),
            accepted(petition(&ro_men, d(2020, 5, 19), PetitionType::Complaint)),
            resolved(
                petition(&da_tong, d(2019, 4, 1), PetitionType::Complaint),
                d(2019, 4, 20),
            ),
        ],
    )
    .await
    .unwrap();
    mediation::insert_many(
        store,
        &[
            case(&da_tong, d(2020, 1, 6), MediationResult::Success),
            case(&da_tong, d(2020, 2, 6), MediationResult::Success),
            case(&da_tong, d(2020, 3, 6), MediationResult::Failure),
            case(&ro_men, d(2020, 4, 6), MediationResult::Success),
        ],
    )
    .await
    .unwrap();
    meetings::insert_many(
        store,
        &[
            meeting(&district, d(2020, 4, 20), MeetingKind::VoterContact),
            meeting(&phi_lieng, d(2020, 5, 20), MeetingKind::Dialogue),
        ],
    )
    .await
    .unwrap();
    models::insert_many(
        store,
        &[
            model(&da_tong, ModelField::Economy, 2020, d(2020, 3, 10)),
            model(&district, ModelField::CultureSociety, 2020, d(2020, 4, 1)),
            model(&ro_men, ModelField::Economy, 2019, d(2019, 5, 5)),
        ],
    )
    .await
    .unwrap();
    dossiers_csv(
        store,
        &[
            ("24853", d(2020, 2, 3), d(2020, 2, 13), Some(d(2020, 2, 10))),
            ("24853", d(2020, 3, 2), d(2020, 3, 12), Some(d(2020, 3, 12))),
            ("24853", d(2020, 4, 1), d(2020, 4, 10), Some(d(2020, 4, 15))),
            ("24853", d(2020, 5, 4), d(2020, 5, 14), None),
            ("24886", d(2020, 3, 2), d(2020, 3, 9), Some(d(2020, 3, 5))),
            ("674", d(2020, 1, 6), d(2020, 1, 16), Some(d(2020, 1, 10))),
            ("674", d(2020, 6, 1), d(2020, 6, 11), Some(d(2020, 6, 2))),
            ("24853", d(2019, 3, 1), d(2019, 3, 11), Some(d(2019, 3, 20))),
        ],
    )
    .await;
}

fn find<'a>(d: &'a Dashboard, code: &str) -> &'a Headline {
    d.headline
        .iter()
        .find(|h| h.code == code)
        .unwrap_or_else(|| panic!("no headline {code}"))
}

fn count(f: &Figure) -> i64 {
    match f {
        Figure::Count { value, .. } => *value,
        Figure::Rate { .. } => panic!("a rate: {f:?}"),
    }
}

/// Every text node of an SVG, unescaped; panics when it is not well-formed.
fn svg_text(svg: &str) -> String {
    let mut r = Reader::from_str(svg);
    r.config_mut().check_end_names = true;
    let mut out = String::new();
    let mut depth = 0i32;
    loop {
        match r.read_event().expect("well-formed SVG") {
            XmlEvent::Start(_) => depth += 1,
            XmlEvent::End(_) => depth -= 1,
            XmlEvent::Text(t) => {
                out.push_str(&t.decode().unwrap());
                out.push('\n');
            }
            XmlEvent::GeneralRef(g) => {
                let name = g.decode().unwrap();
                out.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                });
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced SVG");
    out
}

async fn check(store: &Store) {
    load(store).await;
    let district = unit(store, "674").await;
    let province = unit(store, "68").await;
    let h1 = Period::parse("2020-H1", false).unwrap();
    let today = d(2020, 6, 20);
    let dash = dashboard::build(store, &district, &h1, today)
        .await
        .unwrap();

    assert_eq!(dash.unit.name, "huyện Đam Rông");
    assert_eq!(dash.period_label, "6 tháng đầu năm 2020");
    assert_eq!(dash.previous_label, "6 tháng đầu năm 2019");

    // Headline figures are what was recorded, beside 2019-H1.
    let reception = find(&dash, "reception_turns");
    assert_eq!(reception.label, "Số lượt tiếp công dân");
    assert_eq!(count(&reception.current), 11);
    assert_eq!(count(&reception.previous), 3);
    assert_eq!(
        reception.change.as_deref(),
        Some("tăng 8 (+266,7%) so với cùng kỳ")
    );
    assert_eq!(count(&find(&dash, "petition_new").current), 4);
    assert_eq!(count(&find(&dash, "petition_new").previous), 1);
    assert_eq!(count(&find(&dash, "petition_resolved").current), 2);
    let on_time = find(&dash, "petition_on_time_rate");
    assert_eq!(on_time.current.text(), "50,0%", "{on_time:?}");
    assert_eq!(on_time.previous.text(), "100,0%");
    assert_eq!(
        on_time.change.as_deref(),
        Some("giảm 50,0 điểm phần trăm so với cùng kỳ")
    );
    assert_eq!(count(&find(&dash, "dossier_received").current), 7);
    assert_eq!(count(&find(&dash, "dossier_received").previous), 1);
    assert_eq!(count(&find(&dash, "dossier_on_time").current), 5);
    let rate = find(&dash, dashboard::ONE_STOP_RATE);
    assert_eq!(
        rate.current,
        Figure::Rate {
            num: 5,
            den: 6,
            percent: Some(83.3),
            text: "83,3%".into()
        }
    );
    assert_eq!(rate.previous.text(), "0,0%");
    assert!(rate.note.as_deref().unwrap().contains("đã giải quyết"));
    assert_eq!(count(&find(&dash, "mediation_received").current), 4);
    let success = find(&dash, "mediation_success_rate");
    assert_eq!(success.current.text(), "75,0%");
    // Nothing mediated a year earlier: no rate, no comparison, never NaN.
    assert_eq!(
        success.previous,
        Figure::Rate {
            num: 0,
            den: 0,
            percent: None,
            text: "—".into()
        }
    );
    assert_eq!(success.change, None);
    assert_eq!(count(&find(&dash, "model_total").current), 2);
    assert_eq!(count(&find(&dash, "model_total").previous), 1);
    assert_eq!(count(&find(&dash, "voter_sessions").current), 1);
    assert_eq!(count(&find(&dash, "dialogue_sessions").current), 1);

    // The due lists are the store's, with the units named.
    let overdue = petitions::due_list(store, district.id, today, DueFilter::Overdue)
        .await
        .unwrap();
    let soon = petitions::due_list(store, district.id, today, DueFilter::DueWithin(5))
        .await
        .unwrap();
    let ids = |v: &[dashboard::DuePetition]| v.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&dash.petitions_due.overdue),
        overdue.iter().map(|p| p.id).collect::<Vec<_>>()
    );
    assert_eq!(
        ids(&dash.petitions_due.soon),
        soon.iter().map(|p| p.id).collect::<Vec<_>>()
    );
    assert_eq!(dash.petitions_due.overdue_count, overdue.len());
    let late = &dash.petitions_due.overdue[0];
    assert_eq!(late.unit_name, "xã Phi Liêng");
    assert_eq!(late.kind_label, "tố cáo");
    assert_eq!(late.deadline, d(2020, 6, 1));
    assert_eq!(late.status_text, "quá hạn 19 ngày");
    assert!(late.days_left < 0 && late.status_text.starts_with("quá hạn "));
    assert_eq!(dash.petitions_due.soon.len(), 1, "{:?}", dash.petitions_due);
    assert_eq!(dash.petitions_due.soon[0].unit_name, "xã Rô Men");
    assert_eq!(dash.petitions_due.soon[0].status_text, "còn 2 ngày");

    // The one-stop backlog at the last half-month end: Đạ Tông's dossier
    // due on 14/05 is overdue.
    let b = &dash.dossier_backlog;
    assert_eq!(b.as_of, d(2020, 6, 14));
    assert_eq!((b.overdue, b.nearly_due, b.in_time), (1, 0, 0));
    assert_eq!(
        b.text,
        "1 hồ sơ quá hạn, 0 hồ sơ sắp đến hạn, 0 hồ sơ trong hạn (đến hết ngày 14/06/2020)"
    );

    // One on-time row per commune of the district, in code order.
    assert_eq!(dash.on_time_by_unit.len(), 8);
    assert_eq!(dash.on_time_by_unit[0].unit.name, "xã Đạ Tông");
    let row = |name: &str| {
        dash.on_time_by_unit
            .iter()
            .find(|r| r.unit.name == name)
            .unwrap()
    };
    let t = row("xã Đạ Tông");
    assert_eq!((t.received, t.resolved, t.on_time, t.late), (4, 3, 2, 1));
    assert_eq!((t.rate, t.rate_text.as_str()), (Some(66.7), "66,7%"));
    assert_eq!(row("xã Phi Liêng").rate_text, "100,0%");
    let none = row("xã Đạ M'Rông");
    assert_eq!(
        (none.received, none.rate, none.rate_text.as_str()),
        (0, None, "—")
    );

    // Models by field.
    let fields: Vec<(&str, i64)> = dash
        .models_by_field
        .iter()
        .map(|f| (f.label.as_str(), f.count))
        .collect();
    assert_eq!(
        fields,
        vec![
            ("kinh tế", 1),
            ("văn hóa – xã hội", 1),
            ("quốc phòng – an ninh", 0),
            ("xây dựng hệ thống chính trị", 0)
        ]
    );

    // Plain data for any page: JSON without NaN.
    let json = serde_json::to_string(&dash).unwrap();
    assert!(json.contains("\"text\":\"—\""), "{json}");
    assert!(!json.contains("NaN"));

    // Charts: well-formed SVG, our font, the units named with their rates.
    let svg = chart::on_time_by_unit_svg(&dash.on_time_by_unit);
    assert!(svg.contains(chart::FONT), "{svg}");
    let text = svg_text(&svg);
    for r in &dash.on_time_by_unit {
        let label = format!("{} ({})", r.unit.name, r.rate_text);
        assert!(text.contains(&label), "{label} not in {text}");
    }
    let text = svg_text(&chart::models_by_field_svg(&dash.models_by_field));
    assert!(text.contains("kinh tế (1)"), "{text}");
    assert!(text.contains("Dân vận khéo"), "{text}");
    let text = svg_text(&chart::headline_comparison_svg(
        &dash.headline,
        &dash.period_label,
        &dash.previous_label,
    ));
    assert!(text.contains("Số lượt tiếp công dân: 11 / 3"), "{text}");
    assert!(text.contains("6 tháng đầu năm 2019"), "{text}");
    let text = svg_text(&chart::on_time_by_unit_svg(&[]));
    assert!(text.contains("Chưa có số liệu"), "{text}");

    // A new record moves the headline at once.
    reception::insert(
        store,
        &turns(
            &unit(store, "24877").await,
            d(2020, 6, 1),
            ReceptionKind::Regular,
            3,
            3,
        ),
    )
    .await
    .unwrap();
    let again = dashboard::build(store, &district, &h1, today)
        .await
        .unwrap();
    assert_eq!(count(&find(&again, "reception_turns").current), 14);
    assert_eq!(count(&find(&again, "reception_turns").previous), 3);

    // The province's on-time formula: in-time ÷ fallen due (Đạ Tông's
    // pending dossier fell due unresolved).
    dossiers::set_formula(store, province.id, OnTimeFormula::OnTimeOverFallenDue)
        .await
        .unwrap();
    let f = dashboard::build(store, &district, &h1, today)
        .await
        .unwrap();
    let rate = find(&f, dashboard::ONE_STOP_RATE);
    assert_eq!(rate.current.text(), "71,4%", "{rate:?}");
    assert!(rate.note.as_deref().unwrap().contains("hồ sơ đến hạn"));
    assert_eq!(
        f.on_time_formula,
        OnTimeFormula::OnTimeOverFallenDue.label()
    );
    let t = f
        .on_time_by_unit
        .iter()
        .find(|r| r.unit.name == "xã Đạ Tông")
        .unwrap();
    assert_eq!(t.rate_text, "50,0%");
    // A report uses the province's formula too: for the province, each
    // level below (only huyện Đam Rông and its communes have dossiers), the
    // district's own desk apart from its communes'; 2/2 and 3/5 make the
    // district's 5/7 (71,4%) of the dashboard.
    let report = danvan_report::build(
        store,
        &danvan_report::Catalogue::builtin(),
        danvan_report::Request::new(&province, h1).template(Some("bao-cao-6-thang")),
    )
    .await
    .unwrap();
    for want in [
        "của huyện Đam Rông tiếp nhận 2 hồ sơ, đã giải quyết 2 hồ sơ, đúng hạn 2 hồ sơ (đạt tỷ lệ 100,0%)",
        "tại 08 xã tiếp nhận 5 hồ sơ, đã giải quyết 3 hồ sơ đúng hạn (đạt tỷ lệ 60,0%)",
    ] {
        assert!(report.text.contains(want), "{want}: {}", report.text);
    }

    // The province's own dashboard has one row per district.
    let p = dashboard::build(store, &province, &h1, today)
        .await
        .unwrap();
    assert_eq!(count(&find(&p, "reception_turns").current), 14);
    assert!(
        p.on_time_by_unit
            .iter()
            .any(|r| r.unit.name == "huyện Đam Rông")
    );
}

#[test]
fn dashboard_from_records_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            db.finish().await;
        }
    });
}

/// The dashboard cache never serves a stale figure: a record saved through
/// the store, a record saved by another process on the same database, and
/// a setting (the one-stop formula) are all in the next read; a reader of
/// another subtree gets not found even with the dashboard cached; and the
/// cache keeps at most its capacity.
async fn check_cache(store: &Store, url: &str) {
    load(store).await;
    let district = unit(store, "674").await;
    let province = unit(store, "68").await;
    let h1 = Period::parse("2020-H1", false).unwrap();
    let today = d(2020, 6, 20);
    let cache: DashboardCache<Dashboard> = DashboardCache::new(2);
    // Each read is a request: a store pinned for it, as the web does.
    let read = |s: &Store| {
        let s = s.clone();
        let (cache, district) = (&cache, district.clone());
        async move {
            let s = match s.scope() {
                Some(scope) => s.within(scope.root).await?,
                None => s.pin_units().await?,
            };
            cache.get(&s, &district, &h1, today, |d| d).await
        }
    };
    let scoped = store.within(district.id).await.unwrap();
    let turns_now = |d: &Dashboard| count(&find(d, "reception_turns").current);

    let first = read(&scoped).await.unwrap();
    assert_eq!(turns_now(&first), 11);
    assert_eq!(read(&scoped).await.unwrap(), first, "served again");
    assert_eq!(cache.len(), 1);

    // A record saved through the store.
    let ro_men = unit(store, "24877").await;
    reception::insert(
        store,
        &turns(&ro_men, d(2020, 6, 1), ReceptionKind::Regular, 3, 3),
    )
    .await
    .unwrap();
    assert_eq!(turns_now(&read(&scoped).await.unwrap()), 14);

    // A record saved by another process (another store on the database).
    let other = Store::open(url).await.unwrap();
    reception::insert(
        &other,
        &turns(&ro_men, d(2020, 6, 2), ReceptionKind::Regular, 2, 2),
    )
    .await
    .unwrap();
    other.close().await;
    assert_eq!(turns_now(&read(&scoped).await.unwrap()), 16);

    // A setting is data like any other.
    let rate = |d: &Dashboard| find(d, dashboard::ONE_STOP_RATE).current.text().to_string();
    assert_eq!(rate(&read(&scoped).await.unwrap()), "83,3%");
    dossiers::set_formula(store, province.id, OnTimeFormula::OnTimeOverFallenDue)
        .await
        .unwrap();
    assert_eq!(rate(&read(&scoped).await.unwrap()), "71,4%");

    // Access is checked before the cache: a commune's store reads the
    // district's dashboard as not found, cached or not.
    let commune = store.within(ro_men.id).await.unwrap();
    let e = read(&commune).await.unwrap_err();
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    let other_district = unit(store, "522").await;
    let elsewhere = store.within(other_district.id).await.unwrap();
    assert!(matches!(
        read(&elsewhere).await.unwrap_err(),
        StoreError::NotFound(_)
    ));

    // The unscoped store has its own entry (its due lists may see more);
    // a third key drops the least recently used.
    assert_eq!(turns_now(&read(store).await.unwrap()), 16);
    assert_eq!(cache.len(), 2);
    let q1 = Period::parse("2020-Q1", false).unwrap();
    cache
        .get(store, &district, &q1, today, |d| d)
        .await
        .unwrap();
    assert_eq!(cache.len(), 2);
}

#[test]
fn the_dashboard_cache_is_never_stale() {
    common::block_on(async {
        for db in common::both().await {
            check_cache(&db.store, &db.url).await;
            db.finish().await;
        }
    });
}
