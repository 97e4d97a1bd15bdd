-- Same meaning as migrations/sqlite/0009. PostgreSQL's BIGINT already
-- refuses an overflowing fact sum (SQLSTATE 22003), so only the audit log
-- changes here.
ALTER TABLE audit_log ADD COLUMN restricted TEXT;
ALTER TABLE audit_log DISABLE TRIGGER audit_log_frozen;
UPDATE audit_log
SET restricted = jsonb_build_object(
        'before', before::jsonb #> '{petition,sender}',
        'after', after::jsonb #> '{petition,sender}')::text,
    before = CASE WHEN before::jsonb #>> '{petition,kind}' = 'denunciation'
        THEN jsonb_set(jsonb_set(before::jsonb, '{petition,sender}',
                       '{"name":"***","address":"***","phone":"***"}'::jsonb),
                       '{identity_masked}', 'true'::jsonb)::text
        ELSE before END,
    after = CASE WHEN after::jsonb #>> '{petition,kind}' = 'denunciation'
        THEN jsonb_set(jsonb_set(after::jsonb, '{petition,sender}',
                       '{"name":"***","address":"***","phone":"***"}'::jsonb),
                       '{identity_masked}', 'true'::jsonb)::text
        ELSE after END,
    search = entity || ' ' || entity_id
WHERE entity = 'petition'
  AND (before::jsonb #>> '{petition,kind}' = 'denunciation'
       OR after::jsonb #>> '{petition,kind}' = 'denunciation');
ALTER TABLE audit_log ENABLE TRIGGER audit_log_frozen;
