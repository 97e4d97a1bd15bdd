//! The on-time rate of a unit's one-stop desk. Provinces compute it
//! differently, so the formula is a per-province setting; the figures come
//! from facts and the arithmetic is here, pure and exact.

use serde::Serialize;

use crate::number;

pub use crate::records::vocabulary::OnTimeFormula;

// `vocab!` declares the enum, so `#[derive(Default)]` can not be added there.
#[allow(clippy::derivable_impls)]
impl Default for OnTimeFormula {
    fn default() -> Self {
        OnTimeFormula::EarlyOrOnTimeOverResolved
    }
}

/// The customary one-stop statistics of a unit's subtree over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DossierFigures {
    /// Kỳ trước chuyển sang: pending the day before the period.
    pub carried_over: i64,
    /// Received in the period, by channel.
    pub received_direct: i64,
    pub received_online: i64,
    pub received_post: i64,
    /// Of the received, inter-agency (liên thông).
    pub received_inter_agency: i64,
    pub resolved_early: i64,
    pub resolved_on_time: i64,
    pub resolved_late: i64,
    /// Pending at the end of the period.
    pub pending_in_time: i64,
    pub pending_nearly_due: i64,
    pub pending_overdue: i64,
    pub returned: i64,
    pub withdrawn: i64,
    /// Fallen due in the period (withdrawn and returned excluded), and of
    /// those the ones resolved by their due date.
    pub fell_due: i64,
    pub fell_due_in_time: i64,
}

/// Field-wise arithmetic on the one-stop table: the units below summed, and
/// a subtree minus the units below it (the unit's own desk).
macro_rules! fieldwise {
    ($tr:ident, $method:ident, $op:tt) => {
        impl std::ops::$tr for DossierFigures {
            type Output = DossierFigures;

            fn $method(self, o: DossierFigures) -> DossierFigures {
                DossierFigures {
                    carried_over: self.carried_over $op o.carried_over,
                    received_direct: self.received_direct $op o.received_direct,
                    received_online: self.received_online $op o.received_online,
                    received_post: self.received_post $op o.received_post,
                    received_inter_agency: self.received_inter_agency $op o.received_inter_agency,
                    resolved_early: self.resolved_early $op o.resolved_early,
                    resolved_on_time: self.resolved_on_time $op o.resolved_on_time,
                    resolved_late: self.resolved_late $op o.resolved_late,
                    pending_in_time: self.pending_in_time $op o.pending_in_time,
                    pending_nearly_due: self.pending_nearly_due $op o.pending_nearly_due,
                    pending_overdue: self.pending_overdue $op o.pending_overdue,
                    returned: self.returned $op o.returned,
                    withdrawn: self.withdrawn $op o.withdrawn,
                    fell_due: self.fell_due $op o.fell_due,
                    fell_due_in_time: self.fell_due_in_time $op o.fell_due_in_time,
                }
            }
        }
    };
}

fieldwise!(Add, add, +);
fieldwise!(Sub, sub, -);

impl DossierFigures {
    pub fn received(&self) -> i64 {
        self.received_direct + self.received_online + self.received_post
    }

    /// Carried over plus received: every dossier the period handled.
    pub fn total(&self) -> i64 {
        self.carried_over + self.received()
    }

    pub fn resolved(&self) -> i64 {
        self.resolved_early + self.resolved_on_time + self.resolved_late
    }

    pub fn resolved_in_time(&self) -> i64 {
        self.resolved_early + self.resolved_on_time
    }

    pub fn pending(&self) -> i64 {
        self.pending_in_time + self.pending_nearly_due + self.pending_overdue
    }

    /// On-time rate by `formula`, scaled by 10^`decimals` percent, rounded
    /// half away from zero; `None` when its denominator is zero.
    pub fn on_time_rate(&self, formula: OnTimeFormula, decimals: u32) -> Option<i64> {
        match formula {
            OnTimeFormula::EarlyOrOnTimeOverResolved => {
                number::rate_scaled(self.resolved_in_time(), self.resolved(), decimals)
            }
            OnTimeFormula::HundredMinusLateOverAll => {
                let late = number::rate_scaled(self.resolved_late, self.total(), decimals)?;
                Some(100 * 10i64.pow(decimals) - late)
            }
            OnTimeFormula::OnTimeOverFallenDue => {
                number::rate_scaled(self.fell_due_in_time, self.fell_due, decimals)
            }
        }
    }

    /// Late rate as the customary table writes it: late ÷ resolved.
    pub fn late_rate(&self, decimals: u32) -> Option<i64> {
        number::rate_scaled(self.resolved_late, self.resolved(), decimals)
    }

    /// Rate of the in-time pending over all pending.
    pub fn pending_in_time_rate(&self, decimals: u32) -> Option<i64> {
        number::rate_scaled(
            self.pending_in_time + self.pending_nearly_due,
            self.pending(),
            decimals,
        )
    }

    /// Rate of the overdue pending over all pending.
    pub fn pending_overdue_rate(&self, decimals: u32) -> Option<i64> {
        number::rate_scaled(self.pending_overdue, self.pending(), decimals)
    }
}
