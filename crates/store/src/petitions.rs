//! Petitions (đơn thư) and cases (vụ việc): writes keep facts in step in
//! one transaction, lifecycle steps go through core's state machine, and
//! deadlines come from the rule table and day schedule stored as data.
//!
//! **Denouncer secrecy** is enforced here: every function that returns a
//! petition takes a [`Viewer`] and masks the sender of a denunciation
//! unless the viewer is assigned to it (`petition_assignment`). There is
//! no unmasked read outside this module. The audit log keeps petitions
//! masked too, with the identity apart ([`logged`]), read back only by
//! [`logged_identity`] for an assigned viewer. Only an assigned viewer may
//! change a denouncer's identity or the kind of a denunciation.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::{
    DueStatus, Extension, Procedure, RuleTable, compute_deadline, due_status,
};
use danvan_core::calendar::workdays::WorkCalendar;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::petition::{
    Case, Eligibility, Event, Handling, IneligibleReason, Instance, MASK, Outcome, Petition,
    PetitionChannel, PetitionField, PetitionStatus, PetitionType, Sender,
};
use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::audit::{self, Action, Change, WithId};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{self, FactDelta, UnitCache};
use crate::{Store, StoreError, deadlines, units};

/// Who is reading. Only an official id for now; accounts and roles come
/// with the web layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Viewer {
    pub official_id: i64,
}

/// A petition as a viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPetition {
    pub id: i64,
    pub status: PetitionStatus,
    /// True when the sender was replaced by `***` for this viewer.
    pub identity_masked: bool,
    pub petition: Petition,
}

const COLUMNS: &str = "id, province_id, unit_id, received_on, channel, senders, kind, instance, field, \
     case_id, sender_name, sender_address, sender_phone, summary, classified_on, eligible, ineligible_reason, \
     handled_on, handling, complex, remote, processing_deadline, deadline, rule_id, resolved_on, outcome";

fn row_to_petition<R>(row: &R) -> Result<(i64, i64, Petition), StoreError>
where
    R: Row,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i16: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> bool: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> NaiveDate: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let s = |c: &str| -> Result<String, StoreError> { Ok(row.try_get::<String, _>(c)?) };
    let opt = |c: &str| -> Result<Option<String>, StoreError> {
        Ok(row.try_get::<Option<String>, _>(c)?)
    };
    let eligible: Option<bool> = row.try_get("eligible")?;
    let eligibility = match (eligible, opt("ineligible_reason")?) {
        (Some(true), _) => Some(Eligibility::Eligible),
        (Some(false), Some(r)) => Some(Eligibility::Ineligible(IneligibleReason::parse(&r)?)),
        _ => None,
    };
    let p = Petition {
        unit_id: row.try_get("unit_id")?,
        received_on: row.try_get("received_on")?,
        channel: PetitionChannel::parse(&s("channel")?)?,
        senders: row.try_get("senders")?,
        kind: PetitionType::parse(&s("kind")?)?,
        instance: instance_from_column(row.try_get("instance")?)?,
        field: PetitionField::parse(&s("field")?)?,
        case_id: row.try_get("case_id")?,
        sender: Sender {
            name: s("sender_name")?,
            address: s("sender_address")?,
            phone: s("sender_phone")?,
        },
        summary: s("summary")?,
        classified_on: row.try_get("classified_on")?,
        eligibility,
        handled_on: row.try_get("handled_on")?,
        handling: opt("handling")?.map(|h| Handling::parse(&h)).transpose()?,
        complex: row.try_get("complex")?,
        remote: row.try_get("remote")?,
        extensions: Vec::new(),
        processing_deadline: row.try_get("processing_deadline")?,
        deadline: row.try_get("deadline")?,
        rule_id: opt("rule_id")?,
        resolved_on: row.try_get("resolved_on")?,
        outcome: opt("outcome")?.map(|o| Outcome::parse(&o)).transpose()?,
    };
    Ok((row.try_get("id")?, row.try_get("province_id")?, p))
}

/// The record types' names in the audit log.
const ENTITY: &str = "petition";
const CASE: &str = "case";
/// Who may assign handlers, as a kind of change roles are checked against.
const ASSIGNMENT: &str = "petition_assignment";

fn not_found(id: i64) -> String {
    format!("đơn số {id}")
}

fn case_not_found(id: i64) -> String {
    format!("vụ việc số {id}")
}

/// A change of a petition as the audit log keeps it: each side as a reader
/// who is not assigned sees it (with its id and status), and a denouncer's
/// identity apart, in the entry's restricted part.
fn logged(
    mut change: Change,
    id: i64,
    before: Option<&Petition>,
    after: Option<&Petition>,
) -> Change {
    if let Some(p) = before {
        change = change.before(&masked(id, p.clone(), false));
    }
    if let Some(p) = after {
        change = change.after(&masked(id, p.clone(), false));
    }
    let secret = |p: Option<&Petition>| {
        p.filter(|p| p.kind == PetitionType::Denunciation)
            .map(|p| p.sender.clone())
    };
    let (b, a) = (secret(before), secret(after));
    if b.is_some() || a.is_some() {
        change = change.restricted(serde_json::json!({ "before": b, "after": a }));
    }
    change
}

