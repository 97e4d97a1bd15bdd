-- Lần giải quyết of a complaint: 1 lần đầu (Luật Khiếu nại 2011, art. 28),
-- 2 lần hai (art. 37); other petitions are always 1. Numbered 0004: 0003 is
-- taken by another change; versions apply in order, each once.
ALTER TABLE petition ADD COLUMN instance SMALLINT NOT NULL DEFAULT 1;
