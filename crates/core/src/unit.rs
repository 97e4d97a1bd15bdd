//! Administrative units (đơn vị): their kinds and how users name them.
//!
//! Units are versions: when a unit's place in the tree changes (a merger,
//! the abolition of districts on 1 July 2025) a new unit is created with
//! its own validity, and the old one names it as its successor. A unit's
//! parent therefore never changes, and history stays where it happened.

use serde::{Deserialize, Serialize};

use crate::{DomainError, text::fold};

/// What kind of body or territory a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// tỉnh
    Province,
    /// thành phố — a centrally run city at province level, or a provincial
    /// city at district level; the parent tells which.
    City,
    /// huyện
    District,
    /// quận
    UrbanDistrict,
    /// thị xã
    Town,
    /// xã
    Commune,
    /// phường
    Ward,
    /// thị trấn
    Township,
    /// đặc khu
    SpecialZone,
    /// cơ quan chuyên môn (sở, phòng, ban)
    Department,
    /// đơn vị sự nghiệp công lập
    PublicService,
    /// cấp ủy, ban của Đảng
    PartyCommittee,
    /// Mặt trận Tổ quốc hoặc tổ chức thành viên
    Front,
    /// cả nước — the whole country, above every province. No stored unit
    /// has this kind (it is not in [`UnitKind::ALL`], so no import can
    /// create one); national reports use it as their subject.
    Country,
}

impl UnitKind {
    pub const ALL: [UnitKind; 13] = [
        UnitKind::Province,
        UnitKind::City,
        UnitKind::District,
        UnitKind::UrbanDistrict,
        UnitKind::Town,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::Township,
        UnitKind::SpecialZone,
        UnitKind::Department,
        UnitKind::PublicService,
        UnitKind::PartyCommittee,
        UnitKind::Front,
    ];

    /// The Vietnamese word written before the name: "xã Đạ Tông".
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Province => "tỉnh",
            UnitKind::City => "thành phố",
            UnitKind::District => "huyện",
            UnitKind::UrbanDistrict => "quận",
            UnitKind::Town => "thị xã",
            UnitKind::Commune => "xã",
            UnitKind::Ward => "phường",
            UnitKind::Township => "thị trấn",
            UnitKind::SpecialZone => "đặc khu",
            UnitKind::Department => "cơ quan",
            UnitKind::PublicService => "đơn vị sự nghiệp",
            UnitKind::PartyCommittee => "cấp ủy",
            UnitKind::Front => "tổ chức",
            UnitKind::Country => "cả nước",
        }
    }

    /// Stable identifier stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::City => "city",
            UnitKind::District => "district",
            UnitKind::UrbanDistrict => "urban_district",
            UnitKind::Town => "town",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Township => "township",
            UnitKind::SpecialZone => "special_zone",
            UnitKind::Department => "department",
            UnitKind::PublicService => "public_service",
            UnitKind::PartyCommittee => "party_committee",
            UnitKind::Front => "front",
            UnitKind::Country => "country",
        }
    }

    /// Accepts the stored code or the Vietnamese word, diacritics optional.
    pub fn parse(s: &str) -> Result<UnitKind, DomainError> {
        let f = fold(s);
        UnitKind::ALL
            .into_iter()
            .find(|k| k.code() == f || fold(k.label()) == f)
            .or(match f.as_str() {
                "tp" | "thanh pho truc thuoc trung uong" | "thanh pho thuoc tinh" => {
                    Some(UnitKind::City)
                }
                "so" | "phong" | "ban" => Some(UnitKind::Department),
                _ => None,
            })
            .ok_or_else(|| {
                DomainError::new(
                    "unit.unknown_kind",
                    format!(
                        "loại đơn vị «{s}» không hợp lệ; dùng một trong: tỉnh, thành phố, huyện, \
                         quận, thị xã, xã, phường, thị trấn, đặc khu, cơ quan, đơn vị sự nghiệp, \
                         cấp ủy, tổ chức"
                    ),
                )
            })
    }

    /// Territorial commune-level kinds (cấp xã).
    pub fn is_commune_level(self) -> bool {
        matches!(
            self,
            UnitKind::Commune | UnitKind::Ward | UnitKind::Township | UnitKind::SpecialZone
        )
    }

    /// Territorial district-level kinds (cấp huyện), ignoring the parent.
    pub fn is_district_like(self) -> bool {
        matches!(
            self,
            UnitKind::District | UnitKind::UrbanDistrict | UnitKind::Town
        )
    }
}

/// "xã Đạ Tông", "tỉnh Kon Tum"; the country is just "cả nước".
pub fn full_name(kind: UnitKind, name: &str) -> String {
    match kind {
        UnitKind::Country => kind.label().to_string(),
        _ => format!("{} {}", kind.label(), name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_vietnamese_kind_words() {
        assert_eq!(UnitKind::parse("thị trấn").unwrap(), UnitKind::Township);
        assert_eq!(UnitKind::parse("Thi tran").unwrap(), UnitKind::Township);
        assert_eq!(UnitKind::parse("xã").unwrap(), UnitKind::Commune);
        assert_eq!(UnitKind::parse("ward").unwrap(), UnitKind::Ward);
        assert_eq!(UnitKind::parse("thành phố").unwrap(), UnitKind::City);
        assert!(
            UnitKind::parse("làng")
                .unwrap_err()
                .message
                .contains("làng")
        );
    }

    #[test]
    fn the_country_is_not_a_kind_anyone_can_import() {
        assert!(UnitKind::parse("cả nước").is_err());
        assert!(UnitKind::parse("country").is_err());
        assert_eq!(full_name(UnitKind::Country, "Việt Nam"), "cả nước");
    }

    #[test]
    fn every_kind_round_trips() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.code()).unwrap(), k);
            assert_eq!(UnitKind::parse(k.label()).unwrap(), k);
        }
    }
}
