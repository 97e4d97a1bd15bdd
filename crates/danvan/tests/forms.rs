//! The inspection sector's statistical forms (01/TCD, 01/XLD) of the demo's
//! district of Đam Rông for 2020-H1, as a user gets them from
//! `danvan report --format bieu`, opened and recalculated by LibreOffice:
//! every column relation holds on every row, the total row is the sum of
//! the unit rows, and the totals are the report's figures.
//!
//! Skipped without LibreOffice unless DANVAN_REQUIRE_LIBREOFFICE is set.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{danvan_on as danvan, text};
use danvan_core::period::Period;
use danvan_report::inspection_forms::{self, Form};
use danvan_report::{Catalogue, Figures};
use danvan_store::{Store, units};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("danvan-forms-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn soffice() -> Option<&'static str> {
    let found = ["soffice", "libreoffice"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("DANVAN_REQUIRE_LIBREOFFICE").is_none(),
            "DANVAN_REQUIRE_LIBREOFFICE is set but LibreOffice is not installed"
        );
        eprintln!("BỎ QUA: chưa cài LibreOffice (soffice)");
    }
    found
}

/// Replace the cached result of the first formula whose text starts with
/// `formula` in `sheet` of the workbook by `wrong`: a file whose cached
/// values only a recalculation can put right.
fn spoil_cached_result(xlsx: &[u8], sheet: &str, formula: &str, wrong: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut spoiled = false;
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut body = Vec::new();
        f.read_to_end(&mut body).unwrap();
        if name == sheet {
            let xml = String::from_utf8(body).unwrap();
            let at = xml
                .find(&format!("<f>{formula}"))
                .unwrap_or_else(|| panic!("no formula {formula} in {sheet}"));
            let v = at + xml[at..].find("<v>").unwrap() + 3;
            let end = v + xml[v..].find("</v>").unwrap();
            body = format!("{}{wrong}{}", &xml[..v], &xml[end..]).into_bytes();
            spoiled = true;
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&body).unwrap();
    }
    assert!(spoiled, "no sheet {sheet}");
    out.finish().unwrap().into_inner()
}

/// LibreOffice opens `file`, recalculates every formula (the profile it
/// runs with says so for OOXML files, whatever the file caches), and
/// writes each sheet as CSV: `{stem}-{sheet}.csv`.
fn recalculated_csv(soffice: &str, dir: &Path, file: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let profile = dir.join("profile");
    std::fs::create_dir_all(profile.join("user")).unwrap();
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let out = dir.join("csv");
    std::fs::create_dir_all(&out).unwrap();
    let o = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            // Comma, double quotes, UTF-8, values not as shown, every sheet.
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,false,false,false,-1",
            "--outdir",
        ])
        .arg(&out)
        .arg(file)
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut sheets = BTreeMap::new();
    for e in std::fs::read_dir(&out).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        // "spoiled-01-XLD": the sheet's name follows the file's stem.
        let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
        let sheet = name
            .strip_prefix(&format!("{stem}-"))
            .unwrap_or(&name)
            .to_string();
        sheets.insert(sheet, csv(&std::fs::read_to_string(&p).unwrap()));
    }
    assert!(
        !sheets.is_empty(),
        "LibreOffice wrote no CSV: {}",
        text(&o.stdout)
    );
    sheets
}

