//! The inspection sector's statistical forms for petition work (biểu mẫu
//! thống kê của ngành Thanh tra: 01/TCD tiếp công dân, 01/XLD xử lý đơn),
//! laid out as Thông tư 01/2024/TT-TTCP prints them. The forms are data
//! (`forms.toml`): each numbered column is a formula over fact keys, or
//! marked as not recorded with the reason; the relations the form prints
//! under its numbers ("1=2+3=4+5") are checked on every row.
//!
//! A form has one row per unit directly below the reporting unit (and one
//! for the unit's own body when it has figures), read the way the report
//! reads them ([`figures::by_unit_below`]), and a total row: the subtree's
//! figures, which are the report's.

mod sheet;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_store::units::Unit;
use danvan_store::{Store, StoreError};
use serde::Deserialize;

use crate::catalogue::{Catalogue, Formula, Indicator};
use crate::expr::Expr;
use crate::figures::{self, Values};

pub use sheet::workbook;

/// The circular whose layouts the forms follow, as the sheets name it.
pub const CIRCULAR: &str = "Thông tư số 01/2024/TT-TTCP của Thanh tra Chính phủ";

/// The forms shipped with danvan.
pub const BUILTIN: &str = include_str!("../../forms.toml");

/// One statistical form.
#[derive(Debug, Clone)]
pub struct Form {
    /// "01/XLD".
    pub code: String,
    /// "xld": how users choose it.
    pub slug: String,
    /// The sheet's name in the workbook ("01-XLD").
    pub sheet: String,
    pub title: String,
    pub notes: Vec<String>,
    pub columns: Vec<Column>,
    pub relations: Vec<Relation>,
}

/// A numbered column.
#[derive(Debug, Clone)]
pub struct Column {
    pub n: u16,
    /// From the top heading down.
    pub heading: Vec<String>,
    pub source: Source,
    /// Written in the spreadsheet as the sum of these columns of its row.
    pub formula: Option<Vec<u16>>,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// Read from facts.
    Read(Expr),
    /// Not recorded by danvan, and why.
    Missing(String),
}

/// An equality of the form: `sides[0]` equals each other side, a side
/// being the sum of its columns.
#[derive(Debug, Clone)]
pub struct Relation {
    pub sides: Vec<Vec<u16>>,
}

/// A side written the way the forms write it: "(4) + (5)".
pub fn side_text(side: &[u16]) -> String {
    side.iter()
        .map(|n| format!("({n})"))
        .collect::<Vec<_>>()
        .join(" + ")
}

impl Relation {
    /// "(1) = (2) + (3) = (4) + (5)".
    pub fn text(&self) -> String {
        self.sides
            .iter()
            .map(|s| side_text(s))
            .collect::<Vec<_>>()
            .join(" = ")
    }
}

impl Form {
    pub fn column(&self, n: u16) -> Option<&Column> {
        self.columns.iter().find(|c| c.n == n)
    }

    /// Whether column `n` is read from facts.
    pub fn recorded(&self, n: u16) -> bool {
        self.column(n)
            .is_some_and(|c| matches!(c.source, Source::Read(_)))
    }

    /// Whether some column of `side` is recorded: a side of columns danvan
    /// does not record can not be checked.
    pub fn checkable(&self, side: &[u16]) -> bool {
        side.iter().any(|n| self.recorded(*n))
    }

    /// The parts of the relations that can not be checked, and why.
    pub fn unchecked(&self) -> Vec<String> {
        let mut out = Vec::new();
        for r in &self.relations {
            let left = &r.sides[0];
            for side in &r.sides[1..] {
                if !self.checkable(left) || !self.checkable(side) {
                    let missing: Vec<String> = left
                        .iter()
                        .chain(side)
                        .filter(|n| !self.recorded(**n))
                        .map(|n| format!("({n})"))
                        .collect();
                    out.push(format!(
                        "{} = {}: không kiểm tra được vì cột {} không được ghi nhận",
                        side_text(left),
                        side_text(side),
                        missing.join(", ")
                    ));
                }
            }
        }
        out
    }

