//! The calls of the property test: a random step (who, what, and a few
//! numbers) read against the current state of the world into one HTTP
//! request — an API call with the user's token, or a page with the user's
//! session. Units and record ids are picked from every unit, the caller's
//! or not, and sometimes do not exist; bodies are sometimes invalid.

use chrono::NaiveDate;
use danvan_core::records::petition::{
    MASK, Petition, PetitionChannel, PetitionField, PetitionType, Sender,
};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The data set every unit enters values into.
pub const SET: &str = "pt_so_lieu";
pub const ELEMENT: &str = "pt_so_cuoc";
/// An id no record or unit has.
pub const NOWHERE: i64 = 987_654;

/// One random step: `who` calls action `what`; `a`, `b`, `c` pick units,
/// records, variants.
#[derive(Debug, Clone)]
pub struct Step {
    pub who: usize,
    pub what: u8,
    pub a: usize,
    pub b: usize,
    pub c: u8,
}

pub fn steps(users: usize, len: usize) -> impl Strategy<Value = Vec<Step>> {
    let one = (0..users, 0u8..36, any::<u16>(), any::<u16>(), any::<u8>()).prop_map(
        |(who, what, a, b, c)| Step {
            who,
            what,
            a: a as usize,
            b: b as usize,
            c,
        },
    );
    prop::collection::vec(one, len)
}

/// What a request carries.
#[derive(Debug, Clone)]
pub enum Payload {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
}

/// One request: an API call (token) or a page (session, CSRF token).
#[derive(Debug, Clone)]
pub struct Req {
    pub method: &'static str,
    pub uri: String,
    pub body: Payload,
}

impl Req {
    fn get(uri: String) -> Req {
        Req {
            method: "GET",
            uri,
            body: Payload::None,
        }
    }
    fn json(method: &'static str, uri: String, v: Value) -> Req {
        Req {
            method,
            uri,
            body: Payload::Json(v),
        }
    }
    fn form(uri: String, fields: Vec<(&str, String)>) -> Req {
        Req {
            method: "POST",
            uri,
            body: Payload::Form(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
        }
    }
    fn delete(uri: String) -> Req {
        Req {
            method: "DELETE",
            uri,
            body: Payload::None,
        }
    }
    pub fn is_page(&self) -> bool {
        !self.uri.starts_with("/api/")
    }
}

/// What the calls are picked from: the world as the last snapshot saw it.
pub struct World<'a> {
    /// Unit ids and codes, with one that does not exist.
    pub units: &'a [(i64, String)],
    /// Every user's id (an official to assign).
    pub users: &'a [i64],
    /// Ids of each kind of record, of every unit.
    pub petitions: &'a [i64],
    pub receptions: &'a [i64],
    pub mediation: &'a [i64],
    pub meetings: &'a [i64],
    pub models: &'a [i64],
    pub oversight: &'a [i64],
    /// A petition as stored, for a correction (`None` if unknown).
    pub petition: &'a dyn Fn(i64) -> Option<Petition>,
    /// Whether the caller may see the sender of a petition (assigned).
    pub sees: &'a dyn Fn(i64) -> bool,
}

fn pick(ids: &[i64], n: usize) -> i64 {
    // One pick in 16 is an id nobody has.
    if ids.is_empty() || n % 16 == 15 {
        NOWHERE
    } else {
        ids[n % ids.len()]
    }
}

fn day(n: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 2).unwrap() + chrono::Duration::days((n % 170) as i64)
}

/// A denouncer's identity that is secret from the start: the tag `n`
/// appears in every field, so a leak of any field is found.
pub fn secret_sender(n: u32) -> Sender {
    Sender {
        name: format!("Nguyễn Mật MK{n:05}A"),
        address: format!("Xóm Kín MK{n:05}B"),
        phone: format!("0969{n:06}"),
    }
}

