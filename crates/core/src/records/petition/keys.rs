//! Indicator keys fed by petitions and cases. Flows count events dated in
//! the period read; stocks (`*.open`, `*.in_resolution`) are +1/−1 flows
//! whose sum over [`DateRange::up_to`](crate::period::DateRange::up_to) a
//! date is the stock at the end of that date.

/// Flow, on the receipt date: petitions received (tiếp nhận mới).
/// Breakdown: `type`, `channel`, `field`.
pub const RECEIVED: &str = "petition.received";
/// Stock: +1 on receipt, −1 when closed (handled other than by
/// acceptance, or resolved). Read up to the day before a period: carried
/// over (kỳ trước chuyển sang); up to its end: still pending.
/// Breakdown: `type`.
pub const OPEN: &str = "petition.open";
/// Flow, on the classification date: eligible (đủ điều kiện xử lý).
/// Breakdown: `type`.
pub const ELIGIBLE: &str = "petition.eligible";
/// Flow, on the classification date: not eligible, by `reason`
/// (trùng lặp, không rõ địa chỉ…). Breakdown: `reason`, `type`.
pub const INELIGIBLE: &str = "petition.ineligible";
/// Flow, on the handling date: by `handling` (chuyển, đôn đốc, trả lại,
/// thụ lý, lưu đơn). Breakdown: `handling`, `type`.
pub const HANDLED: &str = "petition.handled";
/// Flow, on the acceptance date: accepted as within competence (thụ lý).
/// Breakdown: `type`, `complex`, `remote` (`yes`/`no`) and, for
/// complaints, `instance` (`1` lần đầu, `2` lần hai).
pub const ACCEPTED: &str = "petition.accepted";
/// Stock: +1 on acceptance, −1 on resolution. Up to the day before a
/// period plus [`ACCEPTED`] in it: within competence in the period
/// (thuộc thẩm quyền); up to its end: pending resolution (đang giải
/// quyết). Breakdown: `type`.
pub const IN_RESOLUTION: &str = "petition.in_resolution";
/// Flow, on the resolution date: resolved (giải quyết xong).
/// Breakdown: `type`, `outcome` and, for complaints, `instance`.
pub const RESOLVED: &str = "petition.resolved";
/// Flow, on the resolution date: resolved no later than the statutory
/// deadline (extensions included). Breakdown: `type`.
pub const RESOLVED_ON_TIME: &str = "petition.resolved_on_time";
/// Flow, on the resolution date: resolved after the deadline.
/// Breakdown: `type`.
pub const RESOLVED_LATE: &str = "petition.resolved_late";
/// Flow, on the opening date: cases (vụ việc) opened.
/// Breakdown: `complex`, `crowd`, `prolonged`, `flagged` (`yes` when any
/// of the three holds: the "phức tạp, đông người, kéo dài" of reports).
pub const CASE_OPENED: &str = "case.opened";
/// Stock of unresolved cases: +1 opened, −1 resolved. Up to the day
/// before a period plus [`CASE_OPENED`] in it: the cases of the period.
/// Breakdown as [`CASE_OPENED`].
pub const CASE_OPEN: &str = "case.open";
/// Flow, on the resolution date: cases resolved. Breakdown as
/// [`CASE_OPENED`].
pub const CASE_RESOLVED: &str = "case.resolved";

/// Every petition and case key, for reads and dumps.
pub const ALL: &[&str] = &[
    RECEIVED,
    OPEN,
    ELIGIBLE,
    INELIGIBLE,
    HANDLED,
    ACCEPTED,
    IN_RESOLUTION,
    RESOLVED,
    RESOLVED_ON_TIME,
    RESOLVED_LATE,
    CASE_OPENED,
    CASE_OPEN,
    CASE_RESOLVED,
];