    /// The indicator code of column `n` in the catalogue [`fill`] reads.
    fn code(&self, n: u16) -> String {
        format!("{}#{n}", self.slug)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    n: u16,
    heading: Vec<String>,
    value: Option<String>,
    missing: Option<String>,
    formula: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForm {
    code: String,
    slug: String,
    sheet: String,
    title: String,
    #[serde(default)]
    relations: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    column: Vec<RawColumn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForms {
    form: Vec<RawForm>,
}

fn bad(code: &str, why: String) -> DomainError {
    DomainError::new("forms.definition", format!("biểu {code}: {why}"))
}

/// "2 + 3" as column numbers, each one of the form's.
fn numbers(code: &str, src: &str, count: u16) -> Result<Vec<u16>, DomainError> {
    src.split('+')
        .map(|t| {
            let t = t.trim();
            match t.parse::<u16>() {
                Ok(n) if (1..=count).contains(&n) => Ok(n),
                _ => Err(bad(
                    code,
                    format!("«{t}» trong «{src}» không phải số cột của biểu (1–{count})"),
                )),
            }
        })
        .collect()
}

/// Parse and check a set of forms: columns numbered 1, 2, … in order,
/// each read or marked missing, formulas and relations naming columns of
/// the form. A mistake is refused with the form and the column named.
pub fn parse(src: &str) -> Result<Vec<Form>, DomainError> {
    let raw: RawForms = toml::from_str(src)
        .map_err(|e| DomainError::new("forms.syntax", format!("tệp biểu mẫu không hợp lệ: {e}")))?;
    let mut forms = Vec::with_capacity(raw.form.len());
    for f in raw.form {
        let count = f.column.len() as u16;
        let mut columns = Vec::with_capacity(f.column.len());
        for (i, c) in f.column.into_iter().enumerate() {
            let at = |why: &str| bad(&f.code, format!("cột ({}): {why}", c.n));
            if c.n as usize != i + 1 {
                return Err(at(&format!("cột thứ {} phải mang số {}", i + 1, i + 1)));
            }
            if c.heading.is_empty() || c.heading.iter().any(|h| h.trim().is_empty()) {
                return Err(at("thiếu tên cột"));
            }
            let source = match (c.value, c.missing) {
                (Some(v), None) => Source::Read(Expr::parse(&v)?),
                (None, Some(m)) => Source::Missing(m),
                _ => return Err(at("cần đúng một trong «value» và «missing»")),
            };
            let formula = match c.formula {
                None => None,
                Some(_) if matches!(source, Source::Missing(_)) => {
                    return Err(at("cột không ghi nhận không có công thức"));
                }
                Some(src) => {
                    let parts = numbers(&f.code, &src, count)?;
                    if parts.contains(&c.n) {
                        return Err(at("công thức không được dùng chính cột này"));
                    }
                    Some(parts)
                }
            };
            columns.push(Column {
                n: c.n,
                heading: c.heading,
                source,
                formula,
            });
        }
        let relations = f
            .relations
            .iter()
            .map(|r| {
                let sides = r
                    .split('=')
                    .map(|s| numbers(&f.code, s, count))
                    .collect::<Result<Vec<_>, _>>()?;
                if sides.len() < 2 {
                    return Err(bad(&f.code, format!("quan hệ «{r}» cần dấu =")));
                }
                Ok(Relation { sides })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        if f.sheet.chars().count() > 31 || f.sheet.contains(['[', ']', ':', '*', '?', '/', '\\']) {
            return Err(bad(
                &f.code,
                format!("tên trang «{}» không hợp lệ", f.sheet),
            ));
        }
        forms.push(Form {
            code: f.code,
            slug: f.slug,
            sheet: f.sheet,
            title: f.title,
            notes: f.notes,
            columns,
            relations,
        });
    }
    Ok(forms)
}

/// The shipped forms, parsed once.
pub fn shipped() -> &'static [Form] {
    static F: OnceLock<Vec<Form>> = OnceLock::new();
    F.get_or_init(|| parse(BUILTIN).expect("the shipped forms are valid (tested)"))
}

/// The forms named in `choice` ("tcd,xld", or the codes "01/TCD"), all of
/// them when it is empty; an unknown name is refused with those there are.
pub fn pick<'a>(forms: &'a [Form], choice: &str) -> Result<Vec<&'a Form>, DomainError> {
    let wanted: Vec<&str> = choice
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if wanted.is_empty() {
        return Ok(forms.iter().collect());
    }
    wanted
        .iter()
        .map(|w| {
            let folded = danvan_core::text::fold(w);
            forms
                .iter()
                .find(|f| f.slug == folded || danvan_core::text::fold(&f.code) == folded)
                .ok_or_else(|| {
                    let known: Vec<String> = forms
                        .iter()
                        .map(|f| format!("{} ({})", f.slug, f.code))
                        .collect();
                    DomainError::new(
                        "forms.unknown",
                        format!("không có biểu «{w}»; có: {}", known.join(", ")),
                    )
                })
        })
        .collect()
}

/// One row of a filled form: a cell per column, `None` where the column
/// is not recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Option<i64>>,
}

impl Row {
    fn of(form: &Form, label: String, values: &Values) -> Row {
        let cells = form
            .columns
            .iter()
            .map(|c| match c.source {
                Source::Read(_) => Some(values.count(&form.code(c.n))),
                Source::Missing(_) => None,
            })
            .collect();
        Row { label, cells }
    }

