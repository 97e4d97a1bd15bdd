//! The units a DHIS2 request may see, with their DHIS2 ids: the store's
//! visible units (its subtree, decided by the store) and, for paths, the
//! ids of the units above them.

use std::collections::HashMap;

use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError};

use super::error::Dhis2Error;
use super::uid;

pub struct UnitIndex {
    /// Visible units in tree order.
    pub visible: Vec<Unit>,
    /// Every unit by id, for parents and paths.
    all: HashMap<i64, Unit>,
    /// Position in `visible` by DHIS2 id and by danvan code.
    by_key: HashMap<String, usize>,
    /// Visible children of each unit, in tree order.
    children: HashMap<i64, Vec<usize>>,
    ids: HashMap<i64, String>,
}

impl UnitIndex {
    pub async fn load(store: &Store) -> Result<UnitIndex, StoreError> {
        let visible = units::visible(store).await?;
        let all: HashMap<i64, Unit> = units::all(store)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let ids: HashMap<i64, String> = all.values().map(|u| (u.id, uid::unit(&u.code))).collect();
        let mut by_key = HashMap::new();
        let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, u) in visible.iter().enumerate() {
            by_key.insert(ids[&u.id].clone(), i);
            by_key.insert(u.code.clone(), i);
            if let Some(p) = u.parent_id {
                children.entry(p).or_default().push(i);
            }
        }
        Ok(UnitIndex {
            visible,
            all,
            by_key,
            children,
            ids,
        })
    }

    /// The DHIS2 id of a unit.
    pub fn id(&self, u: &Unit) -> String {
        self.ids
            .get(&u.id)
            .cloned()
            .unwrap_or_else(|| uid::unit(&u.code))
    }

    /// A visible unit by DHIS2 id or danvan code.
    pub fn get(&self, key: &str) -> Option<&Unit> {
        self.by_key.get(key.trim()).map(|&i| &self.visible[i])
    }

    /// [`UnitIndex::get`], or DHIS2's error naming what was not found.
    pub fn find(&self, key: &str) -> Result<&Unit, Dhis2Error> {
        self.get(key).ok_or_else(|| {
            Dhis2Error::not_found(format!(
                "không tìm thấy đơn vị «{key}» (hoặc tài khoản không được xem đơn vị này)"
            ))
        })
    }

    pub fn by_id(&self, id: i64) -> Option<&Unit> {
        self.all.get(&id)
    }

    /// Whether the unit is one the request may see.
    pub fn is_visible(&self, u: &Unit) -> bool {
        self.get(&u.code).is_some_and(|v| v.id == u.id)
    }

    /// The visible units directly below `u`.
    pub fn children<'a>(&'a self, u: &Unit) -> impl Iterator<Item = &'a Unit> + use<'a> {
        self.children
            .get(&u.id)
            .into_iter()
            .flatten()
            .map(|&i| &self.visible[i])
    }

    /// `u` and every visible unit below it, in tree order.
    pub fn subtree<'a>(&'a self, u: &'a Unit) -> Vec<&'a Unit> {
        let mut out = vec![u];
        let mut i = 0;
        while i < out.len() {
            let next: Vec<&Unit> = self.children(out[i]).collect();
            out.extend(next);
            i += 1;
        }
        out
    }

    /// DHIS2's level: 1 for the top units (provinces).
    pub fn level(u: &Unit) -> usize {
        (u.depth.max(0) as usize) + 1
    }

    /// DHIS2's path: the ids from the top unit down to `u`.
    pub fn path(&self, u: &Unit) -> String {
        let mut chain = vec![self.id(u)];
        let mut at = u.parent_id;
        // A tree is a few levels deep; the bound guards against a cycle.
        while let Some(p) = at.and_then(|p| self.all.get(&p))
            && chain.len() < 32
        {
            chain.push(self.id(p));
            at = p.parent_id;
        }
        chain.reverse();
        format!("/{}", chain.join("/"))
    }
}
