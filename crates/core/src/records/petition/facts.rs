//! The facts a petition contributes: each event on its own date.

use chrono::NaiveDate;

use super::{Eligibility, Handling, Petition, PetitionType, keys, yes};
use crate::fact::{Breakdown, Contribution, FactSource};

impl Petition {
    fn contribute(
        &self,
        out: &mut Vec<Contribution>,
        date: NaiveDate,
        key: &'static str,
        b: Breakdown,
        value: i64,
    ) {
        out.push(Contribution {
            unit_id: self.unit_id,
            date,
            key,
            breakdown: b.build(),
            value,
        });
    }
}

impl FactSource for Petition {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let ty = || Breakdown::new().with("type", self.kind.code());
        // Lần giải quyết only means something for complaints.
        let with_instance = |b: Breakdown| match self.kind {
            PetitionType::Complaint => b.with("instance", self.instance.code()),
            _ => b,
        };
        self.contribute(
            out,
            self.received_on,
            keys::RECEIVED,
            ty().with("channel", self.channel.code())
                .with("field", self.field.code()),
            1,
        );
        self.contribute(out, self.received_on, keys::OPEN, ty(), 1);
        if let Some(closed) = self.closed_on() {
            self.contribute(out, closed, keys::OPEN, ty(), -1);
        }
        if let (Some(on), Some(e)) = (self.classified_on, self.eligibility) {
            match e {
                Eligibility::Eligible => self.contribute(out, on, keys::ELIGIBLE, ty(), 1),
                Eligibility::Ineligible(r) => {
                    self.contribute(out, on, keys::INELIGIBLE, ty().with("reason", r.code()), 1)
                }
            }
        }
        if let (Some(on), Some(h)) = (self.handled_on, self.handling) {
            self.contribute(out, on, keys::HANDLED, ty().with("handling", h.code()), 1);
            if h == Handling::Accepted {
                let flags = ty()
                    .with("complex", yes(self.complex))
                    .with("remote", yes(self.remote));
                self.contribute(out, on, keys::ACCEPTED, with_instance(flags), 1);
                self.contribute(out, on, keys::IN_RESOLUTION, ty(), 1);
                if let (Some(r), Some(o)) = (self.resolved_on, self.outcome) {
                    self.contribute(out, r, keys::IN_RESOLUTION, ty(), -1);
                    let b = with_instance(ty().with("outcome", o.code()));
                    self.contribute(out, r, keys::RESOLVED, b, 1);
                    if let Some(d) = self.deadline {
                        let key = if r <= d {
                            keys::RESOLVED_ON_TIME
                        } else {
                            keys::RESOLVED_LATE
                        };
                        self.contribute(out, r, key, ty(), 1);
                    }
                }
            }
        }
    }
}
