//! Lấy ý kiến Nhân dân: what the pages of a consultation say of their own
//! (its columns, fields and rows; the answers counted so far, online and
//! on paper), and the two forms of its page: paper forms entered in bulk,
//! and the synthesis published to citizens.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danvan_core::records::consultation::{
    Consultation, ConsultationSubject, MORE_QUESTIONS_MAX, Stance,
};
use danvan_store::StoreError;
use danvan_store::consultations;
use minijinja::context;

use super::pages::{KindPage, Names, base, name};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};
use crate::state::AppState;

impl KindPage for Consultation {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Bắt đầu",
        "Kết thúc",
        "Đơn vị",
        "Nội dung",
        "Dự thảo",
        "Phiếu phát ra",
    ];
    const FORM_TITLE: &'static str = "Đưa dự thảo ra lấy ý kiến Nhân dân";
    const BACK_LABEL: &'static str = "Danh sách các đợt lấy ý kiến";
    const DATES: &'static [&'static str] = &["opens_on", "closes_on"];
    const TEMPLATE: &'static str = "consultation.html";

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        vec![
            id.to_string(),
            dmy(self.opens_on),
            dmy(self.closes_on),
            name(names, self.unit_id),
            self.subject.label().to_string(),
            self.title.clone(),
            danvan_core::number::int(self.forms_issued),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị lấy ý kiến",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("subject", "Nội dung", choices!(ConsultationSubject)).required(),
            Field::new("title", "Tên dự thảo", Kind::Text)
                .required()
                .help("Ví dụ: Dự thảo phương án bồi thường, hỗ trợ dự án đường liên xã"),
            Field::new("summary", "Tóm tắt dự thảo", Kind::Area),
            Field::new("documents", "Tài liệu kèm theo", Kind::Area)
                .help("Mỗi dòng một tài liệu: số, ký hiệu, tên hoặc địa chỉ trang web"),
            Field::new("question", "Câu hỏi lấy ý kiến", Kind::Text)
                .required()
                .help("Người dân trả lời: đồng ý, không đồng ý hoặc ý kiến khác. Kết quả câu này được đưa vào báo cáo"),
            Field::new("more_questions", "Câu hỏi thêm", Kind::Area).help(
                "Không bắt buộc. Mỗi dòng một câu hỏi, cũng trả lời bằng đồng ý, không đồng ý hoặc ý kiến khác",
            ),
            Field::new("opens_on", "Ngày bắt đầu", Kind::Date).required(),
            Field::new("closes_on", "Ngày kết thúc", Kind::Date).required(),
            Field::new("forms_issued", "Số phiếu giấy phát ra", Kind::Int),
        ])
    }

    fn defaults(s: &mut Submitted) {
        s.values
            .insert("subject".into(), ConsultationSubject::Plan.code().into());
        s.values.insert("forms_issued".into(), "0".into());
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Consultation> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let subject = s.choice(f("subject"), ConsultationSubject::parse);
        let title = s.text(f("title"));
        let summary = s.text(f("summary"));
        let documents = s.text(f("documents"));
        let question = s.text(f("question"));
        let more_questions = Consultation::parse_more_questions(&s.text(f("more_questions")));
        let opens_on = s.date(f("opens_on"));
        let closes_on = s.date(f("closes_on"));
        let forms_issued = s.int(f("forms_issued"));
        if !s.ok() {
            return None;
        }
        Some(Consultation {
            unit_id: unit_id?,
            subject: subject?,
            title,
            summary,
            documents,
            question,
            more_questions,
            opens_on: opens_on?,
            closes_on: closes_on?,
            forms_issued: forms_issued.unwrap_or(0),
        })
    }

    fn form(&self) -> Submitted {
        records::filled([
            ("unit_id", self.unit_id.to_string()),
            ("subject", self.subject.code().to_string()),
            ("title", self.title.clone()),
            ("summary", self.summary.clone()),
            ("documents", self.documents.clone()),
            ("question", self.question.clone()),
            ("more_questions", self.more_questions.join("\n")),
            ("opens_on", dmy(self.opens_on)),
            ("closes_on", dmy(self.closes_on)),
            ("forms_issued", self.forms_issued.to_string()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        vec![
            ("Đơn vị", name(names, self.unit_id)),
            ("Nội dung", self.subject.label().into()),
            ("Tên dự thảo", self.title.clone()),
            ("Tóm tắt", self.summary.clone()),
            ("Tài liệu", self.documents.clone()),
            ("Câu hỏi", self.question.clone()),
            ("Câu hỏi thêm", self.more_questions.join("\n")),
            (
                "Thời gian",
                format!("từ {} đến {}", dmy(self.opens_on), dmy(self.closes_on)),
            ),
            (
                "Số phiếu phát ra",
                danvan_core::number::int(self.forms_issued),
            ),
        ]
    }

    async fn extra(ctx: &Ctx, id: i64) -> Result<minijinja::Value, StoreError> {
        let tally = consultations::tally(&ctx.store, id).await?;
        let stances: Vec<_> = Stance::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                context! {
                    code => s.code(),
                    label => s.label(),
                    online => tally.online[i],
                    paper => tally.paper[i],
                    total => tally.total[i],
                }
            })
            .collect();
        let more = further_questions(&tally);
        Ok(context! {
            id => id,
            base => base::<Consultation>(),
            tally => crate::pages::ser(&tally),
            stances => stances,
            more => more,
            may_write => ctx.user.role.may_write(danvan_core::records::kind::RecordKind::Consultation.code()),
            today => dmy(ctx.store.today()),
        })
    }
}

