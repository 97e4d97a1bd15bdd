//! One-stop dossiers (hồ sơ thủ tục hành chính, Bộ phận Một cửa): one
//! record per dossier code, usually imported in bulk from the one-stop
//! system's export. Each event (received, resolved, returned, withdrawn,
//! fallen due) is a fact on its own date; pending dossiers are kept as
//! stocks (+1 when a state starts, −1 when it ends), so "pending at the end
//! of a period" and "carried over" are reads up to a date.

pub mod columns;
pub mod facts;
pub mod rate;
pub mod status;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Contribution, FactSource};

pub use facts::{DossierFact, DueOutcome};
pub use status::{DossierStatus, NEARLY_DUE_DAYS, PendingStatus, Timeliness};

pub use crate::records::vocabulary::Channel;

/// Longest dossier code accepted; codes of the national portal are ~25.
pub const MAX_CODE_LEN: usize = 64;

/// A dossier as recorded at its receiving unit. An inter-agency dossier
/// (liên thông) is recorded once, at the unit that received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Mã hồ sơ: the key; importing the same code again updates it.
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub unit_id: i64,
    pub channel: Channel,
    /// Liên thông: handled by several agencies, counted at the receiver.
    pub inter_agency: bool,
    pub received_on: NaiveDate,
    /// Hạn giải quyết (appointment date on the receipt).
    pub due_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
    /// Trả lại / yêu cầu bổ sung: the dossier goes back to the citizen.
    pub returned_on: Option<NaiveDate>,
    /// Công dân rút hồ sơ.
    pub withdrawn_on: Option<NaiveDate>,
}

/// Indicator keys fed by dossiers (read by the report engine).
pub mod keys {
    /// Dossiers received, on the received date; breakdown `channel`
    /// (direct, online, post) and `route` (single, inter_agency).
    pub const RECEIVED: &str = "dossier.received";
    /// Dossiers resolved, on the resolved date; breakdown `timeliness`
    /// (early, on_time, late).
    pub const RESOLVED: &str = "dossier.resolved";
    /// Dossiers returned to the citizen or asked to be supplemented.
    pub const RETURNED: &str = "dossier.returned";
    /// Dossiers withdrawn by the citizen.
    pub const WITHDRAWN: &str = "dossier.withdrawn";
    /// Dossiers falling due, on the due date, withdrawn and returned ones
    /// excluded; breakdown `outcome` (in_time, late, open). The
    /// denominator of the "fallen due" on-time rate.
    pub const FELL_DUE: &str = "dossier.fell_due";
    /// Stock of pending dossiers: read up to a date it is the number
    /// pending on that date; breakdown `status` (in_time, nearly_due,
    /// overdue). Up to the day before a period, it is the carried over.
    pub const PENDING: &str = "dossier.pending";
}

impl Dossier {
    /// The date the dossier left the desk, whichever way it did.
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.resolved_on.or(self.returned_on).or(self.withdrawn_on)
    }

    /// Checks what a single dossier can check on its own.
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |field: &str, msg: String| {
            Err(DomainError::new("dossier.invalid", msg).at_field(field.to_string()))
        };
        let code = self.code.trim();
        if code.is_empty() {
            return bad("code", "thiếu mã hồ sơ".into());
        }
        if code.chars().count() > MAX_CODE_LEN {
            return bad("code", format!("mã hồ sơ dài quá {MAX_CODE_LEN} ký tự"));
        }
        if self.procedure_code.trim().is_empty() && self.procedure_name.trim().is_empty() {
            return bad("procedure", "thiếu mã hoặc tên thủ tục".into());
        }
        let fmt = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        if self.due_on < self.received_on {
            return bad(
                "due_on",
                format!(
                    "hạn giải quyết {} trước ngày tiếp nhận {}",
                    fmt(self.due_on),
                    fmt(self.received_on)
                ),
            );
        }
        let ends = [
            ("resolved_on", "ngày giải quyết", self.resolved_on),
            ("returned_on", "ngày trả lại", self.returned_on),
            ("withdrawn_on", "ngày rút hồ sơ", self.withdrawn_on),
        ];
        for (field, label, d) in ends {
            if let Some(d) = d
                && d < self.received_on
            {
                return bad(
                    field,
                    format!(
                        "{label} {} trước ngày tiếp nhận {}",
                        fmt(d),
                        fmt(self.received_on)
                    ),
                );
            }
        }
        if ends.iter().filter(|e| e.2.is_some()).count() > 1 {
            return bad(
                "resolved_on",
                "hồ sơ chỉ có một kết thúc: đã giải quyết, trả lại hoặc rút".into(),
            );
        }
        Ok(())
    }
}

impl FactSource for Dossier {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let mut facts = Vec::with_capacity(9);
        self.facts(&mut facts);
        out.extend(facts.into_iter().map(|(date, f, value)| Contribution {
            unit_id: self.unit_id,
            date,
            key: f.key(),
            breakdown: f.breakdown().to_string(),
            value,
        }));
    }
}

#[cfg(test)]
mod tests;
