//! The corpus of real reports (`tests/corpus/*.toml`): each restates the
//! relation-bearing sentences of a public report, cites it, and lists by
//! hand the relations a careful reader checks, with the verdict the
//! arithmetic gives. This module reads them and does that arithmetic on
//! its own, without the checker.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use danvan_check::{CheckReport, Finding, Severity, parse_vn};
use unicode_normalization::UnicodeNormalization;

/// One annotated relation.
#[derive(Debug, Clone)]
pub struct Relation {
    pub kind: String,
    /// Figure references by role ("total", "parts", "num", …).
    pub refs: BTreeMap<String, Vec<String>>,
    /// "đúng", "lỗi" or "cảnh báo".
    pub verdict: String,
    /// "giảm" or "tăng" for changes.
    pub dir: Option<String>,
}

/// One report of the corpus.
#[derive(Debug, Clone)]
pub struct Report {
    pub file: String,
    pub source: String,
    pub title: String,
    pub text: String,
    pub relations: Vec<Relation>,
}

pub fn corpus() -> Vec<Report> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files.iter().map(|p| load(p)).collect()
}

fn load(path: &Path) -> Report {
    let raw = std::fs::read_to_string(path).unwrap();
    let v: toml::Value = toml::from_str(&raw).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
    let relations = v
        .get("relation")
        .and_then(|r| r.as_array())
        .map(|a| {
            a.iter()
                .map(|r| {
                    let t = r.as_table().unwrap();
                    let mut refs = BTreeMap::new();
                    for (k, val) in t {
                        if matches!(k.as_str(), "kind" | "verdict" | "dir") {
                            continue;
                        }
                        let list = match val {
                            toml::Value::String(x) => vec![x.clone()],
                            toml::Value::Array(xs) => {
                                xs.iter().map(|x| x.as_str().unwrap().to_string()).collect()
                            }
                            _ => panic!("{k}"),
                        };
                        refs.insert(k.clone(), list);
                    }
                    Relation {
                        kind: t["kind"].as_str().unwrap().to_string(),
                        refs,
                        verdict: t
                            .get("verdict")
                            .and_then(|x| x.as_str())
                            .unwrap_or("đúng")
                            .to_string(),
                        dir: t.get("dir").and_then(|x| x.as_str()).map(str::to_string),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Report {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        source: s("source"),
        title: s("title"),
        text: s("text").nfc().collect(),
        relations,
    }
}

/// Number tokens as written: digits with "." or "," between digits.
pub fn tokens(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len()
            && (b[i].is_ascii_digit()
                || (b[i] == b'.' || b[i] == b',') && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// Where a reference ("1.012", "221#2", "4@trả lại 4 đơn", "9@cả 9/9#2")
/// is written.
pub fn locate(text: &str, r: &str) -> (usize, usize) {
    let (name, hay, from, k) = match r.split_once('@') {
        Some((name, ctx)) => {
            let (ctx, k) = match ctx.rsplit_once('#') {
                Some((c, k)) => (c, k.parse().unwrap()),
                None => (ctx, 1),
            };
            let at = text
                .find(ctx)
                .unwrap_or_else(|| panic!("context «{ctx}» not found"));
            assert_eq!(text.matches(ctx).count(), 1, "context «{ctx}» not unique");
            (name, ctx, at, k)
        }
        None => match r.split_once('#') {
            Some((name, k)) => (name, text, 0, k.parse().unwrap()),
            None => (r, text, 0, 1usize),
        },
    };
    let hits: Vec<(usize, usize)> = tokens(hay)
        .into_iter()
        .filter(|&(s, e)| &hay[s..e] == name)
        .collect();
    let (s, e) = *hits
        .get(k - 1)
        .unwrap_or_else(|| panic!("reference «{r}» not found"));
    (from + s, from + e)
}

/// The positions of a relation's figures, by role.
pub fn positions(text: &str, rel: &Relation) -> BTreeMap<String, Vec<(usize, usize)>> {
    rel.refs
        .iter()
        .map(|(k, v)| (k.clone(), v.iter().map(|r| locate(text, r)).collect()))
        .collect()
}

/// Every figure start of a relation.
pub fn starts(text: &str, rel: &Relation) -> Vec<usize> {
    let mut s: Vec<usize> = positions(text, rel)
        .values()
        .flatten()
        .map(|p| p.0)
        .collect();
    s.sort();
    s.dedup();
    s
}

/// Value of a number as written, times 10^4.
pub fn value(written: &str) -> i128 {
    parse_vn(written)
        .unwrap_or_else(|| panic!("«{written}» is no number"))
        .scaled
}

fn decimals(written: &str) -> u32 {
    written.split_once(',').map_or(0, |(_, f)| f.len() as u32)
}

/// The verdict of `num/den` against a stated percentage.
fn rate_verdict(num: i128, den: i128, stated: &str) -> &'static str {
    if den == 0 {
        return "lỗi";
    }
    let d = decimals(stated);
    let scale = 10i128.pow(d);
    let want = value(stated) / 10i128.pow(4 - d);
    let n = num * 100 * scale;
    let truncated = n / den;
    let rounded = if 2 * (n % den) >= den {
        truncated + 1
    } else {
        truncated
    };
    if want == rounded {
        "đúng"
    } else if want == truncated {
        "cảnh báo"
    } else {
        "lỗi"
    }
}

/// What the arithmetic says of a relation when the text is `text`
/// (possibly with one figure changed) and its figures are at `pos`.
pub fn verdict(
    text: &str,
    rel: &Relation,
    pos: &BTreeMap<String, Vec<(usize, usize)>>,
) -> &'static str {
    let w = |k: &str| -> Vec<&str> {
        pos.get(k)
            .map(|v| v.iter().map(|&(s, e)| &text[s..e]).collect())
            .unwrap_or_default()
    };
    let v = |k: &str| -> i128 { w(k).iter().map(|x| value(x)).sum() };
    let has = |k: &str| pos.contains_key(k);
    match rel.kind.as_str() {
        "sum" => {
            if v("total") == v("parts") {
                "đúng"
            } else {
                "lỗi"
            }
        }
        "rate" => {
            let num = if has("num") { v("num") } else { v("num_parts") };
            let den = if has("den") { v("den") } else { v("den_parts") };
            rate_verdict(num, den, w("pct")[0])
        }
        "difference" => {
            let diff = if rel.dir.as_deref() == Some("giảm") {
                v("prev") - v("now")
            } else {
                v("now") - v("prev")
            };
            if diff == v("diff") { "đúng" } else { "lỗi" }
        }
        "change_pct" => {
            let prev = if has("prev") {
                v("prev")
            } else if rel.dir.as_deref() == Some("giảm") {
                v("now") + v("diff")
            } else {
                v("now") - v("diff")
            };
            rate_verdict(v("diff"), prev, w("pct")[0])
        }
        "part_of_whole" => {
            if v("part") <= v("whole") {
                "đúng"
            } else {
                "lỗi"
            }
        }
        "same" => {
            if v("a") == v("b") {
                "đúng"
            } else {
                "lỗi"
            }
        }
        k => panic!("unknown kind {k}"),
    }
}

/// The label of a finding's verdict.
pub fn label(f: &Finding) -> &'static str {
    f.severity.label()
}

/// Every relation the checker reports (findings and consistent ones),
/// but the number-format warnings, which are about writing, not arithmetic.
pub fn reported(r: &CheckReport) -> Vec<&Finding> {
    r.findings
        .iter()
        .chain(&r.consistent)
        .filter(|f| f.kind != danvan_check::RelationKind::NumberFormat)
        .collect()
}

/// The starts of a finding's figures.
pub fn finding_starts(f: &Finding) -> Vec<usize> {
    let mut s: Vec<usize> = f.figures.iter().map(|x| x.span.start).collect();
    s.sort();
    s.dedup();
    s
}

/// Whether the checker flags byte `pos` (a lỗi or cảnh báo reading the
/// figure there, or at the sentence holding it).
pub fn flagged_at(r: &CheckReport, pos: usize) -> bool {
    r.findings.iter().any(|f| {
        f.severity != Severity::Ok
            && (f.figures.iter().any(|x| x.span.start == pos)
                || f.sentence.start <= pos && pos < f.sentence.end)
    })
}

/// Recall and precision of one report: (found, annotated, real, reported,
/// flagged-real, flagged).
pub fn score(rep: &Report, r: &CheckReport) -> (usize, usize, usize, usize, usize, usize) {
    let annotated: HashMap<Vec<usize>, &str> = rep
        .relations
        .iter()
        .map(|rel| (starts(&rep.text, rel), rel.verdict.as_str()))
        .collect();
    let got = reported(r);
    let matches = |f: &Finding| {
        annotated
            .get(&finding_starts(f))
            .is_some_and(|v| *v == label(f))
    };
    let found = rep
        .relations
        .iter()
        .filter(|rel| {
            let s = starts(&rep.text, rel);
            got.iter()
                .any(|f| finding_starts(f) == s && label(f) == rel.verdict)
        })
        .count();
    let real = got.iter().filter(|f| matches(f)).count();
    let flagged: Vec<&&Finding> = got.iter().filter(|f| f.severity != Severity::Ok).collect();
    let flagged_real = flagged.iter().filter(|f| matches(f)).count();
    (
        found,
        rep.relations.len(),
        real,
        got.len(),
        flagged_real,
        flagged.len(),
    )
}
