//! Corrections as a careful client makes them: the record's version read
//! first, then the change naming it. A record the store can not read is
//! named at version 1, so a refusal comes from the change itself.

use danvan_core::records::mediation::MediationCase;
use danvan_core::records::meeting::FollowUp;
use danvan_core::records::model::ModelYear;
use danvan_core::records::petition::{Case, Petition};
use danvan_core::records::reception::Reception;
use danvan_store::petitions::{self, Viewer};
use danvan_store::{Store, StoreError, Version, mediation, meetings, models, reception};

/// The version read, or 1 when the record could not be read.
fn read<T>(r: Result<(T, Version), StoreError>) -> Version {
    r.map_or(Version(1), |g| g.1)
}

pub async fn petition(s: &Store, id: i64, p: &Petition, viewer: Viewer) -> Result<(), StoreError> {
    let v = read(petitions::get_for_edit(s, id, viewer).await);
    petitions::update(s, id, p, viewer, v).await
}

pub async fn case(s: &Store, id: i64, c: &Case) -> Result<(), StoreError> {
    let v = read(petitions::get_case_for_edit(s, id).await);
    petitions::update_case(s, id, c, v).await
}

pub async fn reception(s: &Store, id: i64, r: &Reception) -> Result<(), StoreError> {
    let v = read(reception::get_for_edit(s, id).await);
    reception::update(s, id, r, v).await
}

pub async fn mediation(s: &Store, id: i64, m: &MediationCase) -> Result<(), StoreError> {
    let v = read(mediation::get_for_edit(s, id).await);
    mediation::update(s, id, m, v).await
}

/// The follow-up of a meeting's `index`-th opinion.
pub async fn follow_up(s: &Store, id: i64, index: usize, f: FollowUp) -> Result<(), StoreError> {
    let v = read(meetings::get_for_edit(s, id).await);
    meetings::set_follow_up(s, id, index, f, v).await
}

/// One year of a model.
pub async fn model_year(s: &Store, id: i64, y: &ModelYear) -> Result<(), StoreError> {
    let v = read(models::get_for_edit(s, id).await);
    models::set_year(s, id, y, v).await
}
