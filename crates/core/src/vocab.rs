//! Closed vocabularies of the domain (kinds, contents, outcomes…): each
//! value has a stable English code for storage and APIs and the Vietnamese
//! label users read and type. Parsing accepts either, diacritics optional.

/// Declares a vocabulary enum with `code()`, `label()`, `ALL` and `parse()`.
#[macro_export]
macro_rules! vocab {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $code:literal, $label:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Stable code stored in the database and used by the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Vietnamese label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Accepts the code or the Vietnamese label, diacritics optional.
            pub fn parse(s: &str) -> Result<$name, $crate::DomainError> {
                let f = $crate::text::fold(s);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == f || $crate::text::fold(v.label()) == f)
                    .ok_or_else(|| {
                        let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.label()).collect();
                        $crate::DomainError::new(
                            concat!(stringify!($name), ".unknown"),
                            format!("{} «{}» không hợp lệ; dùng một trong: {}", $what, s, allowed.join(", ")),
                        )
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
