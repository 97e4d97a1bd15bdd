//! Deadline rules and the official day schedule, kept as data so a province
//! can publish its own rules (with validity dates) and the yearly official
//! schedule can be loaded without a code change. Core computes; this module
//! only persists and loads.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::{DayCounting, DeadlineRule, Procedure, RuleTable};
use danvan_core::calendar::workdays::{DayKind, DayOverride, WorkCalendar};

use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::units;
use crate::{Store, StoreError};

fn procedure_code(p: Procedure) -> &'static str {
    match p {
        Procedure::ComplaintFirstInstance => "complaint_first",
        Procedure::ComplaintSecondInstance => "complaint_second",
        Procedure::Denunciation => "denunciation",
        Procedure::DenunciationExtension => "denunciation_extension",
        Procedure::PetitionProcessing => "petition_processing",
    }
}

fn parse_procedure(s: &str) -> Result<Procedure, StoreError> {
    [
        Procedure::ComplaintFirstInstance,
        Procedure::ComplaintSecondInstance,
        Procedure::Denunciation,
        Procedure::DenunciationExtension,
        Procedure::PetitionProcessing,
    ]
    .into_iter()
    .find(|p| procedure_code(*p) == s)
    .ok_or_else(|| {
        bad(format!(
            "thủ tục «{s}» trong bảng quy tắc thời hạn không hợp lệ"
        ))
    })
}

fn bad(msg: String) -> StoreError {
    DomainError::new("deadline.invalid", msg).into()
}

fn counting_code(c: DayCounting) -> &'static str {
    match c {
        DayCounting::Calendar => "calendar",
        DayCounting::Working => "working",
    }
}

fn day_kind_code(k: DayKind) -> &'static str {
    match k {
        DayKind::DayOff => "day_off",
        DayKind::WorkDay => "work_day",
    }
}

type RuleRow = (
    String,
    String,
    i64,
    String,
    bool,
    bool,
    Option<String>,
    NaiveDate,
    Option<NaiveDate>,
    String,
    i64,
);

const RULE_COLUMNS: &str = "id, procedure, CAST(days AS BIGINT), counting, complex, remote_area, \
     province_code, valid_from, valid_to, legal_basis, CAST(max_extensions AS BIGINT)";

fn rule_from_row(r: RuleRow) -> Result<DeadlineRule, StoreError> {
    Ok(DeadlineRule {
        id: r.0,
        procedure: parse_procedure(&r.1)?,
        days: u32::try_from(r.2).map_err(|_| bad(format!("số ngày {} không hợp lệ", r.2)))?,
        counting: if r.3 == "working" {
            DayCounting::Working
        } else {
            DayCounting::Calendar
        },
        complex: r.4,
        remote_area: r.5,
        province: r.6,
        valid_from: r.7,
        valid_to: r.8,
        legal_basis: r.9,
        max_extensions: u8::try_from(r.10).unwrap_or(0),
    })
}

async fn upsert_rule(tx: &mut Tx, province_id: i64, r: &DeadlineRule) -> Result<(), StoreError> {
    write_rule(
        tx,
        province_id,
        r,
        "DO UPDATE SET procedure = excluded.procedure, \
         days = excluded.days, counting = excluded.counting, complex = excluded.complex, \
         remote_area = excluded.remote_area, province_code = excluded.province_code, \
         valid_from = excluded.valid_from, valid_to = excluded.valid_to, \
         legal_basis = excluded.legal_basis, max_extensions = excluded.max_extensions",
    )
    .await
}

