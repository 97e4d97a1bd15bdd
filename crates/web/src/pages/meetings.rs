//! Hội nghị đối thoại, tiếp xúc cử tri: the recent meetings of the user's
//! subtree, a form for a new meeting with the opinions raised there, and a
//! meeting's page where an opinion's follow-up is updated (when a written
//! answer is sent, say), and its deletion (the store has no other change
//! of a meeting).

use danvan_store::listing::IdCursor;
use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_store::{StoreError, Version, meetings};
use minijinja::context;
use serde::Deserialize;

use super::records::{
    self, DetailPage, FormPage, ListPage, ListQuery, ListRow, RecordType, Table, dmy, field,
    refused,
};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::state::AppState;

const BASE: &str = "/ghi-nhan/hoi-nghi";
const ENTITY: &str = "meeting";
const TYPE: RecordType = RecordType {
    base: BASE,
    entity: ENTITY,
    noun: "hội nghị",
};

/// The opinion rows of the form: content and follow-up field names and
/// labels. More opinions come in by file import.
const OPINIONS: [(&str, &str, &str, &str); 8] = [
    (
        "opinion_1",
        "Ý kiến 1",
        "follow_up_1",
        "Hướng xử lý ý kiến 1",
    ),
    (
        "opinion_2",
        "Ý kiến 2",
        "follow_up_2",
        "Hướng xử lý ý kiến 2",
    ),
    (
        "opinion_3",
        "Ý kiến 3",
        "follow_up_3",
        "Hướng xử lý ý kiến 3",
    ),
    (
        "opinion_4",
        "Ý kiến 4",
        "follow_up_4",
        "Hướng xử lý ý kiến 4",
    ),
    (
        "opinion_5",
        "Ý kiến 5",
        "follow_up_5",
        "Hướng xử lý ý kiến 5",
    ),
    (
        "opinion_6",
        "Ý kiến 6",
        "follow_up_6",
        "Hướng xử lý ý kiến 6",
    ),
    (
        "opinion_7",
        "Ý kiến 7",
        "follow_up_7",
        "Hướng xử lý ý kiến 7",
    ),
    (
        "opinion_8",
        "Ý kiến 8",
        "follow_up_8",
        "Hướng xử lý ý kiến 8",
    ),
];

