//! Indicators, validation rules and report sections an administrator
//! defines at run time, beside the shipped catalogue. Each is checked when
//! saved — its TOML, its formula's fact keys, its template's syntax and
//! indicator names, and a trial render — and is in force for the next
//! report, with no restart: every report reads the entries in force
//! ([`load`]), a read of one small table.
//!
//! A section's template is a user's program run inside danvan, so it runs
//! sandboxed: no loader (it cannot include a file or another template),
//! only the Vietnamese filters, and a fuel budget ([`FUEL`]) that stops a
//! loop that never ends and bounds the memory a render may take.

use std::collections::{BTreeSet, HashMap};

use danvan_core::DomainError;
use danvan_store::catalogue_entries::{self, Entry, EntryKind, Save};
use danvan_store::{Store, StoreError, datasets};
use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::prose;

/// The work one section's render may do: about this many template
/// instructions, or 64 bytes each of output and data (~32 MB).
pub const FUEL: u64 = 500_000;

/// A report section defined at run time.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub code: String,
    /// Its heading in the report.
    pub title: String,
    /// A minijinja template over the report's context (`all`, `own`,
    /// `below`, `prev`, `unit`, `period`…).
    pub template: String,
}

/// The catalogue in force (shipped plus defined) and the sections.
#[derive(Debug, Clone)]
pub struct Custom {
    pub catalogue: Catalogue,
    pub sections: Vec<Section>,
}

/// The entries in force, assembled with the shipped catalogue.
pub async fn load(store: &Store) -> Result<Custom, StoreError> {
    load_onto(store, Catalogue::shipped()).await
}

/// The entries in force added to `base`.
pub async fn load_onto(store: &Store, base: &Catalogue) -> Result<Custom, StoreError> {
    let entries = catalogue_entries::in_force(store).await?;
    if entries.is_empty() {
        return Ok(Custom {
            catalogue: base.clone(),
            sections: Vec::new(),
        });
    }
    Ok(assemble(base, &entries)?)
}

/// `base` with `entries` added: refused when an entry does not parse,
/// repeats a code, or a section names an unknown indicator.
fn assemble(base: &Catalogue, entries: &[Entry]) -> Result<Custom, DomainError> {
    let mut doc = String::new();
    let mut sections = Vec::new();
    for e in entries {
        match e.kind {
            EntryKind::Indicator | EntryKind::Rule => {
                doc.push_str(&format!("[[{}]]\n{}\n", e.kind.code(), e.source));
            }
            EntryKind::Section => sections.push(section(&e.code, &e.source)?),
        }
    }
    let extra = Catalogue::parse(&doc)?;
    let mut catalogue = base.clone();
    for (code, i) in extra.indicators {
        if catalogue.indicators.contains_key(&code) {
            return Err(DomainError::new(
                "catalogue_entry.duplicate",
                format!("mã «{code}» đã là một chỉ số có sẵn của danvan; hãy chọn mã khác"),
            )
            .at_field("code"));
        }
        catalogue.indicators.insert(code, i);
    }
    for r in extra.rules {
        if catalogue.rules.iter().any(|s| s.code == r.code) {
            return Err(DomainError::new(
                "catalogue_entry.duplicate",
                format!(
                    "mã «{}» đã là một quy tắc kiểm tra có sẵn; hãy chọn mã khác",
                    r.code
                ),
            )
            .at_field("code"));
        }
        catalogue.rules.push(r);
    }
    let templates: Vec<(String, String)> = sections
        .iter()
        .map(|s| (s.code.clone(), s.template.clone()))
        .collect();
    prose::environment(&catalogue, &templates)?;
    Ok(Custom {
        catalogue,
        sections,
    })
}

/// A section entry from its TOML.
fn section(code: &str, source: &str) -> Result<Section, DomainError> {
    let s: Section = toml::from_str(source).map_err(|e| {
        DomainError::new(
            "catalogue_entry.syntax",
            format!("phần báo cáo «{code}» không hợp lệ: {}", e.message()),
        )
    })?;
    if s.title.trim().is_empty() {
        return Err(DomainError::new(
            "catalogue_entry.title",
            format!("phần báo cáo «{code}» cần một tiêu đề"),
        )
        .at_field("title"));
    }
    Ok(s)
}

