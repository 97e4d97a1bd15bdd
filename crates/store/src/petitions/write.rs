//! Petition writes: insert, lifecycle steps, corrections and deletion,
//! each with its facts and audit entry in one transaction.

use danvan_core::DomainError;
use danvan_core::calendar::deadline::Extension;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::petition::{Event, MASK, Petition, PetitionType};
use sqlx::QueryBuilder;

use super::access::{guard_identity, is_assigned, logged, mask_for};
use super::check::{Ctx, check};
use super::row::{eligible_cols, instance_column, load_tx};
use super::{ENTITY, StoredPetition, Viewer, not_found};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
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
    let mut ctx = Ctx::load(&mut tx).await?;
    let mut delta = FactDelta::new();
    let mut rows: Vec<(i64, Petition)> = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let mut p = r.clone();
        let province = check(&mut tx, store, &mut ctx, &mut p)
            .await
            .map_err(|e| match e {
                StoreError::Invalid(d) if records.len() > 1 => {
                    StoreError::Invalid(d.at_line(i + 1))
                }
                e => e,
            })?;
        delta
            .add(&mut tx, &mut ctx.cache, &contributions(&p), 1)
            .await?;
        rows.push((province, p));
    }
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(400) {
        let got: Vec<i64> = on_tx!(&mut tx, c => {
            let mut qb = QueryBuilder::new(
                "INSERT INTO petition (province_id, unit_id, received_on, channel, senders, kind, instance, field, case_id, \
                 sender_name, sender_address, sender_phone, summary, classified_on, eligible, ineligible_reason, \
                 handled_on, handling, complex, remote, processing_deadline, deadline, rule_id, resolved_on, outcome) ",
            );
            qb.push_values(chunk, |mut b, (prov, p)| {
                let (eligible, reason) = eligible_cols(p);
                b.push_bind(*prov)
                    .push_bind(p.unit_id)
                    .push_bind(p.received_on)
                    .push_bind(p.channel.code())
                    .push_bind(p.senders)
                    .push_bind(p.kind.code())
                    .push_bind(instance_column(p))
                    .push_bind(p.field.code())
                    .push_bind(p.case_id)
                    .push_bind(p.sender.name.clone())
                    .push_bind(p.sender.address.clone())
                    .push_bind(p.sender.phone.clone())
                    .push_bind(p.summary.clone())
                    .push_bind(p.classified_on)
                    .push_bind(eligible)
                    .push_bind(reason)
                    .push_bind(p.handled_on)
                    .push_bind(p.handling.map(|h| h.code()))
                    .push_bind(p.complex)
                    .push_bind(p.remote)
                    .push_bind(p.processing_deadline)
                    .push_bind(p.deadline)
                    .push_bind(p.rule_id.clone())
                    .push_bind(p.resolved_on)
                    .push_bind(p.outcome.map(|o| o.code()));
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar().fetch_all(&mut *c).await?
        });
        ids.extend(got);
    }
    for ((prov, p), id) in rows.iter().zip(&ids) {
        if !p.extensions.is_empty() {
            insert_extensions(&mut tx, *prov, *id, &p.extensions).await?;
        }
    }
    delta.apply(&mut tx).await?;
    let created = rows.iter().zip(&ids).map(|((_, p), &id)| {
        logged(
            Change::new(Action::Create, ENTITY, id).unit(p.unit_id),
            id,
            None,
            Some(p),
        )
    });
    audit::log_many(&mut tx, store, created.collect()).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Insert one petition.
pub async fn insert(store: &Store, p: &Petition) -> Result<i64, StoreError> {
    Ok(insert_many(store, std::slice::from_ref(p)).await?[0])
}

async fn write_row(tx: &mut Tx, id: i64, province: i64, p: &Petition) -> Result<(), StoreError> {
    let (eligible, reason) = eligible_cols(p);
    on_tx!(tx, c => {
        sqlx::query(
            "UPDATE petition SET province_id = $1, unit_id = $2, received_on = $3, channel = $4, senders = $5, \
             kind = $6, field = $7, case_id = $8, sender_name = $9, sender_address = $10, sender_phone = $11, \
             summary = $12, classified_on = $13, eligible = $14, ineligible_reason = $15, handled_on = $16, \
             handling = $17, complex = $18, remote = $19, processing_deadline = $20, deadline = $21, \
             rule_id = $22, resolved_on = $23, outcome = $24, instance = $25 WHERE id = $26",
        )
        .bind(province)
        .bind(p.unit_id)
        .bind(p.received_on)
        .bind(p.channel.code())
        .bind(p.senders)
        .bind(p.kind.code())
        .bind(p.field.code())
        .bind(p.case_id)
        .bind(p.sender.name.as_str())
        .bind(p.sender.address.as_str())
        .bind(p.sender.phone.as_str())
        .bind(p.summary.as_str())
        .bind(p.classified_on)
        .bind(eligible)
        .bind(reason)
        .bind(p.handled_on)
        .bind(p.handling.map(|h| h.code()))
        .bind(p.complex)
        .bind(p.remote)
        .bind(p.processing_deadline)
        .bind(p.deadline)
        .bind(p.rule_id.as_deref())
        .bind(p.resolved_on)
        .bind(p.outcome.map(|o| o.code()))
        .bind(instance_column(p))
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

async fn move_province(tx: &mut Tx, id: i64, province: i64) -> Result<(), StoreError> {
    for table in ["petition_extension", "petition_assignment"] {
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
    let mut ctx = Ctx::load(&mut tx).await?;
    let province_new = check(&mut tx, store, &mut ctx, &mut next).await?;
    debug_assert_eq!(province, province_new);
    facts::replace(
        &mut tx,
        &mut ctx.cache,
        &contributions(&old),
        &contributions(&next),
    )
    .await?;
    write_row(&mut tx, id, province_new, &next).await?;
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
        return Err(DomainError::new(
            "petition.masked_kind",
            format!(
                "đơn số {id} là đơn tố cáo: người không được xem danh tính người tố cáo \
                 không đổi được loại đơn"
            ),
        )
        .at_field("kind")
        .into());
    }
    let mut ctx = Ctx::load(&mut tx).await?;
    let province = check(&mut tx, store, &mut ctx, &mut next).await?;
    facts::replace(
        &mut tx,
        &mut ctx.cache,
        &contributions(&old),
        &contributions(&next),
    )
    .await?;
    write_row(&mut tx, id, province, &next).await?;
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
