//! Every route is walked: `crates/web/tests/route_walk.rs` calls each route
//! as an officer of another unit and fails on any answer but 403/404, so a
//! route missing from its map is a route whose access was never checked.
//! The walk itself fails on a missing route too, but only when the slow
//! web tests run; this says so at once.

use std::collections::BTreeSet;

use crate::lex::{Kind, Token, lex};
use crate::{SourceFile, Violation, finish};

const METHODS: &[(&str, &str)] = &[
    ("get", "GET"),
    ("post", "POST"),
    ("put", "PUT"),
    ("delete", "DELETE"),
    ("patch", "PATCH"),
];

/// A route: method (`GET`) and path pattern, where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: String,
    pub path: String,
    pub line: usize,
}

/// Routes registered in `src`: `.get("/path", handler)` and the like, the
/// path a literal starting with `/` followed by a second argument (which
/// tells a route from `map.get("/x")`).
pub fn registered(src: &str) -> Vec<Route> {
    let t = lex(src).tokens;
    let mut out = Vec::new();
    for k in 0..t.len() {
        let Some((_, method)) = METHODS.iter().find(|(m, _)| is(&t, k + 1, Kind::Word, m)) else {
            continue;
        };
        if is(&t, k, Kind::Punct, ".")
            && is(&t, k + 2, Kind::Punct, "(")
            && is(&t, k + 4, Kind::Punct, ",")
            && t.get(k + 3)
                .is_some_and(|s| s.kind == Kind::Str && s.text.starts_with('/'))
        {
            out.push(Route {
                method: method.to_string(),
                path: t[k + 3].text.clone(),
                line: t[k + 3].line,
            });
        }
    }
    out
}

/// Routes in the walk's map: tuples `(M::GET, "/path", how)`, the method
/// any path ending in an upper-case method name.
pub fn walked(src: &str) -> Vec<Route> {
    let t = lex(src).tokens;
    let mut out = Vec::new();
    for k in 0..t.len() {
        let Some((_, method)) = METHODS.iter().find(|(_, m)| is(&t, k + 2, Kind::Word, m)) else {
            continue;
        };
        // The tuple's opening parenthesis, before the method's path.
        let mut start = k;
        while start > 0 && (t[start - 1].kind == Kind::Word || t[start - 1].text == ":") {
            start -= 1;
        }
        if start < k
            && start > 0
            && is(&t, start - 1, Kind::Punct, "(")
            && is(&t, k, Kind::Punct, ":")
            && is(&t, k + 1, Kind::Punct, ":")
            && is(&t, k + 3, Kind::Punct, ",")
            && t.get(k + 4).is_some_and(|s| s.kind == Kind::Str)
            && is(&t, k + 5, Kind::Punct, ",")
        {
            out.push(Route {
                method: method.to_string(),
                path: t[k + 4].text.clone(),
                line: t[k + 4].line,
            });
        }
    }
    out
}

fn is(t: &[Token], k: usize, kind: Kind, text: &str) -> bool {
    t.get(k).is_some_and(|t| t.kind == kind && t.text == text)
}

/// Violations: routes registered in `sources` and not in `walk`.
pub fn route_walk(sources: &[SourceFile], walk: &SourceFile) -> Vec<Violation> {
    let walked: BTreeSet<(String, String)> = walked(&walk.text)
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    let mut out = Vec::new();
    for f in sources {
        for r in registered(&f.text) {
            if !walked.contains(&(r.method.clone(), r.path.clone())) {
                out.push(Violation::new(
                    &f.path,
                    r.line,
                    format!(
                        "route {} {} is not walked by {}",
                        r.method, r.path, walk.path
                    ),
                ));
            }
        }
    }
    finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WALK: &str = "fn walk_map() -> Vec<(Method, &'static str, How)> {\n    use Method as M;\n    vec![\n        (M::GET, \"/healthz\", open(|_| get(\"/x\".into()))),\n        (\n            M::POST,\n            \"/nhap-tep\",\n            open(|_| post(\"/nhap-tep\")),\n        ),\n        // (M::PUT, \"/api/x/{id}\", …),\n    ]\n}\nfn f() { call(M::GET, \"/nhap-tep\") }\n";

    #[test]
    fn a_route_missing_from_the_walk_is_reported() {
        let lib = "pub fn routes() -> Routes {\n    let r = Routes::default()\n        .get(\"/healthz\", || async { \"ok\" })\n        .get(\"/nhap-tep\", page)\n        .post(\n            \"/nhap-tep\",\n            start.layer(limit),\n        );\n    let c = headers.get(\"/cookie\");\n    r\n}\n";
        let api = "pub fn routes(r: Routes) -> Routes {\n    r.put(\"/api/x/{id}\", update)\n}\n";
        let v = route_walk(
            &[
                SourceFile::new("crates/web/src/lib.rs", lib),
                SourceFile::new("crates/web/src/api_x.rs", api),
            ],
            &SourceFile::new("crates/web/tests/route_walk.rs", WALK),
        );
        let found: Vec<String> = v.iter().map(|v| v.to_string()).collect();
        assert_eq!(
            found,
            [
                "crates/web/src/api_x.rs:2: route PUT /api/x/{id} is not walked by crates/web/tests/route_walk.rs",
                "crates/web/src/lib.rs:4: route GET /nhap-tep is not walked by crates/web/tests/route_walk.rs",
            ]
        );
    }
}
