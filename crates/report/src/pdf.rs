//! The report as a PDF, typeset by typst in the same layout as the DOCX
//! (Nghị định 30/2020/NĐ-CP, or the Party's format).
//!
//! All typst use lives here: its API changes with every 0.x release.
//!
//! The template (`templates/pdf/letter.typ`) is fixed markup; the report's
//! text reaches it only as data, in a JSON file that the template reads with
//! `json(...)`. User-written sections may contain `#`, `$`, `*`, `[`, `@`
//! and the like, and so never pass through the markup parser.
//!
//! Fonts: Liberation Serif (metric-compatible with Times New Roman, SIL OFL
//! 1.1) is compiled into the binary, and the typst world knows no other
//! font, so the same report gives the same PDF on every machine.

use std::sync::LazyLock;

use danvan_core::DomainError;
use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::ecow::EcoVec;
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::docx::Letterhead;
use crate::layout::Document;

const TEMPLATE: &str = include_str!("../templates/pdf/letter.typ");

const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// What every compilation shares: the standard library, the fonts and the
/// template. Built on first use (about 10 ms, see BENCHMARKS.md), then kept
/// for the life of the process.
struct Assets {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: FileId,
    template: Source,
}

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid built-in path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

static ASSETS: LazyLock<Assets> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    let main = file_id("/letter.typ");
    Assets {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main,
        data: file_id("/report.json"),
        template: Source::new(main, TEMPLATE.to_string()),
    }
});

/// One compilation: the shared assets and this report's data.
struct ReportWorld {
    assets: &'static Assets,
    data: Bytes,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.assets.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.assets.book
    }

    fn main(&self) -> FileId {
        self.assets.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.assets.main {
            Ok(self.assets.template.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.assets.data {
            Ok(self.data.clone())
        } else if id == self.assets.main {
            Ok(Bytes::from_string(self.assets.template.clone()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.assets.fonts.get(index).cloned()
    }

    /// The template never asks for today's date: the letterhead carries
    /// the report's date, so the output does not depend on the clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

/// The letterhead as the template reads it, with the date already written
/// out in Vietnamese.
#[derive(Serialize)]
struct LetterheadData<'a> {
    party: bool,
    superior: Option<&'a str>,
    issuer_lines: Vec<&'a str>,
    number: &'a str,
    dated: String,
    on_behalf: &'a str,
    signer_title: &'a str,
    signer_name: &'a str,
    recipients: &'a [String],
}

#[derive(Serialize)]
struct Data<'a> {
    letterhead: LetterheadData<'a>,
    document: &'a Document,
}

fn failed(what: &str, diags: &EcoVec<SourceDiagnostic>) -> DomainError {
    let detail: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    DomainError::new(
        "report.pdf",
        format!("không dựng được tệp PDF ({what}): {}", detail.join("; ")),
    )
}

/// Typeset a report under a letterhead into PDF bytes.
pub fn render(doc: &Document, l: &Letterhead) -> Result<Vec<u8>, DomainError> {
    let data = Data {
        letterhead: LetterheadData {
            party: l.party,
            superior: l.superior.as_deref(),
            issuer_lines: l.issuer.lines().collect(),
            number: &l.number,
            dated: l.dated(),
            on_behalf: &l.on_behalf,
            signer_title: &l.signer_title,
            signer_name: &l.signer_name,
            recipients: &l.recipients,
        },
        document: doc,
    };
    let json = serde_json::to_vec(&data).map_err(|e| {
        DomainError::new(
            "report.pdf",
            format!("không dựng được tệp PDF (dữ liệu): {e}"),
        )
    })?;
    typeset(Bytes::new(json))
}

/// Compile the template over the report's JSON data.
fn typeset(data: Bytes) -> Result<Vec<u8>, DomainError> {
    let world = ReportWorld {
        assets: &ASSETS,
        data,
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Keep the compiler's memo cache from growing without bound in a
    // long-running server; what recent reports used stays warm.
    typst::comemo::evict(8);
    let document = compiled.map_err(|d| failed("dàn trang", &d))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|d| failed("xuất PDF", &d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typesetting_error_is_a_vietnamese_domain_error() {
        let e = typeset(Bytes::new(b"{".as_slice())).unwrap_err();
        assert_eq!(e.code, "report.pdf");
        assert!(
            e.message
                .starts_with("không dựng được tệp PDF (dàn trang): "),
            "{}",
            e.message
        );
    }

    #[test]
    fn only_the_embedded_fonts_are_known() {
        let families: Vec<&str> = ASSETS.book.families().map(|(name, _)| name).collect();
        assert_eq!(families, ["Liberation Serif"]);
        assert_eq!(ASSETS.fonts.len(), 4);
    }
}
