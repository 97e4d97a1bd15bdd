//! Petition writes: insert, lifecycle steps, corrections and deletion,
//! each with its facts and audit entry in one transaction.

use danvan_core::calendar::deadline::Extension;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::petition::{Event, MASK, Petition, PetitionType};
use danvan_core::text::fold;

use super::access::{guard_identity, is_assigned, logged, mask_for, masked_kind, masked_summary};
use super::check::{Ctx, check};
use super::row::{eligible_cols, instance_column, load_tx};
use super::{ENTITY, StoredPetition, Viewer, not_found};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::table::{Value, insert_rows, update_row};
use crate::version;
use crate::{Store, StoreError, Version};

fn contributions(p: &Petition) -> Vec<Contribution> {
    let mut out = Vec::new();
    p.contributions(&mut out);
    out
}

async fn insert_extensions(
    tx: &mut Tx,
    province_id: i64,
    id: i64,
    exts: &[Extension],
) -> Result<(), StoreError> {
    let mut ordered: Vec<&Extension> = exts.iter().collect();
    ordered.sort_by_key(|e| e.decided_on);
    for (seq, e) in ordered.into_iter().enumerate() {
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO petition_extension (province_id, petition_id, seq, decided_on, days, decision_no) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(province_id)
            .bind(id)
            .bind(seq as i64)
            .bind(e.decided_on)
            .bind(i64::from(e.days))
            .bind(e.decision_no.as_str())
            .execute(&mut *c)
            .await?;
        });
    }
    Ok(())
}

/// Insert many petitions (each with whatever lifecycle it has reached) in
/// one transaction, each logged. Any bad record — reported with its
/// 1-based position — or one outside the store's subtree, and nothing is
/// written.
pub async fn insert_many(store: &Store, records: &[Petition]) -> Result<Vec<i64>, StoreError> {
    let mut tx = store.begin().await?;
    let ids = insert_many_tx(&mut tx, store, records).await?;
    tx.commit().await?;
    Ok(ids)
}

/// [`insert_many`] inside a transaction the caller commits: the portal
/// writes a petition and its submission together.
pub(crate) async fn insert_many_tx(
    tx: &mut Tx,
    store: &Store,
    records: &[Petition],
) -> Result<Vec<i64>, StoreError> {
    let mut ctx = Ctx::load(&mut *tx).await?;
    let mut delta = FactDelta::new();
    let mut rows: Vec<(i64, Petition)> = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let mut p = r.clone();
        let province = check(&mut *tx, store, &mut ctx, &mut p)
            .await
            .map_err(|e| match e {
                StoreError::Invalid(d) if records.len() > 1 => {
                    StoreError::Invalid(d.at_line(i + 1))
                }
                e => e,
            })?;
        delta
            .add(&mut *tx, &mut ctx.cache, &contributions(&p), 1)
            .await?;
        rows.push((province, p));
    }
    let values = rows.iter().map(|(prov, p)| (*prov, values(p)));
    let ids = insert_rows(&mut *tx, "petition", COLUMNS, values.collect()).await?;
    for ((prov, p), id) in rows.iter().zip(&ids) {
        if !p.extensions.is_empty() {
            insert_extensions(&mut *tx, *prov, *id, &p.extensions).await?;
        }
    }
    delta.apply(&mut *tx).await?;
    let created = rows.iter().zip(&ids).map(|((_, p), &id)| {
        logged(
            Change::new(Action::Create, ENTITY, id).unit(p.unit_id),
            id,
            None,
            Some(p),
        )
    });
    audit::log_many(tx, store, created.collect()).await?;
    Ok(ids)
}

/// Insert one petition.
pub async fn insert(store: &Store, p: &Petition) -> Result<i64, StoreError> {
    Ok(insert_many(store, std::slice::from_ref(p)).await?[0])
}

