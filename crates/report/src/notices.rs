//! Thông báo as a user reads them: the store's notices with unit names and
//! Vietnamese wording, for the web page and the daily e-mail digest alike.

use chrono::NaiveDate;
use danvan_core::number;
use danvan_store::accounts::User;
use danvan_store::notices::{self, Preferences};
use danvan_store::{Store, StoreError, units};
use serde::Serialize;

use crate::dashboard::{DuePetition, due_petitions};

/// An opinion waiting for its answer.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpinionLine {
    pub meeting_id: i64,
    pub unit_name: String,
    /// "đối thoại", "tiếp xúc cử tri"…
    pub kind_label: String,
    pub held_on: NaiveDate,
    pub content: String,
    /// "đã 45 ngày".
    pub waiting_text: String,
}

/// A report the chain asks the user's unit about.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportLine {
    /// Where to open it: the unit's report, or the request.
    pub href: String,
    pub title: String,
    pub unit_name: String,
    /// "còn 3 ngày", "quá hạn 2 ngày", "bị trả lại: …", "đã được duyệt",
    /// "chờ đơn vị duyệt".
    pub text: String,
}

fn report_line(r: &danvan_store::chain::reminders::Reminder, unit_name: String) -> ReportLine {
    use danvan_store::chain::reminders::Reason;
    let due = r.due_on.format("%d/%m/%Y");
    let text = match r.reason {
        Reason::Due if r.days_left == 0 => format!("hạn gửi hôm nay ({due})"),
        Reason::Due => format!("còn {} ngày, hạn gửi {due}", r.days_left),
        Reason::Overdue => format!("quá hạn {} ngày (hạn {due})", -r.days_left),
        Reason::Returned => format!(
            "bị trả lại{}",
            r.note
                .as_deref()
                .map_or(String::new(), |n| format!(": {n}"))
        ),
        Reason::Accepted => "đã được duyệt".to_string(),
        Reason::ToReview => "đã gửi, chờ đơn vị duyệt".to_string(),
    };
    let href = match r.submission_id {
        Some(s) => format!("/bao-cao/gui/{s}"),
        None => format!("/bao-cao/yeu-cau/{}", r.request_id),
    };
    ReportLine {
        href,
        title: r.title.clone(),
        unit_name,
        text,
    }
}

/// Everything waiting for a user, ready to show.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NoticeView {
    pub today: NaiveDate,
    pub preferences: Preferences,
    pub overdue: Vec<DuePetition>,
    pub due_soon: Vec<DuePetition>,
    pub opinions: Vec<OpinionLine>,
    pub reports: Vec<ReportLine>,
    pub count: usize,
}

/// The notices of `user` on `today`, read through `store` acting for them.
pub async fn read(store: &Store, user: &User, today: NaiveDate) -> Result<NoticeView, StoreError> {
    let (n, tree) = tokio::try_join!(notices::for_user(store, user, today), units::tree(store))?;
    let name = |id: i64| tree.get(id).map_or_else(String::new, |u| u.full_name());
    let opinions = n
        .opinions
        .iter()
        .map(|o| OpinionLine {
            meeting_id: o.meeting_id,
            unit_name: name(o.unit_id),
            kind_label: o.kind.label().to_string(),
            held_on: o.held_on,
            content: o.content.clone(),
            waiting_text: format!("đã {} ngày", number::int(o.waiting)),
        })
        .collect();
    Ok(NoticeView {
        today,
        preferences: n.preferences.clone(),
        overdue: due_petitions(&n.overdue, &tree),
        due_soon: due_petitions(&n.due_soon, &tree),
        opinions,
        reports: n
            .reports
            .iter()
            .map(|r| report_line(r, name(r.unit_id)))
            .collect(),
        count: n.count(),
    })
}

impl NoticeView {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The plain-text body of the daily digest; `site` is the address of
    /// the web UI, so each line can be opened.
    pub fn digest(&self, full_name: &str, site: &str) -> String {
        let site = site.trim_end_matches('/');
        let mut out = format!(
            "Kính gửi {full_name},\n\nNgày {}, danvan có {} việc cần anh/chị lưu ý.\n",
            self.today.format("%d/%m/%Y"),
            number::int(self.count as i64)
        );
        let petitions = |out: &mut String, title: &str, list: &[DuePetition]| {
            if list.is_empty() {
                return;
            }
            out.push_str(&format!(
                "\n{title} ({}):\n",
                number::int(list.len() as i64)
            ));
            for p in list {
                out.push_str(&format!(
                    "- Đơn số {} ({}, {}), {} {}: {}. {site}/don-thu/{}\n",
                    p.id,
                    p.kind_label,
                    p.unit_name,
                    p.deadline_label,
                    p.deadline.format("%d/%m/%Y"),
                    p.status_text,
                    p.id
                ));
            }
        };
        petitions(&mut out, "Đơn quá hạn", &self.overdue);
        let soon = format!(
            "Đơn đến hạn trong {} ngày làm việc",
            self.preferences.soon_days
        );
        petitions(&mut out, &soon, &self.due_soon);
        if !self.opinions.is_empty() {
            out.push_str(&format!(
                "\nÝ kiến cử tri, ý kiến đối thoại chưa được trả lời sau {} ngày ({}):\n",
                self.preferences.opinion_days,
                number::int(self.opinions.len() as i64)
            ));
            for o in &self.opinions {
                out.push_str(&format!(
                    "- {} ngày {} tại {}: «{}» ({}). {site}/ghi-nhan/hoi-nghi/{}\n",
                    o.kind_label,
                    o.held_on.format("%d/%m/%Y"),
                    o.unit_name,
                    o.content,
                    o.waiting_text,
                    o.meeting_id
                ));
            }
        }
        if !self.reports.is_empty() {
            out.push_str(&format!(
                "\nBáo cáo ({}):\n",
                number::int(self.reports.len() as i64)
            ));
            for r in &self.reports {
                out.push_str(&format!(
                    "- {} ({}): {}. {site}{}\n",
                    r.title, r.unit_name, r.text, r.href
                ));
            }
        }
        out.push_str(&format!(
            "\nThư này được gửi vì anh/chị đã chọn nhận thư tổng hợp hằng ngày. \
             Đổi lựa chọn tại {site}/thong-bao.\n"
        ));
        out
    }
}