/// The code an entry's TOML gives itself.
fn code_of(kind: EntryKind, source: &str) -> Result<String, DomainError> {
    #[derive(Deserialize)]
    struct Code {
        code: Option<String>,
    }
    let c: Code = toml::from_str(source).map_err(|e| {
        DomainError::new(
            "catalogue_entry.syntax",
            format!("{} không hợp lệ: {}", kind.label(), e.message()),
        )
    })?;
    let code = c.code.unwrap_or_default();
    catalogue_entries::check_code(&code)?;
    Ok(code)
}

/// Every fact key a formula may name: those of the shipped catalogue (every
/// record kind's) and the data elements defined so far (`data.<code>`).
pub async fn known_keys(store: &Store) -> Result<BTreeSet<String>, StoreError> {
    let (period, opening) = Catalogue::shipped().keys();
    let mut keys: BTreeSet<String> = period.into_iter().chain(opening).collect();
    for e in datasets::elements(store).await? {
        keys.insert(e.key().to_string());
    }
    Ok(keys)
}

/// Refuse a formula naming a fact key danvan does not keep.
fn check_keys(c: &Catalogue, entry: &Entry, known: &BTreeSet<String>) -> Result<(), DomainError> {
    let (period, opening) = c.keys();
    for key in period.iter().chain(&opening) {
        if !known.contains(key) {
            return Err(DomainError::new(
                "catalogue_entry.unknown_key",
                format!(
                    "{} «{}» dùng số liệu «{key}», nhưng danvan không ghi số liệu nào tên như vậy; xem danh sách số liệu trên trang này",
                    entry.kind.label(),
                    entry.code
                ),
            )
            .at_field("source"));
        }
    }
    Ok(())
}

/// One entry to save: its kind, its TOML, and the version it was read at.
pub struct Draft<'a> {
    pub kind: EntryKind,
    pub source: &'a str,
    pub read: Option<i64>,
}

