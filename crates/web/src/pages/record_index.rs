//! Ghi nhận: where every kind of record is entered, one link per type
//! (and its form, for a role that may write it).

use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use danvan_core::access::{Entity, Setting};
use danvan_core::records::kind::RecordKind;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Serialize)]
struct Kind {
    title: &'static str,
    what: &'static str,
    url: &'static str,
    may_write: bool,
}

/// The definitions data values are entered against: not records, but
/// listed beside them.
const DEFINITIONS: [(&str, &str, &str, Setting); 2] = [
    (
        "Chỉ tiêu số liệu",
        "Định nghĩa chỉ tiêu: tên, đơn vị tính, kiểu giá trị, cách tổng hợp, phân tổ.",
        "/ghi-nhan/chi-tieu",
        Setting::DataElement,
    ),
    (
        "Bộ chỉ tiêu số liệu",
        "Gom các chỉ tiêu nhập cùng nhau theo tháng, quý, 6 tháng hoặc năm.",
        "/ghi-nhan/bo-chi-tieu",
        Setting::DataSet,
    ),
];

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    let role = ctx.user.role;
    // Every registered kind with pages of its own, then the definitions.
    let records = RecordKind::ALL.into_iter().filter_map(|k| {
        let d = k.def();
        d.page.map(|url| Kind {
            title: d.title,
            what: d.about,
            url,
            may_write: role.may(Entity::Record(k)),
        })
    });
    let definitions = DEFINITIONS.iter().map(|&(title, what, url, s)| Kind {
        title,
        what,
        url,
        may_write: role.may(Entity::Setting(s)),
    });
    let kinds: Vec<Kind> = records.chain(definitions).collect();
    super::render(
        &app,
        Some(&ctx),
        "records.html",
        context! { kinds => ser(&kinds) },
    )
}
