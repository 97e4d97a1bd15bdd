-- What each user chose to be reminded of (thông báo), and where the daily
-- digest goes. A user without a row gets the defaults. National
-- reference table, like the accounts.
CREATE TABLE notice_preference (
    user_id BIGINT PRIMARY KEY REFERENCES app_user (id) ON DELETE CASCADE,
    petitions BOOLEAN NOT NULL,
    opinions BOOLEAN NOT NULL,
    soon_days BIGINT NOT NULL,
    opinion_days BIGINT NOT NULL,
    email TEXT NOT NULL,
    digest BOOLEAN NOT NULL
);

-- The petitions assigned to one official, for their reminders.
CREATE INDEX petition_assignment_official ON petition_assignment (official_id);
