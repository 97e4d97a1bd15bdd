//! ADX (IHE Aggregate Data Exchange, namespace `urn:ihe:qrph:adx:2015`):
//! data value sets as XML. Identifiers are danvan's codes (units, data
//! sets, elements), as DHIS2's ADX uses codes; an element's option is the
//! `option` attribute of its value (a category of the schema's open
//! attributes). What is read is checked against what the ADX schema
//! demands — the root, its `exported` time, groups with `orgUnit` and
//! `period`, values with `dataElement` and a decimal `value` — and any
//! attribute danvan would not understand is refused rather than dropped.

use chrono::Utc;
use danvan_core::period::Period;
use danvan_core::records::dataset::{DataSet, DataValue};
use quick_xml::NsReader;
use quick_xml::escape::escape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde_json::Value;

use super::error::Dhis2Error;
use super::import::{InSet, InValue};
use super::index::UnitIndex;
use super::meta::Meta;
use super::{number, periods};

pub const NAMESPACE: &str = "urn:ihe:qrph:adx:2015";

fn bad(message: String) -> Dhis2Error {
    Dhis2Error::new(
        axum::http::StatusCode::BAD_REQUEST,
        "dhis2.bad_adx",
        format!("tệp ADX không hợp lệ: {message}"),
    )
}

/// The attributes of an element, refusing names outside `allowed`.
fn attributes(
    e: &BytesStart,
    what: &str,
    allowed: &[&str],
) -> Result<Vec<(String, String)>, Dhis2Error> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| bad(format!("{what}: thuộc tính hỏng ({err})")))?;
        let name = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        if name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xsi:") {
            continue;
        }
        if !allowed.contains(&name.as_str()) {
            return Err(bad(format!(
                "{what} có thuộc tính «{name}» danvan không hiểu; dùng: {}",
                allowed.join(", ")
            )));
        }
        let value = a
            .decode_and_unescape_value(e.decoder())
            .map_err(|err| bad(format!("{what}: giá trị thuộc tính «{name}» hỏng ({err})")))?
            .into_owned();
        out.push((name, value));
    }
    Ok(out)
}

fn get<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn required<'a>(
    attrs: &'a [(String, String)],
    name: &str,
    what: &str,
) -> Result<&'a str, Dhis2Error> {
    get(attrs, name)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| bad(format!("{what} thiếu thuộc tính bắt buộc «{name}»")))
}

/// An xs:dateTime, loosely: a date, `T`, a time.
fn is_date_time(s: &str) -> bool {
    let s = s.trim();
    s.len() >= 19
        && chrono::NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").is_ok()
        && s.as_bytes()[10] == b'T'
        && chrono::NaiveTime::parse_from_str(&s[11..19], "%H:%M:%S").is_ok()
}

/// An xs:decimal: optional sign, digits, optional point and digits.
fn is_decimal(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (a, b) = s.split_once('.').unwrap_or((s, ""));
    !(a.is_empty() && b.is_empty())
        && a.bytes().all(|c| c.is_ascii_digit())
        && b.bytes().all(|c| c.is_ascii_digit())
}

/// Read an ADX document into a data value set.
pub fn read(body: &[u8]) -> Result<InSet, Dhis2Error> {
    let text = std::str::from_utf8(body).map_err(|_| bad("không phải văn bản UTF-8".into()))?;
    let mut r = NsReader::from_str(text);
    r.config_mut().trim_text(true);
    let mut set = InSet::default();
    let mut root_seen = false;
    let mut depth = 0usize;
    // The current group: orgUnit, period (DHIS2 form), data set, values in it.
    let mut group: Option<(String, String, Option<String>, usize)> = None;
    let mut groups = 0usize;
    loop {
        let at = r.buffer_position();
        let (ns, ev) = r
            .read_resolved_event()
            .map_err(|e| bad(format!("XML hỏng sau byte thứ {at}: {e}")))?;
        let in_adx = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == NAMESPACE.as_bytes());
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1
                    && let Some((_, _, _, n)) = group.take()
                    && n == 0
                {
                    return Err(bad(format!(
                        "nhóm thứ {groups} không có giá trị (dataValue) nào"
                    )));
                }
                continue;
            }
            Event::Eof => break,
            Event::Text(t) if !t.is_empty() => {
                return Err(bad(
                    "có văn bản ngoài các thẻ; ADX chỉ dùng thuộc tính".into()
                ));
            }
            _ => continue,
        };
        let Some(e) = start else { continue };
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        if !in_adx {
            return Err(bad(format!(
                "thẻ «{name}» không thuộc không gian tên ADX {NAMESPACE}"
            )));
        }
        match (depth, name.as_str()) {
            (0, "adx") if !root_seen => {
                root_seen = true;
                let a = attributes(&e, "thẻ adx", &["exported"])?;
                let exported = required(&a, "exported", "thẻ adx")?;
                if !is_date_time(exported) {
                    return Err(bad(format!(
                        "exported «{exported}» phải là ngày giờ dạng 2020-07-01T08:00:00"
                    )));
                }
            }
            (1, "group") => {
                groups += 1;
                let what = format!("nhóm thứ {groups}");
                let a = attributes(&e, &what, &["orgUnit", "period", "dataSet", "comment"])?;
                let ou = required(&a, "orgUnit", &what)?.to_string();
                let pe = periods::parse_adx(required(&a, "period", &what)?)
                    .map_err(|d| bad(format!("{what}: {}", d.message)))?;
                let pe = periods::name(&pe).unwrap_or_default();
                group = Some((ou, pe, get(&a, "dataSet").map(str::to_string), 0));
                if empty {
                    return Err(bad(format!("{what} không có giá trị (dataValue) nào")));
                }
            }
            (2, "dataValue") => {
                let Some((ou, pe, ds, n)) = group.as_mut() else {
                    return Err(bad("giá trị nằm ngoài nhóm".into()));
                };
                *n += 1;
                let what = format!("giá trị thứ {n} của nhóm thứ {groups}");
                let a = attributes(
                    &e,
                    &what,
                    &[
                        "dataElement",
                        "value",
                        "option",
                        "categoryOptionCombo",
                        "comment",
                    ],
                )?;
                let de = required(&a, "dataElement", &what)?;
                let value = required(&a, "value", &what)?;
                if !is_decimal(value) {
                    return Err(bad(format!(
                        "{what}: value «{value}» không phải số thập phân"
                    )));
                }
                set.data_values.push(InValue {
                    data_element: Some(de.to_string()),
                    period: Some(pe.clone()),
                    org_unit: Some(ou.clone()),
                    category_option_combo: get(&a, "option")
                        .or(get(&a, "categoryOptionCombo"))
                        .map(str::to_string),
                    attribute_option_combo: None,
                    value: Value::String(value.trim().to_string()),
                    deleted: false,
                    data_set: ds.clone(),
                });
            }
            (3, "annotation") => {}
            (d, other) => {
                return Err(bad(format!("thẻ «{other}» không đúng chỗ (tầng {d})")));
            }
        }
        if !empty {
            depth += 1;
        }
    }
    if !root_seen {
        return Err(bad("thiếu thẻ gốc adx".into()));
    }
    if groups == 0 {
        return Err(bad("không có nhóm (group) nào".into()));
    }
    Ok(set)
}

