//! Bản nháp báo cáo: the qualitative sections of a report (ưu điểm, hạn
//! chế, nguyên nhân, nhiệm vụ…) that its authors write, kept per subject,
//! period and template. Figures are never stored here: they come from facts
//! each time the report is produced; only the people's text is kept.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use danvan_core::DomainError;
use danvan_core::period::Period;
use serde::Serialize;

use crate::audit::{self, Action, Change};
use crate::db::{on_pool, on_tx};
use crate::units::Unit;
use crate::{Store, StoreError};

/// Longest text of one section, in characters: a few pages.
const MAX_SECTION_CHARS: usize = 50_000;

/// The kept text of one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub sections: BTreeMap<String, String>,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<i64>,
}

/// The period as the draft is keyed: "2020-H1", "2020 chốt" for the
/// cut-off convention (the same months are different dates).
fn period_key(p: &Period) -> String {
    if p.cutoff {
        format!("{} chốt", p.code())
    } else {
        p.code()
    }
}

/// The draft of `template`'s report for `unit` and `period`, if one was
/// saved. Outside the store's subtree it does not exist.
pub async fn get(
    store: &Store,
    unit: &Unit,
    period: &Period,
    template: &str,
) -> Result<Option<Draft>, StoreError> {
    store.check_read(unit.id, || format!("báo cáo của {}", unit.full_name()))?;
    let row: Option<(String, NaiveDateTime, Option<i64>)> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT sections, updated_at, updated_by FROM report_draft \
             WHERE province_id = $1 AND unit_id = $2 AND period = $3 AND template = $4",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(period_key(period))
        .bind(template)
        .fetch_optional(p)
        .await?
    });
    row.map(|(json, updated_at, updated_by)| {
        let sections = serde_json::from_str(&json).map_err(|e| corrupt(unit, &e))?;
        Ok(Draft {
            sections,
            updated_at,
            updated_by,
        })
    })
    .transpose()
}

fn corrupt(unit: &Unit, e: &serde_json::Error) -> DomainError {
    DomainError::new(
        "draft.corrupt",
        format!("bản nháp báo cáo của {} bị hỏng: {e}", unit.full_name()),
    )
}

fn validate(template: &str, sections: &BTreeMap<String, String>) -> Result<(), DomainError> {
    if template.is_empty() || template.chars().count() > 100 {
        return Err(DomainError::new(
            "draft.template",
            "tên mẫu báo cáo phải có từ 1 đến 100 ký tự",
        ));
    }
    for (name, text) in sections {
        let ok = !name.is_empty()
            && name.len() <= 40
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(DomainError::new(
                "draft.section_name",
                format!(
                    "tên phần «{name}» không hợp lệ: chỉ dùng chữ thường không dấu, số và \
                     dấu gạch dưới (ví dụ uu_diem), tối đa 40 ký tự"
                ),
            ));
        }
        let n = text.chars().count();
        if n > MAX_SECTION_CHARS {
            return Err(DomainError::new(
                "draft.section_too_long",
                format!("phần «{name}» dài {n} ký tự, quá giới hạn {MAX_SECTION_CHARS} ký tự",),
            ));
        }
    }
    Ok(())
}

/// Keep `sections` as the draft of the report, replacing the previous
/// text; blank sections are dropped, and a draft with none left is removed.
/// Logged like every change; only inside the store's subtree.
pub async fn save(
    store: &Store,
    unit: &Unit,
    period: &Period,
    template: &str,
    sections: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    let sections: BTreeMap<String, String> = sections
        .iter()
        .map(|(k, v)| (k.clone(), v.trim().replace("\r\n", "\n")))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    validate(template, &sections)?;
    store.check_write(unit.id)?;
    let key = period_key(period);
    // The text before is read in the writing transaction (on SQLite it
    // holds the write lock), so a concurrent save cannot slip between the
    // read and the write and be logged with the wrong "before".
    let mut tx = store.begin().await?;
    let old_json: Option<String> = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "SELECT sections FROM report_draft \
             WHERE province_id = $1 AND unit_id = $2 AND period = $3 AND template = $4",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(&key)
        .bind(template)
        .fetch_optional(&mut *c)
        .await?
    });
    let old: Option<BTreeMap<String, String>> = old_json
        .map(|j| serde_json::from_str(&j).map_err(|e| corrupt(unit, &e)))
        .transpose()?;
    if old.as_ref() == Some(&sections) {
        return tx.end_read().await;
    }
    let action = match (&old, sections.is_empty()) {
        (None, true) => return tx.end_read().await,
        (None, false) => Action::Create,
        (Some(_), true) => Action::Delete,
        (Some(_), false) => Action::Update,
    };
    let mut change = Change::new(
        action,
        "report_draft",
        format!("{} {key} {template}", unit.code),
    );
    if !unit.is_country() {
        change = change.unit(unit.id);
    }
    if let Some(o) = &old {
        change = change.before(o);
    }
    if !sections.is_empty() {
        change = change.after(&sections);
    }
    let json = serde_json::to_string(&sections).expect("strings serialise");
    let now = chrono::Local::now().naive_local();
    let by = store.actor().user_id;
    audit::log(&mut tx, store, change).await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "DELETE FROM report_draft \
             WHERE province_id = $1 AND unit_id = $2 AND period = $3 AND template = $4",
        )
            .bind(unit.province_id)
            .bind(unit.id)
            .bind(&key)
            .bind(template)
            .execute(&mut *c)
            .await?;
        if !sections.is_empty() {
            sqlx::query(
                "INSERT INTO report_draft \
                 (unit_id, province_id, period, template, sections, updated_at, updated_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(unit.id)
            .bind(unit.province_id)
            .bind(&key)
            .bind(template)
            .bind(&json)
            .bind(now)
            .bind(by)
            .execute(&mut *c)
            .await?;
        }
    });
    tx.commit().await
}
