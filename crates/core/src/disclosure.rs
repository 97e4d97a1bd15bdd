//! The public disclosure board of a commune (bảng công khai): what Luật
//! Thực hiện dân chủ ở cơ sở 2022 (Luật số 10/2022/QH15) Article 11 says a
//! commune must make public, kept as data (`disclosure/*.toml`, built in),
//! a publication of one of those items, and the status of each item for a
//! year: published, missing, or overdue. See docs/disclosure.md.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The built-in list of items.
const BUILT_IN: &str = include_str!("../disclosure/luat-10-2022.toml");

/// Where a content is made public (Điều 12, 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    /// Niêm yết tại trụ sở HĐND, UBND xã.
    Noticeboard,
    /// Hệ thống truyền thanh của xã.
    Loudspeaker,
    /// Cổng, trang thông tin điện tử.
    Web,
    /// Thông báo tại cuộc họp thôn, tổ dân phố.
    VillageMeeting,
}

impl Place {
    pub const ALL: [Place; 4] = [
        Place::Noticeboard,
        Place::Loudspeaker,
        Place::Web,
        Place::VillageMeeting,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Place::Noticeboard => "tru-so",
            Place::Loudspeaker => "truyen-thanh",
            Place::Web => "dien-tu",
            Place::VillageMeeting => "hop-thon",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Place::Noticeboard => "niêm yết tại trụ sở",
            Place::Loudspeaker => "hệ thống truyền thanh",
            Place::Web => "cổng/trang thông tin điện tử",
            Place::VillageMeeting => "họp thôn, tổ dân phố",
        }
    }

    pub fn parse(s: &str) -> Option<Place> {
        Place::ALL.into_iter().find(|p| p.code() == s.trim())
    }
}

/// How long a posting must stay up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keep {
    /// At least this many days from the day it is posted.
    Days(u32),
    /// As long as the content is in force.
    InForce,
}

impl Keep {
    /// The last day the posting must still be up, if it has one.
    pub fn until(self, published_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Keep::Days(n) => Some(published_on + Duration::days(i64::from(n.max(1)) - 1)),
            Keep::InForce => None,
        }
    }

    pub fn describe(self) -> String {
        match self {
            Keep::Days(n) => format!("ít nhất {n} ngày"),
            Keep::InForce => "suốt thời gian có hiệu lực".into(),
        }
    }
}

/// One content the law requires a commune to make public.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub code: String,
    pub title: String,
    /// Where the law says so: "Điều 11 khoản 3".
    pub article: String,
    pub keep: Keep,
    /// The day of the year by which it must be posted, if any.
    pub due: Option<(u32, u32)>,
    pub broadcast_days: Option<u32>,
    /// Posted only when there is something to post: never "missing".
    pub optional: bool,
}

impl Item {
    pub fn due_in(&self, year: i32) -> Option<NaiveDate> {
        self.due
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    #[allow(dead_code)]
    law: String,
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    code: String,
    title: String,
    article: String,
    keep_days: Option<u32>,
    keep: Option<String>,
    due: Option<String>,
    broadcast_days: Option<u32>,
    #[serde(default)]
    optional: bool,
}

/// Read a list of items; a wrong entry is named.
pub fn parse(src: &str) -> Result<Vec<Item>, DomainError> {
    let bad = |m: String| DomainError::new("disclosure.list", m);
    let raw: RawList =
        toml::from_str(src).map_err(|e| bad(format!("danh mục nội dung công khai: {e}")))?;
    let mut items: Vec<Item> = Vec::new();
    for r in raw.item {
        let keep = match (r.keep_days, r.keep.as_deref()) {
            (Some(n), None) if n > 0 => Keep::Days(n),
            (None, Some("in_force")) => Keep::InForce,
            _ => {
                return Err(bad(format!(
                    "nội dung «{}»: cần đúng một trong keep_days (số ngày > 0) hoặc keep = \"in_force\"",
                    r.code
                )));
            }
        };
        let due = match r.due.as_deref() {
            None => None,
            Some(s) => {
                let md = s
                    .split_once('-')
                    .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)))
                    .filter(|&(m, d)| NaiveDate::from_ymd_opt(2024, m, d).is_some());
                Some(md.ok_or_else(|| {
                    bad(format!(
                        "nội dung «{}»: hạn «{s}» phải có dạng MM-DD",
                        r.code
                    ))
                })?)
            }
        };
        if items.iter().any(|i| i.code == r.code) {
            return Err(bad(format!("nội dung «{}» có hai lần", r.code)));
        }
        items.push(Item {
            code: r.code,
            title: r.title,
            article: r.article,
            keep,
            due,
            broadcast_days: r.broadcast_days,
            optional: r.optional,
        });
    }
    Ok(items)
}

