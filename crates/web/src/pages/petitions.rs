//! Đơn thư: list with filters and search, a form for a new petition, and
//! a petition's page with its lifecycle, its deadline, only the steps
//! allowed now, its correction and deletion (see `petition_edit`), and its
//! change history.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use danvan_core::calendar::deadline::Extension;
use danvan_core::records::petition::{
    Eligibility, Event, Handling, IneligibleReason, Instance, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionStatus, PetitionType, Sender,
};
use danvan_store::petitions::{self, Cursor, Filter, PageKey};
use danvan_store::{audit, units};
use minijinja::context;

use super::ser;
use serde::{Deserialize, Serialize};

use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

/// How many petitions a list page shows.
const PAGE: usize = 200;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    don_vi: Option<String>,
    trang_thai: Option<String>,
    loai: Option<String>,
    q: Option<String>,
    /// The page's number, from 1 (the newest petitions): shown, and kept
    /// in the links; where a page starts is the key below.
    trang: Option<String>,
    /// The page after the petition with this key (`PageKey::param`).
    sau: Option<String>,
    /// The page before the petition with this key.
    truoc: Option<String>,
}

impl ListQuery {
    /// The list's filters as a query string, for the page `number` that
    /// starts after (`sau`) or ends before (`truoc`) a key.
    /// The first page's when `key` is `None`.
    fn link(&self, number: usize, key: Option<(&str, &PageKey)>) -> String {
        let v = |s: &Option<String>| nonempty(s).unwrap_or("").to_string();
        let mut pairs = vec![
            ("don_vi", v(&self.don_vi)),
            ("trang_thai", v(&self.trang_thai)),
            ("loai", v(&self.loai)),
            ("q", v(&self.q)),
        ];
        if let Some((name, k)) = key {
            pairs.push(("trang", number.to_string()));
            pairs.push((name, k.param()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn cursor(&self) -> Cursor {
        let key = |s: &Option<String>| nonempty(s).and_then(PageKey::parse);
        match (key(&self.sau), key(&self.truoc)) {
            (Some(k), _) => Cursor::After(k),
            (None, Some(k)) => Cursor::Before(k),
            (None, None) => Cursor::First,
        }
    }
}

#[derive(Serialize)]
struct Row {
    id: i64,
    unit: String,
    received_on: String,
    kind: &'static str,
    field: &'static str,
    channel: &'static str,
    sender: String,
    summary: String,
    status: &'static str,
    deadline: String,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The list, a page at a time: the store filters, searches and sorts, and
/// reads only the page asked for (see `petitions::page`).
pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let unit = nonempty(&q.don_vi).and_then(|s| s.parse::<i64>().ok());
    let filter = Filter {
        unit: unit.or(ctx.store.scope().map(|s| s.root)),
        kind: nonempty(&q.loai).and_then(|s| PetitionType::parse(s).ok()),
        status: nonempty(&q.trang_thai).and_then(|s| PetitionStatus::parse(s).ok()),
        ..Default::default()
    };
    let words = nonempty(&q.q);
    let cursor = q.cursor();
    let (got, total) = match tokio::try_join!(
        petitions::page(&ctx.store, &filter, words, cursor, PAGE, ctx.viewer()),
        petitions::count(&ctx.store, &filter, words, ctx.viewer()),
    ) {
        Ok(g) => g,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let tree = match units::tree(&ctx.store).await {
        Ok(t) => t,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    // The page's number is only shown: a link that names none (or a
    // first page reached by going back) counts from its key.
    let number = match cursor {
        Cursor::First => Some(1),
        _ if got.previous.is_none() => Some(1),
        _ => nonempty(&q.trang)
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|n| *n > 1),
    };
    let pages = total.map(|t| (t as usize).div_ceil(PAGE).max(1));
    let rows: Vec<Row> = got
        .rows
        .iter()
        .map(|p| Row {
            id: p.id,
            unit: tree
                .get(p.petition.unit_id)
                .map(|u| u.full_name())
                .unwrap_or_default(),
            received_on: p.petition.received_on.format("%d/%m/%Y").to_string(),
            kind: p.petition.kind.label(),
            field: p.petition.field.label(),
            channel: p.petition.channel.label(),
            sender: p.petition.sender.name.clone(),
            summary: p.petition.summary.clone(),
            status: p.status.label(),
            deadline: deadline_of(&p.petition)
                .map_or(String::new(), |d| d.format("%d/%m/%Y").to_string()),
        })
        .collect();
    let units = super::units::visible(&ctx.store).await.unwrap_or_default();
    let unit_options: Vec<(i64, String)> = units
        .iter()
        .take(2000)
        .map(|(d, u)| (u.id, format!("{}{}", "— ".repeat(*d), u.full_name())))
        .collect();
    let n = number.unwrap_or(0);
    super::render(
        &app,
        Some(&ctx),
        "petitions.html",
        context! {
            rows => ser(&rows),
            total => total,
            cap => petitions::COUNT_CAP,
            shown => rows.len(),
            first => n.saturating_sub(1) * PAGE + 1,
            number => number,
            pages => pages,
            previous => got.previous.map(|k| q.link(n.saturating_sub(1), Some(("truoc", &k)))),
            next => got.next.map(|k| q.link(n + usize::from(n > 0), Some(("sau", &k)))),
            first_link => q.link(1, None),
            q => q.q.clone().unwrap_or_default(),
            unit => unit,
            units => unit_options,
            kind => q.loai.clone().unwrap_or_default(),
            status => q.trang_thai.clone().unwrap_or_default(),
            kinds => PetitionType::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>(),
            statuses => PetitionStatus::ALL.iter().map(|k| (k.code(), k.label())).collect::<Vec<_>>(),
            may_write => ctx.user.role.may_write("petition"),
        },
    )
}

/// The running deadline of a pending petition.
fn deadline_of(p: &Petition) -> Option<NaiveDate> {
    match p.status() {
        PetitionStatus::Received | PetitionStatus::Eligible | PetitionStatus::Ineligible => {
            p.processing_deadline
        }
        PetitionStatus::InResolution => p.deadline,
        _ => None,
    }
}

pub(super) async fn new_fields(ctx: &Ctx) -> Result<Vec<Field>, danvan_store::StoreError> {
    Ok(vec![
        Field::new(
            "unit_id",
            "Đơn vị nhận đơn",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("received_on", "Ngày nhận đơn", Kind::Date).required(),
        Field::new("channel", "Hình thức nhận", choices!(PetitionChannel)).required(),
        Field::new("kind", "Loại đơn", choices!(PetitionType)).required(),
        Field::new(
            "instance",
            "Lần giải quyết",
            Kind::Choice(
                Instance::ALL
                    .iter()
                    .map(|i| (i.code().to_string(), i.label().to_string()))
                    .collect(),
            ),
        )
        .help("Chỉ đơn khiếu nại mới có lần hai."),
        Field::new("field", "Lĩnh vực", choices!(PetitionField)).required(),
        Field::new("senders", "Số người đứng đơn", Kind::Int),
        Field::new("sender_name", "Họ tên người gửi", Kind::Text),
        Field::new("sender_address", "Địa chỉ", Kind::Text),
        Field::new("sender_phone", "Điện thoại", Kind::Text),
        Field::new("summary", "Tóm tắt nội dung", Kind::Area),
    ])
}

fn show_new(
    app: &AppState,
    ctx: &Ctx,
    fields: &[Field],
    s: &Submitted,
    status: StatusCode,
) -> Response {
    super::render_as(
        status,
        app,
        ctx,
        "petition_new.html",
        context! { fields => ser(&forms::view(fields, s)), general => s.general.clone() },
    )
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match new_fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = Submitted::default();
    s.values.insert("senders".into(), "1".into());
    s.values.insert("instance".into(), "1".into());
    s.values.insert(
        "received_on".into(),
        chrono::Local::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string(),
    );
    if let Some(root) = ctx.store.scope() {
        s.values.insert("unit_id".into(), root.root.to_string());
    }
    show_new(&app, &ctx, &fields, &s, StatusCode::OK)
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = match new_fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = Submitted::new(values);
    let Some(p) = intake(&fields, &mut s) else {
        return show_new(&app, &ctx, &fields, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match petitions::insert(&ctx.store, &p).await {
        Ok(id) => Redirect::to(&format!("/don-thu/{id}")).into_response(),
        Err(e) => {
            s.store_error(&e);
            let status = match e {
                danvan_store::StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            show_new(&app, &ctx, &fields, &s, status)
        }
    }
}

/// What the petition form says (what is entered when a petition comes
/// in), as a newly received petition; `None` with the errors noted.
pub(super) fn intake(fields: &[Field], s: &mut Submitted) -> Option<Petition> {
    let f = |n: &str| super::records::field(fields, n);
    let unit = s.int(f("unit_id"));
    let received = s.date(f("received_on"));
    let channel = s.choice(f("channel"), PetitionChannel::parse);
    let kind = s.choice(f("kind"), PetitionType::parse);
    let instance = s.choice(f("instance"), Instance::parse);
    let field = s.choice(f("field"), PetitionField::parse);
    let senders = s.int(f("senders"));
    if !s.ok() {
        return None;
    }
    let mut p = Petition::received(unit?, received?, channel?, kind?, field?);
    p.instance = instance.unwrap_or_default();
    p.senders = senders.unwrap_or(1).max(1);
    p.sender = Sender {
        name: s.raw("sender_name").to_string(),
        address: s.raw("sender_address").to_string(),
        phone: s.raw("sender_phone").to_string(),
    };
    p.summary = s.raw("summary").to_string();
    Some(p)
}

/// One lifecycle stage as the page lists it.
#[derive(Serialize)]
struct Stage {
    label: &'static str,
    date: String,
    state: &'static str,
}

fn stages(p: &Petition) -> Vec<Stage> {
    let d = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%d/%m/%Y").to_string());
    let st = p.status();
    let classified = p.classified_on.is_some();
    let handled = p.handled_on.is_some();
    let mut out = vec![
        Stage {
            label: "Tiếp nhận",
            date: d(Some(p.received_on)),
            state: "done",
        },
        Stage {
            label: "Phân loại",
            date: d(p.classified_on),
            state: if classified { "done" } else { "now" },
        },
        Stage {
            label: "Xử lý",
            date: d(p.handled_on),
            state: if handled {
                "done"
            } else if classified {
                "now"
            } else {
                "later"
            },
        },
    ];
    if p.handling.is_none() || p.handling == Some(Handling::Accepted) {
        out.push(Stage {
            label: "Giải quyết",
            date: d(p.resolved_on),
            state: match st {
                PetitionStatus::Resolved => "done",
                PetitionStatus::InResolution => "now",
                _ => "later",
            },
        });
    }
    out
}

/// The steps allowed from the petition's status, as the state machine in
/// core allows them (it still checks every step).
fn allowed(p: &Petition) -> Vec<&'static str> {
    match p.status() {
        PetitionStatus::Received => vec!["classify"],
        PetitionStatus::Eligible => vec!["handle"],
        PetitionStatus::Ineligible => vec!["archive"],
        PetitionStatus::InResolution if p.kind == PetitionType::Denunciation => {
            vec!["resolve", "extend"]
        }
        PetitionStatus::InResolution => vec!["resolve"],
        _ => vec![],
    }
}

#[derive(Serialize)]
struct HistoryRow {
    at: String,
    actor: String,
    action: &'static str,
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    step_error: Option<String>,
    status: StatusCode,
) -> Response {
    show_with(app, ctx, id, step_error, None, status).await
}

/// The petition page, with a step's or an answer's error.
pub(super) async fn show_with(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    step_error: Option<String>,
    answer_error: Option<String>,
    status: StatusCode,
) -> Response {
    let sp = match petitions::get(&ctx.store, id, ctx.viewer()).await {
        Ok(p) => p,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let p = &sp.petition;
    let unit = units::by_id(&ctx.store, p.unit_id)
        .await
        .ok()
        .flatten()
        .map_or(String::new(), |u| u.full_name());
    let history: Vec<HistoryRow> = audit::list(
        &ctx.store,
        &audit::Filter {
            entity: Some("petition".into()),
            entity_id: Some(id.to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_default()
    .into_iter()
    .map(|e| HistoryRow {
        at: e.at.format("%d/%m/%Y %H:%M").to_string(),
        actor: e.actor,
        action: audit::Action::label(&e.action),
    })
    .collect();
    let today = chrono::Local::now().date_naive();
    let deadline = deadline_of(p);
    let days_left = deadline.map(|d| (d - today).num_days());
    let d = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%d/%m/%Y").to_string());
    super::render_as(
        status,
        app,
        ctx,
        "petition.html",
        context! {
            id => id,
            unit => unit,
            status => sp.status.label(),
            masked => sp.identity_masked,
            kind => p.kind.label(),
            instance => p.instance.label(),
            field => p.field.label(),
            channel => p.channel.label(),
            received_on => d(Some(p.received_on)),
            senders => p.senders,
            sender => ser(&p.sender),
            summary => &p.summary,
            eligibility => p.eligibility.map(|e| match e {
                Eligibility::Eligible => "đủ điều kiện xử lý".to_string(),
                Eligibility::Ineligible(r) => format!("không đủ điều kiện xử lý ({})", r.label()),
            }),
            handling => p.handling.map(|h| h.label()),
            outcome => p.outcome.map(|o| o.label()),
            resolved_on => d(p.resolved_on),
            processing_deadline => d(p.processing_deadline),
            deadline => d(deadline),
            deadline_rule => p.rule_id.clone(),
            days_left => days_left,
            extensions => p.extensions.iter().map(|e| format!(
                "Quyết định {} ngày {}: gia hạn {} ngày",
                e.decision_no, e.decided_on.format("%d/%m/%Y"), e.days
            )).collect::<Vec<_>>(),
            stages => ser(&stages(p)),
            allowed => if ctx.user.role.may_write("petition") { allowed(p) } else { vec![] },
            today => today.format("%d/%m/%Y").to_string(),
            reasons => IneligibleReason::ALL.iter().map(|r| (r.code(), r.label())).collect::<Vec<_>>(),
            handlings => Handling::ALL.iter().map(|r| (r.code(), r.label())).collect::<Vec<_>>(),
            outcomes => Outcome::ALL.iter().map(|r| (r.code(), r.label())).collect::<Vec<_>>(),
            step_error => step_error,
            actions => ser(&super::petition_edit::actions(ctx, id)),
            history => ser(&history),
            assignment => ser(&super::petition_assign::panel(ctx, id).await),
            portal => super::petition_answer::panel(ctx, id, &answer_error).await,
        },
    )
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    show(&app, &ctx, id, None, StatusCode::OK).await
}

/// The step form: which step and its fields.
#[derive(Deserialize)]
pub struct StepForm {
    step: String,
    on: String,
    #[serde(default)]
    eligible: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    handling: String,
    #[serde(default)]
    complex: Option<String>,
    #[serde(default)]
    remote: Option<String>,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    decision_no: String,
}

fn event(f: &StepForm) -> Result<Event, String> {
    let on = forms::parse_date(&f.on).ok_or_else(|| {
        format!(
            "ngày «{}» không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2020",
            f.on.trim()
        )
    })?;
    let m = |e: danvan_core::DomainError| e.message;
    Ok(match f.step.as_str() {
        "classify" => Event::Classify {
            on,
            eligibility: if f.eligible == "0" {
                Eligibility::Ineligible(IneligibleReason::parse(&f.reason).map_err(m)?)
            } else {
                Eligibility::Eligible
            },
        },
        "handle" | "archive" => Event::Handle {
            on,
            handling: if f.step == "archive" {
                Handling::Archived
            } else {
                Handling::parse(&f.handling).map_err(m)?
            },
            complex: f.complex.is_some(),
            remote: f.remote.is_some(),
        },
        "resolve" => Event::Resolve {
            on,
            outcome: Outcome::parse(&f.outcome).map_err(m)?,
        },
        "extend" => Event::Extend(Extension {
            decided_on: on,
            days: f
                .days
                .trim()
                .parse()
                .map_err(|_| format!("số ngày gia hạn «{}» không hợp lệ", f.days.trim()))?,
            decision_no: f.decision_no.trim().to_string(),
        }),
        other => return Err(format!("bước «{other}» không có")),
    })
}

pub async fn step(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<StepForm>,
) -> Response {
    let e = match event(&f) {
        Ok(e) => e,
        Err(msg) => return show(&app, &ctx, id, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match petitions::transition(&ctx.store, id, &e, ctx.viewer()).await {
        Ok(_) => Redirect::to(&format!("/don-thu/{id}")).into_response(),
        Err(danvan_store::StoreError::Invalid(d)) => {
            show(
                &app,
                &ctx,
                id,
                Some(d.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}
