//! What every petition write checks first, and the statutory deadlines it
//! fills in.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::{Procedure, RuleTable, compute_deadline};
use danvan_core::calendar::workdays::WorkCalendar;
use danvan_core::records::petition::{Handling, Petition};

use super::{dmy, today};
use crate::db::{Tx, on_tx};
use crate::facts::UnitCache;
use crate::{Store, StoreError, deadlines, units};

/// What a write needs besides the transaction: units met so far, and the
/// rules and calendar, loaded once per batch.
pub(super) struct Ctx {
    pub(super) cache: UnitCache,
    province_codes: HashMap<i64, String>,
    rules: RuleTable,
    calendar: WorkCalendar,
    today: NaiveDate,
}

impl Ctx {
    pub(super) async fn load(tx: &mut Tx) -> Result<Ctx, StoreError> {
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
pub(super) async fn check(
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
