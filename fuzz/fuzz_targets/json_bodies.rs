//! The JSON bodies of the API: the first byte picks the body, the rest is
//! the JSON. Each is read as the handlers read it (one record or a list,
//! `serde_json`) and checked by core's validation; nothing panics. A body
//! that reads writes back to JSON that reads to the same value.
#![no_main]

use chrono::NaiveDate;
use danvan_core::records::dataset::{DataElement, DataSet, DataValue};
use danvan_core::records::directive::DocumentNumber;
use danvan_core::records::mediation::MediationCase;
use danvan_core::records::meeting::{FollowUp, Meeting};
use danvan_core::records::model::{Model, ModelYear};
use danvan_core::records::oversight::Oversight;
use danvan_core::records::petition::{
    Case, Event, Petition, PetitionChannel, PetitionField, PetitionType,
};
use danvan_core::records::reception::Reception;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The directive body of `POST /api/directives`: the number as written.
#[derive(Deserialize)]
struct DirectiveBody {
    #[allow(dead_code)]
    unit_id: i64,
    number: String,
    #[allow(dead_code)]
    issued_on: NaiveDate,
    #[allow(dead_code)]
    issuer: String,
    #[allow(dead_code)]
    title: String,
}

/// The model body of `POST /api/models`.
#[derive(Deserialize)]
struct ModelBody {
    model: Model,
    years: Vec<ModelYear>,
}

#[derive(Deserialize)]
struct FollowUpBody {
    follow_up: String,
}

/// One record or a list, as `one_or_many` reads them.
fn one_or_many<T: DeserializeOwned>(json: &[u8]) -> Vec<T> {
    let Ok(v) = serde_json::from_slice::<Value>(json) else {
        return Vec::new();
    };
    match v {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| serde_json::from_value(i).ok())
            .collect(),
        v => serde_json::from_value(v).into_iter().collect(),
    }
}

/// A value read from JSON writes back to JSON that reads to itself.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
    let json = serde_json::to_string(v).expect("a record writes to JSON");
    let back: T = serde_json::from_str(&json).expect("written JSON reads back");
    assert_eq!(&back, v, "{json}");
}

fn petition_base() -> Petition {
    Petition::received(
        1,
        NaiveDate::from_ymd_opt(2026, 3, 2).expect("valid date"),
        PetitionChannel::InPerson,
        PetitionType::Complaint,
        PetitionField::Land,
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, json)) = data.split_first() else {
        return;
    };
    match which % 14 {
        0 => {
            if let Ok(p) = serde_json::from_slice::<Petition>(json) {
                round_trip(&p);
                let _ = p.validate();
                let _ = p.status();
                let _ = p.closed_on();
                if let Ok(events) = p.events() {
                    let mut q = petition_base();
                    for e in &events {
                        match q.apply(e) {
                            Ok(next) => q = next,
                            Err(_) => break,
                        }
                    }
                }
            }
        }
        1 => {
            if let Ok(e) = serde_json::from_slice::<Event>(json) {
                round_trip(&e);
                let base = petition_base();
                if let Ok(p) = base.apply(&e) {
                    let _ = p.validate();
                    let _ = p.apply(&e);
                }
            }
        }
        2 => {
            for r in one_or_many::<Reception>(json) {
                round_trip(&r);
                let _ = r.validate();
            }
        }
        3 => {
            for r in one_or_many::<MediationCase>(json) {
                round_trip(&r);
                let _ = r.validate();
            }
        }
        4 => {
            for r in one_or_many::<Meeting>(json) {
                round_trip(&r);
                let _ = r.validate();
            }
        }
        5 => {
            for b in one_or_many::<ModelBody>(json) {
                round_trip(&b.model);
                let _ = b.model.validate();
                for y in &b.years {
                    round_trip(y);
                    let _ = y.validate();
                }
            }
        }
        6 => {
            if let Ok(y) = serde_json::from_slice::<ModelYear>(json) {
                round_trip(&y);
                let _ = y.validate();
            }
        }
        7 => {
            for r in one_or_many::<Oversight>(json) {
                round_trip(&r);
                let _ = r.validate();
            }
        }
        8 => {
            for v in one_or_many::<DataValue>(json) {
                round_trip(&v);
                let _ = danvan_core::period::Period::parse(&v.period, false);
            }
        }
        9 => {
            if let Ok(s) = serde_json::from_slice::<DataSet>(json) {
                round_trip(&s);
                let _ = s.validate();
                let text = String::from_utf8_lossy(json);
                for p in ["2026", "2026-Q1", "2026-H2", "2026-03", &text] {
                    let _ = s.period_start(p);
                }
            }
        }
        10 => {
            if let Ok(e) = serde_json::from_slice::<DataElement>(json) {
                round_trip(&e);
                let _ = e.validate();
                let text = String::from_utf8_lossy(json);
                for v in ["0", "1.022", "98,1", "-5", &text] {
                    let _ = e.parse_value(v);
                    let _ = e.check_option(v);
                }
            }
        }
        11 => {
            for b in one_or_many::<DirectiveBody>(json) {
                if let Ok(n) = DocumentNumber::parse(&b.number) {
                    round_trip(&n);
                    assert_eq!(DocumentNumber::parse(&n.text).ok(), Some(n));
                }
            }
        }
        12 => {
            if let Ok(c) = serde_json::from_slice::<Case>(json) {
                round_trip(&c);
                let _ = c.validate();
            }
        }
        _ => {
            if let Ok(b) = serde_json::from_slice::<FollowUpBody>(json) {
                let _ = FollowUp::parse(&b.follow_up);
            }
        }
    }
});
