//! The pages every record kind has, written once: its list, the form of a
//! new record, a record's page with its history, its correction and its
//! deletion, at the kind's address in the registry. A kind says only what
//! is its own ([`KindPage`]): its columns, fields, parsing and rows; its
//! routes are one call of [`routes`].

use std::collections::HashMap;
use std::future::Future;

use chrono::NaiveDate;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_store::listing::IdCursor;
use danvan_store::table::{self, Table};
use danvan_store::{Store, StoreError};
use minijinja::context;

use crate::auth::Ctx;
use crate::forms::{Field, Submitted};
use crate::pages::records::{self, DetailPage, FormPage, ListPage, ListQuery, ListRow, RecordType};
use crate::routes::Routes;
use crate::state::AppState;

/// Unit names by id, as lists and record pages show them.
pub type Names = HashMap<i64, String>;

/// The name of unit `id`, or nothing when the viewer cannot see it.
pub fn name(names: &Names, id: i64) -> String {
    names.get(&id).cloned().unwrap_or_default()
}

/// What a record kind's pages say of their own; the rest is generic.
pub trait KindPage: Table {
    /// The headings of the list's columns; [`KindPage::cells`] fills them.
    const HEADINGS: &'static [&'static str];
    /// The title of the form of a new record: "Ghi nhận vụ việc hòa giải".
    const FORM_TITLE: &'static str;
    /// The link back from a record to its list: "Danh sách tiếp công dân".
    const BACK_LABEL: &'static str;
    /// The date fields a new form fills with today.
    const DATES: &'static [&'static str];
    /// Whether the list has a search box ([`KindPage::search`]).
    const SEARCH: bool = false;
    /// The template of a record's page: `record.html`, or one extending
    /// it whose `extra` block shows what [`KindPage::extra`] gives.
    const TEMPLATE: &'static str = "record.html";

    fn cells(&self, id: i64, names: &Names) -> Vec<String>;
    fn fields(ctx: &Ctx) -> impl Future<Output = Result<Vec<Field>, StoreError>> + Send;
    /// The record a form describes, or `None` with the errors noted.
    fn parse(fields: &[Field], s: &mut Submitted) -> Option<Self>;
    /// The record as its edit form shows it.
    fn form(&self) -> Submitted;
    /// The rows of the record's page, as label and value.
    fn detail(&self, names: &Names) -> Vec<(&'static str, String)>;

    /// The defaults of a new form besides the unit and today's dates.
    fn defaults(_s: &mut Submitted) {}

    /// The record's page heading: "Vụ việc hòa giải số 3".
    fn heading(&self, id: i64) -> String {
        let noun = Self::KIND.def().noun;
        let mut c = noun.chars();
        let first = c.next().map(|f| f.to_uppercase().collect::<String>());
        format!("{}{} số {id}", first.unwrap_or_default(), c.as_str())
    }

    /// Rows of the record's page that need the store (what other records
    /// point at it); none by default.
    fn related(
        _store: &Store,
        _id: i64,
    ) -> impl Future<Output = Result<Vec<(&'static str, String)>, StoreError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// What a page of its own template shows beyond the rows (its
    /// answers, the forms that add to them); nothing by default.
    fn extra(
        _ctx: &Ctx,
        _id: i64,
    ) -> impl Future<Output = Result<minijinja::Value, StoreError>> + Send {
        async { Ok(context! {}) }
    }

    /// The records a list shows, of the period `days` when given, on the
    /// page `cursor` names, one more than a page (to tell whether another
    /// page follows); a kind with a search box overrides it.
    fn search(
        store: &Store,
        _words: &str,
        unit: Option<i64>,
        days: Option<(NaiveDate, NaiveDate)>,
        cursor: IdCursor,
    ) -> impl Future<Output = Result<Vec<(i64, Self)>, StoreError>> + Send {
        table::list_page(store, unit, days, records::PAGE + 1, cursor)
    }
}

/// Where the kind's pages are: its list's path in the registry.
pub fn base<K: KindPage>() -> &'static str {
    K::KIND
        .def()
        .page
        .expect("a kind with pages has a page in the registry")
}

fn record_type<K: KindPage>() -> RecordType {
    RecordType {
        base: base::<K>(),
        entity: K::KIND.def().code,
        noun: K::KIND.def().noun,
    }
}

/// The kind's routes: list, new, create, page, edit, update and delete.
pub fn routes<K: KindPage>(r: Routes) -> Routes {
    let b = base::<K>();
    r.get(b, list::<K>)
        .post(b, create::<K>)
        .get(format!("{b}/moi"), new_form::<K>)
        .get(format!("{b}/{{id}}"), page::<K>)
        .get(format!("{b}/{{id}}/sua"), edit_form::<K>)
        .post(format!("{b}/{{id}}/sua"), update::<K>)
        .post(format!("{b}/{{id}}/xoa"), delete::<K>)
}

