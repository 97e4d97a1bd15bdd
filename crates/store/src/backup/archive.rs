//! Reading an archive: line by line, each line checked and hashed, rows
//! inserted in chunks in the restore's transaction.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use super::{
    CHUNK, Columns, EndLine, FORMAT, FORMAT_VERSION, Header, TableLine, ident, io_error, refuse,
};
use crate::db::{Tx, on_tx};
use crate::{StoreError, migrate};

/// An archive being read: each line is counted (for messages) and hashed
/// (to compare with the last line's SHA-256).
pub(super) struct Archive {
    path: PathBuf,
    reader: BufReader<File>,
    hash: Sha256,
    line_no: usize,
}

impl Archive {
    pub(super) fn open(path: &Path) -> Result<Archive, StoreError> {
        let f = File::open(path).map_err(|e| io_error("đọc", path, e))?;
        Ok(Archive {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 20, f),
            hash: Sha256::new(),
            line_no: 0,
        })
    }

    /// The refusal for a file that is not a whole backup, at the current line.
    pub(super) fn corrupt(&self, why: impl std::fmt::Display) -> StoreError {
        refuse(
            "backup.corrupt",
            format!(
                "tệp sao lưu «{}» bị hỏng ở dòng {}: {why}. Không ghi dữ liệu nào",
                self.path.display(),
                self.line_no
            ),
        )
    }

    /// The next line (without its end), not yet hashed; `None` at the end.
    fn next(&mut self) -> Result<Option<String>, StoreError> {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => {
                    self.line_no += 1;
                    self.corrupt("không phải văn bản UTF-8")
                }
                _ => io_error("đọc", &self.path, e),
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        if line.ends_with('\n') {
            line.pop();
        }
        Ok(Some(line))
    }

    fn hash(&mut self, line: &str) {
        self.hash.update(line.as_bytes());
        self.hash.update(b"\n");
    }

    /// The first line, checked: a danvan backup this build can read.
    pub(super) fn header(&mut self) -> Result<Header, StoreError> {
        let not_backup = |a: &Archive| {
            refuse(
                "backup.not_backup",
                format!(
                    "«{}» không phải tệp sao lưu danvan (dòng đầu không đúng định dạng). \
                     Không ghi dữ liệu nào",
                    a.path.display()
                ),
            )
        };
        let line = match self.next() {
            Ok(Some(l)) => l,
            _ => return Err(not_backup(self)),
        };
        let h: Header = match serde_json::from_str::<Header>(&line) {
            Ok(h) if h.format == FORMAT => h,
            _ => return Err(not_backup(self)),
        };
        self.hash(&line);
        if h.format_version > FORMAT_VERSION {
            return Err(refuse(
                "backup.newer_format",
                format!(
                    "tệp sao lưu «{}» theo định dạng phiên bản {}, bản danvan này chỉ đọc đến \
                     phiên bản {FORMAT_VERSION}; hãy phục hồi bằng bản danvan mới hơn. \
                     Không ghi dữ liệu nào",
                    self.path.display(),
                    h.format_version
                ),
            ));
        }
        let latest = migrate::latest();
        if h.schema_version > latest {
            return Err(refuse(
                "backup.newer_schema",
                format!(
                    "bản sao lưu «{}» có lược đồ cơ sở dữ liệu phiên bản {}, mới hơn phiên bản {latest} \
                     của bản danvan này; hãy phục hồi bằng bản danvan mới hơn (bản đã tạo ra bản sao lưu). \
                     Không ghi dữ liệu nào",
                    self.path.display(),
                    h.schema_version
                ),
            ));
        }
        if h.schema_version < 1 {
            return Err(self.corrupt(format!(
                "phiên bản lược đồ {} không hợp lệ",
                h.schema_version
            )));
        }
        Ok(h)
    }

    /// Read every table and row up to the last line and insert them,
    /// checking the counts and the SHA-256 the last line carries.
    pub(super) async fn load_rows(
        &mut self,
        tx: &mut Tx,
        target: &[(String, Columns)],
    ) -> Result<(u64, u64), StoreError> {
        let sqlite = tx.is_sqlite();
        let mut seen: Vec<String> = Vec::new();
        let mut current: Option<Batch> = None;
        let mut n_rows = 0u64;
        loop {
            let Some(line) = self.next()? else {
                return Err(refuse(
                    "backup.truncated",
                    format!(
                        "tệp sao lưu «{}» không đầy đủ (thiếu dòng kết thúc sau dòng {}): có thể đã bị \
                         cắt khi ghi hoặc sao chép. Không ghi dữ liệu nào",
                        self.path.display(),
                        self.line_no
                    ),
                ));
            };
            if line.starts_with('[') {
                let Some(batch) = current.as_mut() else {
                    return Err(self.corrupt("dòng dữ liệu nằm ngoài bảng nào"));
                };
                let row: Vec<Value> = serde_json::from_str(&line)
                    .map_err(|e| self.corrupt(format!("dòng dữ liệu không đọc được ({e})")))?;
                if row.len() != batch.columns {
                    return Err(self.corrupt(format!(
                        "bảng «{}» có {} cột, dòng này có {} giá trị",
                        batch.table,
                        batch.columns,
                        row.len()
                    )));
                }
                if row.iter().any(|v| v.is_array() || v.is_object()) {
                    return Err(self.corrupt("giá trị không phải số, chuỗi hay rỗng"));
                }
                self.hash(&line);
                batch.rows.push(line);
                n_rows += 1;
                if batch.rows.len() == CHUNK {
                    batch.flush(tx, self).await?;
                }
                continue;
            }
            let value: Value = serde_json::from_str(&line)
                .map_err(|e| self.corrupt(format!("dòng không đọc được ({e})")))?;
            if let Ok(t) = serde_json::from_value::<TableLine>(value.clone()) {
                if let Some(mut b) = current.take() {
                    b.flush(tx, self).await?;
                }
                if seen.contains(&t.table) {
                    return Err(self.corrupt(format!("bảng «{}» xuất hiện hai lần", t.table)));
                }
                let Some((_, cols)) = target.iter().find(|(n, _)| *n == t.table) else {
                    return Err(self.corrupt(format!("lược đồ không có bảng «{}»", t.table)));
                };
                for c in &t.columns {
                    if !cols.iter().any(|(n, _)| n == c) {
                        return Err(self.corrupt(format!("bảng «{}» không có cột «{c}»", t.table)));
                    }
                }
                self.hash(&line);
                seen.push(t.table.clone());
                current = Some(Batch::new(sqlite, &t, cols));
                continue;
            }
            let Ok(EndLine { end }) = serde_json::from_value::<EndLine>(value) else {
                return Err(self.corrupt("dòng không phải bảng, dữ liệu hay dòng kết thúc"));
            };
            if let Some(mut b) = current.take() {
                b.flush(tx, self).await?;
            }
            let got = hex::encode(self.hash.clone().finalize());
            if got != end.sha256 || end.rows != n_rows || end.tables != seen.len() as u64 {
                return Err(self.corrupt(
                    "nội dung không khớp mã kiểm tra SHA-256 và số dòng ghi ở dòng kết thúc",
                ));
            }
            if let Some(extra) = self.next()?
                && !extra.is_empty()
            {
                return Err(self.corrupt("còn dữ liệu sau dòng kết thúc"));
            }
            return Ok((seen.len() as u64, n_rows));
        }
    }
}

