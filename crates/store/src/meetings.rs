//! Meetings (đối thoại, tiếp xúc cử tri) with their opinions: one meeting
//! and its opinions are written, and its facts kept, in one transaction.

use chrono::NaiveDate;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use sqlx::QueryBuilder;

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::listing::{self, IdCursor, fetch_recent};
use crate::placing::{at_position, place};
use crate::version;
use crate::{Store, StoreError, Version};

type Row = (i64, String, NaiveDate, String, String, i64, String);

/// The record type's name in the audit log.
const ENTITY: &str = "meeting";

fn not_found(id: i64) -> String {
    format!("hội nghị số {id}")
}

fn contributions(m: &Meeting) -> Vec<Contribution> {
    let mut out = Vec::new();
    m.contributions(&mut out);
    out
}

/// Insert meetings and their opinions, each logged; one bad meeting, or one
/// outside the store's subtree, and nothing is written.
pub async fn insert_many(store: &Store, meetings: &[Meeting]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    let mut ids = Vec::with_capacity(meetings.len());
    for (i, m) in meetings.iter().enumerate() {
        store.check_write(m.unit_id)?;
        let p = async {
            m.validate()?;
            place(
                &mut tx,
                &mut cache,
                m.unit_id,
                m.held_on,
                "ngày tổ chức",
                "held_on",
            )
            .await
        }
        .await
        .map_err(|e| at_position(e, i, meetings.len()))?;
        delta.add(&mut tx, &mut cache, &contributions(m), 1).await?;
        let id: i64 = on_tx!(&mut tx, c => {
            sqlx::query_scalar(
                "INSERT INTO meeting (province_id, unit_id, kind, held_on, chair, deputies, participants, subject) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(p)
            .bind(m.unit_id)
            .bind(m.kind.code())
            .bind(m.held_on)
            .bind(m.chair.as_str())
            .bind(m.deputies.as_str())
            .bind(m.participants)
            .bind(m.subject.as_str())
            .fetch_one(&mut *c)
            .await?
        });
        for chunk in m.opinions.chunks(1000) {
            on_tx!(&mut tx, c => {
                let mut qb = QueryBuilder::new(
                    "INSERT INTO meeting_opinion (province_id, meeting_id, content, follow_up) ",
                );
                qb.push_values(chunk, |mut b, o| {
                    b.push_bind(p).push_bind(id).push_bind(o.content.as_str()).push_bind(o.follow_up.code());
                });
                qb.build().execute(&mut *c).await?;
            });
        }
        ids.push(id);
    }
    delta.apply(&mut tx).await?;
    let created = ids.iter().zip(meetings).map(|(&id, m)| {
        Change::new(Action::Create, ENTITY, id)
            .unit(m.unit_id)
            .after(&WithId { id, record: m })
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// A stored meeting; outside the store's subtree it is not found.
async fn get_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<Meeting, StoreError> {
    let row: Option<Row> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT unit_id, kind, held_on, chair, deputies, participants, subject FROM meeting WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let r = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
    store.check_read(r.0, || not_found(id))?;
    let ops: Vec<(String, String)> = on_tx!(tx, c => {
        sqlx::query_as("SELECT content, follow_up FROM meeting_opinion WHERE meeting_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *c)
            .await?
    });
    let opinions = ops
        .into_iter()
        .map(|(content, f)| {
            Ok(Opinion {
                content,
                follow_up: FollowUp::parse(&f)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Meeting {
        unit_id: r.0,
        kind: MeetingKind::parse(&r.1)?,
        held_on: r.2,
        chair: r.3,
        deputies: r.4,
        participants: r.5,
        subject: r.6,
        opinions,
    })
}

pub async fn get(store: &Store, id: i64) -> Result<Meeting, StoreError> {
    let mut tx = store.begin_read().await?;
    let m = get_tx(&mut tx, store, id).await?;
    tx.end_read().await?;
    Ok(m)
}

/// One meeting and its version, for recording a follow-up.
pub async fn get_for_edit(store: &Store, id: i64) -> Result<(Meeting, Version), StoreError> {
    let v = version::read(store, "meeting", id).await?;
    Ok((get(store, id).await?, v))
}

/// Record a new follow-up for the `index`-th opinion (0-based) of a
/// meeting, e.g. when a written answer is sent. `read` is the version the
/// change was made on; a later one refuses it.
pub async fn set_follow_up(
    store: &Store,
    id: i64,
    index: usize,
    f: FollowUp,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    store.check_write(old.unit_id)?;
    version::claim(&mut tx, "meeting", id, read, || not_found(id)).await?;
    if index >= old.opinions.len() {
        return Err(StoreError::NotFound(format!(
            "ý kiến thứ {} của hội nghị số {id}",
            index + 1
        )));
    }
    let mut new = old.clone();
    new.opinions[index].follow_up = f;
    let mut cache = UnitCache::default();
    facts::replace(
        &mut tx,
        &mut cache,
        &contributions(&old),
        &contributions(&new),
    )
    .await?;
    on_tx!(&mut tx, c => {
        let oid: i64 = sqlx::query_scalar(
            "SELECT id FROM meeting_opinion WHERE meeting_id = $1 ORDER BY id LIMIT 1 OFFSET $2",
        )
        .bind(id)
        .bind(index as i64)
        .fetch_one(&mut *c)
        .await?;
        sqlx::query("UPDATE meeting_opinion SET follow_up = $1 WHERE id = $2")
            .bind(f.code())
            .bind(oid)
            .execute(&mut *c)
            .await?;
    });
    let change = Change::new(Action::Update, ENTITY, id)
        .unit(new.unit_id)
        .before(&WithId { id, record: &old })
        .after(&WithId { id, record: &new });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Delete a meeting, its opinions and its facts.
pub async fn delete(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = get_tx(&mut tx, store, id).await?;
    let mut cache = UnitCache::default();
    facts::replace(&mut tx, &mut cache, &contributions(&old), &[]).await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM meeting_opinion WHERE meeting_id = $1").bind(id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM meeting WHERE id = $1").bind(id).execute(&mut *c).await?;
    });
    let change = Change::new(Action::Delete, ENTITY, id)
        .unit(old.unit_id)
        .before(&WithId { id, record: &old });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// The newest meetings of a unit's subtree (of the store's whole subtree
/// when `unit` is `None`), at most `limit`, each with its opinions.
pub async fn list(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    list_page(store, unit, limit, IdCursor::First).await
}

/// [`list`] on the page `cursor` names (newest first, by number).
pub async fn list_page(
    store: &Store,
    unit: Option<i64>,
    limit: i64,
    cursor: IdCursor,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    let q = listing::recent_within(
        store,
        "r.id, r.unit_id, r.kind, r.held_on, r.chair, r.deputies, r.participants, r.subject",
        "meeting r",
        unit,
        None,
        limit,
        cursor,
    )?;
    let rows = fetch_recent!(
        store,
        q,
        (i64, i64, String, NaiveDate, String, String, i64, String)
    );
    let mut opinions: std::collections::HashMap<i64, Vec<Opinion>> = Default::default();
    if !rows.is_empty() {
        let ops: Vec<(i64, String, String)> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(
                "SELECT meeting_id, content, follow_up FROM meeting_opinion WHERE meeting_id IN (",
            );
            let mut sep = qb.separated(", ");
            for r in &rows {
                sep.push_bind(r.0);
            }
            qb.push(") ORDER BY id");
            qb.build_query_as().fetch_all(p).await?
        });
        for (id, content, f) in ops {
            opinions.entry(id).or_default().push(Opinion {
                content,
                follow_up: FollowUp::parse(&f)?,
            });
        }
    }
    rows.into_iter()
        .map(|r| {
            Ok((
                r.0,
                Meeting {
                    unit_id: r.1,
                    kind: MeetingKind::parse(&r.2)?,
                    held_on: r.3,
                    chair: r.4,
                    deputies: r.5,
                    participants: r.6,
                    subject: r.7,
                    opinions: opinions.remove(&r.0).unwrap_or_default(),
                },
            ))
        })
        .collect()
}
