//! Public consultations (lấy ý kiến Nhân dân): a unit publishes a draft —
//! a plan, a project, a land recovery — with its documents and questions
//! (the main one, whose result the reports give, and any further ones),
//! for a period; citizens answer online and on paper forms (phiếu), which
//! officials enter in bulk, so both are counted together; the unit then
//! publishes the synthesis. Reports say "phát 1.200 phiếu, thu về 1.105,
//! 92,0% đồng ý".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::fact::{Breakdown, Contribution, FactSource};

pub use crate::records::vocabulary::{AnswerChannel, ConsultationSubject, Stance};

/// The longest comment an answer keeps, in characters.
pub const COMMENT_MAX: usize = 2_000;

/// The most further questions a consultation asks besides its main one.
pub const MORE_QUESTIONS_MAX: usize = 10;

/// The longest question, in characters.
pub const QUESTION_MAX: usize = 500;

/// One consultation at the unit that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultation {
    pub unit_id: i64,
    pub subject: ConsultationSubject,
    /// "Dự thảo phương án bồi thường dự án đường liên xã".
    pub title: String,
    /// What the draft says, in short.
    pub summary: String,
    /// Its documents: a number, a title or an address per line.
    pub documents: String,
    /// The main question citizens answer with đồng ý, không đồng ý or
    /// another opinion: its result is the one reports give.
    pub question: String,
    /// Further questions, answered the same way, in order (empty for most).
    #[serde(default)]
    pub more_questions: Vec<String>,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Phiếu phát ra: paper forms handed out (0 when none).
    pub forms_issued: i64,
}

/// Answers of one kind to a consultation: one online answer, or a bundle
/// of paper forms with the same stance entered together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The consultation's unit: answers count where it was held.
    pub unit_id: i64,
    pub consultation_id: i64,
    /// Which question: 0 for the main one, `n` for the n-th further one.
    /// Only the main question's answers are counted in the facts; the
    /// others are the consultation's own synthesis.
    #[serde(default)]
    pub question: usize,
    pub answered_on: NaiveDate,
    pub channel: AnswerChannel,
    pub stance: Stance,
    /// Forms in the bundle; 1 for an online answer.
    pub count: i64,
    /// The citizen's words; never a name.
    pub comment: String,
}

/// Indicator keys fed by consultations.
pub mod keys {
    /// Consultations opened (by `subject`).
    pub const HELD: &str = "consultation.held";
    /// Paper forms handed out (by `subject`).
    pub const FORMS_ISSUED: &str = "consultation.forms_issued";
    /// Answers received (by `channel` and `stance`).
    pub const ANSWERS: &str = "consultation.answers";
}

fn invalid(field: &str, msg: impl Into<String>) -> DomainError {
    DomainError::new("consultation.invalid", msg).at_field(field)
}

impl Consultation {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.title.trim().is_empty() {
            return Err(invalid("title", "thiếu tên dự thảo lấy ý kiến"));
        }
        if self.question.trim().is_empty() {
            return Err(invalid("question", "thiếu câu hỏi lấy ý kiến"));
        }
        if self.more_questions.len() > MORE_QUESTIONS_MAX {
            return Err(invalid(
                "more_questions",
                format!(
                    "chỉ hỏi thêm được tối đa {MORE_QUESTIONS_MAX} câu; đang có {} câu",
                    self.more_questions.len()
                ),
            ));
        }
        for (i, q) in std::iter::once(&self.question)
            .chain(&self.more_questions)
            .enumerate()
        {
            let field = if i == 0 { "question" } else { "more_questions" };
            if q.trim().is_empty() {
                return Err(invalid(field, format!("câu hỏi thứ {} để trống", i + 1)));
            }
            if q.chars().count() > QUESTION_MAX {
                return Err(invalid(
                    field,
                    format!("câu hỏi thứ {} dài quá {QUESTION_MAX} ký tự", i + 1),
                ));
            }
        }
        if self.closes_on < self.opens_on {
            return Err(invalid(
                "closes_on",
                format!(
                    "ngày kết thúc {} trước ngày bắt đầu {}",
                    self.closes_on.format("%d/%m/%Y"),
                    self.opens_on.format("%d/%m/%Y")
                ),
            ));
        }
        crate::bounds::count(
            "consultation.invalid",
            "forms_issued",
            "số phiếu phát ra",
            self.forms_issued,
            0,
        )?;
        Ok(())
    }

    /// Every question in order: the main one, then the further ones.
    pub fn questions(&self) -> Vec<&str> {
        std::iter::once(self.question.as_str())
            .chain(self.more_questions.iter().map(String::as_str))
            .collect()
    }

    /// Further questions as a form or a file cell gives them: one per
    /// line (or separated by `|` in a one-line cell), blank ones left out.
    pub fn parse_more_questions(text: &str) -> Vec<String> {
        text.split(['\n', '|'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Whether citizens may answer online on `day`.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.opens_on <= day && day <= self.closes_on
    }
}

impl Answer {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.channel == AnswerChannel::Online && self.count != 1 {
            return Err(invalid("count", "một ý kiến trực tuyến là một phiếu"));
        }
        crate::bounds::count("consultation.invalid", "count", "số phiếu", self.count, 1)?;
        if self.comment.chars().count() > COMMENT_MAX {
            return Err(invalid(
                "y_kien",
                format!("ý kiến dài quá {COMMENT_MAX} ký tự"),
            ));
        }
        Ok(())
    }
}

