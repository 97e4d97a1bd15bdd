//! Login throttling. Every attempt is counted, and the decision read back,
//! by one upsert per key *before* the password is checked, so guesses sent
//! in parallel cannot slip past the limit (each upsert is atomic on both
//! engines). Three keys, each with its own fixed window:
//!
//! - the client address, across accounts: stops one address trying one
//!   password on many accounts;
//! - the account from that address: the tight limit a guesser meets;
//! - the account from anywhere: looser, with a short window, so guessing
//!   from many addresses is bounded yet a stranger cannot keep the owner
//!   out for longer than that window.
//!
//! A successful login gives its attempt back, so officials behind one
//! office address do not use up each other's allowance. The keys are the
//! same whether or not the account exists, so a refusal says nothing
//! about which names exist.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};

use super::now;
use crate::db::on_pool;
use crate::{Store, StoreError};

/// One limit: at most `max` attempts per key in `minutes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    prefix: &'static str,
    pub max: i64,
    pub minutes: i64,
}

/// Attempts from one address, across every account.
pub const PER_ADDRESS: Limit = Limit {
    prefix: "a",
    max: 30,
    minutes: 15,
};
/// Attempts at one account from one address.
pub const PER_ACCOUNT_ADDRESS: Limit = Limit {
    prefix: "ua",
    max: 5,
    minutes: 15,
};
/// Attempts at one account from all addresses together.
pub const PER_ACCOUNT: Limit = Limit {
    prefix: "u",
    max: 20,
    minutes: 5,
};
/// Attempts at changing one's own password (the current one is checked).
pub(crate) const PASSWORD_CHANGE: Limit = Limit {
    prefix: "p",
    max: 5,
    minutes: 15,
};

/// The longest window: a key's row is useless after it (see `purge`).
pub(crate) const LONGEST_MINUTES: i64 = 15;

/// The address a throttle counts: an IPv4 address as it is, an IPv6
/// address by its /64 network (one machine is given a whole /64). Anything
/// unparsable (no peer address known) counts as one address, "?".
pub fn address_key(address: &str) -> String {
    match address.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(a)) => a.to_string(),
        Ok(IpAddr::V6(a)) => match a.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = a.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => "?".into(),
    }
}

/// The keys of a login attempt, in the order they are counted.
pub(crate) fn login_keys(username: &str, address: &str) -> [(Limit, String); 3] {
    let address = address_key(address);
    [
        (PER_ADDRESS, format!("{}:{address}", PER_ADDRESS.prefix)),
        (
            PER_ACCOUNT_ADDRESS,
            format!("{}:{username}|{address}", PER_ACCOUNT_ADDRESS.prefix),
        ),
        (PER_ACCOUNT, format!("{}:{username}", PER_ACCOUNT.prefix)),
    ]
}

pub(crate) fn password_change_key(user_id: i64) -> [(Limit, String); 1] {
    [(
        PASSWORD_CHANGE,
        format!("{}:{user_id}", PASSWORD_CHANGE.prefix),
    )]
}

/// Count one attempt under every key, in order. `Ok(None)`: go on and
/// check the password. `Ok(Some(minutes))`: refused, try again in that
/// many minutes; the keys counted before the refusing one are given back,
/// so a refused attempt uses up nothing else (an address kept out of one
/// account may still try others, an account's owner is not held back by
/// someone hammering it from elsewhere).
pub(crate) async fn reserve(
    store: &Store,
    keys: &[(Limit, String)],
) -> Result<Option<i64>, StoreError> {
    for (i, (limit, key)) in keys.iter().enumerate() {
        let at = now();
        let (attempts, start) = count(store, key, at, limit.minutes).await?;
        if attempts > limit.max {
            release(store, &keys[..i]).await?;
            let ends = start + Duration::minutes(limit.minutes);
            let left = (ends - at).num_seconds().max(1);
            return Ok(Some((left + 59) / 60));
        }
    }
    Ok(None)
}

/// Count one attempt under `key` and read back the window's count: one
/// statement, so no two attempts read the same count. A window that has
/// ended starts again at this attempt.
async fn count(
    store: &Store,
    key: &str,
    at: NaiveDateTime,
    minutes: i64,
) -> Result<(i64, NaiveDateTime), StoreError> {
    let ended = at - Duration::minutes(minutes);
    let row: (i64, NaiveDateTime) = on_pool!(&store.pool, p => {
        sqlx::query_as(
            "INSERT INTO login_throttle (throttle_key, window_start, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (throttle_key) DO UPDATE SET \
               attempts = CASE WHEN login_throttle.window_start <= $3 THEN 1 \
                               ELSE login_throttle.attempts + 1 END, \
               window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 \
                                   ELSE login_throttle.window_start END \
             RETURNING attempts, window_start",
        )
        .bind(key)
        .bind(at)
        .bind(ended)
        .fetch_one(p)
        .await?
    });
    Ok(row)
}

/// Give back one attempt under each key (a login that succeeded, or an
/// attempt refused by a later key).
pub(crate) async fn release(store: &Store, keys: &[(Limit, String)]) -> Result<(), StoreError> {
    for (_, key) in keys {
        on_pool!(&store.pool, p => {
            sqlx::query(
                "UPDATE login_throttle SET attempts = attempts - 1 \
                 WHERE throttle_key = $1 AND attempts > 0",
            )
            .bind(key.as_str())
            .execute(p)
            .await?;
        });
    }
    Ok(())
}

/// Forget the rows whose window has ended: they decide nothing any more.
pub(crate) async fn purge(store: &Store) -> Result<u64, StoreError> {
    let ended = now() - Duration::minutes(LONGEST_MINUTES);
    let n = on_pool!(&store.pool, p => {
        sqlx::query("DELETE FROM login_throttle WHERE window_start <= $1")
            .bind(ended)
            .execute(p)
            .await?
            .rows_affected()
    });
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_machine() {
        assert_eq!(address_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:bbbb::9")
        );
        assert_eq!(address_key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(address_key(""), "?");
    }
}
