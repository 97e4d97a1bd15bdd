use super::*;

fn xld() -> &'static Form {
    shipped().iter().find(|f| f.slug == "xld").unwrap()
}

fn row(label: &str, form: &Form, values: &[(u16, i64)]) -> Row {
    let cells = form
        .columns
        .iter()
        .map(|c| match c.source {
            Source::Read(_) => Some(
                values
                    .iter()
                    .find(|(n, _)| *n == c.n)
                    .map_or(0, |(_, v)| *v),
            ),
            Source::Missing(_) => None,
        })
        .collect();
    Row {
        label: label.into(),
        cells,
    }
}

#[test]
fn the_shipped_forms_load_and_read_only_known_fact_keys() {
    let forms = shipped();
    let codes: Vec<&str> = forms.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["01/TCD", "01/XLD"]);
    assert_eq!(forms[0].columns.len(), 29);
    assert_eq!(forms[1].columns.len(), 22);
    use danvan_core::records::reception::keys as r;
    let known: Vec<&str> = danvan_core::records::petition::keys::ALL
        .iter()
        .copied()
        .chain([
            r::SESSIONS,
            r::TURNS,
            r::PERSONS,
            r::DELEGATIONS,
            r::DELEGATION_PERSONS,
        ])
        .collect();
    for f in forms {
        for c in &f.columns {
            if let Source::Read(e) = &c.source {
                for (k, _) in e.keys() {
                    assert!(known.contains(&k), "{} ({}): {k}", f.code, c.n);
                }
            }
        }
    }
}

#[test]
fn a_formula_column_is_written_as_one_side_of_its_relation() {
    for f in shipped() {
        for c in &f.columns {
            if let Some(parts) = &c.formula {
                assert!(
                    f.relations
                        .iter()
                        .any(|r| r.sides[0] == [c.n] && r.sides.contains(parts)),
                    "{} ({})",
                    f.code,
                    c.n
                );
            }
        }
    }
}

#[test]
fn consistent_rows_pass_every_check() {
    let f = xld();
    let r = row(
        "Xã A",
        f,
        &[
            (1, 10),
            (2, 4),
            (3, 6),
            (4, 9),
            (5, 1),
            (6, 8),
            (8, 2),
            (9, 1),
            (10, 5),
            (14, 5),
            (15, 2),
            (16, 1),
            (17, 2),
            (18, 3),
            (19, 1),
            (20, 1),
            (21, 1),
        ],
    );
    let filled = Filled {
        form: f,
        rows: vec![r.clone()],
        total: Row {
            label: "Tổng cộng".into(),
            ..r
        },
    };
    let checks = filled.checks();
    // (1)=(2)+(3), (1)=(4)+(5), (6)=(8)+(9)+(10), (6)=(14)+(18),
    // (14)=(15)+(16)+(17), (18)=(19)+(20)+(21) on two rows; (6) =
    // (11)+(12)+(13) is not checked.
    assert_eq!(checks.len(), 12, "{checks:?}");
    assert!(checks.iter().all(Check::holds), "{checks:?}");
    let unchecked = f.unchecked();
    assert_eq!(unchecked.len(), 1, "{unchecked:?}");
    assert!(
        unchecked[0].contains("(6) = (11) + (12) + (13)")
            && unchecked[0].contains("không được ghi nhận"),
        "{unchecked:?}"
    );
}

#[test]
fn an_inconsistent_row_fails_its_relation_in_vietnamese() {
    let f = xld();
    // 10 to handle, 9 handled, but 3 still waiting: (1) ≠ (4) + (5).
    let bad = row("Xã Đạ Tông", f, &[(1, 10), (2, 4), (3, 6), (4, 9), (5, 3)]);
    let filled = Filled {
        form: f,
        rows: vec![bad.clone()],
        total: Row {
            label: "Tổng cộng".into(),
            ..bad
        },
    };
    let forms = Forms {
        unit: "Huyện Thử".into(),
        period: Period::parse("2020-H1", false).unwrap(),
        filled: vec![filled],
    };
    let v = forms.violations();
    assert_eq!(v.len(), 2, "{v:?}");
    assert_eq!(v[0].relation, "(1) = (4) + (5)");
    assert_eq!((v[0].left, v[0].right), (10, 12));
    assert_eq!(
        v[0].message(),
        "Biểu 01/XLD, dòng «Xã Đạ Tông»: (1) = 10 nhưng (4) + (5) = 12, không khớp quan hệ (1) = (4) + (5)"
    );
    // The workbook still writes, and its check sheet puts the failures
    // first.
    use calamine::{Data, Reader};
    let bytes = workbook(&forms).unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let check = wb.worksheet_range("Kiểm tra").unwrap();
    let cell = |r: u32, c: u32| check.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(
        cell(1, 0),
        Data::String("2/12 phép kiểm tra không đúng: xem các dòng «Sai» dưới đây.".into())
    );
    assert_eq!(cell(4, 1), Data::String("Xã Đạ Tông".into()));
    assert_eq!(cell(4, 2), Data::String("(1) = (4) + (5)".into()));
    assert_eq!(cell(4, 5), Data::String("Sai".into()));
    assert_eq!(cell(6, 5), Data::String("Đúng".into()));
}

#[test]
fn mistakes_in_a_form_definition_are_refused_by_column() {
    let form = |cols: &str, relations: &str| {
        format!(
            "[[form]]\ncode = \"X\"\nslug = \"x\"\nsheet = \"X\"\ntitle = \"T\"\nrelations = [{relations}]\n{cols}"
        )
    };
    let col = |n: u16, rest: &str| format!("[[form.column]]\nn = {n}\nheading = [\"C\"]\n{rest}\n");
    let ok = format!(
        "{}{}",
        col(1, "value = \"a.b\""),
        col(2, "missing = \"không\"")
    );
    assert!(parse(&form(&ok, "\"1 = 2\"")).is_ok());
    let cases = [
        (form(&ok, "\"1 = 3\""), "«3»"),
        (form(&ok, "\"1\""), "cần dấu ="),
        (
            form(
                &format!("{}{}", col(2, "value = \"a\""), col(1, "value = \"a\"")),
                "",
            ),
            "cột thứ 1 phải mang số 1",
        ),
        (form(&col(1, ""), ""), "«value» và «missing»"),
        (
            form(
                &format!(
                    "{}{}",
                    col(1, "value = \"a\""),
                    col(2, "missing = \"x\"\nformula = \"1\"")
                ),
                "",
            ),
            "không có công thức",
        ),
    ];
    for (src, want) in cases {
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains(want), "{want}: {e}");
    }
}

#[test]
fn forms_are_chosen_by_name_or_code() {
    let forms = shipped();
    assert_eq!(pick(forms, "").unwrap().len(), 2);
    assert_eq!(pick(forms, "xld").unwrap()[0].code, "01/XLD");
    assert_eq!(pick(forms, " 01/TCD ").unwrap()[0].slug, "tcd");
    let e = pick(forms, "gqkn").unwrap_err();
    assert!(
        e.message.contains("không có biểu «gqkn»") && e.message.contains("xld (01/XLD)"),
        "{e}"
    );
}
