//! The public disclosure board of a commune (bảng công khai): what it has
//! posted of the items the law requires (`danvan_core::disclosure`), when
//! each was taken down, and the reception schedule of its leaders. Every
//! write is checked, scoped to the user's subtree, logged, and written
//! whole or not at all. A district's overview counts each commune's
//! missing and overdue items from one read of the subtree's postings.

use std::collections::HashMap;

use chrono::NaiveDate;
use danvan_core::DomainError;
use danvan_core::disclosure::{self, Keep, Place, Publication, ScheduleSlot, Status};
use serde::Serialize;

use crate::audit::{self, Action, Change, WithId};
use crate::db::{on_pool, on_tx};
use crate::units::{self, Unit};
use crate::{Store, StoreError};

/// A publication as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posted {
    pub id: i64,
    pub unit_id: i64,
    #[serde(flatten)]
    pub publication: Publication,
}

/// One turn of the reception schedule as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slot {
    pub id: i64,
    pub unit_id: i64,
    #[serde(flatten)]
    pub slot: ScheduleSlot,
}

/// One line of a commune's board: the item, its status for the year, and
/// its postings that year.
#[derive(Debug, Clone, Serialize)]
pub struct BoardLine {
    pub item: &'static disclosure::Item,
    pub status: Status,
    pub posted: Vec<Posted>,
}

/// A commune in a district's overview.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneLine {
    pub unit_id: i64,
    pub name: String,
    pub published: usize,
    pub missing: Vec<String>,
    pub overdue: Vec<String>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    NaiveDate,
    String,
    Option<i64>,
    String,
    String,
    Option<NaiveDate>,
);

const COLUMNS: &str = "id, unit_id, item, title, published_on, places, keep_days, link, \
                       document, taken_down_on";

fn read(r: Row) -> Posted {
    let (id, unit_id, item, title, published_on, places, keep_days, link, document, down) = r;
    Posted {
        id,
        unit_id,
        publication: Publication {
            item,
            title,
            published_on,
            places: places.split(',').filter_map(Place::parse).collect(),
            keep: keep_days.map_or(Keep::InForce, |n| Keep::Days(n.max(1) as u32)),
            link,
            document,
            taken_down_on: down,
        },
    }
}

fn keep_days(k: Keep) -> Option<i64> {
    match k {
        Keep::Days(n) => Some(i64::from(n)),
        Keep::InForce => None,
    }
}

/// The unit, which must be a commune-level one the store may read.
async fn commune(store: &Store, unit_id: i64) -> Result<Unit, StoreError> {
    let name = || format!("đơn vị mã số {unit_id}");
    store.check_read(unit_id, name)?;
    let unit = units::by_id(store, unit_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(name()))?;
    if !unit.kind.is_commune_level() {
        return Err(DomainError::new(
            "disclosure.unit",
            format!(
                "bảng công khai là của xã, phường, thị trấn; {} không phải cấp xã",
                unit.full_name()
            ),
        )
        .at_field("don_vi")
        .into());
    }
    Ok(unit)
}

/// Record a publication at `unit_id`; its id.
pub async fn record(
    store: &Store,
    unit_id: i64,
    publication: &Publication,
) -> Result<i64, StoreError> {
    let mut p = publication.clone();
    p.validate(store.today())?;
    store.check_write(unit_id)?;
    let unit = commune(store, unit_id).await?;
    let places: Vec<&str> = p.places.iter().map(|x| x.code()).collect();
    let mut tx = store.begin().await?;
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO disclosure (province_id, unit_id, item, title, published_on, places, \
             keep_days, link, document, taken_down_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(&p.item)
        .bind(&p.title)
        .bind(p.published_on)
        .bind(places.join(","))
        .bind(keep_days(p.keep))
        .bind(&p.link)
        .bind(&p.document)
        .bind(p.taken_down_on)
        .fetch_one(&mut *c)
        .await?
    });
    let change = Change::new(Action::Create, "disclosure", id)
        .unit(unit.id)
        .after(&WithId { id, record: &p });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