pub async fn list(State(app): State<AppState>, ctx: Ctx, Query(q): Query<ListQuery>) -> Response {
    let mut cursor = q.cursor();
    let (got, next, previous) = loop {
        let got = match meetings::list_page(&ctx.store, q.unit(), records::PAGE + 1, cursor).await {
            Ok(g) => g,
            Err(e) => return super::error_page(&app, Some(&ctx), &e),
        };
        match records::paged(got, |r| r.0, cursor) {
            Some(p) => break p,
            // Nothing newer left: the first page, whole.
            None => cursor = IdCursor::First,
        }
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let rows = got
        .into_iter()
        .map(|(id, m)| ListRow {
            url: format!("{BASE}/{id}"),
            cells: vec![
                id.to_string(),
                dmy(m.held_on),
                names.get(&m.unit_id).cloned().unwrap_or_default(),
                m.kind.label().to_string(),
                match m.kind {
                    MeetingKind::Dialogue => m.chair,
                    MeetingKind::VoterContact => m.deputies,
                },
                m.participants.to_string(),
                m.subject,
            ],
        })
        .collect();
    let page = ListPage {
        title: "Hội nghị đối thoại, tiếp xúc cử tri",
        base: BASE,
        entity: ENTITY,
        columns: &[
            "Số",
            "Ngày",
            "Đơn vị",
            "Loại",
            "Chủ trì / đại biểu",
            "Số người dự",
            "Chủ đề",
        ],
        rows,
        next,
        previous,
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

async fn fields(ctx: &Ctx) -> Result<(Vec<Field>, Vec<Field>), StoreError> {
    let meeting = vec![
        Field::new(
            "unit_id",
            "Đơn vị tổ chức",
            forms::unit_choice(&ctx.store).await?,
        )
        .required(),
        Field::new("kind", "Loại hội nghị", choices!(MeetingKind)).required(),
        Field::new("held_on", "Ngày tổ chức", Kind::Date).required(),
        Field::new("chair", "Người chủ trì", Kind::Text)
            .help("Bắt buộc với hội nghị đối thoại, ví dụ: Chủ tịch UBND huyện"),
        Field::new("deputies", "Đại biểu dự", Kind::Text)
            .help("Bắt buộc với tiếp xúc cử tri, ví dụ: Đại biểu HĐND tỉnh"),
        Field::new("participants", "Số người dự", Kind::Int).required(),
        Field::new("subject", "Chủ đề", Kind::Text),
    ];
    let mut opinions = Vec::with_capacity(OPINIONS.len() * 2);
    for (content, label, follow, follow_label) in OPINIONS {
        opinions.push(Field::new(content, label, Kind::Text));
        opinions.push(Field::new(follow, follow_label, choices!(FollowUp)));
    }
    Ok((meeting, opinions))
}

fn form_page<'a>(meeting: &'a [Field], opinions: &'a [Field]) -> FormPage<'a> {
    FormPage::new(
        "Ghi nhận hội nghị đối thoại, tiếp xúc cử tri",
        BASE,
        vec![
            ("", meeting),
            (
                "Ý kiến, kiến nghị tại hội nghị (bỏ trống nếu không có; nhiều hơn thì nhập bằng tệp)",
                opinions,
            ),
        ],
    )
}

pub async fn new_form(State(app): State<AppState>, ctx: Ctx) -> Response {
    let (meeting, opinions) = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, &["held_on"]);
    for (_, _, follow, _) in OPINIONS {
        s.values
            .insert(follow.into(), FollowUp::AnsweredAtMeeting.code().into());
    }
    records::render_form(
        &app,
        &ctx,
        &form_page(&meeting, &opinions),
        &s,
        StatusCode::OK,
    )
}

/// The meeting the form describes, or `None` with the errors noted. An
/// opinion row without content is skipped; one without a follow-up is
/// pending.
fn parse(meeting: &[Field], opinions: &[Field], s: &mut Submitted) -> Option<Meeting> {
    let f = |n| field(meeting, n);
    let unit_id = s.int(f("unit_id"));
    let kind = s.choice(f("kind"), MeetingKind::parse);
    let held_on = s.date(f("held_on"));
    let chair = s.text(f("chair"));
    let deputies = s.text(f("deputies"));
    let participants = s.int(f("participants"));
    let subject = s.text(f("subject"));
    let mut raised = Vec::new();
    for (content, _, follow, _) in OPINIONS {
        let text = s.text(field(opinions, content));
        let follow_up = s.choice(field(opinions, follow), FollowUp::parse);
        if !text.is_empty() {
            raised.push(Opinion {
                content: text,
                follow_up: follow_up.unwrap_or(FollowUp::Pending),
            });
        }
    }
    if !s.ok() {
        return None;
    }
    Some(Meeting {
        unit_id: unit_id?,
        kind: kind?,
        held_on: held_on?,
        chair,
        deputies,
        participants: participants?,
        subject,
        opinions: raised,
    })
}

pub async fn create(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let (meeting, opinions) = match fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let page = form_page(&meeting, &opinions);
    let mut s = Submitted::new(values);
    let Some(m) = parse(&meeting, &opinions, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match meetings::insert_many(&ctx.store, std::slice::from_ref(&m)).await {
        Ok(ids) => Redirect::to(&format!("{BASE}/{}", ids[0])).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, refused(&e))
        }
    }
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    follow_error: Option<String>,
    status: StatusCode,
) -> Response {
    let (m, version) = match meetings::get_for_edit(&ctx.store, id).await {
        Ok(got) => got,
        Err(e) => return super::error_page(app, Some(ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let opinions = Table {
        id: "opinions",
        title: "Ý kiến, kiến nghị".into(),
        columns: vec!["TT", "Nội dung", "Hướng xử lý"],
        rows: m
            .opinions
            .iter()
            .enumerate()
            .map(|(i, o)| {
                vec![
                    (i + 1).to_string(),
                    o.content.clone(),
                    o.follow_up.label().to_string(),
                ]
            })
            .collect(),
    };
    let page = DetailPage {
        template: "meeting.html",
        title: format!("Hội nghị số {id} — {}", m.kind.label()),
        back: BASE,
        back_label: "Danh sách hội nghị",
        rows: vec![
            ("Đơn vị", names.get(&m.unit_id).cloned().unwrap_or_default()),
            ("Loại", m.kind.label().into()),
            ("Ngày tổ chức", dmy(m.held_on)),
            ("Người chủ trì", m.chair.clone()),
            ("Đại biểu dự", m.deputies.clone()),
            ("Số người dự", m.participants.to_string()),
            ("Chủ đề", m.subject.clone()),
        ],
        tables: vec![opinions],
        history: records::history(&ctx.store, ENTITY, &id.to_string()).await,
        actions: TYPE.actions(ctx, id, false, true),
    };
    let extra = context! {
        id => id,
        may_write => ctx.user.role.may_write(ENTITY),
        opinions => m.opinions.iter().map(|o| o.content.clone()).collect::<Vec<_>>(),
        follow_ups => FollowUp::ALL.iter().map(|f| (f.code(), f.label())).collect::<Vec<_>>(),
        follow_error => follow_error,
        version => version.to_string(),
    };
    records::render_detail(app, ctx, page, extra, status)
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    show(&app, &ctx, id, None, StatusCode::OK).await
}

/// The follow-up form: which opinion (0-based) and its new follow-up.
#[derive(Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    index: String,
    #[serde(default)]
    follow_up: String,
    /// The version the page showed (see `records::VERSION_FIELD`).
    #[serde(default, rename = "_version")]
    version: String,
}

pub async fn follow_up(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<FollowForm>,
) -> Response {
    let Some(read) = Version::parse(&f.version) else {
        let msg = "Trang không mang phiên bản của hội nghị đã mở: hãy mở lại trang rồi cập nhật."
            .to_string();
        return show(&app, &ctx, id, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let index = f.index.trim().parse::<usize>();
    let follow = FollowUp::parse(&f.follow_up);
    let (index, follow) = match (index, follow) {
        (Ok(i), Ok(x)) => (i, x),
        (Err(_), _) => {
            let msg = format!("ý kiến «{}» không có", f.index.trim());
            return show(&app, &ctx, id, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        (_, Err(e)) => {
            return show(
                &app,
                &ctx,
                id,
                Some(e.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match meetings::set_follow_up(&ctx.store, id, index, follow, read).await {
        Ok(()) => Redirect::to(&format!("{BASE}/{id}")).into_response(),
        Err(
            e @ (StoreError::Invalid(_)
            | StoreError::NotFound(_)
            | StoreError::Stale(_)
            | StoreError::Locked(_)),
        ) => show(&app, &ctx, id, Some(e.to_string()), refused(&e)).await,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// Delete a meeting with its opinions; the store takes its figures out.
pub async fn delete(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    TYPE.deleted(&app, &ctx, meetings::delete(&ctx.store, id).await)
}
