//! The record kinds whose pages and API are the generic ones
//! ([`pages`], [`api`]): each module is what one kind's pages say of
//! their own ([`pages::KindPage`]). A kind is added here with its module
//! and a line in [`routes`] (and, for its API, one in [`openapi`]).

pub mod api;
pub mod cases;
pub mod consultations;
pub mod directives;
pub mod mediation;
pub mod oversight;
pub mod pages;
pub mod ratings;
pub mod receptions;

use danvan_core::records::consultation::Consultation;
use danvan_core::records::directive::Directive;
use danvan_core::records::mediation::MediationCase;
use danvan_core::records::oversight::Oversight;
use danvan_core::records::petition::Case;
use danvan_core::records::rating::Rating;
use danvan_core::records::reception::Reception;
use utoipa::Modify;

use crate::routes::Routes;

/// The kinds' pages and generic APIs.
pub fn routes(r: Routes) -> Routes {
    let r = pages::routes::<Reception>(r);
    let r = pages::routes::<MediationCase>(r);
    let r = pages::routes::<Oversight>(r);
    let r = pages::routes::<Directive>(r);
    let r = pages::routes::<Case>(r);
    let r = pages::routes::<Rating>(r);
    let r = pages::routes::<Consultation>(r)
        .post("/ghi-nhan/lay-y-kien/{id}/phieu", consultations::add_paper)
        .post("/ghi-nhan/lay-y-kien/{id}/tong-hop", consultations::publish);
    let r = api::routes::<MediationCase>(r);
    let r = api::routes::<Oversight>(r);
    let r = api::routes::<Rating>(r);
    let r = api::routes::<Consultation>(r);
    api::routes::<Case>(r)
}

/// The OpenAPI paths of the kinds' generic APIs.
pub fn openapi(doc: &mut utoipa::openapi::OpenApi) {
    api::KindPaths::<MediationCase>::default().modify(doc);
    api::KindPaths::<Oversight>::default().modify(doc);
    api::KindPaths::<Rating>::default().modify(doc);
    api::KindPaths::<Consultation>::default().modify(doc);
    api::KindPaths::<Case>::default().modify(doc);
}
