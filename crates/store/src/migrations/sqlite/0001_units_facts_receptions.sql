-- Units (đơn vị). A reference table: small, read everywhere, replicated to
-- every node when PostgreSQL is distributed. `province_id` is the root of
-- the unit's tree (itself for a province).
CREATE TABLE unit (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES unit (id),
    province_id INTEGER NOT NULL,
    depth INTEGER NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    successor_id INTEGER REFERENCES unit (id)
);
CREATE INDEX unit_parent ON unit (parent_id);
CREATE INDEX unit_name_folded ON unit (name_folded);

-- Closure of the tree, distance 0 included: subtree tests and reads.
CREATE TABLE unit_path (
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    ancestor_id INTEGER NOT NULL REFERENCES unit (id),
    distance INTEGER NOT NULL,
    PRIMARY KEY (unit_id, ancestor_id)
) WITHOUT ROWID;
CREATE INDEX unit_path_ancestor ON unit_path (ancestor_id, unit_id);

-- The live fact store: unit × bucket × indicator key × breakdown, rolled
-- up to every ancestor. grain: 1 half-month (1st–14th, 15th–end), 2 month,
-- 3 year. breakdown '' holds the key's total.
CREATE TABLE fact (
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    grain INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    breakdown TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (province_id, unit_id, key, breakdown, grain, bucket)
) WITHOUT ROWID;

-- Citizen reception (tiếp công dân).
CREATE TABLE reception (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    received_on TEXT NOT NULL,
    official TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    outcome TEXT NOT NULL,
    turns INTEGER NOT NULL,
    persons INTEGER NOT NULL,
    delegations INTEGER NOT NULL DEFAULT 0,
    delegation_persons INTEGER NOT NULL DEFAULT 0,
    petition_id INTEGER,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reception_unit_date ON reception (unit_id, received_on);
