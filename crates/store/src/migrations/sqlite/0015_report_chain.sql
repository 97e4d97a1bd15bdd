-- The reporting chain (chuỗi báo cáo): a unit asks the units below it for
-- a report (yêu cầu báo cáo), each of them submits it, frozen, and the
-- requesting unit accepts or returns it. An accepted submission locks its
-- period at its unit and below.

CREATE TABLE report_request (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    -- The unit that asks.
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    template TEXT NOT NULL,
    -- Period code ("2020-H1", "2021..2023") and the cut-off convention.
    period TEXT NOT NULL,
    cutoff BOOLEAN NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    due_on TEXT NOT NULL,
    -- The document the request cites ("1027-CV/BDVTU").
    document TEXT NOT NULL,
    title TEXT NOT NULL,
    -- communes | districts | chosen
    target TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER
);
CREATE INDEX report_request_unit ON report_request (unit_id);

-- The units asked, fixed when the request is made.
CREATE TABLE report_request_target (
    request_id INTEGER NOT NULL REFERENCES report_request (id),
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    PRIMARY KEY (request_id, unit_id)
);
CREATE INDEX report_request_target_unit ON report_request_target (unit_id);

-- One version of one unit's answer. A submitted version never changes
-- except its review; a returned report is answered by a new version.
CREATE TABLE report_submission (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES report_request (id),
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    version INTEGER NOT NULL,
    -- draft | submitted | accepted | returned
    status TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    sections TEXT NOT NULL,
    number TEXT,
    dated_on TEXT,
    -- The frozen report: its text, figures (JSON), letterhead (JSON),
    -- documents (base64) and their SHA-256, and the outlier flags.
    body TEXT,
    figures TEXT,
    letterhead TEXT,
    docx TEXT,
    docx_sha256 TEXT,
    pdf TEXT,
    pdf_sha256 TEXT,
    outliers TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER,
    submitted_at TIMESTAMP,
    submitted_by INTEGER,
    reviewed_at TIMESTAMP,
    reviewed_by INTEGER,
    reason TEXT,
    UNIQUE (request_id, unit_id, version)
);
CREATE INDEX report_submission_lock ON report_submission (unit_id, status);

-- A change made after a period was locked, by an authorised user, with
-- its reason. The frozen submission is untouched.
CREATE TABLE late_correction (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES report_submission (id),
    province_id INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX late_correction_submission ON late_correction (submission_id);

-- Reports asked of a user's unit, returned or accepted, among their notices.
ALTER TABLE notice_preference ADD COLUMN reports BOOLEAN NOT NULL DEFAULT TRUE;
