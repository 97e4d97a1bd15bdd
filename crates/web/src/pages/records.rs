//! What the record pages of "Ghi nhận" share: the unit filter, unit names,
//! a record's change history, and the generic list, form and detail
//! templates, so each record type only says what its fields are.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_store::listing::IdCursor;
use danvan_store::{Store, StoreError, Version, audit, units};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use super::ser;
use crate::auth::Ctx;
use crate::forms::{self, Field, Submitted};
use crate::state::AppState;

/// How many records a list page shows.
pub const PAGE: i64 = 200;

/// The filters of a list page: a unit of the user's subtree, and for the
/// types that have them, words to search and a data set.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub don_vi: Option<String>,
    pub q: Option<String>,
    pub bo: Option<String>,
    /// A period code ("2020-H1"): only the records of that period.
    pub ky: Option<String>,
    /// `xlsx`: the rows shown, as a spreadsheet.
    pub dinh_dang: Option<String>,
    /// The page's number, from 1 (the newest records): shown and kept in
    /// the links; where the page starts is its key below.
    pub trang: Option<String>,
    /// The page after the record with this number (older records).
    pub sau: Option<String>,
    /// The page before the record with this number (newer records).
    pub truoc: Option<String>,
}

impl ListQuery {
    /// The unit chosen, if any (the store refuses one outside the subtree).
    pub fn unit(&self) -> Option<i64> {
        nonempty(&self.don_vi).and_then(|s| s.parse().ok())
    }

    pub fn words(&self) -> &str {
        nonempty(&self.q).unwrap_or("")
    }

    /// The page's number as the link says, from 1; 1 without a key.
    pub fn page(&self) -> i64 {
        if self.cursor() == IdCursor::First {
            return 1;
        }
        nonempty(&self.trang)
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    }

    /// Which page, by key: anything unreadable is the first.
    pub fn cursor(&self) -> IdCursor {
        let key = |s: &Option<String>| nonempty(s).and_then(|s| s.parse::<i64>().ok());
        match (key(&self.sau), key(&self.truoc)) {
            (Some(k), _) => IdCursor::Below(k),
            (None, Some(k)) => IdCursor::Above(k),
            (None, None) => IdCursor::First,
        }
    }

