//! What a dossier contributes, as small copyable values: the importer sums
//! a million dossiers' facts without building a string per fact, and
//! [`FactSource`](crate::fact::FactSource) turns them into contributions.
//! Breakdowns are the canonical strings [`Breakdown`](crate::fact::Breakdown)
//! builds (a test checks).

use chrono::{Days, NaiveDate};

use super::status::{PendingStatus, Timeliness, timeliness};
use super::{Channel, Dossier, NEARLY_DUE_DAYS, keys};

pub use crate::records::vocabulary::DueOutcome;

/// One kind of dossier fact: an indicator key with its breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DossierFact {
    /// Channel and whether inter-agency.
    Received(Channel, bool),
    Resolved(Timeliness),
    Returned,
    Withdrawn,
    FellDue(DueOutcome),
    Pending(PendingStatus),
}

impl DossierFact {
    pub fn key(self) -> &'static str {
        match self {
            DossierFact::Received(..) => keys::RECEIVED,
            DossierFact::Resolved(_) => keys::RESOLVED,
            DossierFact::Returned => keys::RETURNED,
            DossierFact::Withdrawn => keys::WITHDRAWN,
            DossierFact::FellDue(_) => keys::FELL_DUE,
            DossierFact::Pending(_) => keys::PENDING,
        }
    }

    /// The canonical breakdown string.
    pub fn breakdown(self) -> &'static str {
        use Channel::*;
        match self {
            DossierFact::Received(Direct, false) => "channel=direct;route=single",
            DossierFact::Received(Direct, true) => "channel=direct;route=inter_agency",
            DossierFact::Received(Online, false) => "channel=online;route=single",
            DossierFact::Received(Online, true) => "channel=online;route=inter_agency",
            DossierFact::Received(Post, false) => "channel=post;route=single",
            DossierFact::Received(Post, true) => "channel=post;route=inter_agency",
            DossierFact::Resolved(Timeliness::Early) => "timeliness=early",
            DossierFact::Resolved(Timeliness::OnTime) => "timeliness=on_time",
            DossierFact::Resolved(Timeliness::Late) => "timeliness=late",
            DossierFact::Returned | DossierFact::Withdrawn => "",
            DossierFact::FellDue(DueOutcome::InTime) => "outcome=in_time",
            DossierFact::FellDue(DueOutcome::Late) => "outcome=late",
            DossierFact::FellDue(DueOutcome::Open) => "outcome=open",
            DossierFact::Pending(PendingStatus::InTime) => "status=in_time",
            DossierFact::Pending(PendingStatus::NearlyDue) => "status=nearly_due",
            DossierFact::Pending(PendingStatus::Overdue) => "status=overdue",
        }
    }
}

impl Dossier {
    /// Every fact of the dossier as (date, fact, value). Events land on
    /// their own dates; pending states are spans, +1 on the first day and
    /// −1 on the day after the last, cut short by the closing date.
    pub fn facts(&self, out: &mut Vec<(NaiveDate, DossierFact, i64)>) {
        out.push((
            self.received_on,
            DossierFact::Received(self.channel, self.inter_agency),
            1,
        ));
        if let Some(r) = self.resolved_on {
            out.push((r, DossierFact::Resolved(timeliness(self.due_on, r)), 1));
        }
        if let Some(d) = self.returned_on {
            out.push((d, DossierFact::Returned, 1));
        }
        if let Some(d) = self.withdrawn_on {
            out.push((d, DossierFact::Withdrawn, 1));
        }
        if self.returned_on.is_none() && self.withdrawn_on.is_none() {
            let outcome = match self.resolved_on {
                Some(r) if r <= self.due_on => DueOutcome::InTime,
                Some(_) => DueOutcome::Late,
                None => DueOutcome::Open,
            };
            out.push((self.due_on, DossierFact::FellDue(outcome), 1));
        }
        let close = self.closed_on();
        let soon = self.due_on - Days::new(NEARLY_DUE_DAYS);
        let after_due = self.due_on + Days::new(1);
        let min = |a: NaiveDate, b: Option<NaiveDate>| b.map_or(a, |b| a.min(b));
        let start = self.received_on;
        let mut span = |s: PendingStatus, from: NaiveDate, to: Option<NaiveDate>| {
            if to.is_some_and(|t| t <= from) {
                return;
            }
            out.push((from, DossierFact::Pending(s), 1));
            if let Some(t) = to {
                out.push((t, DossierFact::Pending(s), -1));
            }
        };
        span(PendingStatus::InTime, start, Some(min(soon, close)));
        span(
            PendingStatus::NearlyDue,
            start.max(soon),
            Some(min(after_due, close)),
        );
        span(PendingStatus::Overdue, start.max(after_due), close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fact::Breakdown;

    #[test]
    fn breakdowns_are_canonical() {
        for &c in Channel::ALL {
            for inter in [false, true] {
                let b = Breakdown::new()
                    .with("route", if inter { "inter_agency" } else { "single" })
                    .with("channel", c.code())
                    .build();
                assert_eq!(DossierFact::Received(c, inter).breakdown(), b);
            }
        }
        for &t in Timeliness::ALL {
            assert_eq!(
                DossierFact::Resolved(t).breakdown(),
                Breakdown::new().with("timeliness", t.code()).build()
            );
        }
        for &o in DueOutcome::ALL {
            assert_eq!(
                DossierFact::FellDue(o).breakdown(),
                Breakdown::new().with("outcome", o.code()).build()
            );
        }
        for &s in PendingStatus::ALL {
            assert_eq!(
                DossierFact::Pending(s).breakdown(),
                Breakdown::new().with("status", s.code()).build()
            );
        }
    }
}
