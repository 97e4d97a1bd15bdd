//! The database: one store on SQLite or PostgreSQL, migrations, units,
//! records and the live fact store.
//!
//! **Architecture invariant:** only this crate speaks SQL. Every record
//! write updates the facts in the same transaction; every figure is read
//! from facts, never by scanning records.

mod db;
pub mod deadlines;
mod error;
pub mod facts;
mod migrate;
pub mod petitions;
pub mod reception;
pub mod record_import;
pub mod unit_import;
pub mod units;

pub use db::{Engine, Store};
pub use error::StoreError;
