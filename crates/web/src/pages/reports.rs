//! Báo cáo: the report builder. Choose template, unit and period; see the
//! validation results and the prose; write the qualitative sections (kept
//! as the report's draft); download DOCX, PDF or XLSX. The report comes
//! from the same `danvan_report::build` as the command line.

use std::collections::{BTreeMap, HashMap};

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use danvan_core::DomainError;
use danvan_core::number;
use danvan_core::period::Period;
use danvan_core::period_choice::{self, KINDS};
use danvan_report::{Catalogue, Report, Request, catalogue, prose};
use danvan_store::units::Unit;
use danvan_store::{StoreError, units};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::period_picker::{self, Picker};
use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

/// The qualitative sections a user writes, in report order.
pub const SECTIONS: &[(&str, &str)] = &[
    ("dac_diem", "Đặc điểm tình hình"),
    ("tinh_hinh", "Tình hình chung"),
    ("lanh_dao", "Công tác lãnh đạo, chỉ đạo"),
    ("uu_diem", "Ưu điểm"),
    ("han_che", "Hạn chế"),
    ("nguyen_nhan", "Nguyên nhân"),
    ("bai_hoc", "Bài học kinh nghiệm"),
    ("nhiem_vu", "Nhiệm vụ, giải pháp thời gian tới"),
    ("de_xuat", "Đề xuất, kiến nghị"),
];

/// The indicator catalogue in force: the shipped one and the indicators
/// an administrator added (`danvan_report::build` adds them itself).
async fn catalogue_in_force(ctx: &Ctx) -> Result<Catalogue, StoreError> {
    Ok(danvan_report::custom::load(&ctx.store).await?.catalogue)
}

/// What the builder was asked for (query string and form alike).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct Choice {
    pub don_vi: Option<String>,
    pub ky: Option<String>,
    pub mau: Option<String>,
    pub so_sanh: Option<String>,
    pub cat: Option<String>,
    pub dinh_dang: Option<String>,
    /// Cơ quan ban hành (its code), số, ngày and the document answered.
    pub co_quan: Option<String>,
    pub so: Option<String>,
    pub ngay: Option<String>,
    pub can_cu: Option<String>,
    /// The period picker; its period, when chosen, replaces `ky`.
    #[serde(flatten)]
    pub picker: Picker,
}

impl Choice {
    /// The choice with the picker's period as its code; a bare page opens
    /// on the period under way. A picker that makes no period keeps `ky`:
    /// [`resolve`] reports what is wrong with it.
    fn picked(mut self) -> Choice {
        if let Ok(Some(code)) = self.picker.code() {
            self.ky = Some(code);
        } else if self.ky.is_none() && self.don_vi.is_none() && self.picker.loai.is_none() {
            let today = chrono::Local::now().date_naive();
            self.ky = Some(period_choice::current(today).code());
        }
        self
    }
}

struct Chosen {
    unit: Unit,
    period: Period,
    template: Option<String>,
    compare: bool,
    issuer: Option<String>,
    number: String,
    dated: chrono::NaiveDate,
    cites: Option<String>,
}

async fn resolve(ctx: &Ctx, c: &Choice) -> Result<Option<Chosen>, StoreError> {
    c.picker.code()?;
    let (Some(unit), Some(ky)) = (
        c.don_vi.as_deref().filter(|s| !s.trim().is_empty()),
        c.ky.as_deref().filter(|s| !s.trim().is_empty()),
    ) else {
        return Ok(None);
    };
    let period = Period::parse(ky.trim(), c.cat.is_some()).map_err(|e| e.at_field("ky"))?;
    let id: i64 = match unit.trim().parse() {
        Ok(id) => id,
        Err(_) => by_name(ctx, unit.trim(), &period).await?,
    };
    let not_found = || StoreError::NotFound(format!("đơn vị mã số {id}"));
    if !ctx.store.permits(id) {
        return Err(not_found());
    }
    let unit = if id == units::COUNTRY_ID {
        Unit::country()
    } else {
        units::by_id(&ctx.store, id).await?.ok_or_else(not_found)?
    };
    let dated = match c.ngay.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => chrono::Local::now().date_naive(),
        Some(d) => crate::forms::parse_date(d).ok_or_else(|| {
            DomainError::new(
                "report.date",
                format!("ngày văn bản «{d}» không hợp lệ (viết dd/mm/yyyy, ví dụ 15/06/2020)"),
            )
            .at_field("ngay")
        })?,
    };
    let number = c.so.as_deref().unwrap_or_default().trim().to_string();
    if number.chars().count() > 40 {
        return Err(
            DomainError::new("report.number", "số văn bản tối đa 40 ký tự")
                .at_field("so")
                .into(),
        );
    }
    let cites = c.can_cu.clone().filter(|s| !s.trim().is_empty());
    if cites.as_deref().is_some_and(|t| t.chars().count() > 500) {
        return Err(
            DomainError::new("report.cites", "văn bản căn cứ tối đa 500 ký tự")
                .at_field("can_cu")
                .into(),
        );
    }
    Ok(Some(Chosen {
        unit,
        period,
        template: c.mau.clone().filter(|s| !s.trim().is_empty()),
        compare: c.so_sanh.is_some(),
        issuer: c.co_quan.clone().filter(|s| !s.trim().is_empty()),
        number,
        dated,
        cites,
    }))
}

