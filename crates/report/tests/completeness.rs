//! Completeness of reports, on both engines. On a data set with records of
//! every kind at every level of a three-level and a two-level tree, for
//! every unit, every template and a half-year, a year, a cut-off year and
//! several years, the report is rendered traced (each printed figure named
//! by the indicator and part of the subtree it comes from) and:
//! - every indicator of the catalogue with a value for the unit and period,
//!   as `/api/figures` computes it, is printed with that value — the whole
//!   subtree's figure, or the figure of each part (the own body and each
//!   level below) when the parts are counted apart;
//! - a figure printed where the text speaks of the unit's own body (or of
//!   one level below) is that body's (that level's);
//! - no figure counted in "đợt" or "điểm" adds meetings of levels counted
//!   differently (districts' đợt, communes' điểm).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use danvan_core::period::Period;
use danvan_report::catalogue::Formula;
use danvan_report::figures::{Value, Values};
use danvan_report::trace::{Scope, Trace};
use danvan_report::{Catalogue, Figures, Report, Request};
use danvan_store::Store;
use danvan_store::units::{self, Unit};

const TEMPLATES: [&str; 3] = ["bao-cao-6-thang", "bao-cao-tinh-uy", "so-ket-nhieu-nam"];

/// What one report got wrong: (template, indicator or figure) → where.
#[derive(Default)]
struct Findings {
    missing: BTreeMap<(String, String), Vec<String>>,
    wrong_value: BTreeMap<(String, String), Vec<String>>,
    misattributed: Vec<String>,
    mixed: Vec<String>,
}

impl Findings {
    fn is_empty(&self) -> bool {
        self.missing.is_empty()
            && self.wrong_value.is_empty()
            && self.misattributed.is_empty()
            && self.mixed.is_empty()
    }

    fn summary(&self) -> String {
        let mut s = String::new();
        for (title, map) in [
            ("missing", &self.missing),
            ("wrong value", &self.wrong_value),
        ] {
            for ((t, code), at) in map {
                s.push_str(&format!(
                    "{title}: {t} {code} ({} reports, e.g. {})\n",
                    at.len(),
                    at[0]
                ));
            }
        }
        for m in self.misattributed.iter().take(20) {
            s.push_str(&format!("misattributed: {m}\n"));
        }
        for m in self.mixed.iter().take(20) {
            s.push_str(&format!("mixed kinds: {m}\n"));
        }
        s
    }
}

fn nonzero(v: &Value) -> bool {
    match v {
        Value::Count(n) => *n != 0,
        Value::Ratio { den, .. } => *den != 0,
    }
}

/// How `so` or `pad` write `n`.
fn written(text: &str, n: i64) -> bool {
    text == danvan_core::number::int(n) || text == danvan_core::number::padded(n)
}

/// Is indicator `code` of part `scope`, whose value is `v`, printed?
fn printed(trace: &Trace, scope: Scope, code: &str, v: &Value) -> Option<bool> {
    let mut found = None;
    for f in &trace.figures {
        match v {
            Value::Count(n) => {
                if f.source
                    .as_ref()
                    .is_some_and(|(s, c)| *s == scope && c == code)
                {
                    if written(&f.text, *n) {
                        return Some(true);
                    }
                    found = Some(false);
                }
            }
            Value::Ratio { num, den, rate } => {
                if let Some(r) = &f.rate
                    && (r.num, r.den) == (*num, *den)
                    && r.scope.is_none_or(|s| s == scope)
                {
                    // Another indicator may have the same numerator and
                    // denominator: a rate written otherwise is judged by
                    // `rates_agree`.
                    if rate.as_deref() == Some(f.text.as_str()) {
                        return Some(true);
                    }
                }
            }
        }
    }
    found
}

/// The parts of the subtree as the report splits it.
fn parts(figures: &Figures) -> Vec<(Scope, &Values)> {
    let mut out = vec![(Scope::Own, &figures.own)];
    for l in &figures.levels {
        out.push((Scope::Level(l.depth), &l.values));
    }
    out
}

