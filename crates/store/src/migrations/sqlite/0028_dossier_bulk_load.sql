-- Nothing changes on SQLite: its twin drops PostgreSQL's per-row foreign
-- key trigger on dossier.unit_id; SQLite checks the key inside the insert.
SELECT 1;