/// The denouncer's identity an audit entry keeps apart, for a viewer
/// assigned to its petition; `None` for anyone else, and for entries that
/// keep none.
pub async fn logged_identity(
    store: &Store,
    entry_id: i64,
    viewer: Viewer,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(r) = audit::restricted(store, entry_id).await? else {
        return Ok(None);
    };
    let petition_id = match (r.entity.as_str(), r.entity_id.parse::<i64>()) {
        (ENTITY, Ok(id)) => id,
        _ => return Ok(None),
    };
    if r.unit_id.is_some_and(|u| !store.permits(u)) {
        return Ok(None);
    }
    let assigned = assigned_of(store, &[petition_id], viewer).await?;
    Ok(assigned.contains(&petition_id).then_some(r.value).flatten())
}

fn instance_from_column(n: i16) -> Result<Instance, StoreError> {
    Ok(u8::try_from(n)
        .map_err(|_| {
            DomainError::new(
                "Instance.unknown",
                format!("lần giải quyết {n} không hợp lệ"),
            )
        })
        .and_then(Instance::try_from)?)
}

fn instance_column(p: &Petition) -> i16 {
    i16::from(p.instance.number())
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// What a write needs besides the transaction: units met so far, and the
/// rules and calendar, loaded once per batch.
struct Ctx {
    cache: UnitCache,
    province_codes: HashMap<i64, String>,
    rules: RuleTable,
    calendar: WorkCalendar,
    today: NaiveDate,
}

impl Ctx {
    async fn load(tx: &mut Tx) -> Result<Ctx, StoreError> {
        Ok(Ctx {
            cache: UnitCache::default(),
            province_codes: HashMap::new(),
            rules: deadlines::rules_tx(tx).await?,
            calendar: deadlines::calendar_tx(tx).await?,
            today: today(),
        })
    }

    async fn province_code(&mut self, tx: &mut Tx, province_id: i64) -> Result<String, StoreError> {
        if let Some(c) = self.province_codes.get(&province_id) {
            return Ok(c.clone());
        }
        let u = units::by_id_tx(tx, province_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã số {province_id}")))?;
        self.province_codes.insert(province_id, u.code.clone());
        Ok(u.code)
    }
}

/// Statutory deadlines of a petition: handling (xử lý đơn, from receipt)
/// and, once a complaint or denunciation is accepted, resolution (from
/// acceptance, extensions included). Rules follow the date they start on.
fn compute_deadlines(
    p: &mut Petition,
    province: &str,
    rules: &RuleTable,
    cal: &WorkCalendar,
) -> Result<(), DomainError> {
    let deadline_err = |e: danvan_core::calendar::deadline::DeadlineError| {
        DomainError::new("petition.deadline", e.to_string())
    };
    p.processing_deadline = rules
        .resolve(
            Procedure::PetitionProcessing,
            false,
            false,
            Some(province),
            p.received_on,
        )
        .map(|r| compute_deadline(p.received_on, r, cal, &[]))
        .transpose()
        .map_err(deadline_err)?;
    p.deadline = None;
    p.rule_id = None;
    if let (Some(Handling::Accepted), Some(on), Some(proc_)) =
        (p.handling, p.handled_on, p.resolution_procedure())
    {
        match rules.resolve(proc_, p.complex, p.remote, Some(province), on) {
            Some(rule) => {
                if let Some(one) = rules.resolve(
                    Procedure::DenunciationExtension,
                    p.complex,
                    p.remote,
                    Some(province),
                    on,
                ) {
                    for e in &p.extensions {
                        e.check_length(one).map_err(deadline_err)?;
                    }
                }
                p.deadline =
                    Some(compute_deadline(on, rule, cal, &p.extensions).map_err(deadline_err)?);
                p.rule_id = Some(rule.id.clone());
            }
            None if !p.extensions.is_empty() => {
                return Err(DomainError::new(
                    "petition.deadline",
                    format!(
                        "không có quy tắc thời hạn {} áp dụng ngày {} nên không thể gia hạn",
                        proc_,
                        dmy(on)
                    ),
                ));
            }
            None => {}
        }
    }
    Ok(())
}

/// Validates a petition against itself, the store's subtree, the unit
/// tree, the cases and the clock, and fills in its deadlines. Returns the
/// province id.
async fn check(
    tx: &mut Tx,
    store: &Store,
    ctx: &mut Ctx,
    p: &mut Petition,
) -> Result<i64, StoreError> {
    store.check_write(p.unit_id)?;
    p.validate()?;
    ctx.cache
        .resolve(tx, p.unit_id, p.received_on)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::Invalid(
                DomainError::new(
                    "petition.unknown_unit",
                    format!("không tìm thấy đơn vị (mã số {})", p.unit_id),
                )
                .at_field("unit_id"),
            ),
            e => e,
        })?;
    let u = ctx.cache.get(p.unit_id).expect("resolved above").clone();
    if let Some(f) = u.valid_from
        && p.received_on < f
    {
        return Err(DomainError::new(
            "petition.before_unit",
            format!(
                "{} chỉ có từ ngày {}, không thể nhận đơn ngày {}",
                u.full_name(),
                dmy(f),
                dmy(p.received_on)
            ),
        )
        .at_field("received_on")
        .into());
    }
    let latest = [p.received_on]
        .into_iter()
        .chain(p.classified_on)
        .chain(p.handled_on)
        .chain(p.resolved_on)
        .chain(p.extensions.iter().map(|e| e.decided_on))
        .max()
        .expect("received_on");
    if latest > ctx.today {
        return Err(DomainError::new(
            "petition.future_date",
            format!("ngày {} ở tương lai", dmy(latest)),
        )
        .into());
    }
    if let Some(case_id) = p.case_id {
        let case_unit: Option<i64> = on_tx!(tx, c => {
            sqlx::query_scalar("SELECT unit_id FROM petition_case WHERE id = $1")
                .bind(case_id)
                .fetch_optional(&mut *c)
                .await?
        });
        // A case outside the store's subtree is as unknown as a missing one.
        if !case_unit.is_some_and(|u| store.permits(u)) {
            return Err(DomainError::new(
                "petition.unknown_case",
                format!("không tìm thấy vụ việc số {case_id}"),
            )
            .at_field("case_id")
            .into());
        }
    }
    let code = ctx.province_code(tx, u.province_id).await?;
    compute_deadlines(p, &code, &ctx.rules, &ctx.calendar)?;
    Ok(u.province_id)
}

