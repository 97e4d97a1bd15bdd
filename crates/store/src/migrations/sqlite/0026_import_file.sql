-- Every file imported record by record (`danvan import KIND`, the import
-- page), by its kind and the SHA-256 of its content, written in the
-- import's own transaction: the same file again is refused instead of
-- written twice, so a command killed after its commit can simply be run
-- again. `token` tells the import that wrote the row from another.
CREATE TABLE import_file (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    token TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    user_id INTEGER,
    actor TEXT NOT NULL,
    UNIQUE (kind, sha256)
);
