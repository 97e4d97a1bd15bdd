//! The portal's front page, the unit search (diacritics ignored; a unit
//! merged since leads to the one that covers it today) and a unit's
//! «Hỏi – đáp».

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use danvan_store::units::{self, Unit, UnitTree};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{dmy, error_page, render, store};
use crate::pages::ser;
use crate::state::AppState;

pub async fn home(State(app): State<AppState>) -> Response {
    render(&app, StatusCode::OK, "public_home.html", context! {})
}

#[derive(Deserialize)]
pub struct Search {
    q: Option<String>,
}

/// A unit found: where to send, and what it was if it is gone.
#[derive(Serialize)]
struct Hit {
    /// The unit that receives today.
    id: i64,
    name: String,
    /// Its unit above, to tell communes of one name apart.
    above: String,
    /// The unit searched for, when it was merged into `name`.
    former: Option<String>,
    /// The unit searched for, when it is gone: the form says what became of it.
    former_id: Option<i64>,
    since: Option<String>,
}

/// Most units a search lists.
const HITS: usize = 30;

fn above(tree: &UnitTree, u: &Unit) -> String {
    u.parent_id
        .and_then(|p| tree.get(p))
        .map_or_else(String::new, Unit::full_name)
}

/// The units matching `q` that receive today: current units themselves,
/// and for a unit gone, the one that answers for it today.
fn hits(tree: &UnitTree, q: &str, today: chrono::NaiveDate) -> Vec<Hit> {
    let mut found: Vec<(u8, usize, Hit)> = Vec::new();
    for (i, u) in tree.all().iter().enumerate() {
        if u.is_country() {
            continue;
        }
        let Some(score) = crate::pages::units::matches(u, q) else {
            continue;
        };
        if u.valid_on(today) {
            found.push((
                score,
                i,
                Hit {
                    id: u.id,
                    name: u.full_name(),
                    above: above(tree, u),
                    former: None,
                    former_id: None,
                    since: None,
                },
            ));
            continue;
        }
        let now = tree.effective(u.id, today);
        if now == u.id {
            continue;
        }
        if let Some(n) = tree.get(now).filter(|n| n.valid_on(today)) {
            found.push((
                score,
                i,
                Hit {
                    id: n.id,
                    name: n.full_name(),
                    above: above(tree, n),
                    former: Some(format!("{} ({})", u.full_name(), above(tree, u))),
                    former_id: Some(u.id),
                    since: n.valid_from.map(dmy),
                },
            ));
        }
    }
    found.sort_by_key(|(score, i, _)| (*score, *i));
    found.into_iter().map(|(_, _, h)| h).take(HITS).collect()
}

/// `GET /cong-dan/don-vi?q=`: find the unit to send to.
pub async fn search(State(app): State<AppState>, Query(s): Query<Search>) -> Response {
    let store = store(&app);
    let tree = match units::tree(&store).await {
        Ok(t) => t,
        Err(e) => return error_page(&app, &e),
    };
    let q = s.q.unwrap_or_default();
    let q = q.trim();
    let found = if q.chars().count() >= 2 {
        hits(&tree, q, store.today())
    } else {
        Vec::new()
    };
    render(
        &app,
        StatusCode::OK,
        "public_units.html",
        context! { q => q, hits => ser(&found), searched => !q.is_empty() },
    )
}

/// `GET /cong-dan/don-vi/{id}/hoi-dap`: the unit's public answers.
pub async fn qa(State(app): State<AppState>, Path(id): Path<i64>) -> Response {
    let store = store(&app);
    let tree = match units::tree(&store).await {
        Ok(t) => t,
        Err(e) => return error_page(&app, &e),
    };
    let Some(unit) = tree.get(id).filter(|u| !u.is_country()) else {
        return error_page(
            &app,
            &danvan_store::StoreError::NotFound(format!("đơn vị mã số {id}")),
        );
    };
    let items = match danvan_store::portal::qa(&store, id).await {
        Ok(i) => i,
        Err(e) => return error_page(&app, &e),
    };
    let items: Vec<_> = items
        .into_iter()
        .map(|i| {
            context! {
                kind => i.kind, field => i.field, question => i.question,
                answer => i.answer, answered_on => dmy(i.answered_on),
            }
        })
        .collect();
    render(
        &app,
        StatusCode::OK,
        "public_qa.html",
        context! {
            unit => context! { id => unit.id, name => unit.full_name(), current => unit.valid_on(store.today()) },
            items => items,
        },
    )
}

/// `GET /cong-dan/don-vi/{id}/cong-khai`: what the commune has made public
/// and keeps up today, and the reception schedule of its leaders.
pub async fn disclosure(State(app): State<AppState>, Path(id): Path<i64>) -> Response {
    use danvan_store::disclosure as board;
    let store = store(&app);
    let tree = match units::tree(&store).await {
        Ok(t) => t,
        Err(e) => return error_page(&app, &e),
    };
    let Some(unit) = tree.get(id).filter(|u| !u.is_country()) else {
        return error_page(
            &app,
            &danvan_store::StoreError::NotFound(format!("đơn vị mã số {id}")),
        );
    };
    let (posted, slots) = match (
        board::public_now(&store, id).await,
        board::schedule(&store, id).await,
    ) {
        (Ok(p), Ok(s)) => (p, s),
        (Err(e), _) | (_, Err(e)) => return error_page(&app, &e),
    };
    let items: Vec<_> = posted
        .into_iter()
        .map(|p| {
            let p = p.publication;
            let item = danvan_core::disclosure::item(&p.item);
            context! {
                item => item.map(|i| i.title.clone()),
                article => item.map(|i| i.article.clone()),
                title => p.title,
                published_on => dmy(p.published_on),
                places => p.places.iter().map(|x| x.label()).collect::<Vec<_>>().join("; "),
                link => p.link,
                document => p.document,
            }
        })
        .collect();
    let slots: Vec<_> = slots
        .into_iter()
        .map(|s| {
            context! {
                leader => s.slot.leader, position => s.slot.position,
                when => s.slot.when, place => s.slot.place,
            }
        })
        .collect();
    render(
        &app,
        StatusCode::OK,
        "public_disclosure.html",
        context! {
            unit => context! { id => unit.id, name => unit.full_name(), current => unit.valid_on(store.today()) },
            items => items,
            slots => slots,
        },
    )
}
