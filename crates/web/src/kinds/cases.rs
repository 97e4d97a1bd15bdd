//! Vụ việc: what the pages of a case say of their own (its columns, fields
//! and rows, and how many petitions it groups); the pages themselves are
//! [`super::pages`]. A case is resolved by correcting it with the day
//! it was resolved.

use danvan_core::number;
use danvan_core::records::petition::Case;
use danvan_store::{Store, StoreError, cases};

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};

/// "phức tạp, đông người": the case's flags as a list names them.
fn flags(c: &Case) -> String {
    let mut out = Vec::new();
    if c.complex {
        out.push("phức tạp");
    }
    if c.crowd {
        out.push("đông người");
    }
    if c.prolonged {
        out.push("kéo dài");
    }
    out.join(", ")
}

/// Its state: open, or resolved on a day.
fn state(c: &Case) -> String {
    match c.resolved_on {
        Some(d) => format!("Đã giải quyết ngày {}", dmy(d)),
        None => "Đang giải quyết".into(),
    }
}

fn yes(b: bool) -> String {
    if b { "1" } else { "" }.into()
}

impl KindPage for Case {
    const HEADINGS: &'static [&'static str] = &[
        "Số",
        "Ngày phát sinh",
        "Đơn vị",
        "Vụ việc",
        "Tính chất",
        "Trạng thái",
    ];
    const FORM_TITLE: &'static str = "Ghi nhận vụ việc";
    const BACK_LABEL: &'static str = "Danh sách vụ việc";
    const DATES: &'static [&'static str] = &["opened_on"];

    fn cells(&self, id: i64, names: &Names) -> Vec<String> {
        vec![
            id.to_string(),
            dmy(self.opened_on),
            name(names, self.unit_id),
            self.title.clone(),
            flags(self),
            state(self),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị thụ lý",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("opened_on", "Ngày phát sinh", Kind::Date).required(),
            Field::new("title", "Nội dung vụ việc", Kind::Area)
                .required()
                .help("Ví dụ: Khiếu nại về bồi thường giải phóng mặt bằng dự án đường ĐT 725"),
            Field::new("complex", "Phức tạp", Kind::Bool),
            Field::new("crowd", "Đông người", Kind::Bool),
            Field::new("prolonged", "Kéo dài", Kind::Bool),
            Field::new("resolved_on", "Ngày giải quyết xong", Kind::Date)
                .help("Để trống khi vụ việc đang giải quyết."),
        ])
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Case> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let opened_on = s.date(f("opened_on"));
        let title = s.text(f("title"));
        let complex = s.bool(f("complex"));
        let crowd = s.bool(f("crowd"));
        let prolonged = s.bool(f("prolonged"));
        let resolved_on = s.date(f("resolved_on"));
        if !s.ok() {
            return None;
        }
        Some(Case {
            unit_id: unit_id?,
            opened_on: opened_on?,
            title,
            complex,
            crowd,
            prolonged,
            resolved_on,
        })
    }

    fn form(&self) -> Submitted {
        records::filled([
            ("unit_id", self.unit_id.to_string()),
            ("opened_on", dmy(self.opened_on)),
            ("title", self.title.clone()),
            ("complex", yes(self.complex)),
            ("crowd", yes(self.crowd)),
            ("prolonged", yes(self.prolonged)),
            ("resolved_on", self.resolved_on.map(dmy).unwrap_or_default()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        vec![
            ("Đơn vị thụ lý", name(names, self.unit_id)),
            ("Ngày phát sinh", dmy(self.opened_on)),
            ("Nội dung vụ việc", self.title.clone()),
            ("Tính chất", flags(self)),
            ("Trạng thái", state(self)),
        ]
    }

    async fn related(store: &Store, id: i64) -> Result<Vec<(&'static str, String)>, StoreError> {
        let n = cases::petition_counts(store, &[id])
            .await?
            .get(&id)
            .copied()
            .unwrap_or(0);
        Ok(vec![("Số đơn gộp vào vụ việc", number::int(n))])
    }
}

impl super::api::KindApi for Case {}
