-- A denouncer's identity leaves the audit log's readable and searchable
-- text: it is kept in `restricted`, which only the store reads, for a
-- viewer assigned to the petition. Entries written before are scrubbed here
-- (their search text keeps only the record's type and number).
ALTER TABLE audit_log ADD COLUMN restricted TEXT;
DROP TRIGGER audit_log_no_update;
UPDATE audit_log
SET restricted = json_object(
        'before', json_extract(before, '$.petition.sender'),
        'after', json_extract(after, '$.petition.sender')),
    before = CASE WHEN json_extract(before, '$.petition.kind') = 'denunciation'
        THEN json_set(before, '$.petition.sender',
                      json('{"name":"***","address":"***","phone":"***"}'),
                      '$.identity_masked', json('true'))
        ELSE before END,
    after = CASE WHEN json_extract(after, '$.petition.kind') = 'denunciation'
        THEN json_set(after, '$.petition.sender',
                      json('{"name":"***","address":"***","phone":"***"}'),
                      '$.identity_masked', json('true'))
        ELSE after END,
    search = entity || ' ' || entity_id
WHERE entity = 'petition'
  AND (json_extract(before, '$.petition.kind') = 'denunciation'
       OR json_extract(after, '$.petition.kind') = 'denunciation');
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'nhật ký thay đổi không được sửa');
END;

-- Facts are integers that refuse overflow: SQLite would silently turn an
-- overflowing sum into a REAL.
CREATE TRIGGER fact_value_integer BEFORE UPDATE OF value ON fact
WHEN typeof(NEW.value) <> 'integer'
BEGIN
    SELECT RAISE(ABORT, 'danvan:fact_overflow');
END;
