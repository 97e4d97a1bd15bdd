-- Pending petitions by unit and deadline, for the due lists (overdue and
-- soon due) of the dashboard and the petition pages. Only petitions still
-- running against a deadline are in it: unhandled ones (which have no
-- resolution yet) and accepted ones not yet resolved; those handled
-- otherwise (transferred, returned, archived) and resolved ones are not,
-- so the index stays the size of the backlog, not of the history. It
-- covers every column the due-list query reads, so no table row is
-- visited. The query repeats this WHERE clause term for term: SQLite uses
-- a partial index only when the query's terms imply the index's.
-- Same meaning as migrations/postgres/0008.
CREATE INDEX petition_pending ON petition (
    unit_id, deadline, processing_deadline, handling, kind, received_on, eligible, resolved_on
) WHERE resolved_on IS NULL AND (handling IS NULL OR handling = 'accepted');
