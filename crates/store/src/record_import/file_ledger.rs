//! The ledger of imported files: an import of records carries its file's
//! kind and SHA-256 on its store handle, and the audit log, which every
//! write passes in its own transaction, enters the file in `import_file`
//! there. A second import of the same content finds the first's row and
//! is refused, its transaction rolled back: whether a killed import had
//! committed or not, running it again writes the file exactly once.

use std::io::Read;
use std::sync::{Arc, OnceLock};

use danvan_core::DomainError;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::{Tx, on_tx};
use crate::{Store, StoreError};

/// The file an import is writing.
#[derive(Debug)]
pub(crate) struct ImportFile {
    kind: &'static str,
    /// Set when the whole file has been read.
    digest: OnceLock<String>,
    /// This import's own mark on its ledger row.
    token: String,
}

/// The code of the refusal of a file already imported.
pub const ALREADY_IMPORTED: &str = "import.already_imported";

/// `store` marked as importing a file of `kind`, and `input` read through
/// a hasher that completes the mark when the file ends.
pub(crate) fn marked<R: Read>(store: &Store, kind: &'static str, input: R) -> (Store, Hashing<R>) {
    let mut random = [0u8; 16];
    rand::rng().fill_bytes(&mut random);
    let file = Arc::new(ImportFile {
        kind,
        digest: OnceLock::new(),
        token: hex::encode(random),
    });
    let mut s = store.clone();
    s.import_file = Some(file.clone());
    let reader = Hashing {
        inner: input,
        hasher: Some(Sha256::new()),
        file,
    };
    (s, reader)
}

/// A reader that hashes what it reads and, at its end, sets the digest.
pub(crate) struct Hashing<R> {
    inner: R,
    hasher: Option<Sha256>,
    file: Arc<ImportFile>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            if let Some(h) = self.hasher.take() {
                let _ = self.file.digest.set(hex::encode(h.finalize()));
            }
        } else if let Some(h) = self.hasher.as_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// Enter the file `store` is importing, inside the write's transaction;
/// refuse it when another import already entered the same content. Does
/// nothing for a store that is not importing a whole file.
pub(crate) async fn enter(tx: &mut Tx, store: &Store) -> Result<(), StoreError> {
    let Some(file) = store.import_file.as_deref() else {
        return Ok(());
    };
    let Some(digest) = file.digest.get() else {
        return Ok(());
    };
    let actor = store.actor();
    on_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO import_file (kind, sha256, token, imported_at, user_id, actor) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, sha256) DO NOTHING",
        )
        .bind(file.kind)
        .bind(digest)
        .bind(&file.token)
        .bind(store.now())
        .bind(actor.user_id)
        .bind(actor.name.as_str())
        .execute(&mut *c)
        .await?;
    });
    let (token, at, by): (String, chrono::NaiveDateTime, String) = on_tx!(tx, c => {
        sqlx::query_as("SELECT token, imported_at, actor FROM import_file WHERE kind = $1 AND sha256 = $2")
            .bind(file.kind)
            .bind(digest)
            .fetch_one(&mut *c)
            .await?
    });
    if token == file.token {
        return Ok(());
    }
    Err(DomainError::new(
        ALREADY_IMPORTED,
        format!(
            "tệp này (cùng nội dung) đã được nhập lúc {} ({by}); không nhập lại để khỏi ghi trùng. \
             Muốn nhập thêm, hãy dùng tệp chỉ có các dòng mới",
            at.format("%H:%M %d/%m/%Y")
        ),
    )
    .into())
}