fn complete(report: &Report, trace: &Trace, at: &str, tpl: &str, out: &mut Findings) {
    for (code, v) in &report.figures.all.0 {
        if !nonzero(v) {
            continue;
        }
        let key = (tpl.to_string(), code.clone());
        match printed(trace, Scope::All, code, v) {
            Some(true) => continue,
            Some(false) => {
                let printed: Vec<&str> = trace
                    .figures
                    .iter()
                    .filter(|f| match (&f.rate, v) {
                        (Some(r), Value::Ratio { num, den, .. }) => (r.num, r.den) == (*num, *den),
                        _ => false,
                    })
                    .map(|f| f.text.as_str())
                    .collect();
                out.wrong_value
                    .entry(key)
                    .or_default()
                    .push(format!("{at}: printed {printed:?}, /api/figures {v:?}"));
                continue;
            }
            None => {}
        }
        // Printed part by part: the own body and every level.
        let mut by_parts = true;
        for (scope, values) in parts(&report.figures) {
            let Some(pv) = values.0.get(code) else {
                continue;
            };
            if nonzero(pv) && printed(trace, scope, code, pv) != Some(true) {
                by_parts = false;
            }
        }
        if !by_parts {
            out.missing.entry(key).or_default().push(at.to_string());
        }
    }
}

/// Every rate printed with the numerator and denominator of an indicator
/// of its part is printed as that indicator's rate (its decimals).
fn rates_agree(report: &Report, trace: &Trace, at: &str, tpl: &str, out: &mut Findings) {
    let catalogue = Catalogue::shipped();
    let f = &report.figures;
    for fig in &trace.figures {
        let Some(r) = &fig.rate else { continue };
        let values = match r.scope {
            Some(Scope::All) => Some(&f.all),
            Some(Scope::Own) => Some(&f.own),
            Some(Scope::Below) => Some(&f.below),
            Some(Scope::Prev) => f.prev.as_ref(),
            Some(Scope::Level(d)) => f.levels.get(d - 1).map(|l| &l.values),
            None => None,
        };
        // The indicator whose numerator and denominator the template
        // passed, when it passed two indicators it read; otherwise any of
        // the same numerator and denominator.
        let named = match r.reads.as_slice() {
            [(_, a), (_, b)] => catalogue.indicators.values().find(|i| match &i.formula {
                Formula::Ratio {
                    numerator,
                    denominator,
                    ..
                } => {
                    let value =
                        |code: &str| match catalogue.indicators.get(code).map(|i| &i.formula) {
                            Some(Formula::Value(e)) => Some(e),
                            _ => None,
                        };
                    value(a) == Some(numerator) && value(b) == Some(denominator)
                }
                Formula::Value(_) => false,
            }),
            _ => None,
        };
        let same: Vec<(&String, &Option<String>)> = values
            .into_iter()
            .flat_map(|v| &v.0)
            .filter_map(|(code, v)| match v {
                Value::Ratio { num, den, rate } if (*num, *den) == (r.num, r.den) => {
                    Some((code, rate))
                }
                _ => None,
            })
            .filter(|(code, _)| named.is_none_or(|i| i.code == **code))
            .collect();
        if !same.is_empty()
            && !same
                .iter()
                .any(|(_, rate)| rate.as_deref() == Some(fig.text.as_str()))
        {
            out.wrong_value
                .entry((tpl.to_string(), format!("{} of {:?}", same[0].0, r.scope)))
                .or_default()
                .push(format!(
                    "{at}: printed {}, the catalogue's {:?}",
                    fig.text, same[0].1
                ));
        }
    }
}

/// The byte ranges of the sentences of `text`: a line, or up to a full
/// stop followed by white space.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = text.as_bytes();
    for (i, c) in text.char_indices() {
        let end = c == '\n' || (c == '.' && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()));
        if end {
            out.push((start, i));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len()));
    out
}

