//! Every route of the router, walked as an officer of one commune (xã Đạ
//! Tông): for the records and the unit of a sibling commune (xã Đạ Long)
//! and of the parent district (huyện Đam Rông) the answer is 403 or 404;
//! a route that takes no record or unit shows nothing of theirs.
//!
//! The walk keeps an explicit map from each route to how it is called, and
//! fails when a route of the table is missing from it, so a new route
//! cannot go unchecked.

use danvan_testkit::web;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::NaiveDate;
use danvan_core::disclosure::{Keep, Place, Publication, ScheduleSlot};
use danvan_core::period::Period;
use danvan_core::records::consultation::Consultation;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::MediationCase;
use danvan_core::records::meeting::Meeting;
use danvan_core::records::model::{Model, ModelYear};
use danvan_core::records::oversight::Oversight;
use danvan_core::records::petition::Case;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_core::records::rating::Rating;
use danvan_core::records::reception::Reception;
use danvan_store::accounts::{self, Role};
use danvan_store::chain::requests::{self, NewRequest, Target as Asked};
use danvan_store::chain::submissions;
use danvan_store::scoring::rounds::{self, NewRound};
use danvan_store::{
    Store, cases, consultations, datasets, directives, disclosure, mediation, meetings, models,
    oversight, petitions, portal, ratings, reception, units,
};
use serde_json::{Value, json};
use web::{Env, Reply, Session};

/// The data set every unit enters values into (a national definition).
const SET: &str = "walk_so_lieu";
const ELEMENT: &str = "walk_so_cuoc";