    /// The list's filters as a query string, for page `page` starting
    /// after (`sau`) or ending before (`truoc`) a record; the first page
    /// without a key.
    fn link(&self, page: i64, key: Option<(&str, i64)>) -> String {
        let mut pairs = vec![
            ("don_vi", nonempty(&self.don_vi).unwrap_or("").to_string()),
            ("q", self.words().to_string()),
            ("bo", nonempty(&self.bo).unwrap_or("").to_string()),
            ("ky", nonempty(&self.ky).unwrap_or("").to_string()),
        ];
        if let Some((name, k)) = key {
            pairs.push(("trang", page.to_string()));
            pairs.push((name, k.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// This page's own link: its key as asked.
    fn this_link(&self) -> String {
        match self.cursor() {
            IdCursor::First => self.link(1, None),
            IdCursor::Below(k) => self.link(self.page(), Some(("sau", k))),
            IdCursor::Above(k) => self.link(self.page(), Some(("truoc", k))),
        }
    }

    /// The first and last day of the period asked for, if any.
    pub fn days(&self) -> Result<Option<(NaiveDate, NaiveDate)>, DomainError> {
        nonempty(&self.ky)
            .map(|k| {
                let r = Period::parse(k, false)
                    .map_err(|e| e.at_field("ky"))?
                    .range();
                Ok((r.start, r.end))
            })
            .transpose()
    }
}

pub fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `05/01/2020`, as officials read dates.
pub fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Today, the default date of a new record.
pub fn today() -> String {
    dmy(chrono::Local::now().date_naive())
}

/// The full name of every unit the store can see, by id.
pub async fn unit_names(store: &Store) -> Result<HashMap<i64, String>, StoreError> {
    Ok(units::all(store)
        .await?
        .into_iter()
        .map(|u| (u.id, u.full_name()))
        .collect())
}

/// The unit filter's options: the user's subtree, indented.
pub async fn unit_options(store: &Store) -> Vec<(i64, String)> {
    super::units::visible(store)
        .await
        .unwrap_or_default()
        .iter()
        .take(2000)
        .map(|(d, u)| (u.id, format!("{}{}", "— ".repeat(*d), u.full_name())))
        .collect()
}

/// The form field named `name` (the field lists are written next to
/// their parsing, so a missing name is a programming error).
pub fn field<'a>(fields: &'a [Field], name: &str) -> &'a Field {
    fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("field {name} is listed"))
}

/// Fresh values of a new form: the user's unit and today's date in the
/// given date fields.
pub fn defaults(ctx: &Ctx, dates: &[&str]) -> Submitted {
    let mut s = Submitted::default();
    if let Some(root) = ctx.store.scope() {
        s.values.insert("unit_id".into(), root.root.to_string());
    }
    for d in dates {
        s.values.insert((*d).into(), today());
    }
    s
}

/// The status of a save the store refused.
pub fn refused(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Forbidden(_) => StatusCode::FORBIDDEN,
        StoreError::Invalid(_) | StoreError::InvalidRows(_) => StatusCode::UNPROCESSABLE_ENTITY,
        StoreError::NotFound(_) => StatusCode::UNPROCESSABLE_ENTITY,
        StoreError::Stale(_) | StoreError::Locked(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The hidden form field that carries the version an edit form was
/// filled from, so that saving it cannot overwrite a later change.
pub const VERSION_FIELD: &str = "_version";

/// An edit form's values with the version they were read at.
pub fn with_version(mut s: Submitted, v: Version) -> Submitted {
    s.values.insert(VERSION_FIELD.into(), v.to_string());
    s
}

/// The version a submitted edit form was filled from; `None`, with the
/// error noted, when the form does not carry one.
pub fn version_of(s: &mut Submitted) -> Option<Version> {
    let v = s.values.get(VERSION_FIELD).and_then(|v| Version::parse(v));
    if v.is_none() {
        s.general.push(
            "Biểu mẫu không mang phiên bản của bản ghi đã mở, nên không biết có ai sửa \
             trong lúc đó không: hãy mở lại trang sửa rồi lưu lại."
                .into(),
        );
    }
    v
}

/// One change of a record, as its page lists it.
#[derive(Serialize)]
pub struct HistoryRow {
    at: String,
    actor: String,
    action: &'static str,
}

/// The logged changes of one record, newest first.
pub async fn history(store: &Store, entity: &str, id: &str) -> Vec<HistoryRow> {
    let entries = audit::list(
        store,
        &audit::Filter {
            entity: Some(entity.into()),
            entity_id: Some(id.into()),
            ..Default::default()
        },
    )
    .await
    .unwrap_or_default();
    history_rows(entries)
}

/// Logged changes as a record's page lists them.
pub fn history_rows(entries: Vec<audit::Entry>) -> Vec<HistoryRow> {
    entries
        .into_iter()
        .map(|e| HistoryRow {
            at: e.at.format("%d/%m/%Y %H:%M").to_string(),
            actor: e.actor,
            action: audit::Action::label(&e.action),
        })
        .collect()
}

/// One row of a list: the record's page and its cells.
#[derive(Serialize)]
pub struct ListRow {
    pub url: String,
    pub cells: Vec<String>,
}

/// A list page of one record type.
#[derive(Default)]
pub struct ListPage {
    /// "Tiếp công dân".
    pub title: &'static str,
    /// The list's path, "/ghi-nhan/tiep-cong-dan"; its form is at `…/moi`.
    pub base: &'static str,
    /// The record type, as roles name it.
    pub entity: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<ListRow>,
    /// Whether the page has a search box (words, diacritics optional).
    pub search: bool,
    /// Whether the list keeps to a period asked for (`ky`).
    pub periods: bool,
    /// The data sets to choose from (code, name) and the one chosen: the
    /// aggregate data list is per set.
    pub sets: Vec<(String, String)>,
    pub set: String,
    /// Said above the list, e.g. that no data set is defined yet.
    pub note: Option<String>,
    /// The key of the next (older) page: the last record shown, when
    /// more follow.
    pub next: Option<i64>,
    /// The key of the previous (newer) page: the first record shown, when
    /// this is not the first page.
    pub previous: Option<i64>,
}

/// A page's records out of `rows`, those read for it in list order
/// (newest first; one more than a page when more follow beyond it), and
/// the keys of the next and previous pages. A page read upwards from a
/// key (`Above`) that finds nothing more above is the first page, which
/// the caller reads as such (`None` here).
#[allow(clippy::type_complexity)]
pub fn paged<R>(
    mut rows: Vec<R>,
    id: impl Fn(&R) -> i64,
    cursor: IdCursor,
) -> Option<(Vec<R>, Option<i64>, Option<i64>)> {
    let page = PAGE as usize;
    let more = rows.len() > page;
    let (next, previous) = match cursor {
        IdCursor::First | IdCursor::Below(_) => {
            rows.truncate(page);
            let first = rows.first().map(&id);
            let next = rows.last().map(&id).filter(|_| more);
            (next, first.filter(|_| cursor != IdCursor::First))
        }
        IdCursor::Above(k) => {
            if !more {
                return None;
            }
            // The one read beyond the page is the newest: it stays above.
            rows.remove(0);
            (
                Some(rows.last().map(&id).unwrap_or(k)),
                rows.first().map(&id),
            )
        }
    };
    Some((rows, next, previous))
}

pub async fn render_list(app: &AppState, ctx: &Ctx, page: ListPage, q: &ListQuery) -> Response {
    if nonempty(&q.dinh_dang) == Some("xlsx") {
        return list_xlsx(app, ctx, &page);
    }
    let shown = page.rows.len();
    // Back on the first page (nothing newer), it is number 1 whatever
    // the link said.
    let number = if page.previous.is_none() {
        1
    } else {
        q.page().max(2)
    };
    super::render(
        app,
        Some(ctx),
        "record_list.html",
        context! {
            title => page.title,
            base => page.base,
            columns => page.columns.to_vec(),
            rows => ser(&page.rows),
            shown => shown,
            page => PAGE,
            search => page.search,
            periods => page.periods,
            ky => nonempty(&q.ky).unwrap_or(""),
            export => format!("{}&dinh_dang=xlsx", q.this_link()),
            number => number,
            first => (number - 1) * PAGE + 1,
            previous => page.previous.map(|k| q.link(number - 1, Some(("truoc", k)))),
            next => page.next.map(|k| q.link(number + 1, Some(("sau", k)))),
            first_link => q.link(1, None),
            q => q.words(),
            unit => q.unit(),
            units => unit_options(&ctx.store).await,
            may_write => ctx.user.role.may_write(page.entity),
            sets => page.sets,
            set => page.set,
            note => page.note,
        },
    )
}

/// The rows a list shows, as a spreadsheet to download.
fn list_xlsx(app: &AppState, ctx: &Ctx, page: &ListPage) -> Response {
    let rows: Vec<Vec<String>> = page.rows.iter().map(|r| r.cells.clone()).collect();
    match danvan_report::xlsx::list(page.title, page.columns, &rows) {
        Ok(bytes) => (
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.xlsx\"", page.entity),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => super::error_page(app, Some(ctx), &e),
    }
}

/// A form page: its title, where it posts, the label of its button, and
/// its fields in sections (a section's heading may be empty).
pub struct FormPage<'a> {
    pub title: String,
    pub action: String,
    pub submit: &'static str,
    /// Where "Huỷ" leads: the list, or the record being changed.
    pub back: String,
    /// Said above the fields, e.g. why some of them are not shown.
    pub note: Option<&'static str>,
    pub sections: Vec<(&'static str, &'a [Field])>,
}

impl<'a> FormPage<'a> {
    /// The form of a new record, posting to the list at `base`.
    pub fn new(
        title: &str,
        base: &str,
        sections: Vec<(&'static str, &'a [Field])>,
    ) -> FormPage<'a> {
        FormPage {
            title: title.into(),
            action: base.into(),
            submit: "Lưu",
            back: base.into(),
            note: None,
            sections,
        }
    }
}

/// The form with the user's input and the errors next to their fields;
/// an error of a field the form does not show goes above the form.
/// The form field of a late correction's reason (sửa sau duyệt).
pub const LATE_FIELD: &str = "sua_sau_duyet";

/// The request's store, making a late correction when the form gives its
/// reason: a change to a period an accepted report has locked.
pub fn late_store(ctx: &Ctx, s: &Submitted) -> Result<danvan_store::Store, StoreError> {
    match s
        .values
        .get(LATE_FIELD)
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
    {
        Some(reason) => ctx.store.late_correction(reason),
        None => Ok(ctx.store.clone()),
    }
}

pub fn render_form(
    app: &AppState,
    ctx: &Ctx,
    page: &FormPage,
    s: &Submitted,
    status: StatusCode,
) -> Response {
    let mut general = s.general.clone();
    for (name, msg) in &s.errors {
        let shown = page
            .sections
            .iter()
            .any(|(_, fs)| fs.iter().any(|f| f.name == name));
        if !shown {
            general.push(msg.clone());
        }
    }
    let sections: Vec<Value> = page
        .sections
        .iter()
        .map(|(heading, fs)| context! { heading => *heading, fields => ser(&forms::view(fs, s)) })
        .collect();
    let has_errors = !s.errors.is_empty();
    super::render_as(
        status,
        app,
        ctx,
        "record_new.html",
        context! {
            title => page.title.clone(),
            action => page.action.clone(),
            submit => page.submit,
            back => page.back.clone(),
            note => page.note,
            sections => sections,
            general => general,
            has_errors => has_errors,
            version => s.values.get(VERSION_FIELD),
        },
    )
}

/// A table on a record's page (opinions of a meeting, years of a model).
#[derive(Serialize)]
pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A record's page: its fields as label and value, its tables and its
/// change history. `template` is `record.html` or one extending it.
pub struct DetailPage {
    pub template: &'static str,
    pub title: String,
    pub back: &'static str,
    pub back_label: &'static str,
    pub rows: Vec<(&'static str, String)>,
    pub tables: Vec<Table>,
    pub history: Vec<HistoryRow>,
    /// The edit and delete buttons, if any (see [`RecordType::actions`]).
    pub actions: Actions,
}

pub fn render_detail(
    app: &AppState,
    ctx: &Ctx,
    page: DetailPage,
    extra: Value,
    status: StatusCode,
) -> Response {
    super::render_as(
        status,
        app,
        ctx,
        page.template,
        context! {
            title => page.title,
            back => page.back,
            back_label => page.back_label,
            rows => page.rows,
            tables => ser(&page.tables),
            history => ser(&page.history),
            actions => ser(&page.actions),
            ..extra
        },
    )
}

/// The edit and delete buttons of a record's page. Empty for a role that
/// may not change the record type; the store refuses such a change anyway,
/// this only spares the user a button that cannot work.
#[derive(Serialize, Default)]
pub struct Actions {
    /// The edit form's address.
    pub edit: Option<String>,
    /// Where the delete form posts.
    pub delete: Option<String>,
    /// The question asked before deleting (no quotes: it goes into a
    /// JavaScript string).
    pub confirm: String,
}

/// A record type as its pages know it: where they are, its name in roles
/// and the audit log, and how a user calls one record. What the shared
/// edit and delete plumbing needs.
pub struct RecordType {
    /// The list's path, "/ghi-nhan/tiep-cong-dan"; a record is `…/{id}`,
    /// its edit form `…/{id}/sua`, its delete `…/{id}/xoa`.
    pub base: &'static str,
    pub entity: &'static str,
    /// "lượt tiếp công dân", as in "Sửa lượt tiếp công dân số 5".
    pub noun: &'static str,
}

/// What a store change gave: done, or refused with the store's reason.
pub type Saved = Result<(), StoreError>;

impl RecordType {
    pub fn url(&self, id: i64) -> String {
        format!("{}/{id}", self.base)
    }

