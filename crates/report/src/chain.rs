//! The report side of the reporting chain (`store::chain`): what a unit's
//! report is when it is sent up — its figures from facts, its written
//! sections, rendered once into DOCX and PDF and frozen — and what it is
//! compared with afterwards: the live figures when a late correction has
//! changed them, and, one level up, the accepted reports of the units
//! below against the live figures of the same units.

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::number;
use danvan_store::chain::requests::Request as ChainRequest;
use danvan_store::chain::submissions::{self, Frozen, Submission};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, drafts};
use serde::Serialize;

use crate::docx::{self, Letterhead};
use crate::figures::{Figures, Value, Values};
use crate::{Catalogue, Request, build, layout, outliers, pdf};

/// The opening line's citation of the request a report answers: "Công văn
/// số 38-CV/BDVHU ngày 22/06/2020 về việc báo cáo kết quả …".
fn citation(req: &ChainRequest) -> String {
    let mut title = req.title.trim().to_string();
    if let Some(first) = title.chars().next() {
        title = first.to_lowercase().chain(title.chars().skip(1)).collect();
    }
    format!(
        "Công văn số {} ngày {} về việc {title}",
        req.document.trim(),
        req.created_at.date().format("%d/%m/%Y")
    )
}

async fn unit(store: &Store, id: i64) -> Result<Unit, StoreError> {
    units::by_id(store, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị mã số {id}")))
}

/// Render `sub`'s report as it will be sent: the figures read from facts
/// now, the sections its authors saved as the draft of this report, the
/// number and date given, and the outlier flags for its reviewer.
pub async fn freeze(
    store: &Store,
    catalogue: &Catalogue,
    req: &ChainRequest,
    sub: &Submission,
    number: &str,
    dated_on: NaiveDate,
    issuer: Option<&str>,
) -> Result<Frozen, StoreError> {
    let unit = unit(store, sub.unit_id).await?;
    let sections = drafts::get(store, &unit, &req.period, &req.template)
        .await?
        .map(|d| d.sections)
        .unwrap_or_default();
    let report = build(
        store,
        catalogue,
        Request::new(&unit, req.period)
            .template(Some(&req.template))
            .sections(sections.clone())
            .compare(true)
            .number(number)
            .issuer(issuer)
            .cites(Some(&citation(req))),
    )
    .await?;
    let body = report.to_txt();
    let letterhead = report.letterhead(store, &unit, dated_on).await?;
    let docx = docx::render(&body, &letterhead);
    let pdf = render_pdf(&body, &letterhead).await?;
    let flags = outliers::check(store, catalogue, &unit, &req.period, &report.figures.all).await?;
    Ok(Frozen {
        sections,
        number: number.trim().to_string(),
        dated_on,
        body,
        figures: serde_json::to_value(&report.figures).expect("figures serialise"),
        letterhead: serde_json::to_value(&letterhead).expect("a letterhead serialises"),
        docx,
        pdf,
        outliers: serde_json::to_value(&flags).expect("flags serialise"),
    })
}

async fn render_pdf(body: &str, l: &Letterhead) -> Result<Vec<u8>, StoreError> {
    let doc = layout::parse(body);
    let l = l.clone();
    let bytes = tokio::task::spawn_blocking(move || pdf::render(&doc, &l))
        .await
        .map_err(|e| DomainError::new("report.pdf", format!("không dựng được tệp PDF: {e}")))??;
    Ok(bytes)
}

/// The outliers of a sent version as `store` sees them: its frozen figures
/// against the unit's history and the peers `store` may read (a reviewer
/// reads the other units of the level).
pub async fn outliers_for(
    store: &Store,
    catalogue: &Catalogue,
    req: &ChainRequest,
    sub: &Submission,
) -> Result<Vec<outliers::Outlier>, StoreError> {
    let Some(values) = frozen_values(sub) else {
        return Ok(Vec::new());
    };
    let unit = unit(store, sub.unit_id).await?;
    outliers::check(store, catalogue, &unit, &req.period, &values).await
}

/// Freeze and submit the draft `id`: the one step a unit's leader takes.
pub async fn submit(
    store: &Store,
    catalogue: &Catalogue,
    id: i64,
    number: &str,
    dated_on: Option<NaiveDate>,
    issuer: Option<&str>,
) -> Result<Submission, StoreError> {
    let sub = submissions::get(store, id).await?;
    let req = danvan_store::chain::requests::get(store, sub.request_id).await?;
    let dated_on = dated_on.unwrap_or_else(|| store.today());
    let frozen = freeze(store, catalogue, &req, &sub, number, dated_on, issuer).await?;
    submissions::submit(store, id, &frozen).await
}

/// The DOCX of a submitted version set again from what was frozen (its
/// text and letterhead): byte for byte the stored document, whatever the
/// data has become since.
pub fn rerender_docx(sub: &Submission) -> Result<Vec<u8>, StoreError> {
    let (body, letterhead) = frozen_parts(sub)?;
    Ok(docx::render(&body, &letterhead))
}

/// The PDF of a submitted version set again from what was frozen.
pub async fn rerender_pdf(sub: &Submission) -> Result<Vec<u8>, StoreError> {
    let (body, letterhead) = frozen_parts(sub)?;
    render_pdf(&body, &letterhead).await
}

fn frozen_parts(sub: &Submission) -> Result<(String, Letterhead), StoreError> {
    let not_sent =
        || StoreError::NotFound(format!("nội dung của báo cáo số {} (chưa gửi)", sub.id));
    let body = sub.body.clone().ok_or_else(not_sent)?;
    let l = sub.letterhead.clone().ok_or_else(not_sent)?;
    let letterhead: Letterhead = serde_json::from_value(l).map_err(|e| {
        DomainError::new(
            "submission.corrupt",
            format!("phần đầu văn bản của báo cáo số {} bị hỏng: {e}", sub.id),
        )
    })?;
    Ok((body, letterhead))
}

/// The whole-subtree figures a version froze.
pub fn frozen_values(sub: &Submission) -> Option<Values> {
    let all = sub.figures.as_ref()?.get("all")?.clone();
    serde_json::from_value(all).ok()
}

/// One figure that is not what was frozen.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Difference {
    pub code: String,
    pub label: String,
    pub frozen: i64,
    pub live: i64,
    /// "+3", "−2".
    pub change: String,
}