impl FactSource for Consultation {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        let b = Breakdown::new()
            .with("subject", self.subject.code())
            .build();
        for (key, value) in [(keys::HELD, 1), (keys::FORMS_ISSUED, self.forms_issued)] {
            if value != 0 {
                out.push(Contribution {
                    unit_id: self.unit_id,
                    date: self.opens_on,
                    key,
                    breakdown: b.clone(),
                    value,
                });
            }
        }
    }
}

impl FactSource for Answer {
    fn contributions(&self, out: &mut Vec<Contribution>) {
        if self.question != 0 {
            return;
        }
        out.push(Contribution {
            unit_id: self.unit_id,
            date: self.answered_on,
            key: keys::ANSWERS,
            breakdown: Breakdown::new()
                .with("channel", self.channel.code())
                .with("stance", self.stance.code())
                .build(),
            value: self.count,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 9, d).unwrap()
    }

    fn draft() -> Consultation {
        Consultation {
            unit_id: 3,
            subject: ConsultationSubject::LandRecovery,
            title: "Phương án bồi thường đường liên xã".into(),
            summary: String::new(),
            documents: String::new(),
            question: "Ông/bà có đồng ý với phương án?".into(),
            more_questions: Vec::new(),
            opens_on: day(1),
            closes_on: day(30),
            forms_issued: 20,
        }
    }

    #[test]
    fn a_consultation_counts_once_with_its_forms_and_is_open_in_its_period() {
        let c = draft();
        assert!(c.validate().is_ok());
        let mut out = Vec::new();
        c.contributions(&mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].value, 20);
        assert!(c.open_on(day(1)) && c.open_on(day(30)) && !c.open_on(day(30).succ_opt().unwrap()));
        let back = Consultation {
            closes_on: day(1).pred_opt().unwrap(),
            ..draft()
        };
        assert!(back.validate().is_err());
    }

    #[test]
    fn an_online_answer_is_one_form_and_a_bundle_at_least_one() {
        let a = Answer {
            unit_id: 3,
            consultation_id: 1,
            question: 0,
            answered_on: day(2),
            channel: AnswerChannel::Online,
            stance: Stance::Agree,
            count: 2,
            comment: String::new(),
        };
        assert!(a.validate().is_err());
        let paper = Answer {
            channel: AnswerChannel::Paper,
            ..a.clone()
        };
        assert!(paper.validate().is_ok());
        assert!(
            Answer {
                count: 0,
                ..paper.clone()
            }
            .validate()
            .is_err()
        );
        // A further question's answer is the consultation's own: no fact.
        let mut out = Vec::new();
        Answer {
            question: 1,
            ..paper.clone()
        }
        .contributions(&mut out);
        assert!(out.is_empty());
        paper.contributions(&mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn further_questions_are_bounded_and_none_is_blank() {
        let more =
            Consultation::parse_more_questions("Vị trí tái định cư?\n\n  Thời gian bàn giao?  \n");
        assert_eq!(more, ["Vị trí tái định cư?", "Thời gian bàn giao?"]);
        let c = Consultation {
            more_questions: more,
            ..draft()
        };
        assert!(c.validate().is_ok());
        assert_eq!(c.questions().len(), 3);
        let blank = Consultation {
            more_questions: vec![" ".into()],
            ..draft()
        };
        assert!(blank.validate().unwrap_err().message.contains("thứ 2"));
        let many = Consultation {
            more_questions: vec!["Câu hỏi?".into(); MORE_QUESTIONS_MAX + 1],
            ..draft()
        };
        assert!(many.validate().is_err());
    }
}
