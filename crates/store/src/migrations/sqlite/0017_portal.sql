-- The public portal (cổng công dân): what citizens send online, each
-- submission a petition with channel «trực tuyến» followed by a tracking
-- code; their further messages and files; officials' answers, public ones
-- shown on the unit's «Hỏi – đáp» page.

-- One submission through the portal. The tracking code is kept only as
-- its SHA-256, like session tokens: the citizen holds the code itself.
CREATE TABLE portal_submission (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    code_hash TEXT NOT NULL UNIQUE,
    -- phản ánh | kiến nghị | khiếu nại | tố cáo (core::portal::PortalKind).
    kind TEXT NOT NULL,
    -- SHA-256 of the unit, kind and folded content: the same content sent
    -- to the same unit within a day is linked to the first petition.
    content_hash TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    -- Consent to the use of the contact details (Nghị định 13/2023/NĐ-CP):
    -- when it was given and the words agreed to.
    consent_at TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    -- The earlier submission this one repeats, if any.
    duplicate_of INTEGER
);
CREATE INDEX portal_submission_content ON portal_submission (unit_id, content_hash);
CREATE INDEX portal_submission_petition ON portal_submission (petition_id);

-- A message on a petition sent online: the citizen's further messages.
CREATE TABLE portal_message (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    -- The submission (tracking code) it was sent under.
    submission_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX portal_message_petition ON portal_message (petition_id);

-- A file a citizen attached (an image or a PDF, its type read from its
-- content), kept in the database under a random name, never on a path
-- the web server serves.
CREATE TABLE portal_attachment (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    message_id INTEGER,
    name TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    -- The bytes, base64.
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX portal_attachment_petition ON portal_attachment (petition_id);

-- An official's answer to a petition; a public one is shown, with the
-- question as the official worded it, on the unit's «Hỏi – đáp» page.
CREATE TABLE petition_answer (
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL PRIMARY KEY,
    question TEXT NOT NULL,
    body TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    answered_on TEXT NOT NULL,
    answered_by INTEGER
);
CREATE INDEX petition_answer_public ON petition_answer (public, petition_id);
