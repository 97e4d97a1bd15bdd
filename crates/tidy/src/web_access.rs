//! Web handlers never decide who may see what: the store of `Ctx` acts as
//! the user and enforces the scope and roles. Checked in `crates/web/src`:
//! calls of `is_admin` (anywhere; its definition is fine), and `Role::Admin`
//! outside `auth.rs`, where a request's user is resolved.

use crate::lex::{Kind, Token, lex};
use crate::{SourceFile, Violation, finish};

const SCOPE: &str = "crates/web/src/";
const AUTH: &str = "crates/web/src/auth.rs";

/// Violations among `files`; files outside `crates/web/src` are ignored.
pub fn web_access(files: &[SourceFile]) -> Vec<Violation> {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with(SCOPE)) {
        let tokens = lex(&f.text).tokens;
        let word = |k: usize, w: &str| {
            tokens
                .get(k)
                .is_some_and(|t: &Token| t.kind == Kind::Word && t.text == w)
        };
        let punct = |k: usize, p: &str| {
            tokens
                .get(k)
                .is_some_and(|t| t.kind == Kind::Punct && t.text == p)
        };
        for (k, t) in tokens.iter().enumerate() {
            let defined = k > 0 && word(k - 1, "fn");
            if word(k, "is_admin") && punct(k + 1, "(") && !defined {
                out.push(Violation::new(
                    &f.path,
                    t.line,
                    "call of is_admin in the web crate: access is the store's decision",
                ));
            }
            if f.path != AUTH
                && word(k, "Role")
                && punct(k + 1, ":")
                && punct(k + 2, ":")
                && word(k + 3, "Admin")
            {
                out.push(Violation::new(
                    &f.path,
                    t.line,
                    "Role::Admin outside auth.rs: access is the store's decision",
                ));
            }
        }
    }
    finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_decisions_in_handlers_are_reported() {
        let page = "fn page(ctx: Ctx) {\n    if ctx.is_admin() {}\n    // ctx.is_admin() in a comment\n    let m = \"Role::Admin\";\n    if u.role == accounts::Role::Admin {}\n    if Ctx::is_admin(&ctx) {}\n    let r = Role::AdminLike;\n}\n";
        let auth = "pub fn is_admin(&self) -> bool {\n    self.user.role == accounts::Role::Admin\n}\nfn x(c: &Ctx) -> bool { c.is_admin() }\n";
        let v = web_access(&[
            SourceFile::new("crates/web/src/pages/users.rs", page),
            SourceFile::new("crates/web/src/auth.rs", auth),
            SourceFile::new("crates/store/src/accounts.rs", page),
        ]);
        let found: Vec<(&str, usize)> = v.iter().map(|v| (v.path.as_str(), v.line)).collect();
        assert_eq!(
            found,
            [
                ("crates/web/src/auth.rs", 4),
                ("crates/web/src/pages/users.rs", 2),
                ("crates/web/src/pages/users.rs", 5),
                ("crates/web/src/pages/users.rs", 6),
            ]
        );
    }
}
