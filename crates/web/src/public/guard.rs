//! What keeps the public forms usable under abuse, without a third-party
//! captcha (the server must work offline): a per-address limit on every
//! public POST, a honeypot field a person never sees, and a stamp that says
//! when the form was given out, so a form sent back faster than a person
//! can fill it, or a stamp forged or days old, is refused.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use sha2::{Digest, Sha256};

/// How the public side is guarded; tests shorten the wait.
pub struct Settings {
    /// The key the form stamps are signed with (random per process: a
    /// restart only voids forms open at that moment).
    pub key: [u8; 32],
    /// A form sent back sooner than this after it was given out is refused.
    pub min_fill: Duration,
    /// A stamp older than this is refused.
    pub max_age: Duration,
    /// POSTs an address may make at once, and how many it regains per
    /// minute.
    pub burst: u32,
    pub per_minute: u32,
    limiter: Mutex<HashMap<IpAddr, Bucket>>,
}

impl Default for Settings {
    fn default() -> Settings {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Settings::new(key, Duration::from_secs(3))
    }
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Addresses remembered at most; past that, the idle ones are forgotten.
const REMEMBERED: usize = 10_000;

impl Settings {
    pub fn new(key: [u8; 32], min_fill: Duration) -> Settings {
        Settings {
            key,
            min_fill,
            max_age: Duration::from_secs(24 * 3600),
            burst: 10,
            per_minute: 10,
            limiter: Mutex::new(HashMap::new()),
        }
    }

    /// Take one POST from `addr`'s allowance: `Err(seconds to wait)` when
    /// it is spent.
    pub fn admit(&self, addr: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let rate = f64::from(self.per_minute) / 60.0;
        let cap = f64::from(self.burst);
        let mut map = self.limiter.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= REMEMBERED {
            map.retain(|_, b| b.tokens + rate * now.duration_since(b.at).as_secs_f64() < cap);
        }
        let b = map.entry(addr).or_insert(Bucket {
            tokens: cap,
            at: now,
        });
        b.tokens = (b.tokens + rate * now.duration_since(b.at).as_secs_f64()).min(cap);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / rate).ceil() as u64)
        }
    }

    /// The stamp of a form given out at `unix` seconds.
    pub fn stamp(&self, unix: u64) -> String {
        stamp_with(&self.key, unix)
    }

    /// Whether a form with `stamp` may be taken now; the reason in
    /// Vietnamese when not.
    pub fn check_stamp(&self, stamp: &str, now_unix: u64) -> Result<(), &'static str> {
        let again = "Biểu mẫu đã cũ hoặc không hợp lệ. Hãy mở lại trang, điền và gửi lại.";
        let (t, _) = stamp.split_once('.').ok_or(again)?;
        let t: u64 = t.parse().map_err(|_| again)?;
        if !crate::auth::same(&stamp_with(&self.key, t), stamp) {
            return Err(again);
        }
        let age = now_unix.saturating_sub(t);
        if t > now_unix || age > self.max_age.as_secs() {
            return Err(again);
        }
        if age < self.min_fill.as_secs() {
            return Err(
                "Biểu mẫu được gửi quá nhanh sau khi mở. Hãy đọc lại nội dung rồi gửi lại sau vài giây.",
            );
        }
        Ok(())
    }
}

/// `unix.mac`: the time and its MAC under `key` (SHA-256 of key and time).
pub fn stamp_with(key: &[u8; 32], unix: u64) -> String {
    let mut h = Sha256::new();
    h.update(key);
    h.update(b"danvan-bieu-mau:");
    h.update(unix.to_string().as_bytes());
    format!("{unix}.{}", &hex(&h.finalize())[..32])
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Seconds since 1970, for stamps.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The address a request came from: the connection's peer (no proxy
/// header is trusted), or one shared address when there is none (tests).
pub fn peer(parts: &axum::http::request::Parts) -> IpAddr {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_refuse_forgery_haste_and_age() {
        let s = Settings::new([7; 32], Duration::from_secs(3));
        let t = 1_000_000;
        assert!(s.check_stamp(&s.stamp(t), t + 10).is_ok());
        assert!(
            s.check_stamp(&s.stamp(t), t + 1)
                .unwrap_err()
                .contains("quá nhanh")
        );
        assert!(s.check_stamp(&s.stamp(t), t + 2 * 86_400).is_err());
        let forged = format!("{}.{}", t - 100, &s.stamp(t)[8..]);
        assert!(s.check_stamp(&forged, t + 10).is_err());
        assert!(s.check_stamp("", t).is_err());
    }

    #[test]
    fn an_address_is_limited_and_others_are_not() {
        let s = Settings::new([7; 32], Duration::ZERO);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let admitted = (0..100).filter(|_| s.admit(a).is_ok()).count();
        assert_eq!(admitted, 10);
        assert!(s.admit(b).is_ok());
    }
}
