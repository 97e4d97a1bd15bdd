//! One prepared statement stepped row by row on the raw handle of a
//! SQLite connection, for bulk loads. Through sqlx each bound value is
//! boxed, copied and handed to the connection's worker thread: at a
//! million rows that costs more than SQLite's own work (see BENCHMARKS.md,
//! "One-stop dossier import"). Here a row is bound and stepped in place,
//! inside the transaction the connection already holds.
//!
//! The handle is borrowed from sqlx's lock (`lock_handle`), which keeps the
//! worker away while the statement lives; the statement is finalised
//! before the lock is released.

use std::ffi::{CStr, c_int};
use std::ptr::NonNull;

use chrono::{Datelike, NaiveDate};
use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;

use crate::StoreError;

/// A prepared statement on a locked connection.
pub(crate) struct Statement<'h> {
    db: NonNull<ffi::sqlite3>,
    stmt: NonNull<ffi::sqlite3_stmt>,
    _handle: std::marker::PhantomData<&'h mut ()>,
}

impl<'h> Statement<'h> {
    /// Prepare `sql` on the locked connection.
    pub(crate) fn prepare(
        handle: &'h mut LockedSqliteHandle<'_>,
        sql: &str,
    ) -> Result<Statement<'h>, StoreError> {
        let db = handle.as_raw_handle();
        let mut stmt = std::ptr::null_mut();
        let len = c_int::try_from(sql.len()).expect("a short statement");
        // SAFETY: `db` is an open connection held by the lock for 'h; the
        // text pointer and length describe `sql`, read only during the call.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(
                db.as_ptr(),
                sql.as_ptr().cast(),
                len,
                &mut stmt,
                std::ptr::null_mut(),
            )
        };
        match NonNull::new(stmt) {
            Some(stmt) if rc == ffi::SQLITE_OK => Ok(Statement {
                db,
                stmt,
                _handle: std::marker::PhantomData,
            }),
            _ => Err(error(db)),
        }
    }

    fn check(&self, rc: c_int) -> Result<(), StoreError> {
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(error(self.db))
        }
    }

    /// Bind an integer to parameter `i` (from 1).
    pub(crate) fn int(&mut self, i: c_int, v: i64) -> Result<(), StoreError> {
        // SAFETY: a live statement of this connection.
        self.check(unsafe { ffi::sqlite3_bind_int64(self.stmt.as_ptr(), i, v) })
    }

    /// Bind text to parameter `i`; SQLite copies it.
    pub(crate) fn text(&mut self, i: c_int, v: &str) -> Result<(), StoreError> {
        let len = c_int::try_from(v.len()).map_err(|_| too_big())?;
        // SAFETY: a live statement; SQLITE_TRANSIENT makes SQLite copy the
        // bytes before the call returns, so `v` need not outlive it.
        self.check(unsafe {
            ffi::sqlite3_bind_text(
                self.stmt.as_ptr(),
                i,
                v.as_ptr().cast(),
                len,
                ffi::SQLITE_TRANSIENT(),
            )
        })
    }

    /// Bind a date as sqlx stores one (`YYYY-MM-DD`), or NULL.
    pub(crate) fn date(&mut self, i: c_int, v: Option<NaiveDate>) -> Result<(), StoreError> {
        match v {
            None => {
                // SAFETY: a live statement of this connection.
                self.check(unsafe { ffi::sqlite3_bind_null(self.stmt.as_ptr(), i) })
            }
            Some(d) if (1000..=9999).contains(&d.year()) => {
                let mut buf = *b"0000-00-00";
                digits(&mut buf[0..4], d.year() as u32);
                digits(&mut buf[5..7], d.month());
                digits(&mut buf[8..10], d.day());
                self.text(i, std::str::from_utf8(&buf).expect("ASCII digits"))
            }
            Some(d) => self.text(i, &d.format("%F").to_string()),
        }
    }

    /// Run the bound statement to its end and make it ready for the next
    /// row.
    pub(crate) fn step(&mut self) -> Result<(), StoreError> {
        // SAFETY: a live statement, all of whose parameters are bound.
        let rc = unsafe { ffi::sqlite3_step(self.stmt.as_ptr()) };
        // SAFETY: as above; reset keeps the bindings for the next row,
        // which rebinds every parameter.
        let reset = unsafe { ffi::sqlite3_reset(self.stmt.as_ptr()) };
        if rc == ffi::SQLITE_DONE && reset == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(error(self.db))
        }
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement was prepared on this connection and is
        // finalised once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// Write `v` as decimal digits filling `out`.
fn digits(out: &mut [u8], mut v: u32) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// The connection's last error, as sqlx would word it.
fn error(db: NonNull<ffi::sqlite3>) -> StoreError {
    // SAFETY: an open connection; the message is copied before any other
    // call on it.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) };
    StoreError::Sqlite(msg.to_string_lossy().into_owned())
}

fn too_big() -> StoreError {
    StoreError::Sqlite("giá trị quá dài".into())
}

#[cfg(test)]
mod tests {
    #[test]
    fn digits_pad_with_zeros() {
        let mut b = *b"0000-00-00";
        super::digits(&mut b[0..4], 2025);
        super::digits(&mut b[5..7], 3);
        super::digits(&mut b[8..10], 9);
        assert_eq!(&b, b"2025-03-09");
    }
}
