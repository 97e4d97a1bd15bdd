//! Denouncer secrecy: who is assigned to a petition, masking for everyone
//! else, and the audit log's identity kept apart.

use std::collections::HashSet;

use danvan_core::DomainError;
use danvan_core::records::petition::{MASK, Petition, PetitionType, Sender};
use serde::Serialize;
use sqlx::QueryBuilder;

use super::row::load_tx;
use super::{ASSIGNMENT, ENTITY, StoredPetition, Viewer, not_found};
use crate::audit::{self, Action, Change};
use crate::db::{Tx, on_pool, on_tx};
use crate::{Store, StoreError, units};

/// A change of a petition as the audit log keeps it: each side as a reader
/// who is not assigned sees it (with its id and status), and a denouncer's
/// identity apart, in the entry's restricted part.
pub(super) fn logged(
    mut change: Change,
    id: i64,
    before: Option<&Petition>,
    after: Option<&Petition>,
) -> Change {
    if let Some(p) = before {
        change = change.before(&masked(id, p.clone(), false));
    }
    if let Some(p) = after {
        change = change.after(&masked(id, p.clone(), false));
    }
    let secret = |p: Option<&Petition>| {
        p.filter(|p| p.kind == PetitionType::Denunciation)
            .map(|p| p.sender.clone())
    };
    let (b, a) = (secret(before), secret(after));
    if b.is_some() || a.is_some() {
        change = change.restricted(serde_json::json!({ "before": b, "after": a }));
    }
    change
}

/// The denouncer's identity an audit entry keeps apart, for a viewer
/// assigned to its petition; `None` for anyone else, and for entries that
/// keep none.
pub async fn logged_identity(
    store: &Store,
    entry_id: i64,
    viewer: Viewer,
) -> Result<Option<serde_json::Value>, StoreError> {
    let Some(r) = audit::restricted(store, entry_id).await? else {
        return Ok(None);
    };
    let petition_id = match (r.entity.as_str(), r.entity_id.parse::<i64>()) {
        (ENTITY, Ok(id)) => id,
        _ => return Ok(None),
    };
    if r.unit_id.is_some_and(|u| !store.permits(u)) {
        return Ok(None);
    }
    let assigned = assigned_of(store, &[petition_id], viewer).await?;
    Ok(assigned.contains(&petition_id).then_some(r.value).flatten())
}

/// An assignment as logged.
#[derive(Serialize)]
struct Assignment {
    petition_id: i64,
    official_id: i64,
}

/// Whether the acting user may assign or withdraw handlers: the head of
/// the unit or its officer, never a handler, and never for themselves
/// (one person alone must not be able to unmask a denouncer).
fn check_assigner(store: &Store, official_id: i64) -> Result<(), StoreError> {
    let actor = store.actor();
    if let Some(role) = actor.role
        && !role.may_write(ASSIGNMENT)
    {
        return Err(StoreError::Forbidden(format!(
            "vai trò «{}» không phân công được người giải quyết đơn",
            role.label()
        )));
    }
    if actor.user_id == Some(official_id) {
        return Err(StoreError::Forbidden(
            "không tự phân công cho mình được; người phụ trách đơn vị phân công".into(),
        ));
    }
    Ok(())
}

/// The officials assigned to a petition, by name.
pub async fn assignees(
    store: &Store,
    petition_id: i64,
) -> Result<Vec<crate::accounts::User>, StoreError> {
    let unit: Option<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(c)
            .await?
    });
    let unit = unit.ok_or_else(|| StoreError::NotFound(not_found(petition_id)))?;
    store.check_read(unit, || not_found(petition_id))?;
    let ids: Vec<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT official_id FROM petition_assignment WHERE petition_id = $1 ORDER BY official_id")
            .bind(petition_id)
            .fetch_all(c)
            .await?
    });
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        // Assigned by a wider scope than the reader's: not shown.
        if let Ok(u) = crate::accounts::get(store, id).await {
            out.push(u);
        }
    }
    Ok(out)
}

/// The officials the acting user could assign to a petition: active
/// accounts in the user's scope whose role handles petitions and whose unit
/// covers the petition's, the user excepted. Forbidden for a user who may
/// not assign.
pub async fn candidates(
    store: &Store,
    petition_id: i64,
) -> Result<Vec<crate::accounts::User>, StoreError> {
    check_assigner(store, 0)?;
    let unit: Option<i64> = on_pool!(&store.pool, c => {
        sqlx::query_scalar("SELECT unit_id FROM petition WHERE id = $1")
            .bind(petition_id)
            .fetch_optional(c)
            .await?
    });
    let unit = unit.ok_or_else(|| StoreError::NotFound(not_found(petition_id)))?;
    store.check_read(unit, || not_found(petition_id))?;
    let mut out = Vec::new();
    for u in crate::accounts::list_visible(store).await? {
        let covers = match u.unit_id {
            None => true,
            Some(at) => units::is_within(store, unit, at).await?,
        };
        if u.active && u.role.may_write(ENTITY) && covers && Some(u.id) != store.actor().user_id {
            out.push(u);
        }
    }
    Ok(out)
}

