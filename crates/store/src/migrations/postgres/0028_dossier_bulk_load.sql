-- One-stop dossiers come in by the million (`danvan import dossiers`).
-- Their unit is checked against the unit tree by the importer before any
-- row is written, and units are never deleted; PostgreSQL checked the
-- foreign key again with a trigger per row, a third of a bulk load
-- (3,5 s of 9,7 s a million rows, BENCHMARKS.md). SQLite checks its key
-- inside the insert itself, for about 2%, and keeps it.
ALTER TABLE dossier DROP CONSTRAINT IF EXISTS dossier_unit_id_fkey;
