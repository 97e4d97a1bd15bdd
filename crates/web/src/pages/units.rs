//! Đơn vị: the unit tree of the user's subtree, with a search that ignores
//! diacritics and case ("dat tong" finds "Đạ Tông"; đ folds to d). The
//! same folding function serves both engines, in Rust.

use axum::extract::{Query, State};
use axum::response::Response;
use danvan_core::number;
use danvan_core::text::search_match;
use danvan_store::units::{self, Share, Unit, UnitTree, WHOLE};
use danvan_store::{Store, StoreError};
use minijinja::context;

use super::ser;
use serde::{Deserialize, Serialize};

use crate::auth::Ctx;
use crate::state::AppState;

/// The units a user may pick: their subtree, in tree order (parents before
/// children, by name), each with its depth below the subtree's root.
pub async fn visible(store: &Store) -> Result<Vec<(usize, Unit)>, StoreError> {
    Ok(visible_with_tree(store).await?.0)
}

/// [`visible`] and the tree they come from.
async fn visible_with_tree(
    store: &Store,
) -> Result<(Vec<(usize, Unit)>, std::sync::Arc<UnitTree>), StoreError> {
    let tree = units::tree(store).await?;
    let list = tree
        .in_tree_order(store.scope().map(|s| s.root))
        .into_iter()
        .map(|(d, u)| (d, u.clone()))
        .collect();
    Ok((list, tree))
}

/// How well the query matches the unit's name, kind word or code,
/// diacritics ignored, one typing slip per word allowed (see
/// [`danvan_core::text::search_match`]); `None` when it does not.
pub fn matches(u: &Unit, query: &str) -> Option<u8> {
    search_match(query, &format!("{} {}", u.full_name(), u.code))
}

/// The units matching `query`, exact matches first, each group in tree
/// order.
fn search<'a>(list: &'a [(usize, Unit)], query: &str) -> Vec<&'a (usize, Unit)> {
    let mut hits: Vec<(u8, usize, &(usize, Unit))> = list
        .iter()
        .enumerate()
        .filter_map(|(i, e)| matches(&e.1, query).map(|score| (score, i, e)))
        .collect();
    hits.sort_by_key(|(score, i, _)| (*score, *i));
    hits.into_iter().map(|(_, _, e)| e).collect()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    /// Từ cần tìm trong tên, loại hoặc mã đơn vị, có dấu hoặc không («da tong»).
    q: Option<String>,
}

/// A unit as listed: its full name, depth in the tree and validity.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = UnitRow)]
pub struct Row {
    id: i64,
    code: String,
    /// Tên đầy đủ, ví dụ «xã Đạ Tông».
    name: String,
    /// Độ sâu dưới đơn vị gốc của người dùng.
    depth: usize,
    /// Thời gian hiệu lực, ví dụ «… – 30/06/2025»; trống khi còn hiệu lực.
    valid: String,
    /// Các đơn vị kế thừa, kèm tỷ lệ khi đơn vị bị chia, ví dụ «phường Ngọc
    /// Hà (50,76%); phường Giảng Võ (49,24%)».
    successors: String,
    /// Các đơn vị trước sắp xếp được hợp vào đơn vị này, kèm tỷ lệ của phần
    /// nhận từ đơn vị bị chia.
    predecessors: String,
}

/// "xã A; xã B (46,54%)": units with the share of a part.
fn shares(tree: &UnitTree, list: &[Share]) -> String {
    list.iter()
        .filter_map(|s| {
            let name = tree.get(s.unit_id)?.full_name();
            Some(if s.is_part() {
                let pct =
                    number::percent(i64::from(s.share), i64::from(WHOLE), 2).unwrap_or_default();
                format!("{name} ({pct})")
            } else {
                name
            })
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn row(tree: &UnitTree, depth: usize, u: &Unit) -> Row {
    let valid = match (u.valid_from, u.valid_to) {
        (None, None) => String::new(),
        (f, t) => format!(
            "{} – {}",
            f.map_or("…".into(), |d| d.format("%d/%m/%Y").to_string()),
            t.map_or("…".into(), |d| d.format("%d/%m/%Y").to_string())
        ),
    };
    Row {
        id: u.id,
        code: u.code.clone(),
        name: u.full_name(),
        depth,
        valid,
        successors: shares(tree, &tree.successors(u.id)),
        predecessors: shares(tree, tree.predecessors(u.id)),
    }
}

pub async fn page(State(app): State<AppState>, ctx: Ctx, Query(s): Query<Search>) -> Response {
    let (list, tree) = match visible_with_tree(&ctx.store).await {
        Ok(l) => l,
        Err(e) => return super::error_page(&app, Some(&ctx), &e),
    };
    let q = s.q.unwrap_or_default();
    let rows: Vec<Row> = if q.trim().is_empty() {
        list.iter().map(|(d, u)| row(&tree, *d, u)).collect()
    } else {
        search(&list, &q)
            .into_iter()
            .map(|(_, u)| row(&tree, 0, u))
            .collect()
    };
    super::render(
        &app,
        Some(&ctx),
        "units.html",
        context! { q => q, rows => ser(&rows), total => list.len() },
    )
}

/// Body of `GET /api/units/search`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UnitList {
    /// At most 100 units, in tree order.
    pub units: Vec<Row>,
}

/// `GET /api/units/search?q=`: the same search as JSON, for pickers.
#[utoipa::path(get, path = "/api/units/search", tag = "units", operation_id = "units_search",
    params(Search),
    responses((status = 200, description = "Đơn vị của người dùng khớp từ cần tìm (tối đa 100).", body = UnitList)))]
pub async fn api_search(ctx: Ctx, Query(s): Query<Search>) -> Response {
    use axum::response::IntoResponse;
    let q = s.q.unwrap_or_default();
    match visible_with_tree(&ctx.store).await {
        Ok((list, tree)) => axum::Json(UnitList {
            units: search(&list, &q)
                .into_iter()
                .take(100)
                .map(|(d, u)| row(&tree, *d, u))
                .collect(),
        })
        .into_response(),
        Err(e) => crate::api_petitions::ApiError::from(e).into_response(),
    }
}