/// Assign an official to a petition: from now on they see its sender.
/// The official must be an active account whose role handles petitions and
/// whose unit covers the petition's. Logged when not assigned yet.
pub async fn assign(store: &Store, petition_id: i64, official_id: i64) -> Result<(), StoreError> {
    check_assigner(store, official_id)?;
    let mut tx = store.begin().await?;
    let (province, p) = load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    let official = crate::accounts::get(store, official_id).await?;
    let covers = match official.unit_id {
        None => true,
        Some(u) => units::is_within(store, p.unit_id, u).await?,
    };
    let refuse = |why: &str| -> StoreError {
        DomainError::new(
            "petition.assignee",
            format!(
                "không phân công được {} cho đơn số {petition_id}: {why}",
                official.full_name
            ),
        )
        .at_field("official_id")
        .into()
    };
    if !official.active {
        return Err(refuse("tài khoản đã bị khoá"));
    }
    if !official.role.may_write(ENTITY) {
        return Err(refuse(&format!(
            "vai trò «{}» không giải quyết đơn",
            official.role.label()
        )));
    }
    if !covers {
        return Err(refuse("đơn không thuộc đơn vị của người này"));
    }
    set_assignment(
        &mut tx,
        store,
        true,
        (province, p.unit_id),
        petition_id,
        official_id,
    )
    .await?;
    tx.commit().await
}

/// Give (`add`) or withdraw an official's assignment to a petition of
/// the province and unit `at`; logged when it changed anything.
async fn set_assignment(
    tx: &mut Tx,
    store: &Store,
    add: bool,
    (province, unit_id): (i64, i64),
    petition_id: i64,
    official_id: i64,
) -> Result<(), StoreError> {
    let sql = if add {
        "INSERT INTO petition_assignment (province_id, petition_id, official_id) VALUES ($1, $2, $3) \
         ON CONFLICT (province_id, petition_id, official_id) DO NOTHING"
    } else {
        "DELETE FROM petition_assignment WHERE province_id = $1 AND petition_id = $2 AND official_id = $3"
    };
    let changed = on_tx!(tx, c => {
        sqlx::query(sql)
            .bind(province)
            .bind(petition_id)
            .bind(official_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Ok(());
    }
    let a = Assignment {
        petition_id,
        official_id,
    };
    let action = if add {
        Action::Assign
    } else {
        Action::Unassign
    };
    let change = Change::new(action, ENTITY, petition_id).unit(unit_id);
    let change = if add {
        change.after(&a)
    } else {
        change.before(&a)
    };
    audit::log(tx, store, change).await
}

/// Withdraw an assignment; logged when there was one.
pub async fn unassign(store: &Store, petition_id: i64, official_id: i64) -> Result<(), StoreError> {
    check_assigner(store, official_id).or_else(|e| match e {
        // Withdrawing oneself is always allowed.
        StoreError::Forbidden(_) if store.actor().user_id == Some(official_id) => Ok(()),
        e => Err(e),
    })?;
    let mut tx = store.begin().await?;
    let (province, p) = load_tx(&mut tx, store, petition_id).await?;
    store.check_write(p.unit_id)?;
    let at = (province, p.unit_id);
    set_assignment(&mut tx, store, false, at, petition_id, official_id).await?;
    tx.commit().await
}

pub(super) fn masked(id: i64, mut p: Petition, assigned: bool) -> StoredPetition {
    let hide = p.kind == PetitionType::Denunciation && !assigned;
    if hide {
        // A denouncer who wrote their name into the content (online, they
        // often do) is hidden there too.
        p.summary = masked_summary(&p);
        p.sender = Sender::masked();
    }
    StoredPetition {
        id,
        status: p.status(),
        identity_masked: hide,
        petition: p,
    }
}

/// The content of a petition with its sender's name, address and phone
/// out of sight.
pub(super) fn masked_summary(p: &Petition) -> String {
    let s = &p.sender;
    danvan_core::portal::redact(&p.summary, &[&s.name, &s.address, &s.phone])
}

/// An unassigned viewer's correction of a denunciation: the sender must be
/// masked, as it was read, and the kind unchanged.
pub(super) fn guard_identity(id: i64, old: &Petition, next: &Petition) -> Result<(), StoreError> {
    let s = &next.sender;
    if [&s.name, &s.address, &s.phone].iter().any(|f| *f != MASK) {
        return Err(DomainError::new(
            "petition.masked_sender",
            format!(
                "đơn số {id} là đơn tố cáo: chỉ người được phân công giải quyết mới sửa được \
                 danh tính người tố cáo (gửi «{MASK}» để giữ nguyên)"
            ),
        )
        .at_field("sender")
        .into());
    }
    if next.kind != old.kind {
        return Err(masked_kind(id));
    }
    Ok(())
}

/// Whoever may not see a denouncer may not turn the denunciation into
/// another kind of petition either: that would unmask it.
pub(super) fn masked_kind(id: i64) -> StoreError {
    DomainError::new(
        "petition.masked_kind",
        format!(
            "đơn số {id} là đơn tố cáo: người không được xem danh tính người tố cáo \
             không đổi được loại đơn"
        ),
    )
    .at_field("kind")
    .into()
}

pub(super) async fn is_assigned(tx: &mut Tx, id: i64, viewer: Viewer) -> Result<bool, StoreError> {
    let found: Option<i64> = on_tx!(tx, c => {
        sqlx::query_scalar(
            "SELECT official_id FROM petition_assignment WHERE petition_id = $1 AND official_id = $2",
        )
        .bind(id)
        .bind(viewer.official_id)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.is_some())
}

pub(super) async fn mask_for(
    tx: &mut Tx,
    id: i64,
    p: &Petition,
    viewer: Viewer,
) -> Result<StoredPetition, StoreError> {
    let assigned = is_assigned(tx, id, viewer).await?;
    Ok(masked(id, p.clone(), assigned))
}

pub(super) async fn assigned_of(
    store: &Store,
    ids: &[i64],
    viewer: Viewer,
) -> Result<HashSet<i64>, StoreError> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let got: Vec<i64> = on_pool!(&store.pool, p => {
            let mut qb = QueryBuilder::new("SELECT petition_id FROM petition_assignment WHERE official_id = ");
            qb.push_bind(viewer.official_id).push(" AND petition_id IN (");
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_scalar().fetch_all(p).await?
        });
        out.extend(got);
    }
    Ok(out)
}
