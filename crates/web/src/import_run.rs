//! Running an uploaded file through the importer of its record type (the
//! same importers as `danvan import …`) in a background task, with the
//! user's store, so scope, roles and the audit log apply as for a form.
//! All or nothing: a bad row and nothing is written.

use std::io::Cursor;

use danvan_core::number;
use danvan_store::dossiers::import::{ImportOptions, import_csv};
use danvan_store::{Store, StoreError, record_import};

use crate::import_jobs::Jobs;

/// Rejected rows kept for the job's page; the rest are counted.
const SHOWN_ERRORS: usize = 1000;

/// The record types a file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Petitions,
    Receptions,
    Dossiers,
    Mediation,
    Meetings,
    Models,
    Data,
    Oversight,
    Directives,
}

impl ImportKind {
    pub const ALL: [ImportKind; 9] = [
        ImportKind::Petitions,
        ImportKind::Receptions,
        ImportKind::Dossiers,
        ImportKind::Mediation,
        ImportKind::Meetings,
        ImportKind::Models,
        ImportKind::Data,
        ImportKind::Oversight,
        ImportKind::Directives,
    ];

    /// As the command line names it (`danvan import receptions`).
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Petitions => "petitions",
            ImportKind::Receptions => "receptions",
            ImportKind::Dossiers => "dossiers",
            ImportKind::Mediation => "mediation",
            ImportKind::Meetings => "meetings",
            ImportKind::Models => "models",
            ImportKind::Data => "data",
            ImportKind::Oversight => "oversight",
            ImportKind::Directives => "directives",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportKind::Petitions => "Đơn thư",
            ImportKind::Receptions => "Tiếp công dân",
            ImportKind::Dossiers => "Hồ sơ thủ tục hành chính (Một cửa)",
            ImportKind::Mediation => "Hòa giải ở cơ sở",
            ImportKind::Meetings => "Đối thoại, tiếp xúc cử tri",
            ImportKind::Models => "Mô hình «Dân vận khéo»",
            ImportKind::Data => "Số liệu tổng hợp",
            ImportKind::Oversight => "Giám sát, phản biện xã hội",
            ImportKind::Directives => "Văn bản chỉ đạo",
        }
    }

    /// What one written row is, for the summary.
    fn unit(self) -> &'static str {
        match self {
            ImportKind::Petitions => "đơn thư",
            ImportKind::Receptions => "lượt tiếp công dân",
            ImportKind::Dossiers => "hồ sơ",
            ImportKind::Mediation => "vụ việc hòa giải",
            ImportKind::Meetings => "hội nghị",
            ImportKind::Models => "mô hình theo năm",
            ImportKind::Data => "giá trị số liệu",
            ImportKind::Oversight => "hoạt động giám sát, phản biện",
            ImportKind::Directives => "văn bản chỉ đạo",
        }
    }

    /// The kind of change an import of this type is, as roles are checked.
    pub fn entity(self) -> &'static str {
        match self {
            ImportKind::Petitions => "petition",
            ImportKind::Receptions => "reception",
            ImportKind::Dossiers => "dossier",
            ImportKind::Mediation => "mediation",
            ImportKind::Meetings => "meeting",
            ImportKind::Models => "model",
            ImportKind::Data => "data_value",
            ImportKind::Oversight => "oversight",
            ImportKind::Directives => "directive",
        }
    }

    pub fn parse(code: &str) -> Option<ImportKind> {
        ImportKind::ALL
            .into_iter()
            .find(|k| k.code() == code.trim())
    }
}

/// Start importing `csv` (UTF-8) as job `id` of `jobs`; returns at once.
pub fn spawn(jobs: Jobs, id: u64, store: Store, kind: ImportKind, file_name: String, csv: Vec<u8>) {
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
    kind: ImportKind,
    csv: Vec<u8>,
) -> Result<String, Vec<String>> {
    let tick = || jobs.update(id, |j| j.rows_done += 1);
    let input = Cursor::new(csv);
    let written = match kind {
        ImportKind::Petitions => record_import::import_petitions(store, input, tick).await,
        ImportKind::Receptions => record_import::import_receptions(store, input, tick).await,
        ImportKind::Mediation => record_import::import_mediation(store, input, tick).await,
        ImportKind::Meetings => record_import::import_meetings(store, input, tick).await,
        ImportKind::Models => record_import::import_models(store, input, tick).await,
        ImportKind::Data => record_import::import_data(store, input, tick).await,
        ImportKind::Oversight => record_import::import_oversight(store, input, tick).await,
        ImportKind::Directives => record_import::import_directives(store, input, tick).await,
        ImportKind::Dossiers => {
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
    };
    let n = written.map_err(messages)?;
    Ok(format!(
        "Đã nhập {} {}.",
        number::int(n as i64),
        kind.unit()
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
