//! A traced render: the same report, rendered once more with every figure
//! a template reads and prints recorded, so a test can see which indicator
//! (and of which part of the subtree: the unit's own body, a level below,
//! the whole, the same period a year earlier) each printed number comes
//! from.
//!
//! The figures reach the template as objects that log each indicator read;
//! the filters that print numbers (`so`, `pad`, `pct`) mark what they
//! print in the text and name the indicator read last with that value.
//! Without a trace nothing of this runs: an ordinary render passes the
//! figures as plain data, and a filter only asks whether a trace is on.

use std::cell::RefCell;
use std::sync::Arc;

use minijinja::value::{Enumerator, Object, Value as JValue};
use serde::Serialize;

use crate::figures::{Figures, Value, Values};

/// Which part of the report's subtree a figure belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Scope {
    /// The whole subtree (`all`).
    All,
    /// The unit's own body (`own`).
    Own,
    /// Every level below together (`below`).
    Below,
    /// The same period a year earlier (`prev`).
    Prev,
    /// One level below, 1 for the units directly below.
    Level(usize),
}

/// One printed figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// What was printed: "1.022", "04", "98,1%".
    pub text: String,
    /// The indicator it prints: the last one read since the previous
    /// figure whose value is the printed number. `None` for a number the
    /// template computed (a difference, a sum of its own).
    pub source: Option<(Scope, String)>,
    /// For a rate: its numerator, denominator and decimals, and the part
    /// of the subtree its last read belongs to.
    pub rate: Option<Rate>,
}

/// A rate as `pct` printed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
    pub decimals: u32,
    pub scope: Option<Scope>,
    /// The indicators read last before it (at most two, the latest last):
    /// its numerator and denominator when the template passed them as read.
    pub reads: Vec<(Scope, String)>,
}

/// What a traced render saw.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Trace {
    /// The text with each printed figure marked: [`OPEN`], its number in
    /// `figures`, [`CLOSE`], then the figure as printed.
    pub marked: String,
    pub figures: Vec<Figure>,
    /// How the text names the unit's own body and each level below
    /// ("UBND huyện", "Ủy ban nhân dân các xã", "các xã").
    pub names: Vec<(Scope, String)>,
}

/// Opens and closes a figure's number in [`Trace::marked`] (private-use
/// characters, which no report contains).
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