/// Insert a rule; `on_conflict` says what becomes of one already stored.
async fn write_rule(
    tx: &mut Tx,
    province_id: i64,
    r: &DeadlineRule,
    on_conflict: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO deadline_rule (province_id, id, procedure, days, counting, complex, remote_area, \
         province_code, valid_from, valid_to, legal_basis, max_extensions) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (province_id, id) {on_conflict}"
    );
    on_tx!(tx, c => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(province_id)
        .bind(r.id.as_str())
        .bind(procedure_code(r.procedure))
        .bind(i64::from(r.days))
        .bind(counting_code(r.counting))
        .bind(r.complex)
        .bind(r.remote_area)
        .bind(r.province.as_deref())
        .bind(r.valid_from)
        .bind(r.valid_to)
        .bind(r.legal_basis.as_str())
        .bind(i64::from(r.max_extensions))
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Insert the national rules of [`RuleTable::national_defaults`] that are
/// missing; rules already stored (possibly corrected by an administrator)
/// are left alone.
pub(crate) async fn seed_national(store: &Store) -> Result<(), StoreError> {
    // Read first, on the pool: opening a store where every rule is there
    // (every open but the first of a build) takes no write lock.
    let have: Vec<String> = on_pool!(&store.pool, p => {
        sqlx::query_scalar("SELECT id FROM deadline_rule WHERE province_id = 0")
            .fetch_all(p)
            .await?
    });
    let defaults = RuleTable::national_defaults();
    if defaults.rules().iter().all(|r| have.contains(&r.id)) {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    for r in defaults.rules() {
        write_rule(&mut tx, 0, r, "DO NOTHING").await?;
    }
    tx.commit().await
}

/// Add or replace a rule. A provincial rule names its province by the
/// province unit's code (`rule.province`); its validity dates decide which
/// petitions it applies to (by their receipt or acceptance date). A rule
/// change never moves deadlines already computed: those follow the rule in
/// force when they started. A national rule may only be put by a store of
/// the whole country, a provincial one by a store that holds the province.
pub async fn put_rule(store: &Store, rule: &DeadlineRule) -> Result<(), StoreError> {
    if rule.days == 0 {
        return Err(bad(format!(
            "quy tắc «{}»: số ngày phải lớn hơn 0",
            rule.id
        )));
    }
    if let Some(to) = rule.valid_to
        && to < rule.valid_from
    {
        return Err(bad(format!(
            "quy tắc «{}»: ngày hết hiệu lực {} trước ngày có hiệu lực {}",
            rule.id,
            to.format("%d/%m/%Y"),
            rule.valid_from.format("%d/%m/%Y")
        )));
    }
    let province_id = match &rule.province {
        None => 0,
        Some(code) => {
            let all = units::all(store).await?;
            let u = all
                .iter()
                .find(|u| &u.code == code && u.parent_id.is_none())
                .ok_or_else(|| {
                    bad(format!(
                        "quy tắc «{}»: không có tỉnh, thành phố mã «{code}»",
                        rule.id
                    ))
                })?;
            u.id
        }
    };
    if province_id == 0 {
        store.check_national("quy tắc thời hạn toàn quốc")?;
    } else {
        store.check_write(province_id)?;
    }
    let mut tx = store.begin().await?;
    let sql =
        format!("SELECT {RULE_COLUMNS} FROM deadline_rule WHERE province_id = $1 AND id = $2");
    let old: Option<RuleRow> = on_tx!(&mut tx, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(province_id)
            .bind(rule.id.as_str())
            .fetch_optional(&mut *c)
            .await?
    });
    upsert_rule(&mut tx, province_id, rule).await?;
    let mut change = match old.map(rule_from_row).transpose()? {
        Some(o) => Change::new(Action::Update, "deadline_rule", &rule.id).before(&o),
        None => Change::new(Action::Create, "deadline_rule", &rule.id),
    };
    if province_id != 0 {
        change = change.unit(province_id);
    }
    audit::log(&mut tx, store, change.after(rule)).await?;
    tx.commit().await
}

pub(crate) async fn rules_tx(tx: &mut Tx) -> Result<RuleTable, StoreError> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM deadline_rule ORDER BY province_id, id");
    let rows: Vec<RuleRow> = on_tx!(tx, c => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *c).await?
    });
    Ok(RuleTable::new(
        rows.into_iter()
            .map(rule_from_row)
            .collect::<Result<_, _>>()?,
    ))
}

/// Every stored rule, national and provincial.
pub async fn rules(store: &Store) -> Result<RuleTable, StoreError> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM deadline_rule ORDER BY province_id, id");
    let rows: Vec<RuleRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?
    });
    Ok(RuleTable::new(
        rows.into_iter()
            .map(rule_from_row)
            .collect::<Result<_, _>>()?,
    ))
}

/// Load official schedule days (later loads of the same date replace it),
/// each logged. The schedule is national: only a store of the whole
/// country may.
pub async fn put_days(store: &Store, days: &[DayOverride]) -> Result<(), StoreError> {
    store.check_national("lịch nghỉ lễ, làm bù chính thức")?;
    let mut tx = store.begin().await?;
    let mut changes = Vec::with_capacity(days.len());
    for d in days {
        let old: Option<DayRow> = on_tx!(&mut tx, c => {
            sqlx::query_as("SELECT day, kind, note FROM calendar_day WHERE province_id = 0 AND day = $1")
                .bind(d.date)
                .fetch_optional(&mut *c)
                .await?
        });
        let key = d.date.format("%Y-%m-%d");
        changes.push(
            match old.map(day_from_row) {
                Some(o) => Change::new(Action::Update, "calendar_day", key).before(&o),
                None => Change::new(Action::Create, "calendar_day", key),
            }
            .after(d),
        );
        on_tx!(&mut tx, c => {
            sqlx::query(
                "INSERT INTO calendar_day (province_id, day, kind, note) VALUES (0, $1, $2, $3) \
                 ON CONFLICT (province_id, day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
            )
            .bind(d.date)
            .bind(day_kind_code(d.kind))
            .bind(d.note.as_str())
            .execute(&mut *c)
            .await?;
        });
    }
    audit::log_many(&mut tx, store, changes).await?;
    tx.commit().await
}

type DayRow = (NaiveDate, String, String);

fn day_from_row((date, kind, note): DayRow) -> DayOverride {
    DayOverride {
        date,
        kind: if kind == "work_day" {
            DayKind::WorkDay
        } else {
            DayKind::DayOff
        },
        note,
    }
}

pub(crate) async fn calendar_tx(tx: &mut Tx) -> Result<WorkCalendar, StoreError> {
    let rows: Vec<DayRow> = on_tx!(tx, c => {
        sqlx::query_as("SELECT day, kind, note FROM calendar_day ORDER BY day")
            .fetch_all(&mut *c)
            .await?
    });
    Ok(WorkCalendar::new(rows.into_iter().map(day_from_row)))
}

/// The working-day calendar: statutory holidays plus the loaded schedule.
pub async fn calendar(store: &Store) -> Result<WorkCalendar, StoreError> {
    let rows: Vec<DayRow> = on_pool!(&store.pool, p => {
        sqlx::query_as("SELECT day, kind, note FROM calendar_day ORDER BY day")
            .fetch_all(p)
            .await?
    });
    Ok(WorkCalendar::new(rows.into_iter().map(day_from_row)))
}
