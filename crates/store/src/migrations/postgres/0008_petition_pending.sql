-- Same meaning as migrations/sqlite/0008: pending petitions (unhandled, or
-- accepted and not yet resolved) by unit and deadline, covering the
-- due-list query so it is an index-only scan of the backlog.
CREATE INDEX petition_pending ON petition (unit_id, deadline, processing_deadline)
    INCLUDE (handling, kind, received_on, eligible, id)
    WHERE resolved_on IS NULL AND (handling IS NULL OR handling = 'accepted');