/// One publication, if the store may read it.
pub async fn get(store: &Store, id: i64) -> Result<Posted, StoreError> {
    let name = || format!("nội dung công khai số {id}");
    let missing = || StoreError::NotFound(name());
    let sql = format!("SELECT {COLUMNS} FROM disclosure WHERE id = $1");
    let row: Option<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(p).await?
    });
    let posted = row.map(read).ok_or_else(missing)?;
    store.check_read(posted.unit_id, name)?;
    Ok(posted)
}

/// Record that publication `id` was taken down on `on`.
pub async fn take_down(store: &Store, id: i64, on: NaiveDate) -> Result<(), StoreError> {
    let before = get(store, id).await?;
    store.check_write(before.unit_id)?;
    let p = &before.publication;
    if let Some(t) = p.taken_down_on {
        return Err(DomainError::new(
            "disclosure.already_down",
            format!(
                "«{}» đã được ghi gỡ xuống ngày {}",
                p.title,
                t.format("%d/%m/%Y")
            ),
        )
        .at_field("ngay_go")
        .into());
    }
    disclosure::check_takedown(p.published_on, on, store.today())?;
    let mut after = p.clone();
    after.taken_down_on = Some(on);
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        sqlx::query(
            "UPDATE disclosure SET taken_down_on = $1, version = version + 1 \
             WHERE id = $2 AND taken_down_on IS NULL",
        )
        .bind(on)
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    let change = Change::new(Action::Update, "disclosure", id)
        .unit(before.unit_id)
        .before(&WithId { id, record: p })
        .after(&WithId { id, record: &after });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}

/// Every publication of `unit_id`, newest first.
pub async fn of_unit(store: &Store, unit_id: i64) -> Result<Vec<Posted>, StoreError> {
    store.check_read(unit_id, || format!("đơn vị mã số {unit_id}"))?;
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosure WHERE unit_id = $1 ORDER BY published_on DESC, id DESC"
    );
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(unit_id).fetch_all(p).await?
    });
    Ok(rows.into_iter().map(read).collect())
}

/// Whether a posting was up on some day of `year`.
fn in_year(p: &Publication, year: i32) -> bool {
    use chrono::Datelike;
    p.published_on.year() <= year && p.taken_down_on.is_none_or(|t| t.year() >= year)
}

