//! What the fuzz targets share: the unit tree of `fixtures/units.csv`
//! (read once through the unit import's own plan), a fixed "today", and
//! the record readers by kind.

use std::sync::OnceLock;

use chrono::NaiveDate;
use danvan_core::records::directive::Directive;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::mediation::MediationCase;
use danvan_core::records::oversight::Oversight;
use danvan_core::records::reception::Reception;
use danvan_store::record_import as ri;
use danvan_store::unit_import;
use danvan_store::units::Unit;

const FIXTURE: &str = include_str!("../../fixtures/units.csv");

/// The day the files are read on: fixed, so a crash replays.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).expect("valid date")
}

/// The fixture's units with ids, parents, provinces and depths, as the
/// store would hold them.
pub fn units() -> &'static [Unit] {
    static UNITS: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS.get_or_init(|| {
        let plan = unit_import::plan(FIXTURE.as_bytes(), &[]).expect("the fixture imports");
        let mut out: Vec<Unit> = Vec::with_capacity(plan.fresh.len());
        for (i, r) in plan.fresh.iter().enumerate() {
            let parent = r.parent.as_ref().map(|p| {
                out.iter()
                    .find(|u| &u.code == p)
                    .expect("parents first")
                    .clone()
            });
            let id = i as i64 + 1;
            out.push(Unit {
                id,
                code: r.code.clone(),
                name: r.name.clone(),
                kind: r.kind,
                parent_id: parent.as_ref().map(|p| p.id),
                province_id: parent.as_ref().map_or(id, |p| p.province_id),
                depth: parent.as_ref().map_or(0, |p| p.depth + 1),
                valid_from: r.from,
                valid_to: r.to,
                successor_id: None,
            });
        }
        for r in &plan.fresh {
            if let Some(s) = &r.successor {
                let sid = out.iter().find(|u| &u.code == s).map(|u| u.id);
                if let Some(u) = out.iter_mut().find(|u| u.code == r.code) {
                    u.successor_id = sid;
                }
            }
        }
        out
    })
}

/// The record kinds read row by row from a file, in a fixed order: the
/// first byte of a fuzz input picks one.
pub const KINDS: [RecordKind; 8] = [
    RecordKind::Petition,
    RecordKind::Reception,
    RecordKind::Mediation,
    RecordKind::Meeting,
    RecordKind::Model,
    RecordKind::DataValue,
    RecordKind::Oversight,
    RecordKind::Directive,
];

/// Read `csv` (UTF-8) as a file of `kind`, as the import does before it
/// writes, and check what every reader promises: each row it accepts is a
/// valid record of a known unit, at a line of the file.
pub fn read_records(kind: RecordKind, csv: &[u8]) {
    let (all, today) = (units(), today());
    let known = |id: i64| all.iter().any(|u| u.id == id);
    let lines = csv.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_ok = |l: usize| (2..=lines).contains(&l);
    macro_rules! rows {
        ($parse:expr) => {
            if let Ok(rows) = $parse(csv, all, today, || {}) {
                for (line, r) in &rows {
                    assert!(line_ok(*line), "line {line} of {lines}");
                    assert!(known(r.unit_id));
                    r.validate().expect("an accepted row is valid");
                }
            }
        };
    }
    match kind {
        RecordKind::Petition => rows!(ri::parse_petitions),
        RecordKind::Reception => rows!(<Reception as ri::Import>::parse),
        RecordKind::Mediation => rows!(<MediationCase as ri::Import>::parse),
        RecordKind::Meeting => rows!(ri::parse_meetings),
        RecordKind::Oversight => rows!(<Oversight as ri::Import>::parse),
        RecordKind::Directive => rows!(<Directive as ri::Import>::parse),
        RecordKind::Model => {
            if let Ok(models) = ri::parse_models(csv, all, today, || {}) {
                for (line, m, years) in &models {
                    assert!(line_ok(*line));
                    assert!(known(m.unit_id));
                    m.validate().expect("an accepted model is valid");
                    for (l, y) in years {
                        assert!(line_ok(*l));
                        y.validate().expect("an accepted year is valid");
                    }
                }
            }
        }
        RecordKind::DataValue => {
            if let Ok(rows) = ri::parse_data_rows(csv, all, today, || {}) {
                for (line, _, v, _) in &rows {
                    assert!(line_ok(*line));
                    assert!(known(v.unit_id));
                }
            }
        }
        RecordKind::Dossier | RecordKind::Case => unreachable!("not in KINDS"),
    }
}

/// Every span of every finding lies inside the checked text, on
/// character boundaries.
pub fn spans_inside(c: &danvan_check::Checked) {
    let ok = |s: usize, e: usize| {
        s <= e && e <= c.text.len() && c.text.is_char_boundary(s) && c.text.is_char_boundary(e)
    };
    for f in c.report.findings.iter().chain(&c.report.consistent) {
        assert!(ok(f.sentence.start, f.sentence.end), "sentence {:?}", f.sentence);
        for r in &f.figures {
            assert!(ok(r.span.start, r.span.end), "figure {:?}", r.span);
        }
    }
}
