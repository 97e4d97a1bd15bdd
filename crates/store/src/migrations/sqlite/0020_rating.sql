-- Satisfaction ratings (đánh giá mức độ hài lòng): one row per rating, its
-- author never kept. A service with a reference (a dossier code, a petition
-- number) is rated once.
CREATE TABLE rating (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    version INTEGER NOT NULL DEFAULT 1,
    service TEXT NOT NULL,
    level TEXT NOT NULL,
    rated_on TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rating_unit_date ON rating (unit_id, rated_on);
CREATE UNIQUE INDEX rating_once ON rating (service, subject) WHERE subject <> '';
