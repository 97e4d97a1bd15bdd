//! Reading a "Dân vận khéo" model file: one row per model-year.

use std::io::Read;

use chrono::Datelike;
use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::text::fold;

use super::cells::{checked, collect, read_rows_aliased};
use super::columns::{MODEL_COLUMNS, VI_ALIASES};
use crate::units::Unit;

/// A model parsed from a file: its first line, the model, and its years
/// each with its line.
pub type ParsedModel = (usize, Model, Vec<(usize, ModelYear)>);

/// Parse a model file: rows naming the same unit and model name (case and
/// diacritics aside) are years of one model.
pub fn parse_models(
    input: impl Read,
    all_units: &[Unit],
    today: NaiveDate,
    mut progress: impl FnMut(),
) -> Result<Vec<ParsedModel>, Vec<DomainError>> {
    let mut errors = Vec::new();
    let mut out: Vec<ParsedModel> = Vec::new();
    let mut index: std::collections::HashMap<(i64, String), usize> =
        std::collections::HashMap::new();
    read_rows_aliased(
        input,
        &MODEL_COLUMNS,
        &[],
        VI_ALIASES,
        "model.import",
        &mut errors,
        |c| {
            progress();
            let recorded_on = c.required_date("recorded_on");
            let unit_id = c.unit(all_units, recorded_on, today);
            let name = c.required("name");
            let level = c.required_vocab("level", ModelLevel::parse);
            let field = c.required_vocab("field", ModelField::parse);
            let year = match c.raw("year") {
                "" => recorded_on.map(|d| d.year()),
                s => match s.parse::<i32>() {
                    Ok(y) if (1900..=9999).contains(&y) => Some(y),
                    _ => {
                        let s = s.to_string();
                        c.err("year", format!("năm «{s}» không hợp lệ"));
                        None
                    }
                },
            };
            let status = c.required_vocab("status", ModelStatus::parse);
            let recognised = c.flag("recognised");
            let (
                Some(unit_id),
                Some(recorded_on),
                Some(name),
                Some(level),
                Some(field),
                Some(year),
                Some(status),
            ) = (unit_id, recorded_on, name, level, field, year, status)
            else {
                return;
            };
            let award = c.text("award");
            let Some(y) = checked(
                c,
                ModelYear {
                    year,
                    recorded_on,
                    status,
                    recognised,
                    award,
                },
                ModelYear::validate,
            ) else {
                return;
            };
            match index.get(&(unit_id, fold(&name))) {
                Some(&i) => {
                    let (first, m, years) = &mut out[i];
                    if m.level != level || m.field != field {
                        let first = *first;
                        c.err(
                            if m.level != level { "level" } else { "field" },
                            format!(
                                "mô hình «{name}» đã ghi ở dòng {first} với cấp hoặc lĩnh vực khác"
                            ),
                        );
                    } else if let Some((l, _)) = years.iter().find(|(_, o)| o.year == year) {
                        let l = *l;
                        c.err(
                            "year",
                            format!("mô hình «{name}» đã có năm {year} ở dòng {l}"),
                        );
                    } else {
                        years.push((c.line, y));
                    }
                }
                None => {
                    let Some(m) = checked(
                        c,
                        Model {
                            unit_id,
                            name: name.clone(),
                            level,
                            field,
                        },
                        Model::validate,
                    ) else {
                        return;
                    };
                    index.insert((unit_id, fold(&name)), out.len());
                    out.push((c.line, m, vec![(c.line, y)]));
                }
            }
        },
    );
    collect(errors, out)
}
