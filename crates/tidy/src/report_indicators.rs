//! Every figure in a report is an indicator of the catalogue: a template
//! may name only indicators that `catalogue.toml` defines. The report
//! context holds the indicator maps `all`, `own`, `below` and `prev`
//! (crates/report/src/lib.rs); `own.CODE` and `own["CODE"]` name one.

use std::collections::BTreeSet;

use crate::{SourceFile, Violation, finish, is_ident};

/// The context variables that hold indicator values, by code.
pub const MAPS: &[&str] = &["all", "own", "below", "prev"];

/// Indicator codes: `code = "…"` under each `[[indicator]]` of the
/// catalogue (not the `[[rule]]` codes).
pub fn catalogue_codes(catalogue: &str) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut in_indicator = false;
    for line in catalogue.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_indicator = line == "[[indicator]]";
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        if in_indicator && key.trim() == "code" {
            let value = value.split('#').next().unwrap_or("").trim();
            codes.insert(value.trim_matches('"').to_string());
        }
    }
    codes
}

/// Violations in `templates` against the catalogue's text.
pub fn report_indicators(catalogue: &str, templates: &[SourceFile]) -> Vec<Violation> {
    let codes = catalogue_codes(catalogue);
    let mut out = Vec::new();
    for t in templates {
        for (line, map, code) in indicator_uses(&t.text) {
            if !codes.contains(&code) {
                out.push(Violation::new(
                    &t.path,
                    line,
                    format!(
                        "`{map}.{code}`: no indicator `{code}` in crates/report/catalogue.toml"
                    ),
                ));
            }
        }
    }
    finish(out)
}

/// A token of a template tag: a word, a string literal, or punctuation.
#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(char),
}

/// (line, map, code) of every `map.code` and `map["code"]` inside `{{ }}`
/// and `{% %}` tags (not in text, comments or string literals).
pub fn indicator_uses(src: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for (line, toks) in tags(src) {
        for k in 0..toks.len() {
            let Tok::Word(map) = &toks[k].1 else {
                continue;
            };
            if !MAPS.contains(&map.as_str()) || k > 0 && toks[k - 1].1 == Tok::Punct('.') {
                continue;
            }
            let code = match (toks.get(k + 1), toks.get(k + 2), toks.get(k + 3)) {
                (Some((_, Tok::Punct('.'))), Some((_, Tok::Word(c))), _) => c,
                (
                    Some((_, Tok::Punct('['))),
                    Some((_, Tok::Str(c))),
                    Some((_, Tok::Punct(']'))),
                ) => c,
                _ => continue,
            };
            out.push((line + toks[k].0, map.clone(), code.clone()));
        }
    }
    out
}

/// The tokens of every `{{ }}` and `{% %}` tag, with the tag's line and
/// each token's line offset within the tag.
fn tags(src: &str) -> Vec<(usize, Vec<(usize, Tok)>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(open) = src[at..].find('{').map(|o| at + o) {
        let close = match src[open + 1..].chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                at = open + 1;
                continue;
            }
        };
        let body = &src[open + 2..];
        let end = body.find(close).unwrap_or(body.len());
        if close != "#}" {
            out.push((crate::line_at(src, open), tokens(&body[..end])));
        }
        at = (open + 2 + end + close.len()).min(src.len());
    }
    out
}

fn tokens(body: &str) -> Vec<(usize, Tok)> {
    let chars: Vec<char> = body.chars().collect();
    let (mut out, mut k, mut line) = (Vec::new(), 0, 0);
    while k < chars.len() {
        let c = chars[k];
        if c == '\n' {
            line += 1;
            k += 1;
        } else if c.is_whitespace() {
            k += 1;
        } else if c == '"' || c == '\'' {
            let start = k + 1;
            k = start;
            while k < chars.len() && chars[k] != c {
                k += if chars[k] == '\\' { 2 } else { 1 };
            }
            let s: String = chars[start..k.min(chars.len())].iter().collect();
            out.push((line, Tok::Str(s.clone())));
            line += s.matches('\n').count();
            k += 1;
        } else if is_ident(c) {
            let start = k;
            while k < chars.len() && is_ident(chars[k]) {
                k += 1;
            }
            out.push((line, Tok::Word(chars[start..k].iter().collect())));
        } else {
            out.push((line, Tok::Punct(c)));
            k += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &str = "[[indicator]]\ncode = \"reception_turns\"\nlabel = \"x\"\n\n[[indicator]]\ncode = \"petition_total\" # comment\n\n[[rule]]\ncode = \"rule_code\"\n";

    #[test]
    fn only_indicator_codes_are_read() {
        let codes: Vec<String> = catalogue_codes(CATALOGUE).into_iter().collect();
        assert_eq!(codes, ["petition_total", "reception_turns"]);
    }

    #[test]
    fn an_unknown_indicator_is_reported() {
        let tpl = "Text about all.bogus and own.x outside tags.\n{% if own.reception_turns %}\n{{ all.reception_turns | so }} {{ below.rule_code }}\n{{ on_time.own }} {{ x.all.y }} {{ 'prev.nope' }}\n{# own.in_comment #}\n{%- if prev.petition_total\n   and own['petition_totl'] %}{{ all[\"model_\" ~ s] }}{% endif %}\n";
        let v = report_indicators(
            CATALOGUE,
            &[SourceFile::new("crates/report/templates/t.txt.j2", tpl)],
        );
        let found: Vec<(usize, &str)> = v.iter().map(|v| (v.line, v.what.as_str())).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert!(found[0].1.starts_with("`below.rule_code`"), "{found:?}");
        assert_eq!(found[1].0, 7);
        assert!(found[1].1.starts_with("`own.petition_totl`"), "{found:?}");
    }
}
