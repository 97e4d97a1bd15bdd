//! A small Rust lexer: enough to tell code from comments and string
//! literals, so a check never fires on a word in a comment or a message,
//! and can still read the paths and SQL that literals hold.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An identifier, keyword or number.
    Word,
    /// A string literal (any prefix, raw or not); the text is its contents
    /// as written, escapes kept.
    Str,
    /// A char or byte literal; the text is its contents.
    Char,
    /// One punctuation character (`::` is two tokens).
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    /// 1-based line where the token starts.
    pub line: usize,
}

/// A lexed Rust file.
pub struct Lexed {
    /// The source with comments and the contents of literals replaced by
    /// spaces; every newline kept, so lines match the source.
    pub code: String,
    /// The tokens, comments left out.
    pub tokens: Vec<Token>,
}

pub fn lex(src: &str) -> Lexed {
    let mut l = Lexer {
        chars: src.chars().collect(),
        i: 0,
        line: 1,
        code: String::with_capacity(src.len()),
        tokens: Vec::new(),
    };
    l.run();
    Lexed {
        code: l.code,
        tokens: l.tokens,
    }
}

struct Lexer {
    chars: Vec<char>,
    i: usize,
    line: usize,
    code: String,
    tokens: Vec<Token>,
}

impl Lexer {
    fn at(&self, k: usize) -> char {
        self.chars.get(k).copied().unwrap_or('\0')
    }

    /// Copy the next char to the code view as is.
    fn keep(&mut self) {
        let c = self.at(self.i);
        if c == '\n' {
            self.line += 1;
        }
        self.code.push(c);
        self.i += 1;
    }

    /// Blank the next char in the code view, and return it.
    fn blank(&mut self) -> char {
        let c = self.at(self.i);
        if c == '\n' {
            self.line += 1;
            self.code.push('\n');
        } else {
            self.code.push(' ');
        }
        self.i += 1;
        c
    }

    fn push(&mut self, kind: Kind, text: String, line: usize) {
        self.tokens.push(Token { kind, text, line });
    }

    fn run(&mut self) {
        while self.i < self.chars.len() {
            let c = self.at(self.i);
            let next = self.at(self.i + 1);
            if c == '/' && next == '/' {
                while self.i < self.chars.len() && self.at(self.i) != '\n' {
                    self.blank();
                }
            } else if c == '/' && next == '*' {
                self.block_comment();
            } else if c == '"' {
                self.string();
            } else if c == '\'' {
                self.quote();
            } else if crate::is_ident(c) {
                self.word();
            } else if c.is_whitespace() {
                self.keep();
            } else {
                self.push(Kind::Punct, c.to_string(), self.line);
                self.keep();
            }
        }
    }

    fn block_comment(&mut self) {
        let mut depth = 0;
        while self.i < self.chars.len() {
            let (c, next) = (self.at(self.i), self.at(self.i + 1));
            if c == '/' && next == '*' {
                depth += 1;
                self.blank();
                self.blank();
            } else if c == '*' && next == '/' {
                depth -= 1;
                self.blank();
                self.blank();
                if depth == 0 {
                    return;
                }
            } else {
                self.blank();
            }
        }
    }

    /// A word, or the prefix of a literal (`r"…"`, `br#"…"#`, `b'x'`,
    /// `c"…"`), or a raw identifier (`r#type`).
    fn word(&mut self) {
        let start = self.i;
        let mut j = self.i;
        while crate::is_ident(self.at(j)) {
            j += 1;
        }
        let word: String = self.chars[start..j].iter().collect();
        let after = self.at(j);
        let raw_string = matches!(word.as_str(), "r" | "br" | "cr") && {
            let mut k = j;
            while self.at(k) == '#' {
                k += 1;
            }
            self.at(k) == '"'
        };
        let line = self.line;
        while self.i < j {
            self.keep();
        }
        if raw_string {
            self.raw_string();
        } else if matches!(word.as_str(), "b" | "c") && after == '"' {
            self.string();
        } else if word == "b" && after == '\'' {
            self.quote();
        } else if word == "r" && after == '#' && crate::is_ident(self.at(j + 1)) {
            self.keep();
            let mut name = String::new();
            while crate::is_ident(self.at(self.i)) {
                name.push(self.at(self.i));
                self.keep();
            }
            self.push(Kind::Word, name, line);
        } else {
            self.push(Kind::Word, word, line);
        }
    }

