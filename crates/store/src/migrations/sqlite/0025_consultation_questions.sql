-- A consultation asks further questions besides its main one (one per
-- line; empty for most), and each answer row says which question it
-- answers: 0 for the main one, whose answers alone are counted in facts.
ALTER TABLE consultation ADD COLUMN more_questions TEXT NOT NULL DEFAULT '';
ALTER TABLE consultation_answer ADD COLUMN question INTEGER NOT NULL DEFAULT 0;