fn contributions(p: &Petition) -> Vec<Contribution> {
    let mut out = Vec::new();
    p.contributions(&mut out);
    out
}

fn eligible_cols(p: &Petition) -> (Option<bool>, Option<&'static str>) {
    match p.eligibility {
        None => (None, None),
        Some(Eligibility::Eligible) => (Some(true), None),
        Some(Eligibility::Ineligible(r)) => (Some(false), Some(r.code())),
    }
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

type ExtRow = (i64, NaiveDate, i64, String);

fn ext_from_row((_, decided_on, days, decision_no): ExtRow) -> Extension {
    Extension {
        decided_on,
        days: u32::try_from(days).unwrap_or(0),
        decision_no,
    }
}

/// A petition with its extensions and province, unmasked: internal only.
/// Outside the store's subtree it is not found, for a change as for a read.
async fn load_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<(i64, Petition), StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM petition WHERE id = $1");
    let (prov, mut p) = on_tx!(tx, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *c).await?;
        let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
        let (_, prov, p) = row_to_petition(&row)?;
        (prov, p)
    });
    store.check_read(p.unit_id, || not_found(id))?;
    let exts: Vec<ExtRow> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT petition_id, decided_on, CAST(days AS BIGINT), decision_no FROM petition_extension \
             WHERE petition_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?
    });
    p.extensions = exts.into_iter().map(ext_from_row).collect();
    Ok((prov, p))
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
pub async fn update(
    store: &Store,
    id: i64,
    p: &Petition,
    viewer: Viewer,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let (_, old) = load_tx(&mut tx, store, id).await?;
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

/// An assignment as logged.
#[derive(Serialize)]
struct Assignment {
    petition_id: i64,
    official_id: i64,
}

/// Whether the acting user may assign or withdraw handlers: the head of
/// the unit or its officer, never a handler, and never for themselves
/// (one person alone must not be able to unmask a denouncer).
fn check_assigner(store: &Store, official_id: i64) -> Result<(), StoreError> {
    let actor = store.actor();
    if let Some(role) = actor.role
        && !role.may_write(ASSIGNMENT)
    {
        return Err(StoreError::Forbidden(format!(
            "vai trò «{}» không phân công được người giải quyết đơn",
            role.label()
        )));
    }
    if actor.user_id == Some(official_id) {
        return Err(StoreError::Forbidden(
            "không tự phân công cho mình được; người phụ trách đơn vị phân công".into(),
        ));
    }
    Ok(())
}

/// The officials assigned to a petition, by name.
pub async fn assignees(
    store: &Store,
    petition_id: i64,
) -> Result<Vec<crate::accounts::User>, StoreError> {
    let unit: Option<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(c)
            .await?
    });
    let unit = unit.ok_or_else(|| StoreError::NotFound(not_found(petition_id)))?;
    store.check_read(unit, || not_found(petition_id))?;
    let ids: Vec<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT official_id FROM petition_assignment WHERE petition_id = $1 ORDER BY official_id")
            .bind(petition_id)
            .fetch_all(c)
            .await?
    });
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // Assigned by a wider scope than the reader's: not shown.
        if let Ok(u) = crate::accounts::get(store, id).await {
            out.push(u);
        }
    }
    Ok(out)
}

