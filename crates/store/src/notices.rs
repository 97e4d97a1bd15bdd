//! Thông báo (notices): what waits for a user, read when they ask. The
//! petitions assigned to them, or not yet assigned to anyone below their
//! unit, that are past their legal deadline or due within a few working
//! days; and opinions raised at dialogues and voter meetings still
//! unanswered after the agreed time. Each user chooses what they receive,
//! in the web UI and in the daily e-mail digest.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::DueStatus;
use danvan_core::records::meeting::MeetingKind;
use serde::Serialize;
use sqlx::QueryBuilder;

use crate::accounts::User;
use crate::db::{on_pool, on_tx};
use crate::petitions::{self, DueItem};
use crate::{Store, StoreError, deadlines, units};

/// What a user chose to receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preferences {
    /// Petitions overdue or due soon.
    pub petitions: bool,
    /// "Due soon": within this many working days.
    pub soon_days: u32,
    /// Opinions raised at dialogues and voter meetings left unanswered.
    pub opinions: bool,
    /// The agreed time to answer an opinion, in days after the meeting.
    pub opinion_days: u32,
    /// Where the digest goes; empty for none.
    pub email: String,
    /// Whether to receive the daily e-mail digest.
    pub digest: bool,
    /// Reports asked of the unit and not sent, returned, or accepted, and
    /// those waiting for the unit's review.
    pub reports: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            petitions: true,
            soon_days: 3,
            opinions: true,
            opinion_days: 30,
            email: String::new(),
            digest: false,
            reports: true,
        }
    }
}

impl Preferences {
    /// Refuse what cannot be meant: a reminder more than a quarter ahead,
    /// an answer time over a year, an address without `@`.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.soon_days > 60 {
            return Err(
                DomainError::new("notice.soon_days", "báo trước tối đa 60 ngày làm việc")
                    .at_field("soon_days"),
            );
        }
        if !(1..=366).contains(&self.opinion_days) {
            return Err(DomainError::new(
                "notice.opinion_days",
                "thời hạn trả lời ý kiến phải từ 1 đến 366 ngày",
            )
            .at_field("opinion_days"));
        }
        let email = self.email.trim();
        // RFC 5321 caps an address at 254 characters.
        let plausible = email.len() <= 254
            && email.split_once('@').is_some_and(|(a, b)| {
                !a.is_empty() && b.contains('.') && !email.contains(char::is_whitespace)
            });
        if !email.is_empty() && !plausible {
            return Err(DomainError::new(
                "notice.email",
                format!("địa chỉ thư điện tử «{email}» không hợp lệ"),
            )
            .at_field("email"));
        }
        if self.digest && email.is_empty() {
            return Err(DomainError::new(
                "notice.digest_email",
                "muốn nhận thư tổng hợp hằng ngày thì phải ghi địa chỉ thư điện tử",
            )
            .at_field("email"));
        }
        Ok(())
    }
}

type PrefRow = (bool, i64, bool, i64, String, bool, bool);

/// A user's choices; the defaults until they save their own.
pub async fn preferences(store: &Store, user_id: i64) -> Result<Preferences, StoreError> {
    let row: Option<PrefRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT petitions, soon_days, opinions, opinion_days, email, digest, reports \
             FROM notice_preference WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(p)
        .await?
    });
    Ok(row.map_or_else(Preferences::default, |r| Preferences {
        petitions: r.0,
        soon_days: u32::try_from(r.1).unwrap_or(0),
        opinions: r.2,
        opinion_days: u32::try_from(r.3).unwrap_or(30),
        email: r.4,
        digest: r.5,
        reports: r.6,
    }))
}

/// Save the acting user's own choices. Nobody sets another's: an
/// address is personal.
pub async fn set_preferences(store: &Store, p: &Preferences) -> Result<(), StoreError> {
    let Some(user_id) = store.actor().user_id else {
        return Err(StoreError::Forbidden(
            "chỉ người dùng đã đăng nhập mới chọn được thông báo của mình".into(),
        ));
    };
    p.validate()?;
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "INSERT INTO notice_preference (user_id, petitions, soon_days, opinions, opinion_days, email, digest, reports) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id) DO UPDATE SET \
             petitions = excluded.petitions, soon_days = excluded.soon_days, opinions = excluded.opinions, \
             opinion_days = excluded.opinion_days, email = excluded.email, digest = excluded.digest, \
             reports = excluded.reports",
        )
        .bind(user_id)
        .bind(p.petitions)
        .bind(i64::from(p.soon_days))
        .bind(p.opinions)
        .bind(i64::from(p.opinion_days))
        .bind(p.email.trim())
        .bind(p.digest)
        .bind(p.reports)
        .execute(&mut *c)
        .await?;
    });
    tx.commit().await
}