/// The items in force (the built-in list).
pub fn items() -> &'static [Item] {
    static ITEMS: OnceLock<Vec<Item>> = OnceLock::new();
    ITEMS.get_or_init(|| parse(BUILT_IN).expect("the built-in list is checked by a test"))
}

pub fn item(code: &str) -> Option<&'static Item> {
    items().iter().find(|i| i.code == code.trim())
}

/// The longest a posting may be required to stay up, in days.
pub const MAX_KEEP_DAYS: u32 = 3_660;
const MAX_TEXT: usize = 500;

/// One publication at a commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub item: String,
    pub title: String,
    pub published_on: NaiveDate,
    pub places: Vec<Place>,
    /// How long it must stay up: the item's rule unless typed.
    pub keep: Keep,
    /// A link to the posted text (cổng thông tin), optional.
    pub link: String,
    /// The document's number (số, ký hiệu), optional.
    pub document: String,
    pub taken_down_on: Option<NaiveDate>,
}

impl Publication {
    /// Checked before anything is written, against the day it is recorded.
    pub fn validate(&mut self, today: NaiveDate) -> Result<(), DomainError> {
        self.title = self.title.trim().to_string();
        self.link = self.link.trim().to_string();
        self.document = self.document.trim().to_string();
        if item(&self.item).is_none() {
            return Err(DomainError::new(
                "disclosure.item",
                format!("nội dung công khai «{}» không có trong danh mục", self.item),
            )
            .at_field("noi_dung"));
        }
        if self.title.is_empty() {
            return Err(
                DomainError::new("disclosure.title", "hãy nhập tiêu đề văn bản công khai")
                    .at_field("tieu_de"),
            );
        }
        for (s, field, what) in [
            (&self.title, "tieu_de", "tiêu đề"),
            (&self.link, "lien_ket", "liên kết"),
            (&self.document, "so_hieu", "số, ký hiệu"),
        ] {
            if s.chars().count() > MAX_TEXT {
                return Err(DomainError::new(
                    "disclosure.long",
                    format!("{what} dài quá {MAX_TEXT} ký tự"),
                )
                .at_field(field));
            }
        }
        let web = ["https://", "http://"];
        if !self.link.is_empty() && !web.iter().any(|w| self.link.starts_with(w)) {
            return Err(DomainError::new(
                "disclosure.link",
                format!("liên kết «{}» phải bắt đầu bằng https://", self.link),
            )
            .at_field("lien_ket"));
        }
        if self.published_on > today {
            return Err(DomainError::new(
                "disclosure.future",
                format!(
                    "ngày công khai {} chưa đến (hôm nay {})",
                    dmy(self.published_on),
                    dmy(today)
                ),
            )
            .at_field("ngay_cong_khai"));
        }
        if self.places.is_empty() {
            return Err(DomainError::new(
                "disclosure.places",
                "hãy chọn ít nhất một hình thức công khai (trụ sở, truyền thanh, trang điện tử, họp thôn)",
            )
            .at_field("hinh_thuc"));
        }
        self.places
            .sort_by_key(|p| Place::ALL.iter().position(|q| q == p));
        self.places.dedup();
        if let Keep::Days(n) = self.keep
            && !(1..=MAX_KEEP_DAYS).contains(&n)
        {
            return Err(DomainError::new(
                "disclosure.keep",
                format!("thời hạn công khai {n} ngày phải từ 1 đến {MAX_KEEP_DAYS} ngày"),
            )
            .at_field("so_ngay"));
        }
        if let Some(d) = self.taken_down_on {
            check_takedown(self.published_on, d, today)?;
        }
        Ok(())
    }

