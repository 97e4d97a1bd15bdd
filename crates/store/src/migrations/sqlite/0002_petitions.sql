-- Petitions (đơn thư), cases (vụ việc), denouncer secrecy, and the deadline
-- rules and official day schedule kept as data. Same meaning as
-- migrations/postgres/0002. Booleans are 0/1 integers here.

-- Cases group petitions about one matter.
CREATE TABLE petition_case (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    opened_on TEXT NOT NULL,
    title TEXT NOT NULL,
    complex INTEGER NOT NULL DEFAULT 0,
    crowd INTEGER NOT NULL DEFAULT 0,
    prolonged INTEGER NOT NULL DEFAULT 0,
    resolved_on TEXT
);
CREATE INDEX petition_case_unit ON petition_case (unit_id, opened_on);

-- One petition with its lifecycle; status is derived from the columns.
-- Sender identity is masked by the store for denunciations unless the
-- viewer is assigned (petition_assignment).
CREATE TABLE petition (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    senders INTEGER NOT NULL DEFAULT 1,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    case_id INTEGER REFERENCES petition_case (id),
    sender_name TEXT NOT NULL DEFAULT '',
    sender_address TEXT NOT NULL DEFAULT '',
    sender_phone TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    classified_on TEXT,
    eligible INTEGER,
    ineligible_reason TEXT,
    handled_on TEXT,
    handling TEXT,
    complex INTEGER NOT NULL DEFAULT 0,
    remote INTEGER NOT NULL DEFAULT 0,
    processing_deadline TEXT,
    deadline TEXT,
    rule_id TEXT,
    resolved_on TEXT,
    outcome TEXT
);
CREATE INDEX petition_unit_date ON petition (unit_id, received_on);
CREATE INDEX petition_case_id ON petition (case_id);

-- Extension decisions (quyết định gia hạn), in decision order.
CREATE TABLE petition_extension (
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL REFERENCES petition (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    decided_on TEXT NOT NULL,
    days INTEGER NOT NULL,
    decision_no TEXT NOT NULL,
    PRIMARY KEY (province_id, petition_id, seq)
) WITHOUT ROWID;
CREATE INDEX petition_extension_petition ON petition_extension (petition_id);

-- Officials assigned to a petition: the only ones who see a denouncer.
CREATE TABLE petition_assignment (
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL REFERENCES petition (id) ON DELETE CASCADE,
    official_id INTEGER NOT NULL,
    PRIMARY KEY (province_id, petition_id, official_id)
) WITHOUT ROWID;
CREATE INDEX petition_assignment_petition ON petition_assignment (petition_id, official_id);

-- Deadline rules (core::calendar::deadline::DeadlineRule). National rules
-- have province_id 0 and no province_code; the store seeds them on open.
CREATE TABLE deadline_rule (
    province_id INTEGER NOT NULL,
    id TEXT NOT NULL,
    procedure TEXT NOT NULL,
    days INTEGER NOT NULL,
    counting TEXT NOT NULL,
    complex INTEGER NOT NULL,
    remote_area INTEGER NOT NULL,
    province_code TEXT,
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    legal_basis TEXT NOT NULL,
    max_extensions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (province_id, id)
) WITHOUT ROWID;

-- The official day schedule (lịch nghỉ, làm bù): national, province_id 0.
CREATE TABLE calendar_day (
    province_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (province_id, day)
) WITHOUT ROWID;