/// An opinion raised at a meeting and not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingOpinion {
    pub meeting_id: i64,
    pub unit_id: i64,
    pub kind: MeetingKind,
    pub held_on: NaiveDate,
    pub content: String,
    /// Days since the meeting.
    pub waiting: i64,
}

/// Everything waiting for a user on a day, most urgent first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Notices {
    /// The choices they were read by.
    pub preferences: Preferences,
    pub overdue: Vec<DueItem>,
    pub due_soon: Vec<DueItem>,
    pub opinions: Vec<PendingOpinion>,
    pub reports: Vec<crate::chain::reminders::Reminder>,
}

impl Notices {
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    pub fn count(&self) -> usize {
        self.overdue.len() + self.due_soon.len() + self.opinions.len() + self.reports.len()
    }
}

/// At most this many of each list: a reminder, not a register.
pub const LIMIT: usize = 200;

/// What waits for `user` on `today`, as they chose, read through `store`
/// (which must act for them: it decides what they may see).
pub async fn for_user(store: &Store, user: &User, today: NaiveDate) -> Result<Notices, StoreError> {
    let prefs = preferences(store, user.id).await?;
    let mut out = Notices::default();
    if prefs.petitions {
        let calendar = deadlines::calendar(store).await?;
        let until = calendar.add_working_days(today, prefs.soon_days);
        // Who handles petitions is also reminded of those nobody has taken.
        let open = user.unit_id.filter(|_| user.role.may_write("petition"));
        let due = petitions::due_for_official(store, user.id, open, today, until).await?;
        for item in due {
            match item.due {
                DueStatus::Overdue(_) => out.overdue.push(item),
                _ => out.due_soon.push(item),
            }
        }
    }
    if prefs.opinions
        && let Some(unit) = user.unit_id
    {
        out.opinions = pending_opinions(store, unit, today, prefs.opinion_days).await?;
    }
    if prefs.reports
        && let Some(unit) = user.unit_id
    {
        out.reports = crate::chain::reminders::of_unit(store, unit, today).await?;
        out.reports.truncate(LIMIT);
    }
    out.overdue.truncate(LIMIT);
    out.due_soon.truncate(LIMIT);
    out.preferences = prefs;
    Ok(out)
}

type OpinionRow = (i64, i64, String, NaiveDate, String);

/// Opinions of meetings below `unit` still pending `days` after the
/// meeting, oldest first.
async fn pending_opinions(
    store: &Store,
    unit: i64,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<PendingOpinion>, StoreError> {
    let tree = units::tree(store).await?;
    store.read_root(Some(unit))?;
    let Some(subtree) = tree.subtree(unit) else {
        return Err(StoreError::NotFound(format!("đơn vị có mã số {unit}")));
    };
    let members: Vec<i64> = tree
        .all()
        .iter()
        .map(|u| u.id)
        .filter(|&id| store.permits(id) && subtree.contains(id))
        .collect();
    let held_by = today
        .checked_sub_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN);
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let rows: Vec<OpinionRow> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new(
                "SELECT m.id, m.unit_id, m.kind, m.held_on, o.content FROM meeting_opinion o \
                 JOIN meeting m ON m.id = o.meeting_id WHERE o.follow_up = 'pending' AND m.held_on <= ",
            );
            qb.push_bind(held_by).push(" AND m.unit_id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY m.held_on, o.id LIMIT ")
                .push_bind(LIMIT as i64);
            qb.build_query_as().fetch_all(p).await?
        });
        for (meeting_id, unit_id, kind, held_on, content) in rows {
            out.push(PendingOpinion {
                meeting_id,
                unit_id,
                kind: MeetingKind::parse(&kind)?,
                held_on,
                content,
                waiting: (today - held_on).num_days(),
            });
        }
    }
    out.sort_by_key(|o| (o.held_on, o.meeting_id));
    out.truncate(LIMIT);
    Ok(out)
}
