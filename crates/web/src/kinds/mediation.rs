//! Hòa giải ở cơ sở: what the pages of a mediation case say of their own
//! (its columns, fields and rows); the pages themselves are
//! [`super::pages`].

use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_store::StoreError;

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};

impl KindPage for MediationCase {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Ngày tiếp nhận",
        "Đơn vị",
        "Tổ hòa giải",
        "Lĩnh vực",
        "Kết quả",
        "Nội dung",
    ];
    const FORM_TITLE: &'static str = "Ghi nhận vụ việc hòa giải";
    const BACK_LABEL: &'static str = "Danh sách vụ việc hòa giải";
    const DATES: &'static [&'static str] = &["received_on"];

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        vec![
            id.to_string(),
            dmy(self.received_on),
            name(names, self.unit_id),
            self.team.clone(),
            self.field.label().to_string(),
            self.result.label().to_string(),
            self.summary.clone(),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị của tổ hòa giải",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("received_on", "Ngày tiếp nhận", Kind::Date).required(),
            Field::new("team", "Tổ hòa giải", Kind::Text)
                .required()
                .help("Ví dụ: Tổ hòa giải thôn 2"),
            Field::new("field", "Lĩnh vực", choices!(MediationField)).required(),
            Field::new("result", "Kết quả", choices!(MediationResult)).required(),
            Field::new("summary", "Nội dung vụ việc", Kind::Area),
        ])
    }

    fn defaults(s: &mut Submitted) {
        s.values
            .insert("field".into(), MediationField::Other.code().into());
        s.values
            .insert("result".into(), MediationResult::InProgress.code().into());
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<MediationCase> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let received_on = s.date(f("received_on"));
        let team = s.text(f("team"));
        let mfield = s.choice(f("field"), MediationField::parse);
        let result = s.choice(f("result"), MediationResult::parse);
        let summary = s.text(f("summary"));
        if !s.ok() {
            return None;
        }
        Some(MediationCase {
            unit_id: unit_id?,
            team,
            received_on: received_on?,
            field: mfield?,
            result: result?,
            summary,
        })
    }

    fn form(&self) -> Submitted {
        records::filled([
            ("unit_id", self.unit_id.to_string()),
            ("received_on", dmy(self.received_on)),
            ("team", self.team.clone()),
            ("field", self.field.code().to_string()),
            ("result", self.result.code().to_string()),
            ("summary", self.summary.clone()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        vec![
            ("Đơn vị", name(names, self.unit_id)),
            ("Tổ hòa giải", self.team.clone()),
            ("Ngày tiếp nhận", dmy(self.received_on)),
            ("Lĩnh vực", self.field.label().into()),
            ("Kết quả", self.result.label().into()),
            ("Nội dung", self.summary.clone()),
        ]
    }
}

impl super::api::KindApi for MediationCase {
    const FIELD: &'static str = "case";
}
