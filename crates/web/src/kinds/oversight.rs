//! Giám sát, phản biện xã hội của Mặt trận và các đoàn thể: what the pages
//! of an activity say of their own (its columns, fields and rows); the
//! pages themselves are [`super::pages`].

use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_store::StoreError;

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};

impl KindPage for Oversight {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Ngày",
        "Đơn vị",
        "Tổ chức",
        "Hình thức",
        "Nội dung",
        "Số kiến nghị",
    ];
    const FORM_TITLE: &'static str = "Ghi nhận giám sát, phản biện xã hội";
    const BACK_LABEL: &'static str = "Danh sách giám sát, phản biện";
    const DATES: &'static [&'static str] = &["held_on"];

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        let o = self;
        vec![
            id.to_string(),
            dmy(o.held_on),
            name(names, o.unit_id),
            o.organisation.label().to_string(),
            o.kind.label().to_string(),
            o.subject.clone(),
            o.recommendations.to_string(),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị tổ chức",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("organisation", "Tổ chức thực hiện", choices!(Organisation)).required(),
            Field::new("kind", "Hình thức", choices!(OversightKind)).required(),
            Field::new("held_on", "Ngày giám sát, phản biện", Kind::Date).required(),
            Field::new("subject", "Nội dung", Kind::Area).required(),
            Field::new("targets", "Đối tượng giám sát", Kind::Text),
            Field::new("recommendations", "Số kiến nghị sau giám sát", Kind::Int),
        ])
    }

    fn defaults(s: &mut Submitted) {
        s.values.insert("recommendations".into(), "0".into());
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Oversight> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let organisation = s.choice(f("organisation"), Organisation::parse);
        let kind = s.choice(f("kind"), OversightKind::parse);
        let held_on = s.date(f("held_on"));
        let subject = s.text(f("subject"));
        let targets = s.text(f("targets"));
        let recommendations = s.int(f("recommendations"));
        if !s.ok() {
            return None;
        }
        Some(Oversight {
            unit_id: unit_id?,
            organisation: organisation?,
            kind: kind?,
            held_on: held_on?,
            subject,
            targets,
            recommendations: recommendations.unwrap_or(0),
        })
    }

    fn form(&self) -> Submitted {
        let o = self;
        records::filled([
            ("unit_id", o.unit_id.to_string()),
            ("organisation", o.organisation.code().to_string()),
            ("kind", o.kind.code().to_string()),
            ("held_on", dmy(o.held_on)),
            ("subject", o.subject.clone()),
            ("targets", o.targets.clone()),
            ("recommendations", o.recommendations.to_string()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        let o = self;
        vec![
            ("Đơn vị", name(names, o.unit_id)),
            ("Tổ chức thực hiện", o.organisation.label().into()),
            ("Hình thức", o.kind.label().into()),
            ("Ngày", dmy(o.held_on)),
            ("Nội dung", o.subject.clone()),
            ("Đối tượng giám sát", o.targets.clone()),
            ("Số kiến nghị", o.recommendations.to_string()),
        ]
    }

    fn heading(&self, id: i64) -> String {
        format!("Giám sát, phản biện số {id}")
    }
}

impl super::api::KindApi for Oversight {
    const FIELD: &'static str = "oversight";
}