/// Check the petition as it becomes, move its facts from `old` to `next`
/// and write its row; returns its province.
async fn rewrite(
    tx: &mut Tx,
    store: &Store,
    id: i64,
    old: &Petition,
    next: &mut Petition,
) -> Result<i64, StoreError> {
    let mut ctx = Ctx::load(tx).await?;
    let province = check(tx, store, &mut ctx, next).await?;
    let (before, after) = (contributions(old), contributions(next));
    facts::replace(tx, &mut ctx.cache, &before, &after).await?;
    write_row(tx, id, province, next).await?;
    Ok(province)
}

async fn write_row(tx: &mut Tx, id: i64, province: i64, p: &Petition) -> Result<(), StoreError> {
    update_row(tx, "petition", COLUMNS, id, province, values(p)).await
}

/// The columns of a petition row after `province_id`, as [`values`] gives them.
const COLUMNS: &[&str] = &[
    "unit_id",
    "received_on",
    "channel",
    "senders",
    "kind",
    "instance",
    "field",
    "case_id",
    "sender_name",
    "sender_address",
    "sender_phone",
    "summary",
    "classified_on",
    "eligible",
    "ineligible_reason",
    "handled_on",
    "handling",
    "complex",
    "remote",
    "processing_deadline",
    "deadline",
    "rule_id",
    "resolved_on",
    "outcome",
    "search_folded",
    "sender_folded",
];

fn values(p: &Petition) -> Vec<Value<'_>> {
    let (eligible, reason) = eligible_cols(p);
    vec![
        Value::Int(p.unit_id),
        Value::Date(p.received_on),
        Value::Text(p.channel.code()),
        Value::Int(p.senders),
        Value::Text(p.kind.code()),
        Value::Small(instance_column(p)),
        Value::Text(p.field.code()),
        Value::OptInt(p.case_id),
        Value::Text(&p.sender.name),
        Value::Text(&p.sender.address),
        Value::Text(&p.sender.phone),
        Value::Text(&p.summary),
        Value::OptDate(p.classified_on),
        Value::OptBool(eligible),
        Value::OptText(reason),
        Value::OptDate(p.handled_on),
        Value::OptText(p.handling.map(|h| h.code())),
        Value::Bool(p.complex),
        Value::Bool(p.remote),
        Value::OptDate(p.processing_deadline),
        Value::OptDate(p.deadline),
        Value::OptText(p.rule_id.as_deref()),
        Value::OptDate(p.resolved_on),
        Value::OptText(p.outcome.map(|o| o.code())),
        Value::Derived(search_folded(p)),
        Value::Derived(sender_folded(p)),
    ]
}

/// What the list's search finds a petition by, folded (see
/// [`danvan_core::text::fold`]): its summary…
pub(crate) fn search_folded(p: &Petition) -> String {
    fold(&p.summary)
}

/// …and its sender, searched only where the reader may see the sender
/// (never a denouncer, for a reader not assigned).
pub(crate) fn sender_folded(p: &Petition) -> String {
    fold(&format!("{} {}", p.sender.name, p.sender.address))
}

async fn move_province(tx: &mut Tx, id: i64, province: i64) -> Result<(), StoreError> {
    for table in [
        "petition_extension",
        "petition_assignment",
        "portal_submission",
        "open311_request",
        "portal_message",
        "portal_attachment",
        "petition_answer",
    ] {
        let sql = format!("UPDATE {table} SET province_id = $1 WHERE petition_id = $2");
        on_tx!(tx, c => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(province).bind(id).execute(&mut *c).await?;
        });
    }
    Ok(())
}

/// Apply one lifecycle step (classify, handle, extend, resolve) to a stored
/// petition. An illegal step, a date out of order or a deadline rule that
/// refuses an extension returns a Vietnamese error and writes nothing.
pub async fn transition(
    store: &Store,
    id: i64,
    event: &Event,
    viewer: Viewer,
) -> Result<StoredPetition, StoreError> {
    let mut tx = store.begin().await?;
    let (province, old) = load_tx(&mut tx, store, id).await?;
    let mut next = old.apply(event)?;
    let province_new = rewrite(&mut tx, store, id, &old, &mut next).await?;
    debug_assert_eq!(province, province_new);
    // A step is new information: a correction opened before it is stale.
    version::bump(&mut tx, "petition", id).await?;
    if let Event::Extend(e) = event {
        on_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO petition_extension (province_id, petition_id, seq, decided_on, days, decision_no) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(province_new)
            .bind(id)
            .bind(old.extensions.len() as i64)
            .bind(e.decided_on)
            .bind(i64::from(e.days))
            .bind(e.decision_no.as_str())
            .execute(&mut *c)
            .await?;
        });
    }
    let change = logged(
        Change::new(Action::Transition, ENTITY, id).unit(next.unit_id),
        id,
        Some(&old),
        Some(&next),
    );
    audit::log(&mut tx, store, change).await?;
    let masked = mask_for(&mut tx, id, &next, viewer).await?;
    tx.commit().await?;
    Ok(masked)
}

