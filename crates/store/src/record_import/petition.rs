//! Reading a petition file.

use std::io::Read;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::calendar::deadline::Extension;
use danvan_core::records::petition::{
    Eligibility, Handling, IneligibleReason, Instance, Outcome, Petition, PetitionChannel,
    PetitionField, PetitionType, Sender,
};
use danvan_core::text::fold;

use super::cells::{Layout, records_of};
use super::columns::{PETITION_COLUMNS, PETITION_OPTIONAL_COLUMNS};
use crate::units::Unit;

/// Exact code or label first; then what users type in spreadsheets: the
/// label without punctuation ("kiến nghị phản ánh") or a unique beginning of
/// it ("thụ lý", "chuyển", "lưu đơn").
fn loose<T: Copy>(
    s: &str,
    all: &[T],
    label: fn(T) -> &'static str,
    exact: fn(&str) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    let err = match exact(s) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let plain = |x: &str| {
        fold(x)
            .chars()
            .filter(|c| !matches!(c, ',' | '/' | ';' | '.'))
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let q = plain(s);
    if q.chars().count() < 3 {
        return Err(err);
    }
    let hits: Vec<T> = all
        .iter()
        .copied()
        .filter(|v| plain(label(*v)) == q || plain(label(*v)).starts_with(&format!("{q} ")))
        .collect();
    match hits.as_slice() {
        [one] => Ok(*one),
        _ => Err(err),
    }
}

fn parse_handling(s: &str) -> Result<Handling, DomainError> {
    loose(s, Handling::ALL, Handling::label, Handling::parse)
}

fn parse_type(s: &str) -> Result<PetitionType, DomainError> {
    loose(
        s,
        PetitionType::ALL,
        PetitionType::label,
        PetitionType::parse,
    )
}

fn parse_eligibility(s: &str) -> Result<bool, DomainError> {
    match fold(s).as_str() {
        "du" | "du dieu kien" | "du dieu kien xu ly" | "eligible" => Ok(true),
        "khong du" | "khong du dieu kien" | "khong du dieu kien xu ly" | "ineligible" => Ok(false),
        _ => Err(DomainError::new(
            "petition.import",
            format!("phân loại «{s}» không hợp lệ; dùng «đủ» hoặc «không đủ»"),
        )),
    }
}

/// Parse a petition file into records, each with its line. `progress` is
/// called after each row (for a progress bar).
pub fn parse_petitions(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    progress: impl FnMut(),
) -> Result<Vec<(usize, Petition)>, Vec<DomainError>> {
    let layout = Layout {
        columns: &PETITION_COLUMNS,
        optional: PETITION_OPTIONAL_COLUMNS,
        aliases: &[],
        code: "petition.import",
    };
    records_of(input, &layout, Petition::validate, progress, |c| {
        let received_on = c.required_date("received_on");
        let unit_id = c.unit(all_units, received_on, today);
        let channel = c.required_vocab("channel", PetitionChannel::parse);
        let senders = c.int("senders", 1);
        let kind = c.required_vocab("type", parse_type);
        let instance = c
            .vocab("instance", Instance::parse)
            .or(Some(Instance::First));
        let field = c
            .vocab("field", PetitionField::parse)
            .or(Some(PetitionField::Other));
        let classified_on = c.date("classified_on");
        let eligible = c.vocab("eligibility", parse_eligibility);
        let reason = c.vocab("ineligible_reason", IneligibleReason::parse);
        let handled_on = c.date("handled_on");
        let handling = c.vocab("handling", parse_handling);
        let complex = c.flag("complex");
        let remote = c.flag("remote");
        let resolved_on = c.date("resolved_on");
        let outcome = c.vocab("outcome", Outcome::parse);
        let case_id = match c.raw("case_id") {
            "" => Some(None),
            _ => c.int("case_id", 0).map(Some),
        };
        let eligibility = match (eligible, reason) {
            (None, None) => None,
            (Some(true), None) => Some(Eligibility::Eligible),
            (Some(false), Some(r)) | (None, Some(r)) => Some(Eligibility::Ineligible(r)),
            (Some(true), Some(_)) => {
                c.err(
                    "ineligible_reason",
                    "đơn đủ điều kiện xử lý không ghi lý do không đủ điều kiện".into(),
                );
                None
            }
            (Some(false), None) => {
                c.err(
                    "ineligible_reason",
                    "đơn không đủ điều kiện xử lý phải ghi lý do".into(),
                );
                None
            }
        };
        if !c.errors.is_empty() {
            return None;
        }
        let (
            Some(unit_id),
            Some(received_on),
            Some(channel),
            Some(senders),
            Some(kind),
            Some(instance),
            Some(field),
            Some(case_id),
        ) = (
            unit_id,
            received_on,
            channel,
            senders,
            kind,
            instance,
            field,
            case_id,
        )
        else {
            return None;
        };
        let p = Petition {
            senders,
            instance,
            case_id,
            sender: Sender {
                name: c.text("sender_name"),
                address: c.text("sender_address"),
                phone: c.text("sender_phone"),
            },
            summary: c.text("summary"),
            classified_on,
            eligibility,
            handled_on,
            handling,
            complex,
            remote,
            extensions: Vec::<Extension>::new(),
            resolved_on,
            outcome,
            ..Petition::received(unit_id, received_on, channel, kind, field)
        };
        Some(p)
    })
}