/// The officials the acting user could assign to a petition: active
/// accounts in the user's scope whose role handles petitions and whose unit
/// covers the petition's, the user excepted. Forbidden for a user who may
/// not assign.
pub async fn candidates(
    store: &Store,
    petition_id: i64,
) -> Result<Vec<crate::accounts::User>, StoreError> {
    check_assigner(store, 0)?;
    let unit: Option<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(c)
            .await?
    });
    let unit = unit.ok_or_else(|| StoreError::NotFound(not_found(petition_id)))?;
    store.check_read(unit, || not_found(petition_id))?;
    let mut out = Vec::new();
    for u in crate::accounts::list(store).await? {
        let covers = match u.unit_id {
            None => true,
            Some(at) => units::is_within(store, unit, at).await?,
        };
        if u.active && u.role.may_write(ENTITY) && covers && Some(u.id) != store.actor().user_id {
            out.push(u);
        }
    }
    Ok(out)
}

/// Assign an official to a petition: from now on they see its sender.
/// The official must be an active account whose role handles petitions and
/// whose unit covers the petition's. Logged when not assigned yet.
pub async fn assign(store: &Store, petition_id: i64, official_id: i64) -> Result<(), StoreError> {
    check_assigner(store, official_id)?;
    let mut tx = store.begin().await?;
    let (province, p) = load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    let official = crate::accounts::get(store, official_id).await?;
    let covers = match official.unit_id {
        None => true,
        Some(u) => units::is_within(store, p.unit_id, u).await?,
    };
    let refuse = |why: &str| -> StoreError {
        DomainError::new(
            "petition.assignee",
            format!(
                "không phân công được {} cho đơn số {petition_id}: {why}",
                official.full_name
            ),
        )
        .at_field("official_id")
        .into()
    };
    if !official.active {
        return Err(refuse("tài khoản đã bị khoá"));
    }
    if !official.role.may_write(ENTITY) {
        return Err(refuse(&format!(
            "vai trò «{}» không giải quyết đơn",
            official.role.label()
        )));
    }
    if !covers {
        return Err(refuse("đơn không thuộc đơn vị của người này"));
    }
    let added = on_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO petition_assignment (province_id, petition_id, official_id) VALUES ($1, $2, $3) \
             ON CONFLICT (province_id, petition_id, official_id) DO NOTHING",
        )
        .bind(province)
        .bind(petition_id)
        .bind(official_id)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if added > 0 {
        let change = Change::new(Action::Assign, ENTITY, petition_id)
            .unit(p.unit_id)
            .after(&Assignment {
                petition_id,
                official_id,
            });
        audit::log(&mut tx, store, change).await?;
    }
    tx.commit().await
}

/// Withdraw an assignment; logged when there was one.
pub async fn unassign(store: &Store, petition_id: i64, official_id: i64) -> Result<(), StoreError> {
    check_assigner(store, official_id).or_else(|e| match e {
        // Withdrawing oneself is always allowed.
        StoreError::Forbidden(_) if store.actor().user_id == Some(official_id) => Ok(()),
        e => Err(e),
    })?;
    let mut tx = store.begin().await?;
    let (_, p) = load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    let removed = on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM petition_assignment WHERE petition_id = $1 AND official_id = $2")
            .bind(petition_id)
            .bind(official_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed > 0 {
        let change = Change::new(Action::Unassign, ENTITY, petition_id)
            .unit(p.unit_id)
            .before(&Assignment {
                petition_id,
                official_id,
            });
        audit::log(&mut tx, store, change).await?;
    }
    tx.commit().await
}

fn masked(id: i64, mut p: Petition, assigned: bool) -> StoredPetition {
    let hide = p.kind == PetitionType::Denunciation && !assigned;
    if hide {
        p.sender = Sender::masked();
    }
    StoredPetition {
        id,
        status: p.status(),
        identity_masked: hide,
        petition: p,
    }
}

/// An unassigned viewer's correction of a denunciation: the sender must be
/// masked, as it was read, and the kind unchanged.
fn guard_identity(id: i64, old: &Petition, next: &Petition) -> Result<(), StoreError> {
    let s = &next.sender;
    if [&s.name, &s.address, &s.phone].iter().any(|f| *f != MASK) {
        return Err(DomainError::new(
            "petition.masked_sender",
            format!(
                "đơn số {id} là đơn tố cáo: chỉ người được phân công giải quyết mới sửa được \
                 danh tính người tố cáo (gửi «{MASK}» để giữ nguyên)"
            ),
        )
        .at_field("sender")
        .into());
    }
    if next.kind != old.kind {
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
    Ok(())
}

async fn is_assigned(tx: &mut Tx, id: i64, viewer: Viewer) -> Result<bool, StoreError> {
    let found: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT official_id FROM petition_assignment WHERE petition_id = $1 AND official_id = $2",
        )
        .bind(id)
        .bind(viewer.official_id)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.is_some())
}

async fn mask_for(
    tx: &mut Tx,
    id: i64,
    p: &Petition,
    viewer: Viewer,
) -> Result<StoredPetition, StoreError> {
    let assigned = is_assigned(tx, id, viewer).await?;
    Ok(masked(id, p.clone(), assigned))
}

