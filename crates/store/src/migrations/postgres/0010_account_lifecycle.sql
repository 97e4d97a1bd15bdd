-- Same meaning as migrations/sqlite/0010.
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE api_token ADD COLUMN last_used_at TIMESTAMP;
UPDATE api_token SET expires_at = created_at + INTERVAL '90 days';

CREATE TABLE login_throttle (
    throttle_key TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    attempts BIGINT NOT NULL
);
DROP TABLE login_failure;

CREATE INDEX user_session_expires ON user_session (expires_at);
