-- A sender's personal data erased on their request (Nghị định 13/2023/NĐ-CP,
-- art. 16): the petition keeps its place in every figure, but its sender's
-- name, address and phone are gone from it, from the texts kept with it and
-- from the audit log. One row per erasure, with its basis (the request).
CREATE TABLE personal_data_erasure (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    petition_id INTEGER NOT NULL,
    erased_at TEXT NOT NULL,
    erased_by INTEGER,
    basis TEXT NOT NULL,
    files INTEGER NOT NULL
);
CREATE INDEX personal_data_erasure_petition ON personal_data_erasure (petition_id);

-- The submission (tracking code) a file came with, so an erasure deletes
-- the sender's own files and not those of a citizen whose repeat of the
-- same content was linked to the petition. Older files have none.
ALTER TABLE portal_attachment ADD COLUMN submission_id INTEGER;

-- The audit log stays frozen, with one exception: an erasure may rewrite
-- an entry once, stamping it, and may change nothing that says who did
-- what to which record and when.
ALTER TABLE audit_log ADD COLUMN erased_at TEXT;
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
          AND NEW.id = OLD.id AND NEW.province_id = OLD.province_id
          AND NEW.unit_id IS OLD.unit_id AND NEW.at = OLD.at
          AND NEW.user_id IS OLD.user_id AND NEW.actor = OLD.actor
          AND NEW.action = OLD.action AND NEW.entity = OLD.entity
          AND NEW.entity_id = OLD.entity_id)
BEGIN
    SELECT RAISE(ABORT, 'nhật ký thay đổi không được sửa');
END;