/// One petition as `viewer` may see it; outside the store's subtree, not
/// found. Reads on the pool: no write lock.
pub async fn get(store: &Store, id: i64, viewer: Viewer) -> Result<StoredPetition, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM petition WHERE id = $1");
    let mut p = on_pool!(&store.pool, c => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await?;
        let row = row.ok_or_else(|| StoreError::NotFound(not_found(id)))?;
        row_to_petition(&row)?.2
    });
    store.check_read(p.unit_id, || not_found(id))?;
    p.extensions = extensions_of(store, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let assigned = assigned_of(store, &[id], viewer).await?.contains(&id);
    Ok(masked(id, p, assigned))
}

/// Which petitions to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A unit and its subtree; none is the store's whole subtree. A unit
    /// outside the store's subtree is not found.
    pub unit: Option<i64>,
    /// Received within `from..=to`.
    pub received: Option<(NaiveDate, NaiveDate)>,
    pub kind: Option<PetitionType>,
    pub status: Option<PetitionStatus>,
    pub case_id: Option<i64>,
}

/// Petitions matching `filter`, in id order, as `viewer` may see them.
pub async fn list(
    store: &Store,
    filter: &Filter,
    viewer: Viewer,
) -> Result<Vec<StoredPetition>, StoreError> {
    let cols: String = COLUMNS
        .split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    // The SQL text is built once with numbered placeholders and its values
    // collected, then bound on whichever engine the store runs.
    let mut sql = format!("SELECT {cols} FROM petition p");
    let mut binds: Vec<Bind> = Vec::new();
    if let Some(u) = store.read_root(filter.unit)? {
        binds.push(Bind::I(u));
        sql.push_str(&format!(
            " JOIN unit_path up ON up.unit_id = p.unit_id AND up.ancestor_id = ${}",
            binds.len()
        ));
    }
    sql.push_str(" WHERE 1 = 1");
    if let Some((a, b)) = filter.received {
        binds.push(Bind::D(a));
        binds.push(Bind::D(b));
        sql.push_str(&format!(
            " AND p.received_on BETWEEN ${} AND ${}",
            binds.len() - 1,
            binds.len()
        ));
    }
    if let Some(k) = filter.kind {
        binds.push(Bind::S(k.code()));
        sql.push_str(&format!(" AND p.kind = ${}", binds.len()));
    }
    if let Some(c) = filter.case_id {
        binds.push(Bind::I(c));
        sql.push_str(&format!(" AND p.case_id = ${}", binds.len()));
    }
    sql.push_str(" ORDER BY p.id");
    let rows: Vec<(i64, Petition)> = on_pool!(&store.pool, p => {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            q = match b {
                Bind::I(v) => q.bind(*v),
                Bind::D(v) => q.bind(*v),
                Bind::S(v) => q.bind(*v),
            };
        }
        let rows = q.fetch_all(p).await?;
        rows.iter()
            .map(|r| row_to_petition(r).map(|(id, _, p)| (id, p)))
            .collect::<Result<Vec<_>, StoreError>>()?
    });
    let rows: Vec<(i64, Petition)> = match filter.status {
        Some(s) => rows.into_iter().filter(|(_, p)| p.status() == s).collect(),
        None => rows,
    };
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let mut exts = extensions_of(store, &ids).await?;
    let assigned = assigned_of(store, &ids, viewer).await?;
    Ok(rows
        .into_iter()
        .map(|(id, mut p)| {
            p.extensions = exts.remove(&id).unwrap_or_default();
            masked(id, p, assigned.contains(&id))
        })
        .collect())
}

/// A value bound to a placeholder of [`list`]'s query.
enum Bind {
    I(i64),
    D(NaiveDate),
    S(&'static str),
}

async fn extensions_of(
    store: &Store,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Extension>>, StoreError> {
    let mut out: HashMap<i64, Vec<Extension>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<ExtRow> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(
                "SELECT petition_id, decided_on, CAST(days AS BIGINT), decision_no FROM petition_extension \
                 WHERE petition_id IN (",
            );
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY petition_id, seq");
            qb.build_query_as().fetch_all(p).await?
        });
        for r in rows {
            out.entry(r.0).or_default().push(ext_from_row(r));
        }
    }
    Ok(out)
}

async fn assigned_of(
    store: &Store,
    ids: &[i64],
    viewer: Viewer,
) -> Result<HashSet<i64>, StoreError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let got: Vec<i64> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("SELECT petition_id FROM petition_assignment WHERE official_id = ");
            qb.push_bind(viewer.official_id).push(" AND petition_id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_scalar().fetch_all(p).await?
        });
        out.extend(got);
    }
    Ok(out)
}

/// Which deadline a pending petition is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// Xử lý đơn: not handled yet.
    Processing,
    /// Giải quyết: accepted, not resolved yet.
    Resolution,
}

impl DeadlineKind {
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Processing => "thời hạn xử lý đơn",
            DeadlineKind::Resolution => "thời hạn giải quyết",
        }
    }
}

