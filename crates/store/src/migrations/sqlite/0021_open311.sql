-- Open311 GeoReport v2 (/open311/v2): the applications allowed to send
-- requests for citizens, and the public number of every request that came
-- through the portal or an application.

-- An application's key. Only its SHA-256 is kept: the key is shown once,
-- when an administrator makes it (`danvan open311 key-new`).
CREATE TABLE open311_key (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- A request as Open311 names it: a random service_request_id (never the
-- petition's number) for one submission, with what the application sent
-- beside the petition's own fields (the place, a link to a photo, kept as
-- text and never fetched). key_id is NULL for the portal's own form.
CREATE TABLE open311_request (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    submission_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    key_id INTEGER,
    service_code TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    lat REAL,
    lon REAL,
    address_string TEXT NOT NULL DEFAULT '',
    media_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX open311_request_time ON open311_request (requested_at);
CREATE INDEX open311_request_petition ON open311_request (petition_id);

-- Every submission made before this migration gets its number.
INSERT INTO open311_request (province_id, request_id, submission_id, petition_id, service_code, requested_at)
SELECT province_id, lower(hex(randomblob(12))), id, petition_id, kind, submitted_at FROM portal_submission;
