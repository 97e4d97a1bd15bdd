//! Đánh giá mức độ hài lòng: what the pages of a rating say of their own
//! (its columns, fields and rows); the pages themselves are
//! [`super::pages`]. Officials enter paper forms here; citizens rate online
//! through the portal. No page names who rated.

use danvan_core::records::rating::{RatedService, Rating, Satisfaction};
use danvan_store::StoreError;

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};

impl KindPage for Rating {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Ngày đánh giá",
        "Đơn vị",
        "Dịch vụ",
        "Mức độ hài lòng",
        "Mã hồ sơ, số phiếu",
        "Ý kiến",
    ];
    const FORM_TITLE: &'static str = "Ghi nhận phiếu đánh giá mức độ hài lòng";
    const BACK_LABEL: &'static str = "Danh sách đánh giá mức độ hài lòng";
    const DATES: &'static [&'static str] = &["rated_on"];

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        vec![
            id.to_string(),
            dmy(self.rated_on),
            name(names, self.unit_id),
            self.service.label().to_string(),
            self.level.label().to_string(),
            self.subject.clone(),
            self.comment.clone(),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị được đánh giá",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("service", "Dịch vụ", choices!(RatedService)).required(),
            Field::new("level", "Mức độ hài lòng", choices!(Satisfaction)).required(),
            Field::new("rated_on", "Ngày đánh giá", Kind::Date).required(),
            Field::new("subject", "Mã hồ sơ, số phiếu", Kind::Text)
                .help("Mã hồ sơ một cửa hoặc số phiếu; mỗi mã chỉ được đánh giá một lần"),
            Field::new("comment", "Ý kiến khác của người dân", Kind::Area),
        ])
    }

    fn defaults(s: &mut Submitted) {
        s.values
            .insert("service".into(), RatedService::Reception.code().into());
        s.values
            .insert("level".into(), Satisfaction::Satisfied.code().into());
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Rating> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let service = s.choice(f("service"), RatedService::parse);
        let level = s.choice(f("level"), Satisfaction::parse);
        let rated_on = s.date(f("rated_on"));
        let subject = s.text(f("subject"));
        let comment = s.text(f("comment"));
        if !s.ok() {
            return None;
        }
        Some(Rating {
            unit_id: unit_id?,
            service: service?,
            level: level?,
            rated_on: rated_on?,
            subject,
            comment,
        })
    }

    fn form(&self) -> Submitted {
        records::filled([
            ("unit_id", self.unit_id.to_string()),
            ("service", self.service.code().to_string()),
            ("level", self.level.code().to_string()),
            ("rated_on", dmy(self.rated_on)),
            ("subject", self.subject.clone()),
            ("comment", self.comment.clone()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        vec![
            ("Đơn vị", name(names, self.unit_id)),
            ("Dịch vụ", self.service.label().into()),
            ("Mức độ hài lòng", self.level.label().into()),
            ("Ngày đánh giá", dmy(self.rated_on)),
            ("Mã hồ sơ, số phiếu", self.subject.clone()),
            ("Ý kiến", self.comment.clone()),
        ]
    }
}

impl super::api::KindApi for Rating {
    const FIELD: &'static str = "rating";
}