/// A pending petition and where it stands against its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub id: i64,
    pub unit_id: i64,
    pub kind: PetitionType,
    pub received_on: NaiveDate,
    pub status: PetitionStatus,
    pub deadline_kind: DeadlineKind,
    pub deadline: NaiveDate,
    pub due: DueStatus,
}

/// Which pending petitions to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Past their deadline on `today`.
    Overdue,
    /// Due within the next `n` days (today included), not yet overdue.
    DueWithin(u32),
}

/// Pending petitions of a unit's subtree with a running deadline, most
/// urgent first: unhandled ones against the handling deadline, accepted
/// unresolved ones against the resolution deadline. A petition belongs to
/// the unit that answers for its receiving unit on `today`, so one still
/// pending at a commune abolished by a merger shows under its successor.
/// Only petitions of the store's subtree are listed; a unit outside it is
/// not found.
pub async fn due_list(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    which: DueFilter,
) -> Result<Vec<DueItem>, StoreError> {
    let soon = match which {
        DueFilter::Overdue => 0,
        DueFilter::DueWithin(n) => n,
    };
    let items = running(store, unit_id, today, soon).await?;
    Ok(items
        .into_iter()
        .filter(|i| match which {
            DueFilter::Overdue => matches!(i.due, DueStatus::Overdue(_)),
            DueFilter::DueWithin(_) => matches!(i.due, DueStatus::DueSoon(_)),
        })
        .collect())
}

/// The due lists as a dashboard shows them: how many petitions of the
/// subtree are overdue and due within the soon days, and the first few of
/// each, most urgent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DueSummary {
    pub overdue_count: usize,
    pub soon_count: usize,
    /// The first `limit` of [`due_list`] for [`DueFilter::Overdue`].
    pub overdue: Vec<DueItem>,
    /// The first `limit` of [`due_list`] for [`DueFilter::DueWithin`].
    pub soon: Vec<DueItem>,
}

/// [`due_list`] for [`DueFilter::Overdue`] and [`DueFilter::DueWithin`]
/// at once, counted and cut to `limit` in the database: a backlog of
/// thousands costs what `limit` rows cost, not thousands of rows read.
pub async fn due_summary(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    soon_days: u32,
    limit: usize,
) -> Result<DueSummary, StoreError> {
    let members = due_members(store, unit_id, today).await?;
    let cutoff = soon_cutoff(today, soon_days);
    let overdue_until = today.pred_opt().unwrap_or(today);
    let mut out = DueSummary::default();
    for chunk in members.chunks(500) {
        let (overdue, all): (i64, i64) = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("SELECT COALESCE(SUM(CASE WHEN ");
            qb.push(RUNNING_DEADLINE)
                .push(" < ")
                .push_bind(today)
                .push(" THEN 1 ELSE 0 END), 0), COUNT(*)");
            push_due_from(&mut qb, None, cutoff, chunk);
            qb.build_query_as().fetch_one(p).await?
        });
        out.overdue_count += usize::try_from(overdue).unwrap_or(0);
        out.soon_count += usize::try_from(all - overdue).unwrap_or(0);
        let n = i64::try_from(limit).unwrap_or(i64::MAX);
        for (from, until, list) in [
            (None, overdue_until, &mut out.overdue),
            (Some(today), cutoff, &mut out.soon),
        ] {
            if from.is_none() && overdue_until >= today {
                continue; // no day before `today`
            }
            let rows: Vec<DueRow> = on_pool!(&store.pool, p => {
                let mut qb = QueryBuilder::new(DUE_COLUMNS);
                push_due_from(&mut qb, from, until, chunk);
                qb.push(" ORDER BY ")
                    .push(RUNNING_DEADLINE)
                    .push(", id LIMIT ")
                    .push_bind(n);
                qb.build_query_as().fetch_all(p).await?
            });
            for r in rows {
                list.push(due_item(r, today, soon_days)?);
            }
        }
    }
    for list in [&mut out.overdue, &mut out.soon] {
        list.sort_by_key(|i| (i.deadline, i.id));
        list.truncate(limit);
    }
    Ok(out)
}

/// Every pending petition of the subtree with a running deadline, classed
/// against `soon` days, most urgent first.
async fn running(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
    soon: u32,
) -> Result<Vec<DueItem>, StoreError> {
    let members = due_members(store, unit_id, today).await?;
    // Both lists drop what is due later than `soon` days from now, so
    // only deadlines up to then are read.
    let cutoff = soon_cutoff(today, soon);
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let rows: Vec<DueRow> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(DUE_COLUMNS);
            push_due_from(&mut qb, None, cutoff, chunk);
            qb.build_query_as().fetch_all(p).await?
        });
        for r in rows {
            out.push(due_item(r, today, soon)?);
        }
    }
    out.sort_by_key(|i| (i.deadline, i.id));
    Ok(out)
}

