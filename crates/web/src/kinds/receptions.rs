//! Tiếp công dân: what the pages of a reception say of their own (its
//! columns, fields and rows); the pages themselves are
//! [`super::pages`].

use danvan_core::records::reception::{
    Reception, ReceptionContent, ReceptionKind, ReceptionOutcome,
};
use danvan_store::StoreError;

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::choices;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field, opt};

impl KindPage for Reception {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Ngày tiếp",
        "Đơn vị",
        "Người tiếp",
        "Hình thức",
        "Nội dung",
        "Kết quả",
        "Lượt / người",
    ];
    const FORM_TITLE: &'static str = "Ghi nhận tiếp công dân";
    const BACK_LABEL: &'static str = "Danh sách tiếp công dân";
    const DATES: &'static [&'static str] = &["received_on"];

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        let r = self;
        vec![
            id.to_string(),
            dmy(r.received_on),
            name(names, r.unit_id),
            r.official.clone(),
            r.kind.label().to_string(),
            r.content.label().to_string(),
            r.outcome.label().to_string(),
            format!("{} lượt / {} người", r.turns, r.persons),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị tiếp",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("received_on", "Ngày tiếp", Kind::Date).required(),
            Field::new("official", "Người tiếp", Kind::Text),
            Field::new("position", "Chức vụ người tiếp", Kind::Text)
                .help("Ví dụ: Chủ tịch UBND xã"),
            Field::new("kind", "Hình thức tiếp", choices!(ReceptionKind)).required(),
            Field::new("content", "Nội dung", choices!(ReceptionContent)).required(),
            Field::new("outcome", "Kết quả", choices!(ReceptionOutcome)).required(),
            Field::new("turns", "Số lượt", Kind::Int).required(),
            Field::new("persons", "Số người", Kind::Int).required(),
            Field::new("delegations", "Số đoàn đông người", Kind::Int),
            Field::new(
                "delegation_persons",
                "Số người trong đoàn đông người",
                Kind::Int,
            ),
            Field::new("petition_id", "Số đơn đã nhận", Kind::Int)
                .help("Chỉ ghi khi kết quả tiếp là «nhận đơn»."),
            Field::new("note", "Ghi chú", Kind::Area),
        ])
    }

    fn defaults(s: &mut Submitted) {
        for (k, v) in [
            ("turns", "1"),
            ("persons", "1"),
            ("delegations", "0"),
            ("delegation_persons", "0"),
        ] {
            s.values.insert(k.into(), v.into());
        }
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Reception> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let received_on = s.date(f("received_on"));
        let kind = s.choice(f("kind"), ReceptionKind::parse);
        let content = s.choice(f("content"), ReceptionContent::parse);
        let outcome = s.choice(f("outcome"), ReceptionOutcome::parse);
        let turns = s.int(f("turns"));
        let persons = s.int(f("persons"));
        let delegations = s.int(f("delegations"));
        let delegation_persons = s.int(f("delegation_persons"));
        let petition_id = s.int(f("petition_id"));
        let official = s.text(f("official"));
        let position = s.text(f("position"));
        let note = s.text(f("note"));
        if !s.ok() {
            return None;
        }
        Some(Reception {
            unit_id: unit_id?,
            received_on: received_on?,
            official,
            position,
            kind: kind?,
            content: content?,
            outcome: outcome?,
            turns: turns?,
            persons: persons?,
            delegations: delegations.unwrap_or(0),
            delegation_persons: delegation_persons.unwrap_or(0),
            petition_id,
            note,
        })
    }

    fn form(&self) -> Submitted {
        let r = self;
        records::filled([
            ("unit_id", r.unit_id.to_string()),
            ("received_on", dmy(r.received_on)),
            ("official", r.official.clone()),
            ("position", r.position.clone()),
            ("kind", r.kind.code().to_string()),
            ("content", r.content.code().to_string()),
            ("outcome", r.outcome.code().to_string()),
            ("turns", r.turns.to_string()),
            ("persons", r.persons.to_string()),
            ("delegations", r.delegations.to_string()),
            ("delegation_persons", r.delegation_persons.to_string()),
            ("petition_id", opt(r.petition_id)),
            ("note", r.note.clone()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        let r = self;
        let mut rows = vec![
            ("Đơn vị tiếp", name(names, r.unit_id)),
            ("Ngày tiếp", dmy(r.received_on)),
            ("Người tiếp", format!("{} {}", r.official, r.position)),
            ("Hình thức tiếp", r.kind.label().into()),
            ("Nội dung", r.content.label().into()),
            ("Kết quả", r.outcome.label().into()),
            ("Số lượt", r.turns.to_string()),
            ("Số người", r.persons.to_string()),
            (
                "Đoàn đông người",
                format!("{} đoàn, {} người", r.delegations, r.delegation_persons),
            ),
        ];
        if let Some(p) = r.petition_id {
            rows.push(("Đơn đã nhận", format!("số {p}")));
        }
        rows.push(("Ghi chú", r.note.clone()));
        rows
    }
}