fn count(v: Option<&Value>) -> i64 {
    match v {
        Some(Value::Count(n)) => *n,
        Some(Value::Ratio { num, .. }) => *num,
        None => 0,
    }
}

fn signed(d: i64) -> String {
    if d > 0 {
        format!("+{}", number::int(d))
    } else {
        format!("−{}", number::int(-d))
    }
}

/// The figures of `live` that differ from `frozen`, in catalogue order.
pub fn differences(catalogue: &Catalogue, frozen: &Values, live: &Values) -> Vec<Difference> {
    catalogue
        .indicators
        .values()
        .filter_map(|i| {
            let (f, l) = (count(frozen.0.get(&i.code)), count(live.0.get(&i.code)));
            (f != l).then(|| Difference {
                code: i.code.clone(),
                label: i.label.clone(),
                frozen: f,
                live: l,
                change: signed(l - f),
            })
        })
        .collect()
}

/// "Số liệu đã thay đổi sau khi duyệt": the figures of an accepted version
/// that a late correction has changed since, read live.
pub async fn drift(
    store: &Store,
    catalogue: &Catalogue,
    req: &ChainRequest,
    sub: &Submission,
) -> Result<Vec<Difference>, StoreError> {
    let Some(frozen) = frozen_values(sub) else {
        return Ok(Vec::new());
    };
    let unit = unit(store, sub.unit_id).await?;
    let live = Figures::compute(store, catalogue, &unit, &req.period, false).await?;
    Ok(differences(catalogue, &frozen, &live.all))
}

/// One unit below, its accepted report against its live figures.
#[derive(Debug, Clone, Serialize)]
pub struct Consolidated {
    pub unit_id: i64,
    pub unit: String,
    /// The accepted version re-added, if the unit has one for the period.
    pub submission_id: Option<i64>,
    pub differences: Vec<Difference>,
}

/// Tổng hợp từ báo cáo cấp dưới: for each unit directly below `unit`, its
/// accepted report for `period` (the same dates) against its figures read
/// live, and the sum of the accepted reports against the live sum. What a
/// district does by hand when it re-adds its communes' reports.
pub async fn consolidation(
    store: &Store,
    catalogue: &Catalogue,
    unit: &Unit,
    period: &danvan_core::period::Period,
) -> Result<(Vec<Consolidated>, Vec<Difference>), StoreError> {
    let r = period.range();
    let tree = units::tree(store).await?;
    let children: Vec<Unit> = tree
        .all()
        .iter()
        .filter(|u| unit.is_parent_of(u) && u.overlaps(r.start, r.end))
        .cloned()
        .collect();
    let mut rows = Vec::with_capacity(children.len());
    let (mut frozen_sum, mut live_sum) = (Values::default(), Values::default());
    for child in &children {
        let accepted = submissions::accepted_for(store, child.id, r.start, r.end).await?;
        let Some(sub) = accepted else {
            rows.push(Consolidated {
                unit_id: child.id,
                unit: child.full_name(),
                submission_id: None,
                differences: Vec::new(),
            });
            continue;
        };
        let frozen = frozen_values(&sub).unwrap_or_default();
        let live = Figures::compute(store, catalogue, child, period, false)
            .await?
            .all;
        add(&mut frozen_sum, &frozen);
        add(&mut live_sum, &live);
        rows.push(Consolidated {
            unit_id: child.id,
            unit: child.full_name(),
            submission_id: Some(sub.id),
            differences: differences(catalogue, &frozen, &live),
        });
    }
    let total = differences(catalogue, &frozen_sum, &live_sum);
    Ok((rows, total))
}

/// Add the counts of `v` to `into` (ratios by their numerators).
fn add(into: &mut Values, v: &Values) {
    for (k, x) in &v.0 {
        let n = count(Some(x));
        let slot = into.0.entry(k.clone()).or_insert(Value::Count(0));
        *slot = Value::Count(count(Some(slot)) + n);
    }
}
