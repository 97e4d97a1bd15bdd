//! The directive register: documents with a checked number and symbol,
//! counted as facts and searchable without diacritics ("dan van kheo"
//! finds "Dân vận khéo", "57/kh-ubnd" finds "57/KH-UBND").

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::kind::RecordKind;

use crate::db::{Tx, on_pool, on_tx};
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::DIRECTIVE_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;
use crate::{Store, StoreError};

impl Table for Directive {
    const KIND: RecordKind = RecordKind::Directive;
    const TABLE: &'static str = "directive";
    const DAY: &'static str = "issued_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "number",
        "issued_on",
        "issuer",
        "title",
        "search_folded",
    ];
    type Row = (i64, i64, String, NaiveDate, String, String, String);

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        // The search column is derived: the record is the rest.
        from_search_row((r.0, r.1, r.2, r.3, r.4, r.5))
    }

    fn values(&self) -> Vec<Value<'_>> {
        vec![
            Value::Int(self.unit_id),
            Value::Text(&self.number.text),
            Value::Date(self.issued_on),
            Value::Text(&self.issuer),
            Value::Text(&self.title),
            Value::Derived(self.search_text()),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Directive::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.issued_on, "ngày ban hành", "issued_on")
    }

    /// The register holds each document once: the same number at the
    /// same unit on the same day is refused.
    async fn check_more(
        &self,
        tx: &mut Tx,
        _: &Store,
        this: Option<i64>,
    ) -> Result<(), StoreError> {
        let exists: Option<i64> = on_tx!(tx, c => {
            sqlx::query_scalar(
                "SELECT id FROM directive WHERE unit_id = $1 AND number = $2 AND issued_on = $3 AND id <> $4",
            )
            .bind(self.unit_id)
            .bind(self.number.text.as_str())
            .bind(self.issued_on)
            .bind(this.unwrap_or(0))
            .fetch_optional(&mut *c)
            .await?
        });
        match exists {
            Some(_) => Err(self.repeated().into()),
            None => Ok(()),
        }
    }

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{} {} {}",
            self.unit_id, self.number.text, self.issued_on
        ))
    }

    fn repeated(&self) -> DomainError {
        DomainError::new(
            "directive.duplicate",
            format!(
                "văn bản số {} ngày {} đã có trong sổ",
                self.number.text,
                self.issued_on.format("%d/%m/%Y")
            ),
        )
        .at_field("number")
    }
}

impl Import for Directive {
    const CSV_COLUMNS: &'static [&'static str] = &DIRECTIVE_COLUMNS;
    const ERRORS: &'static str = "directive.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
        let issued_on = c.required_date("issued_on");
        let unit_id = c.unit(all_units, issued_on, today);
        let number = c.required_vocab("number", DocumentNumber::parse);
        let (Some(unit_id), Some(issued_on), Some(number)) = (unit_id, issued_on, number) else {
            return None;
        };
        let r = Directive {
            unit_id,
            number,
            issued_on,
            issuer: c.text("issuer"),
            title: c.text("title"),
        };
        Some(r)
    }
}

record_functions!(Directive);

type Row = (i64, i64, String, NaiveDate, String, String);

/// Documents whose number, issuer or title contain every word of `query`
/// (diacritics and case ignored), in a unit's subtree, newest first. A
/// unit outside the store's subtree is not found.
pub async fn search(
    store: &Store,
    query: &str,
    within: i64,
) -> Result<Vec<(i64, Directive)>, StoreError> {
    search_in(store, query, Some(within)).await
}

/// [`search`] in the store's whole subtree when `within` is `None` (the
/// whole country for a national store); an empty query lists the newest.
pub async fn search_in(
    store: &Store,
    query: &str,
    within: Option<i64>,
) -> Result<Vec<(i64, Directive)>, StoreError> {
    let root = store.read_root(within)?;
    let words = danvan_core::text::search_patterns(query)?;
    let mut sql = String::from(
        "SELECT d.id, d.unit_id, d.number, d.issued_on, d.issuer, d.title FROM directive d",
    );
    if root.is_some() {
        sql.push_str(" JOIN unit_path up ON up.unit_id = d.unit_id AND up.ancestor_id = $1");
    }
    sql.push_str(" WHERE 1 = 1");
    let first = if root.is_some() { 2 } else { 1 };
    for i in 0..words.len() {
        sql.push_str(&format!(" AND d.search_folded LIKE ${}", i + first));
    }
    sql.push_str(" ORDER BY d.issued_on DESC, d.id DESC LIMIT 200");
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        if let Some(r) = root {
            q = q.bind(r);
        }
        for w in &words {
            q = q.bind(w.as_str());
        }
        q.fetch_all(p).await?
    });
    rows.into_iter().map(from_search_row).collect()
}

fn from_search_row(r: Row) -> Result<(i64, Directive), StoreError> {
    Ok((
        r.0,
        Directive {
            unit_id: r.1,
            number: DocumentNumber::parse(&r.2)?,
            issued_on: r.3,
            issuer: r.4,
            title: r.5,
        },
    ))
}

/// The documents issued in the subtree of `within` (of the store's whole
/// subtree when `None`) from `from` to `to`, oldest first, at most
/// `limit`: the register a report lists in its annex. A unit outside the
/// store's subtree is not found.
pub async fn issued(
    store: &Store,
    within: Option<i64>,
    (from, to): (NaiveDate, NaiveDate),
    limit: i64,
) -> Result<Vec<(i64, Directive)>, StoreError> {
    let root = store.read_root(within)?;
    let within = match root {
        Some(_) => " JOIN unit_path up ON up.unit_id = d.unit_id AND up.ancestor_id = $4",
        None => "",
    };
    let sql = format!(
        "SELECT d.id, d.unit_id, d.number, d.issued_on, d.issuer, d.title FROM directive d{within} \
         WHERE d.issued_on BETWEEN $1 AND $2 ORDER BY d.issued_on, d.id LIMIT $3"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(from).bind(to).bind(limit);
        if let Some(r) = root {
            q = q.bind(r);
        }
        q.fetch_all(p).await?
    });
    rows.into_iter().map(from_search_row).collect()
}
