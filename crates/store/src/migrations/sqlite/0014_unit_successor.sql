-- Successors with shares. A unit divided between several new units (an
-- old commune split on 1 July 2025) names each of them with the share of
-- it counted to that one, in ten-thousandths adding up to 10000; a unit
-- taken over whole has no row here, only `unit.successor_id`, which stays
-- the one successor that answers for events dated after the unit ended.
-- Rows are only ever added (a changed share is a new row after the old
-- one is deleted), so the largest id tells a cached unit tree that shares
-- changed. Same meaning as migrations/postgres/0014.
CREATE TABLE unit_successor (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    successor_id INTEGER NOT NULL REFERENCES unit (id),
    share INTEGER NOT NULL CHECK (share > 0 AND share <= 10000),
    UNIQUE (unit_id, successor_id)
);
CREATE INDEX unit_successor_successor ON unit_successor (successor_id);
