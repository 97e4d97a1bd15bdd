//! Cơ quan ban hành: the body in whose name a unit's report is issued and
//! signed. One unit has several — its People's Committee (UBND), its Party
//! committee, the committee's Ban Dân vận, the Fatherland Front — and
//! each has its own letterhead, document symbol (BC-UBND, BC/BDVHU),
//! signer and recipients. A report names the body it is issued by; the
//! letterhead, the number and the opening line follow from it.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// What kind of body issues the report: decides the letterhead's form
/// (the State's motto or the Party's) and how its number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssuerKind {
    /// Ủy ban nhân dân.
    PeopleCommittee,
    /// Cấp ủy Đảng (Tỉnh ủy, Huyện ủy, Đảng ủy xã).
    PartyCommittee,
    /// Ban Dân vận of a Party committee.
    MassMobilisation,
    /// Ủy ban Mặt trận Tổ quốc Việt Nam.
    Front,
    /// Another body (a department, an organisation).
    Other,
}

impl IssuerKind {
    pub const ALL: [IssuerKind; 5] = [
        IssuerKind::PeopleCommittee,
        IssuerKind::PartyCommittee,
        IssuerKind::MassMobilisation,
        IssuerKind::Front,
        IssuerKind::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            IssuerKind::PeopleCommittee => "ubnd",
            IssuerKind::PartyCommittee => "cap_uy",
            IssuerKind::MassMobilisation => "ban_dan_van",
            IssuerKind::Front => "mttq",
            IssuerKind::Other => "khac",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            IssuerKind::PeopleCommittee => "Ủy ban nhân dân",
            IssuerKind::PartyCommittee => "Cấp ủy Đảng",
            IssuerKind::MassMobilisation => "Ban Dân vận",
            IssuerKind::Front => "Mặt trận Tổ quốc",
            IssuerKind::Other => "Cơ quan khác",
        }
    }

    pub fn parse(code: &str) -> Option<IssuerKind> {
        IssuerKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A Party body writes "ĐẢNG CỘNG SẢN VIỆT NAM" and numbers its
    /// documents "Số 111-BC/TU"; the others "Số: 552/BC-UBND".
    pub const fn party(self) -> bool {
        matches!(
            self,
            IssuerKind::PartyCommittee | IssuerKind::MassMobilisation
        )
    }
}

/// One issuing body of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuingBody {
    /// Short name within the unit: `ubnd`, `bdv`… (lower-case ASCII).
    pub code: String,
    pub kind: IssuerKind,
    /// How the report's opening line names it: "Ban Dân vận Huyện ủy".
    pub name: String,
    /// The body above, written over it on the letterhead ("HUYỆN ỦY ĐAM
    /// RÔNG" above "BAN DÂN VẬN"); empty when none is written.
    pub superior: String,
    /// The letterhead's name of the body, upper case, one line or more.
    pub heading: String,
    /// The document symbol after the number: "BC-UBND", "BC/BDVHU".
    pub symbol: String,
    /// The signing formula: "TM. ỦY BAN NHÂN DÂN", "KT. TRƯỞNG BAN", or
    /// empty when the head signs in their own name.
    pub on_behalf: String,
    /// "CHỦ TỊCH", "PHÓ BÍ THƯ", "TRƯỞNG BAN".
    pub signer_title: String,
    pub signer_name: String,
    /// Nơi nhận, one per line.
    pub recipients: Vec<String>,
}

/// The signing formulas Decree 30/2020/NĐ-CP (and the Party's Hướng dẫn
/// 36-HD/VPTW) allow before a title.
const FORMULAS: [&str; 6] = ["TM.", "T/M", "KT.", "Q.", "TL.", "TUQ."];

fn bad(field: &'static str, msg: impl Into<String>) -> DomainError {
    DomainError::new("issuer.invalid", msg.into()).at_field(field)
}

fn length(
    field: &'static str,
    label: &str,
    s: &str,
    min: usize,
    max: usize,
) -> Result<(), DomainError> {
    let n = s.trim().chars().count();
    if n < min || n > max {
        let what = if min == 0 {
            format!("tối đa {max} ký tự")
        } else {
            format!("từ {min} đến {max} ký tự")
        };
        return Err(bad(field, format!("{label} phải có {what} (đang có {n})")));
    }
    Ok(())
}