/// Replace a petition as a whole (corrections: unit, dates, kind, any
/// lifecycle reachable by the state machine). A sender field given as
/// `***` (what a non-assigned viewer read) keeps the stored value.
///
/// A denunciation's identity and kind are for its assigned handlers alone:
/// anyone else must send the sender masked, as they read it, and keep the
/// kind. Erasing the identity would destroy it; turning the denunciation
/// into a complaint would show the denouncer to whoever reads it next. (A
/// sender equal to the stored one is refused too, or the refusal would
/// tell a guesser whether they guessed right.)
///
/// `read` is the version the correction was made on: a later step or
/// correction by someone else refuses it.
pub async fn update(
    store: &Store,
    id: i64,
    p: &Petition,
    viewer: Viewer,
    read: Version,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let (_, old) = load_tx(&mut tx, store, id).await?;
    version::claim(&mut tx, "petition", id, read, || not_found(id)).await?;
    let mut next = p.clone();
    if old.kind == PetitionType::Denunciation && !is_assigned(&mut tx, id, viewer).await? {
        guard_identity(id, &old, &next)?;
        // The content as this viewer read it, with the sender out of
        // sight, keeps what is stored.
        if next.summary == masked_summary(&old) {
            next.summary = old.summary.clone();
        }
    }
    let s = &mut next.sender;
    let any_masked = [&s.name, &s.address, &s.phone].iter().any(|f| *f == MASK);
    for (field, stored) in [
        (&mut s.name, &old.sender.name),
        (&mut s.address, &old.sender.address),
        (&mut s.phone, &old.sender.phone),
    ] {
        if field == MASK {
            *field = stored.clone();
        }
    }
    if any_masked && old.kind == PetitionType::Denunciation && next.kind != old.kind {
        return Err(masked_kind(id));
    }
    let province = rewrite(&mut tx, store, id, &old, &mut next).await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM petition_extension WHERE petition_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    insert_extensions(&mut tx, province, id, &next.extensions).await?;
    move_province(&mut tx, id, province).await?;
    let change = logged(
        Change::new(Action::Update, ENTITY, id).unit(next.unit_id),
        id,
        Some(&old),
        Some(&next),
    );
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Delete a petition, its extensions and assignments, and take its
/// contributions out of the facts.
pub async fn delete(store: &Store, id: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let (_, old) = load_tx(&mut tx, store, id).await?;
    let mut cache = UnitCache::default();
    facts::replace(&mut tx, &mut cache, &contributions(&old), &[]).await?;
    for sql in [
        "DELETE FROM petition_extension WHERE petition_id = $1",
        "DELETE FROM petition_assignment WHERE petition_id = $1",
        "DELETE FROM portal_attachment WHERE petition_id = $1",
        "DELETE FROM portal_message WHERE petition_id = $1",
        "DELETE FROM portal_submission WHERE petition_id = $1",
        "DELETE FROM open311_request WHERE petition_id = $1",
        "DELETE FROM petition_answer WHERE petition_id = $1",
        "DELETE FROM petition WHERE id = $1",
    ] {
        on_tx!(&mut tx, c => {
            sqlx::query(sql).bind(id).execute(&mut *c).await?;
        });
    }
    let change = logged(
        Change::new(Action::Delete, ENTITY, id).unit(old.unit_id),
        id,
        Some(&old),
        None,
    );
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}