    /// The last day it must stay up, if it has one.
    pub fn required_until(&self) -> Option<NaiveDate> {
        self.keep.until(self.published_on)
    }

    /// Whether it is up on `day`.
    pub fn up_on(&self, day: NaiveDate) -> bool {
        self.published_on <= day && self.taken_down_on.is_none_or(|t| t > day)
    }
}

/// A takedown on `on` of a posting made on `published_on`.
pub fn check_takedown(
    published_on: NaiveDate,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if on < published_on {
        return Err(DomainError::new(
            "disclosure.takedown_before",
            format!(
                "ngày gỡ xuống {} trước ngày công khai {}",
                dmy(on),
                dmy(published_on)
            ),
        )
        .at_field("ngay_go"));
    }
    if on > today {
        return Err(DomainError::new(
            "disclosure.takedown_future",
            format!(
                "ngày gỡ xuống {} chưa đến (hôm nay {})",
                dmy(on),
                dmy(today)
            ),
        )
        .at_field("ngay_go"));
    }
    Ok(())
}

/// An item's state at a commune for a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Posted, and kept up as long as required so far.
    Published {
        published_on: NaiveDate,
        /// The last day it must stay up (`None`: while in force).
        until: Option<NaiveDate>,
        taken_down_on: Option<NaiveDate>,
    },
    /// Nothing posted in the year (and no due date passed).
    Missing,
    /// Taken down before its required time, or not posted by its due date.
    Overdue { reason: String },
}

impl Status {
    pub fn word(&self) -> &'static str {
        match self {
            Status::Published { .. } => "Đã công khai",
            Status::Missing => "Chưa công khai",
            Status::Overdue { .. } => "Vi phạm thời hạn",
        }
    }
}

/// The status of `item` for `year`, seen on `today`, from the commune's
/// publications of that item. A publication counts for the year when it
/// was up on some day of it; the latest such one decides.
pub fn status(item: &Item, publications: &[&Publication], year: i32, today: NaiveDate) -> Status {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Status::Missing;
    };
    let seen = last.min(today);
    let latest = publications
        .iter()
        .filter(|p| p.item == item.code)
        .filter(|p| p.published_on <= seen && p.taken_down_on.is_none_or(|t| t >= first))
        .max_by_key(|p| (p.published_on, p.taken_down_on.is_none()));
    let Some(p) = latest else {
        return match item.due_in(year) {
            Some(due) if today > due => Status::Overdue {
                reason: format!("chưa công khai, hạn là {}", dmy(due)),
            },
            _ => Status::Missing,
        };
    };
    if let Some(due) = item.due_in(year)
        && p.published_on > due
        && p.published_on.year() == year
    {
        return Status::Overdue {
            reason: format!(
                "công khai ngày {}, sau hạn {}",
                dmy(p.published_on),
                dmy(due)
            ),
        };
    }
    let until = p.required_until();
    if let (Some(t), Some(u)) = (p.taken_down_on, until)
        && t <= u
    {
        return Status::Overdue {
            reason: format!(
                "gỡ xuống ngày {}, trước khi đủ thời hạn ({}, đến hết {})",
                dmy(t),
                p.keep.describe(),
                dmy(u)
            ),
        };
    }
    Status::Published {
        published_on: p.published_on,
        until,
        taken_down_on: p.taken_down_on,
    }
}

/// One turn of the reception schedule of a commune's leaders (lịch tiếp
/// công dân).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSlot {
    pub leader: String,
    pub position: String,
    /// The day and time, as the commune words it ("Thứ Năm hằng tuần, 7 giờ 30 – 11 giờ").
    pub when: String,
    pub place: String,
}