    /// `"…"` with escapes.
    fn string(&mut self) {
        let line = self.line;
        self.keep();
        let mut text = String::new();
        while self.i < self.chars.len() {
            match self.at(self.i) {
                '"' => break,
                '\\' => {
                    text.push(self.blank());
                    if self.i < self.chars.len() {
                        text.push(self.blank());
                    }
                }
                _ => text.push(self.blank()),
            }
        }
        if self.i < self.chars.len() {
            self.keep();
        }
        self.push(Kind::Str, text, line);
    }

    /// `#…#"…"#…#`, at the first `#` or the quote.
    fn raw_string(&mut self) {
        let line = self.line;
        let mut hashes = 0;
        while self.at(self.i) == '#' {
            hashes += 1;
            self.keep();
        }
        self.keep();
        let mut text = String::new();
        while self.i < self.chars.len() {
            if self.at(self.i) == '"' && (1..=hashes).all(|h| self.at(self.i + h) == '#') {
                for _ in 0..=hashes {
                    self.keep();
                }
                break;
            }
            text.push(self.blank());
        }
        self.push(Kind::Str, text, line);
    }

    /// A char literal (`'x'`, `'\n'`, `'\u{1F600}'`) or a lifetime (`'a`).
    fn quote(&mut self) {
        let line = self.line;
        let escaped = self.at(self.i + 1) == '\\';
        if !escaped && self.at(self.i + 2) != '\'' {
            self.push(Kind::Punct, "'".into(), line);
            self.keep();
            return;
        }
        self.keep();
        let mut text = String::new();
        if escaped {
            text.push(self.blank());
            text.push(self.blank());
        }
        while self.i < self.chars.len() && self.at(self.i) != '\'' && self.at(self.i) != '\n' {
            text.push(self.blank());
        }
        if self.at(self.i) == '\'' {
            self.keep();
        }
        self.push(Kind::Char, text, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_literals_are_blanked_lines_kept() {
        let src = "let a = \"sqlx::x\"; // sqlx::y\n/* sqlx /* nested */ z */ b('{', r#\"q\"#)\n";
        let l = lex(src);
        assert!(!l.code.contains("sqlx"), "{}", l.code);
        assert!(!l.code.contains('{'), "{}", l.code);
        assert_eq!(l.code.lines().count(), src.lines().count());
        assert!(l.code.contains("b("));
        let strs: Vec<_> = l.tokens.iter().filter(|t| t.kind == Kind::Str).collect();
        assert_eq!(strs.len(), 2);
        assert_eq!((strs[0].text.as_str(), strs[0].line), ("sqlx::x", 1));
        assert_eq!((strs[1].text.as_str(), strs[1].line), ("q", 2));
    }

    #[test]
    fn lifetimes_escapes_and_raw_identifiers() {
        let l = lex(
            "fn f<'a>(x: &'a str) -> char { '\\'' }\nlet s = \"a\\\"b\"; r#type; br##\"x\"#y\"##",
        );
        let words: Vec<&str> = l
            .tokens
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.text.as_str())
            .collect();
        assert!(words.contains(&"type") && words.contains(&"a"), "{words:?}");
        let strs: Vec<&str> = l
            .tokens
            .iter()
            .filter(|t| t.kind == Kind::Str)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(strs, ["a\\\"b", "x\"#y"]);
        assert_eq!(l.tokens.iter().filter(|t| t.kind == Kind::Char).count(), 1);
    }
}