/// `s` with its closed parenthetical groups taken out.
fn without_closed_groups(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut open = Vec::new();
    for c in s.chars() {
        match c {
            '(' => {
                open.push(out.len());
                out.push(c);
            }
            ')' => match open.pop() {
                Some(at) => out.truncate(at),
                None => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The part of the subtree `s` speaks of last (the longest name wins at
/// a place).
fn last_subject(s: &str, names: &[(Scope, String)]) -> Option<Scope> {
    let mut best: Option<(usize, usize, Scope)> = None;
    for (scope, name) in names {
        if let Some(i) = s.rfind(name.as_str()) {
            let end = i + name.len();
            if best.is_none_or(|(e, l, _)| end > e || (end == e && name.len() > l)) {
                best = Some((end, name.len(), *scope));
            }
        }
    }
    best.map(|(_, _, s)| s)
}

/// Figures where the text names the own body (or a level) are that
/// body's (that level's).
fn attributed(trace: &Trace, at: &str, out: &mut Findings) {
    let text = trace.unmarked();
    let spans = sentences(&text);
    for (pos, f) in trace.positions() {
        let Some((scope, code)) = &f.source else {
            continue;
        };
        let &(start, end) = spans
            .iter()
            .find(|(s, e)| *s <= pos && pos <= *e)
            .expect("in a sentence");
        let before = without_closed_groups(&text[start..pos]);
        let subject = last_subject(&before, &trace.names).or_else(|| {
            // A sentence that names one body only outside its
            // parentheses speaks of it throughout ("… thuộc thẩm quyền
            // của Chủ tịch UBND huyện").
            let whole = without_closed_groups(&format!("{})", &text[start..end]));
            let named: BTreeSet<Scope> = trace
                .names
                .iter()
                .filter(|(_, n)| whole.contains(n.as_str()))
                .map(|(s, _)| *s)
                .collect();
            (named.len() == 1 && before.matches('(').count() == 0).then(|| *named.first().unwrap())
        });
        if let Some(subject) = subject
            && matches!(subject, Scope::Own | Scope::Level(_))
            && subject != *scope
        {
            out.misattributed.push(format!(
                "{at}: {} of {scope:?} {code} stated of {subject:?} in «{}»",
                f.text,
                text[start..end].trim()
            ));
        }
    }
}

/// Which parts of the subtree count meetings in "điểm" (the grassroots).
fn grassroots(report: &Report, unit: &Unit, all: &[Unit]) -> BTreeMap<Scope, bool> {
    let commune = |id: &i64| {
        all.iter()
            .find(|u| u.id == *id)
            .is_some_and(|u| u.kind.is_commune_level())
    };
    let mut m = BTreeMap::new();
    m.insert(Scope::Own, unit.kind.is_commune_level());
    for l in &report.figures.levels {
        m.insert(Scope::Level(l.depth), l.unit_ids.iter().all(commune));
    }
    m
}

/// A figure followed by "đợt" or "điểm" counts the meetings of parts
/// counted that way only.
fn same_kinds(
    report: &Report,
    trace: &Trace,
    unit: &Unit,
    all: &[Unit],
    at: &str,
    out: &mut Findings,
) {
    let text = trace.unmarked();
    let grass = grassroots(report, unit, all);
    for (pos, f) in trace.positions() {
        let after = text[pos + f.text.len()..].trim_start();
        let word = if after.starts_with("điểm") {
            true
        } else if after.starts_with("đợt") {
            false
        } else {
            continue;
        };
        let ok = match &f.source {
            None => false,
            Some((Scope::Own, _)) => grass[&Scope::Own] == word,
            Some((s @ Scope::Level(_), _)) => grass[s] == word,
            Some((_, code)) => parts(&report.figures)
                .iter()
                .filter(|(_, v)| v.count(code) != 0)
                .all(|(s, _)| grass[s] == word),
        };
        if !ok {
            out.mixed.push(format!(
                "{at}: «{} {}» from {:?}",
                f.text,
                if word { "điểm" } else { "đợt" },
                f.source
            ));
        }
    }
}

fn check_one(
    report: &Report,
    trace: &Trace,
    api: &Figures,
    unit: &Unit,
    all: &[Unit],
    at: &str,
    out: &mut Findings,
) {
    assert_eq!(
        trace.unmarked(),
        report.text,
        "{at}: tracing changed the text"
    );
    assert_eq!(
        report.figures.all, api.all,
        "{at}: not the figures of /api/figures"
    );
    assert_eq!(report.figures.own, api.own, "{at}");
    for (l, a) in report.figures.levels.iter().zip(&api.levels) {
        assert_eq!(l.values, a.values, "{at}");
    }
    complete(report, trace, at, &report.template, out);
    rates_agree(report, trace, at, &report.template, out);
    attributed(trace, at, out);
    same_kinds(report, trace, unit, all, at, out);
}

async fn check(store: &Store) -> usize {
    let catalogue = Catalogue::shipped();
    let all = units::all(store).await.unwrap();
    let mut out = Findings::default();
    let mut n = 0;
    for unit in &all {
        for (code, cutoff) in common::world::PERIODS {
            let period = Period::parse(code, cutoff).unwrap();
            // What `/api/figures` answers for the unit and period.
            let api = Figures::compute(store, catalogue, unit, &period, false)
                .await
                .unwrap();
            for tpl in TEMPLATES {
                let req = Request::new(unit, period).template(Some(tpl));
                let (report, trace) = danvan_report::build_traced(store, catalogue, req)
                    .await
                    .unwrap();
                let at = format!(
                    "{} {code}{}",
                    unit.code,
                    if cutoff { " (chốt số liệu)" } else { "" }
                );
                check_one(&report, &trace, &api, unit, &all, &at, &mut out);
                n += 1;
            }
        }
    }
    assert!(out.is_empty(), "{}", out.summary());
    n
}

/// A template that states the whole subtree's turns as the province's
/// own, adds the districts' đợt to the communes' điểm, writes a rate with
/// other decimals than the catalogue's and leaves out everything else.
const WRONG: &str = "{{ unit.body }} tiếp {{ all.reception_turns | so }} lượt.
Tổ chức {{ all.voter_sessions | pad }} đợt tiếp xúc cử tri.
{{ unit.body }} giải quyết {{ pct(own.petition_resolved, own.petition_competence, 1) }} số đơn.
";

/// The checks find what they are for.
async fn checks_bite(store: &Store) {
    let p = units::find(store, "P", None).await.unwrap();
    let all = units::all(store).await.unwrap();
    let period = Period::parse("2020-H1", false).unwrap();
    let catalogue = Catalogue::shipped();
    let api = Figures::compute(store, catalogue, &p, &period, false)
        .await
        .unwrap();
    let req = Request {
        custom_template: Some(("sai".into(), WRONG.into())),
        ..Request::new(&p, period)
    };
    let (report, trace) = danvan_report::build_traced(store, catalogue, req)
        .await
        .unwrap();
    let mut out = Findings::default();
    check_one(&report, &trace, &api, &p, &all, "P", &mut out);
    let s = out.summary();
    assert!(
        out.missing.keys().any(|(_, c)| c == "dossier_received"),
        "{s}"
    );
    assert!(
        !out.missing.keys().any(|(_, c)| c == "reception_turns"),
        "{s}"
    );
    assert!(
        out.misattributed
            .iter()
            .any(|m| m.contains("All reception_turns stated of Own")),
        "{s}"
    );
    assert!(
        out.mixed.iter().any(|m| m.contains("voter_sessions")),
        "{s}"
    );
    assert!(
        out.wrong_value
            .keys()
            .any(|(_, c)| c.starts_with("petition_resolved_rate")),
        "{s}"
    );
}

#[test]
fn every_indicator_is_reported_where_it_belongs_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            let started = std::time::Instant::now();
            let units = common::world::build(&db.store).await;
            assert_eq!(units.len(), common::world::FACTORS.len());
            let n = check(&db.store).await;
            assert_eq!(
                n,
                units.len() * common::world::PERIODS.len() * TEMPLATES.len()
            );
            eprintln!("{n} reports checked in {:?}", started.elapsed());
            checks_bite(&db.store).await;
            db.finish().await;
        }
    });
}
