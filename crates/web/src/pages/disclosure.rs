//! Bảng công khai: a commune's board (each item the law requires with its
//! status for a year), the forms to record a publication, its takedown and
//! the reception schedule of its leaders; above a commune, the communes
//! below with what each misses or let lapse. See docs/disclosure.md.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use danvan_core::DomainError;
use danvan_core::disclosure::{self, Keep, Place, Publication, ScheduleSlot, Status};
use danvan_core::period::parse_date;
use danvan_store::StoreError;
use danvan_store::disclosure as board;
use danvan_store::units::{self, Unit};
use minijinja::context;
use serde::Deserialize;

use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Debug, Deserialize, Default)]
pub struct Which {
    pub don_vi: Option<String>,
    pub nam: Option<String>,
}

type Fields = Vec<(String, String)>;

fn field<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.iter().find(|(n, _)| n == k).map_or("", |(_, v)| v.trim())
}

fn bad(code: &'static str, msg: String, at: &str) -> StoreError {
    DomainError::new(code, msg).at_field(at).into()
}

/// The unit asked for, or the user's own; outside the scope it does not
/// exist.
async fn unit_of(ctx: &Ctx, id: &str) -> Result<Unit, StoreError> {
    let id = match id.trim() {
        "" => ctx.store.scope().map(|s| s.root).ok_or_else(|| {
            bad(
                "disclosure.unit",
                "hãy chọn đơn vị (tham số don_vi)".into(),
                "don_vi",
            )
        })?,
        s => s.parse::<i64>().map_err(|_| {
            bad(
                "disclosure.unit",
                format!("mã đơn vị «{s}» không hợp lệ"),
                "don_vi",
            )
        })?,
    };
    let missing = || StoreError::NotFound(format!("đơn vị mã số {id}"));
    if !ctx.store.permits(id) || id == units::COUNTRY_ID {
        return Err(missing());
    }
    units::by_id(&ctx.store, id).await?.ok_or_else(missing)
}

fn year_of(ctx: &Ctx, s: &str) -> Result<i32, StoreError> {
    match s.trim() {
        "" => Ok(ctx.store.today().year()),
        s => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| bad("disclosure.year", format!("năm «{s}» không hợp lệ"), "nam")),
    }
}

