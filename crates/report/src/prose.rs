//! Vietnamese prose from templates (minijinja), with filters for the
//! Vietnamese way of writing figures. Templates are data: the three shipped
//! ones can be copied and edited, and a template is checked when it is
//! loaded — syntax, and every indicator it names — never at render time.

use minijinja::value::Value as JValue;
use minijinja::{Environment, UndefinedBehavior};

use danvan_core::DomainError;
use danvan_core::number;

use crate::catalogue::Catalogue;

/// Templates shipped with danvan: (name, description, source).
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "bao-cao-6-thang",
        "Báo cáo kết quả công tác dân vận chính quyền 6 tháng / năm (cấp huyện)",
        include_str!("../templates/bao-cao-6-thang.txt.j2"),
    ),
    (
        "so-ket-nhieu-nam",
        "Báo cáo sơ kết, tổng kết nhiều năm của Ủy ban nhân dân",
        include_str!("../templates/so-ket-nhieu-nam.txt.j2"),
    ),
    (
        "bao-cao-tinh-uy",
        "Báo cáo của Ban Thường vụ Tỉnh ủy (văn bản của Đảng)",
        include_str!("../templates/bao-cao-tinh-uy.txt.j2"),
    ),
];

/// The annex of figures every template includes (`{% include
/// "phu-luc-so-lieu" %}`): not a report of its own.
pub const ANNEX: (&str, &str) = (
    "phu-luc-so-lieu",
    include_str!("../templates/phu-luc-so-lieu.txt.j2"),
);

/// "1.022".
fn so(v: i64) -> String {
    crate::trace::count(v, number::int(v))
}

/// "04" for administrative counts.
fn pad(v: i64) -> String {
    crate::trace::count(v, number::padded(v))
}

/// `pct(787, 802, 1)` → "98,1%"; none when the denominator is zero, so a
/// template can drop the rate instead of printing "NaN%".
fn pct(num: i64, den: i64, decimals: Option<u32>) -> JValue {
    let decimals = decimals.unwrap_or(1);
    match number::percent(num, den, decimals) {
        Some(s) => JValue::from(crate::trace::rate(num, den, decimals, s)),
        None => JValue::from(()),
    }
}

/// Upper-case the first letter only: "Thành phố Quảng Ngãi".
pub(crate) fn hoa(s: String) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// "ngày 05 tháng 01 năm 2020" from an ISO date.
fn ngay(iso: String) -> Result<String, minijinja::Error> {
    let d = danvan_core::period::parse_date(&iso).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("ngày «{iso}» không hợp lệ"),
        )
    })?;
    Ok(d.format("ngày %d tháng %m năm %Y").to_string())
}

/// A template environment with the Vietnamese filters and the given
/// templates, each checked against the catalogue.
pub fn environment(
    catalogue: &Catalogue,
    templates: &[(String, String)],
) -> Result<Environment<'static>, DomainError> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("default delimiters are valid"),
    );
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.add_filter("so", so);
    env.add_filter("pad", pad);
    env.add_filter("hoa", hoa);
    env.add_filter("ngay", ngay);
    env.add_function("pct", pct);
    env.add_template(ANNEX.0, ANNEX.1)
        .map_err(|e| template_error(ANNEX.0, &e))?;
    for (name, src) in templates {
        env.add_template_owned(name.clone(), src.clone())
            .map_err(|e| template_error(name, &e))?;
        let t = env
            .get_template(name)
            .map_err(|e| template_error(name, &e))?;
        for var in t.undeclared_variables(true) {
            let mut parts = var.splitn(2, '.');
            let (scope, code) = (parts.next().unwrap_or(""), parts.next());
            if matches!(scope, "all" | "own" | "below" | "prev")
                && let Some(code) = code
                && !catalogue.indicators.contains_key(code)
            {
                return Err(DomainError::new(
                    "template.unknown_indicator",
                    format!(
                        "mẫu báo cáo «{name}» dùng chỉ số «{code}» không có trong danh mục chỉ số"
                    ),
                ));
            }
        }
    }
    Ok(env)
}

fn template_error(name: &str, e: &minijinja::Error) -> DomainError {
    let line = e.line().map(|l| format!(" ở dòng {l}")).unwrap_or_default();
    DomainError::new(
        "template.invalid",
        format!(
            "mẫu báo cáo «{name}» lỗi{line}: {}",
            e.detail().unwrap_or(&e.to_string())
        ),
    )
}

/// The shipped templates, as owned pairs.
pub fn builtin_templates() -> Vec<(String, String)> {
    BUILTIN
        .iter()
        .map(|(n, _, s)| (n.to_string(), s.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_templates_load() {
        environment(&Catalogue::builtin(), &builtin_templates()).unwrap();
    }

    #[test]
    fn a_bad_template_is_refused_with_line_and_reason() {
        let bad = vec![(
            "x".to_string(),
            "Dòng một\n{% if all.reception_turns %}\nchưa đóng".to_string(),
        )];
        let e = environment(&Catalogue::builtin(), &bad).unwrap_err();
        assert!(e.message.contains("mẫu báo cáo «x» lỗi ở dòng"), "{e}");
        let unknown = vec![("y".to_string(), "{{ all.khong_co | so }}".to_string())];
        let e = environment(&Catalogue::builtin(), &unknown).unwrap_err();
        assert!(e.message.contains("chỉ số «khong_co»"), "{e}");
    }

    #[test]
    fn filters_write_vietnamese_figures() {
        let env = environment(&Catalogue::builtin(), &[]).unwrap();
        let out = env
            .render_str(
                "{{ 1022 | so }} {{ pct(787, 802, 1) }} {{ 4 | pad }}/{{ 7 | pad }} {{ pct(1, 0) or 'không' }} {{ '2020-01-05' | ngay }}",
                (),
            )
            .unwrap();
        assert_eq!(out, "1.022 98,1% 04/07 không ngày 05 tháng 01 năm 2020");
    }
}
