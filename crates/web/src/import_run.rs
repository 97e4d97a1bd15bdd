//! Running an uploaded file through the importer of its record type (the
//! same importers as `danvan import …`) in a background task, with the
//! user's store, so scope, roles and the audit log apply as for a form.
//! All or nothing: a bad row and nothing is written.

use std::io::Cursor;

use danvan_core::number;
use danvan_core::records::kind::RecordKind;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::{Store, StoreError, record_import};

use crate::import_jobs::Jobs;

/// Rejected rows kept for the job's page; the rest are counted.
const SHOWN_ERRORS: usize = 1000;

/// Start importing `csv` (UTF-8) as job `id` of `jobs`; returns at once.
pub fn spawn(jobs: Jobs, id: u64, store: Store, kind: RecordKind, file_name: String, csv: Vec<u8>) {
    let inner_jobs = jobs.clone();
    let task = tokio::spawn(async move { run(&inner_jobs, id, &store, kind, csv).await });
    tokio::spawn(async move {
        let outcome = match task.await {
            Ok(r) => r,
            Err(_) => Err(vec![format!(
                "Lỗi máy chủ khi nhập tệp {file_name}; không ghi dữ liệu nào."
            )]),
        };
        jobs.update(id, |j| {
            j.finished = true;
            match outcome {
                Ok(summary) => j.summary = Some(summary),
                Err(errors) => j.errors = errors,
            }
        });
    });
}

/// The import itself: its summary, or the reasons nothing was written.
async fn run(
    jobs: &Jobs,
    id: u64,
    store: &Store,
    kind: RecordKind,
    csv: Vec<u8>,
) -> Result<String, Vec<String>> {
    let tick = || jobs.update(id, |j| j.rows_done += 1);
    let input = Cursor::new(csv);
    let written = match kind {
        RecordKind::Dossier => {
            let progress = |done: usize| jobs.update(id, |j| j.rows_done = done as u64);
            let s = import_csv(store, input, ImportOptions::default(), progress)
                .await
                .map_err(messages)?;
            return Ok(format!(
                "Đã đọc {} dòng: thêm mới {}, cập nhật {}, không đổi {}, liên thông đã tính tại nơi tiếp nhận {}.",
                number::int(s.rows as i64),
                number::int(s.inserted as i64),
                number::int(s.updated as i64),
                number::int(s.unchanged as i64),
                number::int(s.inter_agency_merged as i64),
            ));
        }
        kind => record_import::import_kind(store, kind, input, tick).await,
    };
    let n = written.map_err(messages)?;
    Ok(format!(
        "Đã nhập {} {}.",
        number::int(n as i64),
        kind.def().noun
    ))
}

/// Why nothing was written, one message per rejected row (with its line).
fn messages(e: StoreError) -> Vec<String> {
    let mut out: Vec<String> = match e {
        StoreError::InvalidRows(rows) => rows.iter().map(ToString::to_string).collect(),
        StoreError::Invalid(d) => vec![d.to_string()],
        e => vec![e.to_string()],
    };
    if out.len() > SHOWN_ERRORS {
        let more = out.len() - SHOWN_ERRORS;
        out.truncate(SHOWN_ERRORS);
        out.push(format!("… và {} dòng lỗi khác.", number::int(more as i64)));
    }
    out
}
