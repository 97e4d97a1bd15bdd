-- Account lifecycle. API tokens expire (existing ones 90 days after they
-- were made) and remember when they were last used.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
ALTER TABLE api_token ADD COLUMN last_used_at TEXT;
UPDATE api_token SET expires_at = datetime(created_at, '+90 days');

-- Login throttling: one row per key (an address, an account, an account
-- from an address) counting attempts in a fixed window. An attempt is
-- counted, and the decision read back, by one upsert before the password
-- is checked, so parallel guesses cannot slip past the limit. Replaces
-- login_failure, which was counted apart from the insert.
CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    attempts BIGINT NOT NULL
);
DROP TABLE login_failure;

CREATE INDEX user_session_expires ON user_session (expires_at);
