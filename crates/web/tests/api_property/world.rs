//! The world of the property test: the unit tree, the users, the seeded
//! records and secrets, the snapshot of everything per unit, and the
//! oracles checked after each call.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use danvan_core::fact::{Contribution, FactSource};
use danvan_core::records::dataset::{DataSet, DataValue, PeriodType, SummedValue};
use danvan_core::records::model::ModelEntry;
use danvan_core::records::petition::{
    Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use danvan_store::accounts::{self, Role};
use danvan_store::petitions::{self, Filter, Viewer};
use danvan_store::{
    Store, audit, datasets, directives, facts, mediation, meetings, models, oversight, reception,
    unit_import, units,
};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::calls::{self, ELEMENT, Payload, Req, SET, Step, World};
use danvan_testkit::seed;
use danvan_testkit::web::{PASSWORD, json_request};

/// Two provinces; the first with two districts of two communes each.
const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
T1,Tỉnh Một,tỉnh,,,,
H1,Huyện Một,huyện,T1,,,
X11,Xã Một Một,xã,H1,,,
X12,Xã Một Hai,xã,H1,,,
H2,Huyện Hai,huyện,T1,,,
X21,Xã Hai Một,xã,H2,,,
X22,Xã Hai Hai,xã,H2,,,
T2,Tỉnh Hai,tỉnh,,,,
H3,Huyện Ba,huyện,T2,,,
X31,Xã Ba Một,xã,H3,,,
";

/// Units with an officer, a handler, a viewer and a front official each.
const STAFFED: [&str; 8] = ["T1", "H1", "X11", "X12", "H2", "X21", "T2", "X31"];
/// The seeded denunciations: (unit, the users assigned to it).
const DENUNCIATIONS: [(&str, &[&str]); 8] = [
    ("X11", &["handler.x11"]),
    ("X11", &["officer.x11", "handler.h1"]),
    ("X12", &["handler.h1"]),
    ("H1", &["handler.t1"]),
    ("X21", &[]),
    ("T1", &["officer.t1"]),
    ("X31", &["handler.x31"]),
    ("H2", &["admin.h2"]),
];

pub struct Who {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub unit: Option<i64>,
    token: String,
    cookie: String,
    csrf: String,
}

/// Everything the oracles compare, per (kind of data, unit).
#[derive(Default, Clone)]
struct Snapshot {
    cells: BTreeMap<(&'static str, i64), u64>,
    /// Petitions as stored (identities unmasked: the auditors see them).
    petitions: BTreeMap<i64, Petition>,
    ids: HashMap<&'static str, Vec<i64>>,
    /// Denunciations no auditor is assigned to yet: (id, unit).
    unseen: Vec<(i64, i64)>,
}

fn digest(x: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    x.hash(&mut h);
    h.finish()
}

impl Snapshot {
    fn add(
        &mut self,
        kind: &'static str,
        unit: i64,
        id: impl Hash,
        record: &impl serde::Serialize,
    ) {
        let d = digest(&(id, serde_json::to_string(record).unwrap()));
        let cell = self.cells.entry((kind, unit)).or_default();
        *cell = cell.wrapping_add(d);
    }

    fn diff(&self, other: &Snapshot) -> Vec<(&'static str, i64)> {
        let keys: HashSet<_> = self.cells.keys().chain(other.cells.keys()).collect();
        let mut out: Vec<_> = keys
            .into_iter()
            .filter(|k| self.cells.get(k) != other.cells.get(k))
            .copied()
            .collect();
        out.sort();
        out
    }
}

pub struct Harness {
    store: Store,
    /// A pinned clone: its version changes only with this process's commits.
    pinned: Store,
    app: axum::Router,
    pub users: Vec<Who>,
    units: Vec<(i64, String)>,
    parent: HashMap<i64, Option<i64>>,
    /// The auditor of each province: assigned to every denunciation, never
    /// a caller, so the snapshot reads identities as stored.
    auditors: HashMap<i64, i64>,
    /// Secret tag → its petition (none while not stored).
    tags: HashMap<u32, Option<i64>>,
    /// Tags whose petition stopped being a denunciation: no longer secret.
    burned: HashSet<u32>,
    /// Petition → the officials assigned, as the audit log tells.
    assigned: HashMap<i64, HashSet<i64>>,
    snap: Snapshot,
    audit_seen: i64,
    next_tag: u32,
    pub calls: usize,
    pub succeeded: usize,
    pub refused: usize,
    pub pages: usize,
    pub failures: Vec<String>,
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

impl Harness {
    pub async fn new(store: Store) -> Harness {
        unit_import::import_csv(&store, TREE.as_bytes())
            .await
            .unwrap();
        let all = units::all(&store).await.unwrap();
        let parent: HashMap<i64, Option<i64>> = all.iter().map(|u| (u.id, u.parent_id)).collect();
        let mut codes: Vec<(i64, String)> = all.iter().map(|u| (u.id, u.code.clone())).collect();
        codes.sort();
        let id_of = |code: &str| codes.iter().find(|(_, c)| c == code).unwrap().0;
        let app = danvan_web::router(store.clone());
        let set = DataSet {
            code: SET.into(),
            name: "Số liệu thử".into(),
            period_type: PeriodType::Half,
            elements: vec![ELEMENT.into()],
        };
        let element = seed::counted_element(ELEMENT, "Số cuộc", "cuộc");
        seed::define_data(&store, &[element], &set).await;
        // Users: every role at the staffed units, administrators at three
        // levels, and one auditor per province.
        let mut specs: Vec<(String, Role, Option<i64>)> = vec![
            ("admin".into(), Role::Admin, None),
            ("admin.t1".into(), Role::Admin, Some(id_of("T1"))),
            ("admin.h2".into(), Role::Admin, Some(id_of("H2"))),
        ];
        for code in STAFFED {
            for role in [Role::Officer, Role::Handler, Role::Viewer, Role::Front] {
                let name = format!("{}.{}", role.code(), code.to_lowercase());
                specs.push((name, role, Some(id_of(code))));
            }
        }
        let mut users = Vec::new();
        for (name, role, unit) in specs {
            let u = danvan_testkit::users::user(&store, &name, role, unit).await;
            let token = accounts::create_token(&store, u.id, "thử").await.unwrap();
            let (cookie, csrf) = login(&store, &name).await;
            users.push(Who {
                id: u.id,
                name,
                role,
                unit,
                token,
                cookie,
                csrf,
            });
        }
        let mut auditors = HashMap::new();
        for p in ["T1", "T2"] {
            let name = format!("kiemtra.{}", p.to_lowercase());
            let u = danvan_testkit::users::user(&store, &name, Role::Handler, Some(id_of(p))).await;
            auditors.insert(id_of(p), u.id);
        }
        let user_id = |name: &str| users.iter().find(|u| u.name == name).unwrap().id;
        // One record of every kind at every unit, and the denunciations.
        for (unit, _) in &codes {
            seed(&store, *unit).await;
        }
        let mut tags = HashMap::new();
        let mut assigned: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (n, (code, who)) in DENUNCIATIONS.iter().enumerate() {
            let tag = n as u32 + 1;
            let mut p = Petition::received(
                id_of(code),
                day(2, 3 + n as u32),
                PetitionChannel::InPerson,
                PetitionType::Denunciation,
                PetitionField::Land,
            );
            p.sender = calls::secret_sender(tag);
            p.summary = format!("Tố cáo cán bộ số {tag}");
            let id = petitions::insert(&store, &p).await.unwrap();
            tags.insert(tag, Some(id));
            for name in *who {
                petitions::assign(&store, id, user_id(name)).await.unwrap();
                assigned.entry(id).or_default().insert(user_id(name));
            }
        }
        let pinned = store.pin_units().await.unwrap();
        let mut h = Harness {
            store,
            pinned,
            app,
            users,
            units: codes,
            parent,
            auditors,
            tags,
            burned: HashSet::new(),
            assigned,
            snap: Snapshot::default(),
            audit_seen: 0,
            next_tag: 1000,
            calls: 0,
            succeeded: 0,
            refused: 0,
            pages: 0,
            failures: Vec::new(),
        };
        h.audit_seen = h.new_entries().await.first().map_or(0, |e| e.id);
        h.snap = h.snapshot().await;
        h.audit_all().await;
        h
    }

    fn within(&self, unit: i64, root: Option<i64>) -> bool {
        let Some(root) = root else { return true };
        let mut at = Some(unit);
        while let Some(u) = at {
            if u == root {
                return true;
            }
            at = self.parent.get(&u).copied().flatten();
        }
        false
    }

    fn province(&self, unit: i64) -> i64 {
        let mut u = unit;
        while let Some(Some(p)) = self.parent.get(&u) {
            u = *p;
        }
        u
    }

    /// Every stored denunciation the auditors do not see yet gets its
    /// province's auditor (a write of the harness, not of a caller), and
    /// the snapshot is taken again.
    async fn audit_all(&mut self) {
        if self.snap.unseen.is_empty() {
            return;
        }
        for (id, unit) in std::mem::take(&mut self.snap.unseen) {
            let auditor = self.auditors[&self.province(unit)];
            petitions::assign(&self.store, id, auditor).await.unwrap();
        }
        // Skip the harness's own entries.
        self.audit_seen = self
            .new_entries()
            .await
            .first()
            .map_or(self.audit_seen, |e| e.id);
        self.snap = self.snapshot().await;
    }

    async fn snapshot(&self) -> Snapshot {
        let s = &self.store;
        let mut out = Snapshot::default();
        for (id, r) in reception::all(s).await.unwrap() {
            out.add("reception", r.unit_id, id, &r);
            snap_ids(&mut out.ids, "reception", id);
        }
        let mut stored: BTreeMap<i64, petitions::StoredPetition> = BTreeMap::new();
        for auditor in self.auditors.values() {
            let seen = petitions::list(
                s,
                &Filter::default(),
                Viewer {
                    official_id: *auditor,
                },
            )
            .await
            .unwrap();
            for p in seen {
                match stored.get(&p.id) {
                    Some(q) if !q.identity_masked => {}
                    _ => {
                        stored.insert(p.id, p);
                    }
                }
            }
        }
        for (id, p) in stored {
            if p.identity_masked {
                out.unseen.push((id, p.petition.unit_id));
            }
            out.add("petition", p.petition.unit_id, id, &p.petition);
            snap_ids(&mut out.ids, "petition", id);
            out.petitions.insert(id, p.petition);
        }
        for (id, c) in petitions::all_cases(s).await.unwrap() {
            out.add("case", c.unit_id, id, &c);
        }
        for (id, m) in mediation::list(s, None, 1 << 20).await.unwrap() {
            out.add("mediation", m.unit_id, id, &m);
            snap_ids(&mut out.ids, "mediation", id);
        }
        for (id, m) in meetings::list(s, None, 1 << 20).await.unwrap() {
            out.add("meeting", m.unit_id, id, &m);
            snap_ids(&mut out.ids, "meeting", id);
        }
        for (id, m, y) in models::list(s, None, 1 << 20).await.unwrap() {
            out.add("model", m.unit_id, id, &(&m, &y));
            snap_ids(&mut out.ids, "model", id);
        }
        for (id, o) in oversight::list(s, None, 1 << 20).await.unwrap() {
            out.add("oversight", o.unit_id, id, &o);
            snap_ids(&mut out.ids, "oversight", id);
        }
        for (id, d) in directives::search_in(s, "", None).await.unwrap() {
            out.add("directive", d.unit_id, id, &d);
        }
        for (unit, period) in datasets::entries(s, SET, None, 1 << 20).await.unwrap() {
            let values = datasets::values_of(s, SET, unit, &period).await.unwrap();
            out.add("data_value", unit, &period, &values);
        }
        for (k, v) in facts::dump(s).await.unwrap() {
            let key = (&k.key, k.grain, k.bucket, &k.breakdown, v);
            out.add("fact", k.unit_id, 0, &format!("{key:?}"));
        }
        for u in accounts::list(s).await.unwrap() {
            out.add(
                "user",
                u.unit_id.unwrap_or(0),
                u.id,
                &(&u.username, u.role, u.active),
            );
        }
        out
    }

    /// Audit entries newer than the last seen, newest first.
    async fn new_entries(&self) -> Vec<audit::Entry> {
        let all = audit::list(
            &self.store,
            &audit::Filter {
                limit: Some(500),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        all.into_iter().filter(|e| e.id > self.audit_seen).collect()
    }

    fn world_ids(&self, k: &str) -> Vec<i64> {
        self.snap.ids.get(k).cloned().unwrap_or_default()
    }

    /// One call and the oracles after it.
    pub async fn step(&mut self, s: &Step) {
        let users: Vec<i64> = self.users.iter().map(|u| u.id).collect();
        let (petitions, receptions) = (self.world_ids("petition"), self.world_ids("reception"));
        let (mediation, meetings) = (self.world_ids("mediation"), self.world_ids("meeting"));
        let (models, oversight) = (self.world_ids("model"), self.world_ids("oversight"));
        let who = &self.users[s.who];
        let (who_id, role, scope) = (who.id, who.role, who.unit);
        let assigned_before = self.assigned.clone();
        let req = {
            let snap = &self.snap;
            let get = |id: i64| snap.petitions.get(&id).cloned();
            let sees = |id: i64| {
                assigned_before
                    .get(&id)
                    .is_some_and(|a| a.contains(&who_id))
            };
            let w = World {
                units: &self.units,
                users: &users,
                petitions: &petitions,
                receptions: &receptions,
                mediation: &mediation,
                meetings: &meetings,
                models: &models,
                oversight: &oversight,
                petition: &get,
                sees: &sees,
            };
            calls::request(s, &w, self.next_tag)
        };
        self.next_tag += 1;
        let before = self.pinned.pinned_version();
        let (status, body) = self.send(&req, s.who).await;
        self.calls += 1;
        if req.is_page() {
            self.pages += 1;
        }
        let ok = status.is_success() || status.is_redirection();
        if ok {
            self.succeeded += 1;
        } else {
            self.refused += 1;
        }
        let what = format!(
            "call {} by {} ({}): {} {} → {status}",
            self.calls,
            self.users[s.who].name,
            role.code(),
            req.method,
            req.uri
        );
        if status.is_server_error() {
            self.fail(format!("5xx: {what}: {}", excerpt(&body, 0)));
        }
        // (b) Changes, when anything was committed (and every 40 calls,
        // for a change that was not).
        if self.pinned.pinned_version() != before || self.calls.is_multiple_of(40) {
            let next = self.snapshot().await;
            let changed = self.snap.diff(&next);
            if !changed.is_empty() && !ok {
                self.fail(format!("a refused call changed {changed:?}: {what}"));
            }
            for (kind, unit) in &changed {
                let writable = *kind == "fact" || role.may_write(kind);
                // Facts roll up: a write in scope moves the facts of every
                // unit above it too (that they move rightly is (d)'s job).
                let rolled_up =
                    *kind == "fact" && scope.is_some_and(|r| self.within(r, Some(*unit)));
                if !(self.within(*unit, scope) || rolled_up) || !writable {
                    self.fail(format!(
                        "out-of-scope change of {kind} at unit {unit}: {what}"
                    ));
                }
            }
            self.check_log(&what, who_id, role, scope, ok).await;
            // A new denunciation made by this call carries this call's tag.
            let tag = self.next_tag - 1;
            let made: Vec<i64> = next
                .petitions
                .iter()
                .filter(|(id, p)| {
                    !self.snap.petitions.contains_key(id) && p.kind == PetitionType::Denunciation
                })
                .map(|(id, _)| *id)
                .collect();
            if req.method == "POST" && req.uri == "/api/petitions" {
                self.tags.insert(tag, made.first().copied());
            }
            for (t, p) in &self.tags {
                if let Some(p) = p
                    && next
                        .petitions
                        .get(p)
                        .is_some_and(|p| p.kind != PetitionType::Denunciation)
                {
                    self.burned.insert(*t);
                }
            }
            self.snap = next;
            self.audit_all().await;
        } else if req.method == "POST" && req.uri == "/api/petitions" {
            self.tags.insert(self.next_tag - 1, None);
        }
        // (a) No identity shown to a reader not assigned.
        let text = String::from_utf8_lossy(&body);
        let sent = crate::sent_text(&req);
        for t in calls::tags_in(&text) {
            let Some(p) = self.tags.get(&t) else { continue };
            let echo = sent.contains(&format!("{t:05}A")) || sent.contains(&format!("0969{t:06}"));
            if echo || self.burned.contains(&t) {
                continue;
            }
            let lawful = p.is_some_and(|p| {
                [&assigned_before, &self.assigned]
                    .iter()
                    .any(|a| a.get(&p).is_some_and(|a| a.contains(&who_id)))
            });
            if !lawful {
                let at = text.find(&format!("{t:05}")).unwrap_or(0);
                self.fail(format!(
                    "LEAK of identity {t} (petition {p:?}) to a reader not assigned: {what}: …{}…",
                    excerpt(&body, at)
                ));
            }
        }
    }

    /// The log's new entries: by the caller, inside the caller's scope, of
    /// what the caller's role may change; none for a refused call.
    async fn check_log(&mut self, what: &str, who: i64, role: Role, scope: Option<i64>, ok: bool) {
        let entries = self.new_entries().await;
        if let Some(e) = entries.first() {
            self.audit_seen = e.id;
        }
        for e in entries.into_iter().rev() {
            if !ok {
                self.fail(format!(
                    "a refused call logged {} {}: {what}",
                    e.action, e.entity
                ));
            }
            if e.user_id != Some(who) {
                self.fail(format!("entry {} not by the caller: {what}", e.id));
            }
            if e.unit_id.is_some_and(|u| !self.within(u, scope)) {
                self.fail(format!(
                    "out-of-scope change logged ({} {} at unit {:?}): {what}",
                    e.action, e.entity, e.unit_id
                ));
            }
            let official = |v: &Option<Value>| v.as_ref().and_then(|v| v["official_id"].as_i64());
            let permitted = match e.action.as_str() {
                "assign" => role.may_write("petition_assignment"),
                "unassign" => {
                    role.may_write("petition_assignment") || official(&e.before) == Some(who)
                }
                _ => role.may_write(&e.entity),
            };
            if !permitted {
                self.fail(format!(
                    "{} {} by a role that may not: {what}",
                    e.action, e.entity
                ));
            }
            let petition = e.entity_id.parse::<i64>().unwrap_or(0);
            match e.action.as_str() {
                "assign" => {
                    if let Some(o) = official(&e.after) {
                        self.assigned.entry(petition).or_default().insert(o);
                    }
                }
                "unassign" => {
                    if let Some(o) = official(&e.before) {
                        self.assigned.entry(petition).or_default().remove(&o);
                    }
                }
                _ => {}
            }
        }
    }

    fn fail(&mut self, f: String) {
        self.failures.push(f);
    }

    async fn send(&self, r: &Req, who: usize) -> (StatusCode, Vec<u8>) {
        let u = &self.users[who];
        let req = if r.is_page() {
            let b = Request::builder()
                .method(r.method)
                .uri(&r.uri)
                .header(header::COOKIE, format!("danvan_phien={}", u.cookie));
            match &r.body {
                Payload::Form(f) => {
                    let mut f = f.clone();
                    f.push(("_csrf".into(), u.csrf.clone()));
                    b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(serde_urlencoded::to_string(&f).unwrap()))
                }
                _ => b.body(Body::empty()),
            }
            .unwrap()
        } else {
            let body = match &r.body {
                Payload::Json(v) => Some(v.to_string()),
                _ => None,
            };
            json_request(Some(&u.token), r.method, &r.uri, body)
        };
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let body = to_bytes(resp.into_body(), 1 << 26).await.unwrap();
        (status, body.to_vec())
    }

    /// (d) The facts equal a recount from every stored record; and the
    /// world is as the last snapshot saw it.
    pub async fn finish(&mut self) {
        let s = &self.store;
        let again = self.snapshot().await;
        assert!(self.snap.diff(&again).is_empty(), "a change went unseen");
        let mut c: Vec<Contribution> = Vec::new();
        for (_, r) in reception::all(s).await.unwrap() {
            r.contributions(&mut c);
        }
        for p in petitions::list(s, &Filter::default(), Viewer { official_id: 0 })
            .await
            .unwrap()
        {
            p.petition.contributions(&mut c);
        }
        for (_, x) in petitions::all_cases(s).await.unwrap() {
            x.contributions(&mut c);
        }
        for (_, x) in mediation::list(s, None, 1 << 20).await.unwrap() {
            x.contributions(&mut c);
        }
        for (id, _) in meetings::list(s, None, 1 << 20).await.unwrap() {
            meetings::get(s, id).await.unwrap().contributions(&mut c);
        }
        for (id, _, _) in models::list(s, None, 1 << 20).await.unwrap() {
            let (m, years) = models::get(s, id).await.unwrap();
            for y in &years {
                ModelEntry { model: &m, year: y }.contributions(&mut c);
            }
        }
        for (_, x) in oversight::list(s, None, 1 << 20).await.unwrap() {
            x.contributions(&mut c);
        }
        let docs = directives::search_in(s, "", None).await.unwrap();
        assert!(docs.len() < 200, "more directives than one search lists");
        for (_, x) in docs {
            x.contributions(&mut c);
        }
        for (unit, period) in datasets::entries(s, SET, None, 1 << 20).await.unwrap() {
            let start = danvan_core::period::Period::parse(&period, false)
                .unwrap()
                .range()
                .start;
            for v in datasets::values_of(s, SET, unit, &period).await.unwrap() {
                let v = DataValue { unit_id: unit, ..v };
                SummedValue {
                    value: &v,
                    period_start: start,
                }
                .contributions(&mut c);
            }
        }
        let all = units::all(s).await.unwrap();
        assert_eq!(
            facts::dump(s).await.unwrap(),
            facts::recount(&all, &c),
            "facts differ from a recount of the records"
        );
    }
}

fn snap_ids(ids: &mut HashMap<&'static str, Vec<i64>>, k: &'static str, id: i64) {
    ids.entry(k).or_default().push(id);
}

/// Some of `body` around byte `at`, for a failure message.
fn excerpt(body: &[u8], at: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let start = text.floor_char_boundary(at.saturating_sub(120));
    let end = text.ceil_char_boundary((at + 120).min(text.len()));
    text[start..end].replace('\n', " ")
}

/// A session for `name`: its cookie value and CSRF token. (The login
/// form itself, its throttling and CSRF, have their own tests.)
async fn login(store: &Store, name: &str) -> (String, String) {
    let s = accounts::login(store, name, PASSWORD, "127.0.0.1", 8)
        .await
        .unwrap()
        .unwrap();
    (s.token, s.csrf)
}

/// One record of every kind at `unit`, made on the server.
async fn seed(store: &Store, unit: i64) {
    let mut p = Petition::received(
        unit,
        day(3, 3),
        PetitionChannel::Post,
        PetitionType::Complaint,
        PetitionField::Land,
    );
    p.sender = Sender {
        name: "Người khiếu nại".into(),
        address: "Thôn Công Khai".into(),
        phone: String::new(),
    };
    p.summary = "Khiếu nại về đền bù".into();
    petitions::insert(store, &p).await.unwrap();
    let r = json!({
        "unit_id": unit, "received_on": "2025-03-04", "official": "Chủ tịch",
        "position": "Chủ tịch UBND", "kind": "regular", "content": "complaint",
        "outcome": "guided", "turns": 1, "persons": 1, "delegations": 0,
        "delegation_persons": 0, "petition_id": null, "note": "tiếp dân",
    });
    reception::insert(store, &serde_json::from_value(r).unwrap())
        .await
        .unwrap();
    let m = json!({ "unit_id": unit, "team": "Tổ hòa giải", "received_on": "2025-03-05",
                    "field": "land", "result": "in_progress", "summary": "ranh giới" });
    mediation::insert_many(store, &[serde_json::from_value(m).unwrap()])
        .await
        .unwrap();
    let m = json!({ "unit_id": unit, "kind": "dialogue", "held_on": "2025-03-06",
                    "chair": "Chủ tịch UBND", "deputies": "", "participants": 40,
                    "subject": "đối thoại", "opinions": [
                        { "content": "giá đền bù", "follow_up": "pending" },
                        { "content": "đường sá", "follow_up": "pending" }] });
    meetings::insert_many(store, &[serde_json::from_value(m).unwrap()])
        .await
        .unwrap();
    let m = json!({ "unit_id": unit, "name": "Dân vận khéo", "level": "grassroots",
                    "field": "economy" });
    let y = json!({ "year": 2025, "recorded_on": "2025-03-09", "status": "new",
                    "recognised": false, "award": "" });
    models::insert_many(
        store,
        &[(
            serde_json::from_value(m).unwrap(),
            vec![serde_json::from_value(y).unwrap()],
        )],
    )
    .await
    .unwrap();
    let o = json!({ "unit_id": unit, "organisation": "front", "kind": "supervision",
                    "held_on": "2025-03-07", "subject": "giám sát", "targets": "UBND",
                    "recommendations": 2 });
    oversight::insert_many(store, &[serde_json::from_value(o).unwrap()])
        .await
        .unwrap();
    let d = danvan_core::records::directive::Directive {
        unit_id: unit,
        number: danvan_core::records::directive::DocumentNumber::parse("12/KH-UBND").unwrap(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 8).unwrap(),
        issuer: "UBND".into(),
        title: "Kế hoạch dân vận khéo".into(),
    };
    directives::insert_many(store, &[d]).await.unwrap();
    let v = DataValue {
        unit_id: unit,
        element: ELEMENT.into(),
        period: "2025-H1".into(),
        option: String::new(),
        value: 7,
    };
    datasets::enter(store, SET, &[v]).await.unwrap();
}