/// Check `drafts` together with the entries in force, then save each as
/// the next version of its code, in one transaction. Returns (kind, code,
/// version) of each.
pub async fn save(
    store: &Store,
    drafts: &[Draft<'_>],
) -> Result<Vec<(EntryKind, String, i64)>, StoreError> {
    catalogue_entries::may_define(store)?;
    let mut entries = catalogue_entries::in_force(store).await?;
    let known = known_keys(store).await?;
    let mut saves = Vec::new();
    for d in drafts {
        let code = code_of(d.kind, d.source)?;
        let e = Entry {
            kind: d.kind,
            code: code.clone(),
            version: 0,
            source: d.source.trim().to_string(),
            retired: false,
            saved_at: store.now(),
            actor: String::new(),
        };
        if d.kind != EntryKind::Section {
            let alone = Catalogue::parse(&format!("[[{}]]\n{}\n", d.kind.code(), e.source))?;
            check_keys(&alone, &e, &known)?;
        }
        entries.retain(|x| !(x.kind == e.kind && x.code == e.code));
        saves.push((d.kind, code, d.read, e.source.clone()));
        entries.push(e);
    }
    let custom = assemble(Catalogue::shipped(), &entries)?;
    let saved: BTreeSet<&str> = saves
        .iter()
        .filter(|(kind, ..)| *kind == EntryKind::Section)
        .map(|(_, code, ..)| code.as_str())
        .collect();
    for s in custom
        .sections
        .iter()
        .filter(|s| saved.contains(s.code.as_str()))
    {
        trial(&custom.catalogue, s)?;
    }
    let list: Vec<Save<'_>> = saves
        .iter()
        .map(|(kind, code, read, source)| Save {
            kind: *kind,
            code,
            source,
            retired: false,
            read: *read,
        })
        .collect();
    let versions = catalogue_entries::save_many(store, &list).await?;
    Ok(saves
        .into_iter()
        .zip(versions)
        .map(|((kind, code, _, _), v)| (kind, code, v))
        .collect())
}

/// Take an entry out of force, unless something in force still uses it.
pub async fn retire(
    store: &Store,
    kind: EntryKind,
    code: &str,
    read: i64,
) -> Result<i64, StoreError> {
    catalogue_entries::may_define(store)?;
    let mut entries = catalogue_entries::in_force(store).await?;
    let before = entries.len();
    entries.retain(|x| !(x.kind == kind && x.code == code));
    if entries.len() == before {
        return Err(StoreError::NotFound(format!(
            "{} «{code}» đang dùng",
            kind.label()
        )));
    }
    assemble(Catalogue::shipped(), &entries).map_err(|e| {
        DomainError::new(
            "catalogue_entry.in_use",
            format!(
                "chưa bỏ được {} «{code}» vì phần khác còn dùng: {}",
                kind.label(),
                e.message
            ),
        )
    })?;
    let source = catalogue_entries::history(store, kind, code)
        .await?
        .into_iter()
        .next()
        .map(|e| e.source)
        .unwrap_or_default();
    let v = catalogue_entries::save_many(
        store,
        &[Save {
            kind,
            code,
            source: &source,
            retired: true,
            read: Some(read),
        }],
    )
    .await?;
    Ok(v[0])
}

/// Entries from a file: `[[indicator]]`, `[[rule]]` and `[[section]]`
/// tables, as in the shipped catalogue. Each becomes one entry's TOML.
pub fn split_file(src: &str) -> Result<Vec<(EntryKind, String)>, DomainError> {
    let doc: toml::Table = toml::from_str(src).map_err(|e| {
        DomainError::new(
            "catalogue_entry.syntax",
            format!("tệp định nghĩa không hợp lệ: {}", e.message()),
        )
    })?;
    let mut out = Vec::new();
    for (name, value) in doc {
        let kind = EntryKind::parse(&name).map_err(|_| {
            DomainError::new(
                "catalogue_entry.syntax",
                format!("tệp định nghĩa có bảng «{name}»; chỉ dùng [[indicator]], [[rule]] và [[section]]"),
            )
        })?;
        let items = value.as_array().cloned().unwrap_or_default();
        for item in items {
            let table = item.as_table().cloned().unwrap_or_default();
            let text = toml::to_string(&table).map_err(|e| {
                DomainError::new("catalogue_entry.syntax", format!("tệp định nghĩa: {e}"))
            })?;
            out.push((kind, text));
        }
    }
    if out.is_empty() {
        return Err(DomainError::new(
            "catalogue_entry.empty",
            "tệp định nghĩa không có chỉ số, quy tắc hay phần báo cáo nào",
        ));
    }
    Ok(out)
}

/// The TOML of the entry a web form describes, from its fields: `ma`
/// (code), `ten` (label, message or title), and per kind `cong_thuc` or
/// `tu_so`/`mau_so`/`so_thap_phan`; `ve_trai`/`phep_so_sanh`/`ve_phai`/
/// `muc_do`; `mau` (the template).
pub fn source_from_form(kind: EntryKind, f: &HashMap<String, String>) -> String {
    let get = |k: &str| f.get(k).map_or("", |v| v.trim());
    let mut t = toml::Table::new();
    let mut put = |k: &str, v: &str| {
        if !v.is_empty() {
            t.insert(k.to_string(), toml::Value::String(v.to_string()));
        }
    };
    put("code", get("ma"));
    match kind {
        EntryKind::Indicator => {
            put("label", get("ten"));
            put("value", get("cong_thuc"));
            put("numerator", get("tu_so"));
            put("denominator", get("mau_so"));
        }
        EntryKind::Rule => {
            put("message", get("ten"));
            put("left", get("ve_trai"));
            put("op", get("phep_so_sanh"));
            put("right", get("ve_phai"));
            put("severity", get("muc_do"));
        }
        EntryKind::Section => {
            put("title", get("ten"));
            put("template", &get("mau").replace("\r\n", "\n"));
        }
    }
    if kind == EntryKind::Indicator
        && let Ok(d) = get("so_thap_phan").parse::<i64>()
        && (0..=6).contains(&d)
    {
        t.insert("decimals".into(), toml::Value::Integer(d));
    }
    toml::to_string(&t).unwrap_or_default()
}

/// An entry's heading: its label, message or title.
pub fn heading(source: &str) -> String {
    let table: toml::Table = toml::from_str(source).unwrap_or_default();
    ["label", "message", "title"]
        .iter()
        .find_map(|k| table.get(*k).and_then(|v| v.as_str()))
        .unwrap_or("")
        .to_string()
}

/// Check and save every entry of a file (see [`split_file`]) over
/// whatever version is in force, all or none.
pub async fn save_file(
    store: &Store,
    src: &str,
) -> Result<Vec<(EntryKind, String, i64)>, StoreError> {
    catalogue_entries::may_define(store)?;
    let items = split_file(src)?;
    let drafts: Vec<Draft<'_>> = items
        .iter()
        .map(|(kind, source)| Draft {
            kind: *kind,
            source,
            read: None,
        })
        .collect();
    save(store, &drafts).await
}

/// A sandboxed environment holding only `section`.
fn sandbox(
    catalogue: &Catalogue,
    s: &Section,
) -> Result<minijinja::Environment<'static>, DomainError> {
    let mut env = prose::environment(catalogue, &[(s.code.clone(), s.template.clone())])?;
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(50);
    Ok(env)
}