impl ScheduleSlot {
    pub fn validate(&mut self) -> Result<(), DomainError> {
        for (s, field, what) in [
            (&mut self.leader, "lanh_dao", "họ tên người tiếp"),
            (&mut self.position, "chuc_vu", "chức vụ"),
            (&mut self.when, "thoi_gian", "ngày, giờ tiếp"),
            (&mut self.place, "dia_diem", "địa điểm"),
        ] {
            *s = s.trim().to_string();
            if s.is_empty() {
                return Err(
                    DomainError::new("schedule.empty", format!("hãy nhập {what}")).at_field(field),
                );
            }
            if s.chars().count() > 200 {
                return Err(
                    DomainError::new("schedule.long", format!("{what} dài quá 200 ký tự"))
                        .at_field(field),
                );
            }
        }
        Ok(())
    }
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn posted(code: &str, on: NaiveDate, down: Option<NaiveDate>) -> Publication {
        let keep = item(code).map_or(Keep::Days(30), |i| i.keep);
        Publication {
            item: code.into(),
            title: "Kế hoạch".into(),
            published_on: on,
            places: vec![Place::Noticeboard],
            keep,
            link: String::new(),
            document: String::new(),
            taken_down_on: down,
        }
    }

    #[test]
    fn the_built_in_list_reads() {
        assert!(items().len() >= 10);
        assert!(items().iter().all(|i| i.article.contains("Điều")));
        assert_eq!(item("ke-hoach-kt-xh").unwrap().keep, Keep::Days(30));
        assert_eq!(item("dat-dai-dau-tu").unwrap().keep, Keep::InForce);
    }

    #[test]
    fn status_reads_missing_published_and_overdue() {
        let plan = item("ke-hoach-kt-xh").unwrap();
        let today = d(2025, 6, 1);
        assert_eq!(status(plan, &[], 2025, today), Status::Missing);
        // 30 days from 10 March: up to 8 April inclusive.
        let ok = posted(plan.code.as_str(), d(2025, 3, 10), Some(d(2025, 4, 9)));
        assert!(matches!(
            status(plan, &[&ok], 2025, today),
            Status::Published { until: Some(u), .. } if u == d(2025, 4, 8)
        ));
        let early = posted(plan.code.as_str(), d(2025, 3, 10), Some(d(2025, 4, 8)));
        let s = status(plan, &[&early], 2025, today);
        assert!(
            matches!(&s, Status::Overdue { reason } if reason.contains("08/04/2025")),
            "{s:?}"
        );
        // Last year's posting, taken down then, does not count this year.
        let old = posted(plan.code.as_str(), d(2024, 3, 10), Some(d(2024, 5, 1)));
        assert_eq!(status(plan, &[&old], 2025, today), Status::Missing);
        // A land plan posted last year and still up counts.
        let land = item("dat-dai-dau-tu").unwrap();
        let up = posted(land.code.as_str(), d(2024, 3, 10), None);
        assert!(matches!(
            status(land, &[&up], 2025, today),
            Status::Published { .. }
        ));
    }

    #[test]
    fn a_due_date_passed_is_overdue() {
        let list = parse(
            "law = \"x\"\n[[item]]\ncode = \"a\"\ntitle = \"A\"\narticle = \"Điều 11 khoản 2\"\nkeep_days = 30\ndue = \"01-31\"\n",
        )
        .unwrap();
        let a = &list[0];
        assert_eq!(status(a, &[], 2025, d(2025, 1, 31)), Status::Missing);
        assert!(matches!(
            status(a, &[], 2025, d(2025, 2, 1)),
            Status::Overdue { .. }
        ));
        assert!(
            parse("law = \"x\"\n[[item]]\ncode = \"a\"\ntitle = \"A\"\narticle = \"x\"\n").is_err()
        );
    }

    #[test]
    fn bad_publications_are_named() {
        let today = d(2025, 6, 1);
        let mut p = posted("ke-hoach-kt-xh", d(2025, 6, 2), None);
        assert_eq!(p.validate(today).unwrap_err().code, "disclosure.future");
        let mut p = posted("khong-co", d(2025, 5, 2), None);
        assert_eq!(p.validate(today).unwrap_err().code, "disclosure.item");
        let mut p = posted("ke-hoach-kt-xh", d(2025, 5, 2), Some(d(2025, 5, 1)));
        assert_eq!(
            p.validate(today).unwrap_err().code,
            "disclosure.takedown_before"
        );
        let mut p = posted("ke-hoach-kt-xh", d(2025, 5, 2), None);
        p.places.clear();
        assert_eq!(p.validate(today).unwrap_err().code, "disclosure.places");
    }
}