    /// Column `n`'s figure; a column not recorded counts as 0.
    pub fn get(&self, n: u16) -> i64 {
        self.cells
            .get(usize::from(n).wrapping_sub(1))
            .copied()
            .flatten()
            .unwrap_or(0)
    }

    fn side(&self, side: &[u16]) -> i64 {
        side.iter().map(|n| self.get(*n)).sum()
    }
}

/// A form filled for a unit and period.
#[derive(Debug, Clone)]
pub struct Filled<'a> {
    pub form: &'a Form,
    /// The unit's own body (when it has figures) and each unit directly
    /// below it.
    pub rows: Vec<Row>,
    /// The subtree: the report's figures.
    pub total: Row,
}

/// The forms of one unit and period.
#[derive(Debug, Clone)]
pub struct Forms<'a> {
    /// The unit's full name ("Huyện Đam Rông").
    pub unit: String,
    pub period: Period,
    pub filled: Vec<Filled<'a>>,
}

/// One relation checked on one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub form: String,
    pub row: String,
    /// "(1) = (4) + (5)".
    pub relation: String,
    pub left: i64,
    pub right: i64,
}

impl Check {
    pub fn holds(&self) -> bool {
        self.left == self.right
    }

    /// What a user reads when it does not hold.
    pub fn message(&self) -> String {
        let (l, r) = self
            .relation
            .split_once(" = ")
            .unwrap_or((&self.relation, ""));
        format!(
            "Biểu {}, dòng «{}»: {l} = {} nhưng {r} = {}, không khớp quan hệ {}",
            self.form,
            self.row,
            danvan_core::number::int(self.left),
            danvan_core::number::int(self.right),
            self.relation
        )
    }
}

impl Filled<'_> {
    /// Every relation of the form checked on every row and on the total.
    pub fn checks(&self) -> Vec<Check> {
        let mut out = Vec::new();
        for row in self.rows.iter().chain(std::iter::once(&self.total)) {
            for r in &self.form.relations {
                let left = &r.sides[0];
                if !self.form.checkable(left) {
                    continue;
                }
                for side in &r.sides[1..] {
                    if !self.form.checkable(side) {
                        continue;
                    }
                    out.push(Check {
                        form: self.form.code.clone(),
                        row: row.label.clone(),
                        relation: format!("{} = {}", side_text(left), side_text(side)),
                        left: row.side(left),
                        right: row.side(side),
                    });
                }
            }
        }
        out
    }
}

impl Forms<'_> {
    /// The checks that do not hold, every form's.
    pub fn violations(&self) -> Vec<Check> {
        self.filled
            .iter()
            .flat_map(Filled::checks)
            .filter(|c| !c.holds())
            .collect()
    }
}

/// A unit's name as a row of a table begins: "Huyện Đam Rông".
fn row_label(unit: &Unit) -> String {
    let name = unit.full_name();
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

/// The label of the unit's own row: "Huyện Đam Rông (cấp mình)".
pub fn own_label(unit: &Unit) -> String {
    format!("{} (cấp mình)", row_label(unit))
}

/// Fill `forms` for `unit`'s subtree and `period`, from facts.
pub async fn fill<'a>(
    store: &Store,
    unit: &Unit,
    period: &Period,
    forms: &[&'a Form],
) -> Result<Forms<'a>, StoreError> {
    let mut indicators = BTreeMap::new();
    for f in forms {
        for c in &f.columns {
            if let Source::Read(e) = &c.source {
                let code = f.code(c.n);
                indicators.insert(
                    code.clone(),
                    Indicator {
                        code,
                        label: c.heading.join(" — "),
                        formula: Formula::Value(e.clone()),
                    },
                );
            }
        }
    }
    let catalogue = Catalogue {
        indicators,
        rules: Vec::new(),
    };
    let (all, own, below) = figures::by_unit_below(store, &catalogue, unit, period).await?;
    let filled = forms
        .iter()
        .map(|f| {
            let own_row = Row::of(f, own_label(unit), &own);
            let mut rows = Vec::with_capacity(below.len() + 1);
            // The unit's own body has a row when it has figures, or
            // when there is nothing below it.
            if below.is_empty() || own_row.cells.iter().any(|c| c.is_some_and(|v| v != 0)) {
                rows.push(if below.is_empty() {
                    Row::of(f, row_label(unit), &own)
                } else {
                    own_row
                });
            }
            for (u, v) in &below {
                rows.push(Row::of(f, row_label(u), v));
            }
            Filled {
                form: f,
                rows,
                total: Row::of(f, "Tổng cộng".into(), &all),
            }
        })
        .collect();
    Ok(Forms {
        unit: unit.full_name(),
        period: *period,
        filled,
    })
}

#[cfg(test)]
mod tests;
