//! The database: one store on SQLite or PostgreSQL, migrations, units,
//! records and the live fact store.
//!
//! **Architecture invariant:** only this crate speaks SQL. Every record
//! write updates the facts in the same transaction; every figure is read
//! from facts, never by scanning records.

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod catalogue_entries;
pub mod chain;
pub mod datasets;
mod db;
pub mod deadlines;
pub mod disclosure;
pub mod dossiers;
pub mod drafts;
mod error;
pub mod facts;
mod fast_hash;
pub mod import_jobs;
pub mod issuers;
mod kinds;
pub mod listing;
pub mod meetings;
mod migrate;
pub mod models;
pub mod notices;
pub mod petitions;
mod pg_copy;
mod placing;
pub mod portal;
pub mod profile;
pub mod record_import;
pub mod scoring;
mod sqlite_bulk;
pub mod table;
pub mod unit_import;
pub mod units;
mod version;

pub use db::{
    Actor, DataVersion, Engine, Store, Subtree, create_postgres_database, drop_postgres_database,
};
pub use error::StoreError;
pub use kinds::*;
pub use version::Version;