/// The units whose pending petitions belong to `unit_id`'s subtree on
/// `today` (a merged unit's go to its successor), among those the store
/// may see, in id order.
async fn due_members(
    store: &Store,
    unit_id: i64,
    today: NaiveDate,
) -> Result<Vec<i64>, StoreError> {
    let tree = units::tree(store).await?;
    store.read_root(Some(unit_id))?;
    let Some(subtree) = tree.subtree(unit_id) else {
        return Err(StoreError::NotFound(format!("đơn vị có mã số {unit_id}")));
    };
    Ok(tree
        .all()
        .iter()
        .map(|u| u.id)
        .filter(|&id| store.permits(id) && subtree.contains(tree.effective(id, today)))
        .collect())
}

/// The last day a petition due within `soon` days can be due.
fn soon_cutoff(today: NaiveDate, soon: u32) -> NaiveDate {
    today
        .checked_add_days(chrono::Days::new(u64::from(soon)))
        .unwrap_or(NaiveDate::MAX)
}

type DueRow = (
    i64,
    i64,
    String,
    NaiveDate,
    Option<String>,
    Option<bool>,
    Option<NaiveDate>,
    Option<NaiveDate>,
);

const DUE_COLUMNS: &str =
    "SELECT id, unit_id, kind, received_on, handling, eligible, processing_deadline, deadline";

/// The deadline that runs: handling until the petition is handled, then
/// resolution.
const RUNNING_DEADLINE: &str =
    "(CASE WHEN handling IS NULL THEN processing_deadline ELSE deadline END)";

fn due_item(r: DueRow, today: NaiveDate, soon: u32) -> Result<DueItem, StoreError> {
    let (id, unit_id, kind, received_on, handling, eligible, processing, deadline) = r;
    let (deadline_kind, deadline, status) = match handling {
        None => (
            DeadlineKind::Processing,
            processing.expect("filtered"),
            match eligible {
                None => PetitionStatus::Received,
                Some(true) => PetitionStatus::Eligible,
                Some(false) => PetitionStatus::Ineligible,
            },
        ),
        Some(_) => (
            DeadlineKind::Resolution,
            deadline.expect("filtered"),
            PetitionStatus::InResolution,
        ),
    };
    Ok(DueItem {
        id,
        unit_id,
        kind: PetitionType::parse(&kind)?,
        received_on,
        status,
        deadline_kind,
        deadline,
        due: due_status(deadline, today, soon),
    })
}

/// `FROM petition WHERE …`: the pending petitions of `units` whose running
/// deadline falls within `from..=until` (`from`: none, any day before).
/// The first two terms are the WHERE clause of the partial index
/// `petition_pending` (migration 0008), written the same way: SQLite uses
/// a partial index only when the query's terms imply the index's, and the
/// index covers every column read. A petition not yet handled has no
/// resolution, so the terms change nothing.
fn push_due_from<DB: sqlx::Database>(
    qb: &mut QueryBuilder<DB>,
    from: Option<NaiveDate>,
    until: NaiveDate,
    units: &[i64],
) where
    for<'t> NaiveDate: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    qb.push(
        " FROM petition WHERE resolved_on IS NULL AND (handling IS NULL OR handling = 'accepted') AND (",
    );
    for (n, (test, column)) in [
        ("handling IS NULL", "processing_deadline"),
        ("handling = 'accepted'", "deadline"),
    ]
    .into_iter()
    .enumerate()
    {
        if n > 0 {
            qb.push(" OR ");
        }
        qb.push(format!("({test} AND {column} <= "))
            .push_bind(until);
        if let Some(from) = from {
            qb.push(format!(" AND {column} >= ")).push_bind(from);
        }
        qb.push(")");
    }
    qb.push(") AND unit_id IN (");
    let mut sep = qb.separated(", ");
    for id in units {
        sep.push_bind(*id);
    }
    qb.push(")");
}

// ---------------------------------------------------------------- cases

type CaseRow = (
    i64,
    i64,
    NaiveDate,
    String,
    bool,
    bool,
    bool,
    Option<NaiveDate>,
);

fn case_from_row(r: CaseRow) -> (i64, Case) {
    (
        r.0,
        Case {
            unit_id: r.1,
            opened_on: r.2,
            title: r.3,
            complex: r.4,
            crowd: r.5,
            prolonged: r.6,
            resolved_on: r.7,
        },
    )
}

async fn check_case(tx: &mut Tx, cache: &mut UnitCache, c: &Case) -> Result<i64, StoreError> {
    c.validate()?;
    cache
        .resolve(tx, c.unit_id, c.opened_on)
        .await
        .map_err(|e| match e {
            StoreError::NotFound(_) => StoreError::Invalid(
                DomainError::new(
                    "case.unknown_unit",
                    format!("không tìm thấy đơn vị (mã số {})", c.unit_id),
                )
                .at_field("unit_id"),
            ),
            e => e,
        })?;
    let latest = c.resolved_on.unwrap_or(c.opened_on).max(c.opened_on);
    if latest > today() {
        return Err(DomainError::new(
            "case.future_date",
            format!("ngày {} ở tương lai", dmy(latest)),
        )
        .into());
    }
    Ok(cache.get(c.unit_id).expect("resolved above").province_id)
}

