//! Record types: what happens at a unit on a date. Each validates itself
//! and says what it contributes to the fact store.

pub mod dataset;
pub mod directive;
pub mod dossier;
pub mod kind;
pub mod mediation;
pub mod meeting;
pub mod model;
pub mod oversight;
pub mod petition;
pub mod reception;
