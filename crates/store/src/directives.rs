//! The directive register: documents with a checked number and symbol,
//! counted as facts and searchable without diacritics ("dan van kheo"
//! finds "Dân vận khéo", "57/kh-ubnd" finds "57/KH-UBND").

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::directive::{Directive, DocumentNumber};

use crate::audit::{self, Action, Change, WithId};
use crate::db::{on_pool, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::placing::{at_position, place};
use crate::{Store, StoreError};

/// The record type's name in the audit log.
const ENTITY: &str = "directive";

/// Register documents, each logged; the same number at the same unit on
/// the same day is refused, and so is a unit outside the store's subtree.
pub async fn insert_many(store: &Store, docs: &[Directive]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut ids = Vec::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        store.check_write(d.unit_id)?;
        let province = async {
            d.validate()?;
            place(
                &mut tx,
                &mut cache,
                d.unit_id,
                d.issued_on,
                "ngày ban hành",
                "issued_on",
            )
            .await
        }
        .await
        .map_err(|e| at_position(e, i, docs.len()))?;
        let exists: Option<i64> = on_tx!(&mut tx, c => {
            sqlx::query_scalar("SELECT id FROM directive WHERE unit_id = $1 AND number = $2 AND issued_on = $3")
                .bind(d.unit_id)
                .bind(d.number.text.as_str())
                .bind(d.issued_on)
                .fetch_optional(&mut *c)
                .await?
        });
        if exists.is_some() {
            let e = DomainError::new(
                "directive.duplicate",
                format!(
                    "văn bản số {} ngày {} đã có trong sổ",
                    d.number.text,
                    d.issued_on.format("%d/%m/%Y")
                ),
            )
            .at_field("number");
            return Err(at_position(e.into(), i, docs.len()));
        }
        let mut c: Vec<Contribution> = Vec::new();
        d.contributions(&mut c);
        delta.add(&mut tx, &mut cache, &c, 1).await?;
        let id: i64 = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO directive (province_id, unit_id, number, issued_on, issuer, title, search_folded) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(province)
            .bind(d.unit_id)
            .bind(d.number.text.as_str())
            .bind(d.issued_on)
            .bind(d.issuer.as_str())
            .bind(d.title.as_str())
            .bind(d.search_text())
            .fetch_one(&mut *c)
            .await?
        });
        ids.push(id);
    }
    delta.apply(&mut tx).await?;
    let created = ids.iter().zip(docs).map(|(&id, d)| {
        Change::new(Action::Create, ENTITY, id)
            .unit(d.unit_id)
            .after(&WithId { id, record: d })
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

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
    rows.into_iter()
        .map(|r| {
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
        })
        .collect()
}

/// One document; outside the store's subtree, not found.
pub async fn get(store: &Store, id: i64) -> Result<Directive, StoreError> {
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, unit_id, number, issued_on, issuer, title FROM directive WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    let not_found = || format!("văn bản chỉ đạo số {id}");
    let r = row.ok_or_else(|| StoreError::NotFound(not_found()))?;
    store.check_read(r.1, not_found)?;
    Ok(Directive {
        unit_id: r.1,
        number: DocumentNumber::parse(&r.2)?,
        issued_on: r.3,
        issuer: r.4,
        title: r.5,
    })
}
