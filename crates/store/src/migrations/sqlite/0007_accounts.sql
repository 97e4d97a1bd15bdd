-- Accounts of the web application and API. A user is bound to a unit and
-- reads and writes only that unit's subtree; only an administrator may be
-- bound to no unit (the whole country). National reference tables, not
-- distributed by province.
CREATE TABLE app_user (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT REFERENCES unit (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

-- Only a hash of the session token is kept: a copy of the database does
-- not let anyone in.
CREATE TABLE user_session (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX user_session_user ON user_session (user_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT FALSE
);

-- Failed logins, for throttling.
CREATE TABLE login_failure (
    username TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (username, at);