    /// The edit form of record `id`: titled "Sửa …", posting to
    /// `…/{id}/sua`, "Huỷ" back to the record.
    pub fn edit_form<'a>(
        &self,
        id: i64,
        sections: Vec<(&'static str, &'a [Field])>,
    ) -> FormPage<'a> {
        FormPage {
            title: format!("Sửa {} số {id}", self.noun),
            action: format!("{}/{id}/sua", self.base),
            submit: "Lưu thay đổi",
            back: self.url(id),
            note: None,
            sections,
        }
    }

    /// The buttons of record `id`'s page for the user's role: `edit` and
    /// `delete` say whether the store can change or delete it now.
    pub fn actions(&self, ctx: &Ctx, id: i64, edit: bool, delete: bool) -> Actions {
        if !ctx.user.role.may_write(self.entity) {
            return Actions::default();
        }
        Actions {
            edit: edit.then(|| format!("{}/{id}/sua", self.base)),
            delete: delete.then(|| format!("{}/{id}/xoa", self.base)),
            confirm: format!("Xoá {} số {id}? Việc xoá không thể hoàn tác.", self.noun),
        }
    }

    /// The answer to an edit the store was asked to save: the record's
    /// page; or the form again with the store's reason next to its field
    /// (nothing was saved); or not found, when the record is gone or out
    /// of the user's reach.
    pub fn updated(
        &self,
        app: &AppState,
        ctx: &Ctx,
        page: &FormPage,
        s: &mut Submitted,
        id: i64,
        saved: Saved,
    ) -> Response {
        match saved {
            Ok(()) => Redirect::to(&self.url(id)).into_response(),
            Err(e @ StoreError::NotFound(_)) => super::error_page(app, Some(ctx), &e),
            Err(e) => {
                s.store_error(&e);
                render_form(app, ctx, page, s, refused(&e))
            }
        }
    }

    /// The answer to a delete: the list, where the record no longer is; or
    /// the store's refusal as a page (404 out of reach, 403 not allowed).
    pub fn deleted(&self, app: &AppState, ctx: &Ctx, saved: Saved) -> Response {
        match saved {
            Ok(()) => Redirect::to(self.base).into_response(),
            Err(e) => super::error_page(app, Some(ctx), &e),
        }
    }
}

/// A form filled with a stored record's values, by field name: an edit
/// form starts from what is saved.
pub fn filled(values: impl IntoIterator<Item = (&'static str, String)>) -> Submitted {
    Submitted::new(
        values
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// An optional number as a form shows it: empty when there is none.
pub fn opt(n: Option<i64>) -> String {
    n.map_or(String::new(), |n| n.to_string())
}