/// The tags of secret identities quoted in `text`: `MK00012A`, `mk00012b`
/// (a part without its letter, as a search term, is no quote), or
/// `0969000012`.
pub fn tags_in(text: &str) -> Vec<u32> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let digits = |at: usize, n: usize| -> Option<u32> {
        let s = b.get(at..at + n)?;
        s.iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(s).ok()?.parse().ok())
            .flatten()
    };
    for i in 0..b.len().saturating_sub(6) {
        if b[i].eq_ignore_ascii_case(&b'm')
            && b[i + 1].eq_ignore_ascii_case(&b'k')
            && let Some(n) = digits(i + 2, 5)
            && b.get(i + 7)
                .is_some_and(|s| matches!(s, b'A' | b'B' | b'a' | b'b'))
        {
            out.push(n);
        }
        if b[i..].starts_with(b"0969")
            && let Some(n) = digits(i + 4, 6)
        {
            out.push(n);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A new petition at `unit`; a denunciation carries the secret `tag`.
fn new_petition(unit: i64, n: usize, kind: u8, tag: u32) -> Petition {
    let kind = PetitionType::ALL[kind as usize % PetitionType::ALL.len()];
    let mut p = Petition::received(
        unit,
        day(n),
        PetitionChannel::ALL[n % PetitionChannel::ALL.len()],
        kind,
        PetitionField::ALL[n % PetitionField::ALL.len()],
    );
    p.summary = format!("Đơn thử số {n}");
    p.sender = if kind == PetitionType::Denunciation {
        secret_sender(tag)
    } else {
        Sender {
            name: format!("Người gửi {n}"),
            address: "Thôn Công Khai".into(),
            phone: String::new(),
        }
    };
    p
}

fn petition_form(unit: i64, n: usize, kind: &str, sender: &Sender) -> Vec<(&'static str, String)> {
    vec![
        ("unit_id", unit.to_string()),
        ("received_on", day(n).format("%d/%m/%Y").to_string()),
        ("channel", "post".into()),
        ("kind", kind.into()),
        ("instance", "1".into()),
        ("field", "land".into()),
        ("senders", "1".into()),
        ("sender_name", sender.name.clone()),
        ("sender_address", sender.address.clone()),
        ("sender_phone", sender.phone.clone()),
        ("summary", format!("Sửa qua trang {n}")),
    ]
}

fn model_year(n: usize) -> Value {
    json!({ "year": 2025, "recorded_on": day(n), "status": (["new", "replicated"][n % 2]),
            "recognised": n.is_multiple_of(3), "award": "" })
}

/// The request of `s` for a caller, given the world; `tag` is the next
/// secret tag free for a new denunciation.
pub fn request(s: &Step, w: &World, tag: u32) -> Req {
    let (unit, code) = w.units[s.a % w.units.len()].clone();
    let pid = pick(w.petitions, s.b);
    let (a, b, c) = (s.a, s.b, s.c);
    let valid = c % 8 != 7;
    let bad_day = if valid {
        day(b).to_string()
    } else {
        "2025-02-30".into()
    };
    match s.what {
        0 | 1 => Req::get(match c % 4 {
            0 => "/api/petitions".into(),
            1 => format!("/api/petitions?unit={unit}"),
            2 => format!("/api/petitions?unit={unit}&type=to%20cao"),
            _ => "/api/petitions?type=denunciation".into(),
        }),
        2 | 3 => Req::get(format!("/api/petitions/{pid}")),
        4 => Req::get(format!(
            "/api/petitions/due?unit={unit}&today=2025-07-30&within=120"
        )),
        5 => Req::get(format!("/api/petitions/{pid}/assignments")),
        6 => Req::get(format!("/api/figures?unit={code}&period=2025")),
        7 => Req::get(match c % 4 {
            0 => format!("/api/mediation/{}", pick(w.mediation, b)),
            1 => format!("/api/meetings/{}", pick(w.meetings, b)),
            2 => format!("/api/models/{}", pick(w.models, b)),
            _ => format!("/api/oversight/{}", pick(w.oversight, b)),
        }),
        8 => Req::get(format!("/api/directives?q=ke%20hoach&within={unit}")),
        9 => Req::get(format!(
            "/api/data-values?unit={unit}&element={ELEMENT}&period=2025-H1"
        )),
        10 => Req::get(match c % 2 {
            0 => "/don-thu".into(),
            _ => format!("/don-thu?don_vi={unit}"),
        }),
        11 | 12 => Req::get(format!("/don-thu/{pid}")),
        13 => Req::get(format!("/don-thu/{pid}/sua")),
        14 => Req::get(match c % 3 {
            0 => "/nhat-ky".into(),
            1 => format!("/nhat-ky?loai=petition&so={pid}"),
            _ => format!("/nhat-ky?q=M%E1%BA%ADt+MK{:05}", 1 + b % 8),
        }),
        15 => Req::get(match c % 6 {
            0 => format!("/ghi-nhan/tiep-cong-dan?don_vi={unit}"),
            1 => format!("/ghi-nhan/tiep-cong-dan/{}", pick(w.receptions, b)),
            2 => format!("/ghi-nhan/hoa-giai/{}", pick(w.mediation, b)),
            3 => format!("/ghi-nhan/hoi-nghi/{}", pick(w.meetings, b)),
            4 => format!("/ghi-nhan/mo-hinh?don_vi={unit}"),
            _ => format!("/?don_vi={unit}&ky=2025"),
        }),
        16 => Req::get(match c % 8 {
            0 => format!("/bao-cao/tai?don_vi={unit}&ky=2025&dinh_dang=txt"),
            _ => format!("/api/petitions/due?unit={unit}&overdue=true&today=2025-12-31"),
        }),
        17..=19 => {
            let mut p = new_petition(unit, b, c % 3, tag);
            if !valid {
                p.resolved_on = Some(p.received_on - chrono::Duration::days(3));
            }
            Req::json("POST", "/api/petitions".into(), json!(p))
        }
        20..=22 => correction(w, pid, unit, b, c),
        23 => Req::json(
            "POST",
            format!("/api/petitions/{pid}/transition"),
            json!({ "event": "classify", "on": bad_day,
                    "eligibility": { "kind": "eligible" } }),
        ),
        24 => Req::json(
            "POST",
            format!("/api/petitions/{pid}/assignments"),
            json!({ "official_id": pick(w.users, a) }),
        ),
        25 => Req::delete(format!(
            "/api/petitions/{pid}/assignments/{}",
            pick(w.users, a)
        )),
        26 => {
            let m = json!({ "unit_id": unit, "team": "Tổ hòa giải", "received_on": bad_day,
                            "field": "land", "result": (["success", "in_progress"][b % 2]),
                            "summary": format!("hòa giải {b}") });
            let id = pick(w.mediation, b);
            match c % 3 {
                0 => Req::json("POST", "/api/mediation".into(), m),
                1 => Req::json("PUT", format!("/api/mediation/{id}"), m),
                _ => Req::delete(format!("/api/mediation/{id}")),
            }
        }
        27 => {
            let id = pick(w.meetings, b);
            match c % 3 {
                0 => Req::json(
                    "POST",
                    "/api/meetings".into(),
                    json!({ "unit_id": unit, "kind": (["dialogue", "voter"][b % 2]),
                            "held_on": bad_day, "chair": "Chủ tịch", "deputies": "",
                            "participants": 10 + b % 50, "subject": format!("hội nghị {b}"),
                            "opinions": [{ "content": "ý kiến", "follow_up": "pending" }] }),
                ),
                1 => Req::delete(format!("/api/meetings/{id}")),
                _ => Req::json(
                    "PUT",
                    format!("/api/meetings/{id}/opinions/{}/follow-up", 1 + a % 2),
                    json!({ "follow_up": "answered_at_meeting" }),
                ),
            }
        }
        28 => match c % 2 {
            0 => Req::json(
                "POST",
                "/api/models".into(),
                json!({ "model": { "unit_id": unit, "name": format!("Dân vận khéo {b}"),
                                   "level": "grassroots", "field": "economy" },
                        "years": [model_year(b)] }),
            ),
            _ => Req::json(
                "PUT",
                format!("/api/models/{}/years", pick(w.models, b)),
                if valid {
                    model_year(b)
                } else {
                    json!({ "year": 2025 })
                },
            ),
        },
        29 => match c % 2 {
            0 => Req::json(
                "POST",
                "/api/oversight".into(),
                json!({ "unit_id": unit, "organisation": "front", "kind": "supervision",
                        "held_on": bad_day, "subject": format!("giám sát {b}"),
                        "targets": "UBND", "recommendations": b % 5 }),
            ),
            _ => Req::json(
                "POST",
                "/api/directives".into(),
                json!({ "unit_id": unit, "number": format!("{}/KH-UBND", b % 900 + 1),
                        "issued_on": bad_day, "issuer": "UBND",
                        "title": format!("Kế hoạch dân vận {b}") }),
            ),
        },
        30 => Req::json(
            "POST",
            format!("/api/data-sets/{SET}/values"),
            json!([{ "unit_id": unit, "element": ELEMENT, "period": "2025-H1",
                     "option": "", "value": if valid { (b % 40) as i64 } else { -5 } }]),
        ),
        31 => {
            // The edit page, filled as the caller reads the petition.
            let p = (w.petition)(pid);
            let sees = (w.sees)(pid);
            let (kind, sender) = match &p {
                Some(p) if sees => (
                    if c % 4 == 0 {
                        "complaint"
                    } else {
                        p.kind.code()
                    },
                    p.sender.clone(),
                ),
                Some(p) => (p.kind.code(), Sender::masked()),
                None => ("complaint", Sender::masked()),
            };
            let at = if c % 5 == 0 {
                unit
            } else {
                p.map_or(unit, |p| p.unit_id)
            };
            match c % 9 {
                8 => Req::form(format!("/don-thu/{pid}/xoa"), vec![]),
                _ => Req::form(
                    format!("/don-thu/{pid}/sua"),
                    petition_form(at, b, kind, &sender),
                ),
            }
        }
        32 => {
            let rid = pick(w.receptions, b);
            let fields = vec![
                ("unit_id", unit.to_string()),
                ("received_on", day(b).format("%d/%m/%Y").to_string()),
                ("kind", "regular".into()),
                ("content", "complaint".into()),
                ("outcome", "guided".into()),
                (
                    "turns",
                    if valid {
                        (1 + b % 4).to_string()
                    } else {
                        "-1".into()
                    },
                ),
                ("persons", "1".into()),
                ("delegations", "0".into()),
                ("delegation_persons", "0".into()),
            ];
            match c % 3 {
                0 => Req::form("/ghi-nhan/tiep-cong-dan".into(), fields),
                1 => Req::form(format!("/ghi-nhan/tiep-cong-dan/{rid}/sua"), fields),
                _ => Req::form(format!("/ghi-nhan/tiep-cong-dan/{rid}/xoa"), vec![]),
            }
        }
        33 => {
            let who = pick(w.users, a).to_string();
            match c % 2 {
                0 => Req::form(
                    format!("/don-thu/{pid}/phan-cong"),
                    vec![("official_id", who)],
                ),
                _ => Req::form(
                    format!("/don-thu/{pid}/thoi-phan-cong"),
                    vec![("official_id", who)],
                ),
            }
        }
        34 => Req::form(
            format!("/bao-cao?don_vi={unit}&ky=2025"),
            vec![("uu_diem", format!("nhận định {b}"))],
        ),
        _ => Req::form(
            "/nguoi-dung".into(),
            vec![
                ("username", format!("moi.{b}.{c}")),
                ("full_name", "Tài khoản mới".into()),
                ("password", "mat-khau-moi-dai".into()),
                ("role", ["officer", "viewer", "handler"][b % 3].into()),
                ("unit_id", unit.to_string()),
            ],
        ),
    }
}

/// `PUT /api/petitions/{id}`: the petition as the caller reads it, with a
/// new summary; sometimes reclassified, its identity erased, or moved.
fn correction(w: &World, pid: i64, unit: i64, b: usize, c: u8) -> Req {
    let mut p = (w.petition)(pid).unwrap_or_else(|| new_petition(unit, b, 0, 0));
    if !(w.sees)(pid) && p.kind == PetitionType::Denunciation {
        p.sender = Sender::masked();
    }
    p.summary = format!("Đã sửa {b}");
    match c % 6 {
        0 => p.kind = PetitionType::Complaint,
        1 => {
            p.sender = Sender {
                name: "Đã xoá".into(),
                address: MASK.into(),
                phone: String::new(),
            }
        }
        2 => p.unit_id = unit,
        3 => p.kind = PetitionType::Denunciation,
        _ => {}
    }
    Req::json("PUT", format!("/api/petitions/{pid}"), json!(p))
}