/// The units the user may read that `name` (a code, a name, "name,
/// parent") may mean during `period`.
async fn named(ctx: &Ctx, name: &str, period: &Period) -> Result<Vec<Unit>, StoreError> {
    let r = period.range();
    let found = units::candidates(&ctx.store, name, Some((r.start, r.end))).await?;
    Ok(found
        .into_iter()
        .filter(|u| ctx.store.permits(u.id))
        .collect())
}

/// The id of the one unit `name` names; several are never resolved by
/// picking one: the error names them, and the page lists them to choose.
async fn by_name(ctx: &Ctx, name: &str, period: &Period) -> Result<i64, StoreError> {
    let found = named(ctx, name, period).await?;
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(DomainError::new(
            "unit.not_found",
            format!("không tìm thấy đơn vị «{name}» (theo mã hoặc tên)"),
        )
        .at_field("don_vi")
        .into()),
        many => Err(DomainError::new(
            "unit.ambiguous",
            format!(
                "tên «{name}» ứng với {} đơn vị, chưa chọn đơn vị nào; hãy chọn một trong danh sách dưới đây",
                many.len()
            ),
        )
        .at_field("don_vi")
        .into()),
    }
}

/// The candidates of a unit named by text that matches several units:
/// (id, "thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522, …)").
async fn to_choose(ctx: &Ctx, c: &Choice) -> Vec<(String, String)> {
    let (Some(name), Some(ky)) = (c.don_vi.as_deref(), c.ky.as_deref()) else {
        return Vec::new();
    };
    let name = name.trim();
    let Ok(period) = Period::parse(ky.trim(), c.cat.is_some()) else {
        return Vec::new();
    };
    if name.is_empty() || name.parse::<i64>().is_ok() {
        return Vec::new();
    }
    let (Ok(found), Ok(tree)) = (
        named(ctx, name, &period).await,
        units::tree(&ctx.store).await,
    ) else {
        return Vec::new();
    };
    if found.len() < 2 {
        return Vec::new();
    }
    found
        .iter()
        .map(|u| (u.id.to_string(), units::describe_in(tree.all(), u)))
        .collect()
}

async fn build(
    ctx: &Ctx,
    ch: &Chosen,
    sections: BTreeMap<String, String>,
) -> Result<Report, StoreError> {
    danvan_report::build(
        &ctx.store,
        Catalogue::shipped(),
        Request::new(&ch.unit, ch.period)
            .template(ch.template.as_deref())
            .sections(sections)
            .compare(ch.compare)
            .issuer(ch.issuer.as_deref())
            .number(&ch.number)
            .cites(ch.cites.as_deref()),
    )
    .await
}

#[derive(Serialize)]
struct ViolationView {
    severity: &'static str,
    message: String,
    detail: String,
}

#[derive(Serialize)]
struct SectionView {
    key: &'static str,
    label: &'static str,
    text: String,
}

fn sections_from(values: &HashMap<String, String>) -> BTreeMap<String, String> {
    SECTIONS
        .iter()
        .filter_map(|(k, _)| {
            let v = values.get(*k)?.trim();
            (!v.is_empty()).then(|| (k.to_string(), v.replace("\r\n", "\n")))
        })
        .collect()
}

/// "Cả nước" heads the unit picker of a user bound to no unit.
fn country_option(ctx: &Ctx) -> Option<(String, String)> {
    ctx.store
        .scope()
        .is_none()
        .then(|| (units::COUNTRY_ID.to_string(), "Cả nước".to_string()))
}

