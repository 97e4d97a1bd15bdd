//! Accounts made for tests: one password for all, the full name made from
//! the user name, so pages can be searched for whom they show.

use danvan_store::Store;
use danvan_store::accounts::{self, NewUser, Role, User};

/// The password of every account made here.
pub const PASSWORD: &str = "mat-khau-thu";

/// The form of an account `username` with `role`, bound to `unit_id`.
pub fn new_user(username: &str, role: Role, unit_id: Option<i64>) -> NewUser {
    NewUser {
        username: username.into(),
        full_name: format!("Người dùng {username}"),
        password: PASSWORD.into(),
        role,
        unit_id,
    }
}

/// An account made on the store (the system store may make any).
pub async fn user(store: &Store, username: &str, role: Role, unit_id: Option<i64>) -> User {
    accounts::create(store, &new_user(username, role, unit_id))
        .await
        .unwrap_or_else(|e| panic!("account {username}: {e}"))
}