fn lines(posted: &[Posted], year: i32, today: NaiveDate) -> Vec<BoardLine> {
    disclosure::items()
        .iter()
        .map(|item| {
            let mine: Vec<&Publication> = posted
                .iter()
                .map(|p| &p.publication)
                .filter(|p| p.item == item.code)
                .collect();
            BoardLine {
                item,
                status: disclosure::status(item, &mine, year, today),
                posted: posted
                    .iter()
                    .filter(|p| p.publication.item == item.code && in_year(&p.publication, year))
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

/// A commune's board for `year`: every item with its status.
pub async fn board(store: &Store, unit_id: i64, year: i32) -> Result<Vec<BoardLine>, StoreError> {
    commune(store, unit_id).await?;
    let posted = of_unit(store, unit_id).await?;
    Ok(lines(&posted, year, store.today()))
}

/// The communes in `root`'s subtree that exist in `year`, each with the
/// items it misses and those overdue.
pub async fn overview(store: &Store, root: i64, year: i32) -> Result<Vec<CommuneLine>, StoreError> {
    let name = || format!("đơn vị mã số {root}");
    let missing = || StoreError::NotFound(name());
    store.check_read(root, name)?;
    let tree = units::tree(store).await?;
    let unit = tree.get(root).ok_or_else(missing)?;
    let sub = tree.subtree(root).ok_or_else(missing)?;
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    let sql = format!("SELECT {COLUMNS} FROM disclosure WHERE province_id = $1");
    let rows: Vec<Row> = on_pool!(&store.pool, p => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(unit.province_id).fetch_all(p).await?
    });
    let mut by_unit: HashMap<i64, Vec<Posted>> = HashMap::new();
    for p in rows.into_iter().map(read) {
        if sub.contains(p.unit_id) {
            by_unit.entry(p.unit_id).or_default().push(p);
        }
    }
    let today = store.today();
    let mut out = Vec::new();
    for (_, u) in tree.in_tree_order(Some(root)) {
        if !u.kind.is_commune_level() || !u.overlaps(first, last) {
            continue;
        }
        let posted = by_unit.remove(&u.id).unwrap_or_default();
        let mut line = CommuneLine {
            unit_id: u.id,
            name: u.full_name(),
            published: 0,
            missing: Vec::new(),
            overdue: Vec::new(),
        };
        for l in lines(&posted, year, today) {
            match l.status {
                Status::Published { .. } => line.published += 1,
                Status::Missing if l.item.optional => {}
                Status::Missing => line.missing.push(l.item.title.clone()),
                Status::Overdue { .. } => line.overdue.push(l.item.title.clone()),
            }
        }
        out.push(line);
    }
    Ok(out)
}

/// What `unit_id` has up today, for the public page: newest first.
pub async fn public_now(store: &Store, unit_id: i64) -> Result<Vec<Posted>, StoreError> {
    let today = store.today();
    Ok(of_unit(store, unit_id)
        .await?
        .into_iter()
        .filter(|p| p.publication.up_on(today))
        .collect())
}

/// Add a turn to the reception schedule of `unit_id`; its id.
pub async fn add_slot(store: &Store, unit_id: i64, slot: &ScheduleSlot) -> Result<i64, StoreError> {
    let mut s = slot.clone();
    s.validate()?;
    store.check_write(unit_id)?;
    let unit = commune(store, unit_id).await?;
    let mut tx = store.begin().await?;
    let id: i64 = on_tx!(&mut tx, c => {
        sqlx::query_scalar(
            "INSERT INTO reception_schedule (province_id, unit_id, leader, position, day_time, place) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(unit.province_id)
        .bind(unit.id)
        .bind(&s.leader)
        .bind(&s.position)
        .bind(&s.when)
        .bind(&s.place)
        .fetch_one(&mut *c)
        .await?
    });
    let change = Change::new(Action::Create, "reception_schedule", id)
        .unit(unit.id)
        .after(&WithId { id, record: &s });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await?;
    Ok(id)
}

type SlotRow = (i64, i64, String, String, String, String);

fn slot(r: SlotRow) -> Slot {
    let (id, unit_id, leader, position, when, place) = r;
    Slot {
        id,
        unit_id,
        slot: ScheduleSlot {
            leader,
            position,
            when,
            place,
        },
    }
}

/// The reception schedule of `unit_id`, in the order it was entered.
pub async fn schedule(store: &Store, unit_id: i64) -> Result<Vec<Slot>, StoreError> {
    store.check_read(unit_id, || format!("đơn vị mã số {unit_id}"))?;
    let rows: Vec<SlotRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, unit_id, leader, position, day_time, place FROM reception_schedule \
             WHERE unit_id = $1 ORDER BY id",
        )
        .bind(unit_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(slot).collect())
}

/// One turn of a reception schedule, if the store may read it.
pub async fn schedule_slot(store: &Store, id: i64) -> Result<Slot, StoreError> {
    let name = || format!("lịch tiếp công dân số {id}");
    let missing = || StoreError::NotFound(name());
    let row: Option<SlotRow> = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "SELECT id, unit_id, leader, position, day_time, place FROM reception_schedule \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    let old = row.map(slot).ok_or_else(missing)?;
    store.check_read(old.unit_id, name)?;
    Ok(old)
}

/// Remove turn `id` of a reception schedule.
pub async fn delete_slot(store: &Store, id: i64) -> Result<(), StoreError> {
    let old = schedule_slot(store, id).await?;
    store.check_write(old.unit_id)?;
    let mut tx = store.begin().await?;
    on_tx!(&mut tx, c => {
        sqlx::query("DELETE FROM reception_schedule WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    let change = Change::new(Action::Delete, "reception_schedule", id)
        .unit(old.unit_id)
        .before(&WithId {
            id,
            record: &old.slot,
        });
    audit::log(&mut tx, store, change).await?;
    tx.commit().await
}