async fn show(
    app: &AppState,
    ctx: &Ctx,
    c: &Choice,
    sections: BTreeMap<String, String>,
    notice: Option<&str>,
) -> Response {
    let visible = super::units::visible(&ctx.store).await.unwrap_or_default();
    let mut c = c.clone();
    if c.don_vi.is_none() {
        c.don_vi = ctx.store.scope().map(|s| s.root.to_string());
    }
    let mut bodies = Vec::new();
    let (report, error) = match resolve(ctx, &c).await {
        Ok(Some(ch)) => {
            bodies = danvan_report::issuer::of_unit(&ctx.store, &ch.unit)
                .await
                .unwrap_or_default();
            match build(ctx, &ch, sections.clone()).await {
                Ok(r) => (Some(r), None),
                Err(e) => (None, Some(e.to_string())),
            }
        }
        Ok(None) => (None, None),
        Err(e @ StoreError::NotFound(_)) => return super::error_page(app, Some(ctx), &e),
        Err(e) => (None, Some(e.to_string())),
    };
    let choose = to_choose(ctx, &c).await;
    let violations: Vec<ViolationView> = report
        .as_ref()
        .map(|r| {
            r.figures
                .violations
                .iter()
                .map(|v| ViolationView {
                    severity: match v.severity {
                        catalogue::Severity::Error => "lỗi",
                        catalogue::Severity::Warning => "cảnh báo",
                    },
                    message: v.message.clone(),
                    detail: format!("{} {} {}", number::int(v.left), v.op, number::int(v.right)),
                })
                .collect()
        })
        .unwrap_or_default();
    let section_views: Vec<SectionView> = SECTIONS
        .iter()
        .map(|(k, l)| SectionView {
            key: k,
            label: l,
            text: sections.get(*k).cloned().unwrap_or_default(),
        })
        .collect();
    let query = serde_urlencoded::to_string([
        ("don_vi", c.don_vi.clone().unwrap_or_default()),
        ("ky", c.ky.clone().unwrap_or_default()),
        ("mau", c.mau.clone().unwrap_or_default()),
        ("co_quan", c.co_quan.clone().unwrap_or_default()),
        ("so", c.so.clone().unwrap_or_default()),
        ("ngay", c.ngay.clone().unwrap_or_default()),
        ("can_cu", c.can_cu.clone().unwrap_or_default()),
    ])
    .unwrap_or_default()
        + if c.so_sanh.is_some() {
            "&so_sanh=1"
        } else {
            ""
        }
        + if c.cat.is_some() { "&cat=1" } else { "" };
    super::render(
        app,
        Some(ctx),
        "report.html",
        context! {
            units => country_option(ctx).into_iter().chain(unit_options(&visible)).collect::<Vec<_>>(),
            choose => choose.iter().map(|(id, label)| {
                let q = serde_urlencoded::to_string([
                    ("don_vi", id.as_str()),
                    ("ky", c.ky.as_deref().unwrap_or_default()),
                    ("mau", c.mau.as_deref().unwrap_or_default()),
                ]).unwrap_or_default()
                    + if c.so_sanh.is_some() { "&so_sanh=1" } else { "" }
                    + if c.cat.is_some() { "&cat=1" } else { "" };
                (q, label.clone())
            }).collect::<Vec<_>>(),
            templates => prose::BUILTIN.iter().map(|(n, l, _)| (*n, *l)).collect::<Vec<_>>(),
            kinds => KINDS.to_vec(),
            months => (1..=12).collect::<Vec<u32>>(),
            picker => ser(&period_picker::shown(c.ky.as_deref(), chrono::Local::now().date_naive())),
            choice => context! {
                don_vi => c.don_vi.clone().unwrap_or_default(),
                ky => c.ky.clone().unwrap_or_default(),
                mau => c.mau.clone().unwrap_or_default(),
                so_sanh => c.so_sanh.is_some(),
                cat => c.cat.is_some(),
                co_quan => report.as_ref().map(|r| r.issuer.code.clone()).unwrap_or_default(),
                so => c.so.clone().unwrap_or_default(),
                ngay => c.ngay.clone().unwrap_or_default(),
                can_cu => c.can_cu.clone().unwrap_or_default(),
            },
            bodies => bodies.iter().map(|b| (b.code.clone(), b.name.clone())).collect::<Vec<_>>(),
            error => error,
            notice => notice,
            text => report.as_ref().map(|r| r.text.clone()),
            template => report.as_ref().map(|r| r.template.clone()),
            violations => ser(&violations),
            sections => ser(&section_views),
            query => query,
        },
    )
}

/// The unit picker's options in tree order; a name several visible units
/// share carries its code, so no two options read alike.
fn unit_options(visible: &[(usize, Unit)]) -> Vec<(String, String)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (_, u) in visible.iter().take(2000) {
        *seen.entry(u.full_name()).or_default() += 1;
    }
    visible
        .iter()
        .take(2000)
        .map(|(d, u)| {
            let name = u.full_name();
            let code = if seen.get(&name).is_some_and(|n| *n > 1) {
                format!(" (mã {})", u.code)
            } else {
                String::new()
            };
            (u.id.to_string(), format!("{}{name}{code}", "— ".repeat(*d)))
        })
        .collect()
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(c): Query<Choice>) -> Response {
    let c = c.picked();
    let sections = drafts_for(&ctx, &c).await;
    show(&app, &ctx, &c, sections, None).await
}

