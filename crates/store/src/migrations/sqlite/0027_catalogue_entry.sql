-- Indicators, validation rules and report sections an administrator
-- defines at run time, beside the shipped catalogue. Every save is a new
-- version of its (kind, code); the newest version is the one in force, and
-- a version marked `retired` takes the entry out of reports. `source` is
-- the entry as TOML, in the shipped catalogue's own format.
CREATE TABLE catalogue_entry (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('indicator', 'rule', 'section')),
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    source TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    saved_at TEXT NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    UNIQUE (kind, code, version)
);
