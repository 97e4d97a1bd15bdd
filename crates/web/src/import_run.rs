//! Running an uploaded file through the importer of its record type (the
//! same importers as `danvan import …`) in a background task, with the
//! user's store, so scope, roles and the audit log apply as for a form.
//! All or nothing: a bad row and nothing is written.
//!
//! The job lives in the database (`store::import_jobs`): its page is read
//! there, through whichever server answers, and after a restart. The
//! rows checked are counted in memory and written once a second with the
//! job's heartbeat, not once a row.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use danvan_core::number;
use danvan_core::records::kind::RecordKind;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::{Store, StoreError, import_jobs, record_import};

/// Rejected rows kept for the job's page; the rest are counted.
const SHOWN_ERRORS: usize = 1000;

/// How often a running job's progress and heartbeat are written.
const BEAT: Duration = Duration::from_secs(1);

/// Start importing `csv` (UTF-8) as job `id`; returns at once.
pub fn spawn(id: i64, store: Store, kind: RecordKind, file_name: String, csv: Vec<u8>) {
    let done = Arc::new(AtomicU64::new(0));
    let (task_store, task_done) = (store.clone(), done.clone());
    let task = tokio::spawn(async move { run(&task_done, &task_store, kind, csv).await });
    tokio::spawn(async move {
        let mut task = task;
        let mut beat = tokio::time::interval(BEAT);
        let outcome = loop {
            tokio::select! {
                r = &mut task => break match r {
                    Ok(r) => r,
                    Err(_) => Err(vec![format!(
                        "Lỗi máy chủ khi nhập tệp {file_name}; không ghi dữ liệu nào."
                    )]),
                },
                _ = beat.tick() => {
                    // A missed beat only delays the progress shown.
                    let _ = import_jobs::progress(&store, id, done.load(Ordering::Relaxed)).await;
                }
            }
        };
        let _ = import_jobs::progress(&store, id, done.load(Ordering::Relaxed)).await;
        if let Err(e) = import_jobs::finish(&store, id, outcome).await {
            eprintln!("Không ghi được kết quả lần nhập số {id}: {e}");
        }
    });
}

/// The import itself: its summary, or the reasons nothing was written.
async fn run(
    done: &AtomicU64,
    store: &Store,
    kind: RecordKind,
    csv: Vec<u8>,
) -> Result<String, Vec<String>> {
    let tick = || {
        done.fetch_add(1, Ordering::Relaxed);
    };
    let input = Cursor::new(csv);
    let written = match kind {
        RecordKind::Dossier => {
            let progress = |n: usize| done.store(n as u64, Ordering::Relaxed);
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