/// A small CSV reader: quoted fields with doubled quotes, commas, lines.
fn csv(src: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            ('\r', false) => {}
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// A form's table as LibreOffice computed it: the unit rows and the total
/// row, each a label and a figure per column (`None` when empty).
type Table = (Vec<(String, Vec<Option<i64>>)>, Vec<Option<i64>>);

fn table(form: &Form, rows: &[Vec<String>]) -> Table {
    let numbers = rows
        .iter()
        .position(|r| r.first().is_some_and(|c| c == "MS"))
        .unwrap_or_else(|| panic!("{}: no numbered row", form.code));
    for c in &form.columns {
        assert_eq!(rows[numbers][usize::from(c.n)], format!("({})", c.n));
    }
    let parse = |r: &Vec<String>| -> Vec<Option<i64>> {
        form.columns
            .iter()
            .map(|c| {
                let cell = r[usize::from(c.n)].trim();
                (!cell.is_empty()).then(|| {
                    cell.parse::<i64>()
                        .unwrap_or_else(|_| panic!("{} ({}): «{cell}»", form.code, c.n))
                })
            })
            .collect()
    };
    let mut units = Vec::new();
    for r in &rows[numbers + 1..] {
        if r[0] == "Tổng cộng" {
            return (units, parse(r));
        }
        units.push((r[0].clone(), parse(r)));
    }
    panic!("{}: no total row", form.code)
}

fn get(cells: &[Option<i64>], n: u16) -> i64 {
    cells[usize::from(n) - 1].unwrap_or(0)
}

#[test]
fn dam_rong_forms_open_in_libreoffice_hold_their_relations_and_total_the_report() {
    let Some(soffice) = soffice() else { return };
    let dir = temp_dir("dam-rong");
    let db = dir.join("test.db");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let xlsx = dir.join("bieu.xlsx");
    let out = xlsx.display().to_string();
    let o = danvan(
        &db,
        &[
            "report",
            "--unit",
            "Đam Rông",
            "--period",
            "2020-H1",
            "--format",
            "bieu",
            "--out",
            &out,
        ],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Các quan hệ giữa các cột của biểu đều đúng."),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );

    // The report's figures for the same unit and period.
    let (all, communes) = danvan_testkit::block_on(async {
        let store = Store::open(&db.display().to_string()).await.unwrap();
        let period = Period::parse("2020-H1", false).unwrap();
        let r = period.range();
        let unit = units::find(&store, "Đam Rông", Some((r.start, r.end)))
            .await
            .unwrap();
        let f = Figures::compute(&store, Catalogue::shipped(), &unit, &period, false)
            .await
            .unwrap();
        store.close().await;
        (f.all, f.below_count)
    });
    let fig = |code: &str| all.count(code);

    // Cached results spoiled on purpose: the total of (1) of 01/TCD and
    // the formula (1) = (2) + (3) of 01/XLD's first row. Only a
    // recalculation gives them back their right values.
    let bytes = std::fs::read(&xlsx).unwrap();
    let bytes = spoil_cached_result(&bytes, "xl/worksheets/sheet1.xml", "SUM(B", "999999");
    let bytes = spoil_cached_result(&bytes, "xl/worksheets/sheet2.xml", "C", "888888");
    let spoiled = dir.join("spoiled.xlsx");
    std::fs::write(&spoiled, bytes).unwrap();
    let sheets = recalculated_csv(soffice, &dir, &spoiled);

    let forms = inspection_forms::shipped();
    let mut totals = BTreeMap::new();
    for form in forms {
        let rows = sheets
            .get(&form.sheet)
            .unwrap_or_else(|| panic!("no sheet {} in {:?}", form.sheet, sheets.keys()));
        let flat: String = rows.iter().flatten().cloned().collect();
        assert!(
            !flat.contains("999999") && !flat.contains("888888"),
            "{}: a cached result was not recalculated",
            form.code
        );
        assert!(flat.contains("Biểu số ") && flat.contains(&form.code));
        assert!(flat.contains("Thông tư số 01/2024/TT-TTCP"));
        let (unit_rows, total) = table(form, rows);
        // The district's own body and each of its communes.
        assert_eq!(
            unit_rows.len(),
            communes + 1,
            "{}: {unit_rows:?}",
            form.code
        );
        assert_eq!(unit_rows[0].0, "Huyện Đam Rông (cấp mình)");
        for (label, cells) in unit_rows
            .iter()
            .chain([&("Tổng cộng".to_string(), total.clone())])
        {
            for r in &form.relations {
                let left = &r.sides[0];
                if !form.checkable(left) {
                    continue;
                }
                let sum = |side: &[u16]| side.iter().map(|n| get(cells, *n)).sum::<i64>();
                for side in r.sides[1..].iter().filter(|s| form.checkable(s)) {
                    assert_eq!(
                        sum(left),
                        sum(side),
                        "{} «{label}»: {}",
                        form.code,
                        r.text()
                    );
                }
            }
        }
        for c in &form.columns {
            let i = usize::from(c.n) - 1;
            let summed: i64 = unit_rows.iter().map(|(_, r)| r[i].unwrap_or(0)).sum();
            assert_eq!(total[i].unwrap_or(0), summed, "{} ({})", form.code, c.n);
            // Columns danvan does not record stay empty.
            let recorded = matches!(c.source, inspection_forms::Source::Read(_));
            assert_eq!(total[i].is_some(), recorded, "{} ({})", form.code, c.n);
        }
        totals.insert(form.slug.clone(), total);
    }

    // The seed's figures: the district received 32 turns of 48 persons,
    // 13 of 29 periodically; with its communes, 70 turns. It had 54 new
    // petitions and 6 carried over still to handle, all handled.
    let own = |slug: &str, n: u16| {
        let (rows, _) = table(
            forms.iter().find(|f| f.slug == slug).unwrap(),
            &sheets[&forms.iter().find(|f| f.slug == slug).unwrap().sheet],
        );
        get(&rows[0].1, n)
    };
    assert_eq!([1, 2, 13, 14].map(|n| own("tcd", n)), [32, 48, 13, 29]);
    assert_eq!([1, 2, 3, 4, 5].map(|n| own("xld", n)), [60, 6, 54, 60, 0]);
    assert_eq!(get(&totals["tcd"], 1), 70);

    // The totals are the report's figures.
    let tcd = &totals["tcd"];
    assert_eq!(get(tcd, 1), fig("reception_turns"));
    assert_eq!(get(tcd, 2), fig("reception_persons"));
    assert_eq!(get(tcd, 4), fig("reception_regular_turns"));
    assert_eq!(get(tcd, 5), fig("reception_regular_persons"));
    assert_eq!(
        get(tcd, 12),
        fig("reception_periodic_sessions") + fig("reception_unscheduled_sessions")
    );
    assert_eq!(
        get(tcd, 13),
        fig("reception_periodic_turns") + fig("reception_unscheduled_turns")
    );
    assert!(get(tcd, 1) > 0);
    let xld = &totals["xld"];
    assert_eq!(get(xld, 3), fig("petition_new"));
    // Carried over for handling: every open petition but those accepted
    // and being resolved.
    assert_eq!(
        get(xld, 2),
        fig("petition_carried_over") - (fig("petition_competence") - fig("petition_accepted"))
    );
    assert_eq!(get(xld, 14), fig("petition_accepted"));
    assert_eq!(get(xld, 19), fig("petition_returned"));
    assert_eq!(get(xld, 20), fig("petition_transferred"));
    assert_eq!(get(xld, 21), fig("petition_urged"));
    assert!(get(xld, 3) > 0 && get(xld, 14) > 0);

    // The check sheet found nothing wrong.
    let check: String = sheets["Kiểm tra"].iter().flatten().cloned().collect();
    assert!(check.contains("phép kiểm tra đều đúng"), "{check}");
    let _ = std::fs::remove_dir_all(&dir);
}