/// Values as an ADX document: one group per unit, period and set.
pub fn write(meta: &Meta, ix: &UnitIndex, set: Option<&DataSet>, values: &[DataValue]) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"{NAMESPACE}\" exported=\"{}\">\n",
        Utc::now().format("%Y-%m-%dT%H:%M:%SZ")
    );
    let mut open: Option<(i64, String, String)> = None;
    for v in values {
        let ds = set
            .or_else(|| {
                meta.element(&v.element)
                    .and_then(|e| meta.sets_of(e).next())
            })
            .map_or(String::new(), |s| s.code.clone());
        let key = (v.unit_id, v.period.clone(), ds.clone());
        if open.as_ref() != Some(&key) {
            if open.is_some() {
                out.push_str("  </group>\n");
            }
            let unit = ix
                .by_id(v.unit_id)
                .map_or(String::new(), |u| u.code.clone());
            let period = Period::parse(&v.period, false)
                .map(|p| periods::adx(&p))
                .unwrap_or_default();
            out.push_str(&format!(
                "  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\">\n",
                escape(unit.as_str()),
                escape(period.as_str()),
                escape(ds.as_str())
            ));
            open = Some(key);
        }
        let value = meta
            .element(&v.element)
            .map_or_else(|| v.value.to_string(), |e| number::format(e, v.value));
        let option = if v.option.is_empty() {
            String::new()
        } else {
            format!(" option=\"{}\"", escape(v.option.as_str()))
        };
        out.push_str(&format!(
            "    <dataValue dataElement=\"{}\"{option} value=\"{value}\"/>\n",
            escape(v.element.as_str())
        ));
    }
    if open.is_some() {
        out.push_str("  </group>\n");
    }
    out.push_str("</adx>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-01-05T08:00:00Z">
  <group orgUnit="62" period="2016-01-01/P1Y" dataSet="inspection">
    <dataValue dataElement="inspections" value="53"/>
    <dataValue dataElement="violations_handled" option="state_budget" value="3565"/>
  </group>
</adx>"#;

    #[test]
    fn reads_groups_and_values() {
        let s = read(GOOD.as_bytes()).unwrap();
        assert_eq!(s.data_values.len(), 2);
        let v = &s.data_values[1];
        assert_eq!(v.org_unit.as_deref(), Some("62"));
        assert_eq!(v.period.as_deref(), Some("2016"));
        assert_eq!(v.data_set.as_deref(), Some("inspection"));
        assert_eq!(v.category_option_combo.as_deref(), Some("state_budget"));
        assert_eq!(v.value, Value::String("3565".into()));
    }

    #[test]
    fn refuses_what_the_schema_refuses() {
        for (doc, says) in [
            (
                GOOD.replace(" exported=\"2026-01-05T08:00:00Z\"", ""),
                "exported",
            ),
            (
                GOOD.replace("urn:ihe:qrph:adx:2015", "urn:khac"),
                "không gian tên",
            ),
            (
                GOOD.replace("value=\"53\"", "value=\"năm mươi\""),
                "không phải số",
            ),
            (GOOD.replace(" orgUnit=\"62\"", ""), "orgUnit"),
            (GOOD.replace("2016-01-01/P1Y", "2016"), "kỳ ADX"),
            (GOOD.replace("option=", "AGE="), "AGE"),
            (
                "<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"2026-01-05T08:00:00Z\"/>".into(),
                "nhóm",
            ),
            ("<adx".into(), "XML hỏng"),
        ] {
            let e = read(doc.as_bytes()).unwrap_err();
            assert!(e.message.contains(says), "{says}: {}", e.message);
            assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        }
    }
}