/// Save the sections the user wrote as the report's draft and show the
/// report with them.
pub async fn save(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(c): Query<Choice>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let c = c.picked();
    let sections = sections_from(&values);
    match save_draft(&ctx, &c, &sections).await {
        Ok(()) => {
            show(
                &app,
                &ctx,
                &c,
                sections,
                Some("Đã lưu bản nháp các phần nhận định."),
            )
            .await
        }
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

/// The stored draft of this unit, period and template, if any.
async fn drafts_for(ctx: &Ctx, c: &Choice) -> BTreeMap<String, String> {
    match resolve(ctx, c).await {
        Ok(Some(ch)) => {
            crate::drafts::load(&ctx.store, &ch.unit, &ch.period, ch.template.as_deref())
                .await
                .unwrap_or_default()
        }
        _ => BTreeMap::new(),
    }
}

async fn save_draft(
    ctx: &Ctx,
    c: &Choice,
    sections: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let ch = resolve(ctx, c)
        .await?
        .ok_or_else(|| DomainError::new("report.choice", "chưa chọn đơn vị và kỳ báo cáo"))?;
    crate::drafts::save(
        &ctx.store,
        &ch.unit,
        &ch.period,
        ch.template.as_deref(),
        sections,
    )
    .await
}

/// `GET /bao-cao/tai?…&dinh_dang=docx|pdf|xlsx|txt`: the finished file;
/// `dinh_dang=bieu`: the statistical forms (01/TCD, 01/XLD) as XLSX.
pub async fn download(State(app): State<AppState>, ctx: Ctx, Query(c): Query<Choice>) -> Response {
    let c = c.picked();
    let ch = match resolve(&ctx, &c).await {
        Ok(Some(ch)) => ch,
        Ok(None) => {
            return super::error_page(
                &app,
                Some(&ctx),
                &DomainError::new("report.choice", "chưa chọn đơn vị và kỳ báo cáo").into(),
            );
        }
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let format = c.dinh_dang.as_deref().unwrap_or("docx");
    if format == "bieu" {
        // The statistical forms read only figures: no report is built.
        return match forms_file(&ctx, &ch).await {
            Ok(b) => attachment(b, XLSX, &file_name(&ch, "bieu-mau", "xlsx")),
            Err(e) => super::error_page(&app, Some(&ctx), &e),
        };
    }
    let sections = crate::drafts::load(&ctx.store, &ch.unit, &ch.period, ch.template.as_deref())
        .await
        .unwrap_or_default();
    let report = match build(&ctx, &ch, sections).await {
        Ok(r) => r,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let today = ch.dated;
    let (bytes, mime, ext) = match format {
        "docx" => (
            report.to_docx(&ctx.store, &ch.unit, today).await,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        "pdf" => (
            report.to_pdf(&ctx.store, &ch.unit, today).await,
            "application/pdf",
            "pdf",
        ),
        "xlsx" => (
            match catalogue_in_force(&ctx).await {
                Ok(cat) => report.to_xlsx(&ctx.store, &cat, &ch.unit).await,
                Err(e) => Err(e),
            },
            XLSX,
            "xlsx",
        ),
        "txt" => (
            Ok(report.to_txt().into_bytes()),
            "text/plain; charset=utf-8",
            "txt",
        ),
        other => (
            Err(DomainError::new(
                "report.format",
                format!("định dạng «{other}» không có; dùng docx, pdf, xlsx, bieu hoặc txt"),
            )
            .into()),
            "",
            "",
        ),
    };
    match bytes {
        Ok(b) => attachment(b, mime, &file_name(&ch, "bao-cao", ext)),
        Err(e) => super::error_page(&app, Some(&ctx), &e),
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// "bao-cao-674-6-thang-dau-nam-2020.docx": ASCII, for any browser.
fn file_name(ch: &Chosen, stem: &str, ext: &str) -> String {
    let name = format!(
        "{stem}-{}-{}.{ext}",
        ch.unit.code,
        ch.period.to_string().replace(' ', "-")
    );
    danvan_core::text::fold(&name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut r = (StatusCode::OK, bytes).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The inspection sector's statistical forms of the chosen unit and
/// period (`dinh_dang=bieu`), read through the user's store.
async fn forms_file(ctx: &Ctx, ch: &Chosen) -> Result<Vec<u8>, StoreError> {
    use danvan_report::inspection_forms as f;
    let chosen = f::pick(f::shipped(), "")?;
    let filled = f::fill(&ctx.store, &ch.unit, &ch.period, &chosen).await?;
    f::workbook(&filled)
}