/// Rows of one table waiting to be inserted, as their JSON lines.
struct Batch {
    table: String,
    columns: usize,
    sql: String,
    rows: Vec<String>,
}

impl Batch {
    fn new(sqlite: bool, t: &TableLine, cols: &Columns) -> Batch {
        let names: Vec<String> = t.columns.iter().map(|c| ident(c)).collect();
        let values: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if sqlite {
                    format!("json_extract(value, '$[{i}]')")
                } else {
                    let ty = cols
                        .iter()
                        .find(|(n, _)| n == c)
                        .map_or("text", |(_, ty)| ty.as_str());
                    format!("(r->>{i})::{ty}")
                }
            })
            .collect();
        let from = if sqlite {
            "json_each($1)"
        } else {
            "jsonb_array_elements($1::jsonb) AS e(r)"
        };
        Batch {
            table: t.table.clone(),
            columns: t.columns.len(),
            sql: format!(
                "INSERT INTO {} ({}) SELECT {} FROM {from}",
                ident(&t.table),
                names.join(", "),
                values.join(", ")
            ),
            rows: Vec::new(),
        }
    }

    async fn flush(&mut self, tx: &mut Tx, archive: &Archive) -> Result<(), StoreError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let json = format!("[{}]", self.rows.join(","));
        self.rows.clear();
        let sql = self.sql.clone();
        let done: Result<_, sqlx::Error> = on_tx!(tx, c => {
            sqlx::query(AssertSqlSafe(sql)).bind(json).execute(&mut *c).await.map(|_| ())
        });
        done.map_err(|e| {
            archive.corrupt(format!(
                "không ghi được các dòng của bảng «{}» ({e})",
                self.table
            ))
        })?;
        Ok(())
    }
}