/// The further questions' results, for the official and the public page:
/// each numbered from 2, with its count per stance.
pub(crate) fn further_questions(tally: &consultations::Tally) -> Vec<minijinja::Value> {
    tally
        .more
        .iter()
        .enumerate()
        .map(|(k, q)| {
            context! {
                number => k + 2,
                question => q.question.clone(),
                answers => q.total.iter().sum::<i64>(),
                stances => Stance::ALL.iter().zip(q.total).map(|(s, n)| context! {
                    code => s.code(), label => s.label(), total => n,
                }).collect::<Vec<_>>(),
            }
        })
        .collect()
}

impl super::api::KindApi for Consultation {
    const FIELD: &'static str = "consultation";
}

fn count(v: &HashMap<String, String>, k: &str) -> Result<i64, StoreError> {
    let typed = v.get(k).map_or("", |s| s.trim());
    if typed.is_empty() {
        return Ok(0);
    }
    typed.replace('.', "").parse::<i64>().map_err(|_| {
        danvan_core::DomainError::new(
            "consultation.paper",
            format!("số phiếu «{typed}» không phải là số"),
        )
        .at_field(k)
        .into()
    })
}

/// `POST …/{id}/phieu`: paper forms collected on a day, counted by stance.
pub async fn add_paper(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(v): Form<HashMap<String, String>>,
) -> Response {
    let saved = async {
        let typed = v.get("ngay").map_or("", |s| s.trim());
        let day = danvan_core::records::dossier::columns::parse_date(typed).ok_or_else(|| {
            StoreError::from(
                danvan_core::DomainError::new(
                    "consultation.paper",
                    format!("ngày thu phiếu «{typed}» không hợp lệ; ghi theo dạng ngày/tháng/năm"),
                )
                .at_field("ngay"),
            )
        })?;
        let mut counts = [0; 3];
        for (i, s) in Stance::ALL.iter().enumerate() {
            counts[i] = count(&v, s.code())?;
        }
        // The further questions' counts, `cau_2_agree`…, up to the first
        // question the form has no field for (one not given has no
        // answers; the store refuses answers to questions it does not ask).
        let mut more = Vec::new();
        for k in (2..).take(MORE_QUESTIONS_MAX + 1) {
            let field = |s: &Stance| format!("cau_{k}_{}", s.code());
            if !Stance::ALL.iter().any(|s| v.contains_key(&field(s))) {
                break;
            }
            let mut q = [0; 3];
            for (i, s) in Stance::ALL.iter().enumerate() {
                q[i] = count(&v, &field(s))?;
            }
            more.push(q);
        }
        consultations::add_paper(&ctx.store, id, day, counts, &more).await
    }
    .await;
    done(&app, &ctx, id, saved)
}

/// `POST …/{id}/tong-hop`: publish the synthesis.
pub async fn publish(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(v): Form<HashMap<String, String>>,
) -> Response {
    let text = v.get("tong_hop").map_or("", String::as_str);
    let saved = consultations::publish_synthesis(&ctx.store, id, text).await;
    done(&app, &ctx, id, saved)
}

fn done(app: &AppState, ctx: &Ctx, id: i64, saved: Result<(), StoreError>) -> Response {
    match saved {
        Ok(()) => Redirect::to(&format!("{}/{id}", base::<Consultation>())).into_response(),
        Err(e) => crate::pages::error_page(app, Some(ctx), &e),
    }
}
