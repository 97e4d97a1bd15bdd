//! Petitions (đơn thư) and cases (vụ việc): writes keep facts in step in
//! one transaction, lifecycle steps go through core's state machine, and
//! deadlines come from the rule table and day schedule stored as data.
//!
//! **Denouncer secrecy** is enforced here: every function that returns a
//! petition takes a [`Viewer`] and masks the sender of a denunciation
//! unless the viewer is assigned to it (`petition_assignment`). There is
//! no unmasked read outside this module. The audit log keeps petitions
//! masked too, with the identity apart ([`logged`](access::logged)), read
//! back only by [`logged_identity`] for an assigned viewer. Only an
//! assigned viewer may change a denouncer's identity or the kind of a
//! denunciation.

mod access;
pub(crate) mod backfill;
mod check;
mod due;
mod page;
mod read;
mod row;
mod write;

use chrono::NaiveDate;
use danvan_core::records::petition::{Petition, PetitionStatus};
use serde::Serialize;

/// Cases under the names the petition pages and the demo know; the table
/// access itself is [`crate::cases`].
pub use crate::cases::{
    all as all_cases, get as get_case, get_for_edit as get_case_for_edit, insert as insert_case,
    update as update_case,
};
pub use access::{assign, assignees, candidates, logged_identity, unassign};
pub use due::{
    DeadlineKind, DueFilter, DueItem, DueSummary, due_for_official, due_list, due_summary,
};
pub(crate) use page::status_sql;
pub use page::{COUNT_CAP, Cursor, MAX_PAGE, Page, PageKey, count, page};
pub use read::{Filter, get, get_for_edit, list};
pub(crate) use row::load_tx;
pub(crate) use row::{COLUMNS as ROW_COLUMNS, row_to_petition};
pub use write::{delete, insert, insert_many, transition, update};
pub(crate) use write::{insert_many_tx, search_folded, sender_folded};

/// Who is reading. Only an official id for now; accounts and roles come
/// with the web layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Viewer {
    pub official_id: i64,
}

/// A petition as a viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredPetition {
    pub id: i64,
    pub status: PetitionStatus,
    /// True when the sender was replaced by `***` for this viewer.
    pub identity_masked: bool,
    pub petition: Petition,
}

/// The record types' names in the audit log.
const ENTITY: &str = "petition";
/// Who may assign handlers, as a kind of change roles are checked against.
const ASSIGNMENT: &str = "petition_assignment";

fn not_found(id: i64) -> String {
    format!("đơn số {id}")
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
