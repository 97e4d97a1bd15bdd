-- Nhật ký thay đổi: every change to a record, who made it, when, and the
-- record before and after (JSON). Rows are never updated or deleted: the
-- triggers refuse it, whatever the application does.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    province_id BIGINT NOT NULL DEFAULT 0,
    unit_id BIGINT,
    at TEXT NOT NULL,
    user_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before TEXT,
    after TEXT,
    search TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_unit ON audit_log (unit_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'nhật ký thay đổi không được sửa');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'nhật ký thay đổi không được xoá');
END;