fn dmy(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn places_words(p: &[Place]) -> String {
    p.iter().map(|x| x.label()).collect::<Vec<_>>().join("; ")
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    unit: &Unit,
    year: i32,
    message: (Option<String>, Option<&str>),
) -> Response {
    if !unit.kind.is_commune_level() {
        let lines = match board::overview(&ctx.store, unit.id, year).await {
            Ok(l) => l,
            Err(e) => return super::error_page(app, Some(ctx), &e),
        };
        let vars = context! {
            unit_id => unit.id, unit_name => unit.full_name(), year => year,
            communes => super::ser(&lines),
            total_missing => lines.iter().map(|l| l.missing.len()).sum::<usize>(),
            total_overdue => lines.iter().map(|l| l.overdue.len()).sum::<usize>(),
        };
        return super::render_as(status, app, ctx, "disclosure_overview.html", vars);
    }
    let (lines, slots) = match (
        board::board(&ctx.store, unit.id, year).await,
        board::schedule(&ctx.store, unit.id).await,
    ) {
        (Ok(l), Ok(s)) => (l, s),
        (Err(e), _) | (_, Err(e)) => return super::error_page(app, Some(ctx), &e),
    };
    let rows: Vec<_> = lines
        .iter()
        .map(|l| {
            let (state, detail) = match &l.status {
                Status::Published {
                    published_on,
                    until,
                    taken_down_on,
                } => (
                    "published",
                    format!(
                        "từ {}{}{}",
                        dmy(*published_on),
                        until.map_or(", suốt thời gian có hiệu lực".into(), |u| format!(
                            ", phải giữ đến hết {}",
                            dmy(u)
                        )),
                        taken_down_on.map_or(String::new(), |t| format!("; đã gỡ ngày {}", dmy(t)))
                    ),
                ),
                Status::Missing if l.item.optional => ("optional", "khi có nội dung".into()),
                Status::Missing => ("missing", String::new()),
                Status::Overdue { reason } => ("overdue", reason.clone()),
            };
            context! {
                code => l.item.code.clone(), title => l.item.title.clone(),
                article => l.item.article.clone(), keep => l.item.keep.describe(),
                broadcast_days => l.item.broadcast_days,
                state => state, word => l.status.word(), detail => detail,
                posted => l.posted.iter().map(|p| context! {
                    id => p.id, title => p.publication.title.clone(),
                    published_on => dmy(p.publication.published_on),
                    places => places_words(&p.publication.places),
                    keep => p.publication.keep.describe(),
                    link => p.publication.link.clone(), document => p.publication.document.clone(),
                    taken_down_on => p.publication.taken_down_on.map(dmy),
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let vars = context! {
        unit_id => unit.id, unit_name => unit.full_name(), year => year,
        today => ctx.store.today().to_string(),
        lines => rows,
        missing => lines.iter().filter(|l| matches!(l.status, Status::Missing) && !l.item.optional).count(),
        overdue => lines.iter().filter(|l| matches!(l.status, Status::Overdue { .. })).count(),
        items => disclosure::items().iter().map(|i| (i.code.clone(), format!("{} ({})", i.title, i.article))).collect::<Vec<_>>(),
        places => Place::ALL.iter().map(|p| (p.code(), p.label())).collect::<Vec<_>>(),
        slots => slots.iter().map(|s| context! {
            id => s.id, leader => s.slot.leader.clone(), position => s.slot.position.clone(),
            when => s.slot.when.clone(), place => s.slot.place.clone(),
        }).collect::<Vec<_>>(),
        error => message.0,
        notice => message.1,
    };
    super::render_as(status, app, ctx, "disclosure.html", vars)
}

/// `GET /ghi-nhan/cong-khai?don_vi=&nam=`: a commune's board, or the
/// overview of the communes below a district or province.
pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(w): Query<Which>) -> Response {
    let found = async {
        let unit = unit_of(&ctx, w.don_vi.as_deref().unwrap_or("")).await?;
        let year = year_of(&ctx, w.nam.as_deref().unwrap_or(""))?;
        Ok::<_, StoreError>((unit, year))
    };
    match found.await {
        Ok((u, y)) => show(&app, &ctx, StatusCode::OK, &u, y, (None, None)).await,
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// The outcome of a form posted to a commune's board.
async fn answer(
    app: &AppState,
    ctx: &Ctx,
    unit: &Unit,
    result: Result<(), StoreError>,
) -> Response {
    let year = ctx.store.today().year();
    match result {
        Ok(()) => Redirect::to(&format!(
            "/ghi-nhan/cong-khai?don_vi={}&nam={year}",
            unit.id
        ))
        .into_response(),
        Err(StoreError::Invalid(d)) => {
            let msg = d.message.clone();
            show(
                app,
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                unit,
                year,
                (Some(msg), None),
            )
            .await
        }
        Err(e) => super::error_page(app, Some(ctx), &e),
    }
}

fn publication(f: &Fields) -> Result<Publication, StoreError> {
    let code = field(f, "noi_dung");
    let item = disclosure::item(code).ok_or_else(|| {
        bad(
            "disclosure.item",
            format!("nội dung công khai «{code}» không có trong danh mục"),
            "noi_dung",
        )
    })?;
    let day = |k: &str, what: &str| -> Result<Option<chrono::NaiveDate>, StoreError> {
        match field(f, k) {
            "" => Ok(None),
            s => parse_date(s).map(Some).ok_or_else(|| {
                bad(
                    "disclosure.date",
                    format!("{what} «{s}» không phải ngày hợp lệ"),
                    k,
                )
            }),
        }
    };
    let published_on = day("ngay_cong_khai", "ngày công khai")?.ok_or_else(|| {
        bad(
            "disclosure.date",
            "hãy nhập ngày công khai".into(),
            "ngay_cong_khai",
        )
    })?;
    let mut places = Vec::new();
    for (k, v) in f.iter().filter(|(k, _)| k == "hinh_thuc") {
        places.push(Place::parse(v).ok_or_else(|| {
            bad(
                "disclosure.places",
                format!("hình thức công khai «{v}» không có"),
                k,
            )
        })?);
    }
    let keep = match field(f, "so_ngay") {
        "" => item.keep,
        s => Keep::Days(s.parse().map_err(|_| {
            bad(
                "disclosure.keep",
                format!(
                    "số ngày công khai «{s}» phải là số ngày (1 đến {})",
                    disclosure::MAX_KEEP_DAYS
                ),
                "so_ngay",
            )
        })?),
    };
    Ok(Publication {
        item: item.code.clone(),
        title: field(f, "tieu_de").to_string(),
        published_on,
        places,
        keep,
        link: field(f, "lien_ket").to_string(),
        document: field(f, "so_hieu").to_string(),
        taken_down_on: day("ngay_go", "ngày gỡ xuống")?,
    })
}

/// `POST /ghi-nhan/cong-khai`: record a publication.
pub async fn create(State(app): State<AppState>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    let unit = match unit_of(&ctx, field(&f, "don_vi")).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let result = match publication(&f) {
        Ok(p) => board::record(&ctx.store, unit.id, &p).await.map(|_| ()),
        Err(e) => Err(e),
    };
    answer(&app, &ctx, &unit, result).await
}

/// `POST /ghi-nhan/cong-khai/{id}/go`: record its takedown.
pub async fn take_down(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    let posted = match board::get(&ctx.store, id).await {
        Ok(p) => p,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let unit = match unit_of(&ctx, &posted.unit_id.to_string()).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let s = field(&f, "ngay_go");
    let result = match parse_date(s) {
        Some(d) => board::take_down(&ctx.store, id, d).await,
        None => Err(bad(
            "disclosure.date",
            format!("ngày gỡ xuống «{s}» không phải ngày hợp lệ"),
            "ngay_go",
        )),
    };
    answer(&app, &ctx, &unit, result).await
}

/// `POST /ghi-nhan/cong-khai/lich`: add a turn to the reception schedule.
pub async fn add_slot(State(app): State<AppState>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    let unit = match unit_of(&ctx, field(&f, "don_vi")).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let slot = ScheduleSlot {
        leader: field(&f, "lanh_dao").into(),
        position: field(&f, "chuc_vu").into(),
        when: field(&f, "thoi_gian").into(),
        place: field(&f, "dia_diem").into(),
    };
    let result = board::add_slot(&ctx.store, unit.id, &slot)
        .await
        .map(|_| ());
    answer(&app, &ctx, &unit, result).await
}

/// `POST /ghi-nhan/cong-khai/lich/{id}/xoa`: remove a turn.
pub async fn delete_slot(State(app): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Response {
    let unit_id = match board::schedule_slot(&ctx.store, id).await {
        Ok(s) => s.unit_id,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let unit = match unit_of(&ctx, &unit_id.to_string()).await {
        Ok(u) => u,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let result = board::delete_slot(&ctx.store, id).await;
    answer(&app, &ctx, &unit, result).await
}
