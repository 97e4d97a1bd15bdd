//! Văn bản chỉ đạo: what the pages of the register say of their own (its
//! columns, fields, rows and a search that ignores diacritics: "dan van
//! kheo" finds "Dân vận khéo"); the pages themselves are
//! [`super::pages`].

use chrono::NaiveDate;
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_store::listing::IdCursor;
use danvan_store::{Store, StoreError, directives};

use super::pages::{KindPage, Names, name};
use crate::auth::Ctx;
use crate::forms::{self, Field, Kind, Submitted};
use crate::pages::records::{self, dmy, field};

impl KindPage for Directive {
    const HEADINGS: &'static [&'static str] = &[
        "Số, ký hiệu",
        "Ngày ban hành",
        "Đơn vị",
        "Cơ quan ban hành",
        "Trích yếu",
    ];
    const FORM_TITLE: &'static str = "Vào sổ văn bản chỉ đạo";
    const BACK_LABEL: &'static str = "Sổ văn bản chỉ đạo";
    const DATES: &'static [&'static str] = &["issued_on"];
    const SEARCH: bool = true;

    fn cells(&self, _: i64, names: &Names) -> Vec<String> {
        let d = self;
        vec![
            d.number.text.clone(),
            dmy(d.issued_on),
            name(names, d.unit_id),
            d.issuer.clone(),
            d.title.clone(),
        ]
    }

    async fn fields(ctx: &Ctx) -> Result<Vec<Field>, StoreError> {
        Ok(vec![
            Field::new(
                "unit_id",
                "Đơn vị ban hành",
                forms::unit_choice(&ctx.store).await?,
            )
            .required(),
            Field::new("number", "Số, ký hiệu", Kind::Text)
                .required()
                .help("Ví dụ: 57/KH-UBND, 09/2019/NĐ-CP, 111-BC/TU"),
            Field::new("issued_on", "Ngày ban hành", Kind::Date).required(),
            Field::new("issuer", "Cơ quan ban hành", Kind::Text).help("Ví dụ: UBND huyện"),
            Field::new("title", "Trích yếu", Kind::Area).required(),
        ])
    }

    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Directive> {
        let f = |n| field(fields, n);
        let unit_id = s.int(f("unit_id"));
        let number = s.choice(f("number"), DocumentNumber::parse);
        let issued_on = s.date(f("issued_on"));
        let issuer = s.text(f("issuer"));
        let title = s.text(f("title"));
        if !s.ok() {
            return None;
        }
        Some(Directive {
            unit_id: unit_id?,
            number: number?,
            issued_on: issued_on?,
            issuer,
            title,
        })
    }

    fn form(&self) -> Submitted {
        let d = self;
        records::filled([
            ("unit_id", d.unit_id.to_string()),
            ("number", d.number.text.clone()),
            ("issued_on", dmy(d.issued_on)),
            ("issuer", d.issuer.clone()),
            ("title", d.title.clone()),
        ])
    }

    fn detail(&self, names: &Names) -> Vec<(&'static str, String)> {
        let d = self;
        vec![
            ("Số, ký hiệu", d.number.text.clone()),
            ("Ngày ban hành", dmy(d.issued_on)),
            ("Đơn vị", name(names, d.unit_id)),
            ("Cơ quan ban hành", d.issuer.clone()),
            ("Trích yếu", d.title.clone()),
        ]
    }

    fn heading(&self, _: i64) -> String {
        format!("Văn bản số {}", self.number.text)
    }

    async fn search(
        store: &Store,
        words: &str,
        unit: Option<i64>,
        days: Option<(NaiveDate, NaiveDate)>,
        cursor: IdCursor,
    ) -> Result<Vec<(i64, Directive)>, StoreError> {
        // The register's order is by issue date, and the store returns at
        // most its newest 200 matches: a page's key is found among them.
        let mut found = directives::search_in(store, words, unit).await?;
        if let Some((from, to)) = days {
            found.retain(|(_, d)| (from..=to).contains(&d.issued_on));
        }
        let at = |k: i64| found.iter().position(|(id, _)| *id == k);
        let take = records::PAGE as usize + 1;
        Ok(match cursor {
            IdCursor::First => found.into_iter().take(take).collect(),
            IdCursor::Below(k) => match at(k) {
                Some(i) => found.into_iter().skip(i + 1).take(take).collect(),
                None => Vec::new(),
            },
            IdCursor::Above(k) => {
                let end = at(k).unwrap_or(0);
                found.truncate(end);
                found.split_off(end.saturating_sub(take))
            }
        })
    }
}
