//! The issuing body of a report and its letterhead. Every unit has
//! default bodies derived from its kind — its People's Committee, its Party
//! committee, the committee's Ban Dân vận (province and district), the
//! Fatherland Front — which its users may replace or add to
//! (`store::issuers`). A report is issued by one of them: the letterhead,
//! the number's symbol, the signer and the opening line follow from it.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::issuer::{IssuerKind, IssuingBody};
use danvan_core::unit::UnitKind;
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, issuers};

use crate::docx::Letterhead;

fn up(s: &str) -> String {
    s.to_uppercase()
}

/// The Party committee of a unit as its letterhead writes it, and its
/// short name ("Huyện ủy") with the symbol's ending ("HU").
fn committee(unit: &Unit) -> (String, &'static str, &'static str) {
    match unit.kind {
        UnitKind::Province => (format!("TỈNH ỦY {}", up(&unit.name)), "Tỉnh ủy", "TU"),
        UnitKind::City | UnitKind::Town if unit.depth == 0 => {
            (format!("THÀNH ỦY {}", up(&unit.name)), "Thành ủy", "TU")
        }
        UnitKind::City | UnitKind::Town => {
            (format!("THÀNH ỦY {}", up(&unit.name)), "Thành ủy", "ThU")
        }
        UnitKind::District => (format!("HUYỆN ỦY {}", up(&unit.name)), "Huyện ủy", "HU"),
        _ => (
            format!("ĐẢNG ỦY {}", up(&unit.full_name())),
            "Đảng ủy",
            "ĐU",
        ),
    }
}

/// The bodies every unit of its kind issues under until its users say
/// otherwise, People's Committee first.
pub fn defaults(unit: &Unit, parent: Option<&Unit>) -> Vec<IssuingBody> {
    if unit.is_country() {
        // A national summary: the Government's report.
        return vec![IssuingBody {
            code: "cp".into(),
            kind: IssuerKind::Other,
            name: "Chính phủ".into(),
            superior: String::new(),
            heading: "CHÍNH PHỦ".into(),
            symbol: "BC-CP".into(),
            on_behalf: "TM. CHÍNH PHỦ".into(),
            signer_title: "THỦ TƯỚNG".into(),
            signer_name: String::new(),
            recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        }];
    }
    let full = unit.full_name();
    let (party_heading, party_short, party_sym) = committee(unit);
    let mut v = vec![
        IssuingBody {
            code: "ubnd".into(),
            kind: IssuerKind::PeopleCommittee,
            name: format!("Ủy ban nhân dân {full}"),
            superior: parent.map_or(String::new(), |p| format!("UBND {}", up(&p.full_name()))),
            heading: format!("ỦY BAN NHÂN DÂN\n{}", up(&full)),
            symbol: "BC-UBND".into(),
            on_behalf: "TM. ỦY BAN NHÂN DÂN".into(),
            signer_title: "CHỦ TỊCH".into(),
            signer_name: String::new(),
            recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        },
        IssuingBody {
            code: "cap_uy".into(),
            kind: IssuerKind::PartyCommittee,
            name: format!("Ban Thường vụ {party_short} {}", unit.name),
            superior: String::new(),
            heading: party_heading.clone(),
            symbol: format!("BC/{party_sym}"),
            on_behalf: "T/M BAN THƯỜNG VỤ".into(),
            signer_title: "BÍ THƯ".into(),
            signer_name: String::new(),
            recipients: vec!["Như trên,".into(), "Lưu Văn phòng.".into()],
        },
    ];
    if !unit.kind.is_commune_level() {
        v.push(IssuingBody {
            code: "bdv".into(),
            kind: IssuerKind::MassMobilisation,
            name: format!("Ban Dân vận {party_short}"),
            superior: party_heading,
            heading: "BAN DÂN VẬN".into(),
            symbol: format!("BC/BDV{party_sym}"),
            on_behalf: String::new(),
            signer_title: "TRƯỞNG BAN".into(),
            signer_name: String::new(),
            recipients: vec![format!("Thường trực {party_short} (b/c),"), "Lưu.".into()],
        });
    }
    v.push(IssuingBody {
        code: "mttq".into(),
        kind: IssuerKind::Front,
        name: format!("Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam {full}"),
        superior: String::new(),
        heading: format!("ỦY BAN MTTQ VIỆT NAM\n{}", up(&full)),
        symbol: "BC-MTTQ".into(),
        on_behalf: "TM. BAN THƯỜNG TRỰC".into(),
        signer_title: "CHỦ TỊCH".into(),
        signer_name: String::new(),
        recipients: vec!["Như trên;".into(), "Lưu: VP.".into()],
    });
    v
}

/// The bodies `unit` issues under: the defaults, each replaced by the one
/// its users saved under the same code, then the bodies they added.
pub async fn of_unit(store: &Store, unit: &Unit) -> Result<Vec<IssuingBody>, StoreError> {
    let parent = match unit.parent_id {
        Some(p) => units::by_id(store, p).await?,
        None => None,
    };
    let saved = if unit.is_country() {
        Vec::new()
    } else {
        issuers::of_unit(store, unit).await?
    };
    let mut all = defaults(unit, parent.as_ref());
    for b in saved {
        match all.iter_mut().find(|d| d.code == b.code) {
            Some(d) => *d = b,
            None => all.push(b),
        }
    }
    Ok(all)
}

/// The body a report is issued by: the one named, or by default the Party
/// committee for the Party template and the People's Committee otherwise.
/// A code the unit does not have is refused with the codes it has.
pub async fn resolve(
    store: &Store,
    unit: &Unit,
    code: Option<&str>,
    party_template: bool,
) -> Result<IssuingBody, StoreError> {
    let all = of_unit(store, unit).await?;
    let wanted = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None if party_template => "cap_uy".into(),
        None => "ubnd".into(),
    };
    if let Some(b) = all.iter().find(|b| b.code == wanted) {
        return Ok(b.clone());
    }
    if code.is_none() {
        // The country has one body only.
        return Ok(all.into_iter().next().expect("every unit has a body"));
    }
    let known: Vec<String> = all
        .iter()
        .map(|b| format!("{} ({})", b.code, b.name))
        .collect();
    Err(DomainError::new(
        "issuer.unknown",
        format!(
            "{} không có cơ quan ban hành mã «{wanted}»; các cơ quan có: {}",
            unit.full_name(),
            known.join(", ")
        ),
    )
    .at_field("issuer")
    .into())
}

/// The letterhead of a report `body` issues for `unit` on `date`.
pub fn letterhead(body: &IssuingBody, unit: &Unit, date: NaiveDate, number: &str) -> Letterhead {
    Letterhead {
        party: body.kind.party(),
        superior: Some(body.superior.clone()).filter(|s| !s.is_empty()),
        issuer: body.heading.clone(),
        number: body.number_line(number),
        place: if unit.is_country() {
            "Hà Nội".into()
        } else {
            unit.name.clone()
        },
        date,
        on_behalf: body.on_behalf.clone(),
        signer_title: body.signer_title.clone(),
        signer_name: body.signer_name.clone(),
        recipients: body.recipients.clone(),
    }
}
