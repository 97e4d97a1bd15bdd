-- Same meaning as migrations/sqlite/0025.
ALTER TABLE consultation ADD COLUMN more_questions TEXT NOT NULL DEFAULT '';
ALTER TABLE consultation_answer ADD COLUMN question BIGINT NOT NULL DEFAULT 0;
