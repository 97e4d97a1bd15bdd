//! Public consultations: the draft is a record kind like the others (its
//! table, pages, API and file import through [`crate::table`]); its
//! answers — online, one by one, and paper forms entered in bundles — are
//! written here with their facts in one transaction, and its synthesis is
//! published here. A consultation that has answers is not deleted.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::fact::FactSource;
use danvan_core::records::consultation::{
    Answer, AnswerChannel, Consultation, ConsultationSubject, Stance,
};
use danvan_core::records::kind::RecordKind;
use serde::Serialize;

use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::facts::{FactDelta, UnitCache};
use crate::placing::place;
use crate::record_import::Import;
use crate::record_import::cells::Cells;
use crate::record_import::columns::CONSULTATION_COLUMNS;
use crate::table::{Table, Value, record_functions};
use crate::units::Unit;
use crate::{Store, StoreError};

impl Table for Consultation {
    const KIND: RecordKind = RecordKind::Consultation;
    const TABLE: &'static str = "consultation";
    const DAY: &'static str = "opens_on";
    const COLUMNS: &'static [&'static str] = &[
        "unit_id",
        "subject",
        "title",
        "summary",
        "documents",
        "question",
        "opens_on",
        "closes_on",
        "forms_issued",
        "more_questions",
    ];
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        NaiveDate,
        NaiveDate,
        i64,
        String,
    );

    fn from_row(r: Self::Row) -> Result<(i64, Self), StoreError> {
        Ok((
            r.0,
            Consultation {
                unit_id: r.1,
                subject: ConsultationSubject::parse(&r.2)?,
                title: r.3,
                summary: r.4,
                documents: r.5,
                question: r.6,
                more_questions: Consultation::parse_more_questions(&r.10),
                opens_on: r.7,
                closes_on: r.8,
                forms_issued: r.9,
            },
        ))
    }

    fn values(&self) -> Vec<Value<'_>> {
        let more: Vec<&str> = self.more_questions.iter().map(|q| q.trim()).collect();
        let more = more.join("\n");
        vec![
            Value::Int(self.unit_id),
            Value::Text(self.subject.code()),
            Value::Text(self.title.trim()),
            Value::Text(self.summary.trim()),
            Value::Text(self.documents.trim()),
            Value::Text(self.question.trim()),
            Value::Date(self.opens_on),
            Value::Date(self.closes_on),
            Value::Int(self.forms_issued),
            Value::Derived(more),
        ]
    }

    fn unit_id(&self) -> i64 {
        self.unit_id
    }

    const VALIDATE: fn(&Self) -> Result<(), DomainError> = Consultation::validate;

    fn placed(&self) -> (NaiveDate, &'static str, &'static str) {
        (self.opens_on, "ngày bắt đầu lấy ý kiến", "opens_on")
    }

    /// Its answers count at its unit: it keeps them.
    async fn before_delete(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
        let answers: i64 = on_tx!(tx, c => {
            sqlx::query_scalar("SELECT COUNT(*) FROM consultation_answer WHERE consultation_id = $1")
                .bind(id)
                .fetch_one(&mut *c)
                .await?
        });
        if answers > 0 {
            return Err(DomainError::new(
                "consultation.has_answers",
                format!(
                    "đợt lấy ý kiến số {id} đã có {answers} lần ghi ý kiến; không xóa được đợt đã có ý kiến"
                ),
            )
            .into());
        }
        Ok(())
    }
}

impl Import for Consultation {
    const CSV_COLUMNS: &'static [&'static str] = &CONSULTATION_COLUMNS;
    const ERRORS: &'static str = "consultation.import";

    fn row(c: &mut Cells<'_>, all_units: &[Unit], today: NaiveDate) -> Option<Self> {
        let opens_on = c.required_date("opens_on");
        let closes_on = c.required_date("closes_on");
        let unit_id = c.unit(all_units, opens_on, today);
        let subject = c.required_vocab("subject", ConsultationSubject::parse);
        let forms_issued = c.int("forms_issued", 0);
        let (Some(unit_id), Some(opens_on), Some(closes_on), Some(subject), Some(forms_issued)) =
            (unit_id, opens_on, closes_on, subject, forms_issued)
        else {
            return None;
        };
        Some(Consultation {
            unit_id,
            subject,
            title: c.text("title"),
            summary: c.text("summary"),
            documents: c.text("documents"),
            question: c.text("question"),
            more_questions: Consultation::parse_more_questions(&c.text("more_questions")),
            opens_on,
            closes_on,
            forms_issued,
        })
    }
}

record_functions!(Consultation);