fn render_error(s: &Section, e: &minijinja::Error) -> DomainError {
    let why = match e.kind() {
        minijinja::ErrorKind::OutOfFuel => {
            "mẫu chạy vượt giới hạn tính toán cho phép (có vòng lặp quá lớn hoặc không dừng) và đã bị dừng".to_string()
        }
        _ => e.detail().unwrap_or(&e.to_string()).to_string(),
    };
    DomainError::new(
        "catalogue_entry.render",
        format!("phần báo cáo «{}» ({}) lỗi: {why}", s.title, s.code),
    )
    .at_field("template")
}

/// Render once on an empty report: a template that cannot finish even
/// there is refused when saved, not when a leader asks for a report.
fn trial(catalogue: &Catalogue, s: &Section) -> Result<(), DomainError> {
    render_one(catalogue, s, &empty_report(catalogue)).map(|_| ())
}

/// The context of a report with every indicator at zero.
fn empty_report(catalogue: &Catalogue) -> serde_json::Value {
    use crate::catalogue::Formula;
    let zero: serde_json::Map<String, serde_json::Value> = catalogue
        .indicators
        .values()
        .map(|i| {
            let v = match i.formula {
                Formula::Value(_) => serde_json::json!(0),
                Formula::Ratio { .. } => serde_json::json!({ "num": 0, "den": 0, "rate": null }),
            };
            (i.code.clone(), v)
        })
        .collect();
    serde_json::json!({
        "unit": { "code": "", "name": "", "full_name": "", "kind_label": "huyện", "body": "", "meeting_unit": "đợt" },
        "period": { "label": "năm 2020", "start": "2020-01-01", "end": "2020-12-31", "year": 2020, "prev_year": 2019, "cutoff": false },
        "all": zero, "own": zero, "below": zero, "prev": zero,
        "levels": [], "sections": {}, "compare": false, "directives": [],
        "below_count": 0, "below_count_2": 0,
    })
}

fn render_one(
    catalogue: &Catalogue,
    s: &Section,
    ctx: &serde_json::Value,
) -> Result<String, DomainError> {
    let env = sandbox(catalogue, s)?;
    let t = env.get_template(&s.code).map_err(|e| render_error(s, &e))?;
    t.render(minijinja::value::Serde(ctx))
        .map_err(|e| render_error(s, &e))
}

/// The sections as the report shows them: (title, text), leaving out a
/// section whose text is empty for this unit and period.
pub fn render(
    catalogue: &Catalogue,
    sections: &[Section],
    ctx: &serde_json::Value,
) -> Result<Vec<serde_json::Value>, DomainError> {
    let mut out = Vec::new();
    for s in sections {
        let text = render_one(catalogue, s, ctx)?;
        let text = text.trim();
        if !text.is_empty() {
            out.push(serde_json::json!({ "code": s.code, "title": s.title.trim(), "text": text }));
        }
    }
    Ok(out)
}
