//! The error a user reads: a Vietnamese message and where the problem is.

use std::fmt;

/// Where in the input a problem was found, so the message can point at it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Where {
    /// Nowhere in particular (a whole request, a configuration).
    Nowhere,
    /// A line of an imported file, 1-based, counting the header line.
    Line { line: usize },
    /// A named field of a form or a record.
    Field { field: String },
    /// A field on a line of an imported file.
    LineField { line: usize, field: String },
}

/// A domain error: a stable machine code plus a Vietnamese message naming
/// what is wrong and where. Errors are values users read, not panics.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DomainError {
    /// Stable identifier for API clients, e.g. `unit.unknown_parent`.
    pub code: &'static str,
    /// What is wrong, in Vietnamese.
    pub message: String,
    pub at: Where,
}

impl DomainError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        DomainError {
            code,
            message: message.into(),
            at: Where::Nowhere,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.at = match self.at {
            Where::Field { field } | Where::LineField { field, .. } => {
                Where::LineField { line, field }
            }
            _ => Where::Line { line },
        };
        self
    }

    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.at = match self.at {
            Where::Line { line } | Where::LineField { line, .. } => {
                Where::LineField { line, field }
            }
            _ => Where::Field { field },
        };
        self
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Where::Nowhere => write!(f, "{}", self.message),
            Where::Line { line } => write!(f, "Dòng {line}: {}", self.message),
            Where::Field { field } => write!(f, "Trường «{field}»: {}", self.message),
            Where::LineField { line, field } => {
                write!(f, "Dòng {line}, cột «{field}»: {}", self.message)
            }
        }
    }
}

impl std::error::Error for DomainError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_line_and_field() {
        let e = DomainError::new("unit.bad_date", "ngày không hợp lệ «2020-02-30»")
            .at_field("valid_from")
            .at_line(7);
        assert_eq!(
            e.to_string(),
            "Dòng 7, cột «valid_from»: ngày không hợp lệ «2020-02-30»"
        );
    }
}
