//! The parsing stage of a one-stop export's import: CSV bytes to checked
//! chunks of rows, on the parser's thread (see `import`).

use std::io::Read;

use danvan_core::DomainError;
use danvan_core::records::dossier::columns::Layout;

use super::import::{CHUNK_ROWS, ParsedRow};

/// Parse a UTF-8 CSV export (comma or semicolon separated) into chunks
/// handed to `send`; returns the header problem, if any, at once.
pub fn parse_csv(
    input: impl Read,
    mut send: impl FnMut(Vec<ParsedRow>) -> bool,
) -> Result<(), DomainError> {
    let mut input = std::io::BufReader::with_capacity(1 << 20, input);
    let delimiter = sniff_delimiter(&mut input);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let headers = rdr.headers().map_err(csv_error)?.clone();
    let cells: Vec<&str> = headers.iter().collect();
    let layout = Layout::from_headers(&cells)?;
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                let mut cells: Vec<&str> = Vec::with_capacity(rec.len());
                let mut utf8 = true;
                for f in rec.iter() {
                    match std::str::from_utf8(f) {
                        Ok(s) => cells.push(s),
                        Err(_) => {
                            utf8 = false;
                            break;
                        }
                    }
                }
                let r = if utf8 {
                    layout
                        .parse_row(&cells, line)
                        .map(|(unit, d)| (line, unit, d))
                } else {
                    Err(DomainError::new(
                        "dossier.encoding",
                        "dòng có ký tự không đọc được (tệp không phải UTF-8)",
                    )
                    .at_line(line))
                };
                chunk.push(r);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                chunk.push(Err(csv_error(e).at_line(line)));
            }
        }
        if chunk.len() == CHUNK_ROWS
            && !send(std::mem::replace(
                &mut chunk,
                Vec::with_capacity(CHUNK_ROWS),
            ))
        {
            return Ok(());
        }
    }
    if !chunk.is_empty() {
        send(chunk);
    }
    Ok(())
}

fn csv_error(e: csv::Error) -> DomainError {
    DomainError::new("dossier.csv", format!("tệp CSV không đọc được: {e}"))
}

/// Semicolons when the header line has more of them than commas (Excel
/// in Vietnamese locales writes those).
fn sniff_delimiter(input: &mut impl std::io::BufRead) -> u8 {
    let buf = input.fill_buf().unwrap_or(&[]);
    let line = buf.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |c| line.iter().filter(|&&b| b == c).count();
    if count(b';') > count(b',') {
        b';'
    } else {
        b','
    }
}