/// The answers so far to the main question, by stance: online, on paper,
/// and both; and the answers to each further question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// By [`Stance::ALL`]'s order.
    pub online: [i64; 3],
    pub paper: [i64; 3],
    pub total: [i64; 3],
    pub online_total: i64,
    pub paper_total: i64,
    /// Every answer, online and on paper.
    pub answers: i64,
    /// The citizens' words, newest first, at most [`COMMENTS`].
    pub comments: Vec<String>,
    /// The further questions, in order.
    pub more: Vec<QuestionTally>,
}

/// The answers to one further question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuestionTally {
    pub question: String,
    /// By [`Stance::ALL`]'s order, online and on paper together.
    pub total: [i64; 3],
}

/// The most comments a tally lists.
pub const COMMENTS: i64 = 200;

/// What the public page of a consultation shows.
#[derive(Debug, Clone, Serialize)]
pub struct Public {
    pub id: i64,
    pub consultation: Consultation,
    pub unit_name: String,
    pub open: bool,
    pub tally: Tally,
    /// The synthesis (kết quả tổng hợp, ý kiến được tiếp thu) once published.
    pub synthesis: Option<String>,
    pub synthesis_on: Option<NaiveDate>,
}

fn stance_index(s: Stance) -> usize {
    Stance::ALL.iter().position(|x| *x == s).unwrap_or(2)
}

async fn tally_tx(tx: &mut Tx, id: i64, c: &Consultation) -> Result<Tally, StoreError> {
    let rows: Vec<(i64, String, String, i64)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT question, channel, stance, SUM(count) FROM consultation_answer \
             WHERE consultation_id = $1 GROUP BY question, channel, stance",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    });
    let comments: Vec<String> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT comment FROM consultation_answer WHERE consultation_id = $1 AND comment <> '' \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(id)
        .bind(COMMENTS)
        .fetch_all(&mut *conn)
        .await?
    });
    let mut t = Tally {
        comments,
        more: c
            .more_questions
            .iter()
            .map(|q| QuestionTally {
                question: q.clone(),
                ..QuestionTally::default()
            })
            .collect(),
        ..Tally::default()
    };
    for (question, channel, stance, n) in rows {
        let i = stance_index(Stance::parse(&stance)?);
        if question > 0 {
            // A question since taken off the draft keeps its rows but
            // has no line of its own.
            if let Some(q) = usize::try_from(question - 1)
                .ok()
                .and_then(|k| t.more.get_mut(k))
            {
                q.total[i] += n;
            }
            continue;
        }
        match AnswerChannel::parse(&channel)? {
            AnswerChannel::Online => t.online[i] += n,
            AnswerChannel::Paper => t.paper[i] += n,
        }
        t.total[i] += n;
    }
    t.online_total = t.online.iter().sum();
    t.paper_total = t.paper.iter().sum();
    t.answers = t.online_total + t.paper_total;
    Ok(t)
}

/// The answers to consultation `id`, for an official of its unit or above.
pub async fn tally(store: &Store, id: i64) -> Result<Tally, StoreError> {
    // Read first, for the scope: outside it the consultation is not found.
    let c = crate::table::get::<Consultation>(store, id).await?;
    let mut tx = store.begin_snapshot().await?;
    tally_tx(&mut tx, id, &c).await
}

