//! The record kinds written through the generic table access
//! ([`crate::table`]): each module is one kind's [`crate::table::Table`]
//! (its table and columns, how a row reads, what it checks) and its
//! [`crate::record_import::Import`] (how its file reads). A kind is added
//! here with its module and one arm in [`import`].

pub mod cases;
pub mod consultations;
pub mod directives;
pub mod mediation;
pub mod oversight;
pub mod ratings;
pub mod reception;

use std::io::Read;

use danvan_core::records::consultation::Consultation;
use danvan_core::records::directive::Directive;
use danvan_core::records::kind::RecordKind;
use danvan_core::records::mediation::MediationCase;
use danvan_core::records::oversight::Oversight;
use danvan_core::records::petition::Case;
use danvan_core::records::rating::Rating;
use danvan_core::records::reception::Reception;

use crate::record_import::import_rows;
use crate::{Store, StoreError};

/// Import a file of a table kind: all rows or none (`None`: `kind` is not
/// one of them).
pub(crate) async fn import(
    store: &Store,
    kind: RecordKind,
    input: impl Read,
    progress: impl FnMut(),
) -> Option<Result<usize, StoreError>> {
    Some(match kind {
        RecordKind::Reception => import_rows::<Reception>(store, input, progress).await,
        RecordKind::Mediation => import_rows::<MediationCase>(store, input, progress).await,
        RecordKind::Oversight => import_rows::<Oversight>(store, input, progress).await,
        RecordKind::Directive => import_rows::<Directive>(store, input, progress).await,
        RecordKind::Case => import_rows::<Case>(store, input, progress).await,
        RecordKind::Rating => import_rows::<Rating>(store, input, progress).await,
        RecordKind::Consultation => import_rows::<Consultation>(store, input, progress).await,
        _ => return None,
    })
}