fn case_contributions(c: &Case) -> Vec<Contribution> {
    let mut out = Vec::new();
    c.contributions(&mut out);
    out
}

/// Open a case (logged); a unit outside the store's subtree is forbidden.
pub async fn insert_case(store: &Store, c: &Case) -> Result<i64, StoreError> {
    store.check_write(c.unit_id)?;
    let mut tx = store.begin().await?;
    let mut cache = UnitCache::default();
    let province = check_case(&mut tx, &mut cache, c).await?;
    let mut delta = FactDelta::new();
    delta
        .add(&mut tx, &mut cache, &case_contributions(c), 1)
        .await?;
    let id: i64 = on_tx!(&mut tx, cx => {
        sqlx::query_scalar(
            "INSERT INTO petition_case (province_id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(province)
        .bind(c.unit_id)
        .bind(c.opened_on)
        .bind(c.title.as_str())
        .bind(c.complex)
        .bind(c.crowd)
        .bind(c.prolonged)
        .bind(c.resolved_on)
        .fetch_one(&mut *cx)
        .await?
    });
    delta.apply(&mut tx).await?;
    let change = Change::new(Action::Create, CASE, id)
        .unit(c.unit_id)
        .after(&WithId { id, record: c });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// A stored case; outside the store's subtree it is not found.
async fn case_tx(tx: &mut Tx, store: &Store, id: i64) -> Result<Case, StoreError> {
    let row: Option<CaseRow> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let case = case_from_row(row.ok_or_else(|| StoreError::NotFound(case_not_found(id)))?).1;
    store.check_read(case.unit_id, || case_not_found(id))?;
    Ok(case)
}

/// Replace a case (e.g. to record its resolution or a new flag); logged.
pub async fn update_case(store: &Store, id: i64, c: &Case) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let old = case_tx(&mut tx, store, id).await?;
    store.check_write(c.unit_id)?;
    let mut cache = UnitCache::default();
    let province = check_case(&mut tx, &mut cache, c).await?;
    facts::replace(
        &mut tx,
        &mut cache,
        &case_contributions(&old),
        &case_contributions(c),
    )
    .await?;
    on_tx!(&mut tx, cx => {
        sqlx::query(
            "UPDATE petition_case SET province_id = $1, unit_id = $2, opened_on = $3, title = $4, complex = $5, \
             crowd = $6, prolonged = $7, resolved_on = $8 WHERE id = $9",
        )
        .bind(province)
        .bind(c.unit_id)
        .bind(c.opened_on)
        .bind(c.title.as_str())
        .bind(c.complex)
        .bind(c.crowd)
        .bind(c.prolonged)
        .bind(c.resolved_on)
        .bind(id)
        .execute(&mut *cx)
        .await?;
    });
    let change = Change::new(Action::Update, CASE, id)
        .unit(c.unit_id)
        .before(&WithId { id, record: &old })
        .after(&WithId { id, record: c });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// One case; outside the store's subtree, not found.
pub async fn get_case(store: &Store, id: i64) -> Result<Case, StoreError> {
    let row: Option<CaseRow> = on_pool!(&store.pool, c => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(c)
        .await?
    });
    let case = case_from_row(row.ok_or_else(|| StoreError::NotFound(case_not_found(id)))?).1;
    store.check_read(case.unit_id, || case_not_found(id))?;
    Ok(case)
}

/// Every case with its id (for recounts and lists), of the store's
/// subtree when it is limited to one. Cases are few: filtered in memory.
pub async fn all_cases(store: &Store) -> Result<Vec<(i64, Case)>, StoreError> {
    let rows: Vec<CaseRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, unit_id, opened_on, title, complex, crowd, prolonged, resolved_on FROM petition_case ORDER BY id",
        )
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(case_from_row)
        .filter(|(_, c)| store.permits(c.unit_id))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The due lists read the backlog through the partial index alone,
    /// never the petition table: the plan SQLite chooses for the query as
    /// `running` sends it.
    #[tokio::test]
    async fn due_query_uses_the_pending_index() {
        let path = std::env::temp_dir().join(format!("danvan-due-plan-{}.db", std::process::id()));
        let url = path.display().to_string();
        let store = Store::open(&url).await.unwrap();
        let plan: Vec<String> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("EXPLAIN QUERY PLAN ");
            qb.push(DUE_COLUMNS);
            let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
            push_due_from(&mut qb, Some(d(11, 30)), d(12, 5), &[1, 2, 3]);
            qb.push(" ORDER BY ").push(RUNNING_DEADLINE).push(", id LIMIT 50");
            let rows = qb.build().fetch_all(p).await.unwrap();
            rows.iter().map(|r| r.get::<String, _>("detail")).collect()
        });
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{url}{suffix}"));
        }
        let plan = plan.join("\n");
        assert!(
            plan.contains("USING COVERING INDEX petition_pending"),
            "{plan}"
        );
    }
}
