-- The public disclosure board of a commune (bảng công khai, Luật Thực hiện
-- dân chủ ở cơ sở 2022 Điều 11–13): one row per publication of an item of
-- crates/core/disclosure/*.toml; and the reception schedule of its leaders.
CREATE TABLE disclosure (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    version INTEGER NOT NULL DEFAULT 1,
    item TEXT NOT NULL,
    title TEXT NOT NULL,
    published_on TEXT NOT NULL,
    places TEXT NOT NULL,
    keep_days INTEGER,
    link TEXT NOT NULL DEFAULT '',
    document TEXT NOT NULL DEFAULT '',
    taken_down_on TEXT
);
CREATE INDEX disclosure_unit ON disclosure (unit_id, item, published_on);
CREATE TABLE reception_schedule (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    leader TEXT NOT NULL,
    position TEXT NOT NULL,
    day_time TEXT NOT NULL,
    place TEXT NOT NULL
);
CREATE INDEX reception_schedule_unit ON reception_schedule (unit_id);
