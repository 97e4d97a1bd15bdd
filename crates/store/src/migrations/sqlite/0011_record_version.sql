-- The version of each correctable record, for optimistic concurrency: an
-- update names the version it read and is refused when another update has
-- come in between, instead of silently overwriting it. Every update of the
-- row (a correction, a petition's step, a meeting's follow-up, a model's
-- yearly evaluation) adds one. Same meaning as migrations/postgres/0011.
ALTER TABLE reception ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE petition ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE petition_case ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE mediation_case ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meeting ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE model ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