pub async fn list<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Response {
    let days = match q.days() {
        Ok(d) => d,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e.into()),
    };
    let read = |cursor| K::search(&ctx.store, q.words(), q.unit(), days, cursor);
    let mut cursor = q.cursor();
    let (got, next, previous) = loop {
        let got = match read(cursor).await {
            Ok(g) => g,
            Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
        };
        match records::paged(got, |r| r.0, cursor) {
            Some(p) => break p,
            // Nothing newer left: the first page, whole.
            None => cursor = IdCursor::First,
        }
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let b = base::<K>();
    let rows = got
        .into_iter()
        .map(|(id, r)| ListRow {
            url: format!("{b}/{id}"),
            cells: r.cells(id, &names),
        })
        .collect();
    let page = ListPage {
        title: K::KIND.def().title,
        base: b,
        entity: K::KIND.def().code,
        columns: K::HEADINGS,
        rows,
        search: K::SEARCH,
        periods: true,
        next,
        previous,
        ..Default::default()
    };
    records::render_list(&app, &ctx, page, &q).await
}

fn form_page<K: KindPage>(fields: &[Field]) -> FormPage<'_> {
    FormPage::new(K::FORM_TITLE, base::<K>(), vec![("", fields)])
}

pub async fn new_form<K: KindPage>(State(app): State<AppState>, ctx: Ctx) -> Response {
    let fields = match K::fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    };
    let mut s = records::defaults(&ctx, K::DATES);
    K::defaults(&mut s);
    records::render_form(&app, &ctx, &form_page::<K>(&fields), &s, StatusCode::OK)
}

pub async fn create<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    let fields = match K::fields(&ctx).await {
        Ok(f) => f,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    };
    let page = form_page::<K>(&fields);
    let mut s = Submitted::new(values);
    let Some(r) = K::parse(&fields, &mut s) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match table::insert(&ctx.store, &r).await {
        Ok(id) => Redirect::to(&format!("{}/{id}", base::<K>())).into_response(),
        Err(e) => {
            s.store_error(&e);
            records::render_form(&app, &ctx, &page, &s, records::refused(&e))
        }
    }
}

pub async fn edit_form<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Response {
    let ((r, v), fields) =
        match tokio::try_join!(table::get_for_edit::<K>(&ctx.store, id), K::fields(&ctx)) {
            Ok(got) => got,
            Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
        };
    let page = record_type::<K>().edit_form(id, vec![("", &fields)]);
    let s = records::with_version(r.form(), v);
    records::render_form(&app, &ctx, &page, &s, StatusCode::OK)
}

/// Save a corrected record: the same checks as a new one; the store moves
/// its facts in the same transaction and refuses a stale version.
pub async fn update<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> Response {
    // Out of reach or gone: not found, whatever the form says.
    let fields = match tokio::try_join!(table::get::<K>(&ctx.store, id), K::fields(&ctx)) {
        Ok((_, f)) => f,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    };
    let t = record_type::<K>();
    let page = t.edit_form(id, vec![("", &fields)]);
    let mut s = Submitted::new(values);
    let read = records::version_of(&mut s);
    let (Some(r), Some(read)) = (K::parse(&fields, &mut s), read) else {
        return records::render_form(&app, &ctx, &page, &s, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let store = match records::late_store(&ctx, &s) {
        Ok(store) => store,
        Err(e) => {
            s.store_error(&e);
            return records::render_form(&app, &ctx, &page, &s, records::refused(&e));
        }
    };
    let saved = table::update(&store, id, &r, read).await;
    t.updated(&app, &ctx, &page, &mut s, id, saved)
}

pub async fn delete<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Response {
    let t = record_type::<K>();
    t.deleted(&app, &ctx, table::delete::<K>(&ctx.store, id).await)
}

pub async fn page<K: KindPage>(
    State(app): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Response {
    let r: K = match table::get(&ctx.store, id).await {
        Ok(r) => r,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    };
    let names = records::unit_names(&ctx.store).await.unwrap_or_default();
    let mut rows = r.detail(&names);
    match K::related(&ctx.store, id).await {
        Ok(more) => rows.extend(more),
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    }
    let extra = match K::extra(&ctx, id).await {
        Ok(v) => v,
        Err(e) => return crate::pages::error_page(&app, Some(&ctx), &e),
    };
    let t = record_type::<K>();
    let page = DetailPage {
        template: K::TEMPLATE,
        title: r.heading(id),
        back: base::<K>(),
        back_label: K::BACK_LABEL,
        rows,
        tables: vec![],
        history: records::history(&ctx.store, t.entity, &id.to_string()).await,
        actions: t.actions(&ctx, id, true, true),
    };
    records::render_detail(&app, &ctx, page, extra, StatusCode::OK)
}
