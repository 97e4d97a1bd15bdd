-- Imports started from the web page, kept in the database so that their
-- progress and outcome survive a restart of the server and can be read
-- through any server on the same database. `beat_at` is the last sign of
-- life of the process running a job: a running job whose process stopped
-- beating was interrupted.
CREATE TABLE import_job (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    rows_total BIGINT NOT NULL DEFAULT 0,
    rows_done BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    summary TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    started_at TEXT NOT NULL,
    beat_at TEXT NOT NULL
);
CREATE INDEX import_job_user ON import_job (user_id, id);

-- Petition lists filter, search and page in SQL: the folded text the
-- search reads (filled by the store on every write; rows older than this
-- migration are filled when it runs), and the list's order, newest
-- received first, as an index the pages walk by key.
ALTER TABLE petition ADD COLUMN search_folded TEXT;
ALTER TABLE petition ADD COLUMN sender_folded TEXT;
CREATE INDEX petition_received ON petition (received_on, id);

-- PostgreSQL reorders the fact key here (see migrations/postgres/0018).
-- SQLite keeps it: the table is its key (WITHOUT ROWID), so reordering
-- means rewriting the largest table, and its reads of a commune's
-- breakdowns already take a few milliseconds.