/// A unit and one record of every type there.
struct Target {
    label: &'static str,
    unit: i64,
    code: String,
    /// A word in every record of the unit, to look for in answers.
    marker: &'static str,
    petition: i64,
    reception: i64,
    mediation: i64,
    meeting: i64,
    model: i64,
    oversight: i64,
    rating: i64,
    consultation: i64,
    /// A publication on the disclosure board (at the unit, or for a unit
    /// above the communes at a commune of another province) and a turn of
    /// its reception schedule.
    disclosure: i64,
    slot: i64,
    directive: i64,
    case: i64,
    /// An account of the unit, and its API token's number.
    user: i64,
    token: i64,
    /// A request for a report asked of the unit (by the unit above), and
    /// the unit's submitted answer.
    request: i64,
    submission: i64,
    /// The tracking code of a kiến nghị sent to the unit online (it lands
    /// at the unit that answers for it today).
    portal_code: String,
    /// That kiến nghị's Open311 number, and a key of an Open311 application.
    open311_id: String,
    open311_key: String,
    /// A scoring round the unit above opened for the unit, its year, and
    /// the unit's self-assessment in it.
    round: i64,
    year: i32,
    assessment: i64,
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

/// One record of every type at `code`, made on the server (no scope).
async fn target(
    store: &Store,
    label: &'static str,
    code: &str,
    marker: &'static str,
    year: i32,
) -> Target {
    let unit = units::find(store, code, None).await.unwrap().id;
    let text = |what: &str| format!("{what} {marker}");
    let petition = petitions::insert(
        store,
        &Petition {
            sender: Sender {
                name: text("Người tố cáo"),
                address: text("Thôn 1"),
                phone: "0912000000".into(),
            },
            summary: text("tố cáo lấn chiếm đất công"),
            ..Petition::received(
                unit,
                day(3, 3),
                PetitionChannel::InPerson,
                PetitionType::Denunciation,
                PetitionField::Land,
            )
        },
    )
    .await
    .unwrap();
    let reception = reception::insert(
        store,
        &serde_json::from_value::<Reception>(json!({
            "unit_id": unit, "received_on": "2025-03-04", "official": text("Chủ tịch"),
            "position": "Chủ tịch UBND", "kind": "regular", "content": "complaint",
            "outcome": "guided", "turns": 1, "persons": 1, "delegations": 0,
            "delegation_persons": 0, "petition_id": null, "note": text("tiếp dân"),
        }))
        .unwrap(),
    )
    .await
    .unwrap();
    let mediation = mediation::insert_many(
        store,
        &[MediationCase {
            unit_id: unit,
            team: text("Tổ hòa giải"),
            received_on: day(3, 5),
            field: danvan_core::records::mediation::MediationField::Land,
            result: danvan_core::records::mediation::MediationResult::InProgress,
            summary: text("tranh chấp ranh giới"),
        }],
    )
    .await
    .unwrap()[0];
    let meeting = meetings::insert_many(
        store,
        &[serde_json::from_value::<Meeting>(json!({
            "unit_id": unit, "kind": "dialogue", "held_on": "2025-03-06",
            "chair": "Chủ tịch UBND", "deputies": "", "participants": 40,
            "subject": text("đối thoại về đền bù"),
            "opinions": [{ "content": text("giá đền bù thấp"), "follow_up": "pending" }],
        }))
        .unwrap()],
    )
    .await
    .unwrap()[0];
    let model = models::insert_many(
        store,
        &[(
            serde_json::from_value::<Model>(json!({
                "unit_id": unit, "name": text("Dân vận khéo"), "level": "grassroots", "field": "economy",
            }))
            .unwrap(),
            vec![model_year()],
        )],
    )
    .await
    .unwrap()[0];
    let oversight = oversight::insert_many(
        store,
        &[serde_json::from_value::<Oversight>(json!({
            "unit_id": unit, "organisation": "front", "kind": "supervision",
            "held_on": "2025-03-07", "subject": text("giám sát quy chế dân chủ"),
            "targets": "UBND", "recommendations": 2,
        }))
        .unwrap()],
    )
    .await
    .unwrap()[0];
    let rating = ratings::insert(
        store,
        &serde_json::from_value::<Rating>(json!({
            "unit_id": unit, "service": "reception", "level": "not_satisfied",
            "rated_on": "2025-03-07", "subject": "", "comment": text("chờ lâu"),
        }))
        .unwrap(),
    )
    .await
    .unwrap();
    let consultation = consultations::insert(
        store,
        &serde_json::from_value::<Consultation>(json!({
            "unit_id": unit, "subject": "plan", "title": text("dự thảo kế hoạch"),
            "summary": "", "documents": "", "question": "Có đồng ý?",
            "opens_on": "2025-03-07", "closes_on": "2099-12-31", "forms_issued": 100,
        }))
        .unwrap(),
    )
    .await
    .unwrap();
    let board_unit = if code.len() == 5 {
        unit
    } else {
        units::find(store, "21010", None).await.unwrap().id
    };
    let disclosure = disclosure::record(
        store,
        board_unit,
        &Publication {
            item: "ke-hoach-kt-xh".into(),
            title: text("Kế hoạch năm"),
            published_on: NaiveDate::from_ymd_opt(2025, 3, 10).unwrap(),
            places: vec![Place::Noticeboard],
            keep: Keep::Days(30),
            link: String::new(),
            document: String::new(),
            taken_down_on: None,
        },
    )
    .await
    .unwrap();
    let slot = disclosure::add_slot(
        store,
        board_unit,
        &ScheduleSlot {
            leader: text("Lãnh đạo"),
            position: "Chủ tịch UBND".into(),
            when: "Thứ Năm".into(),
            place: "Trụ sở".into(),
        },
    )
    .await
    .unwrap();
    let directive = directives::insert_many(
        store,
        &[Directive {
            unit_id: unit,
            number: DocumentNumber::parse("12/KH-UBND").unwrap(),
            issued_on: day(3, 8),
            issuer: "UBND".into(),
            title: text("Kế hoạch dân vận khéo"),
        }],
    )
    .await
    .unwrap()[0];
    let case = cases::insert(
        store,
        &Case {
            unit_id: unit,
            opened_on: day(3, 9),
            title: text("vụ việc đông người"),
            complex: false,
            crowd: true,
            prolonged: false,
            resolved_on: None,
        },
    )
    .await
    .unwrap();
    datasets::enter(store, SET, &[value(unit, 7)])
        .await
        .unwrap();
    let user = accounts::create(
        store,
        &accounts::NewUser {
            username: format!("walk.{code}"),
            full_name: text("Cán bộ"),
            password: web::PASSWORD.into(),
            role: Role::Officer,
            unit_id: Some(unit),
        },
    )
    .await
    .unwrap()
    .id;
    accounts::create_token(store, user, &text("khoá"))
        .await
        .unwrap();
    let token = accounts::list_tokens(store, user).await.unwrap()[0].id;
    let above = units::by_id(store, unit)
        .await
        .unwrap()
        .unwrap()
        .parent_id
        .unwrap();
    let request = requests::create(
        store,
        &NewRequest {
            unit_id: above,
            template: "bao-cao-6-thang".into(),
            period: Period::parse("2025-Q1", false).unwrap(),
            due_on: day(4, 10),
            document: "15-CV/WALK".into(),
            title: text("Báo cáo quý"),
            target: Asked::Chosen,
            chosen: vec![unit],
        },
    )
    .await
    .unwrap();
    let draft = submissions::prepare(store, request, unit).await.unwrap();
    let submission = danvan_report::chain::submit(
        store,
        danvan_report::Catalogue::shipped(),
        draft.id,
        "9/BC-WALK",
        Some(day(4, 2)),
        None,
    )
    .await
    .unwrap()
    .id;
    let portal_code = portal::submit(
        &store.acting_as(portal::citizen()),
        &portal::Submission {
            unit_id: unit,
            kind: danvan_core::portal::PortalKind::Recommendation,
            field: PetitionField::Other,
            content: text("kiến nghị trực tuyến"),
            sender: Sender {
                name: text("Người gửi trực tuyến"),
                address: text("Thôn 2"),
                phone: "0913000000".into(),
            },
            consent: true,
            files: vec![],
        },
    )
    .await
    .unwrap();
    // Answered, so that the citizen may rate the answer.
    portal::answer(
        store,
        portal_code.petition_id,
        &portal::Answer {
            question: String::new(),
            body: text("xã đã tiếp thu kiến nghị"),
            public: false,
            answered_on: store.today(),
        },
    )
    .await
    .unwrap();
    let open311_id = portal_code.request_id.clone();
    let portal_code = portal_code.code;
    let (_, open311_key) = portal::open311::key_new(store, &text("Ứng dụng"))
        .await
        .unwrap();
    let round = rounds::open(
        store,
        &NewRound {
            unit_id: above,
            year,
            sheet: "nd335".into(),
            trial: true,
            title: text("Đánh giá dân vận"),
            target: Asked::Chosen,
            chosen: vec![unit],
        },
    )
    .await
    .unwrap();
    let assessment = danvan_report::scoring::start(store, round, unit)
        .await
        .unwrap()
        .id;
    Target {
        portal_code,
        open311_id,
        open311_key,
        request,
        submission,
        round,
        year,
        assessment,
        user,
        token,
        label,
        unit,
        code: code.to_string(),
        marker,
        petition,
        reception,
        mediation,
        meeting,
        model,
        oversight,
        rating,
        consultation,
        disclosure,
        slot,
        directive,
        case,
    }
}

fn model_year() -> ModelYear {
    serde_json::from_value(json!({
        "year": 2025, "recorded_on": "2025-03-09", "status": "new", "recognised": false, "award": "",
    }))
    .unwrap()
}

fn value(unit: i64, n: i64) -> DataValue {
    DataValue {
        unit_id: unit,
        element: ELEMENT.into(),
        period: "2025-H1".into(),
        option: String::new(),
        value: n,
    }
}

/// A request of the walk. Paths under `/api/` go with the officer's API
/// token, pages with the officer's session (and its CSRF token on changes).
struct Call {
    method: Method,
    uri: String,
    body: Option<Payload>,
    /// Log out of a spare session, not the walk's.
    spare_session: bool,
}

enum Payload {
    Json(Value),
    Form(Vec<(&'static str, String)>),
    /// A file upload: the form's fields and one file (name, content).
    Upload(Vec<(&'static str, String)>, &'static str, String),
}

fn get(uri: String) -> Call {
    Call {
        method: Method::GET,
        uri,
        body: None,
        spare_session: false,
    }
}

fn json_call(method: Method, uri: String, body: Value) -> Call {
    Call {
        method,
        uri,
        body: Some(Payload::Json(body)),
        spare_session: false,
    }
}

fn form(uri: String, fields: Vec<(&'static str, String)>) -> Call {
    Call {
        method: Method::POST,
        uri,
        body: Some(Payload::Form(fields)),
        spare_session: false,
    }
}

fn upload(
    uri: String,
    fields: Vec<(&'static str, String)>,
    file: &'static str,
    content: String,
) -> Call {
    Call {
        method: Method::POST,
        uri,
        body: Some(Payload::Upload(fields, file, content)),
        spare_session: false,
    }
}

/// The form of a new record at a unit: `fields` with the unit's id.
fn record_form(uri: &str, t: &Target, fields: &[(&'static str, &str)]) -> Call {
    let mut all = vec![("unit_id", t.unit.to_string())];
    all.extend(fields.iter().map(|&(k, v)| (k, v.to_string())));
    form(uri.into(), all)
}

/// Multipart boundary of the walk's uploads.
const BOUNDARY: &str = "ranh-gioi-walk-7MA4YWxk";

fn multipart(fields: &[(&'static str, String)], file: &str, content: &str) -> String {
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{file}\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{BOUNDARY}--\r\n"
    ));
    body
}

/// A reception file of one row at the unit `code`.
fn reception_file(code: &str) -> String {
    format!(
        "unit,received_on,official,position,kind,content,outcome,turns,persons,delegations,delegation_persons,note\n\
         {code},2025-03-25,Cán bộ,,định kỳ,khiếu nại,hướng dẫn,1,1,0,0,\n"
    )
}

fn delete(uri: String) -> Call {
    Call {
        method: Method::DELETE,
        uri,
        body: None,
        spare_session: false,
    }
}

type Build = fn(&Target) -> Call;

/// How one route is walked.
#[derive(Default)]
struct How {
    /// Called with the sibling's and the district's record or unit: the
    /// answer must be 403 or 404.
    foreign: Option<Build>,
    /// The same call with the officer's own record must succeed, so the
    /// 404 above is not the answer to a malformed call.
    control: bool,
    /// Called once with the officer's own unit: the answer must show
    /// nothing of the sibling's or the district's records.
    open: Option<Build>,
    /// The open call is refused to an officer whatever it asks (the audit
    /// log and national definitions are for administrators), so only its
    /// body is checked.
    open_refused: bool,
}

fn foreign(f: Build) -> How {
    How {
        foreign: Some(f),
        ..Default::default()
    }
}

/// A read of a foreign record, with the control read of the own one.
fn read(f: Build) -> How {
    How {
        foreign: Some(f),
        control: true,
        ..Default::default()
    }
}

fn open(f: Build) -> How {
    How {
        open: Some(f),
        ..Default::default()
    }
}

/// A change of a national definition: refused to a commune's officer
/// whatever it asks, so only the refusal's body is checked.
fn national(f: Build) -> How {
    How {
        open: Some(f),
        open_refused: true,
        ..Default::default()
    }
}

impl How {
    fn and_open(mut self, f: Build) -> How {
        self.open = Some(f);
        self
    }
}

fn petition_json(t: &Target) -> Value {
    json!(Petition::received(
        t.unit,
        day(3, 20),
        PetitionChannel::Post,
        PetitionType::Complaint,
        PetitionField::Land,
    ))
}

/// The petition form, filled for a petition at the unit.
fn petition_form(t: &Target) -> Vec<(&'static str, String)> {
    vec![
        ("unit_id", t.unit.to_string()),
        ("received_on", "20/03/2025".into()),
        ("channel", "post".into()),
        ("kind", "complaint".into()),
        ("instance", "1".into()),
        ("field", "land".into()),
        ("senders", "1".into()),
        ("summary", "đơn ghi vào đơn vị khác".into()),
    ]
}

/// The key the walk's portal signs its form stamps with.
const WALK_KEY: [u8; 32] = [5; 32];

fn walk_stamp() -> String {
    danvan_web::public::guard::stamp_with(&WALK_KEY, danvan_web::public::guard::unix_now())
}

/// The router of `env` with the portal's stamps signed by [`WALK_KEY`]
/// and taken at once.
fn walk_app(env: &mut Env) {
    env.app = danvan_web::app(danvan_web::AppState {
        portal: std::sync::Arc::new(danvan_web::public::Settings::new(
            WALK_KEY,
            std::time::Duration::ZERO,
        )),
        ..danvan_web::AppState::new(env.store.clone())
    });
}

/// The public sending form, filled.
fn portal_form(_: &Target) -> Vec<(&'static str, String)> {
    vec![
        ("_t", walk_stamp()),
        ("loai", "feedback".into()),
        ("linh_vuc", "other".into()),
        ("noi_dung", "phản ánh đèn đường hỏng".into()),
        ("ho_ten", "Người đi đường".into()),
        ("dien_thoai", "0914000000".into()),
        ("dong_y", "1".into()),
    ]
}

/// A request an Open311 application sends to the unit.
fn open311_form(t: &Target) -> Vec<(&'static str, String)> {
    vec![
        ("api_key", t.open311_key.clone()),
        ("jurisdiction_id", t.code.clone()),
        ("service_code", "feedback".into()),
        ("description", "phản ánh ổ gà trên đường liên xã".into()),
        ("first_name", "Người đi đường".into()),
        ("phone", "0914000001".into()),
        ("attribute[consent]", "1".into()),
    ]
}

/// Every route of the table and how it is walked.
fn walk_map() -> Vec<(Method, &'static str, How)> {
    use Method as M;
    vec![
        (M::GET, "/healthz", open(|_| get("/healthz".into()))),
        (
            M::GET,
            "/static/app.css",
            open(|_| get("/static/app.css".into())),
        ),
        (
            M::GET,
            "/static/app.js",
            open(|_| get("/static/app.js".into())),
        ),
        (M::GET, "/dang-nhap", open(|_| get("/dang-nhap".into()))),
        (
            M::POST,
            "/dang-nhap",
            // Posted without the login page's own token (its pre-session
            // cookie), a login is refused whatever it asks.
            national(|_| {
                form(
                    "/dang-nhap".into(),
                    vec![
                        ("username", "canbo.datong".into()),
                        ("password", web::PASSWORD.into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/dang-xuat",
            open(|_| Call {
                spare_session: true,
                ..form("/dang-xuat".into(), vec![])
            }),
        ),
        (
            M::GET,
            "/",
            read(|t| get(format!("/?don_vi={}&ky=2025", t.unit)))
                .and_open(|_| get("/?ky=2025".into())),
        ),
        (M::GET, "/don-vi", open(|_| get("/don-vi".into()))),
        (
            M::GET,
            "/api/openapi.json",
            open(|_| get("/api/openapi.json".into())),
        ),
        (
            M::GET,
            "/api/units/search",
            open(|_| get("/api/units/search?q=".into())),
        ),
        (
            M::GET,
            "/don-thu",
            read(|t| get(format!("/don-thu?don_vi={}", t.unit)))
                .and_open(|_| get("/don-thu".into())),
        ),
        (
            M::POST,
            "/don-thu",
            foreign(|t| form("/don-thu".into(), petition_form(t))),
        ),
        (M::GET, "/don-thu/moi", open(|_| get("/don-thu/moi".into()))),
        (
            M::GET,
            "/don-thu/{id}",
            read(|t| get(format!("/don-thu/{}", t.petition))),
        ),
        (
            M::POST,
            "/don-thu/{id}/buoc",
            foreign(|t| {
                form(
                    format!("/don-thu/{}/buoc", t.petition),
                    vec![
                        ("step", "classify".into()),
                        ("on", "10/03/2025".into()),
                        ("eligible", "1".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/don-thu/{id}/phan-cong",
            foreign(|t| {
                form(
                    format!("/don-thu/{}/phan-cong", t.petition),
                    vec![("official_id", "1".into())],
                )
            }),
        ),
        (
            M::POST,
            "/don-thu/{id}/thoi-phan-cong",
            foreign(|t| {
                form(
                    format!("/don-thu/{}/thoi-phan-cong", t.petition),
                    vec![("official_id", "1".into())],
                )
            }),
        ),
        (
            M::GET,
            "/don-thu/{id}/sua",
            read(|t| get(format!("/don-thu/{}/sua", t.petition))),
        ),
        (
            M::POST,
            "/don-thu/{id}/sua",
            foreign(|t| form(format!("/don-thu/{}/sua", t.petition), petition_form(t))),
        ),
        (
            M::POST,
            "/don-thu/{id}/xoa",
            foreign(|t| form(format!("/don-thu/{}/xoa", t.petition), vec![])),
        ),
        (
            M::POST,
            "/don-thu/{id}/tra-loi",
            foreign(|t| {
                form(
                    format!("/don-thu/{}/tra-loi", t.petition),
                    vec![
                        ("cau_hoi", "câu hỏi của đơn vị khác".into()),
                        ("tra_loi", "trả lời vào đơn của đơn vị khác".into()),
                        ("ngay", "20/03/2025".into()),
                        ("cong_khai", "1".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/don-thu/{id}/tep/{name}",
            foreign(|t| get(format!("/don-thu/{}/tep/0123456789abcdef.png", t.petition))),
        ),
        // A sender's personal data: the walking officer is not assigned to
        // its own unit's tố cáo either, so only the foreign calls are made.
        (
            M::GET,
            "/don-thu/{id}/du-lieu-ca-nhan",
            foreign(|t| get(format!("/don-thu/{}/du-lieu-ca-nhan", t.petition))),
        ),
        (
            M::GET,
            "/don-thu/{id}/du-lieu-ca-nhan/tai-ve",
            foreign(|t| get(format!("/don-thu/{}/du-lieu-ca-nhan/tai-ve", t.petition))),
        ),
        (
            M::POST,
            "/don-thu/{id}/du-lieu-ca-nhan/xoa",
            foreign(|t| {
                form(
                    format!("/don-thu/{}/du-lieu-ca-nhan/xoa", t.petition),
                    vec![
                        ("can_cu", "yêu cầu xoá đơn của đơn vị khác".into()),
                        ("xac_minh", "1".into()),
                        ("xoa_tep", "1".into()),
                    ],
                )
            }),
        ),
        // The public portal: no login, nothing of any unit's records but
        // what it was sent and what was answered publicly.
        (M::GET, "/cong-dan", open(|_| get("/cong-dan".into()))),
        (
            M::GET,
            "/cong-dan/don-vi",
            open(|_| get("/cong-dan/don-vi".into())),
        ),
        (
            M::GET,
            "/cong-dan/don-vi/{id}",
            open(|t| get(format!("/cong-dan/don-vi/{}", t.unit))),
        ),
        (
            M::POST,
            "/cong-dan/don-vi/{id}",
            open(|t| {
                upload(
                    format!("/cong-dan/don-vi/{}", t.unit),
                    portal_form(t),
                    "",
                    String::new(),
                )
            }),
        ),
        (
            M::GET,
            "/cong-dan/don-vi/{id}/hoi-dap",
            open(|t| get(format!("/cong-dan/don-vi/{}/hoi-dap", t.unit))),
        ),
        (
            M::GET,
            "/cong-dan/don-vi/{id}/lay-y-kien",
            open(|t| get(format!("/cong-dan/don-vi/{}/lay-y-kien", t.unit))),
        ),
        (
            M::GET,
            "/cong-dan/lay-y-kien/{id}",
            open(|t| get(format!("/cong-dan/lay-y-kien/{}", t.consultation))),
        ),
        (
            M::POST,
            "/cong-dan/lay-y-kien/{id}",
            open(|t| {
                form(
                    format!("/cong-dan/lay-y-kien/{}", t.consultation),
                    vec![
                        ("_t", walk_stamp()),
                        ("y_kien_chon", "agree".into()),
                        ("y_kien", "đồng ý".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/cong-dan/don-vi/{id}/cong-khai",
            open(|t| get(format!("/cong-dan/don-vi/{}/cong-khai", t.unit))),
        ),
        (
            M::GET,
            "/cong-dan/danh-gia",
            open(|t| {
                get(format!(
                    "/cong-dan/danh-gia?dich_vu=petition&ma={}",
                    t.portal_code
                ))
            }),
        ),
        (
            M::POST,
            "/cong-dan/danh-gia",
            open(|t| {
                form(
                    "/cong-dan/danh-gia".into(),
                    vec![
                        ("_t", walk_stamp()),
                        ("dich_vu", "petition".into()),
                        ("ma", t.portal_code.clone()),
                        ("muc_do", "satisfied".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/cong-dan/theo-doi",
            open(|_| get("/cong-dan/theo-doi".into())),
        ),
        (
            M::GET,
            "/cong-dan/theo-doi/{code}",
            open(|t| get(format!("/cong-dan/theo-doi/{}", t.portal_code))),
        ),
        (
            M::POST,
            "/cong-dan/theo-doi/{code}",
            open(|t| {
                upload(
                    format!("/cong-dan/theo-doi/{}", t.portal_code),
                    vec![
                        ("_t", walk_stamp()),
                        ("noi_dung", "bổ sung thêm thông tin".into()),
                    ],
                    "",
                    String::new(),
                )
            }),
        ),
        // Open311 GeoReport v2: no login; an application's key to send.
        // The lists are asked by number: the sibling's requests reach the
        // same commune of today, and a list of it would show them.
        (
            M::GET,
            "/open311/v2/discovery.json",
            open(|_| get("/open311/v2/discovery.json".into())),
        ),
        (
            M::GET,
            "/open311/v2/discovery.xml",
            open(|_| get("/open311/v2/discovery.xml".into())),
        ),
        (
            M::GET,
            "/open311/v2/services.json",
            open(|_| get("/open311/v2/services.json".into())),
        ),
        (
            M::GET,
            "/open311/v2/services.xml",
            open(|_| get("/open311/v2/services.xml".into())),
        ),
        (
            M::GET,
            "/open311/v2/requests.json",
            open(|t| {
                get(format!(
                    "/open311/v2/requests.json?service_request_id={}",
                    t.open311_id
                ))
            }),
        ),
        (
            M::GET,
            "/open311/v2/requests.xml",
            open(|t| {
                get(format!(
                    "/open311/v2/requests.xml?service_request_id={}",
                    t.open311_id
                ))
            }),
        ),
        (
            M::GET,
            "/open311/v2/requests/{file}",
            open(|t| get(format!("/open311/v2/requests/{}.json", t.open311_id))),
        ),
        (
            M::POST,
            "/open311/v2/requests.json",
            open(|t| form("/open311/v2/requests.json".into(), open311_form(t))),
        ),
        (
            M::POST,
            "/open311/v2/requests.xml",
            open(|t| form("/open311/v2/requests.xml".into(), open311_form(t))),
        ),
        (
            M::GET,
            "/nhat-ky",
            How {
                foreign: Some(|t| get(format!("/nhat-ky?loai=petition&so={}", t.petition))),
                open: Some(|_| get("/nhat-ky".into())),
                open_refused: true,
                ..Default::default()
            },
        ),
        (M::GET, "/nguoi-dung", open(|_| get("/nguoi-dung".into()))),
        (
            M::POST,
            "/nguoi-dung",
            foreign(|t| {
                form(
                    "/nguoi-dung".into(),
                    vec![
                        ("username", format!("moi.{}", t.unit)),
                        ("full_name", "Tài khoản đơn vị khác".into()),
                        ("password", web::PASSWORD.into()),
                        ("role", "officer".into()),
                        ("unit_id", t.unit.to_string()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/nguoi-dung/khoa-api",
            open(|_| {
                form(
                    "/nguoi-dung/khoa-api".into(),
                    vec![("name", "máy khác".into())],
                )
            }),
        ),
        // Indicators, rules and report sections defined at run time hold
        // for every unit's reports: a national administrator's.
        (
            M::GET,
            "/bao-cao/chi-so",
            national(|_| get("/bao-cao/chi-so".into())),
        ),
        (
            M::POST,
            "/bao-cao/chi-so",
            national(|_| {
                form(
                    "/bao-cao/chi-so".into(),
                    vec![
                        ("loai", "indicator".into()),
                        ("ma", "la".into()),
                        ("ten", "Lạ".into()),
                        ("cong_thuc", "reception.turns".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/bao-cao/chi-so/{kind}/{code}",
            national(|_| get("/bao-cao/chi-so/indicator/la".into())),
        ),
        (
            M::POST,
            "/bao-cao/chi-so/{kind}/{code}",
            national(|_| {
                form(
                    "/bao-cao/chi-so/indicator/la".into(),
                    vec![("phien_ban", "0".into()), ("nguon", "code = \"la\"".into())],
                )
            }),
        ),
        (
            M::POST,
            "/bao-cao/chi-so/{kind}/{code}/bo",
            national(|_| {
                form(
                    "/bao-cao/chi-so/indicator/la/bo".into(),
                    vec![("phien_ban", "1".into())],
                )
            }),
        ),
        // Open311 keys are good for every unit: a national
        // administrator's, refused to a commune's officer.
        (
            M::GET,
            "/nguoi-dung/open311",
            national(|_| get("/nguoi-dung/open311".into())),
        ),
        (
            M::POST,
            "/nguoi-dung/open311",
            national(|_| {
                form(
                    "/nguoi-dung/open311".into(),
                    vec![("ten", "ứng dụng lạ".into())],
                )
            }),
        ),
        (
            M::POST,
            "/nguoi-dung/open311/{id}/thu-hoi",
            national(|_| form("/nguoi-dung/open311/1/thu-hoi".into(), vec![])),
        ),
        (
            M::POST,
            "/nguoi-dung/khoa-api/{id}/thu-hoi",
            foreign(|t| form(format!("/nguoi-dung/khoa-api/{}/thu-hoi", t.token), vec![])),
        ),
        (
            M::POST,
            "/nguoi-dung/{id}/khoa",
            foreign(|t| form(format!("/nguoi-dung/{}/khoa", t.user), vec![])),
        ),
        (
            M::POST,
            "/nguoi-dung/{id}/mo-khoa",
            foreign(|t| form(format!("/nguoi-dung/{}/mo-khoa", t.user), vec![])),
        ),
        (
            M::POST,
            "/nguoi-dung/{id}/mat-khau",
            foreign(|t| {
                form(
                    format!("/nguoi-dung/{}/mat-khau", t.user),
                    vec![("password", "mat-khau-cua-nguoi-khac".into())],
                )
            }),
        ),
        (M::GET, "/huong-dan", open(|_| get("/huong-dan".into()))),
        // Cơ quan ban hành: a unit's issuing bodies.
        (
            M::GET,
            "/co-quan-ban-hanh",
            read(|t| get(format!("/co-quan-ban-hanh?don_vi={}", t.unit)))
                .and_open(|_| get("/co-quan-ban-hanh".into())),
        ),
        (
            M::POST,
            "/co-quan-ban-hanh",
            foreign(|t| {
                form(
                    "/co-quan-ban-hanh".into(),
                    vec![
                        ("don_vi", t.unit.to_string()),
                        ("ma", "ubnd".into()),
                        ("loai", "ubnd".into()),
                        ("ten", "Ủy ban nhân dân đơn vị khác".into()),
                        ("tieu_de", "ỦY BAN NHÂN DÂN".into()),
                        ("ky_hieu", "BC-UBND".into()),
                        ("chuc_danh", "CHỦ TỊCH".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/co-quan-ban-hanh/xoa",
            foreign(|t| {
                form(
                    "/co-quan-ban-hanh/xoa".into(),
                    vec![("don_vi", t.unit.to_string()), ("ma", "ubnd".into())],
                )
            }),
        ),
        // Bảng công khai: a commune's board, the district's overview.
        (
            M::GET,
            "/ghi-nhan/cong-khai",
            read(|t| get(format!("/ghi-nhan/cong-khai?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/cong-khai".into())),
        ),
        (
            M::POST,
            "/ghi-nhan/cong-khai",
            foreign(|t| {
                form(
                    "/ghi-nhan/cong-khai".into(),
                    vec![
                        ("don_vi", t.unit.to_string()),
                        ("noi_dung", "ngan-sach".into()),
                        ("tieu_de", "Dự toán ngân sách".into()),
                        ("ngay_cong_khai", "2025-03-01".into()),
                        ("hinh_thuc", "tru-so".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/cong-khai/{id}/go",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/cong-khai/{}/go", t.disclosure),
                    vec![("ngay_go", "2025-05-01".into())],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/cong-khai/lich",
            foreign(|t| {
                form(
                    "/ghi-nhan/cong-khai/lich".into(),
                    vec![
                        ("don_vi", t.unit.to_string()),
                        ("lanh_dao", "Người khác".into()),
                        ("chuc_vu", "Chủ tịch".into()),
                        ("thoi_gian", "Thứ Hai".into()),
                        ("dia_diem", "Trụ sở".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/cong-khai/lich/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/cong-khai/lich/{}/xoa", t.slot), vec![])),
        ),
        // Thông báo: the officer's own notices and choices.
        (M::GET, "/thong-bao", open(|_| get("/thong-bao".into()))),
        (
            M::POST,
            "/thong-bao",
            open(|_| {
                form(
                    "/thong-bao".into(),
                    vec![
                        ("petitions", "1".into()),
                        ("soon_days", "5".into()),
                        ("opinion_days", "30".into()),
                    ],
                )
            }),
        ),
        (M::GET, "/mat-khau", open(|_| get("/mat-khau".into()))),
        (
            M::POST,
            "/mat-khau",
            // The officer's own password, changed to itself (the spare
            // session ends; logging out of it still answers).
            open(|_| {
                form(
                    "/mat-khau".into(),
                    vec![
                        ("current", web::PASSWORD.into()),
                        ("new", web::PASSWORD.into()),
                        ("confirm", web::PASSWORD.into()),
                    ],
                )
            }),
        ),
        // Ghi nhận: the record pages.
        (M::GET, "/ghi-nhan", open(|_| get("/ghi-nhan".into()))),
        (
            M::GET,
            "/ghi-nhan/tiep-cong-dan",
            read(|t| get(format!("/ghi-nhan/tiep-cong-dan?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/tiep-cong-dan".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/tiep-cong-dan/moi",
            open(|_| get("/ghi-nhan/tiep-cong-dan/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/tiep-cong-dan/{id}",
            read(|t| get(format!("/ghi-nhan/tiep-cong-dan/{}", t.reception))),
        ),
        (
            M::POST,
            "/ghi-nhan/tiep-cong-dan",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/tiep-cong-dan",
                    t,
                    &[
                        ("received_on", "20/03/2025"),
                        ("kind", "regular"),
                        ("content", "complaint"),
                        ("outcome", "guided"),
                        ("turns", "1"),
                        ("persons", "1"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/tiep-cong-dan/{id}/sua",
            read(|t| get(format!("/ghi-nhan/tiep-cong-dan/{}/sua", t.reception))),
        ),
        (
            M::POST,
            "/ghi-nhan/tiep-cong-dan/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/tiep-cong-dan/{}/sua", t.reception),
                    t,
                    &[
                        ("received_on", "04/03/2025"),
                        ("kind", "regular"),
                        ("content", "complaint"),
                        ("outcome", "guided"),
                        ("turns", "5"),
                        ("persons", "5"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/tiep-cong-dan/{id}/xoa",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/tiep-cong-dan/{}/xoa", t.reception),
                    vec![],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/hoa-giai",
            read(|t| get(format!("/ghi-nhan/hoa-giai?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/hoa-giai".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/hoa-giai/moi",
            open(|_| get("/ghi-nhan/hoa-giai/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/hoa-giai/{id}",
            read(|t| get(format!("/ghi-nhan/hoa-giai/{}", t.mediation))),
        ),
        (
            M::POST,
            "/ghi-nhan/hoa-giai",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/hoa-giai",
                    t,
                    &[
                        ("received_on", "20/03/2025"),
                        ("team", "Tổ 1"),
                        ("field", "land"),
                        ("result", "success"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/hoa-giai/{id}/sua",
            read(|t| get(format!("/ghi-nhan/hoa-giai/{}/sua", t.mediation))),
        ),
        (
            M::POST,
            "/ghi-nhan/hoa-giai/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/hoa-giai/{}/sua", t.mediation),
                    t,
                    &[
                        ("received_on", "05/03/2025"),
                        ("team", "Tổ 1"),
                        ("field", "land"),
                        ("result", "success"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/hoa-giai/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/hoa-giai/{}/xoa", t.mediation), vec![])),
        ),
        (
            M::GET,
            "/ghi-nhan/hoi-nghi",
            read(|t| get(format!("/ghi-nhan/hoi-nghi?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/hoi-nghi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/hoi-nghi/moi",
            open(|_| get("/ghi-nhan/hoi-nghi/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/hoi-nghi/{id}",
            read(|t| get(format!("/ghi-nhan/hoi-nghi/{}", t.meeting))),
        ),
        (
            M::POST,
            "/ghi-nhan/hoi-nghi",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/hoi-nghi",
                    t,
                    &[
                        ("kind", "dialogue"),
                        ("held_on", "20/03/2025"),
                        ("chair", "Chủ tịch"),
                        ("participants", "10"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/hoi-nghi/{id}/y-kien",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/hoi-nghi/{}/y-kien", t.meeting),
                    vec![
                        ("index", "0".into()),
                        ("follow_up", "answered_at_meeting".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/hoi-nghi/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/hoi-nghi/{}/xoa", t.meeting), vec![])),
        ),
        (
            M::GET,
            "/ghi-nhan/mo-hinh",
            read(|t| get(format!("/ghi-nhan/mo-hinh?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/mo-hinh".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/mo-hinh/moi",
            open(|_| get("/ghi-nhan/mo-hinh/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/mo-hinh/{id}",
            read(|t| get(format!("/ghi-nhan/mo-hinh/{}", t.model))),
        ),
        (
            M::POST,
            "/ghi-nhan/mo-hinh",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/mo-hinh",
                    t,
                    &[
                        ("name", "Mô hình ghi vào đơn vị khác"),
                        ("level", "grassroots"),
                        ("field", "economy"),
                        ("year", "2025"),
                        ("recorded_on", "20/03/2025"),
                        ("status", "new"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/mo-hinh/{id}/nam",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/mo-hinh/{}/nam", t.model),
                    vec![
                        ("year", "2025".into()),
                        ("recorded_on", "20/03/2025".into()),
                        ("status", "replicated".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/giam-sat",
            read(|t| get(format!("/ghi-nhan/giam-sat?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/giam-sat".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/giam-sat/moi",
            open(|_| get("/ghi-nhan/giam-sat/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/giam-sat/{id}",
            read(|t| get(format!("/ghi-nhan/giam-sat/{}", t.oversight))),
        ),
        (
            M::POST,
            "/ghi-nhan/giam-sat",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/giam-sat",
                    t,
                    &[
                        ("organisation", "front"),
                        ("kind", "supervision"),
                        ("held_on", "20/03/2025"),
                        ("subject", "ghi vào đơn vị khác"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/giam-sat/{id}/sua",
            read(|t| get(format!("/ghi-nhan/giam-sat/{}/sua", t.oversight))),
        ),
        (
            M::POST,
            "/ghi-nhan/giam-sat/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/giam-sat/{}/sua", t.oversight),
                    t,
                    &[
                        ("organisation", "front"),
                        ("kind", "supervision"),
                        ("held_on", "20/03/2025"),
                        ("subject", "sửa"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/giam-sat/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/giam-sat/{}/xoa", t.oversight), vec![])),
        ),
        (
            M::GET,
            "/ghi-nhan/danh-gia",
            read(|t| get(format!("/ghi-nhan/danh-gia?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/danh-gia".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/danh-gia/moi",
            open(|_| get("/ghi-nhan/danh-gia/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/danh-gia/{id}",
            read(|t| get(format!("/ghi-nhan/danh-gia/{}", t.rating))),
        ),
        (
            M::POST,
            "/ghi-nhan/danh-gia",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/danh-gia",
                    t,
                    &[
                        ("service", "reception"),
                        ("level", "satisfied"),
                        ("rated_on", "20/03/2025"),
                        ("comment", "ghi vào đơn vị khác"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/danh-gia/{id}/sua",
            read(|t| get(format!("/ghi-nhan/danh-gia/{}/sua", t.rating))),
        ),
        (
            M::POST,
            "/ghi-nhan/danh-gia/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/danh-gia/{}/sua", t.rating),
                    t,
                    &[
                        ("service", "reception"),
                        ("level", "very_satisfied"),
                        ("rated_on", "20/03/2025"),
                        ("comment", "sửa"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/danh-gia/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/danh-gia/{}/xoa", t.rating), vec![])),
        ),
        (
            M::GET,
            "/ghi-nhan/lay-y-kien",
            read(|t| get(format!("/ghi-nhan/lay-y-kien?don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/lay-y-kien".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/lay-y-kien/moi",
            open(|_| get("/ghi-nhan/lay-y-kien/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/lay-y-kien/{id}",
            read(|t| get(format!("/ghi-nhan/lay-y-kien/{}", t.consultation))),
        ),
        (
            M::POST,
            "/ghi-nhan/lay-y-kien",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/lay-y-kien",
                    t,
                    &[
                        ("subject", "plan"),
                        ("title", "ghi vào đơn vị khác"),
                        ("question", "Có đồng ý?"),
                        ("opens_on", "20/03/2025"),
                        ("closes_on", "20/04/2025"),
                        ("forms_issued", "0"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/lay-y-kien/{id}/sua",
            read(|t| get(format!("/ghi-nhan/lay-y-kien/{}/sua", t.consultation))),
        ),
        (
            M::POST,
            "/ghi-nhan/lay-y-kien/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/lay-y-kien/{}/sua", t.consultation),
                    t,
                    &[
                        ("subject", "plan"),
                        ("title", "sửa"),
                        ("question", "Có đồng ý?"),
                        ("opens_on", "20/03/2025"),
                        ("closes_on", "20/04/2025"),
                        ("forms_issued", "0"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/lay-y-kien/{id}/xoa",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/lay-y-kien/{}/xoa", t.consultation),
                    vec![],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/lay-y-kien/{id}/phieu",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/lay-y-kien/{}/phieu", t.consultation),
                    vec![("ngay", "20/03/2025".into()), ("agree", "3".into())],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/lay-y-kien/{id}/tong-hop",
            foreign(|t| {
                form(
                    format!("/ghi-nhan/lay-y-kien/{}/tong-hop", t.consultation),
                    vec![("tong_hop", "tổng hợp ghi vào đơn vị khác".into())],
                )
            }),
        ),
        (
            M::GET,
            "/vu-viec",
            read(|t| get(format!("/vu-viec?don_vi={}", t.unit)))
                .and_open(|_| get("/vu-viec".into())),
        ),
        (M::GET, "/vu-viec/moi", open(|_| get("/vu-viec/moi".into()))),
        (
            M::GET,
            "/vu-viec/{id}",
            read(|t| get(format!("/vu-viec/{}", t.case))),
        ),
        (
            M::POST,
            "/vu-viec",
            foreign(|t| {
                record_form(
                    "/vu-viec",
                    t,
                    &[
                        ("opened_on", "20/03/2025"),
                        ("title", "ghi vào đơn vị khác"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/vu-viec/{id}/sua",
            read(|t| get(format!("/vu-viec/{}/sua", t.case))),
        ),
        (
            M::POST,
            "/vu-viec/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/vu-viec/{}/sua", t.case),
                    t,
                    &[("opened_on", "20/03/2025"), ("title", "sửa")],
                )
            }),
        ),
        (
            M::POST,
            "/vu-viec/{id}/xoa",
            foreign(|t| form(format!("/vu-viec/{}/xoa", t.case), vec![])),
        ),
        (
            M::GET,
            "/ghi-nhan/van-ban",
            read(|t| get(format!("/ghi-nhan/van-ban?q=dan+van&don_vi={}", t.unit)))
                .and_open(|_| get("/ghi-nhan/van-ban?q=dan+van".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/van-ban/moi",
            open(|_| get("/ghi-nhan/van-ban/moi".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/van-ban/{id}",
            read(|t| get(format!("/ghi-nhan/van-ban/{}", t.directive))),
        ),
        (
            M::POST,
            "/ghi-nhan/van-ban",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/van-ban",
                    t,
                    &[
                        ("number", "98/KH-UBND"),
                        ("issued_on", "20/03/2025"),
                        ("title", "ghi vào đơn vị khác"),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/so-lieu",
            read(|t| get(format!("/ghi-nhan/so-lieu?bo={SET}&don_vi={}", t.unit)))
                .and_open(|_| get(format!("/ghi-nhan/so-lieu?bo={SET}"))),
        ),
        (
            M::GET,
            "/ghi-nhan/so-lieu/moi",
            read(|t| {
                get(format!(
                    "/ghi-nhan/so-lieu/moi?bo={SET}&don_vi={}&ky=2025-H1",
                    t.unit
                ))
            })
            .and_open(|_| get(format!("/ghi-nhan/so-lieu/moi?bo={SET}"))),
        ),
        (
            M::GET,
            "/ghi-nhan/so-lieu/{set}/{unit}/{period}",
            read(|t| get(format!("/ghi-nhan/so-lieu/{SET}/{}/2025-H1", t.unit))),
        ),
        (
            M::POST,
            "/ghi-nhan/so-lieu",
            foreign(|t| {
                record_form(
                    "/ghi-nhan/so-lieu",
                    t,
                    &[("bo", SET), ("period", "2025-H1"), ("v.walk_so_cuoc", "5")],
                )
            }),
        ),
        // Element and set definitions: national, readable by everyone,
        // changed only by a national administrator.
        (
            M::GET,
            "/ghi-nhan/chi-tieu",
            open(|_| get("/ghi-nhan/chi-tieu".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/chi-tieu/moi",
            open(|_| get("/ghi-nhan/chi-tieu/moi?ma=walk_so_cuoc".into())),
        ),
        (
            M::POST,
            "/ghi-nhan/chi-tieu",
            national(|_| {
                form(
                    "/ghi-nhan/chi-tieu".into(),
                    vec![
                        ("code", "walk_rieng".into()),
                        ("label", "Chỉ tiêu thử".into()),
                        ("value_type", "integer".into()),
                        ("scale", "0".into()),
                        ("aggregation", "sum".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/ghi-nhan/bo-chi-tieu",
            open(|_| get("/ghi-nhan/bo-chi-tieu".into())),
        ),
        (
            M::GET,
            "/ghi-nhan/bo-chi-tieu/moi",
            open(|_| get("/ghi-nhan/bo-chi-tieu/moi".into())),
        ),
        (
            M::POST,
            "/ghi-nhan/bo-chi-tieu",
            national(|_| {
                form(
                    "/ghi-nhan/bo-chi-tieu".into(),
                    vec![
                        ("code", "walk_rieng".into()),
                        ("name", "Bộ thử".into()),
                        ("period_type", "half".into()),
                        ("elements", "walk_so_cuoc".into()),
                    ],
                )
            }),
        ),
        // Imports: a job is its starter's only (job 1 is the sibling
        // official's); an upload runs with the officer's store, so a file
        // of another unit is refused on the job's page, not here.
        (M::GET, "/nhap-tep", open(|_| get("/nhap-tep".into()))),
        (
            M::GET,
            "/nhap-tep/{job}",
            foreign(|_| get("/nhap-tep/1".into())),
        ),
        (
            M::POST,
            "/nhap-tep",
            open(|t| {
                upload(
                    "/nhap-tep".into(),
                    vec![("loai", "receptions".into())],
                    "tiep-dan.csv",
                    reception_file(&t.code),
                )
            }),
        ),
        // Checking a report: a checked upload is its uploader's only (1 is
        // the sibling official's).
        (M::GET, "/kiem-tra", open(|_| get("/kiem-tra".into()))),
        (
            M::POST,
            "/kiem-tra",
            open(|_| {
                upload(
                    "/kiem-tra".into(),
                    vec![],
                    "bao-cao.txt",
                    "Hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%).".into(),
                )
            }),
        ),
        (
            M::GET,
            "/kiem-tra/{id}",
            foreign(|_| get("/kiem-tra/1".into())),
        ),
        (
            M::GET,
            "/kiem-tra/{id}/json",
            foreign(|_| get("/kiem-tra/1/json".into())),
        ),
        // Reports: the builder, its draft and its file, for a unit.
        (
            M::GET,
            "/bao-cao",
            read(|t| get(format!("/bao-cao?don_vi={}&ky=2025", t.unit)))
                .and_open(|_| get("/bao-cao".into())),
        ),
        (
            M::POST,
            "/bao-cao",
            foreign(|t| {
                form(
                    format!("/bao-cao?don_vi={}&ky=2025", t.unit),
                    vec![("uu_diem", "nhận định ghi vào đơn vị khác".into())],
                )
            }),
        ),
        (
            M::GET,
            "/bao-cao/tai",
            read(|t| {
                get(format!(
                    "/bao-cao/tai?don_vi={}&ky=2025&dinh_dang=txt",
                    t.unit
                ))
            }),
        ),
        // Petitions.
        (
            M::POST,
            "/api/petitions",
            foreign(|t| json_call(Method::POST, "/api/petitions".into(), petition_json(t))),
        ),
        (
            M::GET,
            "/api/petitions",
            read(|t| get(format!("/api/petitions?unit={}", t.unit)))
                .and_open(|_| get("/api/petitions".into())),
        ),
        (
            M::GET,
            "/api/petitions/due",
            read(|t| {
                get(format!(
                    "/api/petitions/due?unit={}&today=2025-03-30&within=60",
                    t.unit
                ))
            }),
        ),
        (
            M::GET,
            "/api/petitions/{id}",
            read(|t| get(format!("/api/petitions/{}", t.petition))),
        ),
        (
            M::PUT,
            "/api/petitions/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/petitions/{}", t.petition),
                    petition_json(t),
                )
            }),
        ),
        (
            M::GET,
            "/api/petitions/{id}/assignments",
            read(|t| get(format!("/api/petitions/{}/assignments", t.petition))),
        ),
        (
            M::POST,
            "/api/petitions/{id}/assignments",
            foreign(|t| {
                json_call(
                    Method::POST,
                    format!("/api/petitions/{}/assignments", t.petition),
                    json!({ "official_id": 1 }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/petitions/{id}/assignments/{official}",
            foreign(|t| delete(format!("/api/petitions/{}/assignments/1", t.petition))),
        ),
        (
            M::POST,
            "/api/petitions/{id}/transition",
            foreign(|t| {
                json_call(
                    Method::POST,
                    format!("/api/petitions/{}/transition", t.petition),
                    json!({ "event": "classify", "on": "2025-03-10", "eligibility": { "kind": "eligible" } }),
                )
            }),
        ),
        // Mediation.
        (
            M::POST,
            "/api/mediation",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/mediation".into(),
                    json!({ "unit_id": t.unit, "team": "Tổ 1", "received_on": "2025-03-21",
                            "field": "land", "result": "success", "summary": "ghi vào đơn vị khác" }),
                )
            }),
        ),
        (
            M::GET,
            "/api/mediation/{id}",
            read(|t| get(format!("/api/mediation/{}", t.mediation))),
        ),
        (
            M::PUT,
            "/api/mediation/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/mediation/{}", t.mediation),
                    json!({ "unit_id": t.unit, "team": "Tổ 1", "received_on": "2025-03-21",
                            "field": "land", "result": "success", "summary": "sửa" }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/mediation/{id}",
            foreign(|t| delete(format!("/api/mediation/{}", t.mediation))),
        ),
        // Meetings.
        (
            M::POST,
            "/api/meetings",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/meetings".into(),
                    json!({ "unit_id": t.unit, "kind": "dialogue", "held_on": "2025-03-22",
                            "chair": "Chủ tịch", "deputies": "", "participants": 10,
                            "subject": "ghi vào đơn vị khác", "opinions": [] }),
                )
            }),
        ),
        (
            M::GET,
            "/api/meetings/{id}",
            read(|t| get(format!("/api/meetings/{}", t.meeting))),
        ),
        (
            M::DELETE,
            "/api/meetings/{id}",
            foreign(|t| delete(format!("/api/meetings/{}", t.meeting))),
        ),
        (
            M::PUT,
            "/api/meetings/{id}/opinions/{n}/follow-up",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/meetings/{}/opinions/1/follow-up", t.meeting),
                    json!({ "follow_up": "answered_at_meeting" }),
                )
            }),
        ),
        // Models.
        (
            M::POST,
            "/api/models",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/models".into(),
                    json!({ "model": { "unit_id": t.unit, "name": "ghi vào đơn vị khác",
                                       "level": "grassroots", "field": "economy" },
                            "years": [model_year()] }),
                )
            }),
        ),
        (
            M::GET,
            "/api/models/{id}",
            read(|t| get(format!("/api/models/{}", t.model))),
        ),
        (
            M::PUT,
            "/api/models/{id}/years",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/models/{}/years", t.model),
                    json!(model_year()),
                )
            }),
        ),
        // Data sets: elements and sets are national definitions without a
        // unit (refused to a commune's officer); values belong to a unit.
        (
            M::POST,
            "/api/data-elements",
            national(|_| {
                json_call(
                    Method::POST,
                    "/api/data-elements".into(),
                    json!({ "code": "walk_rieng", "label": "Chỉ tiêu thử", "measure": "cuộc",
                            "value_type": "integer", "scale": 0, "aggregation": "sum", "options": [] }),
                )
            }),
        ),
        (
            M::POST,
            "/api/data-sets",
            national(|_| {
                json_call(
                    Method::POST,
                    "/api/data-sets".into(),
                    json!({ "code": "walk_rieng", "name": "Bộ thử", "period_type": "half",
                            "elements": ["walk_rieng"] }),
                )
            }),
        ),
        (
            M::GET,
            "/api/data-sets/{code}",
            open(|_| get(format!("/api/data-sets/{SET}"))),
        ),
        (
            M::POST,
            "/api/data-sets/{code}/values",
            foreign(|t| {
                json_call(
                    Method::POST,
                    format!("/api/data-sets/{SET}/values"),
                    json!([value(t.unit, 99)]),
                )
            }),
        ),
        (
            M::GET,
            "/api/data-values",
            read(|t| {
                get(format!(
                    "/api/data-values?unit={}&element={ELEMENT}&period=2025-H1",
                    t.unit
                ))
            }),
        ),
        // Oversight and directives.
        (
            M::POST,
            "/api/oversight",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/oversight".into(),
                    json!({ "unit_id": t.unit, "organisation": "front", "kind": "supervision",
                            "held_on": "2025-03-23", "subject": "ghi vào đơn vị khác",
                            "targets": "UBND", "recommendations": 1 }),
                )
            }),
        ),
        (
            M::GET,
            "/api/oversight/{id}",
            read(|t| get(format!("/api/oversight/{}", t.oversight))),
        ),
        (
            M::PUT,
            "/api/oversight/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/oversight/{}", t.oversight),
                    json!({ "unit_id": t.unit, "organisation": "front", "kind": "supervision",
                            "held_on": "2025-03-23", "subject": "sửa",
                            "targets": "UBND", "recommendations": 1 }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/oversight/{id}",
            foreign(|t| delete(format!("/api/oversight/{}", t.oversight))),
        ),
        (
            M::POST,
            "/api/ratings",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/ratings".into(),
                    json!({ "unit_id": t.unit, "service": "reception", "level": "satisfied",
                            "rated_on": "2025-03-23", "subject": "", "comment": "ghi vào đơn vị khác" }),
                )
            }),
        ),
        (
            M::GET,
            "/api/ratings/{id}",
            read(|t| get(format!("/api/ratings/{}", t.rating))),
        ),
        (
            M::PUT,
            "/api/ratings/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/ratings/{}", t.rating),
                    json!({ "unit_id": t.unit, "service": "reception", "level": "satisfied",
                            "rated_on": "2025-03-23", "subject": "", "comment": "sửa" }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/ratings/{id}",
            foreign(|t| delete(format!("/api/ratings/{}", t.rating))),
        ),
        (
            M::POST,
            "/api/consultations",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/consultations".into(),
                    json!({ "unit_id": t.unit, "subject": "plan", "title": "ghi vào đơn vị khác",
                            "summary": "", "documents": "", "question": "Có đồng ý?",
                            "opens_on": "2025-03-23", "closes_on": "2025-04-23", "forms_issued": 0 }),
                )
            }),
        ),
        (
            M::GET,
            "/api/consultations/{id}",
            read(|t| get(format!("/api/consultations/{}", t.consultation))),
        ),
        (
            M::PUT,
            "/api/consultations/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/consultations/{}", t.consultation),
                    json!({ "unit_id": t.unit, "subject": "plan", "title": "sửa",
                            "summary": "", "documents": "", "question": "Có đồng ý?",
                            "opens_on": "2025-03-23", "closes_on": "2025-04-23", "forms_issued": 0 }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/consultations/{id}",
            foreign(|t| delete(format!("/api/consultations/{}", t.consultation))),
        ),
        (
            M::POST,
            "/api/directives",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/directives".into(),
                    json!({ "unit_id": t.unit, "number": "99/KH-UBND", "issued_on": "2025-03-24",
                            "issuer": "UBND", "title": "ghi vào đơn vị khác" }),
                )
            }),
        ),
        (
            M::GET,
            "/api/directives",
            read(|t| get(format!("/api/directives?q=dan%20van&within={}", t.unit)))
                .and_open(|t| get(format!("/api/directives?q=dan%20van&within={}", t.unit))),
        ),
        (
            M::GET,
            "/ghi-nhan/van-ban/{id}/sua",
            read(|t| get(format!("/ghi-nhan/van-ban/{}/sua", t.directive))),
        ),
        (
            M::POST,
            "/ghi-nhan/van-ban/{id}/sua",
            foreign(|t| {
                record_form(
                    &format!("/ghi-nhan/van-ban/{}/sua", t.directive),
                    t,
                    &[
                        ("number", "97/KH-UBND"),
                        ("issued_on", "20/03/2025"),
                        ("title", "sửa"),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/ghi-nhan/van-ban/{id}/xoa",
            foreign(|t| form(format!("/ghi-nhan/van-ban/{}/xoa", t.directive), vec![])),
        ),
        // Cases (vụ việc).
        (
            M::POST,
            "/api/cases",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/api/cases".into(),
                    json!({ "unit_id": t.unit, "opened_on": "2025-03-21", "title": "ghi vào đơn vị khác",
                            "crowd": true }),
                )
            }),
        ),
        (
            M::GET,
            "/api/cases/{id}",
            read(|t| get(format!("/api/cases/{}", t.case))),
        ),
        (
            M::PUT,
            "/api/cases/{id}",
            foreign(|t| {
                json_call(
                    Method::PUT,
                    format!("/api/cases/{}", t.case),
                    json!({ "unit_id": t.unit, "opened_on": "2025-03-21", "title": "sửa" }),
                )
            }),
        ),
        (
            M::DELETE,
            "/api/cases/{id}",
            foreign(|t| delete(format!("/api/cases/{}", t.case))),
        ),
        // Yearly scoring: rounds, a unit's assessment, the ranked files.
        (M::GET, "/danh-gia", open(|_| get("/danh-gia".into()))),
        (
            M::POST,
            "/danh-gia",
            foreign(|t| {
                form(
                    "/danh-gia".into(),
                    vec![
                        ("don_vi", t.unit.to_string()),
                        ("nam", "2023".into()),
                        ("bang", "nd335".into()),
                        ("cham_thu", "1".into()),
                        ("doi_tuong", "communes".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/danh-gia/{id}",
            read(|t| get(format!("/danh-gia/{}", t.round))),
        ),
        (
            M::GET,
            "/danh-gia/{id}/xlsx",
            read(|t| get(format!("/danh-gia/{}/xlsx", t.round))),
        ),
        (
            M::GET,
            "/danh-gia/{id}/docx",
            read(|t| get(format!("/danh-gia/{}/docx", t.round))),
        ),
        (
            M::POST,
            "/danh-gia/{id}/tu-danh-gia",
            foreign(|t| {
                form(
                    format!("/danh-gia/{}/tu-danh-gia", t.round),
                    vec![("don_vi", t.unit.to_string())],
                )
            }),
        ),
        (
            M::GET,
            "/danh-gia/bai/{id}",
            read(|t| get(format!("/danh-gia/bai/{}", t.assessment))),
        ),
        (
            M::POST,
            "/danh-gia/bai/{id}/luu",
            foreign(|t| {
                form(
                    format!("/danh-gia/bai/{}/luu", t.assessment),
                    vec![("diem_I.2", "10".into())],
                )
            }),
        ),
        (
            M::POST,
            "/danh-gia/bai/{id}/dieu-chinh",
            foreign(|t| {
                form(
                    format!("/danh-gia/bai/{}/dieu-chinh", t.assessment),
                    vec![
                        ("tieu_chi", "I.2".into()),
                        ("diem", "1".into()),
                        ("ly_do", "Điều chỉnh để thử".into()),
                    ],
                )
            }),
        ),
        (
            M::POST,
            "/danh-gia/bai/{id}/duyet",
            foreign(|t| form(format!("/danh-gia/bai/{}/duyet", t.assessment), vec![])),
        ),
        (
            M::POST,
            "/danh-gia/bai/{id}/cham-lai",
            foreign(|t| {
                form(
                    format!("/danh-gia/bai/{}/cham-lai", t.assessment),
                    vec![("ly_do", "Chấm lại để thử".into())],
                )
            }),
        ),
        (
            M::GET,
            "/api/scores",
            read(|t| get(format!("/api/scores?unit={}&year={}", t.code, t.year))),
        ),
        (
            M::GET,
            "/api/figures",
            read(|t| get(format!("/api/figures?unit={}&period=2025", t.code))),
        ),
        // The reporting chain: requests asked of a unit and its answers.
        (
            M::GET,
            "/bao-cao/yeu-cau",
            read(|t| get(format!("/bao-cao/yeu-cau?don_vi={}", t.unit)))
                .and_open(|_| get("/bao-cao/yeu-cau".into())),
        ),
        (
            M::POST,
            "/bao-cao/yeu-cau",
            foreign(|t| {
                form(
                    "/bao-cao/yeu-cau".into(),
                    vec![
                        ("don_vi", t.unit.to_string()),
                        ("mau", "bao-cao-6-thang".into()),
                        ("ky", "2025-Q1".into()),
                        ("han", "10/04/2025".into()),
                        ("van_ban", "1/CV".into()),
                        ("doi_tuong", "communes".into()),
                    ],
                )
            }),
        ),
        (
            M::GET,
            "/bao-cao/yeu-cau/{id}",
            read(|t| get(format!("/bao-cao/yeu-cau/{}", t.request))),
        ),
        (
            M::POST,
            "/bao-cao/yeu-cau/{id}/soan",
            foreign(|t| {
                form(
                    format!("/bao-cao/yeu-cau/{}/soan", t.request),
                    vec![("don_vi", t.unit.to_string())],
                )
            }),
        ),
        (
            M::GET,
            "/bao-cao/gui/{id}",
            read(|t| get(format!("/bao-cao/gui/{}", t.submission))),
        ),
        (
            M::POST,
            "/bao-cao/gui/{id}/gui",
            foreign(|t| {
                form(
                    format!("/bao-cao/gui/{}/gui", t.submission),
                    vec![("so", "1/BC".into())],
                )
            }),
        ),
        (
            M::POST,
            "/bao-cao/gui/{id}/duyet",
            foreign(|t| form(format!("/bao-cao/gui/{}/duyet", t.submission), vec![])),
        ),
        (
            M::POST,
            "/bao-cao/gui/{id}/tra-lai",
            foreign(|t| {
                form(
                    format!("/bao-cao/gui/{}/tra-lai", t.submission),
                    vec![("ly_do", "Trả lại để thử".into())],
                )
            }),
        ),
        (
            M::POST,
            "/bao-cao/gui/{id}/huy-duyet",
            foreign(|t| {
                form(
                    format!("/bao-cao/gui/{}/huy-duyet", t.submission),
                    vec![("ly_do", "Huỷ duyệt để thử".into())],
                )
            }),
        ),
        (
            M::GET,
            "/bao-cao/gui/{id}/docx",
            read(|t| get(format!("/bao-cao/gui/{}/docx", t.submission))),
        ),
        (
            M::GET,
            "/bao-cao/gui/{id}/pdf",
            read(|t| get(format!("/bao-cao/gui/{}/pdf", t.submission))),
        ),
        (
            M::POST,
            "/api/requests",
            foreign(|t| {
                json_call(
                    M::POST,
                    "/api/requests".into(),
                    json!({"unit": t.unit, "template": "bao-cao-6-thang", "period": "2025-Q1",
                           "due_on": "2025-04-10", "document": "1/CV", "target": "communes"}),
                )
            }),
        ),
        (
            M::GET,
            "/api/requests/{id}",
            read(|t| get(format!("/api/requests/{}", t.request))),
        ),
        (
            M::GET,
            "/api/requests/{id}/completeness",
            read(|t| get(format!("/api/requests/{}/completeness", t.request))),
        ),
        (
            M::POST,
            "/api/submissions",
            foreign(|t| {
                json_call(
                    M::POST,
                    "/api/submissions".into(),
                    json!({"request": t.request, "unit": t.unit}),
                )
            }),
        ),
        (
            M::GET,
            "/api/submissions/{id}",
            read(|t| get(format!("/api/submissions/{}", t.submission))),
        ),
        (
            M::POST,
            "/api/submissions/{id}/submit",
            foreign(|t| {
                json_call(
                    M::POST,
                    format!("/api/submissions/{}/submit", t.submission),
                    json!({"number": "1/BC"}),
                )
            }),
        ),
        (
            M::POST,
            "/api/submissions/{id}/accept",
            foreign(|t| {
                json_call(
                    M::POST,
                    format!("/api/submissions/{}/accept", t.submission),
                    json!({}),
                )
            }),
        ),
        (
            M::POST,
            "/api/submissions/{id}/return",
            foreign(|t| {
                json_call(
                    M::POST,
                    format!("/api/submissions/{}/return", t.submission),
                    json!({"reason": "Trả lại để thử"}),
                )
            }),
        ),
        (
            M::POST,
            "/api/submissions/{id}/unaccept",
            foreign(|t| {
                json_call(
                    M::POST,
                    format!("/api/submissions/{}/unaccept", t.submission),
                    json!({"reason": "Huỷ duyệt để thử"}),
                )
            }),
        ),
        (
            M::GET,
            "/api/submissions/{id}/docx",
            read(|t| get(format!("/api/submissions/{}/docx", t.submission))),
        ),
        (
            M::GET,
            "/api/submissions/{id}/pdf",
            read(|t| get(format!("/api/submissions/{}/pdf", t.submission))),
        ),
        // The DHIS2 API: units, values and figures by the unit's code
        // (DHIS2 ids are accepted too).
        (
            M::GET,
            "/dhis2/api/system/info",
            open(|_| get("/dhis2/api/system/info".into())),
        ),
        (
            M::GET,
            "/dhis2/api/me",
            open(|_| get("/dhis2/api/me".into())),
        ),
        (
            M::GET,
            "/dhis2/api/organisationUnits",
            open(|_| {
                get("/dhis2/api/organisationUnits?paging=false&fields=id,name,path,parent[id,name],children[id,name]".into())
            }),
        ),
        (
            M::GET,
            "/dhis2/api/organisationUnits/{id}",
            read(|t| get(format!("/dhis2/api/organisationUnits/{}?fields=*", t.code))),
        ),
        (
            M::GET,
            "/dhis2/api/organisationUnitLevels",
            open(|_| get("/dhis2/api/organisationUnitLevels".into())),
        ),
        (
            M::GET,
            "/dhis2/api/dataElements",
            open(|_| get("/dhis2/api/dataElements?paging=false&fields=*".into())),
        ),
        (
            M::GET,
            "/dhis2/api/dataElements/{id}",
            open(|_| get(format!("/dhis2/api/dataElements/{ELEMENT}"))),
        ),
        (
            M::GET,
            "/dhis2/api/dataSets",
            open(|_| get("/dhis2/api/dataSets?fields=id,name,organisationUnits[id,name]".into())),
        ),
        (
            M::GET,
            "/dhis2/api/dataSets/{id}",
            open(|_| get(format!("/dhis2/api/dataSets/{SET}?fields=*"))),
        ),
        (
            M::GET,
            "/dhis2/api/dataValueSets",
            read(|t| {
                get(format!(
                    "/dhis2/api/dataValueSets?dataSet={SET}&period=2025S1&orgUnit={}&children=true",
                    t.code
                ))
            }),
        ),
        (
            M::POST,
            "/dhis2/api/dataValueSets",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/dhis2/api/dataValueSets".into(),
                    json!({ "dataSet": SET, "period": "2025S1", "orgUnit": t.code,
                            "dataValues": [{ "dataElement": ELEMENT, "value": "3" }] }),
                )
            })
            .and_open(|t| {
                json_call(
                    Method::POST,
                    "/dhis2/api/dataValueSets".into(),
                    json!({ "dataSet": SET, "period": "2025S1", "orgUnit": t.code,
                            "dataValues": [{ "dataElement": ELEMENT, "value": "8" }] }),
                )
            }),
        ),
        (
            M::GET,
            "/dhis2/api/dataValues",
            read(|t| {
                get(format!(
                    "/dhis2/api/dataValues?de={ELEMENT}&pe=2025S1&ou={}",
                    t.code
                ))
            }),
        ),
        (
            M::POST,
            "/dhis2/api/dataValues",
            foreign(|t| {
                json_call(
                    Method::POST,
                    "/dhis2/api/dataValues".into(),
                    json!({ "dataElement": ELEMENT, "period": "2025S1", "orgUnit": t.code, "value": "5" }),
                )
            }),
        ),
        (
            M::GET,
            "/dhis2/api/analytics",
            read(|t| {
                get(format!(
                    "/dhis2/api/analytics?dimension=dx:{ELEMENT}&dimension=pe:2025S1&dimension=ou:{}",
                    t.code
                ))
            }),
        ),
    ]
}

/// The data set and element every target enters a value into.
async fn define_data(store: &Store) {
    datasets::define_element(
        store,
        &DataElement {
            code: ELEMENT.into(),
            label: "Số cuộc".into(),
            measure: "cuộc".into(),
            value_type: danvan_core::records::dataset::ValueType::Integer,
            scale: 0,
            aggregation: danvan_core::records::dataset::Aggregation::Sum,
            options: vec![],
        },
    )
    .await
    .unwrap();
    datasets::define_set(
        store,
        &DataSet {
            code: SET.into(),
            name: "Số liệu thử".into(),
            period_type: danvan_core::records::dataset::PeriodType::Half,
            elements: vec![ELEMENT.into()],
        },
    )
    .await
    .unwrap();
}

/// An online tố cáo at xã Đam Rông 4 (the commune that answers for xã Đạ
/// Tông today): its tracking page, «Hỏi – đáp» and every route of the walk
/// — called with its petition and unit, as the commune's officer who is
/// not assigned to it, as a stranger without a session, and as the walk's
/// officer — show no part of its sender; its assigned handler sees it.
#[tokio::test]
async fn no_route_shows_an_online_denouncer_but_to_the_assigned_handler() {
    let mut env = Env::new("route_walk_denouncer").await;
    walk_app(&mut env);
    let store = &env.store;
    define_data(store).await;
    let own = target(store, "xã Đạ Tông", "24853", "MOC-DATONG", 2025).await;
    let commune = units::find(store, "24853-2025", None).await.unwrap().id;
    let (name, address, phone) = ("Phạm Thị Kínđáo", "tổ 7, ấp Bímật", "0976 543 210");
    let receipt = portal::submit(
        &store.acting_as(portal::citizen()),
        &portal::Submission {
            unit_id: commune,
            kind: danvan_core::portal::PortalKind::Denunciation,
            field: PetitionField::Land,
            content: format!("Tôi, {name}, tố cáo việc lấn chiếm đất công ở {address}"),
            sender: Sender {
                name: name.into(),
                address: address.into(),
                phone: phone.into(),
            },
            consent: true,
            files: vec![],
        },
    )
    .await
    .unwrap();
    let officer = env.user("truong.dr4", Role::Officer, Some(commune)).await;
    let handler = env.user("xuly.dr4", Role::Handler, Some(commune)).await;
    env.user("canbo.datong", Role::Officer, Some(own.unit))
        .await;
    // Answered publicly, the name written into the question.
    let as_officer = store.acting_as(officer.actor());
    let as_officer = as_officer.within(commune).await.unwrap();
    portal::answer(
        &as_officer,
        receipt.petition_id,
        &portal::Answer {
            question: format!("Bà {name} ({phone}) hỏi về việc lấn chiếm đất công"),
            body: format!("Xã đã thụ lý tố cáo của bà {name} và đang xác minh."),
            public: true,
            answered_on: store.today(),
        },
    )
    .await
    .unwrap();
    petitions::assign(&as_officer, receipt.petition_id, handler.id)
        .await
        .unwrap();
    // The control: the assigned handler reads the sender.
    let theirs = env.login("xuly.dr4").await;
    let page = env
        .get_in(&theirs, &format!("/don-thu/{}", receipt.petition_id))
        .await
        .text();
    assert!(page.contains(name) && page.contains(phone), "{page}");

    let secret = Target {
        label: "tố cáo trực tuyến",
        unit: commune,
        code: "24853-2025".into(),
        marker: "MOC-DR4",
        petition: receipt.petition_id,
        portal_code: receipt.code.clone(),
        open311_id: receipt.request_id.clone(),
        ..own
    };
    let strangers = [
        ("truong.dr4", Some(officer)),
        ("canbo.datong", None),
        ("", None),
    ];
    let mut leaks = Vec::new();
    for (username, user) in strangers {
        let anonymous = username.is_empty();
        let (token, session, spare) = if anonymous {
            let none = || Session {
                cookie: "khong-co-phien".into(),
                csrf: String::new(),
            };
            ("khong-co-khoa".to_string(), none(), none())
        } else {
            let u = match user {
                Some(u) => u,
                None => danvan_store::accounts::list(store)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|u| u.username == username)
                    .unwrap(),
            };
            (
                env.token_for(&u).await,
                env.login(username).await,
                env.login(username).await,
            )
        };
        let w = Walker {
            env: &env,
            token,
            session,
            spare,
            failures: Vec::new(),
        };
        let who = if anonymous { "a stranger" } else { username };
        for (method, path, how) in walk_map() {
            // Deletions would take the petition away from the later calls.
            if path.ends_with("/xoa") || method == Method::DELETE {
                continue;
            }
            for f in [how.foreign, how.open].into_iter().flatten() {
                let call = f(&secret);
                let r = w.send(&call).await;
                let text = r.text();
                for s in [name, address, phone] {
                    if text.contains(s) {
                        leaks.push(format!(
                            "{method} {path} shows «{s}» to {who}: {} {}",
                            call.method, call.uri
                        ));
                    }
                }
            }
        }
    }
    env.close().await;
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

/// Whether `uri`'s path fits the route pattern `path`.
fn fits(path: &str, uri: &str) -> bool {
    let uri = uri.split('?').next().unwrap_or_default();
    let (a, b): (Vec<&str>, Vec<&str>) = (path.split('/').collect(), uri.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(p, u)| p == u || (p.starts_with('{') && p.ends_with('}') && !u.is_empty()))
}

struct Walker<'a> {
    env: &'a Env,
    token: String,
    session: Session,
    spare: Session,
    failures: Vec<String>,
}

impl Walker<'_> {
    async fn send(&self, call: &Call) -> Reply {
        let api = call.uri.starts_with("/api/") || call.uri.starts_with("/dhis2/");
        let session = if call.spare_session {
            &self.spare
        } else {
            &self.session
        };
        // An upload carries its CSRF token in the query string.
        let uri = match &call.body {
            Some(Payload::Upload(..)) if !api => {
                let sep = if call.uri.contains('?') { '&' } else { '?' };
                format!("{}{sep}_csrf={}", call.uri, session.csrf)
            }
            _ => call.uri.clone(),
        };
        let mut req = Request::builder().method(call.method.clone()).uri(uri);
        if api {
            req = req.header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        } else {
            req = req.header(header::COOKIE, format!("danvan_phien={}", session.cookie));
        }
        let body = match &call.body {
            None if call.method == Method::GET || call.method == Method::DELETE => Body::empty(),
            None | Some(Payload::Form(_)) => {
                let mut fields: Vec<(&str, String)> = match &call.body {
                    Some(Payload::Form(f)) => f.clone(),
                    _ => Vec::new(),
                };
                if !api {
                    fields.push(("_csrf", session.csrf.clone()));
                }
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(serde_urlencoded::to_string(&fields).unwrap())
            }
            Some(Payload::Upload(fields, file, content)) => {
                req = req.header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                );
                Body::from(multipart(fields, file, content))
            }
            Some(Payload::Json(v)) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                if !api {
                    req = req.header("x-csrf-token", &session.csrf);
                }
                Body::from(v.to_string())
            }
        };
        self.env.send(req.body(body).unwrap()).await
    }

    fn fail(&mut self, route: &str, what: &str, call: &Call, r: &Reply) {
        // A JSON answer is quoted; a page is named by its status only.
        let text = r.text();
        let excerpt: String = if text.starts_with('{') {
            text.chars().take(100).collect()
        } else {
            String::new()
        };
        self.failures.push(format!(
            "{route} — {what}: {} {} → {}: {excerpt}",
            call.method, call.uri, r.status
        ));
    }

    /// The answer must show no record of the other units.
    fn clean(&mut self, route: &str, call: &Call, r: &Reply, others: &[&Target]) {
        let text = r.text();
        for t in others {
            if text.contains(t.marker) {
                self.fail(route, &format!("shows {}'s records", t.label), call, r);
            }
        }
        if text.contains("Đạ Long") {
            self.fail(route, "names the sibling commune", call, r);
        }
    }
}

#[tokio::test]
async fn officer_of_a_commune_reaches_nothing_of_its_sibling_or_district() {
    let mut env = Env::new("route_walk").await;
    walk_app(&mut env);
    let store = &env.store;
    define_data(store).await;
    let own = target(store, "xã Đạ Tông", "24853", "MOC-DATONG", 2025).await;
    let sibling = target(store, "xã Đạ Long", "24856", "MOC-DALONG", 2024).await;
    let district = target(store, "huyện Đam Rông", "674", "MOC-DAMRONG", 2025).await;
    let sibling_user = env
        .user("canbo.dalong", Role::Officer, Some(sibling.unit))
        .await;
    assert!(sibling_user.id > 0);
    let officer = env
        .user("canbo.datong", Role::Officer, Some(own.unit))
        .await;
    // The sibling official's import: job 1, which the walk must not reach.
    let theirs = env.login("canbo.dalong").await;
    let job = env
        .send(
            Request::post(format!("/nhap-tep?_csrf={}", theirs.csrf))
                .header(header::COOKIE, format!("danvan_phien={}", theirs.cookie))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(multipart(
                    &[("loai", "receptions".into())],
                    "tiep-dan.csv",
                    &reception_file(&sibling.code),
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(
        job.headers.get(header::LOCATION).unwrap(),
        "/nhap-tep/1",
        "{}",
        job.text()
    );
    // The sibling official's checked report: number 1, which the walk must
    // not reach.
    let checked = env
        .send(
            Request::post(format!("/kiem-tra?_csrf={}", theirs.csrf))
                .header(header::COOKIE, format!("danvan_phien={}", theirs.cookie))
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={BOUNDARY}"),
                )
                .body(Body::from(multipart(
                    &[],
                    "bao-cao.txt",
                    "MOC-DALONG: tiếp nhận 10 đơn, trong đó 4 đơn, 5 đơn.",
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(
        checked.headers.get(header::LOCATION).unwrap(),
        "/kiem-tra/1",
        "{}",
        checked.text()
    );
    let mut w = Walker {
        env: &env,
        token: env.token_for(&officer).await,
        session: env.login("canbo.datong").await,
        spare: env.login("canbo.datong").await,
        failures: Vec::new(),
    };

    // The map and the route table name the same routes.
    let table: BTreeSet<(String, String)> = danvan_web::routes()
        .table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let map = walk_map();
    let mapped: BTreeSet<(String, String)> = map
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(mapped.len(), map.len(), "a route is mapped twice");
    web::same_routes(
        &table,
        &mapped,
        "routes the walk does not cover",
        "mapped routes the router lacks",
    );
    for (method, path, how) in &map {
        assert!(
            how.foreign.is_some() || how.open.is_some(),
            "{method} {path} is mapped to nothing"
        );
        for f in [how.foreign, how.open].into_iter().flatten() {
            let c = f(&own);
            assert!(
                c.method == *method && fits(path, &c.uri),
                "{method} {path} is walked as {} {}",
                c.method,
                c.uri
            );
        }
    }

    // Reads first, then changes, deletions (a page's `…/xoa` too) last: a
    // change that wrongly succeeds must not hide a later check.
    let rank = |m: &Method, path: &str| match *m {
        _ if path.ends_with("/xoa") => 3,
        Method::GET => 0,
        Method::POST => 1,
        Method::PUT => 2,
        _ => 3,
    };
    let mut order: Vec<&(Method, &'static str, How)> = map.iter().collect();
    order.sort_by_key(|route| (rank(&route.0, route.1), route.1 == "/dang-xuat"));
    for (method, path, how) in order.iter().copied() {
        let route = format!("{method} {path}");
        if let Some(f) = how.open {
            let call = f(&own);
            let r = w.send(&call).await;
            let ok = if how.open_refused {
                r.status == StatusCode::FORBIDDEN
            } else {
                r.status.is_success() || r.status.is_redirection()
            };
            if !ok {
                w.fail(&route, "refused to its own unit", &call, &r);
            }
            w.clean(&route, &call, &r, &[&sibling, &district]);
        }
        if let Some(f) = how.foreign {
            for t in [&sibling, &district] {
                let call = f(t);
                let r = w.send(&call).await;
                if r.status != StatusCode::FORBIDDEN && r.status != StatusCode::NOT_FOUND {
                    w.fail(&route, &format!("reaches {}", t.label), &call, &r);
                } else {
                    // Even a refusal must not quote the record.
                    w.clean(&route, &call, &r, &[&sibling, &district]);
                }
            }
            if how.control {
                let call = f(&own);
                let r = w.send(&call).await;
                if r.status != StatusCode::OK {
                    w.fail(&route, "control on the own unit fails", &call, &r);
                }
            }
        }
    }
    // Refused changes left the foreign records as they were.
    let mut failures = std::mem::take(&mut w.failures);
    for t in [&sibling, &district] {
        if !reception::get(store, t.reception)
            .await
            .is_ok_and(|r| r.turns == 1)
        {
            failures.push(format!("the reception of {} was changed", t.label));
        }
        let anyone = petitions::Viewer { official_id: 0 };
        if !petitions::get(store, t.petition, anyone)
            .await
            .is_ok_and(|p| p.petition.summary.contains(t.marker))
        {
            failures.push(format!("the petition of {} was changed", t.label));
        }
        if !mediation::get(store, t.mediation)
            .await
            .is_ok_and(|c| c.team.contains(t.marker))
        {
            failures.push(format!("the mediation case of {} was changed", t.label));
        }
        if meetings::get(store, t.meeting).await.is_err() {
            failures.push(format!("the meeting of {} was deleted", t.label));
        }
    }
    env.close().await;
    assert!(
        failures.is_empty(),
        "{} unprotected call(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
