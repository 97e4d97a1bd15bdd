-- Oversight activities and directives become correctable like the other
-- record kinds, so they carry a version too (see 0011). Same meaning as
-- migrations/postgres/0012.
ALTER TABLE oversight ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE directive ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
