-- Same meaning as migrations/sqlite/0013.
CREATE TABLE notice_preference (
    user_id BIGINT PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    petitions BOOLEAN NOT NULL,
    opinions BOOLEAN NOT NULL,
    soon_days BIGINT NOT NULL,
    opinion_days BIGINT NOT NULL,
    email TEXT NOT NULL,
    digest BOOLEAN NOT NULL
);

CREATE INDEX petition_assignment_official ON petition_assignment (official_id);