/// The consultation, read without scope (the portal shows it to anyone),
/// with its synthesis and the day it was published.
async fn load_public(
    tx: &mut Tx,
    id: i64,
) -> Result<(Consultation, String, Option<NaiveDate>), StoreError> {
    let row: Option<<Consultation as Table>::Row> = on_tx!(tx, c => {
        sqlx::query_as(
            "SELECT id, unit_id, subject, title, summary, documents, question, opens_on, closes_on, \
             forms_issued, more_questions FROM consultation WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    });
    let row = row.ok_or_else(|| StoreError::NotFound(format!("đợt lấy ý kiến số {id}")))?;
    let (synthesis, on): (String, Option<NaiveDate>) = on_tx!(tx, c => {
        sqlx::query_as("SELECT synthesis, synthesis_on FROM consultation WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *c)
            .await?
    });
    Ok((Consultation::from_row(row)?.1, synthesis, on))
}

/// The public page of consultation `id`: the draft, whether it is open
/// `today`, the answers counted so far, and the synthesis once published.
pub async fn public(store: &Store, id: i64, today: NaiveDate) -> Result<Public, StoreError> {
    let mut tx = store.begin_snapshot().await?;
    let (c, synthesis, synthesis_on) = load_public(&mut tx, id).await?;
    let tally = tally_tx(&mut tx, id, &c).await?;
    drop(tx);
    let unit_name = crate::units::tree(store)
        .await?
        .get(c.unit_id)
        .map(|u| u.full_name())
        .unwrap_or_default();
    Ok(Public {
        id,
        open: c.open_on(today),
        consultation: c,
        unit_name,
        tally,
        synthesis: synthesis_on.map(|_| synthesis),
        synthesis_on,
    })
}

/// The consultations a unit holds, newest first (at most 100), for its
/// public page.
pub async fn of_unit(store: &Store, unit_id: i64) -> Result<Vec<(i64, Consultation)>, StoreError> {
    let ids: Vec<i64> = on_pool!(&store.pool, p => {
        sqlx::query_scalar(
            "SELECT id FROM consultation WHERE unit_id = $1 ORDER BY opens_on DESC, id DESC LIMIT 100",
        )
        .bind(unit_id)
        .fetch_all(p)
        .await?
    });
    let mut tx = store.begin_snapshot().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push((id, load_public(&mut tx, id).await?.0));
    }
    Ok(out)
}

async fn write_answers(tx: &mut Tx, answers: &[Answer]) -> Result<(), StoreError> {
    let mut cache = UnitCache::default();
    let mut delta = FactDelta::new();
    for a in answers {
        a.validate()?;
        let province = place(
            tx,
            &mut cache,
            a.unit_id,
            a.answered_on,
            "ngày góp ý",
            "ngay",
        )
        .await?;
        let mut out = Vec::new();
        a.contributions(&mut out);
        delta.add(tx, &mut cache, &out, 1).await?;
        on_tx!(tx, c => {
            sqlx::query(
                "INSERT INTO consultation_answer (province_id, consultation_id, question, unit_id, \
                 answered_on, channel, stance, count, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(province)
            .bind(a.consultation_id)
            .bind(a.question as i64)
            .bind(a.unit_id)
            .bind(a.answered_on)
            .bind(a.channel.code())
            .bind(a.stance.code())
            .bind(a.count)
            .bind(a.comment.trim())
            .execute(&mut *c)
            .await?;
        });
    }
    delta.apply(tx).await?;
    Ok(())
}

/// A citizen's answer online: while the consultation is open, no name
/// kept; `more` answers the further questions, in order, one each.
pub async fn answer_online(
    store: &Store,
    id: i64,
    stance: Stance,
    more: &[Stance],
    comment: &str,
) -> Result<(), StoreError> {
    let today = store.now().date();
    let mut tx = store.begin().await?;
    let (c, _, _) = load_public(&mut tx, id).await?;
    if !c.open_on(today) {
        return Err(DomainError::new(
            "consultation.closed",
            format!(
                "đợt lấy ý kiến này nhận ý kiến từ ngày {} đến hết ngày {}",
                c.opens_on.format("%d/%m/%Y"),
                c.closes_on.format("%d/%m/%Y")
            ),
        )
        .into());
    }
    let asked = c.more_questions.len();
    if more.len() > asked {
        return Err(DomainError::new(
            "consultation.unanswered",
            format!(
                "đợt lấy ý kiến này có {} câu hỏi; đã gửi trả lời cho {} câu",
                asked + 1,
                more.len() + 1
            ),
        )
        .into());
    }
    if more.len() < asked {
        return Err(DomainError::new(
            "consultation.unanswered",
            format!(
                "hãy trả lời câu hỏi thứ {}: đồng ý, không đồng ý hoặc ý kiến khác",
                more.len() + 2
            ),
        )
        .at_field("y_kien_chon")
        .into());
    }
    let one = |question: usize, stance: Stance, comment: &str| Answer {
        unit_id: c.unit_id,
        consultation_id: id,
        question,
        answered_on: today,
        channel: AnswerChannel::Online,
        stance,
        count: 1,
        comment: comment.trim().to_string(),
    };
    let answers: Vec<Answer> = std::iter::once(one(0, stance, comment))
        .chain(more.iter().enumerate().map(|(k, s)| one(k + 1, *s, "")))
        .collect();
    write_answers(&mut tx, &answers).await?;
    tx.commit().await
}

/// Paper forms entered by an official: `counts` to the main question by
/// [`Stance::ALL`]'s order, collected on `day`, and `more`, the same
/// forms' answers to each further question (a form may leave one blank,
/// so none has more answers than the forms; a question not given has
/// none). Together with the forms
/// entered before they may not pass the forms handed out (when that
/// number was given).
pub async fn add_paper(
    store: &Store,
    id: i64,
    day: NaiveDate,
    counts: [i64; 3],
    more: &[[i64; 3]],
) -> Result<(), StoreError> {
    let today = store.now().date();
    let mut tx = store.begin().await?;
    let c: Consultation = crate::table::get(store, id).await?;
    store.check_write(c.unit_id)?;
    let refuse = |msg: String| -> StoreError {
        DomainError::new("consultation.paper", msg)
            .at_field("ngay")
            .into()
    };
    if day < c.opens_on || day > today {
        return Err(refuse(format!(
            "ngày thu phiếu {} phải từ ngày bắt đầu {} đến hôm nay",
            day.format("%d/%m/%Y"),
            c.opens_on.format("%d/%m/%Y")
        )));
    }
    // Each count within the domain's bounds before any sum: a 10^18 typed
    // in is refused, not added up past i64.
    for (s, n) in Stance::ALL.iter().zip(counts) {
        danvan_core::bounds::count("consultation.paper", s.code(), "số phiếu", n, 0)?;
    }
    let new: i64 = counts.iter().sum();
    if new <= 0 {
        return Err(DomainError::new(
            "consultation.paper",
            "hãy ghi số phiếu theo từng ý kiến, ít nhất một phiếu",
        )
        .at_field("dong_y")
        .into());
    }
    if more.len() > c.more_questions.len() {
        return Err(DomainError::new(
            "consultation.paper",
            format!(
                "đợt lấy ý kiến này có {} câu hỏi thêm; đã ghi số phiếu cho {} câu",
                c.more_questions.len(),
                more.len()
            ),
        )
        .into());
    }
    for (k, q) in more.iter().enumerate() {
        for (s, n) in Stance::ALL.iter().zip(q) {
            danvan_core::bounds::count("consultation.paper", s.code(), "số phiếu", *n, 0)?;
        }
        let answered: i64 = q.iter().sum();
        if answered > new {
            return Err(DomainError::new(
                "consultation.paper",
                format!(
                    "câu hỏi thứ {} có {} phiếu trả lời, nhiều hơn {} phiếu thu về",
                    k + 2,
                    danvan_core::number::int(answered),
                    danvan_core::number::int(new)
                ),
            )
            .at_field(format!("cau_{}_{}", k + 2, Stance::ALL[0].code()))
            .into());
        }
    }
    let before = tally_tx(&mut tx, id, &c).await?;
    if c.forms_issued > 0 && before.paper_total + new > c.forms_issued {
        return Err(DomainError::new(
            "consultation.paper",
            format!(
                "số phiếu thu về ({}) vượt số phiếu phát ra ({})",
                danvan_core::number::int(before.paper_total + new),
                danvan_core::number::int(c.forms_issued)
            ),
        )
        .at_field("dong_y")
        .into());
    }
    let answers: Vec<Answer> = std::iter::once(&counts)
        .chain(more)
        .enumerate()
        .flat_map(|(question, q)| {
            Stance::ALL
                .iter()
                .zip(*q)
                .filter(|(_, n)| *n > 0)
                .map(move |(s, n)| Answer {
                    unit_id: c.unit_id,
                    consultation_id: id,
                    question,
                    answered_on: day,
                    channel: AnswerChannel::Paper,
                    stance: *s,
                    count: n,
                    comment: String::new(),
                })
        })
        .collect();
    write_answers(&mut tx, &answers).await?;
    let change = Change::new(Action::Update, "consultation", id)
        .unit(c.unit_id)
        .after(&serde_json::json!({ "paper_forms": counts, "further_questions": more, "collected_on": day }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Publish the synthesis of consultation `id` (what was said and what was
/// taken on board): shown on its public page from today.
pub async fn publish_synthesis(store: &Store, id: i64, text: &str) -> Result<(), StoreError> {
    let text = text.trim();
    if text.chars().count() < 10 {
        return Err(DomainError::new(
            "consultation.synthesis",
            "hãy viết kết quả tổng hợp ý kiến và việc tiếp thu (ít nhất 10 ký tự)",
        )
        .at_field("tong_hop")
        .into());
    }
    let c: Consultation = crate::table::get(store, id).await?;
    store.check_write(c.unit_id)?;
    let today = store.now().date();
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, conn => {
        sqlx::query("UPDATE consultation SET synthesis = $1, synthesis_on = $2, version = version + 1 WHERE id = $3")
            .bind(text)
            .bind(today)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    let change = Change::new(Action::Update, "consultation", id)
        .unit(c.unit_id)
        .after(&serde_json::json!({ "synthesis": text, "published_on": today }));
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Every stored answer, for recounts.
pub async fn all_answers(store: &Store) -> Result<Vec<Answer>, StoreError> {
    type Row = (i64, i64, i64, NaiveDate, String, String, i64, String);
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT unit_id, consultation_id, question, answered_on, channel, stance, count, comment \
             FROM consultation_answer ORDER BY id",
        )
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            let (unit_id, consultation_id, question, answered_on) = (r.0, r.1, r.2, r.3);
            let r = (r.4, r.5, r.6, r.7);
            Ok(Answer {
                unit_id,
                consultation_id,
                question: usize::try_from(question).unwrap_or(0),
                answered_on,
                channel: AnswerChannel::parse(&r.0)?,
                stance: Stance::parse(&r.1)?,
                count: r.2,
                comment: r.3,
            })
        })
        .collect()
}