impl Trace {
    /// The marked text without its marks: the report's text.
    pub fn unmarked(&self) -> String {
        let mut out = String::with_capacity(self.marked.len());
        let mut skipping = false;
        for c in self.marked.chars() {
            match c {
                OPEN => skipping = true,
                CLOSE => skipping = false,
                _ if !skipping => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// Each printed figure with its byte offset in [`Trace::unmarked`].
    pub fn positions(&self) -> Vec<(usize, &Figure)> {
        let mut out = Vec::with_capacity(self.figures.len());
        let mut len = 0;
        let mut number: Option<String> = None;
        for c in self.marked.chars() {
            match (c, number.as_mut()) {
                (OPEN, _) => number = Some(String::new()),
                (CLOSE, Some(n)) => {
                    if let Some(f) = n.parse::<usize>().ok().and_then(|i| self.figures.get(i)) {
                        out.push((len, f));
                    }
                    number = None;
                }
                (_, Some(n)) => n.push(c),
                (_, None) => len += c.len_utf8(),
            }
        }
        out
    }
}

#[derive(Default)]
struct Log {
    /// Indicators read since the last printed figure.
    pending: Vec<(Scope, String, Value)>,
    figures: Vec<Figure>,
}

thread_local! {
    static LOG: RefCell<Option<Log>> = const { RefCell::new(None) };
}

/// A printed number: marked, and named by its indicator, when tracing.
pub(crate) fn count(v: i64, text: String) -> String {
    LOG.with(|l| {
        let mut l = l.borrow_mut();
        let Some(log) = l.as_mut() else {
            return text;
        };
        let source = log
            .pending
            .iter()
            .rev()
            .find(|(_, _, val)| matches!(val, Value::Count(n) if *n == v))
            .map(|(s, c, _)| (*s, c.clone()));
        push(log, text, source, None)
    })
}

/// A printed rate, marked when tracing.
pub(crate) fn rate(num: i64, den: i64, decimals: u32, text: String) -> String {
    LOG.with(|l| {
        let mut l = l.borrow_mut();
        let Some(log) = l.as_mut() else {
            return text;
        };
        let scope = log.pending.last().map(|(s, _, _)| *s);
        let from = log.pending.len().saturating_sub(2);
        let reads = log.pending[from..]
            .iter()
            .map(|(s, c, _)| (*s, c.clone()))
            .collect();
        let rate = Rate {
            num,
            den,
            decimals,
            scope,
            reads,
        };
        push(log, text, None, Some(rate))
    })
}

fn push(
    log: &mut Log,
    text: String,
    source: Option<(Scope, String)>,
    rate: Option<Rate>,
) -> String {
    log.pending.clear();
    let id = log.figures.len();
    let marked = format!("{OPEN}{id}{CLOSE}{text}");
    log.figures.push(Figure { text, source, rate });
    marked
}

/// One part's figures as the template sees them, each read logged.
#[derive(Debug)]
struct Traced {
    scope: Scope,
    values: Values,
}

impl Object for Traced {
    fn get_value(self: &Arc<Self>, key: &JValue) -> Option<JValue> {
        let code = key.as_str()?;
        let v = self.values.0.get(code)?;
        LOG.with(|l| {
            if let Some(log) = l.borrow_mut().as_mut() {
                log.pending.push((self.scope, code.to_string(), v.clone()));
            }
        });
        Some(JValue::from(minijinja::value::Serde(v)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(
            self.values
                .0
                .keys()
                .map(|k| JValue::from(k.as_str()))
                .collect(),
        )
    }
}

fn traced(scope: Scope, values: &Values) -> JValue {
    JValue::from_object(Traced {
        scope,
        values: values.clone(),
    })
}

/// The report's context with its figures traced.
fn context(ctx: serde_json::Value, figures: &Figures) -> JValue {
    let serde_json::Value::Object(map) = ctx else {
        return JValue::from(minijinja::value::Serde(&ctx));
    };
    let pairs = map.into_iter().map(|(k, v)| {
        let value = match k.as_str() {
            "all" => traced(Scope::All, &figures.all),
            "own" => traced(Scope::Own, &figures.own),
            "below" => traced(Scope::Below, &figures.below),
            "prev" => match &figures.prev {
                Some(p) => traced(Scope::Prev, p),
                None => JValue::from(()),
            },
            "levels" => figures
                .levels
                .iter()
                .zip(v.as_array().into_iter().flatten())
                .map(|(level, json)| {
                    let serde_json::Value::Object(fields) = json else {
                        return JValue::from(minijinja::value::Serde(json));
                    };
                    JValue::from_pairs(fields.iter().map(|(f, x)| {
                        let x = if f == "values" {
                            traced(Scope::Level(level.depth), &level.values)
                        } else {
                            JValue::from(minijinja::value::Serde(x))
                        };
                        (f.clone(), x)
                    }))
                })
                .collect(),
            _ => JValue::from(minijinja::value::Serde(&v)),
        };
        (k, value)
    });
    JValue::from_pairs(pairs)
}

/// How the context names the own body and each level.
fn names(ctx: &serde_json::Value) -> Vec<(Scope, String)> {
    let mut out = Vec::new();
    if let Some(b) = ctx["unit"]["body"].as_str() {
        out.push((Scope::Own, b.to_string()));
    }
    for (i, lv) in ctx["levels"].as_array().into_iter().flatten().enumerate() {
        for field in ["body", "label"] {
            if let Some(n) = lv[field].as_str() {
                out.push((Scope::Level(i + 1), n.to_string()));
            }
        }
    }
    out
}

/// Render `template` on `ctx`; traced, also what each printed figure is.
pub(crate) fn render(
    template: &minijinja::Template<'_, '_>,
    ctx: serde_json::Value,
    figures: &Figures,
    trace: bool,
) -> Result<(String, Option<Trace>), minijinja::Error> {
    if !trace {
        return Ok((template.render(minijinja::value::Serde(ctx))?, None));
    }
    let names = names(&ctx);
    let value = context(ctx, figures);
    LOG.with(|l| *l.borrow_mut() = Some(Log::default()));
    let out = template.render(value);
    let log = LOG.with(|l| l.borrow_mut().take()).unwrap_or_default();
    let trace = Trace {
        marked: out?,
        figures: log.figures,
        names,
    };
    Ok((trace.unmarked(), Some(trace)))
}
