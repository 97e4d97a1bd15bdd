//! PostgreSQL's binary `COPY … FROM STDIN (FORMAT binary)` stream, for
//! bulk loads: no statement text to parse, no parameter limit, and no
//! round trip per statement. sqlx sends the bytes (`copy_in_raw`); this
//! module writes them, in the layout of PostgreSQL's documentation
//! ("COPY — Binary Format"): a signature, then per row a field count and
//! each field as its length and its value in network byte order.

use chrono::{Datelike, NaiveDate};
use danvan_core::DomainError;

use crate::StoreError;

/// The file header: signature, flags (no OIDs), header extension length.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The trailer: a field count of -1.
const TRAILER: &[u8] = &(-1i16).to_be_bytes();

/// PostgreSQL's date epoch, 2000-01-01, in days of the common era.
const PG_EPOCH_CE: i32 = 730_120;

/// A buffer of binary COPY rows, sent in pieces as it fills.
pub(crate) struct BinaryRows {
    buf: Vec<u8>,
}

impl BinaryRows {
    /// A stream that begins with the header.
    pub(crate) fn new() -> BinaryRows {
        let mut buf = Vec::with_capacity(1 << 20);
        buf.extend_from_slice(HEADER);
        BinaryRows { buf }
    }

    /// Start a row of `fields` fields.
    pub(crate) fn row(&mut self, fields: i16) {
        self.buf.extend_from_slice(&fields.to_be_bytes());
    }

    pub(crate) fn int2(&mut self, v: i16) {
        self.buf.extend_from_slice(&2i32.to_be_bytes());
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn int4(&mut self, v: i32) {
        self.buf.extend_from_slice(&4i32.to_be_bytes());
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    pub(crate) fn int8(&mut self, v: i64) {
        self.buf.extend_from_slice(&8i32.to_be_bytes());
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// A `text` field; one over 1 GiB, which no PostgreSQL field holds, is
    /// refused with the others' words.
    pub(crate) fn text(&mut self, v: &str) -> Result<(), StoreError> {
        let len = i32::try_from(v.len())
            .ok()
            .filter(|&n| n < 1 << 30)
            .ok_or_else(|| {
                StoreError::Invalid(DomainError::new(
                    "db.value_too_long",
                    "một ô của tệp dài quá 1 GiB, không ghi được vào cơ sở dữ liệu",
                ))
            })?;
        self.buf.extend_from_slice(&len.to_be_bytes());
        self.buf.extend_from_slice(v.as_bytes());
        Ok(())
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.buf.extend_from_slice(&1i32.to_be_bytes());
        self.buf.push(u8::from(v));
    }

    pub(crate) fn date(&mut self, v: NaiveDate) {
        let days = v.num_days_from_ce() - PG_EPOCH_CE;
        self.buf.extend_from_slice(&4i32.to_be_bytes());
        self.buf.extend_from_slice(&days.to_be_bytes());
    }

    pub(crate) fn opt_date(&mut self, v: Option<NaiveDate>) {
        match v {
            Some(d) => self.date(d),
            None => self.buf.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    /// Bytes written so far, to send when large enough.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// The bytes so far, leaving the buffer empty for the next rows.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        std::mem::replace(&mut self.buf, Vec::with_capacity(1 << 20))
    }

    /// The last bytes, trailer included.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.buf.extend_from_slice(TRAILER);
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_the_year_2000() {
        let mut r = BinaryRows::new();
        let start = r.len();
        r.date(NaiveDate::from_ymd_opt(2000, 1, 2).unwrap());
        r.date(NaiveDate::from_ymd_opt(1999, 12, 31).unwrap());
        assert_eq!(
            &r.take()[start..],
            &[0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 255, 255, 255, 255]
        );
    }
}