impl IssuingBody {
    /// Checked when saved: what a letterhead needs is there, and no field
    /// could break the document's layout.
    pub fn validate(&self) -> Result<(), DomainError> {
        let code_ok = !self.code.is_empty()
            && self.code.len() <= 30
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !code_ok {
            return Err(bad(
                "code",
                format!(
                    "mã cơ quan ban hành «{}» không hợp lệ: chỉ dùng chữ thường không dấu, số và \
                     dấu gạch dưới, tối đa 30 ký tự (ví dụ ubnd, bdv)",
                    self.code
                ),
            ));
        }
        length("name", "Tên cơ quan trong lời mở đầu", &self.name, 3, 200)?;
        length("heading", "Tên cơ quan trên tiêu đề", &self.heading, 3, 200)?;
        length("superior", "Tên cơ quan cấp trên", &self.superior, 0, 200)?;
        length(
            "signer_title",
            "Chức danh người ký",
            &self.signer_title,
            2,
            100,
        )?;
        length("signer_name", "Họ tên người ký", &self.signer_name, 0, 100)?;
        length("on_behalf", "Thẩm quyền ký", &self.on_behalf, 0, 100)?;
        let symbol_ok = (2..=30).contains(&self.symbol.chars().count())
            && self
                .symbol
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '/' || c == '.');
        if !symbol_ok {
            return Err(bad(
                "symbol",
                format!(
                    "ký hiệu văn bản «{}» không hợp lệ: chỉ gồm chữ, số và các dấu - / . \
                     (ví dụ BC-UBND hoặc BC/BDVHU), từ 2 đến 30 ký tự",
                    self.symbol
                ),
            ));
        }
        let f = self.on_behalf.trim();
        if !f.is_empty() && !FORMULAS.iter().any(|p| f.starts_with(p)) {
            return Err(bad(
                "on_behalf",
                format!(
                    "thẩm quyền ký «{f}» phải bắt đầu bằng TM., KT., Q., TL. hoặc TUQ. \
                     (ví dụ «TM. ỦY BAN NHÂN DÂN», «KT. TRƯỞNG BAN»), hoặc để trống"
                ),
            ));
        }
        if self.recipients.len() > 20 {
            return Err(bad("recipients", "nơi nhận tối đa 20 dòng"));
        }
        for r in &self.recipients {
            length("recipients", "Mỗi dòng nơi nhận", r, 1, 200)?;
        }
        let one_line = [
            ("name", &self.name),
            ("symbol", &self.symbol),
            ("on_behalf", &self.on_behalf),
            ("signer_title", &self.signer_title),
            ("signer_name", &self.signer_name),
        ];
        if let Some((field, _)) = one_line.iter().find(|(_, v)| v.contains('\n')) {
            return Err(bad(field, "trường này chỉ được viết trên một dòng"));
        }
        Ok(())
    }

    /// The number line of the letterhead. A number typed as digits takes
    /// the body's symbol ("15" → "Số: 15/BC-UBND", Party "Số 15-BC/BDVHU");
    /// one typed with its own symbol is kept as typed; none leaves the
    /// blank the clerk fills in on paper.
    pub fn number_line(&self, number: &str) -> String {
        let n = number.trim();
        let (party, sym) = (self.kind.party(), self.symbol.trim());
        let full = if n.is_empty() {
            if party {
                format!("      -{sym}")
            } else {
                format!("      /{sym}")
            }
        } else if n.chars().all(|c| c.is_ascii_digit()) {
            if party {
                format!("{n}-{sym}")
            } else {
                format!("{n}/{sym}")
            }
        } else {
            n.to_string()
        };
        if party {
            format!("Số {full}")
        } else {
            format!("Số: {full}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bdv() -> IssuingBody {
        IssuingBody {
            code: "bdv".into(),
            kind: IssuerKind::MassMobilisation,
            name: "Ban Dân vận Huyện ủy".into(),
            superior: "HUYỆN ỦY ĐAM RÔNG".into(),
            heading: "BAN DÂN VẬN".into(),
            symbol: "BC/BDVHU".into(),
            on_behalf: String::new(),
            signer_title: "TRƯỞNG BAN".into(),
            signer_name: "Nguyễn Văn A".into(),
            recipients: vec!["Ban Dân vận Tỉnh ủy,".into(), "Lưu.".into()],
        }
    }

    #[test]
    fn numbers_follow_the_body() {
        let b = bdv();
        assert_eq!(b.number_line("15"), "Số 15-BC/BDVHU");
        assert_eq!(b.number_line(""), "Số       -BC/BDVHU");
        assert_eq!(b.number_line("15-BC/BDVHU"), "Số 15-BC/BDVHU");
        let u = IssuingBody {
            kind: IssuerKind::PeopleCommittee,
            symbol: "BC-UBND".into(),
            ..bdv()
        };
        assert_eq!(u.number_line("552"), "Số: 552/BC-UBND");
        assert_eq!(u.number_line(""), "Số:       /BC-UBND");
    }

    #[test]
    fn a_bad_body_is_refused_by_field() {
        assert!(bdv().validate().is_ok());
        let cases: [(&str, IssuingBody); 5] = [
            (
                "code",
                IssuingBody {
                    code: "Ban DV".into(),
                    ..bdv()
                },
            ),
            (
                "symbol",
                IssuingBody {
                    symbol: "BC <b>".into(),
                    ..bdv()
                },
            ),
            (
                "on_behalf",
                IssuingBody {
                    on_behalf: "THAY MẶT".into(),
                    ..bdv()
                },
            ),
            (
                "signer_title",
                IssuingBody {
                    signer_title: " ".into(),
                    ..bdv()
                },
            ),
            (
                "name",
                IssuingBody {
                    name: "Ban\nDân vận".into(),
                    ..bdv()
                },
            ),
        ];
        for (field, b) in cases {
            let e = b.validate().unwrap_err();
            assert_eq!(
                e.at,
                crate::Where::Field {
                    field: field.into()
                },
                "{e:?}"
            );
        }
    }
}
